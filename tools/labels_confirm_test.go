package tools_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/inbox-mcp/inbox-mcp/app"
	"github.com/inbox-mcp/inbox-mcp/inbox"
	"github.com/inbox-mcp/inbox-mcp/internal/testenv"
	"github.com/inbox-mcp/inbox-mcp/tools"
)

// holders counts the prospects that carry a tag or status, from the API.
func holders(t *testing.T, h *testenv.Harness, q func(*inbox.ThreadQuery)) int {
	t.Helper()
	var ts []inbox.Thread
	for _, v := range []inbox.View{inbox.ViewDefault, inbox.ViewRequests, inbox.ViewArchived} {
		qq := inbox.ThreadQuery{View: v}
		q(&qq)
		ts = append(ts, testenv.AllThreads(t, h.Backend, qq, 0)...)
	}
	return len(prospectsIn(ts))
}

// TestLabelDeleteConfirmed: deleting a tag or status that prospects carry is a bulk change:
// the person approves it, told how many prospects lose it, by token or in the client's
// dialog; one nobody carries goes at once.
func TestLabelDeleteConfirmed(t *testing.T) {
	t.Parallel()
	testenv.ForVersions(t, app.Config{ConfirmSends: tools.ConfirmAuto}, func(t *testing.T, h *testenv.Harness) {
		dir := names(t, h.Backend)
		pricing, _ := dir.FindTag("Pricing")
		qualified, _ := dir.FindStatus("Qualified")
		wantTag := holders(t, h, func(q *inbox.ThreadQuery) { q.TagIDs = []string{pricing.ID} })
		wantStatus := holders(t, h, func(q *inbox.ThreadQuery) { q.StatusIDs = []string{qualified.ID} })
		if wantTag == 0 || wantStatus == 0 {
			t.Fatal("the seeded data has no prospect with Pricing or Qualified; the test proves nothing")
		}
		exists := func(kind, name string) bool {
			s := names(t, h.Backend)
			if kind == "tag" {
				_, err := s.FindTag(name)
				return err == nil
			}
			_, err := s.FindStatus(name)
			return err == nil
		}
		del := map[string]any{"kind": "tag", "action": "delete", "name": "Pricing"}

		// By token: the first call deletes nothing and says how many lose the tag.
		tokenClient := testenv.Connect(t, h.Server, client.WithElicitationHandler(nil))
		res := call(t, tokenClient, tools.NameManageLabels, del)
		need := testenv.Decode[tools.LabelResult](t, res)
		if need.Status != tools.BulkNeedsConfirmation || need.ConfirmToken == "" || need.Affected != strconv.Itoa(wantTag) ||
			!strings.Contains(testenv.Text(res), strconv.Itoa(wantTag)+" prospect(s)") || !strings.Contains(testenv.Text(res), "NOTHING") {
			t.Fatalf("first step: %+v %q", need, testenv.Text(res))
		}
		h.CheckOutput(t, tools.NameManageLabels, res)
		if !exists("tag", "Pricing") {
			t.Fatal("the first step deleted the tag")
		}

		// In the client's dialog: declined deletes nothing.
		no := &person{action: mcp.ElicitationResponseActionDecline}
		res = call(t, testenv.Connect(t, h.Server, client.WithElicitationHandler(no)), tools.NameManageLabels, del)
		if out := testenv.Decode[tools.LabelResult](t, res); out.Status != tools.BulkDeclined || len(no.asked()) != 1 ||
			!strings.Contains(no.asked()[0], strconv.Itoa(wantTag)+" prospect(s)") {
			t.Fatalf("declined: %+v %q, asked %q", out, testenv.Text(res), no.asked())
		}
		if !exists("tag", "Pricing") {
			t.Fatal("a declined delete deleted the tag")
		}

		// The token, once the person said yes, deletes it.
		del["confirm_token"] = need.ConfirmToken
		if out := testenv.Decode[tools.LabelResult](t, call(t, tokenClient, tools.NameManageLabels, del)); out.Done != "deleted" || exists("tag", "Pricing") {
			t.Fatalf("with the token: %+v", out)
		}

		// Approved in the client's dialog.
		yes := &person{action: mcp.ElicitationResponseActionAccept, confirm: true}
		out := testenv.Decode[tools.LabelResult](t, call(t, testenv.Connect(t, h.Server, client.WithElicitationHandler(yes)), tools.NameManageLabels,
			map[string]any{"kind": "status", "action": "delete", "name": "Qualified"}))
		if out.Done != "deleted" || len(yes.asked()) != 1 || !strings.Contains(yes.asked()[0], strconv.Itoa(wantStatus)+" prospect(s)") || exists("status", "Qualified") {
			t.Fatalf("approved in the client: %+v, asked %q", out, yes.asked())
		}

		// A client of an earlier protocol is asked by the server, with the same question.
		contacted, _ := dir.FindStatus("Contacted")
		wantContacted := holders(t, h, func(q *inbox.ThreadQuery) { q.StatusIDs = []string{contacted.ID} })
		legacyNo := &person{action: mcp.ElicitationResponseActionDecline}
		legacy := testenv.Connect(t, h.Server, client.WithElicitationHandler(legacyNo), client.WithProtocolVersion(legacyProtocol))
		if out := testenv.Decode[tools.LabelResult](t, call(t, legacy, tools.NameManageLabels, map[string]any{"kind": "status", "action": "delete", "name": "Contacted"})); wantContacted == 0 ||
			out.Status != tools.BulkDeclined || len(legacyNo.asked()) != 1 || !strings.Contains(legacyNo.asked()[0], strconv.Itoa(wantContacted)+" prospect(s)") || !exists("status", "Contacted") {
			t.Fatalf("declined by a client of protocol %s: %+v, asked %q", legacyProtocol, out, legacyNo.asked())
		}

		// Nobody carries a new tag: it goes without a question.
		call(t, tokenClient, tools.NameManageLabels, map[string]any{"kind": "tag", "action": "create", "name": "Unused"})
		if out := testenv.Decode[tools.LabelResult](t, call(t, tokenClient, tools.NameManageLabels, map[string]any{"kind": "tag", "action": "delete", "name": "Unused"})); out.Done != "deleted" || out.Affected != "0" {
			t.Fatalf("deleting a tag nobody has: %+v", out)
		}
	})
}
