package v1

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/inbox-mcp/inbox-mcp/apiclient"
	"github.com/inbox-mcp/inbox-mcp/inbox"
	"github.com/inbox-mcp/inbox-mcp/inboxsim"
)

// TestEveryOperation calls all 38 operations of the document against the simulator over HTTP,
// checks what they return, and fails if any request did not validate or any operation was
// left out.
func TestEveryOperation(t *testing.T) {
	env := startSim(t, inboxsim.Options{}, nil)
	c := env.c
	ctx := testCtx(t)

	t.Run("team, accounts, members", func(t *testing.T) {
		team := ok(c.Team(ctx))(t)
		if team.ID == "" || team.Name == "" || team.Currency == "" {
			t.Fatalf("team %+v", team)
		}
		links := ok(c.AccountLinks(ctx))(t)
		if len(links) == 0 || links[0].ID == "" || links[0].Username == "" {
			t.Fatalf("account links %+v", links)
		}
		members := ok(c.Members(ctx))(t)
		if len(members) == 0 {
			t.Fatal("no members")
		}
		m := ok(c.Member(ctx, members[0].ID))(t)
		if m.ID != members[0].ID || m.Email == "" {
			t.Fatalf("member %+v", m)
		}
		_, err := c.Member(ctx, "zzzzzzzzzzzzzzzzzzzzzzzz")
		if !errors.Is(err, inbox.ErrNotFound) {
			t.Fatalf("unknown member: err = %v, want 404", err)
		}
	})

	t.Run("tags, statuses, colors", func(t *testing.T) {
		for name, list := range map[string]func() ([]Color, error){
			"tag colors": func() ([]Color, error) { return c.TagColors(ctx) }, "status colors": func() ([]Color, error) { return c.StatusColors(ctx) },
			"colors": func() ([]Color, error) { return c.Colors(ctx) },
		} {
			cols := ok(list())(t)
			if len(cols) == 0 || cols[0].Name == "" || cols[0].Hex == "" {
				t.Fatalf("%s: %+v", name, cols)
			}
		}
		tags := ok(c.Tags(ctx))(t)
		created := ok(c.CreateTag(ctx, LabelCreate{Name: "Asked about SSO", Color: ptr("teal")}))(t)
		if got := ok(c.Tag(ctx, created.ID))(t); got.Name != "Asked about SSO" {
			t.Fatalf("tag %+v", got)
		}
		if _, err := c.CreateTag(ctx, LabelCreate{Name: "Asked about SSO"}); !errors.Is(err, inbox.ErrConflict) {
			t.Fatalf("duplicate tag: err = %v, want 409", err)
		}
		renamed := ok(c.UpdateTag(ctx, created.ID, LabelUpdate{Name: apiclient.Value("SSO question"), Color: apiclient.Value("#3b82f6")}))(t)
		if renamed.Name != "SSO question" || renamed.Color != "#3b82f6" {
			t.Fatalf("updated tag %+v", renamed)
		}
		if err := c.DeleteTag(ctx, created.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := c.Tag(ctx, created.ID); !errors.Is(err, inbox.ErrNotFound) {
			t.Fatalf("deleted tag: err = %v", err)
		}
		if after := ok(c.Tags(ctx))(t); len(after) != len(tags) {
			t.Fatalf("tags went from %d to %d", len(tags), len(after))
		}

		st := ok(c.CreateStatus(ctx, LabelCreate{Name: "Security review", Color: ptr("red")}))(t)
		if st.Color == nil {
			t.Fatalf("status created without color: %+v", st)
		}
		cleared := ok(c.UpdateStatus(ctx, st.ID, LabelUpdate{Color: apiclient.Null[string]()}))(t)
		if cleared.Color != nil || cleared.Name != "Security review" {
			t.Fatalf("color not cleared (or name touched): %+v", cleared)
		}
		if got := ok(c.Status(ctx, st.ID))(t); got.ID != st.ID {
			t.Fatalf("status %+v", got)
		}
		if !slices.ContainsFunc(ok(c.Statuses(ctx))(t), func(s Status) bool { return s.ID == st.ID }) {
			t.Fatal("new status not listed")
		}
		if err := c.DeleteStatus(ctx, st.ID); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("threads", func(t *testing.T) {
		page := ok(c.ListThreads(ctx, ThreadListParams{Limit: 5, Inbox: InboxDefault}))(t)
		if len(page.Threads) != 5 || page.NextCursor == nil {
			t.Fatalf("page of %d, next %v", len(page.Threads), page.NextCursor)
		}
		th := page.Threads[0]
		got := ok(c.GetThread(ctx, th.ID))(t)
		if got.ID != th.ID || got.Prospect.PlatformID != th.Prospect.PlatformID {
			t.Fatalf("get thread %s = %+v", th.ID, got)
		}
		if _, err := c.GetThread(ctx, "zzzzzzzzzzzzzzzzzzzzzzzz"); !errors.Is(err, inbox.ErrNotFound) {
			t.Fatalf("unknown thread: %v", err)
		}

		found := ok(c.LookupThread(ctx, th.AccountLinkID, ProspectRef{ExternalPlatformID: th.Prospect.PlatformID}))(t)
		if found == nil || found.ID != th.ID {
			t.Fatalf("lookup by platform id = %+v", found)
		}
		if miss := ok(c.LookupThread(ctx, th.AccountLinkID, ProspectRef{ExternalPlatformID: "1"}))(t); miss != nil {
			t.Fatalf("lookup miss = %+v, want nil", miss)
		}
		byName := ok(c.LookupThreadsByUsername(ctx, "@"+th.Prospect.Username, nil))(t)
		if !slices.ContainsFunc(byName, func(x Thread) bool { return x.ID == th.ID }) {
			t.Fatalf("lookup by username %q: %d threads, not %s", th.Prospect.Username, len(byName), th.ID)
		}
		if none := ok(c.LookupThreadsByUsername(ctx, "nobody_by_this_name", []string{th.AccountLinkID}))(t); none == nil || len(none) != 0 {
			t.Fatalf("username miss = %#v, want an empty slice", none)
		}

		// A second account link opening a thread with the same prospect.
		links := ok(c.AccountLinks(ctx))(t)
		other := links[0].ID
		if other == th.AccountLinkID {
			other = links[1].ID
		}
		opened := ok(c.CreateThread(ctx, other, ProspectRef{ExternalPlatformID: th.Prospect.PlatformID}))(t)
		again := ok(c.CreateThread(ctx, other, ProspectRef{ExternalPlatformID: th.Prospect.PlatformID}))(t)
		if opened.AccountLinkID != other || again.ID != opened.ID {
			t.Fatalf("create thread: %s on %s, again %s", opened.ID, opened.AccountLinkID, again.ID)
		}

		members := ok(c.Members(ctx))(t)
		done := ok(c.UpdateThread(ctx, th.ID, ThreadUpdate{Done: ptr(true), AssigneeID: apiclient.Value(members[1].ID)}))(t)
		if !done.Done || done.AssigneeID == nil || *done.AssigneeID != members[1].ID {
			t.Fatalf("update thread: done %v assignee %v", done.Done, done.AssigneeID)
		}
		archived := allThreads(t, c, ThreadListParams{Inbox: InboxArchived})
		if !slices.ContainsFunc(archived, func(x Thread) bool { return x.ID == th.ID }) {
			t.Fatal("done thread not in the archived view")
		}
		// Omitting assigneeId leaves it; an explicit null clears it.
		reopened := ok(c.UpdateThread(ctx, th.ID, ThreadUpdate{Done: ptr(false)}))(t)
		if reopened.Done || reopened.AssigneeID == nil {
			t.Fatalf("reopen touched the assignee: %+v", reopened.AssigneeID)
		}
		unassigned := ok(c.UpdateThread(ctx, th.ID, ThreadUpdate{AssigneeID: apiclient.Null[string]()}))(t)
		if unassigned.AssigneeID != nil {
			t.Fatal("explicit null did not unassign")
		}

		settings := ok(c.UpdateThreadSettings(ctx, th.ID, ThreadSettingsUpdate{TypingIndicatorsEnabled: apiclient.Value(false)}))(t)
		if settings.ThreadID != th.ID || settings.TypingIndicatorsEnabled == nil || *settings.TypingIndicatorsEnabled {
			t.Fatalf("settings %+v", settings)
		}
		settings = ok(c.UpdateThreadSettings(ctx, th.ID, ThreadSettingsUpdate{TypingIndicatorsEnabled: apiclient.Null[bool]()}))(t)
		if settings.TypingIndicatorsEnabled != nil {
			t.Fatal("null did not restore the team default")
		}
		typing := ok(c.Typing(ctx, th.ID))(t)
		if typing.Status != TypingSent && typing.Status != TypingSkipped {
			t.Fatalf("typing %+v", typing)
		}

		if err := c.DeleteThread(ctx, opened.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := c.GetThread(ctx, opened.ID); !errors.Is(err, inbox.ErrNotFound) {
			t.Fatalf("deleted thread: %v", err)
		}
	})

	t.Run("messages", func(t *testing.T) {
		th := sendableThread(t, c, VariantXChat)
		page := ok(c.ListMessages(ctx, th.ID, MessageListParams{Limit: 3}))(t)
		if page.ThreadID != th.ID || len(page.Messages) == 0 || page.Messages[0].ID != th.LastMessage.ID {
			t.Fatalf("messages page: thread %s, %d messages", page.ThreadID, len(page.Messages))
		}
		sent := c.SendMessage(ctx, th.ID, SendMessageParams{Content: "Here is the security questionnaire 📎", ReplyToMessageID: page.Messages[0].ID})
		if sent.Outcome != apiclient.Sent || sent.Message == nil || sent.Message.Content != "Here is the security questionnaire 📎" || sent.Err != nil {
			t.Fatalf("send: %+v", sent)
		}
		m := sent.Message
		edited := ok(c.EditMessage(ctx, th.ID, m.ID, "Here is the security questionnaire (v2) 📎"))(t)
		if !edited.Success || edited.MessageID != m.ID {
			t.Fatalf("edit %+v", edited)
		}
		hist := ok(c.MessageHistory(ctx, th.ID, m.ID))(t)
		if len(hist.Versions) != 2 || hist.Versions[0].Content != m.Content || hist.Deletion != nil {
			t.Fatalf("history: %d versions, deletion %v", len(hist.Versions), hist.Deletion)
		}
		added := ok(c.AddReaction(ctx, th.ID, page.Messages[0].ID, "👍"))(t)
		removed := ok(c.RemoveReaction(ctx, th.ID, page.Messages[0].ID, "👍"))(t)
		if !added.Success || !removed.Success {
			t.Fatalf("reactions %+v %+v", added, removed)
		}
		del := ok(c.DeleteMessage(ctx, th.ID, m.ID, DeleteMessageParams{}))(t)
		if !del.Success || del.MessageID != m.ID {
			t.Fatalf("delete %+v", del)
		}
		if hist := ok(c.MessageHistory(ctx, th.ID, m.ID))(t); hist.Deletion == nil || hist.Deletion.DeletionType != DeletedForAll {
			t.Fatalf("deletion not recorded: %+v", hist.Deletion)
		}

		// Quick send to a prospect of this thread from its own account finds the thread.
		q := c.QuickSend(ctx, QuickSendParams{AccountLinkID: th.AccountLinkID, ProspectRef: ProspectRef{ExternalPlatformID: th.Prospect.PlatformID}, Content: "Quick follow-up: does Tuesday work?"})
		if q.Outcome != apiclient.Sent || q.ThreadID != th.ID || q.Message == nil || q.Message.ThreadID != th.ID {
			t.Fatalf("quick send: %+v", q)
		}
		n := 0
		for msg, err := range c.Messages(ctx, th.ID, 0) {
			if err != nil {
				t.Fatal(err)
			}
			if n == 0 && msg.ID != q.Message.ID {
				t.Fatalf("newest message is %s, want the quick send %s", msg.ID, q.Message.ID)
			}
			n++
		}
		if n < 3 {
			t.Fatalf("walked %d messages", n)
		}
	})

	t.Run("prospects and events", func(t *testing.T) {
		th := ok(c.ListThreads(ctx, ThreadListParams{Limit: 1}))(t).Threads[0]
		pid := *th.Prospect.ExternalID
		p := ok(c.Prospect(ctx, pid))(t)
		if p.PlatformID != th.Prospect.PlatformID || len(p.Context.Threads) == 0 {
			t.Fatalf("prospect %s: platform %s, %d threads", pid, p.PlatformID, len(p.Context.Threads))
		}
		if hit := ok(c.LookupProspect(ctx, p.PlatformID))(t); hit == nil || *hit.ExternalID != pid {
			t.Fatalf("lookup = %+v", hit)
		}
		if miss := ok(c.LookupProspect(ctx, "42"))(t); miss != nil {
			t.Fatalf("lookup miss = %+v, want nil", miss)
		}
		tags := ok(c.Tags(ctx))(t)
		statuses := ok(c.Statuses(ctx))(t)
		members := ok(c.Members(ctx))(t)
		u := ok(c.UpdateProspectContext(ctx, pid, ProspectContextUpdate{
			Notes: apiclient.Value("Wants SSO; follow up Tuesday"), Valuation: apiclient.Value(1200.5),
			StatusID: apiclient.Value(statuses[0].ID), AddTags: []string{tags[0].ID, tags[1].ID},
			AssigneeID: apiclient.Value(members[0].ID),
		}))(t)
		if u.Context.Notes == nil || *u.Context.Notes != "Wants SSO; follow up Tuesday" || *u.Context.Valuation != 1200.5 ||
			*u.Context.StatusID != statuses[0].ID || !slices.Contains(u.Context.Tags, tags[1].ID) {
			t.Fatalf("update context: %+v", u.Context)
		}
		// Explicit nulls clear; omitted fields stay.
		u = ok(c.UpdateProspectContext(ctx, pid, ProspectContextUpdate{Notes: apiclient.Null[string](), StatusID: apiclient.Null[string](), RemoveTags: []string{tags[0].ID}}))(t)
		if u.Context.Notes != nil || u.Context.StatusID != nil || u.Context.Valuation == nil || *u.Context.Valuation != 1200.5 ||
			slices.Contains(u.Context.Tags, tags[0].ID) || !slices.Contains(u.Context.Tags, tags[1].ID) {
			t.Fatalf("nulls and omissions: %+v", u.Context)
		}

		first := ok(c.Events(ctx, EventParams{Limit: 5}))(t)
		if len(first.Events) == 0 || first.LastSeq == nil {
			t.Fatalf("events %+v", first)
		}
		after := int64(*first.LastSeq)
		next := ok(c.Events(ctx, EventParams{AfterSeq: &after, Limit: 1000}))(t)
		for _, e := range next.Events {
			if int64(e.Seq) <= after {
				t.Fatalf("event seq %d not after %d", e.Seq, after)
			}
		}
		if !slices.ContainsFunc(next.Events, func(e Event) bool { return e.Type == EventProspectTagsChanged }) {
			t.Fatalf("no %s among %d events after the update", EventProspectTagsChanged, len(next.Events))
		}
	})

	env.spec.check(t)
	if missing := env.spec.missing(); len(missing) > 0 {
		t.Errorf("operations never exercised (%d): %v", len(missing), missing)
	}
	if n := len(env.spec.ops); n < 38 {
		t.Errorf("exercised %d operations: %v", n, fmt.Sprint(env.spec.ops))
	}
}
