package apiclient

import (
	"context"
	"runtime"
	"sync"
	"testing"
	"time"
)

// fakeClock is the limiter's clock in tests: time moves only when the test advances it, and
// timers fire then.
type fakeClock struct {
	mu     sync.Mutex
	t      time.Time
	timers map[*fakeTimer]struct{}
}

type fakeTimer struct {
	at time.Time
	ch chan time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{t: time.Unix(1_800_000_000, 0), timers: map[*fakeTimer]struct{}{}}
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) timer(d time.Duration) (<-chan time.Time, func() bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	ft := &fakeTimer{at: c.t.Add(d), ch: make(chan time.Time, 1)}
	if d <= 0 {
		ft.ch <- c.t
		return ft.ch, func() bool { return false }
	}
	c.timers[ft] = struct{}{}
	return ft.ch, func() bool {
		c.mu.Lock()
		defer c.mu.Unlock()
		_, ok := c.timers[ft]
		delete(c.timers, ft)
		return ok
	}
}

// advance moves the clock on by d and fires the timers due.
func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
	for ft := range c.timers {
		if !ft.at.After(c.t) {
			ft.ch <- c.t
			delete(c.timers, ft)
		}
	}
}

// waitTimers returns once n timers are pending, so that advancing the clock fires them.
// Like waitUntil it yields instead of sleeping.
func (c *fakeClock) waitTimers(n int) {
	for {
		c.mu.Lock()
		ok := len(c.timers) == n
		c.mu.Unlock()
		if ok {
			return
		}
		runtime.Gosched()
	}
}

// testLimiter is a limiter at 300 a minute with the default reserve and shares, on clk.
func testLimiter(clk *fakeClock, adjust ...func(*limiterConfig)) *limiter {
	c := limiterConfig{perMinute: 300, reserve: DefaultRateReserve, bgShare: DefaultBackgroundShare,
		hourLimit: DefaultHourLimit, dayLim: DefaultDayLimit}
	for _, f := range adjust {
		f(&c)
	}
	l := newLimiter(c)
	l.now, l.timer = clk.now, clk.timer
	return l
}

// waitUntil returns once cond (evaluated under l.mu) holds. It yields instead of sleeping
// and has no time limit of its own: it holds at any speed, and a hang is reported by the
// test's own time-out.
func waitUntil(l *limiter, cond func() bool) {
	for {
		l.mu.Lock()
		ok := cond()
		l.mu.Unlock()
		if ok {
			return
		}
		runtime.Gosched()
	}
}

// result is the outcome of a wait started in a goroutine.
type result struct {
	id  uint64
	err error
}

// goWait starts a wait in a goroutine; its outcome arrives on the channel.
func goWait(ctx context.Context, l *limiter, maxWait time.Duration) <-chan result {
	ch := make(chan result, 1)
	go func() {
		id, err := l.wait(ctx, maxWait)
		ch <- result{id, err}
	}()
	return ch
}

// mustAdmit waits at the clock's current instant and fails unless the request goes at once.
func mustAdmit(t *testing.T, l *limiter, ctx context.Context) uint64 {
	t.Helper()
	id, err := l.wait(ctx, 0)
	if err != nil {
		t.Fatalf("request held: %v", err)
	}
	return id
}

// heldFor returns how long a request would have to wait now (0: it went, and is admitted).
func heldFor(t *testing.T, l *limiter, ctx context.Context) time.Duration {
	t.Helper()
	_, err := l.wait(ctx, 0)
	if err == nil {
		return 0
	}
	e, ok := err.(*Error)
	if !ok || e.RetryAfter <= 0 {
		t.Fatalf("wait refused with %v, want a 429-like *Error with RetryAfter", err)
	}
	return e.RetryAfter
}
