package inboxsim

import (
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

// faultInjector decides, per request, which configured faults apply. Its random source is
// seeded from Options.Seed, so a sequential test sees the same faults on every run.
type faultInjector struct {
	mu         sync.Mutex
	f          Faults
	burstsLeft int
	rng        *rand.Rand
	nextError  int
}

// faultPlan is what happens to one request.
type faultPlan struct {
	delay    time.Duration
	status   int // injected 5xx, 0 for none
	burst    bool
	drop     bool
	truncate bool
}

func newFaultInjector(f Faults, seed int64) *faultInjector {
	return &faultInjector{f: f, burstsLeft: f.RateLimitBurst, rng: rand.New(rand.NewPCG(uint64(seed), 0xfa017))}
}

func (fi *faultInjector) set(f Faults) {
	fi.mu.Lock()
	defer fi.mu.Unlock()
	fi.f, fi.burstsLeft = f, f.RateLimitBurst
}

// injectedStatuses are the 5xx answers an overloaded or failing API gives; they rotate so
// clients see each.
var injectedStatuses = []int{http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable}

func (fi *faultInjector) plan(r *http.Request) faultPlan {
	fi.mu.Lock()
	defer fi.mu.Unlock()
	f := fi.f
	if len(f.Methods) > 0 && !slices.ContainsFunc(f.Methods, func(m string) bool { return strings.EqualFold(m, r.Method) }) {
		return faultPlan{}
	}
	if f.PathContains != "" && !strings.Contains(r.URL.Path, f.PathContains) {
		return faultPlan{}
	}
	var p faultPlan
	p.delay = f.Latency
	if f.Jitter > 0 {
		p.delay += time.Duration(fi.rng.Int64N(int64(f.Jitter)))
	}
	switch {
	case fi.burstsLeft > 0:
		fi.burstsLeft--
		p.burst = true
	case f.ErrorRate > 0 && fi.rng.Float64() < f.ErrorRate:
		p.status = injectedStatuses[fi.nextError%len(injectedStatuses)]
		fi.nextError++
	case f.DropAfterProcessRate > 0 && fi.rng.Float64() < f.DropAfterProcessRate:
		p.drop = true
	case f.TruncateRate > 0 && fi.rng.Float64() < f.TruncateRate:
		p.truncate = true
	}
	return p
}

// current returns the faults in force.
func (fi *faultInjector) current() Faults {
	fi.mu.Lock()
	defer fi.mu.Unlock()
	return fi.f
}
