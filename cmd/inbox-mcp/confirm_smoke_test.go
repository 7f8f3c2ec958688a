package main

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"
)

// asker is the person behind a session-era client that can show confirmations.
type asker struct {
	action mcp.ElicitationResponseAction
	mu     sync.Mutex
	shown  []string
}

func (a *asker) Elicit(_ context.Context, req mcp.ElicitationRequest) (*mcp.ElicitationResult, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.shown = append(a.shown, req.Params.Message)
	return &mcp.ElicitationResult{ElicitationResponse: mcp.ElicitationResponse{Action: a.action, Content: map[string]any{"confirm": a.action == mcp.ElicitationResponseActionAccept}}}, nil
}

func (a *asker) count() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return len(a.shown)
}

// sendThroughBinary plays confirmations against the binary, as the clients of today
// (protocol 2025-11-25: the server asks with elicitation/create) do over a transport: a
// declined send, an approved one, and a client that cannot ask getting the token.
func sendThroughBinary(t *testing.T, connect func(h client.ElicitationHandler) *client.Client) {
	// No deadline of the test's own: a loaded machine running the race-enabled binary may
	// take minutes, and go test's -timeout still ends a call that hangs.
	ctx := t.Context()
	call := func(c *client.Client, name string, args map[string]any) *mcp.CallToolResult {
		t.Helper()
		res, err := c.CallTool(ctx, mcp.CallToolRequest{Params: mcp.CallToolParams{Name: name, Arguments: args}})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return res
	}
	no := &asker{action: mcp.ElicitationResponseActionDecline}
	c := connect(no)
	var list struct {
		Threads []struct{ ID string } `json:"threads"`
	}
	decode(t, call(c, "list_threads", map[string]any{"inbox": "no-reply", "limit": 1}), &list)
	if len(list.Threads) == 0 {
		t.Fatal("no thread")
	}
	thread := list.Threads[0].ID
	// Each stdio client runs a server (and simulator) of its own, so every count is taken
	// through the client that sent.
	count := func(c *client.Client) int {
		var m struct{ Count int }
		decode(t, call(c, "read_messages", map[string]any{"thread_id": thread, "limit": 1000}), &m)
		return m.Count
	}
	text := "Thanks, see you Tuesday. " + time.Now().Format(time.RFC3339Nano)
	before := count(c)
	var out struct {
		Outcome      string
		ConfirmToken string `json:"confirm_token"`
	}
	decode(t, call(c, "send_reply", map[string]any{"thread_id": thread, "text": text}), &out)
	if out.Outcome != "declined" || no.count() != 1 || !strings.Contains(no.shown[0], text) || count(c) != before {
		t.Fatalf("declined: %+v, shown %q", out, no.shown)
	}

	yes := &asker{action: mcp.ElicitationResponseActionAccept}
	c = connect(yes)
	before = count(c)
	decode(t, call(c, "send_reply", map[string]any{"thread_id": thread, "text": text}), &out)
	if out.Outcome != "sent" || yes.count() != 1 || count(c) != before+1 {
		t.Fatalf("approved: %+v, asked %d", out, yes.count())
	}

	c = connect(nil)
	before = count(c)
	decode(t, call(c, "send_reply", map[string]any{"thread_id": thread, "text": text + "!"}), &out)
	if out.Outcome != "needs_confirmation" || out.ConfirmToken == "" || count(c) != before {
		t.Fatalf("client without elicitation: %+v", out)
	}
	decode(t, call(c, "send_reply", map[string]any{"thread_id": thread, "text": text + "!", "confirm_token": out.ConfirmToken}), &out)
	if out.Outcome != "sent" || count(c) != before+1 {
		t.Fatalf("with the token: %+v", out)
	}
}

func decode(t *testing.T, res *mcp.CallToolResult, v any) {
	t.Helper()
	raw, err := json.Marshal(res.StructuredContent)
	if err != nil || json.Unmarshal(raw, v) != nil {
		t.Fatalf("structured content %s: %v", raw, err)
	}
}

func TestSmokeConfirmedSendsStdio(t *testing.T) {
	t.Parallel()
	bin := binary(t)
	sendThroughBinary(t, func(h client.ElicitationHandler) *client.Client {
		tr := transport.NewStdioWithOptions(bin, cleanEnv(t), []string{"--demo", "--log-level", "warn"})
		if err := tr.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
		return initialized(t, client.NewClient(tr, client.WithElicitationHandler(h), client.WithProtocolVersion(legacyProtocol)))
	})
}

func TestSmokeConfirmedSendsHTTP(t *testing.T) {
	url, stop := httpServer(t, []string{"--demo"})
	defer stop()
	sendThroughBinary(t, func(h client.ElicitationHandler) *client.Client {
		tr, err := transport.NewStreamableHTTP(url)
		if err != nil {
			t.Fatal(err)
		}
		return initialized(t, client.NewClient(tr, client.WithElicitationHandler(h), client.WithProtocolVersion(legacyProtocol)))
	})
}

func initialized(t *testing.T, c *client.Client) *client.Client {
	t.Helper()
	t.Cleanup(func() { c.Close() })
	ctx := context.Background()
	if err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	req := mcp.InitializeRequest{}
	req.Params.ProtocolVersion = legacyProtocol
	req.Params.ClientInfo = mcp.Implementation{Name: "confirm-smoke", Version: "1"}
	if _, err := c.Initialize(ctx, req); err != nil {
		t.Fatalf("initialize: %v", err)
	}
	return c
}
