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
	"sync"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/inbox-mcp/inbox-mcp/apiclient"
	"github.com/inbox-mcp/inbox-mcp/app"
	"github.com/inbox-mcp/inbox-mcp/inbox"
	"github.com/inbox-mcp/inbox-mcp/inboxsim"
	"github.com/inbox-mcp/inbox-mcp/sendjournal"
)

// Time limits of the HTTP transport and of shutting down.
const (
	shutdownTimeout = 10 * time.Second
	checkTimeout    = 15 * time.Second
	sessionIdleTTL  = 30 * time.Minute
)

// run serves MCP until ctx ends (a signal) or, on stdio, until the client closes stdin.
func run(ctx context.Context, cfg config, ver string, logger *slog.Logger, stdin io.Reader, stdout io.Writer) error {
	src, cleanup, err := backends(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer cleanup()
	s, err := app.New(app.Config{Backends: src, ReadOnly: cfg.readOnly, Tools: cfg.selection(), ConfirmSends: cfg.confirmSends,
		Version: ver, Logger: logger, SendJournal: openSendJournal(cfg, logger)})
	if err != nil {
		return fmt.Errorf("building the MCP server: %w", err)
	}
	if cfg.transport == transportHTTP {
		return serveHTTP(ctx, s, cfg, logger)
	}
	return serveStdio(ctx, s, logger, stdin, stdout)
}

// openSendJournal opens the journal of sends in flight under the user's cache directory, or
// returns nil: with the simulator in memory (nothing it would resume outlives the process),
// with --read-only (nothing is sent), or when the directory cannot hold it, which is logged:
// retries are then checked against the thread alone.
func openSendJournal(cfg config, logger *slog.Logger) *sendjournal.Journal {
	if cfg.readOnly || (cfg.demo && cfg.dbPath == "") {
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

// backends decides where Inbox data comes from: the in-process simulator (--demo), the
// API with the process's key, or (HTTP without a key) the key each request brings; and
// which API version answers (see apiversion.go).
func backends(ctx context.Context, cfg config, logger *slog.Logger) (app.BackendSource, func(), error) {
	root, err := parseAPIRoot(cfg.apiURL)
	if err != nil {
		return nil, nil, err
	}
	version, err := resolveAPIVersion(cfg.apiVersion, root, cfg.demo)
	if err != nil {
		return nil, nil, err
	}
	clientCfg := apiclient.Config{
		Token:         cfg.apiKey,
		RatePerMinute: cfg.rateLimit,
		RateReserve:   rateReserve(cfg.rateReserve),
		Logger:        logger.With("component", "apiclient"),
	}
	if cfg.demo {
		// The simulator outlives the signal: it is closed after the transport has drained,
		// so that calls in flight at shutdown still get their answers.
		sim, err := inboxsim.Start(context.WithoutCancel(ctx), "", inboxsim.Options{Seed: 1, DBPath: cfg.dbPath,
			Logger: logger.With("component", "inboxsim")})
		if err != nil {
			return nil, nil, fmt.Errorf("starting the built-in simulator: %w", err)
		}
		persist := "in memory: changes are lost on exit"
		if cfg.dbPath != "" {
			persist = "kept in " + cfg.dbPath
		}
		simRoot, err := parseAPIRoot(sim.URL)
		if err != nil {
			sim.Close()
			return nil, nil, err
		}
		clientCfg.BaseURL, clientCfg.Token = simRoot.url(version), sim.Token
		logger.Info("demo mode: serving the built-in Inbox simulator with sample data", "api", clientCfg.BaseURL, "api_version", version, "data", persist)
		b, c, err := newBackend(version, clientCfg)
		if err != nil {
			sim.Close()
			return nil, nil, err
		}
		return app.StaticBackend(b), func() { c.Close(); sim.Close() }, nil
	}
	if cfg.apiKey == "" {
		// One deployment for a whole team: every request names its own key. The clients
		// share one connection pool; each key keeps its own rate limiter, under the key's
		// hash. The clients hold no key: each API request takes the key of the MCP request
		// it serves from its context. With --api-version auto, the first request's key
		// asks the API which version it speaks.
		hc := sharedHTTPClient()
		hc.Transport = requestKeyTransport{base: hc.Transport}
		how := "\"Authorization: Bearer <key>\" (or " + inboxKeyHeader + ")"
		if cfg.mcpToken != "" {
			how = "\"" + inboxKeyHeader + ": <key>\" (Authorization carries the MCP token)"
		}
		logger.Info("no API key held: each HTTP request must send its Inbox API key as "+how, "api", root.base, "api_version", orAuto(version))
		probe := newVersionProbe(root)
		factory := func(token string) (inbox.Backend, error) {
			v := version
			if v == "" {
				var err error
				if v, err = probe.detect(context.Background(), token); err != nil {
					return nil, undetected(err)
				}
			}
			cc := clientCfg
			cc.BaseURL, cc.Token, cc.HTTPClient = root.url(v), perRequestPlaceholder, hc
			b, _, err := newBackend(v, cc)
			return b, err
		}
		return app.PerRequestToken(factory), func() { hc.CloseIdleConnections() }, nil
	}
	var (
		mu      sync.Mutex
		clients []*apiclient.Client
	)
	build := func(v string) (inbox.Backend, error) {
		cc := clientCfg
		cc.BaseURL = root.url(v)
		b, c, err := newBackend(v, cc)
		if err != nil {
			return nil, err
		}
		mu.Lock()
		clients = append(clients, c)
		mu.Unlock()
		return b, nil
	}
	closeAll := func() {
		mu.Lock()
		defer mu.Unlock()
		for _, c := range clients {
			c.Close()
		}
	}
	var src app.BackendSource
	if version != "" {
		b, err := build(version)
		if err != nil {
			return nil, nil, err
		}
		src = app.StaticBackend(b)
	} else {
		src = &autoSource{probe: newVersionProbe(root), token: cfg.apiKey, build: build}
	}
	go checkConnection(ctx, src, logger)
	return src, closeAll, nil
}

// rateReserve is the client's RateReserve for a share from the flag: none is negative
// there, zero meaning the default.
func rateReserve(share float64) float64 {
	if share <= 0 {
		return -1
	}
	return share
}

func orAuto(version string) string {
	if version == "" {
		return apiAuto
	}
	return version
}

// perRequestPlaceholder stands in for the key in the per-request clients: the transport
// replaces it with the request's key, and refuses to send a request without one.
const perRequestPlaceholder = "per-request-key"

// checkConnection finds the API version (with auto) and reads the team once at start, in
// the background so that initialize is never held up, and says in the log whether the key
// works.
func checkConnection(ctx context.Context, src app.BackendSource, logger *slog.Logger) {
	ctx, cancel := context.WithTimeout(ctx, checkTimeout)
	defer cancel()
	b, _, err := src.Backend(ctx)
	if err != nil {
		logger.Warn("could not find out the Inbox API version yet; tools will ask again on use", "err", err)
		return
	}
	t, err := b.Team(ctx)
	switch {
	case err == nil:
		logger.Info("connected to the Inbox API", "team", t.Name, "api_version", b.APIVersion())
	case apiclient.IsAuth(err):
		logger.Error("the Inbox API refused the API key: check INBOX_API_KEY or the key file (Inbox: Settings > API)", "err", err)
	case ctx.Err() != nil && errors.Is(err, context.Canceled):
	default:
		logger.Warn("could not reach the Inbox API yet; tools will retry on use", "err", err)
	}
}

// sharedHTTPClient is the connection pool of the per-request-key mode.
func sharedHTTPClient() *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns, tr.MaxIdleConnsPerHost = 64, 32
	return &http.Client{
		Transport: tr,
		// Following a redirect would hide a wrong --api-url; the API itself never redirects.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
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
func serveHTTP(ctx context.Context, s *server.MCPServer, cfg config, logger *slog.Logger) error {
	t := newHTTPTransport(ctx, s, cfg, logger, defaultHTTPLimits)
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
func newHTTPTransport(ctx context.Context, s *server.MCPServer, cfg config, logger *slog.Logger, lim httpLimits) *httpTransport {
	t := &httpTransport{perRequest: !cfg.demo && cfg.apiKey == ""}
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
