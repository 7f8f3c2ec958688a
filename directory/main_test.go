package directory

import (
	"testing"

	"github.com/inbox-mcp/inbox-mcp/internal/leaktest"
)

// Refreshes run detached from their callers; none may outlive the tests (leaktest waits
// out goroutines still shutting down, so the check holds at any machine speed).
func TestMain(m *testing.M) { leaktest.VerifyTestMain(m) }
