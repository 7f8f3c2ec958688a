package inboxsim

import (
	"sort"
	"sync"
	"time"

	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/store"
)

// Documented default limits per team.
const (
	DefaultPerMinute = 300
	DefaultPerHour   = 10_000
	DefaultPerDay    = 100_000
)

type limitWindow struct {
	limit int
	span  time.Duration
}

// rateLimiter enforces sliding windows per team: a request is allowed when, in every window,
// fewer than limit requests were allowed during the preceding span. It keeps the times of the
// allowed requests of the longest window per team (at most PerDay of them).
type rateLimiter struct {
	mu       sync.Mutex
	windows  []limitWindow
	disabled bool
	now      func() time.Time
	teams    map[string]*hitLog
}

type hitLog struct {
	hits []int64 // Unix ms of allowed requests, ascending; hits[head:] are live
	head int
}

// limitResult is the outcome of one request and the values of its X-RateLimit-* headers.
type limitResult struct {
	allowed    bool
	limit      int
	remaining  int
	reset      time.Time
	retryAfter time.Duration
}

// newRateLimiter enforces the limits per minute, hour and day (0 takes the documented
// default); a disabled limiter allows everything and sets no headers.
func newRateLimiter(perMinute, perHour, perDay int, disabled bool, now func() time.Time) *rateLimiter {
	def := func(v, d int) int {
		if v == 0 {
			return d
		}
		return v
	}
	return &rateLimiter{
		disabled: disabled,
		now:      now,
		teams:    map[string]*hitLog{},
		windows: []limitWindow{
			{def(perMinute, DefaultPerMinute), time.Minute},
			{def(perHour, DefaultPerHour), time.Hour},
			{def(perDay, DefaultPerDay), 24 * time.Hour},
		},
	}
}

// take counts a request for the team if every window has room. The headers describe the
// window closest to its limit (ties go to the shortest window, so with room everywhere they
// show the per-minute window, as the docs' example does). Reset is when that window next
// gains room: when its oldest counted request leaves it.
func (l *rateLimiter) take(team string) limitResult {
	if l.disabled {
		return limitResult{allowed: true}
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	nowMS := store.Millis(now)
	log := l.teams[team]
	if log == nil {
		log = &hitLog{}
		l.teams[team] = log
	}
	longest := l.windows[len(l.windows)-1].span
	for _, w := range l.windows {
		longest = max(longest, w.span)
	}
	live := log.hits[log.head:]
	drop := sort.Search(len(live), func(i int) bool { return live[i] > nowMS-longest.Milliseconds() })
	log.head += drop
	if log.head > 1024 && log.head > len(log.hits)/2 {
		log.hits = append([]int64(nil), log.hits[log.head:]...)
		log.head = 0
	}
	live = log.hits[log.head:]
	type state struct {
		w     limitWindow
		count int
		first int64
	}
	states := make([]state, len(l.windows))
	allowed := true
	var retry time.Duration
	for i, w := range l.windows {
		from := sort.Search(len(live), func(j int) bool { return live[j] > nowMS-w.span.Milliseconds() })
		st := state{w: w, count: len(live) - from, first: nowMS}
		if st.count > 0 {
			st.first = live[from]
		}
		states[i] = st
		if st.count >= w.limit {
			allowed = false
			retry = max(retry, time.Duration(st.first+w.span.Milliseconds()-nowMS)*time.Millisecond)
		}
	}
	if allowed {
		log.hits = append(log.hits, nowMS)
		for i := range states {
			if states[i].count == 0 {
				states[i].first = nowMS
			}
			states[i].count++
		}
	}
	best := states[0]
	for _, st := range states[1:] {
		if st.w.limit-st.count < best.w.limit-best.count {
			best = st
		}
	}
	return limitResult{
		allowed:    allowed,
		limit:      best.w.limit,
		remaining:  max(0, best.w.limit-best.count),
		reset:      store.FromMillis(best.first + best.w.span.Milliseconds()),
		retryAfter: retry,
	}
}
