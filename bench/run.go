package bench

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/inbox-mcp/inbox-mcp/apiclient"
	"github.com/inbox-mcp/inbox-mcp/inboxsim"
	"github.com/inbox-mcp/inbox-mcp/internal/server"
	"github.com/inbox-mcp/inbox-mcp/tools"
)

// Config is how the suite runs: the data set, the simulated network and the rate limit.
type Config struct {
	// Seed selects the simulator's data set.
	Seed int64
	// Latency and Jitter are added to every API request (Latency plus a uniform share of
	// Jitter).
	Latency, Jitter time.Duration
	// RatePerMinute is the API's request limit, enforced by the simulator and kept by the
	// server's client; 0 turns it off on both sides.
	RatePerMinute int
	// SimProcess runs each simulator in a child process (see StartSimulator).
	SimProcess bool
	// Binary is the inbox-mcp binary that Stdio scenarios and cold starts run.
	Binary string
	// Tokenizer counts the tokens of the answers.
	Tokenizer *Tokenizer
}

// DefaultConfig is the suite's standard setting: seed 1, 80 ms ± 20 ms of API latency (60
// ms plus up to 40 ms), and the documented limit of 300 requests a minute.
func DefaultConfig() Config {
	return Config{Seed: 1, Latency: 60 * time.Millisecond, Jitter: 40 * time.Millisecond,
		RatePerMinute: apiclient.DefaultRatePerMinute}
}

// Result is what one scenario cost.
type Result struct {
	Scenario, Task string
	Scale          float64
	Stdio          bool
	Usage
	// APIRequests counts the requests the simulator received during the task.
	APIRequests int64
	// RateLimited counts the simulator's 429 answers among them.
	RateLimited int64
	Wall        time.Duration
	// Heap is the Go heap of this process during an in-process task.
	Heap HeapUse
	// PeakRSS is the server process's peak resident set size, for a Stdio task.
	PeakRSS uint64
	// Bound is the least time the task's requests need at the API's latency and limit with
	// the client's reserve kept (Config.Bound), for a FanOut task; 0 otherwise.
	Bound time.Duration
	// Minimum is the fewest API requests the task needs, for a task that knows it (0
	// otherwise); Bound is then the least time of those requests.
	Minimum int64
	// Note says what came back, in a few words.
	Note string
}

// Ratio is the share of the rate-limit bound achieved: Bound ÷ Wall (1 means the task ran
// exactly as fast as the limit allows; above 1, the client's small burst let it beat the
// steady rate).
func (r Result) Ratio() float64 {
	if r.Bound == 0 || r.Wall == 0 {
		return 0
	}
	return r.Bound.Seconds() / r.Wall.Seconds()
}

// Run plays one scenario on a fresh simulator and a fresh server, so that no scenario
// inherits another's caches or rate-limit window. Setting up (seeding, connecting,
// initialize) is not measured, except for a Stdio scenario, which is timed from the spawn.
func Run(ctx context.Context, cfg Config, sc Scenario) (Result, error) {
	res := Result{Scenario: sc.Name, Task: sc.Task, Scale: sc.Scale, Stdio: sc.Stdio}
	if cfg.Tokenizer == nil {
		return res, errors.New("bench: Config.Tokenizer is nil: make one with NewTokenizer")
	}
	if sc.Stdio && cfg.Binary == "" {
		return res, fmt.Errorf("scenario %s runs the inbox-mcp binary: build it and set Config.Binary", sc.Name)
	}
	sim, err := StartSimulator(ctx, SimOptions{Seed: cfg.Seed, Scale: sc.Scale, Latency: cfg.Latency, Jitter: cfg.Jitter,
		RatePerMinute: cfg.RatePerMinute}, cfg.SimProcess)
	if err != nil {
		return res, err
	}
	defer sim.Close()
	var sess *Session
	if sc.Stdio {
		err = runStdio(ctx, cfg, sc, sim, &res, &sess)
	} else {
		err = runInProcess(ctx, cfg, sc, sim, &res, &sess)
	}
	if sess != nil {
		res.Usage = sess.Usage(cfg.Tokenizer)
	}
	if err != nil {
		return res, fmt.Errorf("scenario %s: %w", sc.Name, err)
	}
	if sc.FanOut && cfg.RatePerMinute > 0 {
		n := res.APIRequests
		if res.Minimum > 0 {
			n = res.Minimum
		}
		res.Bound = cfg.Bound(n)
	}
	return res, nil
}

// Usable is how many requests a minute the server's client may spend: the limit less the
// reserve it leaves for the team's other tools (apiclient.DefaultRateReserve).
func (c Config) Usable() int {
	return max(1, int(float64(c.RatePerMinute)*(1-apiclient.DefaultRateReserve)))
}

// Bound is the least time n requests need at the API's latency and limit with the reserve
// kept: every full minute's worth of usable requests beyond the first waits for the window
// to move on, and the rest go tools.Workers at a time, each taking the mean latency.
func (c Config) Bound(n int64) time.Duration {
	if n <= 0 || c.RatePerMinute <= 0 {
		return 0
	}
	usable := int64(c.Usable())
	windows := (n - 1) / usable
	rest := n - windows*usable
	rounds := (rest + tools.Workers - 1) / tools.Workers
	return time.Duration(windows)*time.Minute + time.Duration(rounds)*(c.Latency+c.Jitter/2)
}

func clientRate(cfg Config) int {
	if cfg.RatePerMinute <= 0 {
		return -1
	}
	return cfg.RatePerMinute
}

func runInProcess(ctx context.Context, cfg Config, sc Scenario, sim *Simulator, res *Result, sessp **Session) error {
	// Built as the binary builds it, with the simulator's key on API v1 (sim.URL is its root).
	srv, err := server.New(ctx, server.Config{Key: sim.Token,
		API: server.API{URL: sim.URL, Client: apiclient.Config{RatePerMinute: clientRate(cfg)}}})
	if err != nil {
		return err
	}
	defer srv.Close()
	sess, err := NewInProcessSession(ctx, srv.MCP)
	if err != nil {
		return err
	}
	defer sess.Close()
	*sessp = sess
	before, err := sim.Stats()
	if err != nil {
		return err
	}
	heap := StartHeapSampler(0)
	start := time.Now()
	senv := &Env{Session: sess, Fixtures: sim.Fixtures}
	res.Note, err = sc.Run(ctx, senv)
	res.Minimum = senv.minimum
	res.Wall = time.Since(start)
	res.Heap = heap.Stop()
	if err != nil {
		return err
	}
	return requests(sim, before, res)
}

func runStdio(ctx context.Context, cfg Config, sc Scenario, sim *Simulator, res *Result, sessp **Session) error {
	before, err := sim.Stats()
	if err != nil {
		return err
	}
	rate := cfg.RatePerMinute
	if rate <= 0 {
		// The binary wants a budget; its largest is far above anything a scenario sends.
		rate = 100_000
	}
	env := []string{"INBOX_API_URL=" + sim.URL, "INBOX_API_KEY=" + sim.Token,
		"INBOX_RATE_LIMIT=" + strconv.Itoa(rate), "INBOX_LOG_LEVEL=warn"}
	start := time.Now()
	sess, err := NewStdioSession(ctx, cfg.Binary, nil, env)
	if err != nil {
		return err
	}
	defer sess.Close()
	*sessp = sess
	senv := &Env{Session: sess, Fixtures: sim.Fixtures}
	res.Note, err = sc.Run(ctx, senv)
	res.Minimum = senv.minimum
	res.Wall = time.Since(start)
	if err != nil {
		return err
	}
	if res.PeakRSS, err = PeakRSS(sess.PID()); err != nil {
		return err
	}
	return requests(sim, before, res)
}

// requests sets the task's API request counts from the simulator's counters.
func requests(sim *Simulator, before inboxsim.Stats, res *Result) error {
	after, err := sim.Stats()
	if err != nil {
		return err
	}
	res.APIRequests = after.Requests - before.Requests
	res.RateLimited = after.RateLimited - before.RateLimited
	return nil
}
