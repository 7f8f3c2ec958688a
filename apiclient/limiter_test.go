package apiclient

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/time/rate"
)

func TestLimiterOffNeverWaits(t *testing.T) {
	l := newLimiter(-1)
	for range 1000 {
		if err := l.wait(context.Background(), time.Minute); err != nil {
			t.Fatal(err)
		}
	}
	l.observe(http.Header{"X-Ratelimit-Remaining": {"0"}}, 200, 0)
	l.pause(time.Hour)
	// A deadline no loaded machine reaches, so only a pause could fail the wait.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := l.wait(ctx, time.Minute); err != nil {
		t.Fatalf("an off limiter paused: %v", err)
	}
}

func TestLimiterBurstThenPaces(t *testing.T) {
	l := newLimiter(300) // 5/s, burst 15
	if l.bucket.Burst() != 15 || l.base != rate.Limit(5) {
		t.Fatalf("burst %d rate %v, want 15 and 5/s", l.bucket.Burst(), l.base)
	}
	// A fake clock: every reservation is made at the same instant, so no refill happens
	// however slowly the loop runs.
	now := time.Now()
	for i := range 15 {
		r := l.bucket.ReserveN(now, 1)
		if d := r.DelayFrom(now); d != 0 {
			t.Fatalf("request %d of the burst would wait %s", i, d)
		}
	}
	if d := l.bucket.ReserveN(now, 1).DelayFrom(now); d != 200*time.Millisecond {
		t.Fatalf("request past the burst waits %s, want 200ms", d)
	}
}

func TestLimiterAdaptsToHeaders(t *testing.T) {
	reset := func(in time.Duration) string { return strconv.FormatInt(time.Now().Add(in).Unix(), 10) }
	t.Run("low remaining slows down, plenty restores", func(t *testing.T) {
		l := newLimiter(300)
		l.observe(http.Header{"X-Ratelimit-Remaining": {"10"}, "X-Ratelimit-Reset": {reset(20 * time.Second)}}, 200, 0)
		if got := l.bucket.Limit(); got >= l.base || got < 0.3 || got > 0.6 {
			t.Fatalf("limit after 10 left for ~20s = %v, want about 0.5/s", got)
		}
		l.observe(http.Header{"X-Ratelimit-Remaining": {"250"}, "X-Ratelimit-Reset": {reset(20 * time.Second)}}, 200, 0)
		if got := l.bucket.Limit(); got != l.base {
			t.Fatalf("limit after recovery = %v, want %v", got, l.base)
		}
	})
	t.Run("zero remaining pauses until reset", func(t *testing.T) {
		l := newLimiter(300)
		l.observe(http.Header{"X-Ratelimit-Remaining": {"0"}, "X-Ratelimit-Reset": {reset(30 * time.Second)}}, 200, 0)
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		if err := l.wait(ctx, time.Minute); err == nil {
			t.Fatal("wait returned while the window is exhausted")
		}
	})
	t.Run("429 pauses every caller for Retry-After", func(t *testing.T) {
		// A bound that holds at any speed: timed from before the 429 was observed, the
		// wait cannot end before Retry-After has passed.
		l := newLimiter(300)
		start := time.Now()
		l.observe(http.Header{}, http.StatusTooManyRequests, 150*time.Millisecond)
		if err := l.wait(context.Background(), time.Minute); err != nil {
			t.Fatal(err)
		}
		if waited := time.Since(start); waited < 150*time.Millisecond {
			t.Fatalf("waited %s after a 429 asking for 150ms", waited)
		}
	})
	t.Run("a skewed reset far in the future is bounded", func(t *testing.T) {
		l := newLimiter(300)
		l.observe(http.Header{"X-Ratelimit-Remaining": {"0"}, "X-Ratelimit-Reset": {reset(24 * time.Hour)}}, 200, 0)
		l.mu.Lock()
		until := time.Until(l.pausedUntil)
		l.mu.Unlock()
		if until > maxPause+time.Second {
			t.Fatalf("paused for %s", until)
		}
	})
	t.Run("garbage headers are ignored", func(t *testing.T) {
		l := newLimiter(300)
		l.observe(http.Header{"X-Ratelimit-Remaining": {"lots"}, "X-Ratelimit-Reset": {"soon"}}, 200, 0)
		if err := l.wait(context.Background(), time.Minute); err != nil || l.bucket.Limit() != l.base {
			t.Fatalf("err %v, limit %v", err, l.bucket.Limit())
		}
	})
}

// TestClientPausesOnExhaustedWindow checks the adaptation end to end: after an answer that
// says the window is used up, the next call holds until the reset instead of drawing a 429.
//
// The bound holds at any speed: the server notes the reset it announced and the time the
// second request arrived, which must not come before that reset, however long anything took.
func TestClientPausesOnExhaustedWindow(t *testing.T) {
	var (
		mu             sync.Mutex
		reset, arrived time.Time
	)
	exhausted := func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		reset = time.Unix(time.Now().Add(1500*time.Millisecond).Unix(), 0)
		mu.Unlock()
		w.Header().Set("X-RateLimit-Remaining", "0")
		w.Header().Set("X-RateLimit-Reset", strconv.FormatInt(reset.Unix(), 10))
		okJSON(`{}`)(w, r)
	}
	next := func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		arrived = time.Now()
		mu.Unlock()
		okJSON(`{}`)(w, r)
	}
	srv := newScripted(t, exhausted, next)
	c := newTestClient(t, srv.URL, func(c *Config) { c.RatePerMinute = 6000 })
	ctx := context.Background()
	if err := c.Do(ctx, Request{Method: "GET", Path: "/team"}, nil); err != nil {
		t.Fatal(err)
	}
	if err := c.Do(ctx, Request{Method: "GET", Path: "/team"}, nil); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if srv.count() != 2 || arrived.Before(reset) {
		t.Fatalf("second call arrived at %s, %s before the window reset at %s", arrived.Format(time.StampMilli), reset.Sub(arrived), reset.Format(time.StampMilli))
	}
}

func TestLimiterRefusesWaitsBeyondTheBound(t *testing.T) {
	l := newLimiter(300)
	l.pause(20 * time.Second)
	err := l.wait(context.Background(), 5*time.Second)
	var e *Error
	if !errors.As(err, &e) || e.StatusCode != http.StatusTooManyRequests || e.RetryAfter < 19*time.Second {
		t.Fatalf("err = %v, want a 429 error with the remaining pause", err)
	}

	slow := newLimiter(1) // one request a minute
	if err := slow.wait(context.Background(), time.Second); err != nil {
		t.Fatal(err)
	}
	err = slow.wait(context.Background(), time.Second)
	if !errors.As(err, &e) || e.RetryAfter < 50*time.Second || !strings.Contains(e.Message, "1 requests per minute") {
		t.Fatalf("err = %v, want a 429 error naming the client-side limit", err)
	}
	// The refused reservation was returned: a caller willing to wait still gets the slot
	// in about a minute, not two.
	r := slow.bucket.Reserve()
	if d := r.Delay(); d > 61*time.Second {
		t.Fatalf("next slot in %s", d)
	}
}
