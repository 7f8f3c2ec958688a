// Package leaktest fails a test binary whose goroutines outlive its tests, like
// goleak.VerifyTestMain, without racing goroutines that are still shutting down.
//
// goleak.VerifyTestMain gives stray goroutines about half a second to end. Goroutines that
// end on their own a little later (the readers of a transport's closed connections, a
// server's last handlers) then fail the run on a loaded machine although nothing leaked.
// VerifyTestMain here keeps looking for up to Grace: a goroutine that is merely slow to end
// passes at any machine speed, and a real leak, which never ends, still fails.
package leaktest

import (
	"fmt"
	"os"
	"testing"
	"time"

	"go.uber.org/goleak"
)

// Grace is how long VerifyTestMain waits for goroutines to end after the tests passed.
const Grace = 30 * time.Second

// VerifyTestMain runs the tests, then, when they passed, fails the binary if goroutines
// other than those opts ignore are still running after Grace. Call it from TestMain.
func VerifyTestMain(m *testing.M, opts ...goleak.Option) {
	code := m.Run()
	if code == 0 {
		if err := find(Grace, opts...); err != nil {
			fmt.Fprintf(os.Stderr, "goleak: Errors on successful test run: %v\n", err)
			code = 1
		}
	}
	os.Exit(code)
}

// find is goleak.Find (which itself retries for about half a second) repeated until no
// goroutine is left or grace has passed.
func find(grace time.Duration, opts ...goleak.Option) error {
	deadline := time.Now().Add(grace)
	for {
		err := goleak.Find(opts...)
		if err == nil || time.Now().After(deadline) {
			return err
		}
		time.Sleep(100 * time.Millisecond)
	}
}
