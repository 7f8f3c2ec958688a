package tools_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/inbox-mcp/inbox-mcp/app"
	"github.com/inbox-mcp/inbox-mcp/inbox"
	"github.com/inbox-mcp/inbox-mcp/internal/testenv"
	"github.com/inbox-mcp/inbox-mcp/tools"
)

// reacted reports whether a message carries the emoji.
func reacted(m inbox.Message, emoji string) bool {
	return slices.ContainsFunc(m.Reactions, func(r inbox.Reaction) bool { return r.Emoji == emoji })
}

// TestMessageChangesConfirmedByToken: editing, unsending and reacting to a message the
// prospect sees waits for the person, like a send. A client that cannot ask gets the exact
// change (account, recipient, old and new text) and a token bound to exactly it.
func TestMessageChangesConfirmedByToken(t *testing.T) {
	t.Parallel()
	testenv.ForVersions(t, app.Config{ConfirmSends: tools.ConfirmAuto}, func(t *testing.T, h *testenv.Harness) {
		xt, _ := messageIn(t, h, true, inbox.Outbound)
		// A message of ours sent just now: v2 platforms allow edits for a while only.
		sent := sendReply(t, h, map[string]any{"thread_id": xt.ID, "text": "The call is at 3pm."})
		old := messageByID(t, h.Backend, xt.ID, sent.MessageID)
		c := testenv.Connect(t, h.Server, client.WithElicitationHandler(nil))
		account := names(t, h.Backend).AccountName(xt.AccountID)
		newText := "Corrected: the call is at 3pm CET."
		edit := map[string]any{"thread_id": xt.ID, "message_id": old.ID, "action": "edit_message", "text": newText}

		res := call(t, c, tools.NameManageThread, edit)
		need := testenv.Decode[tools.ThreadChange](t, res)
		if res.IsError || need.Status != tools.OutcomeNeedsConfirmation || need.ConfirmToken == "" || need.Done != "" ||
			need.OldText != old.Content || need.NewText != newText || need.Account != account || !strings.Contains(need.To, "@"+xt.Prospect.Username) {
			t.Fatalf("edit, first step: %+v %q", need, testenv.Text(res))
		}
		h.CheckOutput(t, tools.NameManageThread, res)
		for _, want := range []string{"NOT CHANGED YET", "From: " + account, "@" + xt.Prospect.Username, old.Content, newText, need.ConfirmToken} {
			if !strings.Contains(testenv.Text(res), want) {
				t.Errorf("edit, first step's text lacks %q:\n%s", want, testenv.Text(res))
			}
		}
		if m := messageByID(t, h.Backend, xt.ID, old.ID); m.Content != old.Content || m.Edited {
			t.Fatalf("the first step edited the message: %+v", m)
		}

		// The token is bound to exactly this change: other text, or another action on the
		// message, asks anew and changes nothing.
		for _, other := range []map[string]any{
			{"thread_id": xt.ID, "message_id": old.ID, "action": "edit_message", "text": newText + "!", "confirm_token": need.ConfirmToken},
			{"thread_id": xt.ID, "message_id": old.ID, "action": "delete_message", "confirm_token": need.ConfirmToken},
			{"thread_id": xt.ID, "message_id": old.ID, "action": "react", "emoji": "👍", "confirm_token": need.ConfirmToken},
		} {
			out := testenv.Decode[tools.ThreadChange](t, call(t, c, tools.NameManageThread, other))
			if out.Status != tools.OutcomeNeedsConfirmation || out.ConfirmToken == need.ConfirmToken || out.Done != "" {
				t.Errorf("token used for %v: %+v", other, out)
			}
		}
		if m := messageByID(t, h.Backend, xt.ID, old.ID); m.Content != old.Content || m.DeletedAt != nil || reacted(m, "👍") {
			t.Fatalf("a token for another change changed the message: %+v", m)
		}

		// New text that reads differently from what the prospect would get is flagged.
		hidden := map[string]any{"thread_id": xt.ID, "message_id": old.ID, "action": "edit_message", "text": "see invoice_\u202Efdp.exe"}
		if text := testenv.Text(call(t, c, tools.NameManageThread, hidden)); !strings.Contains(text, "WARNING") || !strings.Contains(text, "U+202E") {
			t.Errorf("no warning of hidden characters: %q", text)
		}

		edit["confirm_token"] = need.ConfirmToken
		if out := testenv.Decode[tools.ThreadChange](t, call(t, c, tools.NameManageThread, edit)); out.Done != "edited" {
			t.Fatalf("edit with the token: %+v", out)
		}
		if m := messageByID(t, h.Backend, xt.ID, old.ID); m.Content != newText || !m.Edited {
			t.Fatalf("after the confirmed edit: %+v", m)
		}
		if res := call(t, c, tools.NameManageThread, edit); !res.IsError || !strings.Contains(testenv.Text(res), "already used") {
			t.Fatalf("replayed token: %q", testenv.Text(res))
		}

		// A reaction, its removal and an unsend: each shown, each only with its token.
		for _, step := range []struct {
			args   map[string]any
			change string
			done   string
			check  func(m inbox.Message) bool
		}{
			{map[string]any{"action": "react", "emoji": "👍"}, "react 👍", "reacted 👍", func(m inbox.Message) bool { return reacted(m, "👍") }},
			{map[string]any{"action": "unreact", "emoji": "👍"}, "remove reaction 👍", "removed reaction 👍", func(m inbox.Message) bool { return !reacted(m, "👍") }},
			{map[string]any{"action": "delete_message"}, "unsend", "deleted for everyone", func(m inbox.Message) bool { return m.DeletedAt != nil }},
		} {
			args := step.args
			args["thread_id"], args["message_id"] = xt.ID, old.ID
			before := messageByID(t, h.Backend, xt.ID, old.ID)
			res := call(t, c, tools.NameManageThread, args)
			need := testenv.Decode[tools.ThreadChange](t, res)
			if need.Status != tools.OutcomeNeedsConfirmation || need.Change != step.change || need.OldText != newText || need.ConfirmToken == "" {
				t.Fatalf("%s, first step: %+v %q", step.change, need, testenv.Text(res))
			}
			if m := messageByID(t, h.Backend, xt.ID, old.ID); step.check(m) != step.check(before) {
				t.Fatalf("%s happened before the person approved: %+v", step.change, m)
			}
			args["confirm_token"] = need.ConfirmToken
			if out := testenv.Decode[tools.ThreadChange](t, call(t, c, tools.NameManageThread, args)); out.Done != step.done {
				t.Fatalf("%s with the token: %+v", step.change, out)
			}
			if m := messageByID(t, h.Backend, xt.ID, old.ID); !step.check(m) {
				t.Fatalf("%s did not happen: %+v", step.change, m)
			}
		}
	})
}

// TestMessageChangesConfirmedInTheClient: a client that can ask shows the person the
// change; only an approval makes it. Archiving and assigning are bookkeeping the prospect
// does not see: they are never asked about.
func TestMessageChangesConfirmedInTheClient(t *testing.T) {
	t.Parallel()
	for _, proto := range []string{mcp.LATEST_PROTOCOL_VERSION, legacyProtocol} {
		t.Run(proto, func(t *testing.T) {
			testenv.ForVersions(t, app.Config{ConfirmSends: tools.ConfirmAuto}, func(t *testing.T, h *testenv.Harness) {
				xt, _ := messageIn(t, h, true, inbox.Outbound)
				sent := sendReply(t, h, map[string]any{"thread_id": xt.ID, "text": "Here is the deck."})
				old := messageByID(t, h.Backend, xt.ID, sent.MessageID)
				account := names(t, h.Backend).AccountName(xt.AccountID)
				connect := func(p *person) *testenv.Harness {
					hc := *h
					hc.Client = testenv.Connect(t, h.Server, client.WithElicitationHandler(p), client.WithProtocolVersion(proto))
					return &hc
				}
				newText := "Here is the deck (updated)."
				edit := map[string]any{"thread_id": xt.ID, "message_id": old.ID, "action": "edit_message", "text": newText}
				unsend := map[string]any{"thread_id": xt.ID, "message_id": old.ID, "action": "delete_message"}
				react := map[string]any{"thread_id": xt.ID, "message_id": old.ID, "action": "react", "emoji": "🔥"}

				no := &person{action: mcp.ElicitationResponseActionDecline}
				hn := connect(no)
				for _, args := range []map[string]any{edit, unsend, react} {
					res := hn.Call(t, tools.NameManageThread, args)
					if out := testenv.Decode[tools.ThreadChange](t, res); out.Status != tools.OutcomeDeclined || out.Done != "" ||
						!strings.Contains(testenv.Text(res), "NOTHING changed") {
						t.Errorf("%s declined: %+v %q", args["action"], out, testenv.Text(res))
					}
				}
				if m := messageByID(t, h.Backend, xt.ID, old.ID); m.Content != old.Content || m.DeletedAt != nil || reacted(m, "🔥") {
					t.Fatalf("a declined change happened: %+v", m)
				}
				shown := no.asked()
				if len(shown) != 3 {
					t.Fatalf("asked %d times, want 3", len(shown))
				}
				for i, wants := range [][]string{
					{"Edit", "From: " + account, "@" + xt.Prospect.Username, old.Content, newText},
					{"Unsend", "From: " + account, "@" + xt.Prospect.Username, old.Content},
					{"🔥", "From: " + account, "@" + xt.Prospect.Username, old.Content, "prospect sees"},
				} {
					for _, want := range wants {
						if !strings.Contains(shown[i], want) {
							t.Errorf("question %d lacks %q:\n%s", i, want, shown[i])
						}
					}
				}

				yes := &person{action: mcp.ElicitationResponseActionAccept, confirm: true}
				hy := connect(yes)
				if out := testenv.Decode[tools.ThreadChange](t, hy.CallOK(t, tools.NameManageThread, edit)); out.Done != "edited" {
					t.Fatalf("approved edit: %+v", out)
				}
				if m := messageByID(t, h.Backend, xt.ID, old.ID); m.Content != newText || len(yes.asked()) != 1 {
					t.Fatalf("after the approved edit: %+v, asked %d", m, len(yes.asked()))
				}

				// Bookkeeping is not asked about, even by a client that can ask.
				hy.CallOK(t, tools.NameManageThread, map[string]any{"thread_id": xt.ID, "action": "archive"})
				hy.CallOK(t, tools.NameManageThread, map[string]any{"thread_id": xt.ID, "action": "unarchive"})
				if len(yes.asked()) != 1 {
					t.Fatalf("archiving asked the person: %d questions", len(yes.asked()))
				}
			})
		})
	}
}
