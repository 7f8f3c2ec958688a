package v1_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/inbox-mcp/inbox-mcp/apiclient"
	"github.com/inbox-mcp/inbox-mcp/inbox"
	"github.com/inbox-mcp/inbox-mcp/inboxsim"
	"github.com/inbox-mcp/inbox-mcp/internal/testenv"
)

func testBackendListMessages(t *testing.T, b inbox.Backend) {
	ctx := context.Background()
	threads := testenv.AllThreads(t, b, inbox.ThreadQuery{}, 100)
	var longest inbox.Thread
	n := 0
	var replies, reactions, edits, deleted int
	for _, th := range threads {
		ms := testenv.AllMessages(t, b, th.ID, 100)
		if len(ms) > n {
			longest, n = th, len(ms)
		}
		if th.LastMessage != nil && (len(ms) == 0 || ms[0].ID != th.LastMessage.ID || ms[0].Direction != th.LastMessage.Direction) {
			t.Fatalf("thread %s: newest message disagrees with the thread's last message %+v", th.ID, th.LastMessage)
		}
		ids := map[string]bool{}
		for i, m := range ms {
			ids[m.ID] = true
			if m.ThreadID != th.ID || m.AccountID != th.AccountID || m.CreatedAt.IsZero() || m.Origin == "" {
				t.Fatalf("message %+v of thread %s on %s", m, th.ID, th.AccountID)
			}
			if i > 0 && m.CreatedAt.After(ms[i-1].CreatedAt) {
				t.Fatalf("thread %s: messages not newest first", th.ID)
			}
			if (m.UserID != "" || m.CampaignID != "") && m.Direction != inbox.Outbound {
				t.Errorf("message %s sent by a teammate or campaign is %s", m.ID, m.Direction)
			}
			if m.Direction == inbox.Inbound && m.Origin != "external" {
				t.Errorf("inbound message %s has origin %s", m.ID, m.Origin)
			}
			if m.Edited {
				edits++
			}
			if m.DeletedAt != nil {
				deleted++
			}
			for _, r := range m.Reactions {
				if r.Emoji == "" || r.By == "" {
					t.Errorf("reaction %+v", r)
				}
				reactions++
			}
		}
		for _, m := range ms {
			if m.ReplyToID != "" {
				replies++
				if !ids[m.ReplyToID] {
					t.Errorf("message %s replies to %s, not in its thread", m.ID, m.ReplyToID)
				}
			}
		}
	}
	// The seeded data set has all of these; a mapping that lost them would show zero.
	if replies == 0 || reactions == 0 || edits == 0 || deleted == 0 {
		t.Errorf("replies %d, reactions %d, edits %d, deletions %d: want some of each", replies, reactions, edits, deleted)
	}
	// Paging by 7 gives the same messages as one walk by 100.
	small := testenv.AllMessages(t, b, longest.ID, 7)
	big := testenv.AllMessages(t, b, longest.ID, 100)
	if n < 15 || len(small) != len(big) || small[0].ID != big[0].ID || small[len(small)-1].ID != big[len(big)-1].ID {
		t.Errorf("paging the longest thread (%d messages): %d by 7, %d by 100", n, len(small), len(big))
	}
	dirs := map[inbox.Direction]int{}
	for _, m := range big {
		dirs[m.Direction]++
	}
	if dirs[inbox.Inbound] == 0 || dirs[inbox.Outbound] == 0 {
		t.Errorf("longest thread directions %v: want both", dirs)
	}

	for _, tt := range []struct {
		thread, cursor string
		limit          int
		want           string
	}{
		{longest.ID, "", 0, "use 1 to 100"},
		{longest.ID, "bogus", 10, "pass next_cursor exactly"},
		{"zzzzzzzzzzzzzzzzzzzzzzzz", "", 10, "404"},
	} {
		if _, err := b.ListMessages(ctx, tt.thread, tt.cursor, tt.limit); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ListMessages(%q, %q, %d): err = %v, want %q", tt.thread, tt.cursor, tt.limit, err, tt.want)
		}
	}
}

// testBackendLegacyAuthors serves messages whose authorId is an X user ID (as legacy data
// and webhook examples show) or an ID the adapter cannot place, instead of an Inbox ID: the
// direction must not change, and the account links are read once, not once per message.
func testBackendLegacyAuthors(t *testing.T, direct inbox.Backend, srv *inboxsim.Server) {
	ctx := context.Background()
	accounts, _ := direct.Accounts(ctx)
	threads := testenv.AllThreads(t, direct, inbox.ThreadQuery{}, 100)
	legacy := map[string]string{}
	for _, a := range accounts {
		legacy[a.ID] = a.PlatformID
	}
	for i, th := range threads {
		// Half the prospects are named by X user ID, half by an ID that matches nothing
		// known: both are the prospect's side.
		legacy[th.Prospect.ID] = th.Prospect.PlatformID
		if i%2 == 1 {
			legacy[th.Prospect.ID] = "legacy" + th.Prospect.PlatformID
		}
	}
	var accountReads atomic.Int32
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/account-links") {
			accountReads.Add(1)
		}
		if !strings.HasSuffix(r.URL.Path, "/messages") {
			srv.Sim.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		srv.Sim.ServeHTTP(rec, r)
		var page map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &page); err != nil {
			t.Errorf("decode: %v", err)
		}
		for _, m := range page["messages"].([]any) {
			m := m.(map[string]any)
			if id, ok := legacy[m["authorId"].(string)]; ok {
				m["authorId"] = id
			}
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(page)
	}))
	defer proxy.Close()
	viaProxy := backendOn(t, proxy.URL+"/api/v1", srv.Token)

	checked := 0
	for _, th := range threads[:40] {
		want := testenv.AllMessages(t, direct, th.ID, 100)
		got := testenv.AllMessages(t, viaProxy, th.ID, 100)
		if len(got) != len(want) {
			t.Fatalf("thread %s: %d messages via the proxy, %d direct", th.ID, len(got), len(want))
		}
		for i := range want {
			if got[i].Direction != want[i].Direction {
				t.Errorf("message %s: %s with a legacy author ID, %s with the Inbox ID", want[i].ID, got[i].Direction, want[i].Direction)
			}
			checked++
		}
	}
	if checked < 100 {
		t.Fatalf("only %d messages checked", checked)
	}
	if n := accountReads.Load(); n != 1 {
		t.Errorf("account links read %d times for %d messages, want once", n, checked)
	}
}

func TestBackendSendToThread(t *testing.T) {
	b, _ := simBackend(t)
	ctx := context.Background()
	page, _ := b.ListThreads(ctx, inbox.ThreadQuery{View: inbox.ViewNoReply}, "", 1)
	th := page.Items[0]
	before := testenv.AllMessages(t, b, th.ID, 100)

	res := b.Send(ctx, inbox.SendRequest{ThreadID: th.ID, Content: "Thanks! Does Tuesday 3pm work?", ReplyToID: before[0].ID})
	if res.Outcome != inbox.Sent || res.Err != nil || res.ThreadID != th.ID || res.Message == nil {
		t.Fatalf("Send = %+v", res)
	}
	m := res.Message
	if m.Direction != inbox.Outbound || m.AccountID != th.AccountID || m.ThreadID != th.ID || m.Content != "Thanks! Does Tuesday 3pm work?" ||
		m.ReplyToID != before[0].ID || m.Origin != "api" {
		t.Errorf("sent message %+v", m)
	}
	after := testenv.AllMessages(t, b, th.ID, 100)
	if len(after) != len(before)+1 || after[0].ID != m.ID || after[0].Direction != inbox.Outbound {
		t.Errorf("thread after the send: %d messages (was %d), newest %+v", len(after), len(before), after[0])
	}
	if got, _ := b.GetThread(ctx, th.ID); got.LastMessage == nil || got.LastMessage.Direction != inbox.Outbound {
		t.Errorf("thread's last message after our send: %+v", got.LastMessage)
	}

	for _, tt := range []struct {
		name string
		r    inbox.SendRequest
		want string
	}{
		{"empty text", inbox.SendRequest{ThreadID: th.ID}, "content is empty"},
		{"unknown thread", inbox.SendRequest{ThreadID: "zzzzzzzzzzzzzzzzzzzzzzzz", Content: "hi"}, "404"},
		{"no target", inbox.SendRequest{Content: "hi"}, "neither a thread nor an account"},
	} {
		res := b.Send(ctx, tt.r)
		if res.Outcome != inbox.NotSent || res.Err == nil || !strings.Contains(res.Err.Error(), tt.want) || res.Reason == "" {
			t.Errorf("%s: %+v; want not sent with %q", tt.name, res, tt.want)
		}
	}
	if got := testenv.AllMessages(t, b, th.ID, 100); len(got) != len(after) {
		t.Errorf("refused sends changed the thread: %d messages, want %d", len(got), len(after))
	}
}

func TestBackendSendToPerson(t *testing.T) {
	b, _ := simBackend(t)
	ctx := context.Background()
	tests := []struct {
		name     string
		who      func(inbox.Thread) inbox.PersonRef
		existing bool // send from the account that already has the thread
	}{
		{"prospect ID, new thread", func(th inbox.Thread) inbox.PersonRef { return inbox.PersonRef{ID: th.Prospect.ID} }, false},
		{"X user ID, new thread", func(th inbox.Thread) inbox.PersonRef { return inbox.PersonRef{PlatformID: th.Prospect.PlatformID} }, false},
		{"username, new thread", func(th inbox.Thread) inbox.PersonRef { return inbox.PersonRef{Username: "@" + th.Prospect.Username} }, false},
		{"username, existing thread", func(th inbox.Thread) inbox.PersonRef { return inbox.PersonRef{Username: th.Prospect.Username} }, true},
		{"X user ID, existing thread", func(th inbox.Thread) inbox.PersonRef { return inbox.PersonRef{PlatformID: th.Prospect.PlatformID} }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			th, other := threadOnOneAccount(t, b)
			account := other
			if tt.existing {
				account = th.AccountID
			}
			who := tt.who(th)
			res := b.Send(ctx, inbox.SendRequest{AccountID: account, To: who, Content: "Hi from the team, " + tt.name})
			if res.Outcome != inbox.Sent || res.Message == nil || res.ThreadID == "" || res.Message.ThreadID != res.ThreadID ||
				res.Message.Direction != inbox.Outbound || res.Message.AccountID != account {
				t.Fatalf("Send = %+v (message %+v)", res, res.Message)
			}
			if tt.existing && res.ThreadID != th.ID {
				t.Errorf("sent in thread %s, want the existing %s", res.ThreadID, th.ID)
			}
			found, err := b.FindThread(ctx, account, inbox.PersonRef{ID: th.Prospect.ID})
			if err != nil || found == nil || found.ID != res.ThreadID || found.LastMessage == nil || found.LastMessage.ID != res.Message.ID {
				t.Errorf("FindThread after the send = %+v, %v", found, err)
			}
		})
	}

	th, other := threadOnOneAccount(t, b)
	for _, tt := range []struct {
		name string
		r    inbox.SendRequest
		want string
	}{
		{"unknown username", inbox.SendRequest{AccountID: other, To: inbox.PersonRef{Username: "nobody_by_this_name"}, Content: "hi"}, "send to their X user ID"},
		{"reply without a thread", inbox.SendRequest{AccountID: other, To: inbox.PersonRef{ID: th.Prospect.ID}, Content: "hi", ReplyToID: th.LastMessage.ID}, "needs an existing thread"},
		{"no person", inbox.SendRequest{AccountID: other, Content: "hi"}, ""},
	} {
		res := b.Send(ctx, tt.r)
		if res.Outcome != inbox.NotSent || res.Err == nil || !strings.Contains(res.Reason, tt.want) {
			t.Errorf("%s: %+v; want not sent, reason with %q", tt.name, res, tt.want)
		}
	}
	if found, _ := b.FindThread(ctx, other, inbox.PersonRef{ID: th.Prospect.ID}); found != nil {
		t.Errorf("a refused send created thread %s", found.ID)
	}
}

// TestBackendSendOutcomes checks that the client's honest answers reach the caller: a
// response lost after the message was stored is found by the read-back (sent), and a
// read-back that fails too leaves the outcome unknown, never "not sent".
func TestBackendSendOutcomes(t *testing.T) {
	srv, err := inboxsim.Start(context.Background(), "", inboxsim.Options{Seed: 1, RateLimit: inboxsim.RateLimits{Disabled: true}})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	var sends, failReads atomic.Bool
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		isSend := r.Method == "POST" && strings.HasSuffix(r.URL.Path, "/messages")
		switch {
		case isSend && sends.Load():
			// Store the message, then drop the connection without an answer.
			srv.Sim.ServeHTTP(httptest.NewRecorder(), r)
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				conn.Close()
			}
		case r.Method == "GET" && strings.HasSuffix(r.URL.Path, "/messages") && failReads.Load():
			http.Error(w, `{"error":{"code":"UNAVAILABLE","message":"down","status":503}}`, http.StatusServiceUnavailable)
		default:
			srv.Sim.ServeHTTP(w, r)
		}
	}))
	defer proxy.Close()
	b := backendOn(t, proxy.URL+"/api/v1", srv.Token, func(c *apiclient.Config) {
		c.Retry.Attempts, c.VerifyDelay, c.Retry.MaxWait = 1, -1, time.Second
	})
	ctx := context.Background()
	page, _ := b.ListThreads(ctx, inbox.ThreadQuery{}, "", 2)

	sends.Store(true)
	res := b.Send(ctx, inbox.SendRequest{ThreadID: page.Items[0].ID, Content: "Following up on pricing"})
	if res.Outcome != inbox.Sent || res.Message == nil || res.Message.Direction != inbox.Outbound || res.Checked == "" {
		t.Errorf("lost answer, message stored: %+v; want sent, established by a read-back", res)
	}

	failReads.Store(true)
	res = b.Send(ctx, inbox.SendRequest{ThreadID: page.Items[1].ID, Content: "Following up on the demo"})
	if res.Outcome != inbox.Unknown || res.Message != nil || res.Err == nil || res.Reason == "" || res.ThreadID != page.Items[1].ID {
		t.Errorf("lost answer, read-back failing: %+v; want unknown", res)
	}
	failReads.Store(false)
	sends.Store(false)
	if ms := testenv.AllMessages(t, b, page.Items[1].ID, 100); ms[0].Content != "Following up on the demo" {
		t.Errorf("the unknown send did land (%q is newest): unknown was the honest answer", ms[0].Content)
	}
}

// xChatMessage returns an X Chat thread and its newest live message of ours.
func xChatMessage(t *testing.T, b inbox.Backend) (inbox.Thread, inbox.Message) {
	t.Helper()
	for _, th := range testenv.AllThreads(t, b, inbox.ThreadQuery{}, 100) {
		if th.Variant != "xChat" {
			continue
		}
		for _, m := range testenv.AllMessages(t, b, th.ID, 100) {
			if m.Direction == inbox.Outbound && m.DeletedAt == nil {
				return th, m
			}
		}
	}
	t.Fatal("no X Chat thread with a message of ours")
	return inbox.Thread{}, inbox.Message{}
}

func TestBackendEditReactDelete(t *testing.T) {
	b, _ := simBackend(t)
	ctx := context.Background()
	th, m := xChatMessage(t, b)
	if len(th.Restrictions) != 0 {
		t.Fatalf("X Chat thread restricted: %v", th.Restrictions)
	}
	find := func() inbox.Message {
		for _, x := range testenv.AllMessages(t, b, th.ID, 100) {
			if x.ID == m.ID {
				return x
			}
		}
		t.Fatalf("message %s gone", m.ID)
		return inbox.Message{}
	}
	if err := b.EditMessage(ctx, th.ID, m.ID, "Edited: see you Tuesday"); err != nil {
		t.Fatal(err)
	}
	if got := find(); got.Content != "Edited: see you Tuesday" || !got.Edited {
		t.Errorf("after edit: %+v", got)
	}
	if err := b.React(ctx, th.ID, m.ID, "🔥", true); err != nil {
		t.Fatal(err)
	}
	if got := find(); !slices.ContainsFunc(got.Reactions, func(r inbox.Reaction) bool { return r.Emoji == "🔥" }) {
		t.Errorf("after react: %+v", got.Reactions)
	}
	if err := b.React(ctx, th.ID, m.ID, "🔥", false); err != nil {
		t.Fatal(err)
	}
	if got := find(); slices.ContainsFunc(got.Reactions, func(r inbox.Reaction) bool { return r.Emoji == "🔥" }) {
		t.Errorf("after unreact: %+v", got.Reactions)
	}
	if err := b.DeleteMessage(ctx, th.ID, m.ID); err != nil {
		t.Fatal(err)
	}
	if got := find(); got.DeletedAt == nil {
		t.Errorf("after delete: %+v", got)
	}

	// Where the adapter says editing is restricted, the API refuses it too.
	for _, plain := range testenv.AllThreads(t, b, inbox.ThreadQuery{}, 100) {
		if plain.Variant == "xChat" || plain.LastMessage == nil {
			continue
		}
		if !slices.Contains(plain.Restrictions, "message:edit") {
			t.Fatalf("thread %s (%s) not restricted", plain.ID, plain.Variant)
		}
		if err := b.EditMessage(ctx, plain.ID, plain.LastMessage.ID, "x"); err == nil {
			t.Errorf("editing in %s thread %s succeeded", plain.Variant, plain.ID)
		}
		if err := b.DeleteMessage(ctx, plain.ID, plain.LastMessage.ID); err == nil {
			t.Errorf("deleting in %s thread %s succeeded", plain.Variant, plain.ID)
		}
		return
	}
	t.Error("no thread outside X Chat in the data set")
}
