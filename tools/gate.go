package tools

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/inbox-mcp/inbox-mcp/views"
)

// gateStep is where a call of a tool that confirms stands with the person's approval.
type gateStep int

const (
	gateGo        gateStep = iota // approved, or nothing to confirm: act
	gateAsk                       // ask the person (in the dialog, by token, or say it cannot be asked)
	gateDeclined                  // the person did not approve in the dialog
	gateStale                     // the confirmation was used already, or the dialog's state did not open
	gateWrongForm                 // a dialog's state given as confirm_token, or a token as a dialog's state
	gateNoTokens                  // --confirm-sends=elicit and a confirm_token was given
)

// gate is what checkGate found.
type gate struct {
	step gateStep
	mode confirmMode
	// err says why a confirmation did not open: for gateStale, or for gateAsk when a
	// confirm_token was given and is expired or for another action (the person is asked
	// anew).
	err error
	// what names what was handed back: "confirm_token" or "confirmation".
	what string
	// why says, in words, why the person's approval is missing (gateDeclined,
	// gateWrongForm).
	why string
}

// checkGate checks the confirmation a call carries for the action of the given kind and
// binding: the person's answer to the dialog (with the dialog's state) or a confirm_token.
// An approval opens once; the caller acts only on gateGo.
func (c *Call) checkGate(call mcp.CallToolRequest, token string, kind byte, bind []byte) gate {
	cf := c.Env.confirmer()
	g := gate{mode: cf.mode(c.Ctx)}
	if g.mode == modeNone {
		return g
	}
	token = strings.TrimSpace(token)
	if answered(call) && g.mode != modeToken {
		g.what = "confirmation"
		state := call.Params.RequestState
		if isConfirmToken(state) {
			g.step, g.why = gateWrongForm, "the answer to the confirmation dialog came back with a confirm_token in the place of the dialog's own state"
			return g
		}
		if _, _, err := cf.openState(state, kind, bind); err != nil {
			g.step, g.err = gateStale, err
			return g
		}
		if ok, why := approval(call); !ok {
			g.step, g.why = gateDeclined, why
		}
		return g
	}
	if token == "" {
		g.step = gateAsk
		return g
	}
	g.what = "confirm_token"
	if cf.Policy == ConfirmElicit {
		g.step = gateNoTokens
		return g
	}
	if isDialogState(token) {
		g.step, g.why = gateWrongForm, "confirm_token holds the state of a confirmation dialog, which is not a confirm_token: only the person's answer in the dialog approves it"
		return g
	}
	_, _, err := cf.open(token, kind, bind)
	switch {
	case err == nil:
		return g
	case errors.Is(err, errSealUsed):
		g.step, g.err = gateStale, err
	default:
		g.step, g.err = gateAsk, err
	}
	return g
}

// askedByServer reports whether the client of ctx is asked by a request the server sends
// (elicitation/create, protocols before 2026-07-28) rather than by an input_required result
// it answers by calling again.
func askedByServer(ctx context.Context) bool {
	return !mcp.IsModernProtocol(server.RequestProtocolVersion(ctx))
}

// maxAsks bounds the questions of one call; a tool asks once, and again only when what is
// to be approved changed in between.
const maxAsks = 3

// askInClient puts the confirmation question of res to a client that is asked by request,
// and calls the handler again with the answer. The server asks rather than the library so
// that a dialog that fails, or is not answered within AskTimeout, ends the call with the
// tool's own "nothing was done" (unanswered) instead of a protocol error or a call that
// never ends; the question is then withdrawn, so a late answer does nothing.
func (cf *Confirmer) askInClient(ctx context.Context, req mcp.CallToolRequest, res *mcp.CallToolResult, again server.ToolHandlerFunc, unanswered func(why string) *mcp.CallToolResult) (*mcp.CallToolResult, error) {
	for range maxAsks {
		q := res.InputRequests[confirmInput]
		if len(res.InputRequests) != 1 || q.Elicitation == nil {
			return unanswered("the server asked the client something other than the confirmation"), nil
		}
		answer, why := cf.waitForAnswer(ctx, *q.Elicitation)
		if why != "" {
			return unanswered(why), nil
		}
		retried := req
		retried.Params.RequestState = res.RequestState
		retried.Params.InputResponses = mcp.InputResponses{confirmInput: mcp.NewElicitationInputResponse(*answer)}
		var err error
		if res, err = again(ctx, retried); err != nil || res == nil || !res.NeedsInput() {
			return res, err
		}
	}
	return unanswered("what is to be approved kept changing while the person was asked"), nil
}

// waitForAnswer shows the person the question through the client and waits for the answer,
// at most AskTimeout. It returns the answer, or why there is none.
func (cf *Confirmer) waitForAnswer(ctx context.Context, q mcp.ElicitationParams) (*mcp.ElicitationResult, string) {
	srv := server.ServerFromContext(ctx)
	if srv == nil {
		return nil, "the server could not reach the client to ask the person"
	}
	// The wait starts before the question is sent, so that no answer can come before it.
	timeout := cf.askTimer()(AskTimeout)
	askCtx, withdraw := context.WithCancel(ctx)
	// Withdrawing the question on the way out makes the transport forget it: an answer
	// that comes later is dropped.
	defer withdraw()
	type reply struct {
		res *mcp.ElicitationResult
		err error
	}
	got := make(chan reply, 1)
	go func() {
		r, err := srv.RequestElicitation(askCtx, mcp.ElicitationRequest{
			Request: mcp.Request{Method: string(mcp.MethodElicitationCreate)},
			Params:  q,
		})
		got <- reply{r, err}
	}()
	select {
	case r := <-got:
		switch {
		case r.err != nil:
			detail, _ := views.Shorten(views.SanitizeLine(r.err.Error()), 200)
			return nil, "the client could not show the confirmation dialog (" + detail + ")"
		case r.res == nil:
			return nil, "the client returned no answer to the confirmation dialog"
		}
		return r.res, ""
	case <-timeout:
		return nil, "no answer to the confirmation dialog within " + views.Short(AskTimeout) + ", so the question was withdrawn"
	case <-ctx.Done():
		return nil, "the call was cancelled before the person answered"
	}
}

// askTimer is the Confirmer's timer for answers, or a real one.
func (cf *Confirmer) askTimer() func(d time.Duration) <-chan time.Time {
	if cf.AskTimer != nil {
		return cf.AskTimer
	}
	return time.After
}
