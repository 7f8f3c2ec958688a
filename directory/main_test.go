package directory

import (
	"testing"

	"github.com/inbox-mcp/inbox-mcp/internal/leakcheck"
)

// Refreshes run detached from their callers; none may outlive the tests (leakcheck waits
// out goroutines still shutting down, so the check holds at any machine speed).
func TestMain(m *testing.M) { leakcheck.VerifyTestMain(m) }
