package v1

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/inbox-mcp/inbox-mcp/apiclient"
	"github.com/inbox-mcp/inbox-mcp/inboxsim"
)

// simEnv is a simulator on a real TCP port and a v1 client whose every request is checked
// against the OpenAPI document.
type simEnv struct {
	srv  *inboxsim.Server
	c    *Client
	spec *specTransport
}

// startSim starts a simulator (rate limits off unless opts sets them) and a client
// (cfg adjusts the transport configuration). Both are closed when the test ends.
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
	ac := apiclient.Config{
		BaseURL:       srv.URL,
		Token:         srv.Token,
		HTTPClient:    &http.Client{Transport: spec},
		RatePerMinute: -1,
		Timeout:       5 * time.Second,
		VerifyDelay:   50 * time.Millisecond,
	}
	if cfg != nil {
		cfg(&ac)
	}
	tc, err := apiclient.New(ac)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(tc.Close)
	return &simEnv{srv: srv, c: New(tc), spec: spec}
}

// small is a simulator data set of about 60 threads, for tests that need a few threads
// rather than pages of them: it seeds several times faster.
var small = inboxsim.Options{Scale: 0.3}

func testCtx(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
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
