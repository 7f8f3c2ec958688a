// Package apiclienttest helps tests of code built on apiclient decide when an attempt times
// out, instead of racing a short wall-clock Timeout against a server that is meant to be
// fast (and is not, on a loaded machine) or meant to be slow.
//
// Plug [Timeouts.Context] into apiclient.Config.AttemptContext. Attempts then never time
// out on their own (bar a generous safety net); a test server that wants the client to give
// up calls [Timeouts.Expire] while it holds the request, and the attempt fails exactly as a
// time-out does.
package apiclienttest

import (
	"context"
	"sync"
	"time"
)

// SafetyTimeout bounds an attempt that the test never expires, so that a bug shows as a
// failed call rather than a test hung until the go test deadline.
const SafetyTimeout = 2 * time.Minute

// Timeouts times out the attempts of a client when the test says so. The zero value is
// ready to use; it is safe for concurrent use.
type Timeouts struct {
	mu       sync.Mutex
	next     int
	inflight map[int]context.CancelCauseFunc
	expired  int
}

// Context is an apiclient.Config.AttemptContext: the attempt's context ends when the call's
// does, when [Timeouts.Expire] runs while the attempt is in flight (a time-out), or after
// SafetyTimeout. The Timeout the client passes only names the time-out in errors.
func (tm *Timeouts) Context(ctx context.Context, _ time.Duration) (context.Context, context.CancelFunc) {
	actx, cancel := context.WithCancelCause(ctx)
	tm.mu.Lock()
	if tm.inflight == nil {
		tm.inflight = map[int]context.CancelCauseFunc{}
	}
	id := tm.next
	tm.next++
	tm.inflight[id] = cancel
	tm.mu.Unlock()
	safety := time.AfterFunc(SafetyTimeout, func() { cancel(context.DeadlineExceeded) })
	return actx, func() {
		safety.Stop()
		tm.mu.Lock()
		delete(tm.inflight, id)
		tm.mu.Unlock()
		cancel(context.Canceled)
	}
}

// Expire times out every attempt in flight, as if its Timeout had passed, and returns how
// many it timed out. A test server calls it while it holds the request it wants the client
// to give up on (and then waits for the request's context to end).
func (tm *Timeouts) Expire() int {
	tm.mu.Lock()
	defer tm.mu.Unlock()
	n := 0
	for id, cancel := range tm.inflight {
		cancel(context.DeadlineExceeded)
		delete(tm.inflight, id)
		n++
	}
	tm.expired += n
	return n
}

// Expired returns how many attempts [Timeouts.Expire] has timed out so far.
func (tm *Timeouts) Expired() int {
	tm.mu.Lock()
	defer tm.mu.Unlock()
	return tm.expired
}
