// Command inbox-sim runs the Inbox API simulator as a standalone HTTP server: the v1 API under
// /api/v1 and the v2 API under /api/v2 over one seeded, optionally persistent store (v2 adds
// LinkedIn, which v1 does not show), with configurable rate limits and injected faults. It
// prints both base URLs and a token, then serves until SIGINT or SIGTERM.
//
//	go run ./cmd/inbox-sim                      # 127.0.0.1:8787, in memory, demo token
//	go run ./cmd/inbox-sim --db demo.db         # keep sends and tag changes across restarts
//	go run ./cmd/inbox-sim --scale 34           # about 100,000 messages
//	go run ./cmd/inbox-sim --error-rate 0.1 --latency 200ms --jitter 300ms
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/inbox-mcp/inbox-mcp/inboxsim"
	"github.com/lmittmann/tint"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// config is the parsed command line.
type config struct {
	addr      string
	opts      inboxsim.Options
	rateLimit int
	logLevel  slog.Level
}

func parseFlags(args []string, stderr io.Writer) (config, error) {
	var c config
	var tokens, methods, level string
	fs := flag.NewFlagSet("inbox-sim", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: inbox-sim [flags]\n\nRuns the Inbox API simulator (v1 and v2) on HTTP. Flags:\n")
		fs.PrintDefaults()
	}
	fs.StringVar(&c.addr, "addr", "127.0.0.1:8787", "listen address (host:port; port 0 picks a free one)")
	fs.StringVar(&c.opts.DBPath, "db", "", "SQLite file to keep the data in across restarts (default: in memory)")
	fs.Int64Var(&c.opts.Seed, "seed", 1, "seed of the deterministic data set")
	fs.Float64Var(&c.opts.Scale, "scale", 1, "data set size: 1 = ~200 threads / ~3,000 messages, 34 = ~100,000 messages")
	fs.DurationVar(&c.opts.Faults.Latency, "latency", 0, "latency added to every request (e.g. 200ms)")
	fs.DurationVar(&c.opts.Faults.Jitter, "jitter", 0, "random extra latency up to this much")
	fs.Float64Var(&c.opts.Faults.ErrorRate, "error-rate", 0, "share of requests answered 500/502/503 before processing (0..1)")
	fs.Float64Var(&c.opts.Faults.DropAfterProcessRate, "drop-rate", 0, "share of requests processed, then dropped without a response (0..1)")
	fs.Float64Var(&c.opts.Faults.TruncateRate, "truncate-rate", 0, "share of responses cut short (0..1)")
	fs.IntVar(&c.opts.Faults.RateLimitBurst, "rate-limit-burst", 0, "answer the first N requests with 429 and Retry-After: 1")
	fs.StringVar(&methods, "fault-methods", "", "comma-separated HTTP methods the faults apply to (default: all)")
	fs.StringVar(&c.opts.Faults.PathContains, "fault-path", "", "apply faults only to paths containing this")
	fs.IntVar(&c.rateLimit, "rate-limit", inboxsim.DefaultPerMinute, "requests per minute per team (0 = no rate limiting)")
	fs.StringVar(&tokens, "token", inboxsim.DemoToken, "accepted bearer token(s), comma-separated")
	fs.BoolVar(&c.opts.Replies, "replies", false, "simulated prospects answer messages sent through the API")
	fs.DurationVar(&c.opts.ReplyDelay, "reply-delay", 4*time.Second, "how long simulated prospects take to answer")
	fs.StringVar(&level, "log-level", "info", "log level: debug, info, warn or error")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected argument %q; all options are flags (see -h)", fs.Arg(0))
	}
	if err := c.logLevel.UnmarshalText([]byte(level)); err != nil {
		return c, fmt.Errorf("--log-level %q: use debug, info, warn or error", level)
	}
	switch {
	case c.rateLimit < 0:
		return c, fmt.Errorf("--rate-limit %d: use a positive number of requests per minute, or 0 to turn limiting off", c.rateLimit)
	case c.rateLimit == 0:
		c.opts.RateLimit.Disabled = true
	default:
		c.opts.RateLimit.PerMinute = c.rateLimit
	}
	for _, t := range strings.Split(tokens, ",") {
		if t = strings.TrimSpace(t); t != "" {
			c.opts.Tokens = append(c.opts.Tokens, t)
		}
	}
	if len(c.opts.Tokens) == 0 {
		return c, errors.New("--token is empty; give at least one token")
	}
	for _, m := range strings.Split(methods, ",") {
		if m = strings.ToUpper(strings.TrimSpace(m)); m != "" {
			c.opts.Faults.Methods = append(c.opts.Faults.Methods, m)
		}
	}
	if c.opts.Scale <= 0 || c.opts.Scale > inboxsim.MaxScale {
		return c, fmt.Errorf("--scale %v: use a value above 0 and at most %d", c.opts.Scale, inboxsim.MaxScale)
	}
	for name, v := range map[string]float64{"--error-rate": c.opts.Faults.ErrorRate, "--drop-rate": c.opts.Faults.DropAfterProcessRate, "--truncate-rate": c.opts.Faults.TruncateRate} {
		if v < 0 || v > 1 {
			return c, fmt.Errorf("%s %v: use a share between 0 and 1", name, v)
		}
	}
	return c, nil
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// run starts the simulator, prints where it listens and serves until ctx ends. It returns the
// process exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	c, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "inbox-sim: %v\n", err)
		return 2
	}
	log := slog.New(tint.NewTextHandler(stderr, &tint.Options{Level: c.logLevel, TimeFormat: time.TimeOnly, NoColor: !isTerminal(stderr)}))
	c.opts.Logger = log
	srv, err := inboxsim.Start(ctx, c.addr, c.opts)
	if err != nil {
		log.Error("could not start the simulator", "err", err)
		return 1
	}
	fmt.Fprintf(stdout, "Inbox API simulator ready\n  base URL: %s (v1)\n  v2 URL:   %s (v2, with LinkedIn)\n  token:    %s\n  try:      curl -H 'Authorization: Bearer %s' %s/platforms\n",
		srv.URL, srv.V2URL(), srv.Token, srv.Token, srv.V2URL())
	log.Info("serving", "url", srv.URL, "v2_url", srv.V2URL(), "db", dbName(c.opts.DBPath), "rate_limit_per_min", c.rateLimit, "replies", c.opts.Replies)
	<-ctx.Done()
	log.Info("shutting down")
	if err := srv.Close(); err != nil {
		log.Error("shutdown", "err", err)
		return 1
	}
	return 0
}

func dbName(p string) string {
	if p == "" {
		return "memory"
	}
	return p
}
