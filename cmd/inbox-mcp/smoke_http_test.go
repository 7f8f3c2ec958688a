package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os/exec"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/inbox-mcp/inbox-mcp/inboxsim"
)

// The smoke tests over streamable HTTP: the demo, and a key per request.

// httpServer runs the binary over streamable HTTP on a free port and returns its /mcp URL
// (read from its JSON start-up log) and a function that stops it with SIGTERM and checks
// that it exited cleanly.
func httpServer(t *testing.T, args []string, env ...string) (string, func()) {
	t.Helper()
	args = append(args, "--transport", "http", "--addr", "127.0.0.1:0", "--log-format", "json")
	cmd := exec.Command(binary(t), args...)
	cmd.Env = cleanEnv(t, env...)
	var stdout syncBuffer
	cmd.Stdout = &stdout
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var logs syncBuffer
	urlc := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			logs.Write(append(sc.Bytes(), '\n'))
			var rec struct{ Msg, URL string }
			if json.Unmarshal(sc.Bytes(), &rec) != nil {
				continue
			}
			if rec.URL != "" && strings.HasPrefix(rec.Msg, "serving MCP over streamable HTTP") {
				urlc <- rec.URL
			}
		}
	}()
	var url string
	select {
	case url = <-urlc:
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("the server did not report its URL; stderr:\n%s", logs.String())
	}
	stop := func() {
		t.Helper()
		if runtime.GOOS != "windows" {
			cmd.Process.Signal(syscall.SIGTERM)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("exit after SIGTERM: %v; stderr:\n%s", err, logs.String())
			}
		case <-time.After(20 * time.Second):
			cmd.Process.Kill()
			t.Errorf("still running 20s after SIGTERM; stderr:\n%s", logs.String())
		}
		if stdout.String() != "" {
			t.Errorf("stdout must stay empty in HTTP mode, got %q", stdout.String())
		}
	}
	return url, stop
}

// httpSession is a session-era client's state: the session ID initialize handed out.
type httpSession struct {
	url, token, id string
}

// post sends one JSON-RPC request as a session-era client does and decodes the answer,
// which comes as JSON or as a one-event SSE stream.
func (hs *httpSession) post(t *testing.T, body string) (int, rpcMsg) {
	t.Helper()
	req, _ := http.NewRequest("POST", hs.url, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	req.Header.Set("MCP-Protocol-Version", legacyProtocol)
	if hs.token != "" {
		req.Header.Set("Authorization", "Bearer "+hs.token)
	}
	if hs.id != "" {
		req.Header.Set("Mcp-Session-Id", hs.id)
	}
	// No deadline of the test's own (a loaded machine may be slow); go test's -timeout ends
	// a request that hangs.
	resp, err := http.DefaultClient.Do(req.WithContext(t.Context()))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if id := resp.Header.Get("Mcp-Session-Id"); id != "" {
		hs.id = id
	}
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return resp.StatusCode, rpcMsg{}
	}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		for _, line := range strings.Split(string(raw), "\n") {
			if data, ok := strings.CutPrefix(line, "data:"); ok {
				raw = []byte(strings.TrimSpace(data))
			}
		}
	}
	var m rpcMsg
	if err := json.Unmarshal(raw, &m); err != nil || m.JSONRPC != "2.0" {
		t.Fatalf("answer is not JSON-RPC: %q", raw)
	}
	return resp.StatusCode, m
}

// callTool posts a tools/call and returns its result.
func (hs *httpSession) callTool(t *testing.T, name string, args map[string]any) toolResult {
	t.Helper()
	code, m := hs.post(t, request(7, "tools/call", map[string]any{"name": name, "arguments": args}))
	if code != http.StatusOK || m.Error != nil {
		t.Fatalf("tools/call %s: HTTP %d, error %+v", name, code, m.Error)
	}
	var tr toolResult
	if err := json.Unmarshal(m.Result, &tr); err != nil {
		t.Fatal(err)
	}
	return tr
}

// connect initializes a session-era client and lists the tools.
func connect(t *testing.T, url, token string) *httpSession {
	t.Helper()
	hs := &httpSession{url: url, token: token}
	code, m := hs.post(t, request(1, "initialize", initializeParams()))
	if code != http.StatusOK || m.Error != nil || !strings.Contains(string(m.Result), `"inbox-mcp"`) {
		t.Fatalf("initialize: HTTP %d %s %+v", code, m.Result, m.Error)
	}
	if hs.id == "" {
		t.Fatal("initialize handed out no session ID")
	}
	code, m = hs.post(t, request(2, "tools/list", map[string]any{}))
	if code != http.StatusOK || !strings.Contains(string(m.Result), `"list_threads"`) {
		t.Fatalf("tools/list: HTTP %d %s %+v", code, m.Result, m.Error)
	}
	return hs
}

func TestSmokeHTTPDemo(t *testing.T) {
	url, stop := httpServer(t, []string{"--demo"})
	stopped := false
	defer func() {
		if !stopped {
			stop()
		}
	}()
	hs := connect(t, url, "")
	tr := hs.callTool(t, "get_directory", map[string]any{})
	if tr.IsError || !strings.Contains(string(tr.StructuredContent), `"accounts"`) {
		t.Errorf("get_directory: %+v", tr)
	}
	// Session IDs are checked for their form only, so a session from another instance (or
	// from before a restart) is served too.
	other := &httpSession{url: url, id: "mcp-session-6a3b7e4e-3f7a-4f0a-9f5e-1c2d3e4f5a6b"}
	if code, m := other.post(t, request(3, "tools/list", map[string]any{})); code != http.StatusOK || m.Error != nil {
		t.Errorf("tools/list with a session ID this process never issued: HTTP %d, %+v", code, m.Error)
	}

	// A client of the current protocol (mcp-go's own, 2026-07-28: no sessions, method
	// headers) is served by the same endpoint.
	ctx := t.Context()
	mc, err := client.NewStreamableHttpClient(url)
	if err != nil {
		t.Fatal(err)
	}
	defer mc.Close()
	if err := mc.Start(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := mc.Initialize(ctx, mcp.InitializeRequest{}); err != nil {
		t.Fatalf("initialize (current protocol): %v", err)
	}
	res, err := mc.CallTool(ctx, mcp.CallToolRequest{Params: mcp.CallToolParams{Name: "list_threads", Arguments: map[string]any{"inbox": "archived", "limit": 2}}})
	if err != nil || res.IsError {
		t.Fatalf("list_threads (current protocol): %+v, %v", res, err)
	}

	// DNS-rebinding protection: a loopback server refuses a foreign Host header.
	req, _ := http.NewRequest("POST", url, strings.NewReader(request(1, "initialize", initializeParams())))
	req.Host = "attacker.example"
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("request with Host attacker.example: HTTP %d, want 403", resp.StatusCode)
	}

	// A session-era client's notification stream stays open until the server stops; it
	// must not hold up a graceful shutdown.
	req, _ = http.NewRequest("GET", url, nil)
	req.Header.Set("Accept", "text/event-stream")
	req.Header.Set("MCP-Protocol-Version", legacyProtocol)
	req.Header.Set("Mcp-Session-Id", hs.id)
	stream, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer stream.Body.Close()
	if stream.StatusCode != http.StatusOK || !strings.HasPrefix(stream.Header.Get("Content-Type"), "text/event-stream") {
		t.Fatalf("GET stream: HTTP %d %s", stream.StatusCode, stream.Header.Get("Content-Type"))
	}
	start := time.Now()
	stopped = true
	stop()
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("shutdown with an open notification stream took %v", d)
	}
}

// TestSmokeHTTPPerRequestToken runs the server without a key against a simulator started
// here, as a team deployment would run against the real API: each request brings its key.
func TestSmokeHTTPPerRequestToken(t *testing.T) {
	t.Parallel()
	binary(t) // before starting the simulator, so -short skips both
	ctx := context.Background()
	sim, err := inboxsim.Start(ctx, "", inboxsim.Options{Seed: 1, RateLimit: inboxsim.RateLimits{Disabled: true}})
	if err != nil {
		t.Fatal(err)
	}
	defer sim.Close()

	url, stop := httpServer(t, nil, "INBOX_API_URL="+sim.URL)
	defer stop()

	// Without a key, the protocol works and a tool says how to send one.
	tr := connect(t, url, "").callTool(t, "list_threads", map[string]any{"limit": 2})
	if !tr.IsError || len(tr.Content) == 0 || !strings.Contains(tr.Content[0].Text, "Authorization: Bearer") {
		t.Errorf("call without a key: %+v", tr)
	}
	// With the key, the call reaches the team's Inbox.
	tr = connect(t, url, sim.Token).callTool(t, "list_threads", map[string]any{"limit": 2})
	if tr.IsError || !strings.Contains(string(tr.StructuredContent), `"threads"`) {
		t.Errorf("call with the key: %+v", tr)
	}
	// A wrong key is the API's 401, reported as a tool error.
	tr = connect(t, url, "not-a-valid-key").callTool(t, "list_threads", map[string]any{"limit": 2})
	if !tr.IsError || !strings.Contains(strings.ToLower(tr.Content[0].Text), "key") {
		t.Errorf("call with a wrong key: %+v", tr)
	}
}
