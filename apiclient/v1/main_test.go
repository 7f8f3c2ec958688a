package v1

import (
	"testing"

	"github.com/inbox-mcp/inbox-mcp/internal/leakcheck"
)

func TestMain(m *testing.M) {
	leakcheck.VerifyTestMain(m) // waits out goroutines still shutting down; a real leak still fails
}
