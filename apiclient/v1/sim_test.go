package v1

import (
	"context"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/inbox-mcp/inbox-mcp/apiclient"
	"github.com/inbox-mcp/inbox-mcp/apiclient/apiclienttest"
	"github.com/inbox-mcp/inbox-mcp/inboxsim"
)

// simEnv is a simulator on a real TCP port and a v1 client whose every request is checked
// against the OpenAPI document.
type simEnv struct {
	srv  *inboxsim.Server
	c    *Client
	spec *specTransport
	// tm decides when the client's attempts time out: never on the wall clock (a loaded
	// machine can outrun any short timeout), only when a test expires them.
	tm *apiclienttest.Timeouts
}

// startSim starts a simulator (rate limits off unless opts sets them) and a client
// (cfg adjusts the transport configuration). Both are closed when the test ends. The
// client's attempts time out only through env.tm.
func startSim(t testing.TB, opts inboxsim.Options, cfg func(*apiclient.Config)) *simEnv {
	t.Helper()
	if opts.Seed == 0 {
		opts.Seed = 7
	}
	if opts.RateLimit == (inboxsim.RateLimits{}) {
		opts.RateLimit.Disabled = true
	}
	srv, err := inboxsim.Start(context.Background(), "", opts)
	if err != nil {
		t.Fatalf("start simulator: %v", err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	tr := &http.Transport{MaxIdleConnsPerHost: 16}
	t.Cleanup(tr.CloseIdleConnections)
	spec := newSpecTransport(t, tr)
	tm := &apiclienttest.Timeouts{}
	ac := apiclient.Config{
		BaseURL:        srv.URL,
		Token:          srv.Token,
		HTTPClient:     &http.Client{Transport: spec},
		RatePerMinute:  -1,
		Timeout:        5 * time.Second,
		VerifyDelay:    50 * time.Millisecond,
		AttemptContext: tm.Context,
	}
	if cfg != nil {
		cfg(&ac)
	}
	tc, err := apiclient.New(ac)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(tc.Close)
	return &simEnv{srv: srv, c: New(tc), spec: spec, tm: tm}
}

// untilClientLeaves holds a request in the simulator's Wait hook until the client has left
// it, and returns the error that makes the simulator abandon it unprocessed. The unread body
// is drained first: net/http notices a closed connection only once the body was read.
func untilClientLeaves(w inboxsim.FaultWait) error {
	_, _ = io.Copy(io.Discard, w.Request.Body)
	<-w.Context.Done()
	return w.Context.Err()
}

// small is a simulator data set of about 60 threads, for tests that need a few threads
// rather than pages of them: it seeds several times faster.
var small = inboxsim.Options{Scale: 0.3}

// testCtx is the test's context. It has no deadline of its own, which a loaded machine
// could outrun: go test's -timeout ends a call that hangs.
func testCtx(t testing.TB) context.Context {
	return t.Context()
}

// ok turns a (value, error) pair into a value, failing the test on error:
// ok(c.Team(ctx))(t).
func ok[T any](v T, err error) func(testing.TB) T {
	return func(t testing.TB) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

// allThreads walks every thread of a view through the iterator.
func allThreads(t testing.TB, c *Client, p ThreadListParams) []Thread {
	t.Helper()
	out, err := apiclient.Collect(c.Threads(testCtx(t), p, 0))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// sendableThread returns a thread of an active account link, optionally of a variant.
func sendableThread(t testing.TB, c *Client, variant ThreadVariant) Thread {
	t.Helper()
	ctx := testCtx(t)
	active := map[string]bool{}
	for _, l := range ok(c.AccountLinks(ctx))(t) {
		active[l.ID] = l.Status == AccountActive
	}
	for th, err := range c.Threads(ctx, ThreadListParams{}, 0) {
		if err != nil {
			t.Fatal(err)
		}
		if active[th.AccountLinkID] && (variant == "" || th.Variant == variant) && th.LastMessage != nil {
			return th
		}
	}
	t.Fatalf("the seeded data has no %q thread on an active account link", variant)
	return Thread{}
}

// contents counts, per text, the messages of a thread.
func contents(t testing.TB, c *Client, threadID string) map[string]int {
	t.Helper()
	n := map[string]int{}
	for m, err := range c.Messages(testCtx(t), threadID, 0) {
		if err != nil {
			t.Fatal(err)
		}
		n[m.Content]++
	}
	return n
}
