package directory

import (
	"testing"

	"go.uber.org/goleak"
)

// Refreshes run detached from their callers; none may outlive the tests.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }
