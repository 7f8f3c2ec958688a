package tools

import (
	"context"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// Spec declares one tool, typed by its arguments A and its result R: the name, toolset and
// instructions line the server's lists and instructions are derived from, the description and
// annotations tools/list shows, and the handler. The input schema is reflected from A and
// the output schema from R, and the handler can only answer with an R as structured content,
// so neither schema can drift from what the tool takes and returns.
type Spec[A, R any] struct {
	// Name is the tool's name in tools/list.
	Name string
	// Toolset is the group (see [Toolsets]) --toolsets offers or leaves the tool out with.
	Toolset string
	// Description is the tool's description in tools/list: one or two short sentences.
	Description string
	// Instructions is the tool's part of "How the tools fit" in the server instructions: a
	// bullet ("- …"), or the rest of the bullet of the tool before it; empty when another
	// tool's part already says what this one is for. Parts of tools that change data are
	// left out of a read-only server's instructions.
	Instructions string
	// Hints are the four annotations, all stated.
	Hints hints
	// Handle answers a call. Errors it returns become IsError results that say what to do.
	Handle func(c *Call, args A) (*Answer[R], error)
	// Unanswered, for a tool that asks the person to confirm, words its answer when the
	// person could not be asked or did not answer (why says which). Such a tool asks
	// clients of protocols before 2026-07-28 itself, by request.
	Unanswered func(why string) *Answer[R]
	// Progress passes the client's progress token, when it gave one, to Handle.
	Progress bool
}

// Def is a declared tool without the types of its arguments and result: what [All],
// [Toolsets], the server instructions and the prompts' needs are derived from.
type Def struct {
	// Name, Toolset and Instructions are the Spec's.
	Name, Toolset, Instructions string
	// Tool is the MCP tool: name, description, annotations, input and output schema.
	Tool    mcp.Tool
	handler func(env *Env) server.ToolHandlerFunc
}

// ReadOnly reports whether the tool only reads (its readOnlyHint).
func (d *Def) ReadOnly() bool {
	h := d.Tool.Annotations.ReadOnlyHint
	return h != nil && *h
}

// ServerTool is the tool bound to env, as the server registers it.
func (d *Def) ServerTool(env *Env) server.ServerTool {
	return server.ServerTool{Tool: d.Tool, Handler: d.handler(env)}
}

// declare turns a Spec into a Def.
func declare[A, R any](s Spec[A, R]) *Def {
	t := mcp.NewToolWithRawSchema(s.Name, s.Description, InputSchema[A]())
	t.RawOutputSchema = OutputSchema[R]()
	h := s.Hints
	t.Annotations = mcp.ToolAnnotation{
		ReadOnlyHint:    &h.readOnly,
		DestructiveHint: &h.destructive,
		IdempotentHint:  &h.idempotent,
		OpenWorldHint:   &h.openWorld,
	}
	return &Def{Name: s.Name, Toolset: s.Toolset, Instructions: s.Instructions, Tool: t, handler: s.bind}
}

// bind builds the tool's handler on env: it decodes the arguments, opens the request's
// backend, and turns any error Handle returns into an IsError result that says what to do.
func (s Spec[A, R]) bind(env *Env) server.ToolHandlerFunc {
	h := func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		var args A
		if err := req.BindArguments(&args); err != nil {
			if _, ok := errorsAs[*inputError](err); ok {
				return ErrorResult(err), nil
			}
			return mcp.NewToolResultError("failed to bind arguments: " + CapEcho(err.Error())), nil
		}
		c, err := env.Open(ctx)
		if err != nil {
			return ErrorResult(err), nil
		}
		c.req = req
		a, err := s.Handle(c, args)
		if err != nil {
			env.logger().Debug("tool error", "tool", req.Params.Name, "err", CapEcho(err.Error()))
			return ErrorResult(err), nil
		}
		return a.result(s.Name), nil
	}
	if s.Unanswered != nil {
		h = confirming(env, h, func(why string) *mcp.CallToolResult { return s.Unanswered(why).result(s.Name) })
	}
	if s.Progress {
		h = withProgress(h)
	}
	return h
}

// confirming wraps the handler of a tool that confirms: a client that is asked by request
// (protocols before 2026-07-28) is asked here, and unanswered words the tool's answer when
// the person could not be asked or did not answer.
func confirming(env *Env, h server.ToolHandlerFunc, unanswered func(why string) *mcp.CallToolResult) server.ToolHandlerFunc {
	return func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		res, err := h(ctx, req)
		if err != nil || res == nil || !res.NeedsInput() || !askedByServer(ctx) {
			return res, err
		}
		return env.confirmer().askInClient(ctx, req, res, h, func(why string) *mcp.CallToolResult {
			env.logger().Info("confirmation not answered", "tool", req.Params.Name, "why", why)
			return unanswered(why)
		})
	}
}

// Answer is what a tool's handler answers: its result R as structured content with a text
// rendering for clients that show text only, or, before there is a result, a question to
// the person or a refusal in words alone.
type Answer[R any] struct {
	out     R
	text    string
	isError bool
	// plain is an answer without structured content: a confirmation question (input
	// required), or an error told in text only.
	plain *mcp.CallToolResult
}

// result is a successful answer: out as structured content and text for clients that show
// text only.
func result[R any](out R, text string) *Answer[R] {
	return &Answer[R]{out: out, text: text}
}

// asking is an answer that asks the person, through the client, before there is a result.
func asking[R any](question *mcp.CallToolResult) *Answer[R] {
	return &Answer[R]{plain: question}
}

// failedText is an IsError answer in words alone, for a failure no result describes.
func failedText[R any](text string) *Answer[R] {
	return &Answer[R]{plain: mcp.NewToolResultError(text)}
}

// checkOutput, when set (by tests), is given every structured result a tool answers with.
var checkOutput func(tool string, out any)

// result is the answer as the MCP result; nil stays nil (the server reports it).
func (a *Answer[R]) result(tool string) *mcp.CallToolResult {
	switch {
	case a == nil:
		return nil
	case a.plain != nil:
		return a.plain
	}
	if checkOutput != nil {
		checkOutput(tool, a.out)
	}
	r := mcp.NewToolResultStructured(a.out, a.text)
	r.IsError = a.isError
	return r
}
