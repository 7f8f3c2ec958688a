package tools_test

import (
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/inbox-mcp/inbox-mcp/app"
	"github.com/inbox-mcp/inbox-mcp/internal/testenv"
	"github.com/inbox-mcp/inbox-mcp/tools"
)

// TestBulkThresholdHoldsAcrossCalls: a model that splits a large change into calls under
// the threshold is asked once the team's unconfirmed changes of the last BulkWindow pass
// it, by token and in the client's dialog; the window slides on.
func TestBulkThresholdHoldsAcrossCalls(t *testing.T) {
	t.Parallel()
	clock := newTestClock()
	testenv.ForVersions(t, app.Config{ConfirmSends: tools.ConfirmAuto, Now: clock.Now}, func(t *testing.T, h *testenv.Harness) {
		ids := prospectIDs(t, h)
		// A new tag, so that every listed prospect is changed and counts.
		h.CallOK(t, tools.NameManageLabels, map[string]any{"kind": "tag", "action": "create", "name": "Batch"})
		tokenClient := testenv.Connect(t, h.Server, client.WithElicitationHandler(nil))
		tag := func(c *client.Client, from, to int) (*mcp.CallToolResult, tools.BulkResult) {
			res := call(t, c, tools.NameBulkUpdate, map[string]any{"prospects": ids[from:to], "add_tags": []any{"Batch"}})
			return res, testenv.Decode[tools.BulkResult](t, res)
		}

		if _, r := tag(tokenClient, 0, 20); r.Status != "" || r.Changed != 20 {
			t.Fatalf("20 prospects, the first change of the window: %+v", r)
		}
		before := h.LastEvent(t)
		res, r := tag(tokenClient, 20, 30)
		if r.Status != tools.BulkNeedsConfirmation || r.ConfirmToken == "" {
			t.Fatalf("10 more within the window ran without approval: %+v %q", r, testenv.Text(res))
		}
		for _, want := range []string{"in the last 10 minutes", "NOTHING CHANGED YET"} {
			if !strings.Contains(testenv.Text(res), want) {
				t.Errorf("the question lacks %q: %q", want, testenv.Text(res))
			}
		}
		if h.LastEvent(t) != before {
			t.Fatal("the call that needs approval changed prospects")
		}

		// In the client's dialog: the person is asked, and a "no" changes nothing.
		no := &person{action: mcp.ElicitationResponseActionDecline}
		if _, r := tag(testenv.Connect(t, h.Server, client.WithElicitationHandler(no)), 30, 36); r.Status != tools.BulkDeclined || len(no.asked()) != 1 ||
			!strings.Contains(no.asked()[0], "in the last 10 minutes") {
			t.Fatalf("6 more, declined in the client: %+v, asked %q", r, no.asked())
		}
		if h.LastEvent(t) != before {
			t.Fatal("a declined change changed prospects")
		}

		// Approved by token: it runs, and does not count against the window.
		args := map[string]any{"prospects": ids[20:30], "add_tags": []any{"Batch"}, "confirm_token": r.ConfirmToken}
		if r := testenv.Decode[tools.BulkResult](t, call(t, tokenClient, tools.NameBulkUpdate, args)); r.Status != "" || r.Changed != 10 {
			t.Fatalf("approved by token: %+v", r)
		}
		if _, r := tag(tokenClient, 30, 35); r.Status != "" {
			t.Fatalf("5 more (25 unapproved in the window) asked: %+v", r)
		}
		if _, r := tag(tokenClient, 35, 36); r.Status != tools.BulkNeedsConfirmation {
			t.Fatalf("the 26th unapproved prospect of the window ran: %+v", r)
		}

		// Once the window has moved past the first changes, small calls run again.
		clock.Advance(tools.BulkWindow)
		if _, r := tag(tokenClient, 40, 60); r.Status != "" {
			t.Fatalf("after the window: %+v", r)
		}
	})
}
