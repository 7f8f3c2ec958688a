package apiclient

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/inbox-mcp/inbox-mcp/inbox"
)

// limiter keeps one Client within the team's request budget while spending what the API
// allows. The budget is per team, shared by every tool using its key, and the API reports
// it on every answer (X-RateLimit-Limit, -Remaining, -Reset), so the limiter follows the
// headers rather than a fixed pace:
//
//   - Requests go out as fast as they come while the window's remaining budget stays well
//     above a reserve (RateReserve of the limit) left for the team's other tools.
//   - In the last stretch above the reserve (a tenth of the limit) it slows down smoothly,
//     spreading what is left above the reserve over the time until Reset; it never spends
//     the reserve: with only the reserve left, callers hold until Reset, then one request at
//     a time probes whether the window has room again.
//   - A 429 holds every caller until its Retry-After.
//   - Before the first answer with headers, or with an API that sends none, it paces at the
//     configured rate per minute with a small burst (a token bucket).
//   - It counts its own requests over sliding minute, hour and day windows: never more than
//     the configured rate in a minute, and work marked with [inbox.Background] waits when this
//     client's requests of the last hour or day reach BackgroundShare of the team's limits.
//   - A caller a person waits for goes before background work whenever both wait.
//
// Requests in flight are not yet in the headers of other answers, so the remaining budget is
// estimated from the newest answer less every request that answer may not have counted.
type limiter struct {
	cfg limiterConfig
	// now and timer are the clock; tests inject a fake one.
	now   func() time.Time
	timer func(time.Duration) (<-chan time.Time, func() bool)

	mu       sync.Mutex
	bucket   *rate.Limiter // the pacing without headers
	changed  chan struct{} // closed (and replaced) when waiters should look again
	fgWait   int           // callers a person waits for that are waiting
	waiters  int           // callers waiting, background ones included
	paused   time.Time     // every caller holds until then (a 429)
	seq      uint64        // requests let through so far; each has its number
	inflight map[uint64]struct{}
	obs      observation
	probe    uint64    // the request probing a window thought used up, 0 when none
	nextSlot time.Time // pacing near the reserve: the next request not before then
	minute   *slidingCount
	hour     *slidingCount
	day      *slidingCount
}

// limiterConfig is what the limiter takes from [Config].
type limiterConfig struct {
	perMinute         int // -1: off
	reserve           float64
	bgShare           float64
	hourLimit, dayLim int
}

func limiterConfigOf(c Config) limiterConfig {
	return limiterConfig{perMinute: c.RatePerMinute, reserve: max(c.RateReserve, 0), bgShare: c.BackgroundShare,
		hourLimit: c.HourLimit, dayLim: c.DayLimit}
}

// observation is what the newest answer said about the window.
type observation struct {
	valid     bool
	seq       uint64 // the request it answered
	unsure    int    // requests before seq still unanswered when it came: maybe not counted
	limit     int
	remaining int
	reset     time.Time
}

func newLimiter(c limiterConfig) *limiter {
	l := &limiter{cfg: c, now: time.Now, timer: realTimer}
	if c.perMinute < 0 {
		return l
	}
	// A small burst lets a tool fetch a handful of directories at once without waiting,
	// while keeping a minute's total within a few percent of the budget.
	burst := min(max(c.perMinute/20, 1), 20)
	l.bucket = rate.NewLimiter(rate.Limit(float64(c.perMinute)/60), burst)
	l.changed = make(chan struct{})
	l.inflight = map[uint64]struct{}{}
	l.minute = newSlidingCount(time.Minute, time.Second)
	l.hour = newSlidingCount(time.Hour, time.Minute)
	l.day = newSlidingCount(24*time.Hour, 5*time.Minute)
	return l
}

func realTimer(d time.Duration) (<-chan time.Time, func() bool) {
	t := time.NewTimer(d)
	return t.C, t.Stop
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

// forever is the delay of a caller that waits for an event (an answer, a caller ahead of
// it leaving), not for a time.
const forever = time.Duration(math.MaxInt64)

// wait blocks until the request may go out, or ctx ends, and returns the request's number
// for [limiter.observe]. A wait longer than maxWait fails at once with a 429-like *Error
// carrying the wait as RetryAfter (a caller is better told "retry in 45s" than left
// hanging), and a wait that cannot finish before ctx's deadline fails at once instead of
// sleeping in vain.
func (l *limiter) wait(ctx context.Context, maxWait time.Duration) (uint64, error) {
	if l.bucket == nil {
		return 0, ctx.Err()
	}
	bg := inbox.IsBackground(ctx)
	waiting := false
	l.mu.Lock()
	leave := func() {
		if waiting {
			l.waiters--
			if !bg {
				l.fgWait--
				l.signal()
			}
		}
		waiting = false
	}
	for {
		if err := ctx.Err(); err != nil {
			leave()
			l.mu.Unlock()
			return 0, err
		}
		now := l.now()
		d, why := l.delay(now, bg)
		if bg && l.fgWait > 0 {
			d = max(d, forever) // a caller a person waits for goes first
		}
		if d <= 0 {
			leave()
			id := l.admit(now)
			l.mu.Unlock()
			return id, nil
		}
		if d != forever {
			if d > maxWait {
				leave()
				l.mu.Unlock()
				return 0, &Error{StatusCode: http.StatusTooManyRequests, Code: "RATE_LIMITED", RetryAfter: d, Message: why}
			}
			if dl, ok := ctx.Deadline(); ok && dl.Sub(now) < d {
				leave()
				l.mu.Unlock()
				return 0, errLimiterDeadline{wait: d}
			}
		}
		if !waiting {
			l.waiters++
			if !bg {
				l.fgWait++
			}
		}
		waiting = true
		changed := l.changed
		l.mu.Unlock()
		var fire <-chan time.Time
		stop := func() bool { return false }
		if d != forever {
			fire, stop = l.timer(d)
		}
		select {
		case <-ctx.Done():
		case <-fire:
		case <-changed:
		}
		stop()
		l.mu.Lock()
	}
}

// signal wakes every waiter to look again. Called with mu held.
func (l *limiter) signal() {
	close(l.changed)
	l.changed = make(chan struct{})
}

// delay is how long a caller must still wait at now (forever: until something changes),
// and why, in words for a refusal. Called with mu held.
func (l *limiter) delay(now time.Time, bg bool) (time.Duration, string) {
	if d := l.paused.Sub(now); d > 0 {
		return d, "the team's request budget is used up until the rate-limit window resets (held by the client)"
	}
	if l.minute.count(now) >= l.cfg.perMinute {
		return l.minute.roomAt(now, l.cfg.perMinute).Sub(now),
			fmt.Sprintf("the client-side limit of %d requests per minute is reached", l.cfg.perMinute)
	}
	if bg {
		for _, w := range []struct {
			c     *slidingCount
			limit int
			name  string
		}{{l.hour, l.cfg.hourLimit, "hour"}, {l.day, l.cfg.dayLim, "day"}} {
			share := max(int(l.cfg.bgShare*float64(w.limit)), 1)
			if w.c.count(now) >= share {
				return w.c.roomAt(now, share).Sub(now),
					fmt.Sprintf("background work has used its share (%d requests) of the team's %s window", share, w.name)
			}
		}
	}
	if !l.obs.valid {
		if tokens := l.bucket.TokensAt(now); tokens < 1 {
			d := time.Duration((1 - tokens) / float64(l.bucket.Limit()) * float64(time.Second))
			return max(d, time.Nanosecond), fmt.Sprintf("the client-side limit of %d requests per minute has no free slot for %s", l.cfg.perMinute, d.Round(time.Second))
		}
		return 0, ""
	}
	if l.headroom() <= 0 {
		if d := l.obs.reset.Sub(now); d > 0 {
			return d, "only the reserve left for the team's other tools remains in the rate-limit window until it resets"
		}
		if l.probe != 0 {
			return forever, ""
		}
		return 0, ""
	}
	if d := l.nextSlot.Sub(now); d > 0 {
		return d, "the client is slowing down as the team's rate-limit window nears its reserve"
	}
	return 0, ""
}

// admit lets a request out at now and returns its number. Called with mu held.
func (l *limiter) admit(now time.Time) uint64 {
	probe := l.obs.valid && l.headroom() <= 0
	l.seq++
	id := l.seq
	l.inflight[id] = struct{}{}
	l.minute.add(now)
	l.hour.add(now)
	l.day.add(now)
	switch {
	case !l.obs.valid:
		l.bucket.AllowN(now, 1)
	case probe:
		l.probe = id
	default:
		l.nextSlot = now.Add(l.interval(now))
	}
	return id
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
