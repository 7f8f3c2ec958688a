package main

import (
	"net/http"
	"strings"
	"testing"
)

// TestHTTPSubscribeNeedsSession: over HTTP, only a session this server initialized may
// subscribe, and in per-request-key mode only with a key.
func TestHTTPSubscribeNeedsSession(t *testing.T) {
	sub := request(5, "resources/subscribe", map[string]any{"uri": "inbox://directory/tags"})
	subscribe := func(t *testing.T, e *httpEnv, session string, header map[string]string) rpcMsg {
		t.Helper()
		h := map[string]string{"MCP-Protocol-Version": legacyProtocol, "Mcp-Session-Id": session}
		for k, v := range header {
			h[k] = v
		}
		code, body, _ := e.post(t, sub, h)
		if code != http.StatusOK {
			t.Fatalf("HTTP %d %q", code, body)
		}
		return rpcAnswer(t, body)
	}
	t.Run("key held", func(t *testing.T) {
		e := startHTTP(t, config{demo: true}, defaultHTTPLimits)
		if m := subscribe(t, e, e.initSession(t), nil); m.Error != nil {
			t.Errorf("an initialized session: %+v", m.Error)
		}
		m := subscribe(t, e, randomSessionID(), nil)
		if m.Error == nil || !strings.Contains(m.Error.Message, "initialize") {
			t.Errorf("a session never initialized: %+v, want a refusal that says to initialize", m.Error)
		}
	})
	t.Run("per-request keys", func(t *testing.T) {
		e := startHTTP(t, config{}, defaultHTTPLimits)
		key := map[string]string{"Authorization": "Bearer " + e.sim.Token}
		code, body, h := e.post(t, initBody, key)
		session := h.Get("Mcp-Session-Id")
		if code != http.StatusOK || session == "" {
			t.Fatalf("initialize: HTTP %d %q", code, body)
		}
		m := subscribe(t, e, session, nil)
		if m.Error == nil || !strings.Contains(m.Error.Message, "API key") {
			t.Errorf("without a key: %+v, want a refusal that asks for the key", m.Error)
		}
		if m := subscribe(t, e, session, key); m.Error != nil {
			t.Errorf("with the key: %+v", m.Error)
		}
	})
}
