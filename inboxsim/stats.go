package inboxsim

import (
	"maps"
	"sync"
)

// Stats are the simulator's request counters since it started.
type Stats struct {
	// Requests is the number of requests received.
	Requests int64
	// ByStatus counts the responses sent, by HTTP status code. Dropped connections sent none.
	ByStatus map[int]int64
	// RateLimited counts the 429s of the rate limiter (injected 429s are in Faults).
	RateLimited int64
	// Faults counts the injected faults by kind.
	Faults FaultCounts
}

// FaultCounts counts injected faults by kind.
type FaultCounts struct {
	Delayed         int64 // requests given added latency
	Errors          int64 // 5xx answers
	RateLimitBursts int64 // injected 429s
	Dropped         int64 // processed, then the connection was closed without a response
	Truncated       int64 // responses cut short
}

// Total is the number of injected faults, latency excluded.
func (c FaultCounts) Total() int64 {
	return c.Errors + c.RateLimitBursts + c.Dropped + c.Truncated
}

type statsCounter struct {
	mu sync.Mutex
	s  Stats
}

func newStatsCounter() *statsCounter {
	return &statsCounter{s: Stats{ByStatus: map[int]int64{}}}
}

func (c *statsCounter) update(fn func(s *Stats)) {
	c.mu.Lock()
	fn(&c.s)
	c.mu.Unlock()
}

// InjectedError counts an injected 5xx.
func (c *statsCounter) InjectedError() { c.update(func(s *Stats) { s.Faults.Errors++ }) }

// InjectedBurst counts an injected 429.
func (c *statsCounter) InjectedBurst() { c.update(func(s *Stats) { s.Faults.RateLimitBursts++ }) }

// RateLimited counts a 429 of the rate limiter.
func (c *statsCounter) RateLimited() { c.update(func(s *Stats) { s.RateLimited++ }) }

func (c *statsCounter) snapshot() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := c.s
	out.ByStatus = maps.Clone(c.s.ByStatus)
	return out
}
