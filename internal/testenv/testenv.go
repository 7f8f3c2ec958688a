// Package testenv starts what the MCP layer's tests run against: the Inbox simulator on a
// loopback port, a client and backend of one Inbox API version (v1 or v2) over real HTTP,
// and the configured MCP server behind an initialized in-process MCP client. Backends and
// servers are built by the composition root the binary uses (internal/server), so the tests
// run what the binary runs.
//
// The simulator serves both versions over one store, so the same seeded Inbox answers
// either; tests of the tools, resources and prompts run once per entry of [Versions]. The
// helpers every test package needs (reading whole listings, running a test per version)
// live here too, rather than in a copy per package.
package testenv

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"
	mcpserver "github.com/mark3labs/mcp-go/server"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/inbox-mcp/inbox-mcp/apiclient"
	"github.com/inbox-mcp/inbox-mcp/app"
	"github.com/inbox-mcp/inbox-mcp/inbox"
	"github.com/inbox-mcp/inbox-mcp/inboxsim"
	"github.com/inbox-mcp/inbox-mcp/internal/server"
)

// Versions are the Inbox API versions the MCP layer is tested against, in the order the
// tests run them.
var Versions = []string{"v1", "v2"}

// DefaultVersion is the API version of a harness or backend that names none. It stays v1
// for the tests written before v2 existed; tests over both versions range over Versions.
const DefaultVersion = "v1"

// Option adjusts what New and Start start: the simulator's options or the API version.
type Option func(*setup)

type setup struct {
	sim     []func(*inboxsim.Options)
	version string
	wrap    func(http.RoundTripper) http.RoundTripper
}

// WithSim adjusts the simulator's options before it starts (rate limits, scale, faults…).
func WithSim(f func(*inboxsim.Options)) Option {
	return func(s *setup) { s.sim = append(s.sim, f) }
}

// WithAPIVersion makes the harness talk to the simulator through API version v ("v1" or
// "v2"); an unknown version makes New and Start fail.
func WithAPIVersion(v string) Option {
	return func(s *setup) { s.version = v }
}

// WithTransport wraps the HTTP transport of the harness's backend, for tests that need to
// see or disturb its requests on the way (a lost answer, a connection cut mid-request).
func WithTransport(wrap func(http.RoundTripper) http.RoundTripper) Option {
	return func(s *setup) { s.wrap = wrap }
}

func setupOf(opts []Option) setup {
	s := setup{version: DefaultVersion}
	for _, o := range opts {
		o(&s)
	}
	return s
}

func simOptions(opts []func(*inboxsim.Options)) inboxsim.Options {
	o := inboxsim.Options{Seed: 1, RateLimit: inboxsim.RateLimits{Disabled: true}}
	for _, f := range opts {
		f(&o)
	}
	return o
}

// Sim starts a simulator seeded with seed 1 and no rate limit, stopped when the test ends.
// opts, when given, adjusts the options before the start.
func Sim(t testing.TB, opts ...func(*inboxsim.Options)) *inboxsim.Server {
	t.Helper()
	srv, stop, err := startSim(simOptions(opts))
	if err != nil {
		t.Fatalf("start simulator: %v", err)
	}
	t.Cleanup(stop)
	return srv
}

// APIURL is the root of API version v on srv: srv.URL is v1's, v2 is served beside it.
func APIURL(srv *inboxsim.Server, v string) string {
	if v == "v2" {
		return strings.TrimSuffix(srv.URL, "/api/v1") + inboxsim.V2Prefix
	}
	return srv.URL
}

// BackendFor returns a v1 backend talking to srv over HTTP with srv's token. The client-side
// rate limiter is off: tests that study rate limits set them on the simulator.
func BackendFor(t testing.TB, srv *inboxsim.Server) inbox.Backend {
	t.Helper()
	return VersionBackend(t, srv, DefaultVersion)
}

// VersionBackend returns a backend of API version v ("v1" or "v2") talking to srv over HTTP
// with srv's token, without a client-side rate limit.
func VersionBackend(t testing.TB, srv *inboxsim.Server, v string) inbox.Backend {
	t.Helper()
	return versionBackend(t, v, APIURL(srv, v), srv.Token)
}

// BackendWithToken returns a v1 backend for an API root and token. Its idle connections are
// closed when the test ends, before the simulator stops: a connection dialled but never used
// would otherwise hold the simulator's graceful shutdown for five seconds.
func BackendWithToken(t testing.TB, url, token string) inbox.Backend {
	t.Helper()
	return versionBackend(t, DefaultVersion, url, token)
}

// VersionBackendWithToken is BackendWithToken for API version v; url is that version's root
// (see APIURL).
func VersionBackendWithToken(t testing.TB, v, url, token string) inbox.Backend {
	t.Helper()
	return versionBackend(t, v, url, token)
}

// VersionBackendVia is VersionBackend with its requests going through rt: another
// process's view of the same Inbox, or a test's hand on the requests on their way.
func VersionBackendVia(t testing.TB, srv *inboxsim.Server, v string, rt http.RoundTripper) inbox.Backend {
	t.Helper()
	b, err := newBackend(v, APIURL(srv, v), srv.Token, &http.Client{Transport: rt})
	if err != nil {
		t.Fatalf("api client: %v", err)
	}
	return b
}

func versionBackend(t testing.TB, v, url, token string) inbox.Backend {
	t.Helper()
	tr := http.DefaultTransport.(*http.Transport).Clone()
	t.Cleanup(tr.CloseIdleConnections)
	b, err := newBackend(v, url, token, &http.Client{Transport: tr})
	if err != nil {
		t.Fatalf("api client: %v", err)
	}
	return b
}

// newBackend is the backend the server builds for API version v at url with token (see
// internal/server), without a client-side rate limit.
func newBackend(v, url, token string, hc *http.Client) (inbox.Backend, error) {
	if err := checkVersion(v); err != nil {
		return nil, err
	}
	f, err := server.NewFactory(server.API{URL: url, Version: v, Client: clientConfig(hc)})
	if err != nil {
		return nil, err
	}
	return f.For(context.Background(), token)
}

func checkVersion(v string) error {
	if v != "v1" && v != "v2" {
		return fmt.Errorf("testenv: API version %q is unknown: use v1 or v2", v)
	}
	return nil
}

// clientConfig is the API transport of the harness's backends: no client-side rate limit
// (tests that study rate limits set them on the simulator), over hc.
func clientConfig(hc *http.Client) apiclient.Config {
	return apiclient.Config{RatePerMinute: -1, HTTPClient: hc}
}

// Harness is a running MCP server on a simulator, with a client connected to it.
type Harness struct {
	// Version is the API version ("v1", "v2") the backend speaks.
	Version string
	Sim     *inboxsim.Server
	Backend inbox.Backend
	Server  *mcpserver.MCPServer
	Client  *client.Client
}

// New starts a simulator and, on it, the MCP server configured by cfg as the binary builds it
// (internal/server) with the simulator's key and the harness's API version, and connects an
// initialized in-process client. cfg.Backends must be nil: the harness sets it (a test with
// a source of its own builds its server with app.New and connects with Connect). Everything
// stops when the test ends.
func New(t testing.TB, cfg app.Config, opts ...Option) *Harness {
	t.Helper()
	h, stop, err := Start(cfg, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	return h
}

// Start is New for a whole test binary: a TestMain starts one harness, shares it among the
// tests that only read (seeding a simulator is the slow part of these tests, under -race
// especially), and calls stop after the tests ran.
func Start(cfg app.Config, opts ...Option) (h *Harness, stop func(), err error) {
	st := setupOf(opts)
	hs, stop, err := startOn(cfg, st, []string{st.version})
	if err != nil {
		return nil, nil, err
	}
	return hs[st.version], stop, nil
}

// StartVersions starts one simulator and, on it, one harness per API version of Versions,
// by version. The harnesses share the simulator's data: a change made through one shows
// through the others, so they suit tests that only read. A WithAPIVersion option is
// ignored.
func StartVersions(cfg app.Config, opts ...Option) (hs map[string]*Harness, stop func(), err error) {
	return startOn(cfg, setupOf(opts), Versions)
}

// ForVersions runs fn as a subtest named after each API version of Versions, with a fresh
// harness of that version: for tests that change the Inbox.
func ForVersions(t *testing.T, cfg app.Config, fn func(t *testing.T, h *Harness), opts ...Option) {
	t.Helper()
	for _, v := range Versions {
		t.Run(v, func(t *testing.T) {
			fn(t, New(t, cfg, append(append([]Option(nil), opts...), WithAPIVersion(v))...))
		})
	}
}

func startOn(cfg app.Config, st setup, versions []string) (hs map[string]*Harness, stop func(), err error) {
	var stops []func()
	stop = func() {
		for i := len(stops) - 1; i >= 0; i-- {
			stops[i]()
		}
	}
	defer func() {
		if err != nil {
			stop()
		}
	}()
	srv, stopSim, err := startSim(simOptions(st.sim))
	if err != nil {
		return nil, nil, fmt.Errorf("start simulator: %w", err)
	}
	stops = append(stops, stopSim)
	if cfg.Backends != nil {
		return nil, nil, errors.New("testenv: app.Config.Backends is set by the harness: build a server of another source with app.New, and connect to it with Connect")
	}
	hs = map[string]*Harness{}
	for _, v := range versions {
		if err := checkVersion(v); err != nil {
			return nil, nil, err
		}
		h := &Harness{Version: v, Sim: srv}
		tr := http.DefaultTransport.(*http.Transport).Clone()
		stops = append(stops, tr.CloseIdleConnections) // a wrapper may hide it from the server's Close
		var rt http.RoundTripper = tr
		if st.wrap != nil {
			rt = st.wrap(tr)
		}
		s, err := server.New(context.Background(), server.Config{Key: srv.Token, App: cfg,
			API: server.API{URL: APIURL(srv, v), Version: v, Client: clientConfig(&http.Client{Transport: rt})}})
		if err != nil {
			return nil, nil, err
		}
		stops = append(stops, s.Close)
		h.Server = s.MCP
		if h.Backend, _, err = s.Backends.Backend(context.Background()); err != nil {
			return nil, nil, fmt.Errorf("api client: %w", err)
		}
		if h.Client, err = connect(h.Server); err != nil {
			return nil, nil, err
		}
		stops = append(stops, func() { h.Client.Close() })
		hs[v] = h
	}
	return hs, stop, nil
}

// Connect starts an in-process client on s and initializes it with the latest protocol,
// closed when the test ends. Options such as client.WithProtocolVersion select another
// protocol.
func Connect(t testing.TB, s *mcpserver.MCPServer, opts ...client.ClientOption) *client.Client {
	t.Helper()
	c, err := connect(s, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// Approve is the person behind the test clients: they approve every confirmation the
// server asks for (sends, large bulk changes), as after reading it. The clients of New,
// Start and Connect have it; pass client.WithElicitationHandler to Connect for another
// answer, or with nil for a client that cannot ask.
var Approve client.ElicitationHandler = approver{}

type approver struct{}

// Elicit approves.
func (approver) Elicit(context.Context, mcp.ElicitationRequest) (*mcp.ElicitationResult, error) {
	return &mcp.ElicitationResult{ElicitationResponse: mcp.ElicitationResponse{
		Action: mcp.ElicitationResponseActionAccept, Content: map[string]any{"confirm": true}}}, nil
}

func connect(s *mcpserver.MCPServer, opts ...client.ClientOption) (*client.Client, error) {
	opts = append([]client.ClientOption{client.WithElicitationHandler(Approve)}, opts...)
	c, err := client.NewInProcessClientWithOptions(s, opts...)
	if err != nil {
		return nil, err
	}
	ctx := context.Background()
	if err := c.Start(ctx); err != nil {
		return nil, err
	}
	req := mcp.InitializeRequest{}
	req.Params.ProtocolVersion = mcp.LATEST_PROTOCOL_VERSION
	req.Params.ClientInfo = mcp.Implementation{Name: "inbox-mcp-test", Version: "1"}
	if _, err := c.Initialize(ctx, req); err != nil {
		c.Close()
		return nil, fmt.Errorf("initialize: %w", err)
	}
	return c, nil
}

// Call calls a tool and fails the test on a protocol error (an IsError result is returned).
func Call(t testing.TB, c *client.Client, tool string, args map[string]any) *mcp.CallToolResult {
	t.Helper()
	return CallCtx(t, context.Background(), c, tool, args)
}

// CallCtx is Call with a context (for example one carrying a per-request token).
func CallCtx(t testing.TB, ctx context.Context, c *client.Client, tool string, args map[string]any) *mcp.CallToolResult {
	t.Helper()
	var req mcp.CallToolRequest
	req.Params.Name = tool
	req.Params.Arguments = args
	res, err := c.CallTool(ctx, req)
	if err != nil {
		t.Fatalf("%s: protocol error: %v", tool, err)
	}
	return res
}

// Text joins a result's text content.
func Text(r *mcp.CallToolResult) string {
	var b strings.Builder
	for _, c := range r.Content {
		if tc, ok := c.(mcp.TextContent); ok {
			b.WriteString(tc.Text)
		}
	}
	return b.String()
}

// Call calls a tool on the harness's server; see [Call].
func (h *Harness) Call(t testing.TB, tool string, args map[string]any) *mcp.CallToolResult {
	t.Helper()
	return Call(t, h.Client, tool, args)
}

// CallOK calls a tool, fails the test unless it succeeded, and checks its structured content
// against the tool's declared output schema.
func (h *Harness) CallOK(t testing.TB, tool string, args map[string]any) *mcp.CallToolResult {
	t.Helper()
	res := h.Call(t, tool, args)
	if res.IsError {
		t.Fatalf("%s %v: IsError: %s", tool, args, Text(res))
	}
	h.CheckOutput(t, tool, res)
	return res
}

// CheckOutput validates a result's structured content against the tool's output schema.
func (h *Harness) CheckOutput(t testing.TB, tool string, res *mcp.CallToolResult) {
	t.Helper()
	st := h.Server.GetTool(tool)
	if st == nil {
		t.Fatalf("no tool %s", tool)
	}
	if res.StructuredContent == nil {
		t.Fatalf("%s: no structured content", tool)
	}
	schema, err := jsonschema.UnmarshalJSON(bytes.NewReader(st.Tool.RawOutputSchema))
	if err != nil {
		t.Fatal(err)
	}
	comp := jsonschema.NewCompiler()
	if err := comp.AddResource("output.json", schema); err != nil {
		t.Fatal(err)
	}
	sch, err := comp.Compile("output.json")
	if err != nil {
		t.Fatalf("%s: output schema does not compile: %v", tool, err)
	}
	raw, err := json.Marshal(res.StructuredContent)
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(inst); err != nil {
		t.Fatalf("%s: structured content does not match the output schema: %v", tool, err)
	}
}

// Decode turns a result's structured content into a T.
func Decode[T any](t testing.TB, res *mcp.CallToolResult) T {
	t.Helper()
	var v T
	raw, err := json.Marshal(res.StructuredContent)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatalf("decode structured content: %v\n%s", err, raw)
	}
	return v
}
