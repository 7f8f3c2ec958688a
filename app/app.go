// Package app builds the inbox-mcp MCP server from its configuration: tools, resources and
// templates, prompts, completions, server instructions, middleware that turns stray errors
// and panics into tool errors, and input schema validation. internal/server builds it over
// the backends of a configuration; the transports (stdio, HTTP) live in cmd/inbox-mcp and
// serve the *server.MCPServer built here.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"slices"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/inbox-mcp/inbox-mcp/directory"
	"github.com/inbox-mcp/inbox-mcp/prompts"
	"github.com/inbox-mcp/inbox-mcp/resources"
	"github.com/inbox-mcp/inbox-mcp/sendjournal"
	"github.com/inbox-mcp/inbox-mcp/tools"
)

// Name is the server name announced at initialize.
const Name = "inbox-mcp"

// Config configures the server.
type Config struct {
	// Backends yields the Inbox backend of each request.
	Backends BackendSource
	// ReadOnly registers only the read-only tools (and no prompt that changes records).
	ReadOnly bool
	// Tools chooses the tools offered: toolsets, tools and exclusions (the zero value offers
	// every tool). ReadOnly applies on top. Unknown names make New fail.
	Tools tools.Selection
	// ConfirmSends is how the person confirms a send, a change to a sent message, or a bulk
	// change of more than tools.BulkConfirmThreshold prospects; "" means tools.ConfirmAuto,
	// the safe default.
	ConfirmSends tools.ConfirmPolicy
	// Version is announced at initialize; "" means "dev".
	Version string
	// Logger receives operator logs (stderr); nil discards.
	Logger *slog.Logger
	// DirectoryTTL is how long a team's names are cached; 0 means directory.DefaultTTL.
	DirectoryTTL time.Duration
	// MessageCacheTTL is how long message pages read from the API are reused while their
	// thread's last message is unchanged (see inbox/msgcache); 0 means msgcache.DefaultTTL,
	// a negative value reads every page from the API.
	MessageCacheTTL time.Duration
	// Now is the clock for relative times; nil means time.Now. Tests set it.
	Now func() time.Time
	// AskTimer starts the wait, of tools.AskTimeout, for the person's answer to a
	// confirmation dialog; nil means a real timer. Tests set it.
	AskTimer func(time.Duration) <-chan time.Time
	// SendJournal keeps the Idempotency-Key of each send in flight across restarts (API
	// v2), so that a send retried after a crash is not delivered twice; nil keeps none, and
	// a retry is then checked against the thread alone (as on v1).
	SendJournal *sendjournal.Journal
}

// New builds the fully configured MCP server.
func New(cfg Config) (*server.MCPServer, error) {
	if cfg.Backends == nil {
		return nil, errors.New("app: Config.Backends is nil: use StaticBackend with a key, or PerRequestToken for per-request keys")
	}
	if cfg.Version == "" {
		cfg.Version = "dev"
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	confirm, err := tools.NewConfirmer(cfg.ConfirmSends)
	if err != nil {
		return nil, fmt.Errorf("app: %w", err)
	}
	confirm.AskTimer = cfg.AskTimer
	// Confirmations expire, and the bulk threshold's window slides, on the server's clock.
	confirm.Now = cfg.Now
	subs := resources.NewSubscriptions(cfg.Now)
	env := &tools.Env{
		Source:  cachedMessages(cfg.Backends, cfg.MessageCacheTTL, cfg.Now),
		Names:   directory.NewCache(directory.Options{TTL: cfg.DirectoryTTL, Logger: log, Now: cfg.Now}),
		Now:     cfg.Now,
		Logger:  log,
		Changed: subs.Notify,
		Confirm: confirm,
		Journal: cfg.SendJournal,
	}
	sel := cfg.Tools
	sel.ReadOnly = sel.ReadOnly || cfg.ReadOnly
	offered, err := Tools(env, sel)
	if err != nil {
		return nil, fmt.Errorf("app: %w", err)
	}
	surf := newSurface(offered)
	// What read-only mode alone would offer: more left out than that is the operator's
	// choice, which the instructions mention.
	byMode, _ := Tools(env, tools.Selection{ReadOnly: sel.ReadOnly})
	trimmed := len(offered) != len(byMode)
	writes := slices.ContainsFunc(offered, func(t server.ServerTool) bool {
		return t.Tool.Annotations.ReadOnlyHint == nil || !*t.Tool.Annotations.ReadOnlyHint
	})
	hooks := &server.Hooks{}
	subs.Register(hooks)
	validator, err := newArgValidator(offered)
	if err != nil {
		return nil, fmt.Errorf("app: %w", err)
	}

	s := server.NewMCPServer(Name, cfg.Version,
		server.WithInstructions(instructions(surf.names(), writes, trimmed, confirm.Policy)),
		server.WithToolCapabilities(false),
		server.WithResourceCapabilities(true, false),
		server.WithPromptCapabilities(false),
		server.WithCompletions(),
		server.WithLogging(),
		// The first middleware registered is the outermost: it sees every error and panic.
		server.WithToolHandlerMiddleware(recoverTools(log)),
		server.WithToolHandlerMiddleware(surf.guard),
		// Arguments are checked here rather than by the library (WithInputSchemaValidation),
		// whose refusals print the validator's Go structures: see validate.go.
		server.WithToolHandlerMiddleware(validator.middleware),
		server.WithToolHandlerMiddleware(logTools(log)),
		server.WithToolFilter(surf.filter),
		server.WithResourceHandlerMiddleware(recoverResources(log)),
		server.WithPromptHandlerMiddleware(recoverPrompts(log)),
		server.WithPromptCompletionProvider(prompts.Completer{Env: env}),
		server.WithResourceCompletionProvider(resources.Completer{Env: env}),
		server.WithHooks(hooks),
	)
	s.AddTools(offered...)
	s.AddResources(resources.Static(env)...)
	s.AddResourceTemplates(resources.Templates(env)...)
	s.AddPrompts(promptsFor(env, surf, sel.ReadOnly)...)
	subs.Attach(s)
	return s, nil
}

// Tools is the tool list the server registers for a selection: the tools it names, without
// those that change data in read-only mode. Unknown names are an error that lists the valid
// ones.
func Tools(env *tools.Env, sel tools.Selection) ([]server.ServerTool, error) {
	return tools.Select(tools.All(env), sel)
}

// recoverTools turns a panic or a Go error from any tool into an IsError result the model
// can read, instead of a JSON-RPC internal error it never sees.
func recoverTools(log *slog.Logger) server.ToolHandlerMiddleware {
	return func(next server.ToolHandlerFunc) server.ToolHandlerFunc {
		return func(ctx context.Context, req mcp.CallToolRequest) (res *mcp.CallToolResult, err error) {
			defer func() {
				if r := recover(); r != nil {
					log.Error("tool panicked", "tool", req.Params.Name, "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
					res, err = mcp.NewToolResultError("Internal error in "+req.Params.Name+" (logged for the operators). Try again; if it repeats, do the task another way or tell the person."), nil
				}
			}()
			res, err = next(ctx, req)
			if err != nil {
				log.Warn("tool returned an error", "tool", req.Params.Name, "err", tools.CapEcho(err.Error()))
				return tools.ErrorResult(err), nil
			}
			if res == nil {
				return mcp.NewToolResultError("Internal error in " + req.Params.Name + ": no result. Try again."), nil
			}
			return res, nil
		}
	}
}

// logTools logs each call's tool, duration and whether it failed, at debug level: never the
// arguments, which hold message text.
func logTools(log *slog.Logger) server.ToolHandlerMiddleware {
	return func(next server.ToolHandlerFunc) server.ToolHandlerFunc {
		return func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
			start := time.Now()
			res, err := next(ctx, req)
			if log.Enabled(ctx, slog.LevelDebug) {
				log.Debug("tool call", "tool", req.Params.Name, "took", time.Since(start), "is_error", res != nil && res.IsError, "err", err)
			}
			return res, err
		}
	}
}

// recoverResources turns a panic in a resource handler into an error with a readable text.
func recoverResources(log *slog.Logger) server.ResourceHandlerMiddleware {
	return func(next server.ResourceHandlerFunc) server.ResourceHandlerFunc {
		return func(ctx context.Context, req mcp.ReadResourceRequest) (out []mcp.ResourceContents, err error) {
			defer func() {
				if r := recover(); r != nil {
					log.Error("resource panicked", "uri", req.Params.URI, "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
					out, err = nil, fmt.Errorf("internal error reading %s (logged); try again", req.Params.URI)
				}
			}()
			return next(ctx, req)
		}
	}
}

// recoverPrompts turns a panic in a prompt handler into an error with a readable text.
func recoverPrompts(log *slog.Logger) server.PromptHandlerMiddleware {
	return func(next server.PromptHandlerFunc) server.PromptHandlerFunc {
		return func(ctx context.Context, req mcp.GetPromptRequest) (out *mcp.GetPromptResult, err error) {
			defer func() {
				if r := recover(); r != nil {
					log.Error("prompt panicked", "prompt", req.Params.Name, "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
					out, err = nil, fmt.Errorf("internal error in prompt %s (logged); try again", req.Params.Name)
				}
			}()
			return next(ctx, req)
		}
	}
}
