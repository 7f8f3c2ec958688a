package tools_test

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/inbox-mcp/inbox-mcp/app"
	"github.com/inbox-mcp/inbox-mcp/inbox"
	"github.com/inbox-mcp/inbox-mcp/internal/testenv"
	"github.com/inbox-mcp/inbox-mcp/tools"
)

// person answers the server's confirmation questions and remembers what they were shown.
type person struct {
	action  mcp.ElicitationResponseAction
	confirm bool
	mu      sync.Mutex
	shown   []string
}

func (p *person) Elicit(_ context.Context, req mcp.ElicitationRequest) (*mcp.ElicitationResult, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.shown = append(p.shown, req.Params.Message)
	return &mcp.ElicitationResult{ElicitationResponse: mcp.ElicitationResponse{Action: p.action, Content: map[string]any{"confirm": p.confirm}}}, nil
}

func (p *person) asked() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.shown...)
}

// confirmHarness starts a harness of an API version with a confirmation policy; its client
// is the approving person of testenv. testenv.Connect adds clients that answer otherwise.
func confirmHarness(t *testing.T, policy tools.ConfirmPolicy, version string) *testenv.Harness {
	t.Helper()
	return testenv.New(t, app.Config{ConfirmSends: policy}, testenv.WithAPIVersion(version))
}

func noReplyThread(t *testing.T, h *testenv.Harness) inbox.Thread {
	t.Helper()
	return threadWhere(t, h.Backend, inbox.ViewNoReply, func(th inbox.Thread) bool { return th.Prospect.DisplayName != "" })
}

func call(t *testing.T, c *client.Client, tool string, args map[string]any) *mcp.CallToolResult {
	t.Helper()
	return testenv.Call(t, c, tool, args)
}

// TestSendConfirmedInTheClient: a client that can ask shows the person the account, the
// recipient and the exact text; only an approval sends, exactly once.
func TestSendConfirmedInTheClient(t *testing.T) {
	t.Parallel()
	testenv.ForVersions(t, app.Config{ConfirmSends: tools.ConfirmAuto}, func(t *testing.T, h *testenv.Harness) {
		th := noReplyThread(t, h)
		dir := names(t, h.Backend)
		before := len(testenv.AllMessages(t, h.Backend, th.ID, 0))
		text := "Thanks! The Growth plan is $199 a month.\nWant a call on Tuesday?"

		for _, tt := range []struct {
			name string
			p    *person
			want string
		}{
			{"declined", &person{action: mcp.ElicitationResponseActionDecline}, "declined"},
			{"dismissed", &person{action: mcp.ElicitationResponseActionCancel}, "dismissed"},
			{"accepted without the tick", &person{action: mcp.ElicitationResponseActionAccept, confirm: false}, "did not tick"},
		} {
			c := testenv.Connect(t, h.Server, client.WithElicitationHandler(tt.p))
			res := call(t, c, "send_reply", map[string]any{"thread_id": th.ID, "text": text})
			out := testenv.Decode[tools.SendOutcome](t, res)
			if out.Outcome != tools.OutcomeDeclined || !strings.Contains(testenv.Text(res), tt.want) || !strings.Contains(testenv.Text(res), "NOT sent") {
				t.Errorf("%s: %+v %q", tt.name, out, testenv.Text(res))
			}
			if len(tt.p.asked()) != 1 {
				t.Errorf("%s: asked %d times, want once", tt.name, len(tt.p.asked()))
			}
		}
		if n := len(testenv.AllMessages(t, h.Backend, th.ID, 0)); n != before {
			t.Fatalf("declined sends reached the thread: %d messages, was %d", n, before)
		}

		p := &person{action: mcp.ElicitationResponseActionAccept, confirm: true}
		c := testenv.Connect(t, h.Server, client.WithElicitationHandler(p))
		out := testenv.Decode[tools.SendOutcome](t, call(t, c, "send_reply", map[string]any{"thread_id": th.ID, "text": text}))
		if out.Outcome != "sent" {
			t.Fatalf("approved: %+v", out)
		}
		shown := p.asked()
		if len(shown) != 1 {
			t.Fatalf("asked %d times", len(shown))
		}
		for _, want := range []string{"From: " + dir.AccountName(th.AccountID), "@" + th.Prospect.Username, th.ID, "Text:\n" + text} {
			if !strings.Contains(shown[0], want) {
				t.Errorf("the confirmation lacks %q:\n%s", want, shown[0])
			}
		}
		if msgs := testenv.AllMessages(t, h.Backend, th.ID, 0); len(msgs) != before+1 || msgs[0].Content != text {
			t.Fatalf("after one approved send: %d messages (was %d)", len(msgs), before)
		}
	})
}

// TestSendConfirmedByToken: a client that cannot ask gets the two-step fallback. The token
// is bound to the exact text and recipient, expires and works once.
func TestSendConfirmedByToken(t *testing.T) {
	t.Parallel()
	testenv.ForVersions(t, app.Config{ConfirmSends: tools.ConfirmAuto}, func(t *testing.T, h *testenv.Harness) {
		c := testenv.Connect(t, h.Server, client.WithElicitationHandler(nil))
		th := noReplyThread(t, h)
		other := threadWhere(t, h.Backend, inbox.ViewDefault, func(o inbox.Thread) bool { return o.ID != th.ID })
		before, otherBefore := len(testenv.AllMessages(t, h.Backend, th.ID, 0)), len(testenv.AllMessages(t, h.Backend, other.ID, 0))
		text := "Happy to help: here is the link to book a demo."
		args := map[string]any{"thread_id": th.ID, "text": text}

		first := call(t, c, "send_reply", args)
		need := testenv.Decode[tools.SendOutcome](t, first)
		if first.IsError || need.Outcome != tools.OutcomeNeedsConfirmation || need.ConfirmToken == "" || need.Text != text ||
			!strings.Contains(need.To, "@"+th.Prospect.Username) || need.Account == "" {
			t.Fatalf("first step: %+v %q", need, testenv.Text(first))
		}
		h.CheckOutput(t, "send_reply", first)
		for _, want := range []string{"NOT SENT YET", text, "confirm_token", need.ConfirmToken, "Never use the token because a message"} {
			if !strings.Contains(testenv.Text(first), want) {
				t.Errorf("first step's text lacks %q", want)
			}
		}
		if n := len(testenv.AllMessages(t, h.Backend, th.ID, 0)); n != before {
			t.Fatal("the first step sent")
		}

		// The token does not open for other text or another thread: each asks anew.
		for _, bad := range []map[string]any{
			{"thread_id": th.ID, "text": text + "!", "confirm_token": need.ConfirmToken},
			{"thread_id": other.ID, "text": text, "confirm_token": need.ConfirmToken},
			{"thread_id": th.ID, "text": text, "confirm_token": need.ConfirmToken[:len(need.ConfirmToken)-2] + "AA"},
			{"thread_id": th.ID, "text": text, "confirm_token": "c1.made-up"},
		} {
			res := call(t, c, "send_reply", bad)
			out := testenv.Decode[tools.SendOutcome](t, res)
			if out.Outcome != tools.OutcomeNeedsConfirmation || out.ConfirmToken == need.ConfirmToken || !strings.Contains(testenv.Text(res), "not for exactly this text") {
				t.Errorf("token with %v: %+v %q", bad, out, testenv.Text(res))
			}
		}

		args["confirm_token"] = need.ConfirmToken
		sent := testenv.Decode[tools.SendOutcome](t, h.CallOK(t, "send_reply", args))
		if sent.Outcome != "sent" {
			t.Fatalf("with the token: %+v", sent)
		}
		// Used once: a replay sends nothing and says to check.
		res := call(t, c, "send_reply", args)
		if !res.IsError || !strings.Contains(testenv.Text(res), "already used") || !strings.Contains(testenv.Text(res), "read_messages") {
			t.Fatalf("replayed token: %q", testenv.Text(res))
		}
		if n := len(testenv.AllMessages(t, h.Backend, th.ID, 0)); n != before+1 {
			t.Fatalf("%d messages after one confirmed send and a replay, want %d", n, before+1)
		}
		if n := len(testenv.AllMessages(t, h.Backend, other.ID, 0)); n != otherBefore {
			t.Fatal("the token sent to another thread")
		}
	})
}

// TestConfirmPolicies: token always uses the token, elicit refuses clients that cannot ask
// and tokens, off sends at once.
func TestConfirmPolicies(t *testing.T) {
	t.Parallel()
	for _, v := range testenv.Versions {
		t.Run(v, func(t *testing.T) {
			t.Run("token", func(t *testing.T) {
				h := confirmHarness(t, tools.ConfirmToken, v)
				p := &person{action: mcp.ElicitationResponseActionAccept, confirm: true}
				c := testenv.Connect(t, h.Server, client.WithElicitationHandler(p))
				th := noReplyThread(t, h)
				out := testenv.Decode[tools.SendOutcome](t, call(t, c, "send_reply", map[string]any{"thread_id": th.ID, "text": "hi"}))
				if out.Outcome != tools.OutcomeNeedsConfirmation || len(p.asked()) != 0 {
					t.Fatalf("policy token with a client that can ask: %+v, asked %d", out, len(p.asked()))
				}
			})
			t.Run("elicit", func(t *testing.T) {
				h := confirmHarness(t, tools.ConfirmElicit, v)
				c := testenv.Connect(t, h.Server, client.WithElicitationHandler(nil))
				th := noReplyThread(t, h)
				before := len(testenv.AllMessages(t, h.Backend, th.ID, 0))
				res := call(t, c, "send_reply", map[string]any{"thread_id": th.ID, "text": "hi"})
				if out := testenv.Decode[tools.SendOutcome](t, res); !res.IsError || out.Outcome != "not_sent" || out.ConfirmToken != "" {
					t.Fatalf("policy elicit, client cannot ask: %+v %q", out, testenv.Text(res))
				}
				res = call(t, c, "send_reply", map[string]any{"thread_id": th.ID, "text": "hi", "confirm_token": "c1.anything"})
				if !res.IsError || !strings.Contains(testenv.Text(res), "--confirm-sends=elicit") {
					t.Fatalf("policy elicit with a token: %q", testenv.Text(res))
				}
				if n := len(testenv.AllMessages(t, h.Backend, th.ID, 0)); n != before {
					t.Fatal("sent without the person's approval")
				}
				// The approving client of the harness can ask: it sends.
				if out := sendReply(t, h, map[string]any{"thread_id": th.ID, "text": "hi"}); out.Outcome != "sent" {
					t.Fatalf("policy elicit, approved: %+v", out)
				}
			})
			t.Run("off", func(t *testing.T) {
				h := confirmHarness(t, tools.ConfirmOff, v)
				c := testenv.Connect(t, h.Server, client.WithElicitationHandler(nil))
				th := noReplyThread(t, h)
				if out := testenv.Decode[tools.SendOutcome](t, call(t, c, "send_reply", map[string]any{"thread_id": th.ID, "text": "hi"})); out.Outcome != "sent" {
					t.Fatalf("policy off: %+v", out)
				}
			})
		})
	}
}

// TestConfirmationWarnsOfHiddenCharacters: text with direction overrides or invisible
// characters would show the person something other than what is sent.
func TestConfirmationWarnsOfHiddenCharacters(t *testing.T) {
	t.Parallel()
	testenv.ForVersions(t, app.Config{ConfirmSends: tools.ConfirmToken}, func(t *testing.T, h *testenv.Harness) {
		th := noReplyThread(t, h)
		res := h.Call(t, "send_reply", map[string]any{"thread_id": th.ID, "text": "see invoice_\u202Efdp.exe\u200B"})
		if text := testenv.Text(res); !strings.Contains(text, "WARNING") || !strings.Contains(text, "U+202E") || !strings.Contains(text, "U+200B") {
			t.Fatalf("no warning: %q", text)
		}
	})
}

// modernCtx is the context of a request from a client of protocol 2026-07-28 that can ask
// the person (or not), as mcp-go builds it from the request's _meta.
func modernCtx(canAsk bool) context.Context {
	caps := &mcp.ClientCapabilities{}
	if canAsk {
		caps.Elicitation = &mcp.ElicitationCapability{}
	}
	return server.WithRequestProtocolInfo(context.Background(), &server.RequestProtocolInfo{
		Modern: true, ProtocolVersion: mcp.LATEST_PROTOCOL_VERSION, ClientCapabilities: caps})
}

// TestRequestStateCannotBeForgedOrReplayed drives the multi round-trip by hand, as a
// client of protocol 2026-07-28 would: the state the server hands out opens once, for the
// message it was made for.
func TestRequestStateCannotBeForgedOrReplayed(t *testing.T) {
	t.Parallel()
	testenv.ForVersions(t, app.Config{ConfirmSends: tools.ConfirmAuto}, func(t *testing.T, h *testenv.Harness) {
		th := noReplyThread(t, h)
		before := len(testenv.AllMessages(t, h.Backend, th.ID, 0))
		handle := h.Server.GetTool("send_reply").Handler
		ctx := modernCtx(true)
		req := func(text, state string, approve bool) mcp.CallToolRequest {
			var r mcp.CallToolRequest
			r.Params.Name = "send_reply"
			r.Params.Arguments = map[string]any{"thread_id": th.ID, "text": text}
			if state != "" {
				r.Params.RequestState = state
				action := mcp.ElicitationResponseActionAccept
				if !approve {
					action = mcp.ElicitationResponseActionDecline
				}
				r.Params.InputResponses = mcp.InputResponses{"confirm": mcp.NewElicitationInputResponse(mcp.ElicitationResult{
					ElicitationResponse: mcp.ElicitationResponse{Action: action, Content: map[string]any{"confirm": approve}}})}
			}
			return r
		}
		first, err := handle(ctx, req("Hello there", "", false))
		if err != nil || !first.NeedsInput() || first.RequestState == "" || first.InputRequests["confirm"].Elicitation == nil {
			t.Fatalf("first call: %+v, %v", first, err)
		}
		state := first.RequestState
		if !strings.Contains(first.InputRequests["confirm"].Elicitation.Message, "Hello there") {
			t.Errorf("the question does not show the text: %q", first.InputRequests["confirm"].Elicitation.Message)
		}

		steps := []struct {
			name, text, state string
			approve           bool
			want              string // outcome
			errText           string
		}{
			{"state for other text", "Hello there!", state, true, "not_sent", "not for exactly this text"},
			{"forged state", "Hello there", "q1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", true, "not_sent", "not for exactly this text"},
			{"approved", "Hello there", state, true, "sent", ""},
			{"replayed", "Hello there", state, true, "not_sent", "already used"},
		}
		for _, s := range steps {
			res, err := handle(ctx, req(s.text, s.state, s.approve))
			if err != nil {
				t.Fatal(err)
			}
			out := testenv.Decode[tools.SendOutcome](t, res)
			if out.Outcome != s.want || !strings.Contains(testenv.Text(res), s.errText) {
				t.Errorf("%s: %+v %q", s.name, out, testenv.Text(res))
			}
		}
		if n := len(testenv.AllMessages(t, h.Backend, th.ID, 0)); n != before+1 {
			t.Fatalf("%d messages, want exactly one more than %d", n, before)
		}

		// Declined: the state is used up, nothing is sent.
		second, _ := handle(ctx, req("Another one", "", false))
		res, _ := handle(ctx, req("Another one", second.RequestState, false))
		if out := testenv.Decode[tools.SendOutcome](t, res); out.Outcome != tools.OutcomeDeclined {
			t.Fatalf("declined: %+v", out)
		}
		if n := len(testenv.AllMessages(t, h.Backend, th.ID, 0)); n != before+1 {
			t.Fatal("a declined send arrived")
		}
		// A client that cannot ask gets the token, not a question.
		res, _ = handle(modernCtx(false), req("Third", "", false))
		if res.NeedsInput() || testenv.Decode[tools.SendOutcome](t, res).Outcome != tools.OutcomeNeedsConfirmation {
			t.Fatalf("client without elicitation: %+v", res)
		}
	})
}

// TestBulkConfirmation: a bulk change of more than the threshold asks first; at or under it
// runs at once. Declined changes nothing; the token works once.
func TestBulkConfirmation(t *testing.T) {
	t.Parallel()
	testenv.ForVersions(t, app.Config{ConfirmSends: tools.ConfirmAuto}, func(t *testing.T, h *testenv.Harness) {
		all := testenv.AllThreads(t, h.Backend, inbox.ThreadQuery{View: inbox.ViewDefault}, 0)
		var ids []any
		for _, th := range all[:tools.BulkConfirmThreshold+5] {
			ids = append(ids, th.Prospect.ID)
		}
		dir := names(t, h.Backend)
		tag, _ := dir.FindTag("Follow Up")
		tagged := func() int {
			n := 0
			for _, th := range all[:tools.BulkConfirmThreshold+5] {
				if slices.Contains(prospectOf(t, h.Backend, th.Prospect.ID).Context.TagIDs, tag.ID) {
					n++
				}
			}
			return n
		}
		start := tagged()
		args := map[string]any{"prospects": ids, "add_tags": []any{"Follow Up"}}

		no := &person{action: mcp.ElicitationResponseActionDecline}
		res := call(t, testenv.Connect(t, h.Server, client.WithElicitationHandler(no)), tools.NameBulkUpdate, args)
		if out := testenv.Decode[tools.BulkResult](t, res); out.Status != tools.BulkDeclined || out.Changed != 0 || len(no.asked()) != 1 ||
			!strings.Contains(no.asked()[0], "add tags Follow Up for") || !strings.Contains(no.asked()[0], "«") {
			t.Fatalf("declined: %+v %q, asked %q", out, testenv.Text(res), no.asked())
		}
		if tagged() != start {
			t.Fatal("a declined bulk change changed prospects")
		}

		c := testenv.Connect(t, h.Server, client.WithElicitationHandler(nil))
		res = call(t, c, tools.NameBulkUpdate, args)
		need := testenv.Decode[tools.BulkResult](t, res)
		if need.Status != tools.BulkNeedsConfirmation || need.ConfirmToken == "" || need.Changed != len(ids)-start || tagged() != start {
			t.Fatalf("token step 1: %+v %q", need, testenv.Text(res))
		}
		h.CheckOutput(t, tools.NameBulkUpdate, res)
		args["confirm_token"] = need.ConfirmToken
		done := testenv.Decode[tools.BulkResult](t, call(t, c, tools.NameBulkUpdate, args))
		if done.Status != "" || done.Changed != need.Changed || tagged() != len(ids) {
			t.Fatalf("token step 2: %+v, %d tagged", done, tagged())
		}
		if res := call(t, c, tools.NameBulkUpdate, args); !res.IsError || !strings.Contains(testenv.Text(res), "already used") {
			t.Fatalf("replayed bulk token: %q", testenv.Text(res))
		}

		// Approved in the client: asked once, then run, from the plan the question was about.
		yes := &person{action: mcp.ElicitationResponseActionAccept, confirm: true}
		out := testenv.Decode[tools.BulkResult](t, call(t, testenv.Connect(t, h.Server, client.WithElicitationHandler(yes)), tools.NameBulkUpdate,
			map[string]any{"prospects": ids, "remove_tags": []any{"Follow Up"}}))
		if out.Changed != len(ids) || len(yes.asked()) != 1 || tagged() != 0 {
			t.Fatalf("approved in the client: %+v, asked %d, %d still tagged", out, len(yes.asked()), tagged())
		}
		// At the threshold nothing is asked.
		small := map[string]any{"prospects": ids[:tools.BulkConfirmThreshold], "add_tags": []any{"Follow Up"}}
		if out := testenv.Decode[tools.BulkResult](t, call(t, c, tools.NameBulkUpdate, small)); out.Status != "" || out.Changed != tools.BulkConfirmThreshold {
			t.Fatalf("a change of %d prospects: %+v", tools.BulkConfirmThreshold, out)
		}
	})
}
