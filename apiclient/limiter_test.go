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
)

// window is the rate-limit headers of an answer: limit, remaining, and the reset that far
// after the clock's now.
func window(clk *fakeClock, limit, remaining int, reset time.Duration) http.Header {
	h := http.Header{}
	h.Set("X-RateLimit-Limit", strconv.Itoa(limit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(remaining))
	h.Set("X-RateLimit-Reset", strconv.FormatInt(clk.now().Add(reset).Unix(), 10))
	return h
}

func TestLimiterOffNeverWaits(t *testing.T) {
	l := newLimiter(limiterConfig{perMinute: -1})
	for range 1000 {
		if _, err := l.wait(context.Background(), time.Minute); err != nil {
			t.Fatal(err)
		}
	}
	l.observe(0, http.Header{"X-Ratelimit-Remaining": {"0"}}, 200, 0)
	l.observe(0, nil, http.StatusTooManyRequests, time.Hour)
	if _, err := l.wait(context.Background(), 0); err != nil {
		t.Fatalf("an off limiter held a request: %v", err)
	}
}

// Without rate-limit headers (before the first answer, or from an API that sends none) the
// limiter paces at the configured rate after a small burst, as it always did.
func TestLimiterWithoutHeadersPaces(t *testing.T) {
	clk := newFakeClock()
	l := testLimiter(clk) // 5/s, burst 15
	ctx := context.Background()
	for i := range 15 {
		id := mustAdmit(t, l, ctx)
		if i%2 == 0 {
			l.observe(id, http.Header{}, 200, 0) // an answer without headers changes nothing
		}
	}
	if d := heldFor(t, l, ctx); d != 200*time.Millisecond {
		t.Fatalf("request past the burst waits %s, want 200ms", d)
	}
	clk.advance(200 * time.Millisecond)
	mustAdmit(t, l, ctx)
	if d := heldFor(t, l, ctx); d != 200*time.Millisecond {
		t.Fatalf("next request waits %s, want 200ms", d)
	}
}

// With headers that leave plenty above the reserve, requests go out as fast as they come:
// here 200 at one instant, none of them answered yet.
func TestLimiterFullSpeedAboveReserve(t *testing.T) {
	clk := newFakeClock()
	l := testLimiter(clk)
	ctx := context.Background()
	l.observe(mustAdmit(t, l, ctx), window(clk, 300, 299, time.Minute), 200, 0)
	for i := range 200 {
		if d := heldFor(t, l, ctx); d != 0 {
			t.Fatalf("request %d held %s with %d of 300 left", i, d, 299-i)
		}
	}
}

// Near the reserve the limiter slows down smoothly, never spends the reserve, and holds
// every caller until Reset once only the reserve is left.
func TestLimiterSlowsDownAndKeepsTheReserve(t *testing.T) {
	clk := newFakeClock()
	l := testLimiter(clk) // reserve 60 of 300, slow zone 30 above it
	ctx := context.Background()
	reset := clk.now().Add(time.Minute)
	l.observe(mustAdmit(t, l, ctx), window(clk, 300, 100, time.Minute), 200, 0)
	var gaps []time.Duration
	sent := 0
	for {
		d := heldFor(t, l, ctx)
		if d == 0 {
			sent++
			continue
		}
		if !clk.now().Add(d).Before(reset) {
			break // held until the window resets
		}
		gaps = append(gaps, d)
		clk.advance(d)
	}
	if sent != 40 {
		t.Fatalf("sent %d requests in the window with 100 left and a reserve of 60, want the 40 above it", sent)
	}
	// 11 at full speed (down to the edge of the slow zone, 30 above the reserve), then
	// ever longer gaps.
	if len(gaps) != sent-11 {
		t.Fatalf("%d paced requests of %d sent, want all but the 11 above the slow zone: gaps %v", len(gaps), sent, gaps)
	}
	for i, g := range gaps {
		if i > 0 && g < gaps[i-1] {
			t.Fatalf("gap %d (%s) shorter than the one before (%s): %v", i, g, gaps[i-1], gaps)
		}
	}
	if gaps[0] > 200*time.Millisecond {
		t.Fatalf("first gap at the edge of the slow zone is %s: the slow-down is not smooth", gaps[0])
	}
	// Only the reserve is left: every caller holds until Reset, with the wait as RetryAfter.
	if d := heldFor(t, l, ctx); d <= 0 || d > reset.Sub(clk.now()) {
		t.Fatalf("held %s, want until the reset in %s", d, reset.Sub(clk.now()))
	}
}

// Answers of requests in flight come in any order: an older answer cannot raise the
// estimate, and requests not yet answered count as spent.
func TestLimiterCountsRequestsInFlight(t *testing.T) {
	clk := newFakeClock()
	l := testLimiter(clk)
	ctx := context.Background()
	l.observe(mustAdmit(t, l, ctx), window(clk, 300, 100, time.Minute), 200, 0)
	ids := make([]uint64, 10)
	for i := range ids {
		ids[i] = mustAdmit(t, l, ctx) // 100 - 10 = 90: down to the slow zone
	}
	// The newest answer: 85 left, but the 9 before it, unanswered, may not be counted yet.
	l.observe(ids[9], window(clk, 300, 85, time.Minute), 200, 0)
	// An older answer comes late: it neither raises the estimate nor proves ids[0] counted.
	l.observe(ids[0], window(clk, 300, 99, time.Minute), 200, 0)
	l.mu.Lock()
	est := l.estimate()
	l.mu.Unlock()
	if est != 76 {
		t.Fatalf("estimate %d, want 85 - 9 = 76", est)
	}
}

// A 429 holds every caller until its Retry-After; then one request probes the window while
// the others wait for its answer.
func TestLimiter429HoldsEveryone(t *testing.T) {
	clk := newFakeClock()
	l := testLimiter(clk)
	ctx := context.Background()
	l.observe(mustAdmit(t, l, ctx), window(clk, 300, 250, time.Minute), 200, 0)
	id := mustAdmit(t, l, ctx)
	l.observe(id, http.Header{}, http.StatusTooManyRequests, 5*time.Second)
	res := make(chan result, 3)
	for range 3 {
		go func() {
			id, err := l.wait(ctx, time.Minute)
			res <- result{id, err}
		}()
	}
	waitUntil(l, func() bool { return l.waiters == 3 })
	clk.waitTimers(3)
	clk.advance(4 * time.Second)
	waitUntil(l, func() bool { return l.waiters == 3 })
	if len(res) != 0 {
		t.Fatalf("a caller went before Retry-After ended: %+v", <-res)
	}
	clk.advance(time.Second)
	probe := <-res
	if probe.err != nil {
		t.Fatal(probe.err)
	}
	waitUntil(l, func() bool { return l.waiters == 2 })
	if len(res) != 0 {
		t.Fatalf("a second caller went while the probe was unanswered: %+v", <-res)
	}
	l.observe(probe.id, window(clk, 300, 200, time.Minute), 200, 0)
	for range 2 {
		if r := <-res; r.err != nil {
			t.Fatal(r.err)
		}
	}
}

// Refusals: a hold longer than maxWait is a 429-like *Error carrying the wait; one past
// the context's deadline fails at once.
func TestLimiterRefusesWaitsBeyondTheBound(t *testing.T) {
	clk := newFakeClock()
	l := testLimiter(clk)
	ctx := context.Background()
	l.observe(mustAdmit(t, l, ctx), nil, http.StatusTooManyRequests, 20*time.Second)
	_, err := l.wait(ctx, 5*time.Second)
	var e *Error
	if !errors.As(err, &e) || e.StatusCode != http.StatusTooManyRequests || e.RetryAfter != 20*time.Second {
		t.Fatalf("err = %v, want a 429 error with the remaining pause", err)
	}
	dctx, cancel := context.WithDeadline(ctx, clk.now().Add(10*time.Second))
	defer cancel()
	if _, err := l.wait(dctx, time.Minute); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want a deadline error", err)
	}

	slow := testLimiter(clk, func(c *limiterConfig) { c.perMinute = 1 })
	mustAdmit(t, slow, ctx)
	_, err = slow.wait(ctx, time.Second)
	if !errors.As(err, &e) || e.RetryAfter < 50*time.Second || !strings.Contains(e.Message, "1 requests per minute") {
		t.Fatalf("err = %v, want a 429 error naming the client-side limit", err)
	}
	// Nothing was taken by the refusal: the slot comes in a minute, not two.
	clk.advance(time.Minute)
	mustAdmit(t, slow, ctx)
}

func TestLimiterHeaderEdgeCases(t *testing.T) {
	ctx := context.Background()
	t.Run("zero remaining holds until reset", func(t *testing.T) {
		clk := newFakeClock()
		l := testLimiter(clk)
		l.observe(mustAdmit(t, l, ctx), window(clk, 300, 0, 30*time.Second), 200, 0)
		if d := heldFor(t, l, ctx); d != 30*time.Second {
			t.Fatalf("held %s, want 30s", d)
		}
		clk.advance(30 * time.Second)
		mustAdmit(t, l, ctx) // the probe
	})
	t.Run("a skewed reset far in the future is bounded", func(t *testing.T) {
		clk := newFakeClock()
		l := testLimiter(clk)
		l.observe(mustAdmit(t, l, ctx), window(clk, 300, 0, 24*time.Hour), 200, 0)
		if d := heldFor(t, l, ctx); d > maxPause {
			t.Fatalf("held %s", d)
		}
	})
	t.Run("an hour window may reset within the hour", func(t *testing.T) {
		clk := newFakeClock()
		l := testLimiter(clk)
		l.observe(mustAdmit(t, l, ctx), window(clk, 10000, 100, 40*time.Minute), 200, 0)
		if d := heldFor(t, l, ctx); d != 40*time.Minute {
			t.Fatalf("held %s, want 40m", d)
		}
	})
	t.Run("garbage headers are ignored", func(t *testing.T) {
		clk := newFakeClock()
		l := testLimiter(clk)
		l.observe(mustAdmit(t, l, ctx), http.Header{"X-Ratelimit-Remaining": {"lots"}, "X-Ratelimit-Reset": {"soon"}}, 200, 0)
		l.mu.Lock()
		valid := l.obs.valid
		l.mu.Unlock()
		if valid {
			t.Fatal("garbage headers were taken as an observation")
		}
		mustAdmit(t, l, ctx)
	})
	t.Run("headers that stop coming give way to the configured pace", func(t *testing.T) {
		clk := newFakeClock()
		l := testLimiter(clk)
		l.observe(mustAdmit(t, l, ctx), window(clk, 300, 61, 10*time.Second), 200, 0)
		id := mustAdmit(t, l, ctx) // the last request above the reserve
		l.observe(id, http.Header{}, http.StatusBadGateway, 0)
		if d := heldFor(t, l, ctx); d != 10*time.Second {
			t.Fatalf("held %s, want until the reported reset", d)
		}
		clk.advance(10 * time.Second)
		l.observe(mustAdmit(t, l, ctx), http.Header{}, 200, 0) // the probe, answered without headers
		for range 15 {
			mustAdmit(t, l, ctx) // the burst
		}
		if d := heldFor(t, l, ctx); d != 200*time.Millisecond {
			t.Fatalf("held %s, want the configured pace of 200ms", d)
		}
	})
	t.Run("no reserve spends the whole window", func(t *testing.T) {
		clk := newFakeClock()
		l := testLimiter(clk, func(c *limiterConfig) { c.reserve = 0 })
		l.observe(mustAdmit(t, l, ctx), window(clk, 300, 50, time.Minute), 200, 0)
		for range 20 { // above the slow zone of 30
			mustAdmit(t, l, ctx)
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
