package resources

import (
	"context"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/inbox-mcp/inbox-mcp/inbox"
	"github.com/inbox-mcp/inbox-mcp/tools"
)

// maxCompletions is the most values MCP allows in one completion answer.
const maxCompletions = 100

// Completer completes the template variables threadId and prospectId from the most recently
// active threads: one API call per completion, which is cheap enough for a person typing.
type Completer struct{ Env *tools.Env }

// CompleteResourceArgument implements server.ResourceCompletionProvider.
func (c Completer) CompleteResourceArgument(ctx context.Context, uri string, a mcp.CompleteArgument, _ mcp.CompleteContext) (*mcp.Completion, error) {
	var pick func(inbox.Thread) string
	switch {
	case uri == tools.TranscriptTemplate && a.Name == "threadId":
		pick = func(t inbox.Thread) string { return t.ID }
	case uri == tools.ProspectTemplate && a.Name == "prospectId":
		pick = func(t inbox.Thread) string { return t.Prospect.ID }
	default:
		return &mcp.Completion{Values: []string{}}, nil
	}
	call, err := c.Env.Open(ctx)
	if err != nil {
		// No backend for this request: completions are a convenience, so offer none rather
		// than fail the client's typing.
		return &mcp.Completion{Values: []string{}}, nil
	}
	page, err := call.B.ListThreads(ctx, inbox.ThreadQuery{View: inbox.ViewDefault}, "", inbox.MaxPage)
	if err != nil {
		return &mcp.Completion{Values: []string{}}, nil
	}
	prefix := strings.TrimSpace(a.Value)
	seen := map[string]bool{}
	values := []string{}
	for _, t := range page.Items {
		v := pick(t)
		if v == "" || seen[v] || !strings.HasPrefix(v, prefix) {
			continue
		}
		seen[v] = true
		values = append(values, v)
		if len(values) == maxCompletions {
			break
		}
	}
	return &mcp.Completion{Values: values, HasMore: page.Next != ""}, nil
}
