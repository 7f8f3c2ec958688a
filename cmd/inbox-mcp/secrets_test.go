package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/inbox-mcp/inbox-mcp/apiclient"
	v1 "github.com/inbox-mcp/inbox-mcp/apiclient/v1"
	"github.com/inbox-mcp/inbox-mcp/app"
	"github.com/inbox-mcp/inbox-mcp/inbox"
	"github.com/inbox-mcp/inbox-mcp/inboxsim"
	"github.com/inbox-mcp/inbox-mcp/internal/testenv"
)

// Distinctive keys, so that any copy of them in an output is found.
const (
	secretKey   = "inbox-sk-SECRET-4b1d9e7c2a8f6053"
	rejectedKey = "inbox-sk-REJECTED-0e6a3c9b5d7f1842"
)

// collected gathers everything a session showed: tool results as text and JSON.
type collected struct{ bytes.Buffer }

func (c *collected) add(v any) {
	b, _ := json.Marshal(v)
	c.Write(b)
	c.WriteByte('\n')
}

// noSecret fails the test if out contains any of the keys.
func noSecret(t *testing.T, what, out string, keys ...string) {
	t.Helper()
	for _, k := range keys {
		if strings.Contains(out, k) {
			i := strings.Index(out, k)
			t.Errorf("%s contains the key %q: …%s…", what, k, out[max(0, i-200):min(len(out), i+len(k)+50)])
		}
	}
}

// TestSecretsInConfigErrors: whatever is wrong with the configuration, the message that
// stops the server never quotes the key.
func TestSecretsInConfigErrors(t *testing.T) {
	for _, tt := range []struct {
		args []string
		env  map[string]string
	}{
		{[]string{"--log-level", "loud"}, nil},
		{[]string{"--transport", "http", "--addr", "0.0.0.0:1"}, nil},
		{[]string{"--api-url", "inboxapp.com"}, nil},
		{[]string{"--toolsets", "nope"}, nil},
		{[]string{"--confirm-sends", secretKey}, nil},
		{[]string{"--api-key=" + secretKey}, nil},
		{[]string{"-token", secretKey}, nil},
		{[]string{"--mcp-token", secretKey}, nil},
		{nil, map[string]string{"INBOX_MCP_TOKEN": secretKey}}, // on stdio
		{[]string{"--transport", "http"}, map[string]string{"INBOX_MCP_TOKEN": secretKey + " x"}},
	} {
		args := tt.args
		var stdout, stderr bytes.Buffer
		env := map[string]string{"INBOX_API_KEY": secretKey}
		for k, v := range tt.env {
			env[k] = v
		}
		if code := realMain(args, func(k string) string { return env[k] }, strings.NewReader(""), &stdout, &stderr); code != exitConfig {
			t.Errorf("%v: exit %d, want %d", args, code, exitConfig)
		}
		noSecret(t, fmt.Sprintf("the error for %v", args), stderr.String()+stdout.String(), secretKey)
	}
	for _, bad := range []string{"Bearer " + secretKey, secretKey + " x", secretKey + "\n" + secretKey} {
		var stderr bytes.Buffer
		realMain(nil, func(k string) string { return map[string]string{"INBOX_API_KEY": bad}[k] }, strings.NewReader(""), io.Discard, &stderr)
		noSecret(t, "the error for a malformed key", stderr.String(), secretKey)
	}
}

// session runs the server in process on stdio with the given key against the simulator,
// at debug level, plays a whole session and returns the logs and everything shown.
func session(t *testing.T, sim *inboxsim.Server, key string, play func(c *client.Client, seen *collected)) (logs, shown string) {
	t.Helper()
	stdinR, stdinW := io.Pipe()
	stdoutR, stdoutW := io.Pipe()
	stderr := &syncBuffer{}
	env := map[string]string{"INBOX_API_KEY": key, "INBOX_API_URL": sim.URL}
	done := make(chan int, 1)
	go func() {
		done <- realMain([]string{"--log-level", "debug", "--confirm-sends", "token", "--rate-limit", "100000"}, func(k string) string { return env[k] }, stdinR, stdoutW, stderr)
		stdoutW.Close()
	}()
	c := client.NewClient(transport.NewIO(stdoutR, stdinW, io.NopCloser(strings.NewReader(""))))
	ctx := context.Background()
	if err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	req := mcp.InitializeRequest{}
	req.Params.ProtocolVersion = legacyProtocol
	if _, err := c.Initialize(ctx, req); err != nil {
		t.Fatal(err)
	}
	var seen collected
	play(c, &seen)
	stdinW.Close()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("the server did not stop when stdin closed")
	}
	c.Close()
	if !strings.Contains(stderr.String(), " DBG ") {
		t.Fatalf("no debug logs: the check would prove nothing:\n%s", stderr.String())
	}
	return stderr.String(), seen.String()
}

func callAll(t *testing.T, c *client.Client, seen *collected, calls []mcp.CallToolParams) []*mcp.CallToolResult {
	t.Helper()
	var out []*mcp.CallToolResult
	for _, p := range calls {
		res, err := c.CallTool(context.Background(), mcp.CallToolRequest{Params: p})
		if err != nil {
			t.Fatalf("%s: %v", p.Name, err)
		}
		seen.add(res)
		out = append(out, res)
	}
	return out
}

// TestSecretsInASessionAtDebugLevel: a whole session, logged at debug level, with reads,
// writes, a confirmed send, mistakes and a rejected key: the key is in no log line and no
// answer.
func TestSecretsInASessionAtDebugLevel(t *testing.T) {
	sim := testenv.Sim(t, func(o *inboxsim.Options) { o.Tokens = []string{secretKey} })
	logs, shown := session(t, sim, secretKey, func(c *client.Client, seen *collected) {
		ctx := context.Background()
		tools, err := c.ListTools(ctx, mcp.ListToolsRequest{})
		if err != nil {
			t.Fatal(err)
		}
		seen.add(tools)
		res := callAll(t, c, seen, []mcp.CallToolParams{{Name: "list_threads", Arguments: map[string]any{"inbox": "no-reply", "limit": 3}}})
		var list struct {
			Threads []struct {
				ID         string `json:"id"`
				ProspectID string `json:"prospect_id"`
			} `json:"threads"`
		}
		raw, _ := json.Marshal(res[0].StructuredContent)
		if json.Unmarshal(raw, &list) != nil || len(list.Threads) == 0 {
			t.Fatalf("list_threads: %s", raw)
		}
		th := list.Threads[0]
		res = callAll(t, c, seen, []mcp.CallToolParams{
			{Name: "read_messages", Arguments: map[string]any{"thread_id": th.ID}},
			{Name: "get_thread", Arguments: map[string]any{"thread_id": th.ID}},
			{Name: "get_directory", Arguments: map[string]any{}},
			{Name: "triage_digest", Arguments: map[string]any{"limit": 5}},
			{Name: "search_messages", Arguments: map[string]any{"words": []any{"pricing"}, "max_threads": 20}},
			{Name: "update_prospect_context", Arguments: map[string]any{"prospect": th.ProspectID, "add_tags": []any{"Hot Lead"}}},
			{Name: "read_messages", Arguments: map[string]any{"thread_id": "no-such-thread-id-000000"}},
			{Name: "update_prospect_context", Arguments: map[string]any{"prospect": th.ProspectID, "add_tags": []any{"No Such Tag"}}},
			{Name: "send_reply", Arguments: map[string]any{"thread_id": th.ID, "text": "Thanks, talk soon."}},
		})
		var need struct {
			Token string `json:"confirm_token"`
		}
		raw, _ = json.Marshal(res[len(res)-1].StructuredContent)
		if json.Unmarshal(raw, &need) != nil || need.Token == "" {
			t.Fatalf("send_reply: %s", raw)
		}
		callAll(t, c, seen, []mcp.CallToolParams{{Name: "send_reply", Arguments: map[string]any{"thread_id": th.ID, "text": "Thanks, talk soon.", "confirm_token": need.Token}}})
		r, err := c.ReadResource(ctx, mcp.ReadResourceRequest{Params: mcp.ReadResourceParams{URI: "inbox://threads/" + th.ID + "/transcript"}})
		if err != nil {
			t.Fatal(err)
		}
		seen.add(r)
	})
	if !strings.Contains(shown, `\"outcome\":\"sent\"`) && !strings.Contains(shown, "Sent: message") {
		t.Fatalf("the session sent nothing; it did not run as planned:\n%s", shown)
	}
	noSecret(t, "the debug logs", logs, secretKey)
	noSecret(t, "the answers", shown, secretKey)
}

// TestSecretsInAPIErrors: the API refuses the key (401) on every call; neither the errors
// the model reads nor the logs quote it.
func TestSecretsInAPIErrors(t *testing.T) {
	sim := testenv.Sim(t, func(o *inboxsim.Options) { o.Tokens = []string{secretKey} })
	logs, shown := session(t, sim, rejectedKey, func(c *client.Client, seen *collected) {
		res := callAll(t, c, seen, []mcp.CallToolParams{
			{Name: "list_threads", Arguments: map[string]any{}},
			{Name: "get_directory", Arguments: map[string]any{}},
			{Name: "send_reply", Arguments: map[string]any{"thread_id": "abc", "text": "hi"}},
		})
		for _, r := range res {
			if !r.IsError {
				t.Errorf("a call with a rejected key succeeded: %+v", r)
			}
		}
	})
	if !strings.Contains(shown, "401") {
		t.Fatalf("no 401 reached the model; the test did not exercise the API's refusal:\n%s", shown)
	}
	noSecret(t, "the debug logs", logs, rejectedKey, secretKey)
	noSecret(t, "the answers", shown, rejectedKey, secretKey)
}

// panicky is a backend whose thread listing panics with a message that prints the client
// and its configuration, the way a careless panic would.
type panicky struct {
	inbox.Backend
	c   *apiclient.Client
	cfg apiclient.Config
}

func (p panicky) ListThreads(context.Context, inbox.ThreadQuery, string, int) (inbox.Page[inbox.Thread], error) {
	panic(fmt.Sprintf("boom: client %v %+v %#v, config %v %+v %#v", p.c, p.c, p.c, p.cfg, p.cfg, p.cfg))
}

// TestSecretsInAPanic: a panic whose message formats the client and its configuration is
// logged with its stack and turned into a tool error; the key is in neither.
func TestSecretsInAPanic(t *testing.T) {
	sim := testenv.Sim(t, func(o *inboxsim.Options) { o.Tokens = []string{secretKey} })
	cfg := apiclient.Config{BaseURL: sim.URL, Token: secretKey, RatePerMinute: -1}
	c, err := apiclient.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var logs syncBuffer
	logger := newLogger(&logs, "text", slog.LevelDebug)
	s, err := app.New(app.Config{Backends: app.StaticBackend(panicky{Backend: v1.NewBackend(v1.New(c)), c: c, cfg: cfg}), Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	mc := testenv.Connect(t, s)
	res := testenv.Call(t, mc, "list_threads", map[string]any{})
	if !res.IsError || !strings.Contains(logs.String(), "tool panicked") || !strings.Contains(logs.String(), "boom: client") {
		t.Fatalf("the panic was not caught and logged: %q\n%s", testenv.Text(res), logs.String())
	}
	out, _ := json.Marshal(res)
	noSecret(t, "the panic's log", logs.String(), secretKey)
	noSecret(t, "the tool error", string(out), secretKey)
}
