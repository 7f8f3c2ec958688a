package tools_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/inbox-mcp/inbox-mcp/app"
	"github.com/inbox-mcp/inbox-mcp/inbox"
	"github.com/inbox-mcp/inbox-mcp/internal/testenv"
	"github.com/inbox-mcp/inbox-mcp/tools"
)

// testClock is a clock the test moves by hand.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func newTestClock() *testClock { return &testClock{now: time.Now()} }

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// prospectIDs returns the distinct prospect IDs of the default view, in listing order.
func prospectIDs(t *testing.T, h *testenv.Harness) []any {
	t.Helper()
	var ids []any
	seen := map[string]bool{}
	for _, th := range testenv.AllThreads(t, h.Backend, inbox.ThreadQuery{View: inbox.ViewDefault}, 0) {
		if th.Prospect.ID != "" && !seen[th.Prospect.ID] {
			seen[th.Prospect.ID] = true
			ids = append(ids, th.Prospect.ID)
		}
	}
	if len(ids) < 60 {
		t.Fatalf("%d prospects in the default view; the test needs 60", len(ids))
	}
	return ids
}

// TestBulkExpiredTokenSaysExpired: an expired confirm_token is called expired, not a token
// for another change.
func TestBulkExpiredTokenSaysExpired(t *testing.T) {
	t.Parallel()
	clock := newTestClock()
	testenv.ForVersions(t, app.Config{ConfirmSends: tools.ConfirmToken, Now: clock.Now}, func(t *testing.T, h *testenv.Harness) {
		ids := prospectIDs(t, h)
		args := map[string]any{"prospects": ids[:tools.BulkConfirmThreshold+5], "add_tags": []any{"Follow Up"}}
		need := testenv.Decode[tools.BulkResult](t, h.CallOK(t, tools.NameBulkUpdate, args))
		if need.Status != tools.BulkNeedsConfirmation {
			t.Fatalf("first step: %+v", need)
		}
		clock.Advance(tools.ConfirmTTL + time.Second)
		args["confirm_token"] = need.ConfirmToken
		res := h.Call(t, tools.NameBulkUpdate, args)
		out := testenv.Decode[tools.BulkResult](t, res)
		if text := testenv.Text(res); !strings.Contains(text, "is expired") || strings.Contains(text, "not for exactly this change") ||
			out.Status != tools.BulkNeedsConfirmation || out.ConfirmToken == need.ConfirmToken {
			t.Fatalf("expired token: %+v %q", out, text)
		}
	})
}
