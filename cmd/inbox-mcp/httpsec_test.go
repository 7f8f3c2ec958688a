package main

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/inbox-mcp/inbox-mcp/inboxsim"
	inboxserver "github.com/inbox-mcp/inbox-mcp/internal/server"
	"github.com/inbox-mcp/inbox-mcp/internal/testenv"
)

// httpEnv is the HTTP transport of the binary, in process, on a loopback port, in front of
// a simulator: what the tests of its security checks talk to.
type httpEnv struct {
	url  string
	sim  *inboxsim.Server
	logs *syncBuffer // every log line, at debug level, as JSON
}

// startHTTP serves cfg (without a key: each request brings its own, checked by the
// simulator; with cfg.apiKey: the simulator's) with the given limits.
func startHTTP(t testing.TB, cfg config, lim httpLimits, simOpts ...func(*inboxsim.Options)) *httpEnv {
	t.Helper()
	e := &httpEnv{sim: testenv.Sim(t, simOpts...), logs: &syncBuffer{}}
	logger := newLogger(e.logs, "json", slog.LevelDebug)
	cfg.transport, cfg.apiURL, cfg.rateLimit = transportHTTP, e.sim.URL, 100000
	if cfg.apiKey != "" {
		cfg.apiKey = e.sim.Token
	}
	ctx, cancel := context.WithCancel(context.Background())
	sc := cfg.server("", logger)
	sc.SendJournal = false // sends, if any, are checked against the thread: no journal in the user's cache
	srv, err := inboxserver.New(ctx, sc)
	if err != nil {
		t.Fatal(err)
	}
	tr := newHTTPTransport(ctx, srv, cfg, logger, lim)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go tr.srv.Serve(ln)
	t.Cleanup(func() {
		sctx, scancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer scancel()
		tr.mcp.Shutdown(sctx)
		tr.srv.Shutdown(sctx)
		cancel()
		srv.Close()
	})
	e.url = "http://" + ln.Addr().String() + "/mcp"
	return e
}

// post sends an initialize as a session-era client would, with extra headers.
func (e *httpEnv) post(t *testing.T, body string, header map[string]string) (int, string, http.Header) {
	t.Helper()
	req, _ := http.NewRequest("POST", e.url, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

// connectMCP connects a client of the current protocol with the given headers.
func (e *httpEnv) connectMCP(t *testing.T, header map[string]string) *client.Client {
	t.Helper()
	c, err := client.NewStreamableHttpClient(e.url, transport.WithHTTPHeaders(header))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	ctx := context.Background()
	if err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Initialize(ctx, mcp.InitializeRequest{}); err != nil {
		t.Fatalf("initialize: %v", err)
	}
	return c
}

var initBody = request(1, "initialize", initializeParams())

func TestHTTPOrigins(t *testing.T) {
	e := startHTTP(t, config{demo: true, allowedOrigins: []string{"https://app.example.com"}}, defaultHTTPLimits)
	tests := []struct {
		origin string
		want   int
	}{
		{"", http.StatusOK}, // not a browser
		{"http://localhost:6274", http.StatusOK},
		{"http://127.0.0.1:3000", http.StatusOK},
		{"http://[::1]:3000", http.StatusOK},
		{"https://app.example.com", http.StatusOK},
		{"https://APP.example.com/", http.StatusOK},
		{"https://evil.example", http.StatusForbidden},
		{"https://app.example.com.evil.example", http.StatusForbidden},
		{"http://localhost.evil.example", http.StatusForbidden},
		{"null", http.StatusForbidden},
		{"file://", http.StatusForbidden},
	}
	for _, tt := range tests {
		h := map[string]string{}
		if tt.origin != "" {
			h["Origin"] = tt.origin
		}
		if code, body, _ := e.post(t, initBody, h); code != tt.want {
			t.Errorf("Origin %q: HTTP %d (%s), want %d", tt.origin, code, body, tt.want)
		}
	}
	// mcp-go's DNS-rebinding check stays in place behind ours.
	req, _ := http.NewRequest("POST", e.url, strings.NewReader(initBody))
	req.Host = "attacker.example"
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("foreign Host: HTTP %d, want 403", resp.StatusCode)
	}
}

func TestHTTPMCPToken(t *testing.T) {
	e := startHTTP(t, config{demo: true, mcpToken: goodMCPToken}, defaultHTTPLimits)
	for _, auth := range []string{"", "Bearer", "Bearer wrong-token-of-good-length", "Basic " + goodMCPToken, "Bearer " + goodMCPToken + "x", "Bearer " + goodMCPToken[:20]} {
		code, body, h := e.post(t, initBody, map[string]string{"Authorization": auth})
		if code != http.StatusUnauthorized || !strings.HasPrefix(h.Get("WWW-Authenticate"), "Bearer") || strings.Contains(body, goodMCPToken) {
			t.Errorf("Authorization %q: HTTP %d %q, WWW-Authenticate %q", auth, code, body, h.Get("WWW-Authenticate"))
		}
	}
	if code, body, _ := e.post(t, initBody, map[string]string{"Authorization": "bearer " + goodMCPToken}); code != http.StatusOK {
		t.Fatalf("right token: HTTP %d %s", code, body)
	}
	c := e.connectMCP(t, map[string]string{"Authorization": "Bearer " + goodMCPToken})
	res, err := c.CallTool(context.Background(), mcp.CallToolRequest{Params: mcp.CallToolParams{Name: "get_directory", Arguments: map[string]any{}}})
	if err != nil || res.IsError {
		t.Fatalf("a call with the token: %+v %v", res, err)
	}
	// /healthz tells nothing and needs nothing.
	resp, err := http.Get(strings.TrimSuffix(e.url, "/mcp") + "/healthz")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("healthz: %v %v", resp, err)
	}
	resp.Body.Close()
}

func TestHTTPBodyLimit(t *testing.T) {
	lim := defaultHTTPLimits
	lim.maxBody = 4 << 10
	e := startHTTP(t, config{demo: true}, lim)
	big := `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"pad":"` + strings.Repeat("x", 8<<10) + `"}}`
	if code, _, _ := e.post(t, big, nil); code != http.StatusRequestEntityTooLarge {
		t.Errorf("oversized body with Content-Length: HTTP %d, want 413", code)
	}
	// Without a Content-Length (chunked), the limit applies while reading.
	req, _ := http.NewRequest("POST", e.url, io.MultiReader(strings.NewReader(big)))
	req.ContentLength = -1
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("oversized chunked body: HTTP %d, want 413", resp.StatusCode)
	}
	if code, body, _ := e.post(t, initBody, nil); code != http.StatusOK {
		t.Errorf("a small body: HTTP %d %s", code, body)
	}
}

// TestHTTPLongCallOutlivesTimeouts: a tool call that takes longer than the server's read
// and write time-outs still answers: its answer has a write deadline of its own.
//
// The verdict holds at any speed: the simulator's added latency alone outlasts the
// time-outs, so a slow machine only makes the call longer. The time-outs are a second, not
// less, because the session's own set-up requests must still have their headers read within
// them (the bytes are already on the socket; only a stall of a whole second could fail it).
func TestHTTPLongCallOutlivesTimeouts(t *testing.T) {
	lim := defaultHTTPLimits
	lim.read, lim.write, lim.readHeader = time.Second, time.Second, time.Second
	e := startHTTP(t, config{apiKey: "sim"}, lim)
	c := e.connectMCP(t, nil)
	e.sim.Sim.SetFaults(inboxsim.Faults{Latency: lim.read + 200*time.Millisecond})
	start := time.Now()
	res, err := c.CallTool(context.Background(), mcp.CallToolRequest{Params: mcp.CallToolParams{Name: "list_threads", Arguments: map[string]any{"limit": 2}}})
	if err != nil || res.IsError {
		t.Fatalf("a %s call: %+v %v", time.Since(start), res, err)
	}
	if time.Since(start) < lim.read {
		t.Fatalf("the call took %s: it did not outlast the time-outs, so it tests nothing", time.Since(start))
	}
}

// TestHTTPPerRequestKeys: with an MCP token, the Inbox key comes in X-Inbox-Api-Key; the
// key reaches the API and nothing else: not the logs (at debug), not the per-key clients
// the server keeps.
func TestHTTPPerRequestKeys(t *testing.T) {
	const key = "inbox-key-7f3a9c1e5b2d4f60"
	e := startHTTP(t, config{mcpToken: goodMCPToken}, defaultHTTPLimits, func(o *inboxsim.Options) { o.Tokens = []string{key} })
	ctx := context.Background()

	noKey := e.connectMCP(t, map[string]string{"Authorization": "Bearer " + goodMCPToken})
	res, err := noKey.CallTool(ctx, mcp.CallToolRequest{Params: mcp.CallToolParams{Name: "list_threads", Arguments: map[string]any{"limit": 1}}})
	if err != nil || !res.IsError || !strings.Contains(testenv.Text(res), "X-Inbox-Api-Key") {
		t.Fatalf("without a key: %+v %v", res, err)
	}
	// The MCP token is not an Inbox key, even where Authorization would carry one.
	c := e.connectMCP(t, map[string]string{"Authorization": "Bearer " + goodMCPToken, "X-Inbox-Api-Key": key})
	for _, name := range []string{"list_threads", "get_directory", "triage_digest"} {
		res, err := c.CallTool(ctx, mcp.CallToolRequest{Params: mcp.CallToolParams{Name: name, Arguments: map[string]any{}}})
		if err != nil || res.IsError {
			t.Fatalf("%s with the key: %+v %v", name, res, err)
		}
	}
	wrong := e.connectMCP(t, map[string]string{"Authorization": "Bearer " + goodMCPToken, "X-Inbox-Api-Key": "wrong-" + key})
	res, err = wrong.CallTool(ctx, mcp.CallToolRequest{Params: mcp.CallToolParams{Name: "get_directory", Arguments: map[string]any{}}})
	if err != nil || !res.IsError {
		t.Fatalf("with a wrong key: %+v %v", res, err)
	}
	logs := e.logs.String()
	if !strings.Contains(logs, `"level":"DEBUG"`) {
		t.Fatal("no debug logs were written: the check below would prove nothing")
	}
	for _, secret := range []string{key, goodMCPToken} {
		if strings.Contains(logs, secret) || strings.Contains(testenv.Text(res), secret) {
			t.Errorf("a secret is in the logs or a tool error:\n%s", logs)
		}
	}
}
