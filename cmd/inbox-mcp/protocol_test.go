package main

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"
)

// legacyPost posts a session-era message with the given session ID ("" sends none).
func (e *httpEnv) legacyPost(t *testing.T, session, body string) (int, string) {
	t.Helper()
	h := map[string]string{"MCP-Protocol-Version": legacyProtocol}
	if session != "" {
		h["Mcp-Session-Id"] = session
	}
	code, b, _ := e.post(t, body, h)
	return code, b
}

// initSession initializes a session-era client and returns its session ID.
func (e *httpEnv) initSession(t *testing.T) string {
	t.Helper()
	code, body, h := e.post(t, initBody, nil)
	id := h.Get("Mcp-Session-Id")
	if code != http.StatusOK || id == "" {
		t.Fatalf("initialize: HTTP %d, session %q: %s", code, id, body)
	}
	return id
}

// rpcAnswer decodes a JSON-RPC answer sent as JSON or as a one-event SSE stream.
func rpcAnswer(t *testing.T, body string) rpcMsg {
	t.Helper()
	raw := body
	for _, line := range strings.Split(body, "\n") {
		if data, ok := strings.CutPrefix(line, "data:"); ok {
			raw = strings.TrimSpace(data)
		}
	}
	var m rpcMsg
	if err := json.Unmarshal([]byte(raw), &m); err != nil {
		t.Fatalf("not JSON-RPC: %q", body)
	}
	return m
}

// TestHTTPMissingSessionHeader: after initialize, a POST without Mcp-Session-Id is a bad
// request (400), as the transport specification says; 404 means a session that ended.
func TestHTTPMissingSessionHeader(t *testing.T) {
	e := startHTTP(t, config{demo: true}, defaultHTTPLimits)
	session := e.initSession(t)
	code, body := e.legacyPost(t, "", request(2, "tools/list", map[string]any{}))
	if code != http.StatusBadRequest || !strings.Contains(body, "Mcp-Session-Id") {
		t.Errorf("without the header: HTTP %d %q, want 400 naming the header", code, body)
	}
	if code, body := e.legacyPost(t, session, request(3, "tools/list", map[string]any{})); code != http.StatusOK {
		t.Errorf("with the header: HTTP %d %q", code, body)
	}
	if code, _ := e.legacyPost(t, "not-a-session", request(4, "tools/list", map[string]any{})); code != http.StatusNotFound {
		t.Errorf("an unknown session ID: HTTP %d, want 404", code)
	}
}

// TestPromptMissingArgument: prompts/get without a required argument is invalid params
// (-32602) naming the argument, on both transports.
func TestPromptMissingArgument(t *testing.T) {
	t.Parallel()
	get := func(id int, args map[string]any) string {
		return request(id, "prompts/get", map[string]any{"name": "draft_reply", "arguments": args})
	}
	check := func(t *testing.T, m rpcMsg) {
		t.Helper()
		if m.Error == nil || m.Error.Code != mcp.INVALID_PARAMS || !strings.Contains(m.Error.Message, `"to"`) {
			t.Errorf("answer %+v %s, want error %d naming the argument", m.Error, m.Result, mcp.INVALID_PARAMS)
		}
	}
	t.Run("http", func(t *testing.T) {
		e := startHTTP(t, config{demo: true}, defaultHTTPLimits)
		session := e.initSession(t)
		for i, args := range []map[string]any{nil, {"to": "  "}, {"goal": "book a call"}} {
			code, body := e.legacyPost(t, session, get(10+i, args))
			if code != http.StatusOK {
				t.Fatalf("HTTP %d %q", code, body)
			}
			check(t, rpcAnswer(t, body))
		}
		_, body := e.legacyPost(t, session, get(20, map[string]any{"to": "@jordan"}))
		if m := rpcAnswer(t, body); m.Error != nil {
			t.Errorf("with the argument: %+v", m.Error)
		}
	})
	t.Run("stdio", func(t *testing.T) {
		p := startStdio(t, "--demo")
		io.WriteString(p.stdin, request(1, "initialize", initializeParams())+"\n")
		p.await(t, "1")
		io.WriteString(p.stdin, get(2, map[string]any{})+"\n")
		check(t, p.await(t, "2"))
		io.WriteString(p.stdin, get(3, map[string]any{"to": "@jordan"})+"\n")
		if m := p.await(t, "3"); m.Error != nil {
			t.Errorf("with the argument: %+v", m.Error)
		}
	})
}
