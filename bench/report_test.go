package bench

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestParseBenchOutput(t *testing.T) {
	out := `goos: linux
pkg: github.com/inbox-mcp/inbox-mcp/views
BenchmarkView/thread-list-100-2   	     200	    729581 ns/op	     63002 out-bytes	  325933 B/op	    2430 allocs/op
BenchmarkLogs
    bench_test.go:12: a line a benchmark logged
pkg: github.com/inbox-mcp/inbox-mcp/app
BenchmarkToolOverhead/get_thread-2 300 1234 ns/op 98.5 overhead-p50-µs
BenchmarkNoProcs 10 5 ns/op
--- FAIL: BenchmarkBroken-2
PASS
`
	ms, err := ParseBenchOutput(strings.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		pkg, name string
		n         int64
		unit      string
		v         float64
	}{
		{"github.com/inbox-mcp/inbox-mcp/views", "BenchmarkView/thread-list-100", 200, "allocs/op", 2430},
		{"github.com/inbox-mcp/inbox-mcp/app", "BenchmarkToolOverhead/get_thread", 300, "overhead-p50-µs", 98.5},
		{"github.com/inbox-mcp/inbox-mcp/app", "BenchmarkNoProcs", 10, "ns/op", 5},
	}
	if len(ms) != len(want) {
		t.Fatalf("parsed %d benchmarks, want %d: %+v", len(ms), len(want), ms)
	}
	for i, w := range want {
		m := ms[i]
		v, ok := m.Metric(w.unit)
		if m.Pkg != w.pkg || m.Name != w.name || m.Iterations != w.n || !ok || v != w.v {
			t.Errorf("benchmark %d = %+v; want %+v", i, m, w)
		}
	}
	if _, ok := ms[2].Metric("B/op"); ok {
		t.Error("a metric the line does not have was found")
	}
	if _, err := ParseBenchOutput(strings.NewReader("BenchmarkX-2 10 many ns/op\n")); err == nil {
		t.Error("a value that is not a number was accepted")
	}
}

func sampleReport() *Report {
	return &Report{
		Started: time.Date(2026, 11, 27, 3, 0, 0, 0, time.UTC), Took: 200 * time.Second,
		Machine: Machine{CPUs: 2, CPU: "Test CPU", Go: "go1.26", OSArch: "linux/amd64", Load: "1.00 1.00 1.00"},
		Command: "go run ./cmd/inbox-bench -out BENCHMARKS.md", Revision: "0123456789ab",
		Config: DefaultConfig(),
		Results: []Result{
			{Scenario: "tools-list", Task: "tools/list", Scale: 1, Usage: Usage{Bytes: 12000, TextTokens: 2900}, Wall: time.Millisecond,
				Heap: HeapUse{Base: 10, Peak: 1 << 20, Allocated: 2 << 20}},
			{Scenario: "no-reply-digest", Task: "digest | 60", Scale: 1, Usage: Usage{ToolCalls: 1, Bytes: 40000, TextTokens: 6000, StructuredTokens: 7000},
				APIRequests: 66, Wall: 10 * time.Second, Bound: 13200 * time.Millisecond, Note: "60 of 60"},
			{Scenario: "bulk-tag-500", Scale: 5, Usage: Usage{ToolCalls: 2}, APIRequests: 525, Wall: 110 * time.Second, Bound: 105 * time.Second},
			{Scenario: "stdio-digest", Scale: 1, Stdio: true, Usage: Usage{ToolCalls: 1}, APIRequests: 67, Wall: 11 * time.Second, PeakRSS: 30 << 20, Bound: 13400 * time.Millisecond},
		},
		ColdStarts: []ColdStart{
			{Name: "stdio", Runs: []time.Duration{14 * time.Millisecond, 12 * time.Millisecond, 60 * time.Millisecond}},
			{Name: "demo", Args: []string{"--demo"}, Runs: []time.Duration{600 * time.Millisecond}},
		},
		Micro: []Micro{
			{Pkg: "github.com/inbox-mcp/inbox-mcp/app", Name: "BenchmarkToolOverhead/get_thread", Iterations: 300,
				Metrics: []Metric{{1500000, "ns/op"}, {120, "overhead-p50-µs"}}},
			{Pkg: "github.com/inbox-mcp/inbox-mcp/app", Name: "BenchmarkToolOverhead/list_threads_20", Iterations: 300,
				Metrics: []Metric{{2500000, "ns/op"}, {1100, "overhead-p50-µs"}}},
			{Pkg: "github.com/inbox-mcp/inbox-mcp/bench", Name: "BenchmarkStdio/overhead-list_threads_20", Iterations: 300,
				Metrics: []Metric{{2500000, "ns/op"}, {450, "stdio-overhead-p50-µs"}}},
		},
		MicroOutput: "pkg: github.com/inbox-mcp/inbox-mcp/app\nBenchmarkToolOverhead/get_thread-2 300 1500000 ns/op 120 overhead-p50-µs\nok  \tgithub.com/inbox-mcp/inbox-mcp/app\t3.2s\n",
	}
}

func TestTargets(t *testing.T) {
	got := map[string]Target{}
	for _, tg := range sampleReport().Targets() {
		got[tg.What] = tg
	}
	for _, c := range []struct {
		what, measured string
		met            bool
	}{
		{"tools/list ≤ 3,000 tokens", "2,900 tokens", true},
		{"60-thread no-reply summary in 1–2 tool calls", "1 tool call(s)", true},
		{"60-thread no-reply summary ≤ 1.5 s, no 429", "10.0 s, 0 × 429", false},
		{"bulk tagging ≥ 90% of the rate-limit bound, no 429", "95%, 0 × 429", true},
		{"per-call overhead ≤ 1 ms p50: the server (stdio round trip − direct API calls)", "450 µs (worst of 1 tool(s))", true},
		{"per-call overhead ≤ 1 ms p50: through the in-process MCP client, its decoding included", "1100 µs (worst of 2 tool(s))", false},
		{"cold start to tools/list ≤ 50 ms (p50)", "14.0 ms", true},
		{"cold start with --demo ≤ 500 ms (p50)", "600.0 ms", false},
	} {
		tg, ok := got[c.what]
		if !ok || tg.Measured != c.measured || tg.Met != c.met {
			t.Errorf("target %q = %+v; want measured %q, met %v", c.what, tg, c.measured, c.met)
		}
	}
	// A run without the data for a target says so instead of judging it.
	r := &Report{}
	for _, tg := range r.Targets() {
		if tg.Met || tg.Measured != "" || verdict(tg) != "not measured in this run" {
			t.Errorf("empty run: %+v", tg)
		}
	}
}

// TestBenchstatRoundTrip checks that the Go benchmark lines read back as what was measured.
func TestBenchstatRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	r := sampleReport()
	r.WriteBenchstat(&buf)
	ms, err := ParseBenchOutput(&buf)
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string][]Micro{}
	for _, m := range ms {
		byName[m.Name] = append(byName[m.Name], m)
	}
	digest := byName["BenchmarkScenario/no-reply-digest"]
	if len(digest) != 1 {
		t.Fatalf("digest lines: %+v\n%s", digest, buf.String())
	}
	for unit, want := range map[string]float64{"ns/op": 10e9, "tool-calls/op": 1, "api-requests/op": 66, "text-tokens/op": 6000,
		"structured-tokens/op": 7000, "resp-bytes/op": 40000, "bound-ratio": 1.32} {
		if v, ok := digest[0].Metric(unit); !ok || v != want {
			t.Errorf("digest %s = %v (%v), want %v", unit, v, ok, want)
		}
	}
	if v, _ := byName["BenchmarkScenario/stdio-digest"][0].Metric("peak-rss-bytes/op"); v != 30<<20 {
		t.Errorf("stdio peak RSS %v", v)
	}
	if v, _ := byName["BenchmarkScenario/tools-list"][0].Metric("peak-heap-bytes/op"); v != 1<<20-10 {
		t.Errorf("tools-list peak heap %v", v)
	}
	if n := len(byName["BenchmarkColdStart/stdio"]); n != 3 {
		t.Errorf("%d cold start lines, want one per run (3)", n)
	}
	if n := len(byName["BenchmarkToolOverhead/get_thread"]); n != 1 || strings.Contains(buf.String(), "ok  \t") {
		t.Errorf("micro lines: %d; go test's status lines must be left out:\n%s", n, buf.String())
	}
}

func TestMarkdown(t *testing.T) {
	var buf bytes.Buffer
	r := sampleReport()
	r.Failures = []string{"scenario search-week: it broke"}
	r.WriteMarkdown(&buf)
	md := buf.String()
	for _, want := range []string{
		"# Benchmarks",
		"2 CPUs (`nproc`), Test CPU, go1.26, linux/amd64",
		"2026-11-27 03:00 UTC, 200.0 s in all, of commit 0123456789ab.",
		"80.0 ms ± 20.0 ms",
		"| cold start with --demo ≤ 500 ms (p50) | 600.0 ms | NOT MET |",
		"| **no-reply-digest**: digest \\| 60 | 1 | 1 | 66 | 10.0 s | 40,000 | 6,000 | 7,000 |",
		"| bulk-tag-500 | 525 | – | 0 | 105.0 s | 110.0 s | 95% |",
		"| stdio (`inbox-mcp`) | 3 | 14.0 ms | 60.0 ms | 12.0 ms |",
		"| demo (`inbox-mcp --demo`) | 1 |",
		"| app | BenchmarkToolOverhead/get_thread | 1.5 ms |",
		"30.0 MB RSS",
		"## Failures\n\n- scenario search-week: it broke",
		"```sh\ngo run ./cmd/inbox-bench -out BENCHMARKS.md\n```",
		"BenchmarkScenario/tools-list 1 1000000 ns/op",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q", want)
		}
	}
	if t.Failed() {
		t.Log(md)
	}
}

func TestRevision(t *testing.T) {
	ctx := context.Background()
	if rev := Revision(ctx, t.TempDir()); rev != "" {
		t.Errorf("a directory outside Git: revision %q", rev)
	}
	root, err := ModuleRoot(ctx, ".")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, ".git")); err != nil {
		t.Skip("not a Git checkout")
	}
	if rev := Revision(ctx, root); len(strings.TrimSuffix(rev, "+changes")) != 12 {
		t.Errorf("revision %q, want a 12-digit commit", rev)
	}
}

func TestFormat(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{thousands(0), "0"}, {thousands(999), "999"}, {thousands(1000), "1,000"}, {thousands(-1234567), "-1,234,567"},
		{dur(1500 * time.Microsecond), "1.5 ms"}, {dur(12 * time.Second), "12.0 s"},
		{nsOp(850), "850 ns"}, {nsOp(45600), "45.6 µs"}, {nsOp(12e6), "12.0 ms"},
		{trimProcs("BenchmarkX/a-b-2"), "BenchmarkX/a-b"}, {trimProcs("BenchmarkX/a-b"), "BenchmarkX/a-b"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}
