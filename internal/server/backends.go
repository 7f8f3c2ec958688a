package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/inbox-mcp/inbox-mcp/apiclient"
	v1 "github.com/inbox-mcp/inbox-mcp/apiclient/v1"
	v2 "github.com/inbox-mcp/inbox-mcp/apiclient/v2"
	"github.com/inbox-mcp/inbox-mcp/app"
	"github.com/inbox-mcp/inbox-mcp/inbox"
	"github.com/inbox-mcp/inbox-mcp/inboxsim"
)

// checkTimeout bounds the start-up check of the key (see checkConnection).
const checkTimeout = 15 * time.Second

// Factory builds the Inbox backend of an API key: a transport client with the factory's
// settings under the backend of the API version the host speaks, decided by the
// configuration or, with auto, asked of the API with the first key that needs it (once for
// the factory: see versionProbe). The key is passed to For and nowhere else: it ends up in
// the transport client's Authorization header and nowhere a log or an error can print.
type Factory struct {
	root    apiRoot
	version string // "" until the probe decides
	probe   *versionProbe
	client  apiclient.Config
	v2      v2.Options

	mu      sync.Mutex
	clients []*apiclient.Client // closed by Close
}

// NewFactory returns the factory of the backends of api. Backends whose api.Client has an
// HTTPClient share its connections: a factory that serves many keys should be given one,
// for without it each backend has a pool of its own, kept until Close.
func NewFactory(api API) (*Factory, error) {
	root, err := parseAPIRoot(orDefault(api.URL))
	if err != nil {
		return nil, err
	}
	version, err := resolveAPIVersion(api.Version, root, false)
	if err != nil {
		return nil, err
	}
	f := &Factory{root: root, version: version, client: api.Client, v2: api.V2}
	if version == "" {
		f.probe = newVersionProbe(root)
	}
	return f, nil
}

// For returns a new backend that authenticates with key. With the version still to be
// decided, it asks the API first (with key) and fails with a tool error when the API
// cannot be reached.
func (f *Factory) For(ctx context.Context, key string) (inbox.Backend, error) {
	v := f.version
	if v == "" {
		var err error
		if v, err = f.probe.detect(ctx, key); err != nil {
			return nil, undetected(err)
		}
	}
	cc := f.client
	cc.BaseURL, cc.Token = f.root.url(v), key
	c, err := apiclient.New(cc)
	if err != nil {
		return nil, err
	}
	if cc.HTTPClient == nil {
		f.mu.Lock()
		f.clients = append(f.clients, c)
		f.mu.Unlock()
	}
	if v == APIv2 {
		return v2.NewBackend(v2.New(c, f.v2)), nil
	}
	return v1.NewBackend(v1.New(c)), nil
}

// Close releases the idle connections of the backends made so far. Calls in flight are not
// interrupted.
func (f *Factory) Close() {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, c := range f.clients {
		c.Close()
	}
	if f.client.HTTPClient != nil {
		f.client.HTTPClient.CloseIdleConnections()
	}
}

// backends decides where Inbox data comes from: the in-process simulator (Demo), the API
// with the process's key, or (without one) the key each request brings; and which API
// version answers (see version.go). stop stops what it started.
func backends(ctx context.Context, cfg Config, logger *slog.Logger) (src app.BackendSource, perRequest bool, stop func(), err error) {
	api := cfg.API
	if api.Client.Logger == nil {
		api.Client.Logger = logger.With("component", "apiclient")
	}
	if cfg.Demo {
		return demoBackend(ctx, cfg, api, logger)
	}
	if cfg.Key == "" {
		// One deployment for a whole team: every request names its own key. The backends
		// share one connection pool; each key keeps its own backend, and so its own rate
		// limiter and caches, under the key's hash (app.PerRequestToken). With auto, the
		// first request's key asks the API which version it speaks.
		if api.Client.HTTPClient == nil {
			api.Client.HTTPClient = sharedHTTPClient()
		}
		f, err := NewFactory(api)
		if err != nil {
			return nil, false, nil, err
		}
		how := "\"Authorization: Bearer <key>\" (or " + InboxKeyHeader + ")"
		if cfg.MCPToken {
			how = "\"" + InboxKeyHeader + ": <key>\" (Authorization carries the MCP token)"
		}
		logger.Info("no API key held: each HTTP request must send its Inbox API key as "+how, "api", f.root.base, "api_version", orAuto(f.version))
		return app.PerRequestToken(f.For), true, f.Close, nil
	}
	f, err := NewFactory(api)
	if err != nil {
		return nil, false, nil, err
	}
	if f.version != "" {
		b, err := f.For(ctx, cfg.Key)
		if err != nil {
			f.Close()
			return nil, false, nil, err
		}
		src = app.StaticBackend(b)
	} else {
		src = &autoSource{f: f, key: cfg.Key}
	}
	if cfg.CheckAtStart {
		go checkConnection(ctx, src, logger)
	}
	return src, false, f.Close, nil
}

// demoBackend starts the built-in simulator and serves every request from its backend.
func demoBackend(ctx context.Context, cfg Config, api API, logger *slog.Logger) (app.BackendSource, bool, func(), error) {
	version, err := resolveAPIVersion(api.Version, apiRoot{}, true)
	if err != nil {
		return nil, false, nil, err
	}
	// The simulator outlives the signal: it is closed after the transport has drained, so
	// that calls in flight at shutdown still get their answers.
	sim, err := inboxsim.Start(context.WithoutCancel(ctx), "", inboxsim.Options{Seed: 1, DBPath: cfg.DBPath,
		Logger: logger.With("component", "inboxsim")})
	if err != nil {
		return nil, false, nil, fmt.Errorf("starting the built-in simulator: %w", err)
	}
	persist := "in memory: changes are lost on exit"
	if cfg.DBPath != "" {
		persist = "kept in " + cfg.DBPath
	}
	simRoot, err := parseAPIRoot(sim.URL)
	if err != nil {
		sim.Close()
		return nil, false, nil, err
	}
	api.URL, api.Version = simRoot.url(version), version
	f, err := NewFactory(api)
	if err != nil {
		sim.Close()
		return nil, false, nil, err
	}
	logger.Info("demo mode: serving the built-in Inbox simulator with sample data", "api", simRoot.url(version), "api_version", version, "data", persist)
	b, err := f.For(ctx, sim.Token)
	if err != nil {
		sim.Close()
		return nil, false, nil, err
	}
	return app.StaticBackend(b), false, func() { f.Close(); sim.Close() }, nil
}

// autoSource serves the requests of the process's key from the backend of the version the
// API turns out to speak, found on first need (the start-up check usually has by then).
type autoSource struct {
	f   *Factory
	key string

	mu sync.Mutex
	b  inbox.Backend
}

// Backend returns the backend, deciding the version first when it is not yet known.
func (s *autoSource) Backend(ctx context.Context) (inbox.Backend, string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.b == nil {
		b, err := s.f.For(ctx, s.key)
		if err != nil {
			return nil, "", err
		}
		s.b = b
	}
	return s.b, "static", nil
}

func orAuto(version string) string {
	if version == "" {
		return APIAuto
	}
	return version
}

func orDefault(apiURL string) string {
	if apiURL == "" {
		return DefaultAPIURL
	}
	return apiURL
}

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
