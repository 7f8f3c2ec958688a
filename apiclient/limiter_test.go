package apiclient

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
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
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
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
	for i := range 15 {
		r := l.bucket.Reserve()
		if r.Delay() != 0 {
			t.Fatalf("request %d of the burst would wait %s", i, r.Delay())
		}
	}
	if d := l.bucket.Reserve().Delay(); d < 150*time.Millisecond {
		t.Fatalf("request past the burst waits only %s, want about 200ms", d)
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
		l := newLimiter(300)
		l.observe(http.Header{}, http.StatusTooManyRequests, 150*time.Millisecond)
		start := time.Now()
		if err := l.wait(context.Background(), time.Minute); err != nil {
			t.Fatal(err)
		}
		if waited := time.Since(start); waited < 100*time.Millisecond {
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
func TestClientPausesOnExhaustedWindow(t *testing.T) {
	exhausted := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-RateLimit-Remaining", "0")
		w.Header().Set("X-RateLimit-Reset", strconv.FormatInt(time.Now().Add(1500*time.Millisecond).Unix(), 10))
		okJSON(`{}`)(w, r)
	}
	srv := newScripted(t, exhausted, okJSON(`{}`))
	c := newTestClient(t, srv.URL, func(c *Config) { c.RatePerMinute = 6000 })
	ctx := context.Background()
	if err := c.Do(ctx, Request{Method: "GET", Path: "/team"}, nil); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if err := c.Do(ctx, Request{Method: "GET", Path: "/team"}, nil); err != nil {
		t.Fatal(err)
	}
	// Reset is whole seconds, so the pause lasts between 0.5s and 1.5s.
	if waited := time.Since(start); waited < 400*time.Millisecond {
		t.Fatalf("second call went out after %s, before the window reset", waited)
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
