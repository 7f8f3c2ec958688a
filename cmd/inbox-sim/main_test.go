package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/inbox-mcp/inbox-mcp/inboxsim"
	"github.com/inbox-mcp/inbox-mcp/internal/testenv"
)

// TestReadmeDocumentsTheFlags: the README's table of the simulator's flags lists every flag
// -h prints.
func TestReadmeDocumentsTheFlags(t *testing.T) {
	readme := testenv.Section(t, testenv.RepoFile(t, "README.md"), "## The simulator")
	var usage bytes.Buffer
	parseFlags([]string{"-h"}, &usage)
	flags := testenv.FlagsIn(usage.String())
	if len(flags) < 10 {
		t.Fatalf("found only %v in inbox-sim -h:\n%s", flags, usage.String())
	}
	for _, f := range flags {
		if !strings.Contains(readme, "`--"+f+"`") {
			t.Errorf("README's simulator table lacks --%s", f)
		}
	}
}

func TestParseFlags(t *testing.T) {
	ok := []struct {
		args  []string
		check func(c config) bool
	}{
		{nil, func(c config) bool {
			return c.addr == "127.0.0.1:8787" && c.opts.Seed == 1 && c.opts.Scale == 1 && c.opts.RateLimit.PerMinute == 300 &&
				len(c.opts.Tokens) == 1 && c.opts.Tokens[0] == inboxsim.DemoToken && !c.opts.Replies
		}},
		{[]string{"--rate-limit", "0"}, func(c config) bool { return c.opts.RateLimit.Disabled }},
		{[]string{"--token", "a, b,", "--replies", "--reply-delay", "1s"}, func(c config) bool {
			return strings.Join(c.opts.Tokens, "|") == "a|b" && c.opts.Replies && c.opts.ReplyDelay == time.Second
		}},
		{[]string{"--latency", "200ms", "--jitter", "50ms", "--error-rate", "0.1", "--drop-rate", "0.2", "--truncate-rate", "0.3",
			"--fault-methods", "post, patch", "--fault-path", "/messages", "--rate-limit-burst", "3"}, func(c config) bool {
			f := c.opts.Faults
			return f.Latency == 200*time.Millisecond && f.Jitter == 50*time.Millisecond && f.ErrorRate == 0.1 &&
				f.DropAfterProcessRate == 0.2 && f.TruncateRate == 0.3 && strings.Join(f.Methods, ",") == "POST,PATCH" &&
				f.PathContains == "/messages" && f.RateLimitBurst == 3
		}},
		{[]string{"--db", "x.db", "--seed", "7", "--scale", "34", "--log-level", "debug"}, func(c config) bool {
			return c.opts.DBPath == "x.db" && c.opts.Seed == 7 && c.opts.Scale == 34 && c.logLevel.String() == "DEBUG"
		}},
	}
	for _, tc := range ok {
		c, err := parseFlags(tc.args, io.Discard)
		if err != nil || !tc.check(c) {
			t.Errorf("%v: %+v, %v", tc.args, c, err)
		}
	}
	for _, args := range [][]string{
		{"--error-rate", "2"}, {"--drop-rate", "-1"}, {"--scale", "0"}, {"--rate-limit", "-5"},
		{"--token", " , "}, {"--log-level", "loud"}, {"extra"}, {"--nope"},
	} {
		if _, err := parseFlags(args, io.Discard); err == nil {
			t.Errorf("%v was accepted", args)
		}
	}
}

// syncBuffer is a bytes.Buffer safe to read while run writes to it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestRun starts the command on a free port, calls the API with the printed URL and token,
// and shuts it down through its context as SIGINT would.
func TestRun(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr syncBuffer
	done := make(chan int)
	go func() {
		done <- run(ctx, []string{"--addr", "127.0.0.1:0", "--token", "secret-test-token"}, &stdout, &stderr)
	}()
	// No deadline on the start (seeding under -race on a loaded machine takes what it
	// takes): wait until the URL is printed, failing only if run returns without it.
	urlRe := regexp.MustCompile(`base URL: (\S+)`)
	var base string
	for base == "" {
		if m := urlRe.FindStringSubmatch(stdout.String()); m != nil {
			base = m[1]
			break
		}
		select {
		case code := <-done:
			cancel()
			t.Fatalf("run returned %d without printing a base URL; stdout %q stderr %q", code, stdout.String(), stderr.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	if !strings.Contains(stdout.String(), "token:    secret-test-token") {
		t.Errorf("token not printed: %q", stdout.String())
	}
	v2 := regexp.MustCompile(`v2 URL: +(\S+)`).FindStringSubmatch(stdout.String())
	if v2 == nil || v2[1] != strings.TrimSuffix(base, "/api/v1")+"/api/v2" {
		t.Fatalf("no v2 URL next to %s in %q", base, stdout.String())
	}
	req, _ := http.NewRequest("GET", v2[1]+"/platforms", nil)
	req.Header.Set("Authorization", "Bearer secret-test-token")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"linkedin"`) {
		t.Fatalf("GET %s/platforms: %d %s", v2[1], resp.StatusCode, body)
	}
	req, _ = http.NewRequest("GET", base+"/team", nil)
	req.Header.Set("Authorization", "Bearer secret-test-token")
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "Northwind Labs") {
		t.Fatalf("GET /team: %d %s", resp.StatusCode, body)
	}
	if resp.Header.Get("X-RateLimit-Limit") != "300" {
		t.Errorf("rate limit header %q", resp.Header.Get("X-RateLimit-Limit"))
	}
	cancel()
	// No deadline on the shutdown either: a run that never returns ends at the test timeout.
	if code := <-done; code != 0 {
		t.Fatalf("exit code %d; stderr %s", code, stderr.String())
	}
	if !strings.Contains(stderr.String(), "shutting down") || strings.Contains(stderr.String(), "secret-test-token") {
		t.Errorf("stderr: %q", stderr.String())
	}
	if code := run(context.Background(), []string{"--scale", "-1"}, io.Discard, io.Discard); code != 2 {
		t.Errorf("bad flags: exit code %d, want 2", code)
	}
}
