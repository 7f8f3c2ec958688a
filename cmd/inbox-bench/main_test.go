package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/inbox-mcp/inbox-mcp/bench"
)

func TestMain(m *testing.M) {
	if bench.IsSimulatorChild() {
		// The suite re-runs this test binary as its simulator process.
		if err := bench.ServeSimulatorChild(os.Stdin, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// TestToolsList is the smoke test CI can afford: one quick task, with the simulator in its
// own process, the table, the benchstat lines and the markdown file.
func TestToolsList(t *testing.T) {
	md := filepath.Join(t.TempDir(), "BENCHMARKS.md")
	stats := filepath.Join(t.TempDir(), "new.txt")
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"-scenario", "tools-list", "-out", md, "-benchstat", stats}, &out, &errb); code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, out.String(), errb.String())
	}
	for _, want := range []string{"tools-list", "BenchmarkScenario/tools-list 1 ", "tools/list ≤ 3,000 tokens"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	raw, err := os.ReadFile(md)
	if err != nil {
		t.Fatal(err)
	}
	if s := string(raw); !strings.Contains(s, "| **tools-list**") || !strings.Contains(s, "go run ./cmd/inbox-bench -scenario tools-list -out "+md) {
		t.Errorf("markdown:\n%s", s)
	}
	raw, err = os.ReadFile(stats)
	if err != nil {
		t.Fatal(err)
	}
	ms, err := bench.ParseBenchOutput(bytes.NewReader(raw))
	if err != nil || len(ms) != 1 || ms[0].Name != "BenchmarkScenario/tools-list" {
		t.Fatalf("benchstat file: %v, %+v", err, ms)
	}
	if tok, _ := ms[0].Metric("text-tokens/op"); tok < 500 {
		t.Errorf("tools/list counted %v tokens", tok)
	}
}

func TestFlags(t *testing.T) {
	for _, c := range []struct {
		args []string
		code int
		err  string
	}{
		{[]string{"-scenario", "nope"}, 2, `no scenario "nope"`},
		{[]string{"-cold", "-1"}, 2, "-cold -1: give a number of spawns"},
		{[]string{"-rate", "-5"}, 2, "-rate -5"},
		{[]string{"-latency", "-1s"}, 2, "must not be negative"},
		{[]string{"extra"}, 2, `unexpected argument "extra"`},
		{[]string{"-help"}, 0, "Usage: go run ./cmd/inbox-bench"},
	} {
		var out, errb bytes.Buffer
		code := run(context.Background(), c.args, &out, &errb)
		if code != c.code || !strings.Contains(errb.String(), c.err) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", c.args, code, errb.String(), c.code, c.err)
		}
	}
}

func TestDefaults(t *testing.T) {
	for _, c := range []struct {
		args  []string
		micro bool
		cold  int
	}{
		{nil, true, 20},
		{[]string{"-scenario", "tools-list"}, false, 0},
		{[]string{"-scenario", "tools-list", "-micro", "-cold", "3"}, true, 3},
		{[]string{"-scenario", "none", "-micro"}, true, 0},
	} {
		o, err := parse(c.args, &bytes.Buffer{})
		if err != nil || o.micro != c.micro || o.cold != c.cold || !o.cfg.SimProcess {
			t.Errorf("%v: micro %v, cold %d, sim process %v, %v; want micro %v, cold %d", c.args, o.micro, o.cold, o.cfg.SimProcess, err, c.micro, c.cold)
		}
	}
}
