package app_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/inbox-mcp/inbox-mcp/app"
	"github.com/inbox-mcp/inbox-mcp/tools"
)

// TestToolSelection checks the surface end to end: tools/list shows exactly the selected
// tools, every other tool is refused when called, prompts that need a left-out tool are
// gone and the instructions name what is offered.
func TestToolSelection(t *testing.T) {
	tests := []struct {
		name        string
		cfg         app.Config
		tools       []string
		prompts     []string
		instruction string // in the instructions
	}{
		{"read-only", app.Config{ReadOnly: true},
			[]string{"list_threads", "read_messages", "get_thread", "lookup_thread", "get_directory", "triage_digest", "search_messages"},
			[]string{"summarize_no_reply", "draft_reply"}, "This server is read-only"},
		{"threads and directory", app.Config{Tools: tools.Selection{Toolsets: []string{"threads", "directory"}}},
			[]string{"list_threads", "get_thread", "lookup_thread", "manage_thread", "get_directory"},
			nil, "it offers only: list_threads, get_thread, lookup_thread, manage_thread, get_directory"},
		{"no sends", app.Config{Tools: tools.Selection{Exclude: []string{"send_reply"}}},
			slices.DeleteFunc(tools.ToolNames(), func(n string) bool { return n == "send_reply" }),
			[]string{"summarize_no_reply", "draft_reply", "bulk_tag"}, "it offers only"},
		{"a few tools, read-only", app.Config{ReadOnly: true, Tools: tools.Selection{Tools: []string{"read_messages", "send_reply", "lookup_thread", "get_thread"}}},
			[]string{"read_messages", "lookup_thread", "get_thread"}, []string{"draft_reply"}, "This server is read-only"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newServer(t, tt.cfg)
			c := start(t, s)
			var listed []string
			for _, tool := range listTools(t, c).Tools {
				listed = append(listed, tool.Name)
			}
			if !sameSet(listed, tt.tools) {
				t.Fatalf("tools/list = %v, want %v", listed, tt.tools)
			}
			for _, n := range tools.ToolNames() {
				if slices.Contains(tt.tools, n) {
					continue
				}
				res, err := c.CallTool(context.Background(), callReq(n, map[string]any{"thread_id": "x", "text": "hi"}))
				if err == nil && !res.IsError {
					t.Errorf("%s is not offered but answered %q", n, text(res))
				}
			}
			ps, err := c.ListPrompts(context.Background(), mcp.ListPromptsRequest{})
			if err != nil {
				t.Fatal(err)
			}
			var prompts []string
			for _, p := range ps.Prompts {
				prompts = append(prompts, p.Name)
			}
			if !sameSet(prompts, tt.prompts) {
				t.Errorf("prompts = %v, want %v", prompts, tt.prompts)
			}
			if !slices.Contains(tt.tools, "send_reply") && slices.Contains(prompts, "draft_reply") {
				p, err := c.GetPrompt(context.Background(), mcp.GetPromptRequest{Params: mcp.GetPromptParams{Name: "draft_reply", Arguments: map[string]string{"to": "@someone"}}})
				if err != nil {
					t.Fatal(err)
				}
				if body := p.Messages[0].Content.(mcp.TextContent).Text; strings.Contains(body, "call send_reply") {
					t.Errorf("draft_reply tells the model to call send_reply, which is not offered:\n%s", body)
				}
			}
			init := initialize(t, s)
			if !strings.Contains(init.Instructions, tt.instruction) {
				t.Errorf("instructions lack %q:\n%s", tt.instruction, init.Instructions)
			}
		})
	}
}

func TestToolSelectionUnknownNames(t *testing.T) {
	for _, sel := range []tools.Selection{{Toolsets: []string{"admin"}}, {Tools: []string{"delete_everything"}}, {Exclude: []string{"sendreply"}}} {
		_, err := app.New(app.Config{Backends: noBackends, Tools: sel})
		if err == nil || !strings.Contains(err.Error(), "not known: use") {
			t.Errorf("%+v: err = %v, want one listing the valid names", sel, err)
		}
	}
	if _, err := app.New(app.Config{Backends: noBackends, ConfirmSends: "maybe"}); err == nil || !strings.Contains(err.Error(), "auto") {
		t.Errorf("unknown confirmation policy: err = %v", err)
	}
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// initialize connects a client of its own and returns what initialize told it.
func initialize(t *testing.T, s *server.MCPServer) *mcp.InitializeResult {
	t.Helper()
	c, err := client.NewInProcessClient(s)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	ctx := context.Background()
	if err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	req := mcp.InitializeRequest{}
	req.Params.ProtocolVersion = mcp.LATEST_PROTOCOL_VERSION
	res, err := c.Initialize(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	return res
}
