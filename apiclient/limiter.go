package apiclient

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// maxPause bounds a pause derived from server headers: the documented window is one
// minute, so a longer pause can only come from clock skew between us and the server.
const maxPause = time.Minute

// limiter keeps one Client under the team's request budget. It is a token bucket
// (golang.org/x/time/rate) at the configured rate, plus two adaptations driven by the
// server's answers, which see every client of the team (the budget is per team, not per
// token): when X-RateLimit-Remaining gets low the bucket slows down to spread what is left
// until X-RateLimit-Reset, and when it reaches zero (or a 429 arrives) every caller holds
// until the window resets.
type limiter struct {
	bucket *rate.Limiter // nil when the client-side limit is off
	base   rate.Limit
	// reserve is the Remaining count below which the bucket slows down.
	reserve int

	mu          sync.Mutex
	pausedUntil time.Time
	slowed      bool
}

func newLimiter(perMinute int) *limiter {
	if perMinute < 0 {
		return &limiter{}
	}
	base := rate.Limit(float64(perMinute) / 60)
	// A small burst lets a tool fetch a handful of directories at once without waiting,
	// while keeping a minute's total within a few percent of the budget.
	burst := min(max(perMinute/20, 1), 20)
	return &limiter{
		bucket:  rate.NewLimiter(base, burst),
		base:    base,
		reserve: max(perMinute/10, 2),
	}
}

// errLimiterDeadline says the wait for a slot would outlast the caller's deadline; it
// wraps context.DeadlineExceeded so callers can branch on it like any time-out.
type errLimiterDeadline struct{ wait time.Duration }

// Error says how long the wait would have been.
func (e errLimiterDeadline) Error() string {
	return fmt.Sprintf("waiting %s for a rate-limit slot would pass the deadline", e.wait.Round(time.Millisecond))
}

// Unwrap makes errors.Is(err, context.DeadlineExceeded) true.
func (e errLimiterDeadline) Unwrap() error { return context.DeadlineExceeded }

// wait blocks until the request may go out, or ctx ends. A wait longer than maxWait fails
// at once with a 429-like *Error carrying the wait as RetryAfter (a caller is better told
// "retry in 45s" than left hanging), and a wait that cannot finish before ctx's deadline
// fails at once instead of sleeping in vain.
func (l *limiter) wait(ctx context.Context, maxWait time.Duration) error {
	if l.bucket == nil {
		return ctx.Err()
	}
	for {
		l.mu.Lock()
		until := l.pausedUntil
		l.mu.Unlock()
		d := time.Until(until)
		if d <= 0 {
			break
		}
		if d > maxWait {
			return &Error{StatusCode: http.StatusTooManyRequests, Code: "RATE_LIMITED", RetryAfter: d,
				Message: "the team's request budget is used up until the rate-limit window resets (held by the client)"}
		}
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < d {
			return errLimiterDeadline{wait: d}
		}
		if err := sleep(ctx, d); err != nil {
			return err
		}
	}
	r := l.bucket.Reserve()
	d := r.Delay()
	if d == 0 {
		return ctx.Err()
	}
	if d > maxWait {
		r.Cancel()
		return &Error{StatusCode: http.StatusTooManyRequests, Code: "RATE_LIMITED", RetryAfter: d,
			Message: fmt.Sprintf("the client-side limit of %.0f requests per minute has no free slot for %s", float64(l.bucket.Limit())*60, d.Round(time.Second))}
	}
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) < d {
		r.Cancel()
		return errLimiterDeadline{wait: d}
	}
	if err := sleep(ctx, d); err != nil {
		r.Cancel()
		return err
	}
	return nil
}

// pause makes every caller hold for d (bounded by maxPause).
func (l *limiter) pause(d time.Duration) {
	if l.bucket == nil || d <= 0 {
		return
	}
	d = min(d, maxPause)
	until := time.Now().Add(d)
	l.mu.Lock()
	if until.After(l.pausedUntil) {
		l.pausedUntil = until
	}
	l.mu.Unlock()
}

// observe adapts to the rate-limit headers of an answer.
func (l *limiter) observe(h http.Header, status int, retryAfter time.Duration) {
	if l.bucket == nil || h == nil {
		return
	}
	if status == http.StatusTooManyRequests {
		if retryAfter <= 0 {
			retryAfter = time.Second
		}
		l.pause(retryAfter)
		return
	}
	remaining, err := strconv.Atoi(h.Get("X-RateLimit-Remaining"))
	if err != nil {
		return
	}
	untilReset := time.Second
	if reset, err := strconv.ParseInt(h.Get("X-RateLimit-Reset"), 10, 64); err == nil {
		if d := time.Until(time.Unix(reset, 0)); d > 0 {
			untilReset = min(d, maxPause)
		}
	}
	switch {
	case remaining <= 0:
		l.pause(untilReset)
	case remaining < l.reserve:
		// Spread what is left over the rest of the window, never faster than configured.
		spread := rate.Limit(float64(remaining) / untilReset.Seconds())
		l.mu.Lock()
		l.slowed = true
		l.mu.Unlock()
		l.bucket.SetLimit(min(spread, l.base))
	default:
		l.mu.Lock()
		restore := l.slowed
		l.slowed = false
		l.mu.Unlock()
		if restore {
			l.bucket.SetLimit(l.base)
		}
	}
}

// sleep waits for d or until ctx ends, without leaking a timer.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
