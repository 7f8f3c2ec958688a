package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/inbox-mcp/inbox-mcp/apiclient"
	"github.com/inbox-mcp/inbox-mcp/app"
	inboxserver "github.com/inbox-mcp/inbox-mcp/internal/server"
)

// Time limits of the HTTP transport and of shutting down.
const (
	shutdownTimeout = 10 * time.Second
	sessionIdleTTL  = 30 * time.Minute
)

// run serves MCP until ctx ends (a signal) or, on stdio, until the client closes stdin.
func run(ctx context.Context, cfg config, ver string, logger *slog.Logger, stdin io.Reader, stdout io.Writer) error {
	srv, err := inboxserver.New(ctx, cfg.server(ver, logger))
	if err != nil {
		return err
	}
	defer srv.Close()
	if cfg.transport == transportHTTP {
		return serveHTTP(ctx, srv, cfg, logger)
	}
	return serveStdio(ctx, srv.MCP, logger, stdin, stdout)
}

// server is the composition root's configuration of the flags: everything but the
// transport, which this command serves itself.
func (c *config) server(ver string, logger *slog.Logger) inboxserver.Config {
	return inboxserver.Config{
		API: inboxserver.API{URL: c.apiURL, Version: c.apiVersion, Client: apiclient.Config{
			RatePerMinute: c.rateLimit,
			RateReserve:   rateReserve(c.rateReserve),
		}},
		Key:    c.apiKey,
		Demo:   c.demo,
		DBPath: c.dbPath,
		App: app.Config{ReadOnly: c.readOnly, Tools: c.selection(), ConfirmSends: c.confirmSends,
			Version: ver, Logger: logger},
		SendJournal:  true,
		CheckAtStart: true,
		MCPToken:     c.mcpToken != "",
		Logger:       logger,
	}
}

// rateReserve is the client's RateReserve for a share from the flag: none is negative
// there, zero meaning the default.
func rateReserve(share float64) float64 {
	if share <= 0 {
		return -1
	}
	return share
}

// serveStdio speaks MCP on stdin/stdout until stdin closes or ctx ends.
func serveStdio(ctx context.Context, s *server.MCPServer, logger *slog.Logger, stdin io.Reader, stdout io.Writer) error {
	ss := server.NewStdioServer(s)
	ss.SetErrorLogger(log.New(&slogWriter{logger: logger.With("component", "stdio")}, "", 0))
	logger.Info("serving MCP over stdio")
	out := &lockedWriter{w: stdout}
	in := newLineFilter(stdin, out, maxStdioMessage, func(line []byte) any {
		if e := app.Precheck(s, line); e != nil {
			return e
		}
		return nil
	})
	err := ss.Listen(ctx, in, out)
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, io.EOF) {
		logger.Info("stopped", "reason", stopReason(ctx, "stdin closed"))
		return nil
	}
	return err
}

// serveHTTP serves streamable HTTP on cfg.addr at /mcp until ctx ends, then drains.
func serveHTTP(ctx context.Context, srv *inboxserver.Server, cfg config, logger *slog.Logger) error {
	t := newHTTPTransport(ctx, srv, cfg, logger, defaultHTTPLimits)
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return fmt.Errorf("cannot listen on %s: %w (choose another port with --addr)", cfg.addr, err)
	}
	switch {
	case listenLoopback(ln):
	case cfg.mcpToken != "":
		logger.Warn("listening beyond this machine: only requests with the MCP token get in, but the connection is plain HTTP; put TLS in front (a reverse proxy) so the token and keys cannot be read on the way", "addr", ln.Addr().String())
	default:
		logger.Warn("listening beyond this machine without an MCP token (--allow-remote): anyone who can reach the port can use the server unless a proxy in front authenticates them", "addr", ln.Addr().String())
	}
	logger.Info("serving MCP over streamable HTTP", "url", "http://"+ln.Addr().String()+"/mcp", "per_request_keys", t.perRequest, "mcp_token", cfg.mcpToken != "")
	errc := make(chan error, 1)
	go func() { errc <- t.srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	// Close the clients' notification streams first: they never end on their own, so the
	// HTTP server would otherwise wait out the whole timeout for them.
	t.mcp.Shutdown(sctx)
	if err := t.srv.Shutdown(sctx); err != nil {
		logger.Warn("requests still running at shutdown were cut off", "err", err)
	}
	logger.Info("stopped", "reason", stopReason(ctx, ""))
	return nil
}

// httpTransport is the HTTP side of the server: the MCP handler behind its guard, served by
// an http.Server with the transport's limits.
type httpTransport struct {
	mcp        *server.StreamableHTTPServer
	srv        *http.Server
	perRequest bool // requests bring their own Inbox API keys
}

// newHTTPTransport builds the handler of /mcp (and /healthz) and its server; ctx is the
// base of every request's context.
func newHTTPTransport(ctx context.Context, srv *inboxserver.Server, cfg config, logger *slog.Logger, lim httpLimits) *httpTransport {
	s := srv.MCP
	t := &httpTransport{perRequest: srv.PerRequestKeys}
	sessions := newIssuedSessions()
	gateSubscriptions(s.GetHooks(), sessions, t.perRequest)
	// Sessions are stateless where it matters: session IDs are generated but only their
	// format is checked, so any instance, before or after a restart, serves any request
	// (resource subscriptions, which this process keeps, need an ID it issued: sessions.go).
	// They are issued because session-era clients (protocol 2025-11-25 and before) need one
	// for the notification stream that resource subscriptions use; idle ones are swept.
	t.mcp = server.NewStreamableHTTPServer(s,
		server.WithEndpointPath("/mcp"),
		server.WithSessionIdManager(sessions),
		server.WithSessionIdleTTL(sessionIdleTTL),
		server.WithStreamableHTTPLogger(logger.With("component", "http")),
		server.WithHTTPContextFunc(func(ctx context.Context, r *http.Request) context.Context {
			if t.perRequest {
				if key := inboxKey(r, cfg.mcpToken != ""); key != "" {
					ctx = app.ContextWithToken(ctx, key)
				}
			}
			return ctx
		}),
	)
	mux := http.NewServeMux()
	guard := newHTTPGuard(t.mcp, cfg, lim, logger.With("component", "http"))
	guard.precheck = func(msg []byte) *mcp.JSONRPCError { return app.Precheck(s, msg) }
	mux.Handle("/mcp", guard)
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		io.WriteString(w, "ok\n")
	})
	t.srv = &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: lim.readHeader,
		ReadTimeout:       lim.read,
		WriteTimeout:      lim.write,
		IdleTimeout:       lim.idle,
		MaxHeaderBytes:    maxHeaderBytes,
		ErrorLog:          log.New(&slogWriter{logger: logger.With("component", "http")}, "", 0),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	return t
}

// bearerToken returns the token of an "Authorization: Bearer <token>" header, or "".
func bearerToken(h string) string {
	scheme, tok, ok := strings.Cut(strings.TrimSpace(h), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(tok)
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func stopReason(ctx context.Context, otherwise string) string {
	if ctx.Err() != nil {
		return "signal"
	}
	return otherwise
}

// slogWriter turns the lines of a standard library logger into slog records, so that
// library messages land in the same stream and format as ours.
type slogWriter struct{ logger *slog.Logger }

func (w *slogWriter) Write(p []byte) (int, error) {
	w.logger.Warn(strings.TrimSpace(string(p)))
	return len(p), nil
}
