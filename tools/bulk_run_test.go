package tools_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/inbox-mcp/inbox-mcp/app"
	"github.com/inbox-mcp/inbox-mcp/inbox"
	"github.com/inbox-mcp/inbox-mcp/inboxsim"
	"github.com/inbox-mcp/inbox-mcp/internal/testenv"
	"github.com/inbox-mcp/inbox-mcp/tools"
)

// records reads, through the API, the record of every prospect with a thread in view: tags,
// status and the assignee of their threads (v1 keeps it there).
func records(t *testing.T, b inbox.Backend, views ...inbox.View) map[string]inbox.Thread {
	t.Helper()
	out := map[string]inbox.Thread{}
	for _, v := range views {
		for _, th := range testenv.AllThreads(t, b, inbox.ThreadQuery{View: v}, 0) {
			out[th.Prospect.ID] = th
		}
	}
	return out
}

// assigneeOf is a prospect's assignee as the API keeps it: v1 on the person's threads, v2
// on the contact (the default assignee of their threads, which a thread's own overrides).
func assigneeOf(h *testenv.Harness, th inbox.Thread) string {
	if h.Backend.Features().RecordAssignee {
		return th.Prospect.Context.AssigneeID
	}
	return th.AssigneeID
}

func TestBulkUpdateIdempotent(t *testing.T) {
	t.Parallel()
	testenv.ForVersions(t, app.Config{}, func(t *testing.T, h *testenv.Harness) {
		dir := names(t, h.Backend)
		pricing, _ := dir.FindTag("Pricing")
		follow, _ := dir.FindTag("Follow Up")
		hot, _ := dir.FindTag("Hot Lead")
		qualified, _ := dir.FindStatus("Qualified")
		marco, _ := dir.FindMember("Marco Bianchi")
		selected := prospectsIn(testenv.AllThreads(t, h.Backend, inbox.ThreadQuery{View: inbox.ViewDefault, TagIDs: []string{pricing.ID}}, 0))

		set := map[string]any{"where": map[string]any{"tags": []any{"Pricing"}}, "add_tags": []any{"Follow Up"},
			"remove_tags": []any{"Hot Lead"}, "status": "Qualified", "assignee": "Marco Bianchi"}
		first := bulk(t, h, set)
		if first.Matched != len(selected) || first.Changed == 0 || first.Failed != 0 || first.Changed+first.Unchanged != first.Matched {
			t.Fatalf("first run: %+v", first)
		}
		if len(first.Sample) == 0 || len(first.Sample) > 10 || !selected[first.Sample[0].ProspectID] {
			t.Fatalf("sample of changed prospects: %+v", first.Sample)
		}
		for id, th := range records(t, h.Backend, inbox.ViewDefault) {
			if !selected[id] {
				continue
			}
			c := th.Prospect.Context
			if !slices.Contains(c.TagIDs, follow.ID) || slices.Contains(c.TagIDs, hot.ID) || c.StatusID != qualified.ID || assigneeOf(h, th) != marco.ID {
				t.Errorf("prospect %s after the run: tags %v, status %s, assignee %s", id, c.TagIDs, c.StatusID, assigneeOf(h, th))
			}
		}
		again := bulk(t, h, set)
		if again.Changed != 0 || again.Unchanged != again.Matched || again.Matched != first.Matched || again.Failed != 0 {
			t.Fatalf("second run changed something: %+v", again)
		}

		clear := map[string]any{"where": map[string]any{"tags": []any{"Pricing"}}, "status": "none", "assignee": "none"}
		if r := bulk(t, h, clear); r.Changed != r.Matched || r.Failed != 0 {
			t.Fatalf("clearing: %+v", r)
		}
		for id, th := range records(t, h.Backend, inbox.ViewDefault) {
			if selected[id] && (th.Prospect.Context.StatusID != "" || assigneeOf(h, th) != "") {
				t.Errorf("prospect %s still has status %q, assignee %q", id, th.Prospect.Context.StatusID, assigneeOf(h, th))
			}
		}
		if r := bulk(t, h, clear); r.Changed != 0 || r.Unchanged != r.Matched {
			t.Fatalf("clearing twice: %+v", r)
		}
		// A listed prospect is as idempotent as a selected one, assignee included.
		listed := map[string]any{"prospects": []any{first.Sample[0].ProspectID}, "assignee": "Aiko Mori"}
		if r := bulk(t, h, listed); r.Changed != 1 {
			t.Fatalf("assigning a listed prospect: %+v", r)
		}
		if r := bulk(t, h, listed); r.Changed != 0 || r.Unchanged != 1 {
			t.Fatalf("assigning a listed prospect twice: %+v", r)
		}
	})
}

func TestBulkUpdatePartialFailure(t *testing.T) {
	// Its own simulator, and waits between retries: it runs beside the others.
	t.Parallel()
	testenv.ForVersions(t, app.Config{}, func(t *testing.T, h *testenv.Harness) {
		dir := names(t, h.Backend)
		hot, _ := dir.FindTag("Hot Lead")
		follow, _ := dir.FindTag("Follow Up")
		var ids []string
		for id := range prospectsIn(testenv.AllThreads(t, h.Backend, inbox.ThreadQuery{View: inbox.ViewNoReply}, 0)) {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		ids = ids[:20]
		victim := ids[3]
		// Every update of the victim's tags fails with a 5xx, retries included: v1 changes a
		// prospect's tags with PATCH /prospects/{id}/context, v2 with PUT /contacts/{id}/tags/….
		tagging := map[string]struct{ method, path string }{"v1": {"PATCH", "/prospects/" + victim + "/context"}, "v2": {"PUT", "/contacts/" + victim + "/tags/"}}[h.Version]
		h.Sim.Sim.SetFaults(inboxsim.Faults{ErrorRate: 1, Methods: []string{tagging.method}, PathContains: tagging.path})
		list := []any{"zzzzzzzzzzzzzzzzzzzzzzzz", "@nobody_at_all_x"}
		for _, id := range ids {
			list = append(list, id)
		}
		r := bulk(t, h, map[string]any{"prospects": list, "add_tags": []any{"Hot Lead"}})
		if r.Matched != len(ids) || r.Failed != 3 || len(r.Failures) != 3 || r.Changed+r.Unchanged+1 != len(ids) {
			t.Fatalf("matched %d, changed %d, unchanged %d, failed %d: %+v", r.Matched, r.Changed, r.Unchanged, r.Failed, r.Failures)
		}
		reasons := map[string]string{}
		for _, f := range r.Failures {
			reasons[f.Prospect] = f.Reason
		}
		for who, want := range map[string]string{victim: "failed (50", "zzzzzzzzzzzzzzzzzzzzzzzz": "no prospect or thread", "@nobody_at_all_x": "not in the team's Inbox"} {
			if !strings.Contains(reasons[who], want) {
				t.Errorf("failure of %s: %q, want it to say %q", who, reasons[who], want)
			}
		}
		recs := records(t, h.Backend, inbox.ViewNoReply)
		for _, id := range ids {
			if has := slices.Contains(recs[id].Prospect.Context.TagIDs, hot.ID); has == (id == victim) {
				t.Errorf("prospect %s: tagged %v after the run", id, has)
			}
		}

		// Random server errors on half the updates: whatever fails is reported and left as it
		// was, everything else is applied, and a second run finishes the job.
		h.Sim.Sim.SetFaults(inboxsim.Faults{ErrorRate: 0.5, Methods: []string{tagging.method}})
		args := map[string]any{"prospects": list[2:], "add_tags": []any{"Follow Up"}}
		r = bulk(t, h, args)
		if r.Matched != len(ids) || r.Changed+r.Unchanged+r.Failed != r.Matched || len(r.Failures) != r.Failed {
			t.Fatalf("under faults: %+v", r)
		}
		failed := map[string]bool{}
		for _, f := range r.Failures {
			failed[f.Prospect] = true
		}
		recs = records(t, h.Backend, inbox.ViewNoReply)
		for _, id := range ids {
			if has := slices.Contains(recs[id].Prospect.Context.TagIDs, follow.ID); has == failed[id] {
				t.Errorf("prospect %s: tagged %v, reported failed %v", id, has, failed[id])
			}
		}
		h.Sim.Sim.SetFaults(inboxsim.Faults{})
		again := bulk(t, h, args)
		if again.Failed != 0 || again.Changed != r.Failed || again.Unchanged != len(ids)-r.Failed {
			t.Fatalf("the rerun after %d failures: %+v", r.Failed, again)
		}
	})
}

func TestBulkUpdateProgress(t *testing.T) {
	t.Parallel()
	testenv.ForVersions(t, app.Config{}, func(t *testing.T, h *testenv.Harness) {
		var (
			mu    sync.Mutex
			notes []map[string]any
			// arrived gets a signal per progress notification, so the test waits for the
			// last one instead of polling against a deadline.
			arrived = make(chan struct{}, 1)
		)
		h.Client.OnNotification(func(n mcp.JSONRPCNotification) {
			if n.Method != "notifications/progress" {
				return
			}
			// As a client reads it off the wire: the in-process transport hands over Go values.
			var fields map[string]any
			raw, _ := json.Marshal(n.Params.AdditionalFields)
			if err := json.Unmarshal(raw, &fields); err != nil {
				t.Error(err)
			}
			mu.Lock()
			notes = append(notes, fields)
			mu.Unlock()
			select {
			case arrived <- struct{}{}:
			default:
			}
		})
		call := func(token any) tools.BulkResult {
			var req mcp.CallToolRequest
			req.Params.Name = tools.NameBulkUpdate
			req.Params.Arguments = map[string]any{"where": map[string]any{"inbox": "no-reply"}, "words": []any{"the"}, "from": "any", "add_tags": []any{"Follow Up"}}
			if token != nil {
				req.Params.Meta = &mcp.Meta{ProgressToken: token}
			}
			res, err := h.Client.CallTool(context.Background(), req)
			if err != nil || res.IsError {
				t.Fatalf("call: %v %s", err, testenv.Text(res))
			}
			return testenv.Decode[tools.BulkResult](t, res)
		}
		r := call("bulk-1")
		threads := len(testenv.AllThreads(t, h.Backend, inbox.ThreadQuery{View: inbox.ViewNoReply}, 0))
		total := float64(threads + r.Changed)
		if r.Changed < 10 {
			t.Fatalf("only %d changes: the test needs more to see progress", r.Changed)
		}
		// Notifications travel apart from the answer: wait for the last one. No deadline
		// (a loaded machine may deliver it late); a missing one ends at the test timeout.
		for {
			mu.Lock()
			n := len(notes)
			done := n > 0 && notes[n-1]["progress"] == total
			mu.Unlock()
			if done {
				break
			}
			<-arrived
		}
		mu.Lock()
		got := slices.Clone(notes)
		mu.Unlock()
		if len(got) < 5 || len(got) > 110 {
			t.Fatalf("%d progress notifications for %v units", len(got), total)
		}
		last := -1.0
		var sawRead, sawUpdate bool
		for _, n := range got {
			p, _ := n["progress"].(float64)
			if n["progressToken"] != "bulk-1" || p <= last || n["total"] == nil {
				t.Fatalf("notification %v after progress %v", n, last)
			}
			last = p
			msg, _ := n["message"].(string)
			sawRead = sawRead || strings.Contains(msg, "read messages of")
			sawUpdate = sawUpdate || strings.Contains(msg, "updated")
		}
		if !sawRead || !sawUpdate {
			t.Fatalf("progress messages do not cover both phases: %v", got)
		}
		// Without a token, no notification.
		call(nil)
		time.Sleep(100 * time.Millisecond)
		mu.Lock()
		defer mu.Unlock()
		if len(notes) != len(got) {
			t.Fatalf("%d notifications for a call without a progress token", len(notes)-len(got))
		}
	})
}

func TestBulkUpdateErrors(t *testing.T) {
	t.Parallel()
	testenv.EachVersion(t, shared, func(t *testing.T, h *testenv.Harness) {
		tag := []any{"Hot Lead"}
		tests := []struct {
			args  map[string]any
			wants []string
		}{
			{map[string]any{"prospects": []any{"@someone"}}, []string{"nothing to change"}},
			{map[string]any{"add_tags": tag}, []string{"say who to change"}},
			{map[string]any{"prospects": []any{"@someone"}, "where": map[string]any{"inbox": "no-reply"}, "add_tags": tag}, []string{"not both"}},
			{map[string]any{"where": map[string]any{"colour": "red"}, "add_tags": tag}, []string{"where", "colour", "list_threads' filters"}},
			{map[string]any{"where": map[string]any{"inbox": "spam"}, "add_tags": tag}, []string{"where.inbox must be one of"}},
			{map[string]any{"where": map[string]any{"tags": "Pricing"}, "add_tags": tag}, []string{"where", "tags"}},
			{map[string]any{"where": map[string]any{"since": "last week"}, "add_tags": tag}, []string{"RFC 3339"}},
			{map[string]any{"where": map[string]any{"tags": []any{"Pricng"}}, "add_tags": tag}, []string{`did you mean "Pricing"`}},
			{map[string]any{"where": map[string]any{"inbox": "no-reply"}, "from": "us", "add_tags": tag}, []string{"give words too"}},
			{map[string]any{"where": map[string]any{"inbox": "no-reply"}, "words": []any{" "}, "add_tags": tag}, []string{"empty entry"}},
			{map[string]any{"prospects": []any{"@someone"}, "add_tags": tag, "remove_tags": []any{"hot lead"}}, []string{"both in add_tags and remove_tags"}},
			{map[string]any{"prospects": []any{"@someone"}, "add_tags": []any{"Hot Leed"}}, []string{`did you mean "Hot Lead"`}},
			{map[string]any{"prospects": []any{"@someone"}, "status": "Qualifed"}, []string{`did you mean "Qualified"`}},
			{map[string]any{"prospects": []any{"@someone"}, "assignee": "Nobody Atall"}, []string{`no member named "Nobody Atall"`}},
		}
		for _, tt := range tests {
			wantError(t, h, tools.NameBulkUpdate, tt.args, tt.wants...)
		}
		tooMany := make([]any, tools.MaxBulk+1)
		for i := range tooMany {
			tooMany[i] = "@p" + strings.Repeat("x", i%7)
		}
		wantError(t, h, tools.NameBulkUpdate, map[string]any{"prospects": tooMany, "add_tags": tag})
	})
}

// TestBulkUpdateBatchLimit checks the limit on what one call reads: a selection beyond
// MaxBulk threads is refused, with how to narrow it, before anything is changed.
func TestBulkUpdateBatchLimit(t *testing.T) {
	// Its own large simulator takes a while to seed: let the other tests run meanwhile.
	t.Parallel()
	// The versions share one simulator: the test changes nothing.
	hs, stop, err := testenv.StartVersions(app.Config{}, testenv.WithSim(func(o *inboxsim.Options) { o.Scale = 8 }))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	for _, v := range testenv.Versions {
		t.Run(v, func(t *testing.T) {
			h := hs[v]
			if n := len(testenv.AllThreads(t, h.Backend, inbox.ThreadQuery{View: inbox.ViewDefault}, 0)); n <= tools.MaxBulk {
				t.Fatalf("%d default threads at scale 8; the test needs more than %d", n, tools.MaxBulk)
			}
			seq := lastEvent(t, h)
			wantError(t, h, tools.NameBulkUpdate, map[string]any{"where": map[string]any{"inbox": "default"}, "add_tags": []any{"Hot Lead"}},
				"more than 1000 threads", "narrow")
			if lastEvent(t, h) != seq {
				t.Fatal("a refused batch changed something")
			}
		})
	}
}
