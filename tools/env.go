// Package tools holds the MCP tools of inbox-mcp. Each tool is one declaration beside its
// handler (a [Spec]: name, toolset, description, its line of the server instructions, all
// four annotations, typed arguments and result); [All], [Toolsets] and the instructions are
// derived from the declarations. The input schema is reflected from the arguments' Go type
// and the output schema from the result's, which is the only type the handler can answer
// with as structured content, next to a compact text rendering built by package views.
// Errors a model can act on come back as IsError results that say what to do.
package tools

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/inbox-mcp/inbox-mcp/directory"
	"github.com/inbox-mcp/inbox-mcp/inbox"
	"github.com/inbox-mcp/inbox-mcp/sendjournal"
	"github.com/inbox-mcp/inbox-mcp/views"
)

// Env is what every tool, resource and prompt handler needs: where the backend comes from,
// the cached team names, the clock and a hook told about writes.
type Env struct {
	// Source yields the Inbox backend of a request and the team's cache key.
	Source directory.Source
	// Names caches each team's tags, statuses, members and accounts.
	Names *directory.Cache
	// Now is the clock used for relative times; nil means time.Now.
	Now func() time.Time
	// Logger receives operator logs (never message text at info level); nil discards.
	Logger *slog.Logger
	// Changed, when set, is told the resource URIs a successful write changed, so that
	// subscribed clients can be notified.
	Changed func(ctx context.Context, uris ...string)
	// Confirm decides how the person confirms sends, changes to sent messages and large bulk
	// changes; nil means the safe default, ConfirmAuto.
	Confirm *Confirmer
	// Journal keeps the Idempotency-Key of each send in flight across restarts, where the
	// API takes keys; nil keeps none (a retry is then checked against the thread alone).
	Journal *sendjournal.Journal

	// locks serializes this process's changes of each prospect.
	locks prospectLocks
}

func (e *Env) now() time.Time {
	if e.Now != nil {
		return e.Now()
	}
	return time.Now()
}

func (e *Env) logger() *slog.Logger {
	if e.Logger != nil {
		return e.Logger
	}
	return slog.New(slog.DiscardHandler)
}

func (e *Env) changed(ctx context.Context, uris ...string) {
	if e.Changed != nil && len(uris) > 0 {
		e.Changed(ctx, uris...)
	}
}

// Call is one request's handle on the Inbox: the backend, the team's names and the time the
// request started. Resources and prompts use it too.
type Call struct {
	Ctx context.Context
	Env *Env
	B   inbox.Backend
	Dir *directory.Directory
	Now time.Time
	// req is the tool call being answered (a tool that confirms reads the person's answer
	// from it); zero for resources and prompts.
	req mcp.CallToolRequest
}

// Open resolves the request's backend and directory.
func (e *Env) Open(ctx context.Context) (*Call, error) {
	b, dir, err := e.Names.Open(ctx, e.Source)
	if err != nil {
		return nil, err
	}
	return &Call{Ctx: ctx, Env: e, B: b, Dir: dir, Now: e.now()}, nil
}

// Renderer returns a views.Renderer whose names cover ids, refreshing the directory when it
// lacks some of them (at most every few seconds).
func (c *Call) Renderer(ids directory.IDs) (views.Renderer, error) {
	s, err := c.Dir.Names(c.Ctx, ids)
	if err != nil {
		return views.Renderer{}, err
	}
	return views.Renderer{Names: s, Now: c.Now}, nil
}

// ThreadIDs lists the IDs a rendering of threads will name.
func ThreadIDs(ts ...inbox.Thread) directory.IDs {
	var ids directory.IDs
	for _, t := range ts {
		ids.Accounts = append(ids.Accounts, t.AccountID)
		ids.Members = append(ids.Members, t.AssigneeID, t.Prospect.Context.AssigneeID)
		ids.Tags = append(ids.Tags, t.Prospect.Context.TagIDs...)
		ids.Statuses = append(ids.Statuses, t.Prospect.Context.StatusID)
		if t.LastMessage != nil {
			ids.Users = append(ids.Users, t.LastMessage.UserID)
		}
	}
	return ids
}

// inputError is a mistake in the arguments; its message says how to fix it.
type inputError struct{ msg string }

// Error says what to change in the arguments.
func (e *inputError) Error() string { return e.msg }

// badInput returns an error a model can fix by changing its arguments.
func badInput(format string, a ...any) error {
	return &inputError{msg: fmt.Sprintf(format, a...)}
}

// notFound wraps an API 404 with what the model should do instead.
type notFoundError struct {
	msg string
	err error
}

// Error says what was not found and where to look.
func (e *notFoundError) Error() string { return e.msg }

// Unwrap gives the API error behind the message.
func (e *notFoundError) Unwrap() error { return e.err }

// explainNotFound replaces a 404 with msg; other errors pass through.
func explainNotFound(err error, msg string) error {
	if err != nil && IsNotFound(err) {
		return &notFoundError{msg: msg, err: err}
	}
	return err
}

// errorsAs is errors.As for a target type, as a value.
func errorsAs[T error](err error) (T, bool) {
	var t T
	ok := errors.As(err, &t)
	return t, ok
}
