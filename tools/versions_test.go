package tools_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/inbox-mcp/inbox-mcp/app"
	"github.com/inbox-mcp/inbox-mcp/inbox"
	"github.com/inbox-mcp/inbox-mcp/internal/testenv"
	"github.com/inbox-mcp/inbox-mcp/tools"
	"github.com/inbox-mcp/inbox-mcp/views"
)

// The tests of this file check what the tools show or do differently by API version:
// v2 tracks unread threads, searches threads by text, has platforms other than X, says
// what a conversation cannot do, and groups one person's profiles under one contact.

// TestListThreadsUnread: v2 lists the unread threads; v1 has no read state and says so.
func TestListThreadsUnread(t *testing.T) {
	t.Parallel()
	testenv.EachVersion(t, shared, func(t *testing.T, h *testenv.Harness) {
		if !h.Backend.Features().Unread {
			wantError(t, h, tools.NameListThreads, map[string]any{"unread": true}, "unread needs Inbox API v2", h.Version, "no-reply")
			for _, r := range listThreads(t, h, map[string]any{"limit": tools.MaxThreads}).Threads {
				if r.Unread {
					t.Fatalf("%s row %s says unread, but the API has no read state", h.Version, r.ID)
				}
			}
			return
		}
		yes := true
		want := testenv.AllThreads(t, h.Backend, inbox.ThreadQuery{View: inbox.ViewDefault, Unread: &yes}, 0)
		total := len(testenv.AllThreads(t, h.Backend, inbox.ThreadQuery{View: inbox.ViewDefault}, 0))
		if len(want) == 0 || len(want) == total {
			t.Fatalf("%d of %d threads are unread in the seeded data; the test proves nothing", len(want), total)
		}
		res := h.CallOK(t, tools.NameListThreads, map[string]any{"unread": true, "limit": tools.MaxThreads})
		got := testenv.Decode[tools.ThreadList](t, res)
		if got.Count != len(want) || got.HasMore {
			t.Fatalf("unread: %d threads, has_more %v; the API has %d", got.Count, got.HasMore, len(want))
		}
		for i, r := range got.Threads {
			if !r.Unread || r.ID != want[i].ID {
				t.Fatalf("row %d: %+v; want unread thread %s", i, r, want[i].ID)
			}
		}
		if text := testenv.Text(res); !strings.Contains(text, itoa(got.Count)+" unread threads in default") || !strings.Contains(text, " · unread") {
			t.Fatalf("the text does not say the threads are unread:\n%s", text)
		}
		// The whole listing marks exactly the unread threads.
		unread := 0
		for _, r := range listThreads(t, h, map[string]any{"limit": tools.MaxThreads}).Threads {
			if r.Unread {
				unread++
			}
		}
		if unread != len(want) {
			t.Fatalf("%d rows marked unread in the listing, want %d", unread, len(want))
		}
	})
}

// TestListThreadsQuery: v2 searches names, usernames and last messages; v1 cannot, and
// says what to use instead.
func TestListThreadsQuery(t *testing.T) {
	t.Parallel()
	testenv.EachVersion(t, shared, func(t *testing.T, h *testenv.Harness) {
		if !h.Backend.Features().ThreadSearch {
			wantError(t, h, tools.NameListThreads, map[string]any{"query": "pricing"}, "query needs Inbox API v2", "lookup_thread", "search_messages")
			return
		}
		th := testenv.AllThreads(t, h.Backend, inbox.ThreadQuery{View: inbox.ViewDefault}, 0)[7]
		for _, q := range []string{th.Prospect.Username, "pricing"} {
			want := testenv.AllThreads(t, h.Backend, inbox.ThreadQuery{View: inbox.ViewDefault, Text: q}, 0)
			res := h.CallOK(t, tools.NameListThreads, map[string]any{"query": q, "limit": tools.MaxThreads})
			got := testenv.Decode[tools.ThreadList](t, res)
			if got.Count == 0 || got.Count != len(want) {
				t.Fatalf("query %q: %d threads; the API finds %d", q, got.Count, len(want))
			}
			if !strings.Contains(testenv.Text(res), `name or last message matching "`+q+`"`) {
				t.Fatalf("query %q: the text does not say what was searched:\n%s", q, testenv.Text(res))
			}
		}
		byName := listThreads(t, h, map[string]any{"query": th.Prospect.Username, "limit": tools.MaxThreads})
		if !slices.ContainsFunc(byName.Threads, func(r views.ThreadRow) bool { return r.ID == th.ID }) {
			t.Fatalf("query @%s does not find thread %s", th.Prospect.Username, th.ID)
		}
		// A cursor is bound to its query like to every other filter.
		p := listThreads(t, h, map[string]any{"query": "pricing", "limit": 1})
		if p.HasMore {
			wantError(t, h, tools.NameListThreads, map[string]any{"query": "demo", "cursor": p.NextCursor}, "other arguments")
		}
	})
}

// TestPlatformInRows: threads on a platform other than X say which, in listings and in
// get_thread; on v1 every thread is on X.
func TestPlatformInRows(t *testing.T) {
	t.Parallel()
	testenv.EachVersion(t, shared, func(t *testing.T, h *testenv.Harness) {
		rows := listThreads(t, h, map[string]any{"limit": tools.MaxThreads}).Threads
		other := map[string]int{}
		for _, r := range rows {
			if r.Platform != "" {
				other[r.Platform]++
			}
		}
		all := testenv.AllThreads(t, h.Backend, inbox.ThreadQuery{View: inbox.ViewDefault}, 0)
		wantLinkedIn := 0
		var li inbox.Thread
		for _, th := range all {
			if th.Platform == "linkedin" {
				wantLinkedIn++
				li = th
			}
		}
		if other["linkedin"] != wantLinkedIn || len(other) > 1 {
			t.Fatalf("%s: rows by platform %v, the API has %d LinkedIn threads", h.Version, other, wantLinkedIn)
		}
		if h.Version == "v1" {
			if wantLinkedIn != 0 {
				t.Fatal("v1 lists LinkedIn threads")
			}
			return
		}
		if wantLinkedIn == 0 {
			t.Fatal("no LinkedIn thread in the seeded v2 data")
		}
		res := h.CallOK(t, tools.NameGetThread, map[string]any{"thread_id": li.ID})
		d := testenv.Decode[views.ThreadDetail](t, res)
		if d.Platform != "linkedin" || d.Prospect.Platform != "linkedin" || d.Prospect.XID != "" || d.Prospect.PlatformID == "" {
			t.Fatalf("LinkedIn thread: %+v", d)
		}
		if text := testenv.Text(res); !strings.Contains(text, "(linkedin)") || strings.Contains(text, "X user") {
			t.Fatalf("LinkedIn thread text:\n%s", text)
		}
	})
}

// TestGetThreadSaysWhatCannotBeDone: a conversation's restrictions show in get_thread, so
// that nobody offers an edit the platform refuses.
func TestGetThreadSaysWhatCannotBeDone(t *testing.T) {
	t.Parallel()
	testenv.EachVersion(t, shared, func(t *testing.T, h *testenv.Harness) {
		var legacy, xChat inbox.Thread
		for _, th := range testenv.AllThreads(t, h.Backend, inbox.ThreadQuery{View: inbox.ViewDefault}, 0) {
			switch {
			case th.Platform != "twitter":
			case slices.Contains(th.Restrictions, "message:edit"):
				legacy = th
			case len(th.Restrictions) == 0:
				xChat = th
			}
		}
		if legacy.ID == "" || xChat.ID == "" {
			t.Fatalf("%s: the seeded data lacks a restricted or an unrestricted X thread", h.Version)
		}
		d := testenv.Decode[views.ThreadDetail](t, h.CallOK(t, tools.NameGetThread, map[string]any{"thread_id": legacy.ID}))
		if !slices.Equal(d.Cannot, []string{"edit", "delete"}) {
			t.Fatalf("%s legacy X thread: cannot %v, want edit and delete", h.Version, d.Cannot)
		}
		d = testenv.Decode[views.ThreadDetail](t, h.CallOK(t, tools.NameGetThread, map[string]any{"thread_id": xChat.ID}))
		if len(d.Cannot) != 0 {
			t.Fatalf("%s X Chat thread: cannot %v", h.Version, d.Cannot)
		}
	})
}

// TestContactWithSeveralProfiles: on v2 one contact may group a person's profiles on
// several platforms; get_thread, lookup_thread and the prospect resource name the others.
func TestContactWithSeveralProfiles(t *testing.T) {
	t.Parallel()
	testenv.EachVersion(t, shared, func(t *testing.T, h *testenv.Harness) {
		var th inbox.Thread
		for _, c := range testenv.AllThreads(t, h.Backend, inbox.ThreadQuery{View: inbox.ViewDefault}, 0) {
			if c.Platform == "twitter" && len(c.Prospect.Profiles) > 1 {
				th = c
				break
			}
		}
		if h.Version == "v1" {
			if th.ID != "" {
				t.Fatal("v1 reports several profiles for one prospect")
			}
			d := testenv.Decode[views.ThreadDetail](t, h.CallOK(t, tools.NameGetThread, map[string]any{"thread_id": testenv.AllThreads(t, h.Backend, inbox.ThreadQuery{View: inbox.ViewDefault}, 0)[0].ID}))
			if len(d.Prospect.Profiles) != 0 {
				t.Fatalf("v1 get_thread shows other profiles: %+v", d.Prospect.Profiles)
			}
			return
		}
		if th.ID == "" {
			t.Fatal("no contact with several profiles in the seeded v2 data")
		}
		var li inbox.ProfileRef
		for _, p := range th.Prospect.Profiles {
			if p.Platform == "linkedin" {
				li = p
			}
		}
		if li.ID == "" {
			t.Fatalf("contact %s: profiles %+v, none on LinkedIn", th.Prospect.ID, th.Prospect.Profiles)
		}
		want := views.ProfileRef{Platform: "linkedin", Username: li.Username, Name: li.DisplayName}
		res := h.CallOK(t, tools.NameGetThread, map[string]any{"thread_id": th.ID})
		d := testenv.Decode[views.ThreadDetail](t, res)
		if !slices.Equal(d.Prospect.Profiles, []views.ProfileRef{want}) {
			t.Fatalf("get_thread: other profiles %+v, want %+v", d.Prospect.Profiles, want)
		}
		if !strings.Contains(testenv.Text(res), "also on linkedin: «"+li.DisplayName+"» @"+li.Username) {
			t.Fatalf("get_thread text does not name the LinkedIn profile:\n%s", testenv.Text(res))
		}
		l := testenv.Decode[tools.Lookup](t, h.CallOK(t, tools.NameLookupThread, map[string]any{"who": th.Prospect.ID}))
		if l.Prospect == nil || !slices.Equal(l.Prospect.Profiles, []views.ProfileRef{want}) {
			t.Fatalf("lookup_thread: %+v", l.Prospect)
		}
		// The contact's threads span both platforms: one record, one person.
		p, err := h.Backend.Prospect(context.Background(), th.Prospect.ID)
		if err != nil {
			t.Fatal(err)
		}
		platforms := map[string]bool{}
		for _, r := range p.Threads {
			t2, err := h.Backend.GetThread(context.Background(), r.ID)
			if err != nil {
				t.Fatal(err)
			}
			platforms[t2.Platform] = true
		}
		if !platforms["twitter"] || !platforms["linkedin"] {
			t.Fatalf("contact %s: threads on %v", p.ID, platforms)
		}
	})
}

// TestLinkedInThread: on v2 the tools work a LinkedIn conversation as they work an X one:
// found by the person's username, read, and answered.
func TestLinkedInThread(t *testing.T) {
	t.Parallel()
	h := testenv.New(t, app.Config{}, testenv.WithAPIVersion("v2"))
	var li inbox.Thread
	for _, th := range testenv.AllThreads(t, h.Backend, inbox.ThreadQuery{View: inbox.ViewNoReply}, 0) {
		if th.Platform == "linkedin" {
			li = th
			break
		}
	}
	if li.ID == "" {
		t.Fatal("no LinkedIn thread awaiting a reply in the seeded v2 data")
	}
	l := testenv.Decode[tools.Lookup](t, h.CallOK(t, tools.NameLookupThread, map[string]any{"who": "@" + li.Prospect.Username}))
	if !l.Found || !slices.ContainsFunc(l.Threads, func(r views.ThreadRow) bool { return r.ID == li.ID && r.Platform == "linkedin" }) {
		t.Fatalf("lookup_thread @%s: %+v", li.Prospect.Username, l)
	}
	msgs := testenv.Decode[tools.MessageList](t, h.CallOK(t, tools.NameReadMessages, map[string]any{"thread_id": li.ID}))
	if msgs.Count == 0 || msgs.Messages[msgs.Count-1].From != views.FromProspect {
		t.Fatalf("read_messages of a LinkedIn thread awaiting us: %+v", msgs)
	}
	text := "Thanks, happy to set up a call next week."
	out := sendReply(t, h, map[string]any{"thread_id": li.ID, "text": text})
	if got := landed(t, h, li.ID, text); out.Outcome != "sent" || len(got) != 1 || got[0].ID != out.MessageID {
		t.Fatalf("send_reply in a LinkedIn thread: %+v, %d message(s) landed", out, len(got))
	}
}
