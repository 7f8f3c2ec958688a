package app_test

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/inbox-mcp/inbox-mcp/app"
	"github.com/inbox-mcp/inbox-mcp/inbox"
	"github.com/inbox-mcp/inbox-mcp/inboxsim"
	"github.com/inbox-mcp/inbox-mcp/internal/testenv"
)

// TestPerRequestToken serves two people with their own keys from one server, over real HTTP.
func TestPerRequestToken(t *testing.T) {
	sim := testenv.Sim(t, func(o *inboxsim.Options) { o.Tokens = []string{"key-alex", "key-sam"} })
	var made atomic.Int32
	src := app.PerRequestToken(func(_ context.Context, token string) (inbox.Backend, error) {
		made.Add(1)
		return testenv.BackendWithToken(t, sim.URL, token), nil
	})
	s, err := app.New(app.Config{Backends: src})
	if err != nil {
		t.Fatal(err)
	}
	c := testenv.Connect(t, s)
	ctx := context.Background()
	for _, tok := range []string{"key-alex", "key-sam", "key-alex", "key-sam"} {
		res := testenv.CallCtx(t, app.ContextWithToken(ctx, tok), c, "list_threads", map[string]any{"limit": 2})
		if res.IsError {
			t.Fatalf("token %s: %s", tok, testenv.Text(res))
		}
	}
	if n := made.Load(); n != 2 {
		t.Fatalf("%d backends made for 2 tokens used twice each; want one per token", n)
	}
	res := testenv.CallCtx(t, app.ContextWithToken(ctx, "key-mallory"), c, "list_threads", nil)
	if !res.IsError || !strings.Contains(testenv.Text(res), "rejected the API token") {
		t.Fatalf("unknown key: %q", testenv.Text(res))
	}
	res = testenv.CallCtx(t, ctx, c, "get_directory", nil)
	if !res.IsError || !strings.Contains(testenv.Text(res), "Authorization: Bearer") {
		t.Fatalf("no key: %q", testenv.Text(res))
	}
	// The cache key is a hash: the token itself appears nowhere in what the source returns.
	_, key, err := src.Backend(app.ContextWithToken(ctx, "key-alex"))
	if err != nil || strings.Contains(key, "key-alex") || len(key) < 32 {
		t.Fatalf("key %q, %v", key, err)
	}
}

func TestPerRequestTokenBounded(t *testing.T) {
	var made atomic.Int32
	src := app.PerRequestToken(func(context.Context, string) (inbox.Backend, error) {
		made.Add(1)
		return nil, nil
	})
	ctx := context.Background()
	for i := range app.MaxCachedTokens + 1 {
		if _, _, err := src.Backend(app.ContextWithToken(ctx, "tok-"+string(rune('a'+i%26))+strings.Repeat("x", i))); err != nil {
			t.Fatal(err)
		}
	}
	// The first token was evicted (least recently used), the last is still cached.
	before := made.Load()
	src.Backend(app.ContextWithToken(ctx, "tok-a"))
	if made.Load() != before+1 {
		t.Fatal("the least recently used token was not evicted")
	}
	last := app.MaxCachedTokens
	src.Backend(app.ContextWithToken(ctx, "tok-"+string(rune('a'+last%26))+strings.Repeat("x", last)))
	if made.Load() != before+1 {
		t.Fatal("a recent token was rebuilt")
	}
}
