package httpx

import (
	"testing"
	"time"
)

// testClock is a clock the test moves.
type testClock struct{ t time.Time }

func newTestClock() *testClock { return &testClock{t: time.Date(2026, 3, 10, 15, 4, 5, 0, time.UTC)} }

func (c *testClock) Now() time.Time { return c.t }

func (c *testClock) Advance(d time.Duration) { c.t = c.t.Add(d) }

// TestRateLimiterWindows checks the sliding windows on a fake clock: counts, the window the
// headers describe, Reset and Retry-After.
func TestRateLimiterWindows(t *testing.T) {
	clock := newTestClock()
	l := NewRateLimiter(3, 5, 100, false, clock.Now)
	start := clock.Now()
	for i, wantRemaining := range []int{2, 1, 0} {
		r := l.Take("team")
		if !r.Allowed || r.Limit != 3 || r.Remaining != wantRemaining {
			t.Fatalf("request %d: %+v, want allowed with 3/%d", i, r, wantRemaining)
		}
		if !r.Reset.Equal(start.Add(time.Minute)) {
			t.Fatalf("request %d: reset %v, want %v (when the oldest request leaves the window)", i, r.Reset, start.Add(time.Minute))
		}
		clock.Advance(10 * time.Second)
	}
	r := l.Take("team")
	if r.Allowed || r.RetryAfter != 30*time.Second {
		t.Fatalf("4th request in the minute: %+v, want refused with retry after 30s", r)
	}
	if other := l.Take("other-team"); !other.Allowed || other.Remaining != 2 {
		t.Fatalf("another team shares the quota: %+v", other)
	}
	// Sliding: at start+61s the first request has left the minute window, not the others.
	clock.Advance(31 * time.Second)
	r = l.Take("team")
	if !r.Allowed || r.Limit != 3 || r.Remaining != 0 {
		t.Fatalf("after the oldest request left the minute window: %+v, want allowed with 3/0", r)
	}
	// A minute later the minute window is nearly empty but this is the 5th request of the
	// hour: the hour window is the tighter one now, and the headers describe it.
	clock.Advance(time.Minute)
	r = l.Take("team")
	if !r.Allowed || r.Limit != 5 || r.Remaining != 0 || !r.Reset.Equal(start.Add(time.Hour)) {
		t.Fatalf("5th request of the hour: %+v, want allowed with the hour window 5/0", r)
	}
	r = l.Take("team")
	if r.Allowed {
		t.Fatalf("6th request in the hour: %+v, want refused", r)
	}
	if want := start.Add(time.Hour).Sub(clock.Now()); r.RetryAfter != want {
		t.Fatalf("retry after %v, want %v (the hour window's oldest request)", r.RetryAfter, want)
	}
	clock.Advance(r.RetryAfter)
	if r := l.Take("team"); !r.Allowed {
		t.Fatalf("after Retry-After: %+v", r)
	}
	if r := NewRateLimiter(0, 0, 0, true, clock.Now).Take("team"); !r.Allowed {
		t.Fatal("disabled limiter refused")
	}
}
