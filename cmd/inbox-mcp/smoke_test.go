package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// These tests run the real server (this test binary, see TestMain) and talk to it the way MCP
// clients do: JSON-RPC lines over stdio, and POSTs over streamable HTTP.

const smokeVersion = "v0.0.0-smoke"

// legacyProtocol is the protocol version the TypeScript SDK (Claude Desktop, Cursor,
// VS Code) negotiates: session-era, initialize first.
const legacyProtocol = "2025-11-25"

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

func TestMain(m *testing.M) {
	// This test binary doubles as the inbox-mcp binary. binary() links it under the name
	// inbox-mcp, and run under that name it is the server itself: main with the version a
	// release build sets through -ldflags, built exactly as the tests are (race detector
	// included), with no go build of its own.
	if filepath.Base(os.Args[0]) == serverName {
		version = smokeVersion
		main()
		return
	}
	dir, err := os.MkdirTemp("", "inbox-mcp-smoke-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binPath = filepath.Join(dir, serverName)
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// serverName is the name under which the test binary runs as the server.
const serverName = "inbox-mcp"

// binary returns the path of the server binary: a link to this test binary (see TestMain).
func binary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("runs the binary; skipped with -short")
	}
	buildOnce.Do(func() {
		exe, err := os.Executable()
		if err == nil {
			err = os.Symlink(exe, binPath)
		}
		if err != nil {
			buildErr = fmt.Errorf("link the test binary as %s: %v", serverName, err)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// cleanEnv is the environment of the binary: none of the developer's INBOX_ settings.
// Its cache directory (where the send journal lives) belongs to the test: one directory for a
// test and its subtests, so that a restarted binary finds what it left, no test writes to the
// cache of the user running it, and tests running in parallel do not share a journal. extra
// may name another.
func cleanEnv(t testing.TB, extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, envPrefix) && !strings.HasPrefix(kv, "XDG_CACHE_HOME=") {
			env = append(env, kv)
		}
	}
	top, _, _ := strings.Cut(t.Name(), "/")
	env = append(env, "XDG_CACHE_HOME="+filepath.Join(filepath.Dir(binPath), "cache", top))
	return append(env, extra...)
}

// syncBuffer is a bytes.Buffer safe for the writer goroutine of exec and a reader.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestSmokeVersion(t *testing.T) {
	t.Parallel()
	out, err := exec.Command(binary(t), "--version").Output()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimSpace(string(out)); got != "inbox-mcp "+smokeVersion {
		t.Errorf("--version printed %q, want %q", got, "inbox-mcp "+smokeVersion)
	}
}

func TestSmokeHelp(t *testing.T) {
	t.Parallel()
	out, err := exec.Command(binary(t), "--help").Output()
	if err != nil {
		t.Fatalf("--help: %v", err)
	}
	if !strings.Contains(string(out), "--demo") || !strings.Contains(string(out), "INBOX_API_KEY") {
		t.Errorf("--help output lacks the essentials:\n%s", out)
	}
}

func TestSmokeNoKey(t *testing.T) {
	t.Parallel()
	cmd := exec.Command(binary(t))
	cmd.Env = cleanEnv(t)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	ee, ok := err.(*exec.ExitError)
	if !ok || ee.ExitCode() != exitConfig {
		t.Fatalf("exit: %v, want code %d", err, exitConfig)
	}
	for _, want := range []string{"no Inbox API key", "INBOX_API_KEY", "--api-key-file", "--demo"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr.String())
		}
	}
	if stdout.Len() != 0 {
		t.Errorf("stdout must stay empty, got %q", stdout.String())
	}
}

// rpcMsg is a JSON-RPC message as read off the wire.
type rpcMsg struct {
	JSONRPC string          `json:"jsonrpc"`
	ID      json.RawMessage `json:"id"`
	Method  string          `json:"method"`
	Result  json.RawMessage `json:"result"`
	Error   *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

func request(id int, method string, params any) string {
	b, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": id, "method": method, "params": params})
	return string(b)
}

func initializeParams() map[string]any {
	return map[string]any{
		"protocolVersion": legacyProtocol,
		"capabilities":    map[string]any{},
		"clientInfo":      map[string]any{"name": "smoke-test", "version": "1"},
	}
}

// toolResult is the part of a tools/call result the checks read.
type toolResult struct {
	IsError           bool                    `json:"isError"`
	Content           []struct{ Text string } `json:"content"`
	StructuredContent json.RawMessage         `json:"structuredContent"`
}

func TestSmokeStdio(t *testing.T) {
	t.Parallel()
	cmd := exec.Command(binary(t), "--demo", "--log-level", "debug")
	cmd.Env = cleanEnv(t)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr syncBuffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()

	// Every line on stdout must be a JSON-RPC message; collect responses by id.
	responses := make(chan rpcMsg, 16)
	readErr := make(chan error, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		sc.Buffer(make([]byte, 0, 1<<20), 16<<20)
		for sc.Scan() {
			var m rpcMsg
			if err := json.Unmarshal(sc.Bytes(), &m); err != nil || m.JSONRPC != "2.0" {
				readErr <- fmt.Errorf("stdout carried a line that is not JSON-RPC 2.0: %.200q", sc.Text())
				return
			}
			responses <- m
		}
		close(responses)
		readErr <- sc.Err()
	}()
	await := func(id string) rpcMsg {
		t.Helper()
		timeout := time.After(60 * time.Second)
		for {
			select {
			case m, ok := <-responses:
				if !ok {
					t.Fatalf("stdout closed before the answer to %s; stderr:\n%s", id, stderr.String())
				}
				if string(m.ID) == id {
					return m
				}
			case err := <-readErr:
				t.Fatalf("%v; stderr:\n%s", err, stderr.String())
			case <-timeout:
				t.Fatalf("no answer to request %s within 60s; stderr:\n%s", id, stderr.String())
			}
		}
	}
	send := func(line string) {
		t.Helper()
		if _, err := io.WriteString(stdin, line+"\n"); err != nil {
			t.Fatal(err)
		}
	}

	send(request(1, "initialize", initializeParams()))
	init := await("1")
	if init.Error != nil {
		t.Fatalf("initialize: %+v", init.Error)
	}
	var ir struct {
		ProtocolVersion string `json:"protocolVersion"`
		ServerInfo      struct{ Name, Version string }
	}
	json.Unmarshal(init.Result, &ir)
	if ir.ServerInfo.Name != "inbox-mcp" || ir.ServerInfo.Version != smokeVersion || ir.ProtocolVersion != legacyProtocol {
		t.Errorf("initialize result: %s", init.Result)
	}
	send(`{"jsonrpc":"2.0","method":"notifications/initialized"}`)

	send(request(2, "tools/list", map[string]any{}))
	tl := await("2")
	var tools struct{ Tools []struct{ Name string } }
	if err := json.Unmarshal(tl.Result, &tools); err != nil || len(tools.Tools) == 0 {
		t.Fatalf("tools/list: %s (%v)", tl.Result, err)
	}
	names := map[string]bool{}
	for _, tool := range tools.Tools {
		names[tool.Name] = true
	}
	for _, want := range []string{"list_threads", "send_reply"} {
		if !names[want] {
			t.Errorf("tools/list lacks %s: %v", want, names)
		}
	}

	send(request(3, "tools/call", map[string]any{"name": "list_threads", "arguments": map[string]any{"inbox": "no-reply", "limit": 3}}))
	call := await("3")
	var tr toolResult
	if call.Error != nil || json.Unmarshal(call.Result, &tr) != nil || tr.IsError {
		t.Fatalf("tools/call list_threads failed: %s %+v", call.Result, call.Error)
	}
	var list struct {
		Threads []json.RawMessage `json:"threads"`
		HasMore bool              `json:"has_more"`
	}
	if err := json.Unmarshal(tr.StructuredContent, &list); err != nil || len(list.Threads) != 3 || !list.HasMore {
		t.Errorf("list_threads on the demo data: %d threads, has_more %v (%v): %s", len(list.Threads), list.HasMore, err, tr.StructuredContent)
	}

	// Closing stdin is how a client says goodbye: the server must exit cleanly.
	// The reader must reach the end of stdout before Wait closes the pipe (os/exec: Wait
	// must not be called before all reads have completed), or it may read a closed file: the
	// order is fixed by the channel, not by timing. The 60 s bound is only a hang guard.
	stdin.Close()
	select {
	case err := <-readErr:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(60 * time.Second):
		t.Fatalf("stdout still open 60s after stdin closed; stderr:\n%s", stderr.String())
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("exit after stdin closed: %v; stderr:\n%s", err, stderr.String())
	}
	logs := stderr.String()
	if !strings.Contains(logs, "serving MCP over stdio") || !strings.Contains(logs, "demo mode") {
		t.Errorf("stderr lacks the start-up logs:\n%s", logs)
	}
}
