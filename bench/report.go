package bench

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

// Report is a run of the suite: the results and where and how they were taken.
type Report struct {
	Started time.Time
	// Took is the whole run, builds and micro-benchmarks included.
	Took    time.Duration
	Machine Machine
	// Command reproduces the run.
	Command string
	// Revision is the code measured: a commit, with "+changes" when the working tree differs
	// from it ("" when unknown).
	Revision   string
	Config     Config
	Results    []Result
	ColdStarts []ColdStart
	Micro      []Micro
	// MicroOutput is go test's output of the micro-benchmarks.
	MicroOutput string
	// Failures are the parts of the run that did not complete, and why.
	Failures []string
}

// Machine describes where a run happened.
type Machine struct {
	CPUs   int    // logical CPUs (nproc)
	CPU    string // model name from /proc/cpuinfo
	Go     string
	OSArch string
	// Load is the 1, 5 and 15 minute load averages when the run started.
	Load string
}

// ThisMachine describes the machine this process runs on.
func ThisMachine() Machine {
	m := Machine{CPUs: runtime.NumCPU(), CPU: "unknown", Go: runtime.Version(), OSArch: runtime.GOOS + "/" + runtime.GOARCH, Load: "unknown"}
	if f, err := os.Open("/proc/cpuinfo"); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPU = strings.TrimSpace(v)
				break
			}
		}
		f.Close()
	}
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		if f := strings.Fields(string(b)); len(f) >= 3 {
			m.Load = strings.Join(f[:3], " ")
		}
	}
	return m
}

// Revision describes the code in the Git working tree at dir: the commit, with "+changes"
// when files differ from it; "" when dir is not in a Git checkout.
func Revision(ctx context.Context, dir string) string {
	out, err := exec.CommandContext(ctx, "git", "-C", dir, "rev-parse", "--short=12", "HEAD").Output()
	if err != nil {
		return ""
	}
	rev := strings.TrimSpace(string(out))
	st, err := exec.CommandContext(ctx, "git", "-C", dir, "status", "--porcelain", "--untracked-files=no").Output()
	if err != nil {
		return ""
	}
	if len(bytes.TrimSpace(st)) > 0 {
		rev += "+changes"
	}
	return rev
}

// Result returns the result of the named scenario.
func (r *Report) Result(name string) (Result, bool) {
	for _, x := range r.Results {
		if x.Scenario == name {
			return x, true
		}
	}
	return Result{}, false
}

// ColdStart returns the named cold-start measure.
func (r *Report) ColdStart(name string) (ColdStart, bool) {
	for _, c := range r.ColdStarts {
		if c.Name == name {
			return c, true
		}
	}
	return ColdStart{}, false
}

// Target is one of the suite's goals, with what this run measured.
type Target struct {
	What, Measured string
	// Measured is "" and Met false when the run did not include what the target needs.
	Met bool
}

// Targets compares the run with the goals: tools/list at most 3,000 tokens, the 60-thread
// digest in one or two tool calls, bulk work at 90% or more of the rate-limit bound, MCP
// overhead at most 1 ms per call (median), cold start at most 50 ms (500 ms with --demo).
func (r *Report) Targets() []Target {
	var ts []Target
	add := func(what string, ok bool, measured string, met bool) {
		if !ok {
			measured, met = "", false
		}
		ts = append(ts, Target{What: what, Measured: measured, Met: met})
	}
	x, ok := r.Result("tools-list")
	add("tools/list ≤ 3,000 tokens", ok, thousands(x.TextTokens)+" tokens", x.TextTokens <= 3000)
	x, ok = r.Result("no-reply-digest")
	add("60-thread no-reply summary in 1–2 tool calls", ok, strconv.Itoa(x.ToolCalls)+" tool call(s)", x.ToolCalls >= 1 && x.ToolCalls <= 2)
	add("60-thread no-reply summary ≤ 1.5 s, no 429", ok, fmt.Sprintf("%s, %d × 429", dur(x.Wall), x.RateLimited), x.Wall <= 1500*time.Millisecond && x.RateLimited == 0)
	x, ok = r.Result("bulk-tag-by-words")
	add("bulk tag by words: API requests ≤ 1.1 × the minimum", ok && x.Minimum > 0, fmt.Sprintf("%d of %d (×%.2f)", x.APIRequests, x.Minimum, float64(x.APIRequests)/float64(max(x.Minimum, 1))), float64(x.APIRequests) <= 1.1*float64(x.Minimum))
	add("bulk tag by words: wall ≤ 1.2 × the minimum's bound", ok && x.Bound > 0, fmt.Sprintf("%s for a bound of %s", dur(x.Wall), dur(x.Bound)), x.Wall <= x.Bound*12/10)
	x, ok = r.Result("bulk-tag-500")
	add("bulk tagging ≥ 90% of the rate-limit bound, no 429", ok && x.Bound > 0, fmt.Sprintf("%.0f%%, %d × 429", 100*x.Ratio(), x.RateLimited), x.Ratio() >= 0.9 && x.RateLimited == 0)
	for _, o := range []struct{ what, unit string }{
		{"per-call overhead ≤ 1 ms p50: the server (stdio round trip − direct API calls)", "stdio-overhead-p50-µs"},
		{"per-call overhead ≤ 1 ms p50: through the in-process MCP client, its decoding included", "overhead-p50-µs"},
	} {
		worst, n := 0.0, 0
		for _, m := range r.Micro {
			if v, ok := m.Metric(o.unit); ok {
				worst, n = max(worst, v), n+1
			}
		}
		add(o.what, n > 0, fmt.Sprintf("%.0f µs (worst of %d tool(s))", worst, n), worst <= 1000)
	}
	c, ok := r.ColdStart("stdio")
	add("cold start to tools/list ≤ 50 ms (p50)", ok, ms(c.P50()), c.P50() <= 50*time.Millisecond)
	c, ok = r.ColdStart("demo")
	add("cold start with --demo ≤ 500 ms (p50)", ok, ms(c.P50()), c.P50() <= 500*time.Millisecond)
	return ts
}

// WriteText writes the results as aligned tables for a terminal.
func (r *Report) WriteText(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "scenario\tscale\ttool calls\tAPI requests\twall\tbytes\ttokens (text)\ttokens (structured)\tpeak memory\tbound\tachieved\t")
	for _, x := range r.Results {
		bound, ratio := "", ""
		if x.Bound > 0 {
			bound, ratio = secs(x.Bound), fmt.Sprintf("%.0f%%", 100*x.Ratio())
		}
		fmt.Fprintf(tw, "%s\t%g\t%d\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", x.Scenario, x.Scale, x.ToolCalls, x.APIRequests,
			dur(x.Wall), thousands(x.Bytes), thousands(x.TextTokens), thousands(x.StructuredTokens), memory(x), bound, ratio)
	}
	tw.Flush()
	if len(r.ColdStarts) > 0 {
		fmt.Fprintln(w)
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "cold start\truns\tp50\tp90\tfastest\t")
		for _, c := range r.ColdStarts {
			fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t\n", c.Name, len(c.Runs), ms(c.P50()), ms(c.P90()), ms(c.Min()))
		}
		tw.Flush()
	}
	for _, f := range r.Failures {
		fmt.Fprintln(w, "FAILED:", f)
	}
	if ts := r.Targets(); len(ts) > 0 {
		fmt.Fprintln(w)
		for _, t := range ts {
			fmt.Fprintf(w, "%-86s %-28s %s\n", t.What, orDash(t.Measured), verdict(t))
		}
	}
}

// WriteBenchstat writes the results in the Go benchmark format, which benchstat compares
// between runs: one line per scenario (wall time as ns/op, the rest as custom units), one
// line per cold start run, then the micro-benchmarks' lines as go test printed them.
func (r *Report) WriteBenchstat(w io.Writer) {
	fmt.Fprintf(w, "goos: %s\ngoarch: %s\npkg: github.com/inbox-mcp/inbox-mcp/bench\ncpu: %s\n", runtime.GOOS, runtime.GOARCH, r.Machine.CPU)
	for _, x := range r.Results {
		fmt.Fprintf(w, "BenchmarkScenario/%s 1 %d ns/op %d tool-calls/op %d api-requests/op %d resp-bytes/op %d text-tokens/op %d structured-tokens/op",
			x.Scenario, x.Wall.Nanoseconds(), x.ToolCalls, x.APIRequests, x.Bytes, x.TextTokens, x.StructuredTokens)
		if x.Stdio {
			fmt.Fprintf(w, " %d peak-rss-bytes/op", x.PeakRSS)
		} else {
			fmt.Fprintf(w, " %d peak-heap-bytes/op %d alloc-bytes/op", x.Heap.Growth(), x.Heap.Allocated)
		}
		if x.Bound > 0 {
			fmt.Fprintf(w, " %.3f bound-ratio", x.Ratio())
		}
		fmt.Fprintln(w)
	}
	for _, c := range r.ColdStarts {
		for _, d := range c.Runs {
			fmt.Fprintf(w, "BenchmarkColdStart/%s 1 %d ns/op\n", c.Name, d.Nanoseconds())
		}
	}
	if r.MicroOutput != "" {
		sc := bufio.NewScanner(strings.NewReader(r.MicroOutput))
		for sc.Scan() {
			line := sc.Text()
			for _, p := range []string{"goos:", "goarch:", "pkg:", "cpu:", "Benchmark"} {
				if strings.HasPrefix(line, p) {
					fmt.Fprintln(w, line)
					break
				}
			}
		}
	}
}

func verdict(t Target) string {
	switch {
	case t.Measured == "":
		return "not measured in this run"
	case t.Met:
		return "met"
	}
	return "NOT MET"
}

func memory(x Result) string {
	if x.Stdio {
		return mb(x.PeakRSS) + " RSS"
	}
	return "+" + mb(x.Heap.Growth()) + " heap"
}

func mb(b uint64) string { return fmt.Sprintf("%.1f MB", float64(b)/(1<<20)) }

func ms(d time.Duration) string {
	return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond))
}

func secs(d time.Duration) string { return fmt.Sprintf("%.1f s", d.Seconds()) }

// dur shows short times in milliseconds and long ones in seconds.
func dur(d time.Duration) string {
	if d < 10*time.Second {
		return ms(d)
	}
	return secs(d)
}

// thousands writes n with comma separators.
func thousands(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
