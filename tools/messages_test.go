package tools_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/inbox-mcp/inbox-mcp/app"
	"github.com/inbox-mcp/inbox-mcp/inbox"
	"github.com/inbox-mcp/inbox-mcp/inboxsim"
	"github.com/inbox-mcp/inbox-mcp/internal/testenv"
	"github.com/inbox-mcp/inbox-mcp/tools"
	"github.com/inbox-mcp/inbox-mcp/views"
)

var longThreads sync.Map // backend -> inbox.Thread

// longThread finds a thread with more than one API page of messages.
func longThread(t *testing.T, b inbox.Backend) inbox.Thread {
	t.Helper()
	if th, ok := longThreads.Load(b); ok {
		return th.(inbox.Thread)
	}
	for _, v := range []inbox.View{inbox.ViewDefault, inbox.ViewArchived} {
		for _, th := range testenv.AllThreads(t, b, inbox.ThreadQuery{View: v}, 0) {
			p, err := b.ListMessages(context.Background(), th.ID, "", inbox.MaxPage)
			if err != nil {
				t.Fatal(err)
			}
			if p.Next != "" {
				longThreads.Store(b, th)
				return th
			}
		}
	}
	t.Fatal("no thread with more than 100 messages in the seeded data")
	return inbox.Thread{}
}

// threadWhere finds an open thread whose last message satisfies ok.
func threadWhere(t *testing.T, b inbox.Backend, view inbox.View, ok func(inbox.Thread) bool) inbox.Thread {
	t.Helper()
	for _, th := range testenv.AllThreads(t, b, inbox.ThreadQuery{View: view}, 0) {
		if ok(th) {
			return th
		}
	}
	t.Fatal("no such thread in the seeded data")
	return inbox.Thread{}
}

func readMessages(t *testing.T, h *testenv.Harness, args map[string]any) tools.MessageList {
	t.Helper()
	return testenv.Decode[tools.MessageList](t, h.CallOK(t, "read_messages", args))
}

func TestReadMessagesWholeThread(t *testing.T) {
	t.Parallel()
	testenv.EachVersion(t, shared, func(t *testing.T, h *testenv.Harness) {
		th := longThread(t, h.Backend)
		ref := testenv.AllMessages(t, h.Backend, th.ID, 0) // newest first
		got := readMessages(t, h, map[string]any{"thread_id": th.ID, "limit": tools.MaxMessages})
		if got.Count != len(ref) || len(got.Messages) != len(ref) || got.HasMore {
			t.Fatalf("count %d, has_more %v; the thread has %d", got.Count, got.HasMore, len(ref))
		}
		for i, m := range got.Messages {
			want := ref[len(ref)-1-i]
			if m.ID != want.ID || m.Text != views.Sanitize(want.Content) {
				t.Fatalf("message %d is %s, want %s (oldest first, text in full)", i, m.ID, want.ID)
			}
			if i > 0 && m.At < got.Messages[i-1].At {
				t.Fatalf("message %d is older than the one before", i)
			}
			switch m.From {
			case views.FromProspect:
				if !m.Untrusted || m.By != "@"+th.Prospect.Username {
					t.Errorf("prospect message %+v", m)
				}
			case views.FromUs:
				if m.Untrusted || !strings.Contains(m.By, "@") {
					t.Errorf("our message %+v does not name the account", m)
				}
			default:
				t.Errorf("from = %q", m.From)
			}
		}
		if got.Prospect == "" || got.Account == "" {
			t.Errorf("header fields missing: %+v", got)
		}
	})
}

func TestReadMessagesLimitCursorSince(t *testing.T) {
	t.Parallel()
	testenv.EachVersion(t, shared, func(t *testing.T, h *testenv.Harness) {
		th := longThread(t, h.Backend)
		ref := testenv.AllMessages(t, h.Backend, th.ID, 0)

		newest := readMessages(t, h, map[string]any{"thread_id": th.ID, "limit": 30})
		if newest.Count != 30 || !newest.HasMore || newest.NextCursor == "" {
			t.Fatalf("limit 30: count %d, has_more %v", newest.Count, newest.HasMore)
		}
		if newest.Messages[29].ID != ref[0].ID || newest.Messages[0].ID != ref[29].ID {
			t.Fatal("limit 30 must give the newest 30, oldest first")
		}
		older := readMessages(t, h, map[string]any{"thread_id": th.ID, "limit": 120, "cursor": newest.NextCursor})
		if older.Count != 120 || older.Messages[119].ID != ref[30].ID {
			t.Fatalf("the cursor must continue with the next older messages (got %d)", older.Count)
		}
		wantError(t, h, "read_messages", map[string]any{"thread_id": th.ID, "since": "1d", "cursor": newest.NextCursor}, "other arguments")

		// since: messages at or after a time, from the API's own timestamps.
		cut := ref[len(ref)/2].CreatedAt
		want := 0
		for _, m := range ref {
			if !m.CreatedAt.Before(cut) {
				want++
			}
		}
		got := readMessages(t, h, map[string]any{"thread_id": th.ID, "since": cut.Format(time.RFC3339Nano), "limit": 1000})
		if got.Count != want || got.HasMore {
			t.Fatalf("since %s: %d messages, has_more %v; want %d", cut, got.Count, got.HasMore, want)
		}
	})
}

func TestReadMessagesErrors(t *testing.T) {
	t.Parallel()
	testenv.EachVersion(t, shared, func(t *testing.T, h *testenv.Harness) {
		wantError(t, h, "read_messages", map[string]any{"thread_id": "zzzzzzzzzzzzzzzzzzzzzzzz"}, "No thread with ID", "list_threads or lookup_thread")
		wantError(t, h, "read_messages", map[string]any{"thread_id": "x", "since": "soon"}, "since")
		wantError(t, h, "read_messages", map[string]any{"thread_id": "x", "limit": 1001})
		wantError(t, h, "read_messages", map[string]any{})
	})
}

// TestUntrustedTextIsSanitizedAndMarked reads the seeded thread whose last message hides a
// payload in bidi overrides, zero-width and tag characters.
func TestUntrustedTextIsSanitizedAndMarked(t *testing.T) {
	t.Parallel()
	testenv.EachVersion(t, shared, func(t *testing.T, h *testenv.Harness) {
		th := threadWhere(t, h.Backend, inbox.ViewNoReply, func(th inbox.Thread) bool {
			return th.LastMessage != nil && strings.ContainsRune(th.LastMessage.Content, '\u202E')
		})
		res := h.CallOK(t, "read_messages", map[string]any{"thread_id": th.ID})
		got := testenv.Decode[tools.MessageList](t, res)
		last := got.Messages[len(got.Messages)-1]
		if !last.Untrusted || last.From != views.FromProspect {
			t.Fatalf("last message not marked untrusted: %+v", last)
		}
		text := testenv.Text(res)
		for _, bad := range []rune{'\u202E', '\u200B', '\u2066', '\u200D', '\U000E0069'} {
			if strings.ContainsRune(last.Text, bad) || strings.ContainsRune(text, bad) {
				t.Errorf("output still contains %U", bad)
			}
		}
		if !strings.Contains(text, views.UntrustedNote) || !strings.Contains(text, "«"+last.Text+"»") {
			t.Errorf("text rendering does not quote the prospect's message:\n%s", text)
		}
		rows := listThreads(t, h, map[string]any{"inbox": "no-reply", "limit": 500})
		for _, r := range rows.Threads {
			if r.ID == th.ID && (strings.ContainsRune(r.Last.Text, '\u202E') || !r.Last.Untrusted) {
				t.Errorf("listing excerpt not sanitized or not marked: %+v", r.Last)
			}
		}
	})
}

func sendReply(t *testing.T, h *testenv.Harness, args map[string]any) tools.SendOutcome {
	t.Helper()
	return testenv.Decode[tools.SendOutcome](t, h.CallOK(t, "send_reply", args))
}

func TestSendReplyToThread(t *testing.T) {
	t.Parallel()
	testenv.ForVersions(t, app.Config{}, func(t *testing.T, h *testenv.Harness) {
		th := threadWhere(t, h.Backend, inbox.ViewNoReply, func(inbox.Thread) bool { return true })
		before := len(testenv.AllMessages(t, h.Backend, th.ID, 0))
		text := "Thanks Jordan! Here is the pricing page: https://example.com/pricing\nTalk soon."
		out := sendReply(t, h, map[string]any{"thread_id": th.ID, "text": text, "reply_to": th.LastMessage.ID})
		if out.Outcome != "sent" || out.ThreadID != th.ID || out.MessageID == "" || out.At == "" {
			t.Fatalf("outcome = %+v", out)
		}
		after := testenv.AllMessages(t, h.Backend, th.ID, 0)
		if len(after) != before+1 || after[0].ID != out.MessageID || after[0].Content != text || after[0].Direction != inbox.Outbound {
			t.Fatalf("the thread has %d messages (was %d), newest %+v", len(after), before, after[0])
		}
		// The thread left the no-reply view.
		for _, r := range listThreads(t, h, map[string]any{"inbox": "no-reply", "limit": 500}).Threads {
			if r.ID == th.ID {
				t.Error("the thread is still waiting for a reply")
			}
		}
	})
}

func TestSendReplyToPerson(t *testing.T) {
	t.Parallel()
	testenv.ForVersions(t, app.Config{}, func(t *testing.T, h *testenv.Harness) {
		dir := names(t, h.Backend)
		th := threadWhere(t, h.Backend, inbox.ViewDefault, func(th inbox.Thread) bool {
			ts, err := h.Backend.ThreadsWithUsername(context.Background(), th.Prospect.Username)
			return err == nil && len(ts) == 1
		})
		user := "@" + th.Prospect.Username

		// By @username: the person's one thread.
		out := sendReply(t, h, map[string]any{"to": user, "text": "Quick follow-up on my last message."})
		if out.Outcome != "sent" || out.ThreadID != th.ID {
			t.Fatalf("to %s: %+v", user, out)
		}
		// By @username on another account: a new thread is started with their X user ID.
		var other string
		for _, a := range dir.Accounts {
			if a.ID != th.AccountID {
				other = "@" + a.Username
				break
			}
		}
		out = sendReply(t, h, map[string]any{"to": user, "account": other, "text": "Hello from our other account."})
		if out.Outcome != "sent" || out.ThreadID == th.ID || out.ThreadID == "" {
			t.Fatalf("to %s from %s: %+v", user, other, out)
		}
		nt, err := h.Backend.GetThread(context.Background(), out.ThreadID)
		if err != nil || dir.AccountName(nt.AccountID) != other || nt.Prospect.PlatformID != th.Prospect.PlatformID {
			t.Fatalf("new thread %+v, %v", nt, err)
		}
		// Now the person has two threads: without an account the tool asks which.
		wantError(t, h, "send_reply", map[string]any{"to": user, "text": "hi"}, "has threads on", "account")

		// By X user ID with an account.
		out = sendReply(t, h, map[string]any{"to": th.Prospect.PlatformID, "account": dir.AccountName(th.AccountID), "text": "Via your X user ID."})
		if out.Outcome != "sent" || out.ThreadID != th.ID {
			t.Fatalf("to X ID: %+v", out)
		}
	})
}

func TestSendReplyErrors(t *testing.T) {
	t.Parallel()
	testenv.ForVersions(t, app.Config{}, func(t *testing.T, h *testenv.Harness) {
		th := testenv.AllThreads(t, h.Backend, inbox.ThreadQuery{View: inbox.ViewDefault}, 0)[0]
		before := len(testenv.AllMessages(t, h.Backend, th.ID, 0))
		wantError(t, h, "send_reply", map[string]any{"text": "hi"}, "thread_id", "to")
		wantError(t, h, "send_reply", map[string]any{"thread_id": th.ID, "to": "@x", "text": "hi"}, "not both")
		wantError(t, h, "send_reply", map[string]any{"thread_id": "zzzzzzzzzzzzzzzzzzzzzzzz", "text": "hi"}, "No thread with ID")
		wantError(t, h, "send_reply", map[string]any{"thread_id": th.ID, "text": "   "}, "empty")
		wantError(t, h, "send_reply", map[string]any{"thread_id": th.ID, "text": strings.Repeat("a", 10001)})
		wantError(t, h, "send_reply", map[string]any{"to": "@nobody_here_at_all", "account": "@northwindhq", "text": "hi"}, "X user ID")
		wantError(t, h, "send_reply", map[string]any{"to": "123456", "text": "hi"}, "which account", "@northwindhq")
		wantError(t, h, "send_reply", map[string]any{"thread_id": th.ID, "account": "@nosuch", "text": "hi"}, `no account named "@nosuch"`)
		if n := len(testenv.AllMessages(t, h.Backend, th.ID, 0)); n != before {
			t.Fatalf("a failed call sent something: %d messages, was %d", n, before)
		}
	})
}

// sendPath is the path of a send into a thread: v1 posts to the thread's messages, v2 to
// one /messages endpoint for every target.
func sendPath(h *testenv.Harness, threadID string) string {
	if h.Version == "v2" {
		return "/api/v2/messages"
	}
	return "/threads/" + threadID + "/messages"
}

// TestSendReplyReportsHonestly injects failures on the send itself: a server error before
// processing must be reported as not sent, and a connection dropped after the message was
// stored must be reported as sent, once.
func TestSendReplyReportsHonestly(t *testing.T) {
	// Its own simulator, and waits between retries: it runs beside the others.
	t.Parallel()
	testenv.ForVersions(t, app.Config{}, func(t *testing.T, h *testenv.Harness) {
		th := testenv.AllThreads(t, h.Backend, inbox.ThreadQuery{View: inbox.ViewDefault}, 0)[1]
		path := sendPath(h, th.ID)

		before := len(testenv.AllMessages(t, h.Backend, th.ID, 0))
		h.Sim.Sim.SetFaults(inboxsim.Faults{ErrorRate: 1, Methods: []string{"POST"}, PathContains: path})
		res := h.Call(t, "send_reply", map[string]any{"thread_id": th.ID, "text": "This will not arrive."})
		h.Sim.Sim.SetFaults(inboxsim.Faults{})
		out := testenv.Decode[tools.SendOutcome](t, res)
		// v1 reads the thread back and knows nothing landed. A v2 5xx may come before or
		// after the platform took the message, so every attempt (one key) failing leaves it
		// unknown, and the tool says to check before sending again.
		switch h.Version {
		case "v1":
			if !res.IsError || out.Outcome != "not_sent" || !strings.Contains(testenv.Text(res), "NOT sent") {
				t.Fatalf("5xx on send: IsError %v, %+v, %q", res.IsError, out, testenv.Text(res))
			}
		default:
			if !res.IsError || out.Outcome != "unknown" || !strings.Contains(testenv.Text(res), "read_messages on the thread shows whether it arrived") {
				t.Fatalf("5xx on every attempt: IsError %v, %+v, %q", res.IsError, out, testenv.Text(res))
			}
		}
		if n := len(testenv.AllMessages(t, h.Backend, th.ID, 0)); n != before {
			t.Fatalf("not_sent but the thread has %d messages (was %d)", n, before)
		}

		h.Sim.Sim.SetFaults(inboxsim.Faults{DropAfterProcessRate: 1, Methods: []string{"POST"}, PathContains: path})
		res = h.Call(t, "send_reply", map[string]any{"thread_id": th.ID, "text": "Stored, but the answer is lost."})
		h.Sim.Sim.SetFaults(inboxsim.Faults{})
		out = testenv.Decode[tools.SendOutcome](t, res)
		after := testenv.AllMessages(t, h.Backend, th.ID, 0)
		if len(after) != before+1 {
			t.Fatalf("dropped answer: the thread has %d messages, want %d (exactly one send)", len(after), before+1)
		}
		switch out.Outcome {
		case "sent":
			// v2 knows a send landed from the API's 2xx even when the answer's body is
			// lost; the message's ID is then not known, and the text says not to resend.
			if res.IsError || (out.MessageID != after[0].ID && (h.Version != "v2" || out.MessageID != "" || !strings.Contains(testenv.Text(res), "Do not send it again"))) {
				t.Fatalf("sent but %+v (IsError %v): %q", out, res.IsError, testenv.Text(res))
			}
		case "unknown":
			if !res.IsError || !strings.Contains(testenv.Text(res), "read_messages") {
				t.Fatalf("unknown must tell the model to check: %q", testenv.Text(res))
			}
		default:
			t.Fatalf("the message landed but the outcome is %+v", out)
		}
	})
}
