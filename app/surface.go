package app

import (
	"context"
	"slices"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/inbox-mcp/inbox-mcp/prompts"
	"github.com/inbox-mcp/inbox-mcp/tools"
)

// surface is the set of tools one server offers.
type surface map[string]bool

func newSurface(ts []server.ServerTool) surface {
	s := surface{}
	for _, t := range ts {
		s[t.Tool.Name] = true
	}
	return s
}

// names lists the offered tools in the order of the full tool list.
func (s surface) names() []string {
	var out []string
	for _, n := range tools.ToolNames() {
		if s[n] {
			out = append(out, n)
		}
	}
	return out
}

// filter is the server's tool filter: tools/list shows only the surface, and mcp-go refuses
// a call to any other tool with "not found".
func (s surface) filter(_ context.Context, ts []mcp.Tool) []mcp.Tool {
	return slices.DeleteFunc(slices.Clone(ts), func(t mcp.Tool) bool { return !s[t.Name] })
}

// guard refuses, as a tool error, a call to a tool outside the surface. The tool filter
// already does, and only surface tools are registered: this is the last line, for a tool
// added to the server later or a filter that changes.
func (s surface) guard(next server.ToolHandlerFunc) server.ToolHandlerFunc {
	return func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		if !s[req.Params.Name] {
			return mcp.NewToolResultError("Tool " + req.Params.Name + " is not offered by this server; its operator chose these tools: " +
				strings.Join(s.names(), ", ") + ". Use one of them, or tell the person that this needs the server started with more tools."), nil
		}
		return next(ctx, req)
	}
}

// promptsFor is the prompts that fit the surface: those whose tools are all offered, and
// draft_reply in its draft-only form when send_reply is not offered.
func promptsFor(env *tools.Env, s surface, readOnly bool) []server.ServerPrompt {
	draftOnly := prompts.All(env, true)
	var out []server.ServerPrompt
	for _, p := range prompts.All(env, readOnly) {
		if p.Prompt.Name == prompts.NameDraftReply && !s[tools.NameSendReply] {
			for _, d := range draftOnly {
				if d.Prompt.Name == prompts.NameDraftReply {
					p = d
				}
			}
		}
		if !slices.ContainsFunc(prompts.Needs(p.Prompt.Name), func(n string) bool { return !s[n] }) {
			out = append(out, p)
		}
	}
	return out
}
