package bench

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"
)

func TestMain(m *testing.M) {
	if IsSimulatorChild() {
		// StartSimulator with process re-runs this test binary as the simulator.
		if err := ServeSimulatorChild(os.Stdin, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	dir, err := os.MkdirTemp("", "inbox-bench-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// binDir holds what the test process builds (see buildServer).
var binDir string

// fastConfig runs scenarios without latency or rate limit, so a test takes seconds.
func fastConfig(t *testing.T) Config {
	t.Helper()
	tok, err := NewTokenizer()
	if err != nil {
		t.Fatal(err)
	}
	return Config{Seed: 1, Tokenizer: tok}
}

func scenario(t *testing.T, name string) Scenario {
	t.Helper()
	ss, err := Select(name)
	if err != nil {
		t.Fatal(err)
	}
	return ss[0]
}

// TestScenarios plays every in-process task and checks what it cost against what the task
// must at least take (and, for calls, exactly take).
func TestScenarios(t *testing.T) {
	cfg := fastConfig(t)
	for _, c := range []struct {
		name        string
		calls       int
		minRequests int64
		note        string
	}{
		{"tools-list", 0, 0, "tools"},
		// One listing of the view, then each thread's messages.
		{"no-reply-digest", 1, 61, "60 of 60 threads in one call"},
		{"read-long-thread", 1, 2, "200 of the thread's"},
		{"find-and-draft", 2, 2, "messages read"},
		{"search-week", 1, 2, "matches in"},
		// Every folder listed twice, each thread's messages once (the run finds them
		// unchanged), one update per prospect.
		{"bulk-tag-by-words", 2, 100, "prospects tagged out of"},
		// The listing twice (dry run, run), then one update per prospect.
		{"bulk-tag-500", 2, 502, "500 prospects tagged; 1 confirmation asked"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if c.name == "bulk-tag-500" && raceEnabled {
				t.Skip("500 updates at scale 5 take half a minute under the race detector; go test ./bench (without -race) runs it")
			}
			res, err := Run(context.Background(), cfg, scenario(t, c.name))
			if err != nil {
				t.Fatal(err)
			}
			if res.ToolCalls != c.calls || res.APIRequests < c.minRequests || !strings.Contains(res.Note, c.note) {
				t.Fatalf("%d calls, %d API requests, note %q; want %d calls, at least %d requests, a note with %q",
					res.ToolCalls, res.APIRequests, res.Note, c.calls, c.minRequests, c.note)
			}
			if c.name == "bulk-tag-by-words" && (res.Minimum <= 0 || res.APIRequests < res.Minimum || float64(res.APIRequests) > 1.1*float64(res.Minimum)) {
				t.Errorf("%d API requests for a minimum of %d: want at most 1.1 times the minimum", res.APIRequests, res.Minimum)
			}
			if c.name == "tools-list" && res.APIRequests != 0 {
				t.Errorf("tools/list made %d API requests; it needs none", res.APIRequests)
			}
			if res.Bytes <= 0 || res.TextTokens <= 0 || res.TextTokens*2 > res.Bytes {
				t.Errorf("%d bytes, %d tokens: a token is more than two bytes of this text", res.Bytes, res.TextTokens)
			}
			if c.calls > 0 && res.StructuredTokens <= 0 {
				t.Error("no structured content counted")
			}
			if res.Wall <= 0 || res.Heap.Allocated == 0 || res.Heap.Samples == 0 || res.Bound != 0 {
				t.Errorf("wall %s, heap %+v, bound %s (no rate limit: want none)", res.Wall, res.Heap, res.Bound)
			}
		})
	}
}

// TestBound checks the bound of a fan-out task: the least time its requests need at the
// API's latency and limit with the reserve kept. The arithmetic is checked exactly; the run
// checks only what holds at any speed (no 429 from a client that keeps within the limit it
// shares with the simulator), since how close the wall comes to the bound is the machine's.
func TestBound(t *testing.T) {
	lat := Config{RatePerMinute: 300, Latency: 60 * time.Millisecond, Jitter: 40 * time.Millisecond}
	for _, c := range []struct {
		cfg  Config
		n    int64
		want time.Duration
	}{
		{lat, 0, 0},
		{lat, 1, 80 * time.Millisecond},
		{lat, 8, 80 * time.Millisecond},
		{lat, 9, 160 * time.Millisecond},
		{lat, 66, 9 * 80 * time.Millisecond},
		{lat, 240, 30 * 80 * time.Millisecond},                  // the whole usable minute: 300 less 20%
		{lat, 241, time.Minute + 80*time.Millisecond},           // one more waits for the window
		{lat, 517, 2*time.Minute + 5*80*time.Millisecond},       // 2 windows, then 37 requests
		{Config{RatePerMinute: 0, Latency: time.Second}, 50, 0}, // no limit: no bound
	} {
		if got := c.cfg.Bound(c.n); got != c.want {
			t.Errorf("Bound(%d) at %d/min, %s+%s = %s, want %s", c.n, c.cfg.RatePerMinute, c.cfg.Latency, c.cfg.Jitter, got, c.want)
		}
	}
	if u := lat.Usable(); u != 240 {
		t.Errorf("usable of 300 a minute = %d, want 240 (20%% reserve)", u)
	}

	cfg := fastConfig(t)
	cfg.RatePerMinute = 600
	res, err := Run(context.Background(), cfg, scenario(t, "no-reply-digest"))
	if err != nil {
		t.Fatal(err)
	}
	if want := cfg.Bound(res.APIRequests); res.Bound != want {
		t.Errorf("bound %s for %d requests, want %s", res.Bound, res.APIRequests, want)
	}
	if res.RateLimited != 0 {
		t.Errorf("%d answers of 429: the client should stay within the limit it shares with the simulator", res.RateLimited)
	}
}

func TestSimulatorProcess(t *testing.T) {
	ctx := context.Background()
	sim, err := StartSimulator(ctx, SimOptions{Seed: 1, Scale: 1}, true)
	if err != nil {
		t.Fatal(err)
	}
	defer sim.Close()
	f := sim.Fixtures
	if f.NoReply != 60 || f.LongThreadMessages < 200 || f.Username == "" || f.BulkSince != "" {
		t.Fatalf("fixtures %+v: want the seed's 60 no-reply threads, one of 200+ messages, a username, and no bulk window (too few prospects)", f)
	}
	for want := int64(0); want < 3; want++ {
		st, err := sim.Stats()
		if err != nil {
			t.Fatal(err)
		}
		if st.Requests != want {
			t.Fatalf("%d requests counted, want %d", st.Requests, want)
		}
		req, _ := http.NewRequest("GET", sim.URL+"/team", nil)
		req.Header.Set("Authorization", "Bearer "+sim.Token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET /team: %s", resp.Status)
		}
	}
	if err := sim.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
}

// TestStdio runs the binary: the stdio task (timed from the spawn, with the process's peak
// RSS) and a few cold starts.
func TestStdio(t *testing.T) {
	ctx := context.Background()
	cfg := fastConfig(t)
	cfg.Binary = buildServer(t)
	res, err := Run(ctx, cfg, scenario(t, "stdio-digest"))
	if err != nil {
		t.Fatal(err)
	}
	if res.ToolCalls != 1 || res.APIRequests < 61 || res.PeakRSS < 1<<20 || !res.Stdio {
		t.Fatalf("%d calls, %d requests, peak RSS %d", res.ToolCalls, res.APIRequests, res.PeakRSS)
	}
	cs, err := MeasureColdStart(ctx, "demo", cfg.Binary, []string{"--demo"}, nil, 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(cs.Runs) != 3 || cs.Min() <= 0 || cs.Min() > cs.P50() || cs.P50() > cs.P90() {
		t.Fatalf("runs %v: p50 %s p90 %s min %s", cs.Runs, cs.P50(), cs.P90(), cs.Min())
	}
	if _, err := MeasureColdStart(ctx, "none", cfg.Binary, nil, nil, 0); err == nil {
		t.Fatal("0 runs accepted")
	}
	cfg.Binary = ""
	if _, err := Run(ctx, cfg, scenario(t, "stdio-digest")); err == nil || !strings.Contains(err.Error(), "Config.Binary") {
		t.Fatalf("no binary: %v", err)
	}
}

func TestSelect(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string
		err  string
	}{
		{"", ScenarioNames(), ""},
		{"all", ScenarioNames(), ""},
		{"search-week, tools-list", []string{"search-week", "tools-list"}, ""},
		{"tools-list,nope", nil, `no scenario "nope": choose from tools-list, `},
	} {
		got, err := Select(c.in)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("Select(%q) error %v, want %q", c.in, err, c.err)
			}
			continue
		}
		var names []string
		for _, s := range got {
			names = append(names, s.Name)
		}
		if err != nil || strings.Join(names, ",") != strings.Join(c.want, ",") {
			t.Errorf("Select(%q) = %v, %v; want %v", c.in, names, err, c.want)
		}
	}
}
