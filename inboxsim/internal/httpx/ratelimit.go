package httpx

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
	Limit int
	span  time.Duration
}

// RateLimiter enforces sliding windows per team: a request is allowed when, in every window,
// fewer than limit requests were allowed during the preceding span. It keeps the times of the
// allowed requests of the longest window per team (at most PerDay of them).
type RateLimiter struct {
	mu       sync.Mutex
	Windows  []limitWindow
	Disabled bool
	now      func() time.Time
	teams    map[string]*hitLog
}

type hitLog struct {
	hits []int64 // Unix ms of allowed requests, ascending; hits[head:] are live
	head int
}

// limitResult is the outcome of one request and the values of its X-RateLimit-* headers.
type limitResult struct {
	Allowed    bool
	Limit      int
	Remaining  int
	Reset      time.Time
	RetryAfter time.Duration
}

// NewRateLimiter enforces the limits per minute, hour and day (0 takes the documented
// default); a disabled limiter allows everything and sets no headers.
func NewRateLimiter(perMinute, perHour, perDay int, disabled bool, now func() time.Time) *RateLimiter {
	def := func(v, d int) int {
		if v == 0 {
			return d
		}
		return v
	}
	return &RateLimiter{
		Disabled: disabled,
		now:      now,
		teams:    map[string]*hitLog{},
		Windows: []limitWindow{
			{def(perMinute, DefaultPerMinute), time.Minute},
			{def(perHour, DefaultPerHour), time.Hour},
			{def(perDay, DefaultPerDay), 24 * time.Hour},
		},
	}
}

// Take counts a request for the team if every window has room. The headers describe the
// window closest to its limit (ties go to the shortest window, so with room everywhere they
// show the per-minute window, as the docs' example does). Reset is when that window next
// gains room: when its oldest counted request leaves it.
func (l *RateLimiter) Take(team string) limitResult {
	if l.Disabled {
		return limitResult{Allowed: true}
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
	longest := l.Windows[len(l.Windows)-1].span
	for _, w := range l.Windows {
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
	states := make([]state, len(l.Windows))
	allowed := true
	var retry time.Duration
	for i, w := range l.Windows {
		from := sort.Search(len(live), func(j int) bool { return live[j] > nowMS-w.span.Milliseconds() })
		st := state{w: w, count: len(live) - from, first: nowMS}
		if st.count > 0 {
			st.first = live[from]
		}
		states[i] = st
		if st.count >= w.Limit {
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
		if st.w.Limit-st.count < best.w.Limit-best.count {
			best = st
		}
	}
	return limitResult{
		Allowed:    allowed,
		Limit:      best.w.Limit,
		Remaining:  max(0, best.w.Limit-best.count),
		Reset:      store.FromMillis(best.first + best.w.span.Milliseconds()),
		RetryAfter: retry,
	}
}
