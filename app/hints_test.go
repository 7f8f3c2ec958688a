package app_test

import (
	"testing"

	"github.com/inbox-mcp/inbox-mcp/app"
)

// TestDestructiveHints holds the tools that can replace or remove what is there (notes
// replaced, fields cleared, tags removed, messages edited, labels deleted) to
// destructiveHint true: MCP defines false as "only adds".
func TestDestructiveHints(t *testing.T) {
	destructive := map[string]bool{
		"update_prospect_context": true,
		"bulk_update_prospects":   true,
		"manage_thread":           true,
		"manage_labels":           true,
		"send_reply":              true,
	}
	c := start(t, newServer(t, app.Config{}))
	seen := map[string]bool{}
	for _, tool := range listTools(t, c).Tools {
		seen[tool.Name] = true
		want := destructive[tool.Name]
		if got := tool.Annotations.DestructiveHint; got == nil || *got != want {
			t.Errorf("%s: destructiveHint = %v, want %v", tool.Name, deref(got), want)
		}
	}
	for name := range destructive {
		if !seen[name] {
			t.Errorf("no tool %s", name)
		}
	}
}

func deref(b *bool) any {
	if b == nil {
		return nil
	}
	return *b
}
