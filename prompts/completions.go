package prompts

import (
	"context"
	"sort"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/inbox-mcp/inbox-mcp/directory"
	"github.com/inbox-mcp/inbox-mcp/tools"
)

// maxCompletions is the most values MCP allows in one completion answer.
const maxCompletions = 100

// Completer completes prompt arguments that name tags, statuses and accounts, from the
// cached team directory (no API call while the cache is fresh).
type Completer struct{ Env *tools.Env }

// argumentKinds says which prompt arguments complete from which list.
var argumentKinds = map[string]map[string]string{
	NameSummarizeNoReply: {"account": "account"},
	NameBulkTag:          {"tag": "tag", "status": "status"},
}

// CompletePromptArgument implements server.PromptCompletionProvider.
func (c Completer) CompletePromptArgument(ctx context.Context, prompt string, a mcp.CompleteArgument, _ mcp.CompleteContext) (*mcp.Completion, error) {
	kind := argumentKinds[prompt][a.Name]
	if kind == "" {
		return &mcp.Completion{Values: []string{}}, nil
	}
	call, err := c.Env.Open(ctx)
	if err != nil {
		return &mcp.Completion{Values: []string{}}, nil
	}
	s, err := call.Dir.Snapshot(ctx)
	if err != nil {
		return &mcp.Completion{Values: []string{}}, nil
	}
	return complete(names(s, kind), a.Value), nil
}

func names(s *directory.Snapshot, kind string) []string {
	var out []string
	switch kind {
	case "tag":
		for _, l := range s.Tags {
			out = append(out, l.Name)
		}
	case "status":
		for _, l := range s.Statuses {
			out = append(out, l.Name)
		}
	case "account":
		for _, a := range s.Accounts {
			out = append(out, "@"+a.Username)
		}
	}
	return out
}

// complete keeps the names that start with what was typed (ignoring case and a leading @),
// then those that contain it, each group sorted.
func complete(all []string, typed string) *mcp.Completion {
	t := strings.ToLower(strings.TrimPrefix(strings.TrimSpace(typed), "@"))
	var prefix, inner []string
	for _, n := range all {
		k := strings.ToLower(strings.TrimPrefix(n, "@"))
		switch {
		case strings.HasPrefix(k, t):
			prefix = append(prefix, n)
		case strings.Contains(k, t):
			inner = append(inner, n)
		}
	}
	sort.Strings(prefix)
	sort.Strings(inner)
	values := append(prefix, inner...)
	total := len(values)
	if len(values) > maxCompletions {
		values = values[:maxCompletions]
	}
	if values == nil {
		values = []string{}
	}
	return &mcp.Completion{Values: values, Total: total, HasMore: total > len(values)}
}
