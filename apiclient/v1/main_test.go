package v1

import (
	"testing"

	"github.com/inbox-mcp/inbox-mcp/internal/leaktest"
)

func TestMain(m *testing.M) {
	leaktest.VerifyTestMain(m) // waits out goroutines still shutting down; a real leak still fails
}
