package apiclient

import (
	"math"
	"net/http"
	"strconv"
	"time"
)

// maxPause bounds a hold derived from a minute window's Reset (or a Retry-After): the
// documented window is one minute, so a longer hold can only come from clock skew between
// us and the server. Headers that describe the hour or day window (a Limit at or above the
// hour's) are bounded by that window's span instead.
const maxPause = time.Minute

// horizon is the longest a Reset can lie ahead for a window of this limit.
func (l *limiter) horizon(limit int) time.Duration {
	switch {
	case limit >= l.cfg.dayLim:
		return 24 * time.Hour
	case limit >= l.cfg.hourLimit:
		return time.Hour
	}
	return maxPause
}

// reserveOf is the part of a window of this limit left to the team's other tools.
func (l *limiter) reserveOf(limit int) int {
	return int(math.Ceil(l.cfg.reserve * float64(limit)))
}

// slowZone is how far above the reserve the limiter starts slowing down: a tenth of the
// window, so a tool call of a few dozen requests runs at full speed on a fresh window.
func slowZone(limit int) int { return max(limit/10, 1) }

// estimate is the window's remaining budget now, as far as this client knows: the newest
// answer's Remaining less every request of ours it may not have counted (those let out
// after the one it answered, and those before it that had no answer yet when it came).
// Called with mu held and obs valid.
func (l *limiter) estimate() int {
	return l.obs.remaining - int(l.seq-l.obs.seq) - l.obs.unsure
}

// olderInFlight counts the requests before id still without an answer. Called with mu held.
func (l *limiter) olderInFlight(id uint64) int {
	n := 0
	for k := range l.inflight {
		if k < id {
			n++
		}
	}
	return n
}

// headroom is what this client may still spend before the reserve. Called with mu held and
// obs valid.
func (l *limiter) headroom() int { return l.estimate() - l.reserveOf(l.obs.limit) }

// interval is the pause after a request let out at now: none while the headroom is above
// the slow zone; within it T/h - T/Z for headroom h, zone Z and T until Reset, which is
// zero at the zone's edge and grows smoothly towards spreading the last requests above the
// reserve over the time until Reset (T/h). Called with mu held and obs valid.
func (l *limiter) interval(now time.Time) time.Duration {
	h, z := l.headroom(), slowZone(l.obs.limit)
	t := l.obs.reset.Sub(now)
	if h >= z || t <= 0 {
		return 0
	}
	if h <= 0 {
		return t
	}
	return time.Duration(float64(t)/float64(h) - float64(t)/float64(z))
}

// pause makes every caller hold for d (bounded by maxPause). Called with mu held.
func (l *limiter) pause(now time.Time, d time.Duration) {
	if until := now.Add(min(d, maxPause)); until.After(l.paused) {
		l.paused = until
	}
}

// observe takes in the answer to request id (nil h when none came): its rate-limit headers,
// a 429's Retry-After.
func (l *limiter) observe(id uint64, h http.Header, status int, retryAfter time.Duration) {
	if l.bucket == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	defer l.signal()
	delete(l.inflight, id)
	if l.probe == id {
		l.probe = 0
	}
	now := l.now()
	limit, err := strconv.Atoi(h.Get("X-RateLimit-Limit"))
	if err != nil || limit <= 0 {
		limit = l.cfg.perMinute
		if l.obs.valid {
			limit = l.obs.limit
		}
	}
	if status == http.StatusTooManyRequests {
		if retryAfter <= 0 {
			retryAfter = time.Second
		}
		l.pause(now, retryAfter)
		if id >= l.obs.seq {
			// Someone spent the window: nothing is left until Retry-After, then probe.
			l.obs = observation{valid: true, seq: l.seq, unsure: len(l.inflight), limit: limit, remaining: 0, reset: now.Add(min(retryAfter, maxPause))}
		}
		return
	}
	remaining, err := strconv.Atoi(h.Get("X-RateLimit-Remaining"))
	if err != nil && status != 0 && l.obs.valid && !now.Before(l.obs.reset) {
		// An answer without headers once the last report has run out: back to pacing
		// at the configured rate until headers come again.
		l.obs, l.probe = observation{}, 0
		return
	}
	if err != nil || id < l.obs.seq {
		// No headers, or an answer older than the one the estimate rests on.
		return
	}
	reset := now.Add(time.Second)
	if r, err := strconv.ParseInt(h.Get("X-RateLimit-Reset"), 10, 64); err == nil {
		reset = time.Unix(r, 0)
	}
	if bound := now.Add(l.horizon(limit)); reset.After(bound) {
		reset = bound
	}
	l.obs = observation{valid: true, seq: id, unsure: l.olderInFlight(id), limit: limit, remaining: max(remaining, 0), reset: reset}
	if l.headroom() >= slowZone(limit) {
		l.nextSlot = time.Time{}
	}
}
