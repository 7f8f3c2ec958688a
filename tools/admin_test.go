package tools_test

import (
	"context"
	"slices"
	"strconv"
	"testing"

	"github.com/inbox-mcp/inbox-mcp/app"
	"github.com/inbox-mcp/inbox-mcp/inbox"
	"github.com/inbox-mcp/inbox-mcp/internal/testenv"
	"github.com/inbox-mcp/inbox-mcp/tools"
)

func manage(t *testing.T, h *testenv.Harness, args map[string]any) tools.ThreadChange {
	t.Helper()
	return testenv.Decode[tools.ThreadChange](t, h.CallOK(t, tools.NameManageThread, args))
}

func getThread(t *testing.T, b inbox.Backend, id string) inbox.Thread {
	t.Helper()
	th, err := b.GetThread(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return th
}

func TestManageThread(t *testing.T) {
	t.Parallel()
	testenv.ForVersions(t, app.Config{}, func(t *testing.T, h *testenv.Harness) {
		dev, _ := names(t, h.Backend).FindMember("Dev Patel")
		th := testenv.AllThreads(t, h.Backend, inbox.ThreadQuery{View: inbox.ViewDefault, NoAssignee: true}, 0)[0]
		steps := []struct {
			args     map[string]any
			archived bool
			assignee string
		}{
			{map[string]any{"action": "archive"}, true, ""},
			{map[string]any{"action": "archive"}, true, ""},
			{map[string]any{"action": "assign", "member": "dev patel"}, true, dev.ID},
			{map[string]any{"action": "unarchive"}, false, dev.ID},
			{map[string]any{"action": "unassign"}, false, ""},
			{map[string]any{"action": "assign", "member": "dev@northwind.app"}, false, dev.ID},
		}
		for _, s := range steps {
			s.args["thread_id"] = th.ID
			r := manage(t, h, s.args)
			got := getThread(t, h.Backend, th.ID)
			if got.Done != s.archived || got.AssigneeID != s.assignee || r.Archived == nil || *r.Archived != s.archived || (r.Assignee != "") != (s.assignee != "") {
				t.Fatalf("%v: the API has done %v, assignee %q; result %+v", s.args, got.Done, got.AssigneeID, r)
			}
		}
		id := th.ID
		for _, tt := range []struct {
			args  map[string]any
			wants []string
		}{
			{map[string]any{"thread_id": id, "action": "assign"}, []string{"needs member"}},
			{map[string]any{"thread_id": id, "action": "archive", "member": "Dev Patel"}, []string{"member is not used by action archive"}},
			{map[string]any{"thread_id": id, "action": "assign", "member": "Dev Patle"}, []string{`did you mean "Dev Patel"`}},
			{map[string]any{"thread_id": "zzzzzzzzzzzzzzzzzzzzzzzz", "action": "archive"}, []string{`No thread with ID "zzzzzzzzzzzzzzzzzzzzzzzz"`, "list_threads"}},
			{map[string]any{"thread_id": " ", "action": "archive"}, []string{"thread_id is empty"}},
			{map[string]any{"thread_id": id, "action": "close"}, nil},
		} {
			wantError(t, h, tools.NameManageThread, tt.args, tt.wants...)
		}
	})
}

// messageIn returns a thread where editing our messages is allowed (or not) and one of its
// live messages in the given direction. v1 allows edits in X Chat threads; v2 says so
// through the thread's restrictions and the capabilities of its account.
func messageIn(t *testing.T, h *testenv.Harness, editable bool, dir inbox.Direction) (inbox.Thread, inbox.Message) {
	t.Helper()
	return messageWhere(t, h, dir, func(th inbox.Thread) bool { return canEdit(t, h, th) == editable })
}

// messageWhere returns a thread of the default view that keep accepts and one of its live
// messages in the given direction.
func messageWhere(t *testing.T, h *testenv.Harness, dir inbox.Direction, keep func(inbox.Thread) bool) (inbox.Thread, inbox.Message) {
	t.Helper()
	for _, th := range testenv.AllThreads(t, h.Backend, inbox.ThreadQuery{View: inbox.ViewDefault}, 0) {
		if !keep(th) {
			continue
		}
		for _, m := range testenv.AllMessages(t, h.Backend, th.ID, 0) {
			if m.Direction == dir && m.DeletedAt == nil {
				return th, m
			}
		}
	}
	t.Fatalf("%s: no thread of the kind asked for with a %s message in the seeded data", h.Version, dir)
	return inbox.Thread{}, inbox.Message{}
}

// accountOf returns the account of a thread as the backend reports it.
func accountOf(t *testing.T, h *testenv.Harness, th inbox.Thread) inbox.Account {
	t.Helper()
	for _, a := range names(t, h.Backend).Accounts {
		if a.ID == th.AccountID {
			return a
		}
	}
	t.Fatalf("thread %s is on an account the team does not list", th.ID)
	return inbox.Account{}
}

// canEdit reports whether our messages in th can be edited, by the API's own rules.
func canEdit(t *testing.T, h *testenv.Harness, th inbox.Thread) bool {
	t.Helper()
	if slices.Contains(th.Restrictions, "message:edit") {
		return false
	}
	caps := accountOf(t, h, th).Capabilities
	return caps == nil || slices.Contains(caps, "message:edit")
}

func messageByID(t *testing.T, b inbox.Backend, threadID, id string) inbox.Message {
	t.Helper()
	for _, m := range testenv.AllMessages(t, b, threadID, 0) {
		if m.ID == id {
			return m
		}
	}
	t.Fatalf("message %s is gone from thread %s", id, threadID)
	return inbox.Message{}
}

func TestManageThreadMessages(t *testing.T) {
	t.Parallel()
	testenv.ForVersions(t, app.Config{}, func(t *testing.T, h *testenv.Harness) {
		xt, old := messageIn(t, h, true, inbox.Outbound)
		_, theirs := messageIn(t, h, true, inbox.Inbound)
		// A message of ours sent just now: v2 platforms allow edits for a while only (X: 15
		// minutes), and every seeded message is older.
		sent := sendReply(t, h, map[string]any{"thread_id": xt.ID, "text": "The call is at 3pm."})
		ours := messageByID(t, h.Backend, xt.ID, sent.MessageID)
		// A legacy X DM (not X Chat): the thread's restrictions rule edits and deletes out.
		legacy, legacyOurs := messageWhere(t, h, inbox.Outbound, func(th inbox.Thread) bool { return slices.Contains(th.Restrictions, "message:edit") })

		edit := map[string]any{"thread_id": xt.ID, "message_id": ours.ID, "action": "edit_message", "text": "Corrected: the call is at 3pm CET."}
		r := manage(t, h, edit)
		if m := messageByID(t, h.Backend, xt.ID, ours.ID); m.Content != edit["text"] || !m.Edited || r.Done != "edited" {
			t.Fatalf("after edit: %+v, result %+v", m, r)
		}
		manage(t, h, map[string]any{"thread_id": xt.ID, "message_id": ours.ID, "action": "react", "emoji": "👍"})
		if m := messageByID(t, h.Backend, xt.ID, ours.ID); !slices.ContainsFunc(m.Reactions, func(r inbox.Reaction) bool { return r.Emoji == "👍" }) {
			t.Fatalf("after react: %+v", m.Reactions)
		}
		manage(t, h, map[string]any{"thread_id": xt.ID, "message_id": ours.ID, "action": "unreact", "emoji": "👍"})
		if m := messageByID(t, h.Backend, xt.ID, ours.ID); len(m.Reactions) != len(ours.Reactions) {
			t.Fatalf("after unreact: %+v", m.Reactions)
		}
		manage(t, h, map[string]any{"thread_id": xt.ID, "message_id": ours.ID, "action": "delete_message"})
		if m := messageByID(t, h.Backend, xt.ID, ours.ID); m.DeletedAt == nil {
			t.Fatal("the message was not deleted")
		}

		// Refusals: the conversation does not allow it (checked before asking the API), the
		// message is the prospect's, the message is gone, the arguments do not fit the action.
		type refusal struct {
			args  map[string]any
			wants []string
		}
		var byVersion []refusal
		// The prospect's message is refused before the person is asked, on either version.
		notOurs := "written by the prospect. Only messages our accounts sent"
		if h.Version == "v2" {
			byVersion = append(byVersion, refusal{map[string]any{"thread_id": xt.ID, "message_id": old.ID, "action": "edit_message", "text": "x"},
				[]string{"can no longer be changed", "time window", "Nothing was changed"}})
			// v2 also says what each account can do: one X account cannot edit (X allows
			// edits to Premium accounts only), and LinkedIn allows no edits or reactions.
			noEdit, noEditOurs := messageWhere(t, h, inbox.Outbound, func(th inbox.Thread) bool {
				return !slices.Contains(th.Restrictions, "message:edit") && !canEdit(t, h, th)
			})
			li, liOurs := messageWhere(t, h, inbox.Outbound, func(th inbox.Thread) bool { return th.Platform == "linkedin" })
			byVersion = append(byVersion, []refusal{
				{map[string]any{"thread_id": noEdit.ID, "message_id": noEditOurs.ID, "action": "edit_message", "text": "x"},
					[]string{"Editing is not possible in this conversation", "our account " + names(t, h.Backend).AccountName(noEdit.AccountID) + " (twitter) cannot do it", "Nothing was changed"}},
				{map[string]any{"thread_id": li.ID, "message_id": liOurs.ID, "action": "react", "emoji": "👍"},
					[]string{"Reacting is not possible in this conversation", "(linkedin) cannot do it"}},
				{map[string]any{"thread_id": li.ID, "message_id": liOurs.ID, "action": "edit_message", "text": "x"},
					[]string{"Editing is not possible in this conversation"}},
			}...)
		}
		seq := lastEvent(t, h)
		for _, tt := range append([]refusal{
			{map[string]any{"thread_id": legacy.ID, "message_id": legacyOurs.ID, "action": "edit_message", "text": "x"}, []string{"Editing is not possible in this conversation", "X Chat", "Nothing was changed"}},
			{map[string]any{"thread_id": legacy.ID, "message_id": legacyOurs.ID, "action": "delete_message"}, []string{"Deleting messages is not possible in this conversation"}},
			{map[string]any{"thread_id": xt.ID, "message_id": theirs.ID, "action": "edit_message", "text": "x"}, []string{notOurs}},
			{map[string]any{"thread_id": xt.ID, "message_id": ours.ID, "action": "delete_message"}, []string{"was deleted (unsent)", "read_messages"}},
			{map[string]any{"thread_id": xt.ID, "message_id": "zzzzzzzzzzzzzzzzzzzzzzzz", "action": "react", "emoji": "🔥"}, []string{`No message "zzzzzzzzzzzzzzzzzzzzzzzz"`, "read_messages"}},
			{map[string]any{"thread_id": xt.ID, "message_id": ours.ID, "action": "edit_message"}, []string{"needs message_id and text"}},
			{map[string]any{"thread_id": xt.ID, "message_id": ours.ID, "action": "react"}, []string{"needs message_id and emoji"}},
			{map[string]any{"thread_id": xt.ID, "message_id": ours.ID, "action": "delete_message", "text": "x"}, []string{"text is not used by action delete_message"}},
			{map[string]any{"thread_id": xt.ID, "action": "delete_message"}, []string{"needs message_id"}},
		}, byVersion...) {
			wantError(t, h, tools.NameManageThread, tt.args, tt.wants...)
		}
		if lastEvent(t, h) != seq {
			t.Fatal("a refused message action changed something")
		}
	})
}

func labels(t *testing.T, h *testenv.Harness, args map[string]any) tools.LabelResult {
	t.Helper()
	return testenv.Decode[tools.LabelResult](t, h.CallOK(t, tools.NameManageLabels, args))
}

func TestManageLabels(t *testing.T) {
	t.Parallel()
	testenv.ForVersions(t, app.Config{}, func(t *testing.T, h *testenv.Harness) {
		r := labels(t, h, map[string]any{"kind": "tag", "action": "create", "name": "Webinar", "color": "Blue"})
		if r.Name != "Webinar" || r.Color != "#3b82f6" || r.Done != "created" {
			t.Fatalf("create: %+v", r)
		}
		// The new name is usable at once: the cached directory was refreshed.
		h.CallOK(t, tools.NameListThreads, map[string]any{"tags": []any{"webinar"}})
		wantError(t, h, tools.NameManageLabels, map[string]any{"kind": "tag", "action": "create", "name": "webinar"}, `a tag named "Webinar" already exists`)
		wantError(t, h, tools.NameManageLabels, map[string]any{"kind": "tag", "action": "create", "name": " hot  lead "}, `a tag named "Hot Lead" already exists`)
		// A teammate's tag the cached names do not know yet: the API refuses it, and says why.
		if _, err := h.Backend.CreateTag(context.Background(), "Partner Program", ""); err != nil {
			t.Fatal(err)
		}
		wantError(t, h, tools.NameManageLabels, map[string]any{"kind": "tag", "action": "create", "name": "partner program"}, "409", "already exists", "pick another name")

		if r := labels(t, h, map[string]any{"kind": "tag", "action": "rename", "name": "webinar", "new_name": "Webinar 2026"}); r.Name != "Webinar 2026" {
			t.Fatalf("rename: %+v", r)
		}
		if _, err := names(t, h.Backend).FindTag("Webinar 2026"); err != nil {
			t.Fatalf("the API does not have the new name: %v", err)
		}
		if r := labels(t, h, map[string]any{"kind": "tag", "action": "rename", "name": "Webinar 2026", "new_name": "WEBINAR 2026"}); r.Name != "WEBINAR 2026" {
			t.Fatalf("renaming to another case of the same name: %+v", r)
		}
		wantError(t, h, tools.NameManageLabels, map[string]any{"kind": "tag", "action": "rename", "name": "WEBINAR 2026", "new_name": "pricing"}, `a tag named "Pricing" already exists`)
		if r := labels(t, h, map[string]any{"kind": "tag", "action": "recolor", "name": "WEBINAR 2026", "color": "#ef4444"}); r.Color != "#ef4444" {
			t.Fatalf("recolor: %+v", r)
		}

		// Delete says how many prospects lose the tag, and they do.
		dir := names(t, h.Backend)
		pricing, _ := dir.FindTag("Pricing")
		var holders []inbox.Thread
		for _, v := range []inbox.View{inbox.ViewDefault, inbox.ViewRequests, inbox.ViewArchived} {
			holders = append(holders, testenv.AllThreads(t, h.Backend, inbox.ThreadQuery{View: v, TagIDs: []string{pricing.ID}}, 0)...)
		}
		want := len(prospectsIn(holders))
		res := h.CallOK(t, tools.NameManageLabels, map[string]any{"kind": "tag", "action": "delete", "name": "pricing"})
		if r := testenv.Decode[tools.LabelResult](t, res); want == 0 || r.Affected != strconv.Itoa(want) || r.Done != "deleted" {
			t.Fatalf("delete: %+v; %d prospects had the tag", r, want)
		}
		if text := testenv.Text(res); !contains([]string{text}, `Tag "Pricing" deleted; `+strconv.Itoa(want)+" prospect(s) had it and no longer do.") {
			t.Fatalf("delete text: %q", text)
		}
		for _, th := range testenv.AllThreads(t, h.Backend, inbox.ThreadQuery{View: inbox.ViewDefault}, 0) {
			if slices.Contains(th.Prospect.Context.TagIDs, pricing.ID) {
				t.Fatalf("prospect %s still has the deleted tag", th.Prospect.ID)
			}
		}
		wantError(t, h, tools.NameListThreads, map[string]any{"tags": []any{"Pricing"}}, `no tag named "Pricing"`)

		// Statuses work the same way.
		if r := labels(t, h, map[string]any{"kind": "status", "action": "create", "name": "Negotiation"}); r.Name != "Negotiation" {
			t.Fatalf("create status: %+v", r)
		}
		qualified, _ := dir.FindStatus("Qualified")
		holders = nil
		for _, v := range []inbox.View{inbox.ViewDefault, inbox.ViewRequests, inbox.ViewArchived} {
			holders = append(holders, testenv.AllThreads(t, h.Backend, inbox.ThreadQuery{View: v, StatusIDs: []string{qualified.ID}}, 0)...)
		}
		wantQ := len(prospectsIn(holders))
		if r := labels(t, h, map[string]any{"kind": "status", "action": "delete", "name": "Qualified"}); wantQ == 0 || r.Affected != strconv.Itoa(wantQ) {
			t.Fatalf("delete status: %+v; %d prospects had it", r, wantQ)
		}

		for _, tt := range []struct {
			args  map[string]any
			wants []string
		}{
			{map[string]any{"kind": "status", "action": "rename", "name": "Contactd", "new_name": "X"}, []string{`did you mean "Contacted"`}},
			{map[string]any{"kind": "tag", "action": "rename", "name": "Hot Lead"}, []string{"needs new_name"}},
			{map[string]any{"kind": "tag", "action": "delete", "name": "Hot Lead", "color": "Blue"}, []string{"color is only for create and recolor"}},
			{map[string]any{"kind": "tag", "action": "create", "name": "New", "new_name": "x"}, []string{"new_name is only for action rename"}},
			{map[string]any{"kind": "tag", "action": "recolor", "name": "Hot Lead"}, []string{"needs color"}},
			{map[string]any{"kind": "tag", "action": "create", "name": "Bad Color", "color": "blurple"}, []string{"color", "400"}},
			{map[string]any{"kind": "label", "action": "create", "name": "x"}, nil},
		} {
			wantError(t, h, tools.NameManageLabels, tt.args, tt.wants...)
		}
	})
}
