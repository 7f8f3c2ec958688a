package tools_test

import (
	"context"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/inbox-mcp/inbox-mcp/app"
	"github.com/inbox-mcp/inbox-mcp/inbox"
	"github.com/inbox-mcp/inbox-mcp/internal/testenv"
	"github.com/inbox-mcp/inbox-mcp/sendjournal"
	"github.com/inbox-mcp/inbox-mcp/tools"
	"github.com/inbox-mcp/inbox-mcp/views"
)

// landFirst sends text to a thread straight through the backend, as the first attempt of a
// send that landed while its answer was lost (the server crashed, say), and returns it.
func landFirst(t *testing.T, h *testenv.Harness, threadID, text string) inbox.Message {
	t.Helper()
	res := h.Backend.Send(context.Background(), inbox.SendRequest{ThreadID: threadID, Content: text})
	if res.Outcome != inbox.Sent || res.Message == nil {
		t.Fatalf("the first attempt: %+v", res)
	}
	return *res.Message
}

// TestSendReplyShowsIdenticalMessage: where no journal can resume a send, a retry of a text
// already in the thread is never sent silently. The person is shown the identical message
// and when it was sent: in the client's dialog, in the token confirmation, or, with
// confirmations off, in an answer that sends nothing and offers a confirm_token for a
// deliberate second copy.
func TestSendReplyShowsIdenticalMessage(t *testing.T) {
	t.Parallel()
	for _, policy := range []tools.ConfirmPolicy{tools.ConfirmOff, tools.ConfirmToken, tools.ConfirmAuto} {
		t.Run(string(policy), func(t *testing.T) {
			testenv.ForVersions(t, app.Config{ConfirmSends: policy}, func(t *testing.T, h *testenv.Harness) {
				th := noReplyThread(t, h)
				text := "Here is the deck we discussed. (" + string(policy) + ")"
				first := landFirst(t, h, th.ID, text)
				at := views.ISO(first.CreatedAt)
				args := map[string]any{"thread_id": th.ID, "text": text}
				p := &person{action: mcp.ElicitationResponseActionDecline}
				c := testenv.Connect(t, h.Server, client.WithElicitationHandler(p))
				res := call(t, c, "send_reply", args)
				out := testenv.Decode[tools.SendOutcome](t, res)
				h.CheckOutput(t, "send_reply", res)
				shown := testenv.Text(res)
				switch policy {
				case tools.ConfirmOff:
					if out.Outcome != tools.OutcomeDuplicate || res.IsError || out.ConfirmToken == "" || !strings.Contains(shown, "NOT SENT") {
						t.Fatalf("confirmations off: %+v %q", out, shown)
					}
				case tools.ConfirmToken:
					if out.Outcome != tools.OutcomeNeedsConfirmation || out.ConfirmToken == "" {
						t.Fatalf("token: %+v %q", out, shown)
					}
				case tools.ConfirmAuto:
					if out.Outcome != tools.OutcomeDeclined || len(p.asked()) != 1 {
						t.Fatalf("in the client: %+v, asked %d times", out, len(p.asked()))
					}
					shown = p.asked()[0]
				}
				if policy != tools.ConfirmAuto && (out.DuplicateOf != first.ID || out.DuplicateAt != at) {
					t.Errorf("the answer names %q at %q; want %s at %s", out.DuplicateOf, out.DuplicateAt, first.ID, at)
				}
				for _, want := range []string{"identical message is already in this thread", first.ID, at} {
					if !strings.Contains(shown, want) {
						t.Errorf("what the person sees lacks %q:\n%s", want, shown)
					}
				}
				if got := landed(t, h, th.ID, text); len(got) != 1 {
					t.Fatalf("%d copies in the thread; want the first alone", len(got))
				}
				if policy == tools.ConfirmOff {
					// The token sends a second copy, once.
					args["confirm_token"] = out.ConfirmToken
					again := testenv.Decode[tools.SendOutcome](t, call(t, c, "send_reply", args))
					if again.Outcome != "sent" || len(landed(t, h, th.ID, text)) != 2 {
						t.Fatalf("with the token: %+v", again)
					}
					wantError(t, h, "send_reply", args, "already used", "read_messages")
					if got := landed(t, h, th.ID, text); len(got) != 2 {
						t.Fatalf("the used token sent again: %d copies", len(got))
					}
				}
			})
		})
	}
}

// TestSendReplyIdenticalMessageScope: only an identical message the team sent within
// RepeatWindow holds a send back; other text, the prospect's own words, or a message older
// than the window do not (confirmations off, where holding back shows most).
func TestSendReplyIdenticalMessageScope(t *testing.T) {
	t.Parallel()
	for _, v := range testenv.Versions {
		t.Run(v, func(t *testing.T) {
			// The server's clock runs 25 hours ahead of the simulator's: whatever the simulator
			// stores now is older than the window.
			h := testenv.New(t, app.Config{ConfirmSends: tools.ConfirmOff}, testenv.WithAPIVersion(v))
			th := noReplyThread(t, h)
			landFirst(t, h, th.ID, "Sent earlier, other words.")
			if out := sendReply(t, h, map[string]any{"thread_id": th.ID, "text": "Different words now."}); out.Outcome != "sent" {
				t.Fatalf("other text: %+v", out)
			}
			if th.LastMessage == nil || th.LastMessage.Direction != inbox.Inbound {
				t.Fatalf("the no-reply thread's last message is not the prospect's: %+v", th.LastMessage)
			}
			if out := sendReply(t, h, map[string]any{"thread_id": th.ID, "text": th.LastMessage.Content}); out.Outcome != "sent" {
				t.Fatalf("the prospect's own words, quoted back: %+v", out)
			}
			// Addressed by X user ID from an account, as a send that starts a conversation is:
			// the retry finds the thread its first attempt went to.
			x := threadWhere(t, h.Backend, inbox.ViewDefault, func(o inbox.Thread) bool {
				return o.Platform == "twitter" && o.Prospect.PlatformID != "" && strings.Trim(o.Prospect.PlatformID, "0123456789") == ""
			})
			first := landFirst(t, h, x.ID, "Starting a conversation.")
			res := h.Call(t, tools.NameSendReply, map[string]any{"to": x.Prospect.PlatformID, "account": x.AccountID, "text": "Starting a conversation."})
			if out := testenv.Decode[tools.SendOutcome](t, res); out.Outcome != tools.OutcomeDuplicate || out.DuplicateOf != first.ID || out.ThreadID != x.ID {
				t.Fatalf("by X user ID: %+v %q", out, testenv.Text(res))
			}

			later := testenv.New(t, app.Config{ConfirmSends: tools.ConfirmOff, Now: func() time.Time { return time.Now().Add(RepeatWindowPlus) }},
				testenv.WithAPIVersion(v))
			th = noReplyThread(t, later)
			landFirst(t, later, th.ID, "Old news.")
			if out := sendReply(t, later, map[string]any{"thread_id": th.ID, "text": "Old news."}); out.Outcome != "sent" {
				t.Fatalf("an identical message older than the window: %+v", out)
			}
		})
	}
}

// RepeatWindowPlus is a little more than tools.RepeatWindow.
const RepeatWindowPlus = tools.RepeatWindow + time.Hour

// TestSendReplyResumesUnknownSend (v2, with a journal): a send whose every attempt lost its
// answer ends unknown and stays in the journal; the next send_reply of the same text resumes
// it under the same Idempotency-Key, gets the first attempt's message back, and clears the
// journal. Without the journal, that retry was a second copy.
func TestSendReplyResumesUnknownSend(t *testing.T) {
	// Waits between retries: it runs beside the others.
	t.Parallel()
	dir := t.TempDir()
	j, err := sendjournal.Open(dir, sendjournal.Options{})
	if err != nil {
		t.Fatal(err)
	}
	lossy := &lossyTransport{lose: 1 << 20}
	h := testenv.New(t, app.Config{ConfirmSends: tools.ConfirmOff, SendJournal: j}, testenv.WithAPIVersion("v2"),
		testenv.WithTransport(func(rt http.RoundTripper) http.RoundTripper { lossy.base = rt; return lossy }))
	th := noReplyThread(t, h)
	text := "Resumed, never doubled."
	args := map[string]any{"thread_id": th.ID, "text": text}

	res := h.Call(t, tools.NameSendReply, args)
	first := testenv.Decode[tools.SendOutcome](t, res)
	if first.Outcome != "unknown" || !strings.Contains(testenv.Text(res), "resumes this send") || entries(t, dir) != 1 {
		t.Fatalf("every answer lost: %+v %q, %d journal entries", first, testenv.Text(res), entries(t, dir))
	}
	landedFirst := landed(t, h, th.ID, text)
	if len(landedFirst) != 1 {
		t.Fatalf("%d copies after the lost attempts; want 1", len(landedFirst))
	}

	lossy.mu.Lock()
	lossy.lose = 0
	lossy.mu.Unlock()
	res = h.Call(t, tools.NameSendReply, args)
	out := testenv.Decode[tools.SendOutcome](t, res)
	if out.Outcome != "sent" || out.MessageID != landedFirst[0].ID || out.EarlierAttempt == "" || !strings.Contains(testenv.Text(res), "no second copy") {
		t.Fatalf("the retry: %+v %q", out, testenv.Text(res))
	}
	if got := landed(t, h, th.ID, text); len(got) != 1 {
		t.Fatalf("%d copies after the retry; want 1", len(got))
	}
	keys := lossy.sendKeys()
	for _, k := range keys {
		if k != keys[0] {
			t.Fatalf("the attempts carried the keys %q; want the journaled one throughout", keys)
		}
	}
	if n := entries(t, dir); n != 0 {
		t.Fatalf("%d journal entries after the send was settled; want 0", n)
	}
}

// entries counts the journal's entries in dir.
func entries(t *testing.T, dir string) int {
	t.Helper()
	des, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, de := range des {
		if strings.HasSuffix(de.Name(), ".json") {
			n++
		}
	}
	return n
}
