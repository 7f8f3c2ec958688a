package inboxsim

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"sync"
	"time"

	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/httpx"
	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/seed"
	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/store"
	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/v1api"
	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/v2api"
)

// DemoToken is the bearer token the simulator accepts when Options.Tokens is nil. It is not a
// secret: it opens the seeded demo team and nothing else.
const DemoToken = "inbox-demo-token"

// The documented rate limits per team, which a zero field of RateLimits takes.
const (
	DefaultPerMinute = httpx.DefaultPerMinute
	DefaultPerHour   = httpx.DefaultPerHour
	DefaultPerDay    = httpx.DefaultPerDay
)

// V2Prefix is where the Inbox API v2 is served, next to v1's /api/v1, over the same store.
const V2Prefix = v2api.Prefix

// MaxScale bounds Options.Scale; 1,000 is 200,000 threads and about 3,000,000 messages.
const MaxScale = 1000

// Options configures a simulator. The zero value is a valid configuration: an in-memory store
// seeded with seed 1 at scale 1, the demo token, the documented rate limits, no faults.
type Options struct {
	// DBPath is the SQLite file to use; "" keeps everything in memory. A file persists across
	// restarts: it is seeded only when it is new, later runs keep whatever it holds.
	DBPath string
	// Seed selects the deterministic data set (0 means 1).
	Seed int64
	// Scale sizes the data set: 1 is about 200 threads and 3,000 messages (0 means 1); 34 is
	// about 100,000 messages. At most MaxScale.
	Scale float64
	// Now is the clock (nil means time.Now). Seeded timestamps are relative to Now() when the
	// store is seeded, so relative questions ("no reply for 3 hours") have answers.
	Now func() time.Time
	// Tokens are the bearer tokens accepted for the seeded team; nil means {DemoToken}.
	Tokens []string
	// RateLimit sets the per-team limits; the zero value means the documented ones.
	RateLimit RateLimits
	// Faults are injected into responses; change them at run time with SetFaults.
	Faults Faults
	// Replies makes the prospect answer each message sent through the API after ReplyDelay.
	Replies bool
	// ReplyDelay is how long a simulated prospect takes to answer (0 means 4 seconds).
	ReplyDelay time.Duration
	// Logger receives operational logs (nil discards them). Message text is never logged.
	Logger *slog.Logger
	// Wait, when non-nil, replaces the wall-clock waits of the injected faults (see
	// [FaultWait]): it returns when the wait is over, or with an error to abandon a
	// request that is waiting before being processed. Tests use it to hold a request exactly
	// until what they need has happened (the client gave up, a retry was answered) instead
	// of racing a timer; nil waits on the wall clock.
	Wait func(FaultWait) error
}

// FaultWait is one wait injected by Faults, handed to Options.Wait.
type FaultWait struct {
	// Send is false for the wait of Faults.Latency and Jitter, before the request is
	// processed (Context is the request's: it ends when the client goes away, and the
	// request is then abandoned unprocessed), and true for Faults.SendDelay, after a v2
	// send stored its message (Context does not end with the client: the send finishes
	// whatever the client does).
	Send bool
	// Duration is the wait the faults drew.
	Duration time.Duration
	// Request is the request that waits.
	Request *http.Request
	// Context ends the wait early, as described for Send.
	Context context.Context
}

// wallClockWait is the default Options.Wait: Duration on the real clock, ended early by
// Context.
func wallClockWait(w FaultWait) error {
	t := time.NewTimer(w.Duration)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-w.Context.Done():
		return w.Context.Err()
	}
}

// RateLimits are the request limits per team, enforced together over sliding windows. A zero
// field takes the documented default (300 per minute, 10,000 per hour, 100,000 per day).
// Disabled turns limiting, and the X-RateLimit-* headers, off.
type RateLimits struct {
	PerMinute, PerHour, PerDay int
	Disabled                   bool
}

// Faults describes failures to inject, for testing how clients cope with an unreliable API.
// Rates are probabilities in [0, 1] applied per request.
type Faults struct {
	// Latency is added to every request, plus a random share of Jitter.
	Latency time.Duration
	Jitter  time.Duration
	// ErrorRate is the share of requests answered with a 5xx before any processing.
	ErrorRate float64
	// RateLimitBurst makes the next N requests fail with 429 and Retry-After: 1.
	RateLimitBurst int
	// DropAfterProcessRate is the share of requests that are fully processed (side effects
	// committed) but whose connection is then closed without a response: the ambiguous failure
	// that makes blind retries of sends dangerous.
	DropAfterProcessRate float64
	// TruncateRate is the share of responses whose body is cut short (the connection closes
	// after part of it).
	TruncateRate float64
	// Methods limits the faults to these HTTP methods (nil means all).
	Methods []string
	// PathContains limits the faults to request paths containing it ("" means all).
	PathContains string
	// SendUnconfirmedRate is the share of v2 sends (POST /api/v2/messages) whose message is
	// stored but answered 502 sendUnconfirmed: the platform took it without confirming it.
	SendUnconfirmedRate float64
	// SendDelay is how long a v2 send stays in flight after its message is stored, before it
	// is answered; a retry with the same Idempotency-Key meanwhile gets 409 sendInProgress.
	SendDelay time.Duration
}

func (f Faults) validate() error {
	for name, v := range map[string]float64{"ErrorRate": f.ErrorRate, "DropAfterProcessRate": f.DropAfterProcessRate, "TruncateRate": f.TruncateRate, "SendUnconfirmedRate": f.SendUnconfirmedRate} {
		if v < 0 || v > 1 || math.IsNaN(v) {
			return fmt.Errorf("inboxsim: Faults.%s is %v; use a share between 0 and 1", name, v)
		}
	}
	if f.Latency < 0 || f.Jitter < 0 || f.RateLimitBurst < 0 || f.SendDelay < 0 {
		return errors.New("inboxsim: Faults.Latency, Jitter, RateLimitBurst and SendDelay must not be negative")
	}
	return nil
}

// Sim is the Inbox API simulator: an http.Handler serving the v1 API under /api/v1 and the v2
// API under /api/v2 over one seeded store. It is safe for concurrent use.
type Sim struct {
	store   *store.Store
	log     *slog.Logger
	now     func() time.Time
	wait    func(FaultWait) error
	teamID  string
	faults  *faultInjector
	stats   *statsCounter
	v1      *v1api.API
	v2      *v2api.API
	replies *replier
	closeMu sync.Mutex
	closed  bool
}

// New opens (or creates) the store, seeds it when it is empty and returns the simulator.
func New(opts Options) (*Sim, error) {
	opts, err := opts.normalized()
	if err != nil {
		return nil, err
	}
	st, err := store.Open(opts.DBPath, opts.Now, opts.Logger, seed.Strangers)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	seeded, err := seed.IfEmpty(context.Background(), st, opts.Seed, opts.Scale)
	if err != nil {
		st.Close()
		return nil, fmt.Errorf("inboxsim: seed the store: %w", err)
	}
	if seeded {
		opts.Logger.Info("seeded the simulator store", "seed", opts.Seed, "scale", opts.Scale, "took", time.Since(start).Round(time.Millisecond))
	}
	return newSim(opts, st)
}

// normalized applies the defaults of the zero values and validates the options.
func (opts Options) normalized() (Options, error) {
	if opts.Seed == 0 {
		opts.Seed = 1
	}
	if opts.Scale == 0 {
		opts.Scale = 1
	}
	if opts.Scale < 0 || opts.Scale > MaxScale || math.IsNaN(opts.Scale) {
		return opts, fmt.Errorf("inboxsim: Scale %v is out of range; use a value above 0 and at most %d (1 = about 3,000 messages)", opts.Scale, MaxScale)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Tokens == nil {
		opts.Tokens = []string{DemoToken}
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Wait == nil {
		opts.Wait = wallClockWait
	}
	if opts.ReplyDelay <= 0 {
		opts.ReplyDelay = 4 * time.Second
	}
	if err := opts.Faults.validate(); err != nil {
		return opts, err
	}
	if len(opts.Tokens) == 0 {
		return opts, errors.New("inboxsim: Tokens is empty; pass nil for the demo token or at least one token")
	}
	for _, t := range opts.Tokens {
		if t == "" {
			return opts, errors.New("inboxsim: Tokens contains an empty token")
		}
	}
	return opts, nil
}

// newSim builds the simulator over an opened, seeded store; it owns the store from here on.
func newSim(opts Options, st *store.Store) (*Sim, error) {
	ctx := context.Background()
	if err := st.PruneEvents(ctx); err != nil {
		st.Close()
		return nil, err
	}
	if err := st.InitV2(ctx, seed.V2); err != nil {
		st.Close()
		return nil, fmt.Errorf("inboxsim: prepare the v2 data: %w", err)
	}
	team, err := st.FirstTeamID(ctx)
	if err != nil || team == "" {
		st.Close()
		return nil, fmt.Errorf("inboxsim: the store has no team (err: %v); delete %q and start again", err, opts.DBPath)
	}
	s := &Sim{
		store:  st,
		log:    opts.Logger,
		now:    opts.Now,
		wait:   opts.Wait,
		teamID: team,
		faults: newFaultInjector(opts.Faults, opts.Seed),
		stats:  newStatsCounter(),
	}
	rl := opts.RateLimit
	fr := &httpx.Front{Tokens: map[string]string{}, Counter: s.stats, Now: opts.Now,
		Limiter: httpx.NewRateLimiter(rl.PerMinute, rl.PerHour, rl.PerDay, rl.Disabled, opts.Now)}
	for _, t := range opts.Tokens {
		fr.Tokens[t] = team
	}
	if opts.Replies {
		s.replies = newReplier(s, opts.ReplyDelay, opts.Seed)
	}
	s.v1 = v1api.New(st, opts.Logger, fr, s.scheduleReply)
	s.v2 = v2api.New(st, opts.Logger, fr, s.scheduleReply, opts.Seed, DemoToken)
	s.v2.SendFaults = func() (float64, time.Duration) {
		f := s.faults.current()
		return f.SendUnconfirmedRate, f.SendDelay
	}
	s.v2.WaitSend = func(r *http.Request, d time.Duration) error {
		return s.wait(FaultWait{Send: true, Duration: d, Request: r, Context: context.WithoutCancel(r.Context())})
	}
	return s, nil
}

// SetFaults replaces the injected faults; a RateLimitBurst starts counting anew.
func (s *Sim) SetFaults(f Faults) {
	if err := f.validate(); err != nil {
		s.log.Warn("ignoring invalid faults", "err", err)
		return
	}
	s.faults.set(f)
}

// Stats returns a snapshot of the request counters.
func (s *Sim) Stats() Stats { return s.stats.snapshot() }

// Close stops pending simulated replies and closes the store.
func (s *Sim) Close() error {
	s.closeMu.Lock()
	defer s.closeMu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	if s.replies != nil {
		s.replies.stop()
	}
	return s.store.Close()
}

// ServeHTTP serves the v1 API under /api/v1 and the v2 API under /api/v2.
func (s *Sim) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.serve(w, r) }
