package app_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
	tiktoken "github.com/pkoukk/tiktoken-go"
	tiktoken_loader "github.com/pkoukk/tiktoken-go-loader"

	"github.com/inbox-mcp/inbox-mcp/app"
	"github.com/inbox-mcp/inbox-mcp/inbox"
)

// MaxToolsListTokens is the budget for the whole tools/list answer (cl100k_base).
const MaxToolsListTokens = 3000

// noBackends is a source for tests that never reach the Inbox: listing tools, prompts and
// resources needs no backend.
var noBackends = app.PerRequestToken(func(context.Context, string) (inbox.Backend, error) {
	return nil, errors.New("these tests call no Inbox API")
})

func start(t testing.TB, s *server.MCPServer) *client.Client {
	t.Helper()
	c, err := client.NewInProcessClient(s)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	req := mcp.InitializeRequest{}
	req.Params.ProtocolVersion = mcp.LATEST_PROTOCOL_VERSION
	req.Params.ClientInfo = mcp.Implementation{Name: "app-test", Version: "1"}
	if _, err := c.Initialize(ctx, req); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func newServer(t testing.TB, cfg app.Config) *server.MCPServer {
	t.Helper()
	if cfg.Backends == nil {
		cfg.Backends = noBackends
	}
	s, err := app.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func listTools(t testing.TB, c *client.Client) *mcp.ListToolsResult {
	t.Helper()
	res, err := c.ListTools(context.Background(), mcp.ListToolsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestNewNeedsBackends(t *testing.T) {
	if _, err := app.New(app.Config{}); err == nil || !strings.Contains(err.Error(), "StaticBackend") {
		t.Fatalf("err = %v, want one that says how to configure backends", err)
	}
}

// TestToolInvariants checks what every tool must declare: a unique name, a description, all
// four annotations, an object input schema whose every property is described and with no
// top-level anyOf/oneOf/allOf (several clients reject those), and an object output schema.
func TestToolInvariants(t *testing.T) {
	c := start(t, newServer(t, app.Config{}))
	res := listTools(t, c)
	if len(res.Tools) < 7 {
		t.Fatalf("%d tools, want at least 7", len(res.Tools))
	}
	seen := map[string]bool{}
	for _, tool := range res.Tools {
		t.Run(tool.Name, func(t *testing.T) {
			if seen[tool.Name] {
				t.Fatalf("duplicate tool name %q", tool.Name)
			}
			seen[tool.Name] = true
			if strings.TrimSpace(tool.Description) == "" {
				t.Error("no description")
			}
			a := tool.Annotations
			if a.ReadOnlyHint == nil || a.DestructiveHint == nil || a.IdempotentHint == nil || a.OpenWorldHint == nil {
				t.Errorf("annotations not all set: %+v", a)
			}
			if a.ReadOnlyHint != nil && a.DestructiveHint != nil && *a.ReadOnlyHint && *a.DestructiveHint {
				t.Error("a read-only tool cannot be destructive")
			}
			in := schemaOf(t, tool, "inputSchema")
			checkTopLevel(t, "input", in)
			props, _ := in["properties"].(map[string]any)
			if len(props) == 0 {
				t.Error("input schema has no properties")
			}
			for name, p := range props {
				pm, _ := p.(map[string]any)
				if d, _ := pm["description"].(string); strings.TrimSpace(d) == "" {
					t.Errorf("property %q has no description", name)
				}
				if pm["type"] == nil {
					t.Errorf("property %q has no type", name)
				}
			}
			if in["additionalProperties"] != false {
				t.Error("input schema accepts unknown properties")
			}
			out := schemaOf(t, tool, "outputSchema")
			checkTopLevel(t, "output", out)
		})
	}
}

func schemaOf(t *testing.T, tool mcp.Tool, key string) map[string]any {
	t.Helper()
	b, err := json.Marshal(tool)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	var s map[string]any
	if err := json.Unmarshal(m[key], &s); err != nil || s == nil {
		t.Fatalf("no %s: %v", key, err)
	}
	return s
}

func checkTopLevel(t *testing.T, which string, s map[string]any) {
	t.Helper()
	if s["type"] != "object" {
		t.Errorf("%s schema type = %v, want object", which, s["type"])
	}
	for _, k := range []string{"anyOf", "oneOf", "allOf", "$ref", "$schema"} {
		if _, ok := s[k]; ok {
			t.Errorf("%s schema has top-level %s", which, k)
		}
	}
}

func toolsListSize(t testing.TB) (bytes, tokens int) {
	c := start(t, newServer(t, app.Config{}))
	res := listTools(t, c)
	b, err := json.Marshal(mcp.ListToolsResult{Tools: res.Tools})
	if err != nil {
		t.Fatal(err)
	}
	tiktoken.SetBpeLoader(tiktoken_loader.NewOfflineLoader())
	enc, err := tiktoken.GetEncoding("cl100k_base")
	if err != nil {
		t.Fatal(err)
	}
	return len(b), len(enc.EncodeOrdinary(string(b)))
}

// TestToolsListSize keeps the whole tool surface within the token budget: every token of it
// is spent in the model's context on every conversation.
func TestToolsListSize(t *testing.T) {
	bytes, tokens := toolsListSize(t)
	t.Logf("tools/list: %d bytes, %d tokens (cl100k_base)", bytes, tokens)
	if tokens > MaxToolsListTokens {
		t.Fatalf("tools/list is %d tokens, over the budget of %d: shorten descriptions or drop fields", tokens, MaxToolsListTokens)
	}
}

// BenchmarkToolsListSize reports the size of tools/list as metrics, and times one tools/list
// round trip through the in-process client:
//
//	go test ./app -run '^$' -bench ToolsListSize
func BenchmarkToolsListSize(b *testing.B) {
	bytes, tokens := toolsListSize(b)
	c := start(b, newServer(b, app.Config{}))
	for b.Loop() {
		listTools(b, c)
	}
	b.ReportMetric(float64(bytes), "bytes")
	b.ReportMetric(float64(tokens), "tokens")
}

func TestReadOnlyMode(t *testing.T) {
	c := start(t, newServer(t, app.Config{ReadOnly: true}))
	res := listTools(t, c)
	names := map[string]bool{}
	for _, tool := range res.Tools {
		names[tool.Name] = true
		if !*tool.Annotations.ReadOnlyHint {
			t.Errorf("read-only mode lists %s, which is not read-only", tool.Name)
		}
	}
	for _, want := range []string{"list_threads", "read_messages", "get_thread", "lookup_thread", "get_directory"} {
		if !names[want] {
			t.Errorf("read-only mode lacks %s", want)
		}
	}
	// A tool left out cannot be called either.
	res2, err := c.CallTool(context.Background(), callReq("send_reply", map[string]any{"thread_id": "x", "text": "hi"}))
	if err == nil && !res2.IsError {
		t.Fatal("send_reply ran in read-only mode")
	}
	ps, err := c.ListPrompts(context.Background(), mcp.ListPromptsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps.Prompts {
		if p.Name == "bulk_tag" {
			t.Error("read-only mode offers bulk_tag, which changes records")
		}
	}
}

func callReq(name string, args map[string]any) mcp.CallToolRequest {
	var r mcp.CallToolRequest
	r.Params.Name = name
	r.Params.Arguments = args
	return r
}

func TestMissingTokenIsAToolError(t *testing.T) {
	c := start(t, newServer(t, app.Config{}))
	res, err := c.CallTool(context.Background(), callReq("list_threads", map[string]any{}))
	if err != nil {
		t.Fatal(err)
	}
	if !res.IsError || !strings.Contains(text(res), "Authorization: Bearer") {
		t.Fatalf("got %v %q; want an error saying how to send a key", res.IsError, text(res))
	}
}

// TestToolAddedLaterIsNotOffered: the tool surface is fixed when the server is built, so a
// tool registered afterwards is neither listed nor callable. (The middleware that turns
// panics and errors into tool errors is tested inside the package.)
func TestToolAddedLaterIsNotOffered(t *testing.T) {
	s := newServer(t, app.Config{})
	ran := false
	s.AddTool(mcp.NewTool("later", mcp.WithDescription("added after New")), func(context.Context, mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		ran = true
		return mcp.NewToolResultText("ran"), nil
	})
	c := start(t, s)
	for _, tool := range listTools(t, c).Tools {
		if tool.Name == "later" {
			t.Error("tools/list shows a tool outside the surface")
		}
	}
	res, err := c.CallTool(context.Background(), callReq("later", nil))
	if err == nil && !res.IsError {
		t.Fatalf("a tool outside the surface answered: %q", text(res))
	}
	if ran {
		t.Fatal("a tool outside the surface ran")
	}
}

func TestInputSchemaValidation(t *testing.T) {
	c := start(t, newServer(t, app.Config{}))
	tests := []struct {
		tool string
		args map[string]any
	}{
		{"list_threads", map[string]any{"inbox": "spam"}},
		{"list_threads", map[string]any{"limit": 0}},
		{"list_threads", map[string]any{"limit": 501}},
		{"list_threads", map[string]any{"colour": "red"}},
		{"read_messages", map[string]any{}},
		{"send_reply", map[string]any{"thread_id": "x"}},
		{"update_prospect_context", map[string]any{"prospect": "x", "clear": []any{"everything"}}},
	}
	for _, tt := range tests {
		res, err := c.CallTool(context.Background(), callReq(tt.tool, tt.args))
		if err != nil {
			t.Fatalf("%s %v: protocol error %v; want an IsError result", tt.tool, tt.args, err)
		}
		if !res.IsError {
			t.Errorf("%s %v: accepted", tt.tool, tt.args)
		}
	}
}

func TestInstructions(t *testing.T) {
	for _, ro := range []bool{false, true} {
		init := initialize(t, newServer(t, app.Config{Version: "1.2.3", ReadOnly: ro}))
		s := init.Instructions
		for _, want := range []string{"never instructions", "list_threads", "get_directory", "untrusted"} {
			if !strings.Contains(s, want) {
				t.Errorf("readOnly=%v: instructions lack %q", ro, want)
			}
		}
		if strings.Contains(s, "approved its exact text") == ro {
			t.Errorf("readOnly=%v: the send rule is wrong", ro)
		}
		caps := init.Capabilities
		if init.ServerInfo.Version != "1.2.3" || caps.Tools == nil || caps.Prompts == nil ||
			caps.Resources == nil || !caps.Resources.Subscribe || caps.Completions == nil || caps.Logging == nil {
			t.Fatalf("readOnly=%v: initialize = %+v", ro, init)
		}
	}
}

func text(r *mcp.CallToolResult) string {
	var b strings.Builder
	for _, c := range r.Content {
		if tc, ok := c.(mcp.TextContent); ok {
			b.WriteString(tc.Text)
		}
	}
	return b.String()
}
