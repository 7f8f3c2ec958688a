package bench

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os/exec"
	"strconv"
	"strings"
)

// MicroSpec is one go test benchmark run of the suite: a package, a -bench pattern and a
// -benchtime.
type MicroSpec struct {
	Pkg, Bench, Benchtime string
	// Why says what the benchmarks measure, for the report.
	Why string
}

// MicroSpecs are the micro-benchmarks of the hot paths the suite runs, where they live:
// view rendering, name resolution and the stdio round trip here; decoding a page of 100
// threads in apiclient/v1; the MCP layer's per-call overhead in app.
func MicroSpecs() []MicroSpec {
	return []MicroSpec{
		{Pkg: "./bench", Bench: "^Benchmark(View|Names|Stdio)", Benchtime: "1s",
			Why: "view rendering, name resolution, a stdio round trip in process"},
		{Pkg: "./apiclient/v1", Bench: "^BenchmarkDecodeThreadPage$", Benchtime: "1s",
			Why: "decoding a page of 100 threads"},
		{Pkg: "./app", Bench: "^BenchmarkToolOverhead$", Benchtime: "300x",
			Why: "what the MCP layer adds to a call (median of direct vs through MCP)"},
	}
}

// Metric is one value of a benchmark line with its unit (ns/op, B/op, tokens…).
type Metric struct {
	Value float64
	Unit  string
}

// Micro is one benchmark line of go test output.
type Micro struct {
	Pkg        string
	Name       string // with the -GOMAXPROCS suffix removed
	Iterations int64
	Metrics    []Metric
	// Line is the line as go test printed it.
	Line string
}

// Metric returns the value of the metric with the unit, and whether the line has it.
func (m Micro) Metric(unit string) (float64, bool) {
	for _, x := range m.Metrics {
		if x.Unit == unit {
			return x.Value, true
		}
	}
	return 0, false
}

// ParseBenchOutput reads go test -bench output: every benchmark line, under the pkg: header
// that precedes it. Other lines are ignored.
func ParseBenchOutput(r io.Reader) ([]Micro, error) {
	var (
		out []Micro
		pkg string
	)
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := sc.Text()
		if p, ok := strings.CutPrefix(line, "pkg: "); ok {
			pkg = strings.TrimSpace(p)
			continue
		}
		if !strings.HasPrefix(line, "Benchmark") {
			continue
		}
		f := strings.Fields(line)
		if len(f) < 4 || len(f)%2 != 0 {
			continue // a benchmark's name printed alone (its own output follows), or a failure
		}
		n, err := strconv.ParseInt(f[1], 10, 64)
		if err != nil {
			continue
		}
		m := Micro{Pkg: pkg, Name: trimProcs(f[0]), Iterations: n, Line: line}
		for i := 2; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				return nil, fmt.Errorf("benchmark line %q: value %q: %w", line, f[i], err)
			}
			m.Metrics = append(m.Metrics, Metric{Value: v, Unit: f[i+1]})
		}
		out = append(out, m)
	}
	return out, sc.Err()
}

// trimProcs removes the -N suffix go test adds for GOMAXPROCS.
func trimProcs(name string) string {
	i := strings.LastIndexByte(name, '-')
	if i < 0 {
		return name
	}
	if _, err := strconv.Atoi(name[i+1:]); err != nil {
		return name
	}
	return name[:i]
}

// RunMicro runs each spec with go test in the module at dir and returns the benchmarks
// and go test's whole output (echoed to log as it comes). A failing go test is an error
// carrying its output.
func RunMicro(ctx context.Context, dir string, specs []MicroSpec, log io.Writer) ([]Micro, string, error) {
	goBin, err := goTool()
	if err != nil {
		return nil, "", err
	}
	var all bytes.Buffer
	var out []Micro
	for _, s := range specs {
		var buf bytes.Buffer
		cmd := exec.CommandContext(ctx, goBin, "test", "-run", "^$", "-bench", s.Bench, "-benchmem", "-benchtime", s.Benchtime, "-count", "1", s.Pkg)
		cmd.Dir = dir
		cmd.Stdout = io.MultiWriter(&buf, log)
		cmd.Stderr = io.MultiWriter(&buf, log)
		if err := cmd.Run(); err != nil {
			return out, all.String(), fmt.Errorf("go test -bench %s %s: %w\n%s", s.Bench, s.Pkg, err, buf.String())
		}
		ms, err := ParseBenchOutput(bytes.NewReader(buf.Bytes()))
		if err != nil {
			return out, all.String(), err
		}
		if len(ms) == 0 {
			return out, all.String(), fmt.Errorf("go test -bench %s %s ran no benchmark:\n%s", s.Bench, s.Pkg, buf.String())
		}
		out = append(out, ms...)
		all.Write(buf.Bytes())
	}
	return out, all.String(), nil
}
