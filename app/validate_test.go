package app_test

import (
	"context"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/inbox-mcp/inbox-mcp/app"
)

// TestArgumentValidationMessages: arguments that break a tool's schema are refused in the
// tool's own terms, saying what to change; never the validator's Go structures.
func TestArgumentValidationMessages(t *testing.T) {
	c := start(t, newServer(t, app.Config{}))
	huge := strings.Repeat("x", 1<<20)
	tests := []struct {
		tool string
		args map[string]any
		want []string
	}{
		{"list_threads", map[string]any{"limit": 1000}, []string{"limit must be at most 500"}},
		{"list_threads", map[string]any{"limit": -1}, []string{"limit must be at least 1"}},
		{"list_threads", map[string]any{"limit": "ten"}, []string{"limit must be an integer"}},
		{"list_threads", map[string]any{"bogus": 1}, []string{`unknown argument "bogus"`, "the arguments are", "limit", "cursor"}},
		{"list_threads", map[string]any{"inbox": "spam"}, []string{"inbox must be one of", "no-reply"}},
		{"list_threads", map[string]any{"inbox": huge}, []string{"inbox must be one of"}},
		{"list_threads", map[string]any{"tags": "Hot Lead"}, []string{"tags must be a list"}},
		{"manage_thread", map[string]any{"action": "archive"}, []string{"thread_id is required"}},
		{"bulk_update_prospects", map[string]any{"filters": map[string]any{}}, []string{`unknown argument "filters"`, "where"}},
	}
	for _, tt := range tests {
		req := mcp.CallToolRequest{}
		req.Params.Name, req.Params.Arguments = tt.tool, tt.args
		res, err := c.CallTool(context.Background(), req)
		if err != nil {
			t.Fatalf("%s: %v", tt.tool, err)
		}
		text := ""
		for _, ct := range res.Content {
			if tc, ok := ct.(mcp.TextContent); ok {
				text += tc.Text
			}
		}
		if !res.IsError {
			t.Errorf("%s %.100v: accepted", tt.tool, tt.args)
			continue
		}
		for _, w := range tt.want {
			if !strings.Contains(text, w) {
				t.Errorf("%s %.100v: %.300q lacks %q", tt.tool, tt.args, text, w)
			}
		}
		for _, bad := range []string{"&{", "Got:", "<root>", "Go struct", "input schema validation failed"} {
			if strings.Contains(text, bad) {
				t.Errorf("%s %.100v: %.300q shows %q", tt.tool, tt.args, text, bad)
			}
		}
		if len(text) > 2000 {
			t.Errorf("%s: the error is %d bytes long", tt.tool, len(text))
		}
	}
}
