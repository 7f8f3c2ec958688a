package apiclient

import (
	"context"
	"errors"
	"math/rand/v2"
	"net/http"
	"time"
)

// Defaults of [RetryPolicy]. The first retry comes after about a quarter second, so a lone
// 5xx costs little, and no single backoff exceeds a few seconds, so an interactive tool call
// stays responsive; MaxWait bounds the sum.
const (
	DefaultMaxAttempts   = 4
	DefaultRetryBase     = 250 * time.Millisecond
	DefaultRetryMaxDelay = 4 * time.Second
	DefaultRetryJitter   = 0.5
	DefaultMaxRetryWait  = 45 * time.Second
	DefaultMaxRetryAfter = 30 * time.Second
)

// max429Attempts bounds answers of 429 in one call even when the server keeps asking for
// very short waits.
const max429Attempts = 12

// RetryPolicy is how a call repeats failed attempts: which failures are worth repeating,
// how many times, how long it waits before each retry and in all, and how far it follows
// the server's Retry-After. One policy, set by [Config].Retry, serves every retry loop of the
// client: [Client.Do], [Client.Send], and the idempotent sends of API v2. Each loop still
// decides what is safe to repeat (a request that may have reached the server is repeated
// only when that cannot do harm); the policy decides what is worth it.
//
// Zero fields take the defaults.
type RetryPolicy struct {
	// Attempts bounds the attempts of one call for failures worth repeating (a 5xx, a
	// network error, a time-out). Answers of 429 are bounded by MaxWait instead, and by a
	// dozen answers. Default 4.
	Attempts int
	// BaseDelay is the backoff before the first retry; each further retry doubles it, up to
	// MaxDelay. Defaults 250ms and 4s.
	BaseDelay, MaxDelay time.Duration
	// Jitter is the share of each backoff that is random, so that callers that failed
	// together do not retry together: 0.5 ("equal jitter", the default) waits between half
	// the backoff and all of it, and never retries at once. A negative value means none.
	// At most 1.
	Jitter float64
	// MaxWait bounds the total time one call waits between attempts (backoff and
	// Retry-After together). Default 45s.
	MaxWait time.Duration
	// MaxRetryAfter is the longest single Retry-After a call waits out: an answer asking
	// for longer ends the call at once, with the error carrying RetryAfter, so the caller
	// can decide. Default 30s.
	MaxRetryAfter time.Duration
	// Retryable reports whether a failure is worth repeating at all: err is an *[Error]
	// for an answer of the API, or the failure of a call that got none. Nil means
	// [Transient].
	Retryable func(err error) bool
}

// withDefaults fills in zero fields.
func (p RetryPolicy) withDefaults() RetryPolicy {
	if p.Attempts <= 0 {
		p.Attempts = DefaultMaxAttempts
	}
	if p.BaseDelay <= 0 {
		p.BaseDelay = DefaultRetryBase
	}
	if p.MaxDelay <= 0 {
		p.MaxDelay = max(DefaultRetryMaxDelay, p.BaseDelay)
	}
	if p.Jitter == 0 {
		p.Jitter = DefaultRetryJitter
	}
	if p.MaxWait <= 0 {
		p.MaxWait = DefaultMaxRetryWait
	}
	if p.MaxRetryAfter <= 0 {
		p.MaxRetryAfter = DefaultMaxRetryAfter
	}
	if p.Retryable == nil {
		p.Retryable = Transient
	}
	return p
}

// Backoff returns the wait before retry number n (n >= 1): BaseDelay doubled n-1 times, at
// most MaxDelay, of which the Jitter share is random.
func (p RetryPolicy) Backoff(n int) time.Duration {
	d := p.BaseDelay
	for i := 1; i < n && d < p.MaxDelay; i++ {
		d *= 2
	}
	d = min(d, p.MaxDelay)
	if d <= 0 || p.Jitter <= 0 {
		return max(d, 0)
	}
	random := time.Duration(float64(d) * min(p.Jitter, 1))
	return d - random + rand.N(random+1)
}

// Transient is the default [RetryPolicy].Retryable: a 429, a 5xx, and a call that got no
// usable answer (a network error, a time-out, an answer cut short or unreadable) may go
// better later; any other answer of the API (a 4xx) would be the same again, and so would a
// call its caller cancelled.
func Transient(err error) bool {
	var e *Error
	if errors.As(err, &e) {
		return e.StatusCode == http.StatusTooManyRequests || e.StatusCode >= 500
	}
	return err != nil && !errors.Is(err, context.Canceled)
}

// Retries is one call's account of its retries under a [RetryPolicy]: the failures counted,
// the time waited. A retry loop asks it for the next wait ([Retries.Next],
// [Retries.NextLimited]) and waits through it ([Retries.Wait]). It is not safe for
// concurrent use; each call has its own.
type Retries struct {
	p        RetryPolicy
	failures int
	limited  int
	waited   time.Duration
}

// Start begins the account of one call's retries.
func (p RetryPolicy) Start() *Retries { return &Retries{p: p.withDefaults()} }

// Retryable reports whether the policy deems err worth repeating.
func (r *Retries) Retryable(err error) bool { return r.p.Retryable(err) }

// Next counts one more failure worth repeating and returns the wait before the next
// attempt: the server's Retry-After when it asked for one (retryAfter > 0), the backoff
// otherwise. ok is false when the policy allows no further attempt: the attempts are used
// up, or the server asked for longer than MaxRetryAfter.
func (r *Retries) Next(retryAfter time.Duration) (wait time.Duration, ok bool) {
	r.failures++
	if r.failures >= r.p.Attempts || retryAfter > r.p.MaxRetryAfter {
		return 0, false
	}
	return r.delay(r.failures, retryAfter), true
}

// NextLimited is [Retries.Next] for a 429 answer. Rate-limit answers cost no attempts (the
// request provably did nothing), but a call follows at most a dozen of them.
func (r *Retries) NextLimited(retryAfter time.Duration) (wait time.Duration, ok bool) {
	r.limited++
	if r.limited >= max429Attempts || retryAfter > r.p.MaxRetryAfter {
		return 0, false
	}
	return r.delay(r.limited, retryAfter), true
}

func (r *Retries) delay(n int, retryAfter time.Duration) time.Duration {
	if retryAfter > 0 {
		return retryAfter
	}
	return r.p.Backoff(n)
}

// Fits reports whether waiting d more keeps the call within MaxWait.
func (r *Retries) Fits(d time.Duration) bool { return r.waited+d <= r.p.MaxWait }

// errNoTime is Wait's refusal of a wait the call has no time for.
var errNoTime = errors.New("no time left to wait before trying again")

// Wait waits d before the next attempt and counts it toward MaxWait. It returns an error at
// once, without waiting, when d would take the call past MaxWait or past ctx's deadline
// (ctx.Err() is then nil: the call ran out of time, nobody cancelled it), and ctx's error
// when ctx ends during the wait.
func (r *Retries) Wait(ctx context.Context, d time.Duration) error {
	if !r.Fits(d) {
		return errNoTime
	}
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) < d {
		return errNoTime
	}
	if err := sleep(ctx, d); err != nil {
		return err
	}
	r.waited += d
	return nil
}

// idempotentMethod reports whether repeating a request with this method cannot change the
// outcome (RFC 9110 section 9.2.2, and PATCH as the Inbox API uses it: every PATCH body sets
// absolute values or adds/removes set members).
func idempotentMethod(m string) bool {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodPut, http.MethodDelete, http.MethodPatch:
		return true
	}
	return false
}
