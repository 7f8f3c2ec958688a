package resources_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/inbox-mcp/inbox-mcp/internal/testenv"
	"github.com/inbox-mcp/inbox-mcp/resources"
	"github.com/inbox-mcp/inbox-mcp/tools"
)

// TestSubscribeLimits: only the server's own URIs can be followed, at most
// resources.MaxPerSession per session; a refusal says what to do.
func TestSubscribeLimits(t *testing.T) {
	h := shared[testenv.DefaultVersion]
	subscribe := func(c *client.Client, uri string) error {
		var sub mcp.SubscribeRequest
		sub.Params.URI = uri
		//lint:ignore SA1019 resources/subscribe is the RPC of protocol 2025-11-25 this covers
		return c.Subscribe(context.Background(), sub)
	}
	refused := []struct{ name, uri, want string }{
		{"another scheme", "https://example.com/x", "only this server's resources"},
		{"a path we do not serve", "inbox://threads/abc/secrets", "only this server's resources"},
		{"a 900 KB URI", "inbox://threads/" + strings.Repeat("a", 900<<10) + "/transcript", "only this server's resources"},
		{"an ID that is not an Inbox ID", "inbox://prospects/../team", "only this server's resources"},
	}
	c := testenv.Connect(t, h.Server, client.WithProtocolVersion("2025-11-25"))
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			err := subscribe(c, tt.uri)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %.300v, want one saying %q", err, tt.want)
			}
			if err != nil && len(err.Error()) > 1000 {
				t.Errorf("the refusal echoes %d characters", len(err.Error()))
			}
		})
	}
	t.Run("per session", func(t *testing.T) {
		c := testenv.Connect(t, h.Server, client.WithProtocolVersion("2025-11-25"))
		for i := range resources.MaxPerSession {
			if err := subscribe(c, tools.TranscriptURI(fmt.Sprintf("thread%04d", i))); err != nil {
				t.Fatalf("subscription %d: %v", i, err)
			}
		}
		if err := subscribe(c, tools.TranscriptURI("thread0000")); err != nil {
			t.Errorf("subscribing again to a followed URI: %v", err)
		}
		err := subscribe(c, tools.TranscriptURI("onemore"))
		if err == nil || !strings.Contains(err.Error(), "unsubscribe") {
			t.Errorf("subscription %d: err = %v, want a refusal that says to unsubscribe", resources.MaxPerSession+1, err)
		}
		// Another session has its own allowance.
		other := testenv.Connect(t, h.Server, client.WithProtocolVersion("2025-11-25"))
		if err := subscribe(other, tools.TranscriptURI("onemore")); err != nil {
			t.Errorf("another session: %v", err)
		}
	})
}
