package tools_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/inbox-mcp/inbox-mcp/app"
	"github.com/inbox-mcp/inbox-mcp/internal/testenv"
	"github.com/inbox-mcp/inbox-mcp/tools"
)

// spyTransport is the in-process transport of a client on the newest protocol, which sees
// the request state of every input_required answer on its way to the client and can put
// another value in its place on the client's next call: what a client that does not play
// by the rules can do.
type spyTransport struct {
	*transport.InProcessTransport

	mu      sync.Mutex
	states  []string
	replace string // when set, the requestState of the next retried tools/call
}

func (s *spyTransport) SendRequest(ctx context.Context, req transport.JSONRPCRequest) (*transport.JSONRPCResponse, error) {
	s.mu.Lock()
	swap := s.replace
	s.mu.Unlock()
	if swap != "" && req.Method == string(mcp.MethodToolsCall) {
		raw, err := json.Marshal(req.Params)
		if err != nil {
			return nil, err
		}
		var params map[string]any
		if err := json.Unmarshal(raw, &params); err != nil {
			return nil, err
		}
		if _, retried := params["requestState"]; retried {
			params["requestState"] = swap
			req.Params = params
		}
	}
	resp, err := s.InProcessTransport.SendRequest(ctx, req)
	if err == nil && resp != nil && resp.Result != nil {
		var r struct {
			RequestState string `json:"requestState"`
		}
		if json.Unmarshal(resp.Result, &r) == nil && r.RequestState != "" {
			s.mu.Lock()
			s.states = append(s.states, r.RequestState)
			s.mu.Unlock()
		}
	}
	return resp, err
}

func (s *spyTransport) seen() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.states...)
}

// spyClient connects a client of the newest protocol through a spyTransport; h answers its
// confirmation questions.
func spyClient(t *testing.T, srv *server.MCPServer, h client.ElicitationHandler) (*client.Client, *spyTransport) {
	t.Helper()
	spy := &spyTransport{InProcessTransport: transport.NewInProcessTransport(srv)}
	c := client.NewClient(spy, client.WithElicitationHandler(h))
	t.Cleanup(func() { c.Close() })
	ctx := context.Background()
	if err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	var init mcp.InitializeRequest
	init.Params.ProtocolVersion = mcp.LATEST_PROTOCOL_VERSION
	init.Params.ClientInfo = mcp.Implementation{Name: "spy", Version: "1"}
	if _, err := c.Initialize(ctx, init); err != nil {
		t.Fatal(err)
	}
	return c, spy
}

// failingDialog is a client whose dialog cannot be shown.
type failingDialog struct{}

func (failingDialog) Elicit(context.Context, mcp.ElicitationRequest) (*mcp.ElicitationResult, error) {
	return nil, errors.New("the dialog could not be shown")
}

// TestDialogStateIsNotAConfirmToken: the state of a confirmation dialog and a confirm_token
// are different kinds of sealed value. A client that keeps the dialog's state without
// answering cannot send with it as confirm_token, and a confirm_token slipped in as the
// dialog's state sends nothing either, even with an approving answer.
func TestDialogStateIsNotAConfirmToken(t *testing.T) {
	t.Parallel()
	testenv.ForVersions(t, app.Config{ConfirmSends: tools.ConfirmAuto}, func(t *testing.T, h *testenv.Harness) {
		th := noReplyThread(t, h)
		before := len(testenv.AllMessages(t, h.Backend, th.ID, 0))
		args := map[string]any{"thread_id": th.ID, "text": "Our pricing page has the details."}

		// The dialog is asked for and never answered: the client keeps the state.
		c, spy := spyClient(t, h.Server, failingDialog{})
		var req mcp.CallToolRequest
		req.Params.Name, req.Params.Arguments = tools.NameSendReply, args
		if _, err := c.CallTool(context.Background(), req); err == nil {
			t.Fatal("the client's dialog failed, yet its call succeeded")
		}
		states := spy.seen()
		if len(states) != 1 {
			t.Fatalf("%d input_required answers seen, want 1", len(states))
		}
		withState := map[string]any{"thread_id": th.ID, "text": args["text"], "confirm_token": states[0]}
		res := call(t, c, tools.NameSendReply, withState)
		if out := testenv.Decode[tools.SendOutcome](t, res); !res.IsError || out.Outcome != "not_sent" ||
			!strings.Contains(testenv.Text(res), "not a confirm_token") {
			t.Errorf("dialog state as confirm_token: %+v %q", out, testenv.Text(res))
		}
		// Nor through a client that cannot ask, which would otherwise use tokens.
		res = call(t, testenv.Connect(t, h.Server, client.WithElicitationHandler(nil)), tools.NameSendReply, withState)
		if out := testenv.Decode[tools.SendOutcome](t, res); out.Outcome == "sent" {
			t.Errorf("dialog state as confirm_token from a client that cannot ask: %+v", out)
		}

		// A real confirm_token, given to a client that cannot ask, put in the place of the
		// dialog's state by a client that can.
		need := testenv.Decode[tools.SendOutcome](t, call(t, testenv.Connect(t, h.Server, client.WithElicitationHandler(nil)), tools.NameSendReply, args))
		if need.ConfirmToken == "" {
			t.Fatalf("no token for a client that cannot ask: %+v", need)
		}
		c, spy = spyClient(t, h.Server, testenv.Approve)
		spy.mu.Lock()
		spy.replace = need.ConfirmToken
		spy.mu.Unlock()
		res = call(t, c, tools.NameSendReply, args)
		if out := testenv.Decode[tools.SendOutcome](t, res); !res.IsError || out.Outcome != "not_sent" {
			t.Errorf("confirm_token as the dialog's state: %+v %q", out, testenv.Text(res))
		}

		if n := len(testenv.AllMessages(t, h.Backend, th.ID, 0)); n != before {
			t.Fatalf("%d messages, was %d: a swapped confirmation sent", n, before)
		}
	})
}

// TestDialogFailureIsNotSent: a client of a protocol before 2026-07-28 is asked with
// elicitation/create. When its dialog fails, the model gets a tool result that says
// nothing was sent, not a protocol error.
func TestDialogFailureIsNotSent(t *testing.T) {
	t.Parallel()
	testenv.ForVersions(t, app.Config{ConfirmSends: tools.ConfirmAuto}, func(t *testing.T, h *testenv.Harness) {
		th := noReplyThread(t, h)
		before := len(testenv.AllMessages(t, h.Backend, th.ID, 0))
		c := testenv.Connect(t, h.Server, client.WithElicitationHandler(failingDialog{}), client.WithProtocolVersion(legacyProtocol))
		var req mcp.CallToolRequest
		req.Params.Name = tools.NameSendReply
		req.Params.Arguments = map[string]any{"thread_id": th.ID, "text": "See you Tuesday."}
		res, err := c.CallTool(context.Background(), req)
		if err != nil {
			t.Fatalf("protocol error instead of a result: %v", err)
		}
		out := testenv.Decode[tools.SendOutcome](t, res)
		if !res.IsError || out.Outcome != "not_sent" || !strings.Contains(testenv.Text(res), "NOT sent") ||
			!strings.Contains(testenv.Text(res), "could not show") {
			t.Fatalf("failed dialog: %+v %q", out, testenv.Text(res))
		}
		if n := len(testenv.AllMessages(t, h.Backend, th.ID, 0)); n != before {
			t.Fatal("sent although the dialog failed")
		}
	})
}

// legacyProtocol is the protocol of today's session-era clients, asked with
// elicitation/create.
const legacyProtocol = "2025-11-25"

// slowPerson answers a confirmation only when told to, or gives up when the server
// withdraws the question.
type slowPerson struct {
	asked   chan struct{} // closed when the question arrives
	answer  chan struct{} // closed to approve
	done    chan struct{} // closed when Elicit returned
	timerOn atomic.Bool   // the server started its wait before asking
}

func (p *slowPerson) Elicit(ctx context.Context, _ mcp.ElicitationRequest) (*mcp.ElicitationResult, error) {
	defer close(p.done)
	close(p.asked)
	select {
	case <-p.answer:
		return &mcp.ElicitationResult{ElicitationResponse: mcp.ElicitationResponse{
			Action: mcp.ElicitationResponseActionAccept, Content: map[string]any{"confirm": true}}}, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// TestUnansweredDialogTimesOut: a session-era client that never answers the dialog gets
// "not sent" once the wait is over, and its approval arriving afterwards sends nothing.
// The wait is a timer the test fires.
func TestUnansweredDialogTimesOut(t *testing.T) {
	t.Parallel()
	p := &slowPerson{asked: make(chan struct{}), answer: make(chan struct{}), done: make(chan struct{})}
	fire := make(chan time.Time, 1)
	var waited atomic.Int64
	cfg := app.Config{ConfirmSends: tools.ConfirmAuto, AskTimer: func(d time.Duration) <-chan time.Time {
		waited.Store(int64(d))
		p.timerOn.Store(true)
		return fire
	}}
	h := testenv.New(t, cfg)
	th := noReplyThread(t, h)
	before := len(testenv.AllMessages(t, h.Backend, th.ID, 0))
	c := testenv.Connect(t, h.Server, client.WithElicitationHandler(p), client.WithProtocolVersion(legacyProtocol))

	type reply struct {
		res *mcp.CallToolResult
		err error
	}
	got := make(chan reply, 1)
	go func() {
		var req mcp.CallToolRequest
		req.Params.Name = tools.NameSendReply
		req.Params.Arguments = map[string]any{"thread_id": th.ID, "text": "Shall we say Thursday?"}
		res, err := c.CallTool(context.Background(), req)
		got <- reply{res, err}
	}()
	<-p.asked
	if !p.timerOn.Load() {
		// Without a wait the call would hang for as long as the client does: let it end.
		close(p.answer)
		<-got
		t.Fatal("the server asked without a time limit on the answer")
	}
	if time.Duration(waited.Load()) != tools.AskTimeout {
		t.Errorf("the server waits %v for an answer, want tools.AskTimeout (%v)", time.Duration(waited.Load()), tools.AskTimeout)
	}
	fire <- time.Now()
	r := <-got
	if r.err != nil {
		t.Fatalf("protocol error: %v", r.err)
	}
	if out := testenv.Decode[tools.SendOutcome](t, r.res); !r.res.IsError || out.Outcome != "not_sent" || !strings.Contains(testenv.Text(r.res), "NOT sent") ||
		!strings.Contains(testenv.Text(r.res), "no answer") {
		t.Fatalf("unanswered dialog: %+v %q", out, testenv.Text(r.res))
	}
	// The person approves late: the question was withdrawn, so nothing happens.
	close(p.answer)
	<-p.done
	if n := len(testenv.AllMessages(t, h.Backend, th.ID, 0)); n != before {
		t.Fatal("a send happened after the dialog timed out")
	}
}
