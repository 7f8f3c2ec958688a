package server_test

import (
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/inbox-mcp/inbox-mcp/apiclient"
	"github.com/inbox-mcp/inbox-mcp/app"
	"github.com/inbox-mcp/inbox-mcp/inboxsim"
	"github.com/inbox-mcp/inbox-mcp/internal/server"
	"github.com/inbox-mcp/inbox-mcp/internal/testenv"
)

// TestPerRequestKeys: without a key of its own, the server gives each request's key a
// backend of its own, filed under the key's hash, that authenticates with that key; an
// error from the API never quotes a key.
func TestPerRequestKeys(t *testing.T) {
	const alex, sam, mallory = "inbox-key-alex-0c1d2e3f4a5b", "inbox-key-sam-6c7d8e9f0a1b", "inbox-key-mallory-2c3d4e5f"
	sim := testenv.Sim(t, func(o *inboxsim.Options) { o.Tokens = []string{alex, sam} })
	s, err := server.New(context.Background(), server.Config{API: server.API{URL: sim.URL, Client: apiclient.Config{RatePerMinute: -1}},
		Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	if !s.PerRequestKeys {
		t.Fatal("a server without a key does not ask requests for theirs")
	}
	byKey := map[string]any{}
	for _, key := range []string{alex, sam, alex} {
		b, cacheKey, err := s.Backends.Backend(app.ContextWithToken(context.Background(), key))
		if err != nil || strings.Contains(cacheKey, key) {
			t.Fatalf("backend of %s: cache key %q, %v", key, cacheKey, err)
		}
		if prev, ok := byKey[key]; ok && prev != b {
			t.Fatal("the same key got a second backend")
		}
		byKey[key] = b
		// The backend was made for the key: it needs no key in the context of its calls.
		if _, err := b.Team(context.Background()); err != nil {
			t.Fatalf("backend of %s: %v", key, err)
		}
	}
	if byKey[alex] == byKey[sam] {
		t.Fatal("two keys share a backend")
	}
	b, _, err := s.Backends.Backend(app.ContextWithToken(context.Background(), mallory))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Team(context.Background()); !apiclient.IsAuth(err) || strings.Contains(err.Error(), mallory) {
		t.Fatalf("an unknown key: %v", err)
	}
	if _, _, err := s.Backends.Backend(context.Background()); err == nil || !strings.Contains(err.Error(), "No Inbox API key came with this request") {
		t.Fatalf("a request without a key: %v", err)
	}
}
