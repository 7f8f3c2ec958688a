// Command inbox-bench measures what each task a person gives the assistant costs through
// inbox-mcp — tool calls, API requests, wall time, response bytes and tokens, memory — on
// the simulator with simulated API latency and the real rate limit, times the built
// server's cold start, and runs the micro-benchmarks of the hot paths. It prints a table
// and benchstat lines, and with -out writes BENCHMARKS.md.
//
//	go run ./cmd/inbox-bench -out BENCHMARKS.md     # the whole suite
//	go run ./cmd/inbox-bench -scenario tools-list   # one task
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/inbox-mcp/inbox-mcp/bench"
)

func main() {
	if bench.IsSimulatorChild() {
		// This process was started by the suite to serve one simulator.
		if err := bench.ServeSimulatorChild(os.Stdin, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, "inbox-bench simulator:", err)
			os.Exit(1)
		}
		return
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// options are the command's flags.
type options struct {
	scenarios     string
	out, statsOut string
	micro         bool
	cold          int
	bin           string
	inProcessSim  bool
	cfg           bench.Config
}

func parse(args []string, stderr io.Writer) (options, error) {
	o := options{cfg: bench.DefaultConfig()}
	fs := flag.NewFlagSet("inbox-bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: go run ./cmd/inbox-bench [flags]\n\nMeasures what each user task costs through inbox-mcp. Run from the repository.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	fs.StringVar(&o.scenarios, "scenario", "all", "tasks to run, comma-separated ("+strings.Join(bench.ScenarioNames(), ", ")+"), all, or none")
	fs.StringVar(&o.out, "out", "", "write the report as markdown (BENCHMARKS.md) to this `file`")
	fs.StringVar(&o.statsOut, "benchstat", "", "write the results in the Go benchmark format to this `file`, for benchstat")
	fs.BoolVar(&o.micro, "micro", true, "run the micro-benchmarks (go test -bench); only with -scenario all unless set")
	fs.IntVar(&o.cold, "cold", 20, "spawns per cold-start measure, 0 to skip; only with -scenario all unless set")
	fs.StringVar(&o.bin, "bin", "", "the inbox-mcp `binary` to run over stdio (default: build ./cmd/inbox-mcp)")
	fs.BoolVar(&o.inProcessSim, "inprocess-sim", false, "run the simulator in this process (its memory then counts as the server's)")
	fs.Int64Var(&o.cfg.Seed, "seed", o.cfg.Seed, "simulator seed")
	fs.DurationVar(&o.cfg.Latency, "latency", o.cfg.Latency, "API latency added to every request")
	fs.DurationVar(&o.cfg.Jitter, "jitter", o.cfg.Jitter, "random extra latency, uniform from 0 to this")
	fs.IntVar(&o.cfg.RatePerMinute, "rate", o.cfg.RatePerMinute, "API rate limit per minute, on the simulator and the client (0: off)")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected argument %q: every setting is a flag (see -help)", fs.Arg(0))
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if o.scenarios != "all" {
		// One task is a quick check: the slow extras run only when asked for.
		if !set["micro"] {
			o.micro = false
		}
		if !set["cold"] {
			o.cold = 0
		}
	}
	switch {
	case o.cold < 0:
		return o, fmt.Errorf("-cold %d: give a number of spawns, or 0 to skip the cold starts", o.cold)
	case o.cfg.RatePerMinute < 0:
		return o, fmt.Errorf("-rate %d: give requests per minute, or 0 for no limit", o.cfg.RatePerMinute)
	case o.cfg.Latency < 0 || o.cfg.Jitter < 0:
		return o, errors.New("-latency and -jitter must not be negative")
	}
	o.cfg.SimProcess = !o.inProcessSim
	return o, nil
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	o, err := parse(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "inbox-bench:", err)
		return 2
	}
	var scenarios []bench.Scenario
	if o.scenarios != "none" {
		if scenarios, err = bench.Select(o.scenarios); err != nil {
			fmt.Fprintln(stderr, "inbox-bench:", err)
			return 2
		}
	}
	rep := &bench.Report{Started: time.Now(), Machine: bench.ThisMachine(), Config: o.cfg,
		Command: strings.TrimSpace("go run ./cmd/inbox-bench " + strings.Join(args, " "))}
	if wd, err := os.Getwd(); err == nil {
		rep.Revision = bench.Revision(ctx, wd)
	}
	if err := suite(ctx, o, scenarios, rep, stderr); err != nil {
		fmt.Fprintln(stderr, "inbox-bench:", err)
		return 1
	}
	rep.Took = time.Since(rep.Started)
	rep.WriteText(stdout)
	fmt.Fprintln(stdout)
	var stats bytes.Buffer
	rep.WriteBenchstat(&stats)
	stdout.Write(stats.Bytes())
	if o.statsOut != "" {
		if err := os.WriteFile(o.statsOut, stats.Bytes(), 0o644); err != nil {
			fmt.Fprintln(stderr, "inbox-bench:", err)
			return 1
		}
	}
	if o.out != "" {
		var md bytes.Buffer
		rep.WriteMarkdown(&md)
		if err := os.WriteFile(o.out, md.Bytes(), 0o644); err != nil {
			fmt.Fprintln(stderr, "inbox-bench:", err)
			return 1
		}
		fmt.Fprintln(stderr, "inbox-bench: wrote", o.out)
	}
	if len(rep.Failures) > 0 {
		return 1
	}
	return 0
}

// suite runs the tasks, the cold starts and the micro-benchmarks, one after another. A
// task that fails is reported and the rest still run; not being able to set up is an error.
func suite(ctx context.Context, o options, scenarios []bench.Scenario, rep *bench.Report, log io.Writer) error {
	tok, err := bench.NewTokenizer()
	if err != nil {
		return err
	}
	o.cfg.Tokenizer = tok
	needBin := o.cold > 0
	for _, s := range scenarios {
		needBin = needBin || s.Stdio
	}
	var root string
	if o.micro || (needBin && o.bin == "") {
		wd, err := os.Getwd()
		if err != nil {
			return err
		}
		if root, err = bench.ModuleRoot(ctx, wd); err != nil {
			return err
		}
	}
	if needBin && o.bin == "" {
		dir, err := os.MkdirTemp("", "inbox-bench-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		fmt.Fprintln(log, "building ./cmd/inbox-mcp")
		if o.bin, err = bench.BuildServer(ctx, root, dir); err != nil {
			return err
		}
	}
	o.cfg.Binary = o.bin
	for _, s := range scenarios {
		fmt.Fprintf(log, "task %s: %s\n", s.Name, s.Task)
		res, err := bench.Run(ctx, o.cfg, s)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err != nil {
			rep.Failures = append(rep.Failures, err.Error())
			fmt.Fprintln(log, "  FAILED:", err)
			continue
		}
		fmt.Fprintf(log, "  %d tool calls, %d API requests, %s, %s\n", res.ToolCalls, res.APIRequests, res.Wall.Round(time.Millisecond), res.Note)
		rep.Results = append(rep.Results, res)
	}
	if o.cold > 0 {
		if err := coldStarts(ctx, o, rep, log); err != nil {
			return err
		}
	}
	if o.micro {
		fmt.Fprintln(log, "micro-benchmarks (go test -bench)")
		ms, out, err := bench.RunMicro(ctx, root, bench.MicroSpecs(), log)
		rep.Micro, rep.MicroOutput = ms, out
		if err != nil {
			rep.Failures = append(rep.Failures, err.Error())
		}
	}
	return nil
}

// coldStarts times the binary from spawn to tools/list, against a simulator (the key is
// checked in the background at start, as in production) and with --demo.
func coldStarts(ctx context.Context, o options, rep *bench.Report, log io.Writer) error {
	sim, err := bench.StartSimulator(ctx, bench.SimOptions{Seed: o.cfg.Seed, Scale: 1, Latency: o.cfg.Latency,
		Jitter: o.cfg.Jitter, RatePerMinute: o.cfg.RatePerMinute}, o.cfg.SimProcess)
	if err != nil {
		return err
	}
	defer sim.Close()
	for _, c := range []struct {
		name string
		args []string
		env  []string
	}{
		{"stdio", nil, []string{"INBOX_API_URL=" + sim.URL, "INBOX_API_KEY=" + sim.Token}},
		{"demo", []string{"--demo"}, nil},
	} {
		fmt.Fprintf(log, "cold start %s: %d spawns\n", c.name, o.cold)
		cs, err := bench.MeasureColdStart(ctx, c.name, o.bin, c.args, c.env, o.cold)
		if err != nil {
			rep.Failures = append(rep.Failures, err.Error())
			continue
		}
		rep.ColdStarts = append(rep.ColdStarts, cs)
	}
	return nil
}
