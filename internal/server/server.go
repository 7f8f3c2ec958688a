// Package server is the composition root of inbox-mcp: from one Config it builds where each
// request's Inbox data comes from and the MCP server over it.
//
// The data comes from the Inbox API with the process's key, from the API with the key each
// HTTP request brings, or from the built-in simulator (demo); through API v1 or v2, or
// whichever the API turns out to speak (auto). A Factory makes the backend of one key; the
// key is passed to it explicitly and kept only by the transport client it builds. The
// server binary (cmd/inbox-mcp) parses its flags into a Config and serves the result over
// stdio or HTTP; the tests' harness (internal/testenv) and the benchmarks (bench) build
// through the same code, so that what they measure and check is wired as the binary is.
package server

import (
	"context"
	"fmt"
	"log/slog"

	mcpserver "github.com/mark3labs/mcp-go/server"

	"github.com/inbox-mcp/inbox-mcp/apiclient"
	v2 "github.com/inbox-mcp/inbox-mcp/apiclient/v2"
	"github.com/inbox-mcp/inbox-mcp/app"
	"github.com/inbox-mcp/inbox-mcp/sendjournal"
)

// InboxKeyHeader carries a request's own Inbox API key when the Authorization header holds
// the MCP endpoint's token.
const InboxKeyHeader = "X-Inbox-Api-Key"

// API is how backends reach the Inbox API.
type API struct {
	// URL is the Inbox host, under which each version's path (/api/v1, /api/v2) is added,
	// or one version's root, ending in /api/v1 or /api/v2, used as it is. "" means
	// DefaultAPIURL.
	URL string
	// Version is v1, v2 or auto ("" is auto): ask the API, unless the URL names a version.
	Version string
	// Client configures the transport of every backend (rate limit, reserve, retries, HTTP
	// client; see apiclient.Config); BaseURL and Token are set per backend.
	Client apiclient.Config
	// V2 tunes how API v2 sends are retried; zero fields take the defaults.
	V2 v2.Options
}

// Config is what the server is built from. The zero value is the Inbox API at
// DefaultAPIURL, its version asked of the API, with a key per request.
type Config struct {
	// API is where the data comes from. With Demo, its URL is ignored and an auto version
	// is v2. A nil API.Client.Logger is Logger's "apiclient" component.
	API API
	// Key is the process's Inbox API key. Without one (and without Demo) each request
	// brings its own: the HTTP transport puts it in the request's context with
	// app.ContextWithToken, and each key gets a backend of its own.
	Key string
	// Demo serves the built-in simulator with sample data, on a loopback port of its own,
	// with its own key (Key is ignored). DBPath, when set, keeps its data in that SQLite
	// file.
	Demo   bool
	DBPath string
	// App is the MCP server's configuration. New sets its Backends, and its SendJournal
	// when SendJournal is set; a nil App.Logger is Logger.
	App app.Config
	// SendJournal keeps the journal of sends in flight in the user's cache directory, so
	// that a send retried after a crash is resumed under its key (API v2); not with
	// App.ReadOnly (nothing is sent) or with the simulator in memory (nothing it would
	// resume outlives the process).
	SendJournal bool
	// CheckAtStart reads the team once in the background at start, with the process's
	// key, and logs whether the key works (and, with auto, which version the API speaks).
	CheckAtStart bool
	// MCPToken says that the HTTP endpoint has its own token in Authorization, so that
	// per-request keys come in InboxKeyHeader; it only changes what the start-up log says.
	MCPToken bool
	// Logger receives the operator logs (stderr in the binary); nil discards.
	Logger *slog.Logger
}

// Server is a built MCP server and what serves its data.
type Server struct {
	// MCP is the MCP server, for a transport to serve.
	MCP *mcpserver.MCPServer
	// Backends yields the Inbox backend of each request: the source App.Backends was set
	// to (before the MCP layer's caches).
	Backends app.BackendSource
	// PerRequestKeys is true when each request must bring its own Inbox API key.
	PerRequestKeys bool

	stop func()
}

// New builds the backends of cfg and the MCP server over them. With Demo it starts the
// simulator, which Close stops: call Close once the transport has drained.
func New(ctx context.Context, cfg Config) (*Server, error) {
	logger := cfg.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	src, perRequest, stop, err := backends(ctx, cfg, logger)
	if err != nil {
		return nil, err
	}
	ac := cfg.App
	ac.Backends = src
	if ac.Logger == nil {
		ac.Logger = logger
	}
	if cfg.SendJournal {
		ac.SendJournal = openSendJournal(cfg, logger)
	}
	s, err := app.New(ac)
	if err != nil {
		stop()
		return nil, fmt.Errorf("building the MCP server: %w", err)
	}
	return &Server{MCP: s, Backends: src, PerRequestKeys: perRequest, stop: stop}, nil
}

// Close stops what New started: the simulator of the demo, and the backends' idle
// connections. Calls still in flight are not interrupted.
func (s *Server) Close() { s.stop() }

// openSendJournal opens the journal of sends in flight under the user's cache directory, or
// returns nil: with the simulator in memory (nothing it would resume outlives the process),
// with read-only (nothing is sent), or when the directory cannot hold it, which is logged:
// retries are then checked against the thread alone.
func openSendJournal(cfg Config, logger *slog.Logger) *sendjournal.Journal {
	if cfg.App.ReadOnly || (cfg.Demo && cfg.DBPath == "") {
		return nil
	}
	dir, err := sendjournal.DefaultDir()
	if err == nil {
		var j *sendjournal.Journal
		if j, err = sendjournal.Open(dir, sendjournal.Options{}); err == nil {
			logger.Debug("send journal ready", "dir", j.Dir())
			return j
		}
	}
	logger.Warn("no send journal: a send retried after a crash is checked against the thread instead of resumed under its key", "err", err)
	return nil
}
