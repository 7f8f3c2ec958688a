package v2

import (
	"context"
	"testing"

	"github.com/inbox-mcp/inbox-mcp/inboxsim"
)

// startSim starts the simulator in process (rate limits off unless opts sets them), closed
// when the test ends; the client meets it over HTTP like any v2 server.
func startSim(t testing.TB, opts inboxsim.Options) *inboxsim.Server {
	t.Helper()
	if opts.Scale == 0 {
		opts.Scale = 0.3
	}
	if opts.RateLimit == (inboxsim.RateLimits{}) {
		opts.RateLimit.Disabled = true
	}
	srv, err := inboxsim.Start(context.Background(), "", opts)
	if err != nil {
		t.Fatalf("start the simulator: %v", err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	return srv
}

// simTarget is the simulator as a target of the tests that run on any v2 server.
func simTarget(t *testing.T) target {
	srv := startSim(t, inboxsim.Options{})
	return target{name: "simulator", baseURL: srv.V2URL(), token: srv.Token}
}
