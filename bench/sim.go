package bench

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/inbox-mcp/inbox-mcp/inboxsim"
)

// SimOptions configures the simulator a scenario runs on.
type SimOptions struct {
	Seed  int64   `json:"seed"`
	Scale float64 `json:"scale"`
	// Latency is added to every API request, plus a uniform random share of Jitter.
	Latency time.Duration `json:"latency"`
	Jitter  time.Duration `json:"jitter"`
	// RatePerMinute is the simulator's per-team request limit; 0 turns limiting off.
	RatePerMinute int `json:"rate_per_minute"`
}

func (o SimOptions) inboxsim() inboxsim.Options {
	opts := inboxsim.Options{Seed: o.Seed, Scale: o.Scale,
		Faults: inboxsim.Faults{Latency: o.Latency, Jitter: o.Jitter}}
	if o.RatePerMinute > 0 {
		opts.RateLimit = inboxsim.RateLimits{PerMinute: o.RatePerMinute}
	} else {
		opts.RateLimit = inboxsim.RateLimits{Disabled: true}
	}
	return opts
}

// BulkTag is the tag the bulk scenario adds. The simulator creates it at start, so that
// every prospect the scenario selects really changes.
const BulkTag = "Q3 Review"

// BulkProspects is how many prospects the bulk scenario changes.
const BulkProspects = 500

// Fixtures are facts about the seeded data that scenarios need (which thread is long, whom
// to look up). They are read from the simulator's store directly, not over the API, so
// finding them costs no request and no rate-limit budget.
type Fixtures struct {
	// LongThread is the no-reply thread with the most messages, and how many it has.
	LongThread         string `json:"long_thread"`
	LongThreadMessages int    `json:"long_thread_messages"`
	// Username (without @) is the prospect of the most recently active no-reply thread
	// other than LongThread: the person a reply is most likely asked for.
	Username string `json:"username"`
	// NoReply is the number of threads in the no-reply view.
	NoReply int `json:"no_reply"`
	// BulkSince (RFC 3339) is the time from which the threads of the default view active
	// since then belong to exactly BulkProspects prospects; "" when the data set is too small.
	BulkSince string `json:"bulk_since,omitempty"`
	// AllThreads is the number of threads in every folder (the default, requests and
	// archived views, each thread once), and AllListPages the pages of 100 that listing
	// them takes, view by view as Inbox API v1 lists them.
	AllThreads   int `json:"all_threads"`
	AllListPages int `json:"all_list_pages"`
}

// WordsMinimum is the fewest API requests the bulk-tag-by-words task needs when changed
// prospects are changed: the listing pages of its dry run and of its run, one message read
// per thread, and one write per changed prospect.
func (f Fixtures) WordsMinimum(changed int) int64 {
	return int64(2*f.AllListPages + f.AllThreads + changed)
}

// Simulator is a running Inbox API simulator, in this process or in a child process.
type Simulator struct {
	// URL is the API root (…/api/v1) and Token a bearer token it accepts.
	URL, Token string
	Fixtures   Fixtures

	srv *inboxsim.Server // in process

	cmd  *exec.Cmd // child process
	in   io.WriteCloser
	out  *bufio.Reader
	mu   sync.Mutex
	once sync.Once
}

// simEnv carries a child simulator's options (JSON) in its environment.
const simEnv = "INBOX_BENCH_SIMULATOR"

// IsSimulatorChild reports whether this process was started by StartSimulator to serve a
// simulator; its main must then call ServeSimulatorChild and exit.
func IsSimulatorChild() bool { return os.Getenv(simEnv) != "" }

// StartSimulator seeds a simulator and serves it on a loopback port. With process, the
// simulator runs in a child process (this executable again, which must call
// ServeSimulatorChild when IsSimulatorChild), so that its memory and CPU are not counted
// as the server's.
func StartSimulator(ctx context.Context, o SimOptions, process bool) (*Simulator, error) {
	if !process {
		srv, err := inboxsim.Start(ctx, "", o.inboxsim())
		if err != nil {
			return nil, fmt.Errorf("start simulator: %w", err)
		}
		f, err := prepare(ctx, srv.Sim)
		if err != nil {
			srv.Close()
			return nil, err
		}
		return &Simulator{URL: srv.URL, Token: srv.Token, Fixtures: f, srv: srv}, nil
	}
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("start simulator process: %w", err)
	}
	raw, err := json.Marshal(o)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(exe)
	cmd.Env = append(os.Environ(), simEnv+"="+string(raw))
	cmd.Stderr = os.Stderr
	s := &Simulator{cmd: cmd}
	if s.in, err = cmd.StdinPipe(); err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	s.out = bufio.NewReader(stdout)
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start simulator process %s: %w", exe, err)
	}
	var hello childHello
	if err := s.read(&hello); err != nil {
		s.Close()
		return nil, fmt.Errorf("simulator process: %w", err)
	}
	if hello.Error != "" {
		s.Close()
		return nil, errors.New("simulator process: " + hello.Error)
	}
	s.URL, s.Token, s.Fixtures = hello.URL, hello.Token, hello.Fixtures
	return s, nil
}

// Stats returns the simulator's request counters.
func (s *Simulator) Stats() (inboxsim.Stats, error) {
	if s.srv != nil {
		return s.srv.Sim.Stats(), nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := io.WriteString(s.in, "stats\n"); err != nil {
		return inboxsim.Stats{}, fmt.Errorf("ask the simulator process for its stats: %w", err)
	}
	var st inboxsim.Stats
	err := s.read(&st)
	return st, err
}

// Close stops the simulator (and waits for its process to end).
func (s *Simulator) Close() error {
	var err error
	s.once.Do(func() {
		if s.srv != nil {
			err = s.srv.Close()
			return
		}
		s.in.Close() // end of input is the child's signal to stop
		done := make(chan error, 1)
		go func() { done <- s.cmd.Wait() }()
		select {
		case err = <-done:
		case <-time.After(10 * time.Second):
			s.cmd.Process.Kill()
			err = fmt.Errorf("simulator process %d did not stop within 10s of its input closing; killed", s.cmd.Process.Pid)
			<-done
		}
	})
	return err
}

func (s *Simulator) read(v any) error {
	line, err := s.out.ReadBytes('\n')
	if err != nil {
		return fmt.Errorf("read from the simulator process: %w", err)
	}
	return json.Unmarshal(line, v)
}

// childHello is the child's first line: where it listens, or why it could not start.
type childHello struct {
	URL      string   `json:"url,omitempty"`
	Token    string   `json:"token,omitempty"`
	Fixtures Fixtures `json:"fixtures"`
	Error    string   `json:"error,omitempty"`
}

// ServeSimulatorChild is the main of a simulator child process: it starts the simulator
// with the options in its environment, writes one JSON line (URL, token, fixtures) to out,
// then answers each "stats" line on in with the counters as one JSON line, until in ends.
func ServeSimulatorChild(in io.Reader, out io.Writer) error {
	var o SimOptions
	if err := json.Unmarshal([]byte(os.Getenv(simEnv)), &o); err != nil {
		return fmt.Errorf("bad %s: %w", simEnv, err)
	}
	enc := json.NewEncoder(out)
	ctx := context.Background()
	srv, err := inboxsim.Start(ctx, "", o.inboxsim())
	if err != nil {
		enc.Encode(childHello{Error: err.Error()})
		return err
	}
	defer srv.Close()
	f, err := prepare(ctx, srv.Sim)
	if err != nil {
		enc.Encode(childHello{Error: err.Error()})
		return err
	}
	if err := enc.Encode(childHello{URL: srv.URL, Token: srv.Token, Fixtures: f}); err != nil {
		return err
	}
	sc := bufio.NewScanner(in)
	for sc.Scan() {
		switch cmd := strings.TrimSpace(sc.Text()); cmd {
		case "stats":
			if err := enc.Encode(srv.Sim.Stats()); err != nil {
				return err
			}
		default:
			return fmt.Errorf("simulator process: unknown command %q (want stats)", cmd)
		}
	}
	return sc.Err()
}

// prepare reads the fixtures from the simulator and creates the bulk scenario's tag.
func prepare(ctx context.Context, sim *inboxsim.Sim) (Fixtures, error) {
	var f Fixtures
	threads, _, err := sim.Threads(ctx, inboxsim.ViewNoReply, 100)
	if err != nil {
		return f, fmt.Errorf("fixtures: list the no-reply view: %w", err)
	}
	f.NoReply = len(threads)
	for _, t := range threads {
		n, err := sim.MessageCount(ctx, t.ID)
		if err != nil {
			return f, fmt.Errorf("fixtures: messages of %s: %w", t.ID, err)
		}
		if n > f.LongThreadMessages {
			f.LongThread, f.LongThreadMessages = t.ID, n
		}
	}
	for _, t := range threads { // newest first
		if t.ID != f.LongThread && t.ProspectUsername != "" {
			f.Username = t.ProspectUsername
			break
		}
	}
	if f.LongThread == "" || f.Username == "" {
		return f, fmt.Errorf("fixtures: the no-reply view has %d threads; the scenarios need at least two with messages (use scale 1 or more)", len(threads))
	}
	if f.BulkSince, err = bulkSince(ctx, sim); err != nil {
		return f, err
	}
	seen := map[string]bool{}
	for _, v := range []string{inboxsim.ViewDefault, inboxsim.ViewRequests, inboxsim.ViewArchived} {
		ts, pages, err := sim.Threads(ctx, v, 100)
		if err != nil {
			return f, fmt.Errorf("fixtures: list the %s view: %w", v, err)
		}
		f.AllListPages += pages
		for _, t := range ts {
			seen[t.ID] = true
		}
	}
	f.AllThreads = len(seen)
	for _, name := range []string{BulkTag, WordsTag} {
		if err := sim.CreateTag(ctx, name); err != nil {
			return f, fmt.Errorf("fixtures: create tag %q: %w", name, err)
		}
	}
	return f, nil
}

// bulkSince finds the activity time from which the default view's threads, as the bulk
// tool selects them (last message at or after the time), hold BulkProspects prospects.
func bulkSince(ctx context.Context, sim *inboxsim.Sim) (string, error) {
	all, _, err := sim.Threads(ctx, inboxsim.ViewDefault, 100)
	if err != nil {
		return "", fmt.Errorf("fixtures: list the default view: %w", err)
	}
	var threads []inboxsim.ThreadSummary
	for _, t := range all {
		if t.LastMessageAt != nil && t.ProspectExternalID != "" {
			threads = append(threads, t)
		}
	}
	slices.SortStableFunc(threads, func(a, b inboxsim.ThreadSummary) int { return b.LastMessageAt.Compare(*a.LastMessageAt) })
	seen := map[string]bool{}
	for i, t := range threads {
		seen[t.ProspectExternalID] = true
		if len(seen) < BulkProspects {
			continue
		}
		// A thread of the same moment after this one would come along; then the window
		// must start later, and no time gives exactly BulkProspects.
		if i+1 < len(threads) && threads[i+1].LastMessageAt.Equal(*t.LastMessageAt) {
			return "", fmt.Errorf("fixtures: two threads share the activity time %s; no window holds exactly %d prospects", t.LastMessageAt, BulkProspects)
		}
		return t.LastMessageAt.UTC().Format(time.RFC3339Nano), nil
	}
	return "", nil
}
