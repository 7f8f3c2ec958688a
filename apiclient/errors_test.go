package apiclient

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestDecodeError(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name      string
		status    int
		header    http.Header
		body      string
		wantCode  string
		wantMsg   string
		wantRetry time.Duration
	}{
		{"nested", 404, nil, `{"error":{"code":"THREAD_NOT_FOUND","message":"Thread not found","status":404}}`, "THREAD_NOT_FOUND", "Thread not found", 0},
		{"flat", 401, nil, `{"error":"Unauthorized","message":"Invalid or missing authentication token"}`, "UNAUTHORIZED", "Invalid or missing authentication token", 0},
		{"flat without message", 403, nil, `{"error":"Forbidden"}`, "FORBIDDEN", "Forbidden", 0},
		{"top-level code", 409, nil, `{"code":"DUPLICATE","message":"exists"}`, "DUPLICATE", "exists", 0},
		{"empty body", 500, nil, ``, "HTTP_500", "Internal Server Error", 0},
		{"html body", 502, nil, `<html><body>Bad gateway</body></html>`, "HTTP_502", "Bad Gateway", 0},
		{"nested without code", 422, nil, `{"error":{"message":"name is too long"}}`, "HTTP_422", "name is too long", 0},
		{"rate limited", 429, http.Header{"Retry-After": {"60"}}, `{"error":{"code":"RATE_LIMITED","message":"Rate limit exceeded. Try again in 60 seconds.","status":429}}`, "RATE_LIMITED", "Rate limit exceeded. Try again in 60 seconds.", time.Minute},
		{"retry-after date", 429, http.Header{"Retry-After": {now.Add(90 * time.Second).Format(http.TimeFormat)}}, ``, "HTTP_429", "Too Many Requests", 0},
		{"redirect", 301, http.Header{"Location": {"https://inboxapp.com/api/v1/team"}}, ``, "HTTP_301", "unexpected redirect to https://inboxapp.com/api/v1/team: check that BaseURL is the API root (https://.../api/v1)", 0},
		{"token echoed", 401, nil, `{"error":{"code":"UNAUTHORIZED","message":"token ` + testToken + ` is revoked"}}`, "UNAUTHORIZED", "token [redacted] is revoked", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := tt.header
			if h == nil {
				h = http.Header{}
			}
			e := decodeError("GET", "/x", tt.status, h, []byte(tt.body), testToken)
			if e.StatusCode != tt.status || e.Code != tt.wantCode || e.Message != tt.wantMsg {
				t.Fatalf("got %d %q %q, want %d %q %q", e.StatusCode, e.Code, e.Message, tt.status, tt.wantCode, tt.wantMsg)
			}
			if tt.name != "retry-after date" && e.RetryAfter != tt.wantRetry {
				t.Fatalf("RetryAfter = %s, want %s", e.RetryAfter, tt.wantRetry)
			}
		})
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	tests := map[string]time.Duration{
		"":         0,
		"60":       time.Minute,
		"0.5":      500 * time.Millisecond,
		"-3":       0,
		"soon":     0,
		"99999999": 0,
		now.Add(2 * time.Minute).Format(http.TimeFormat): 2 * time.Minute,
		now.Add(-time.Minute).Format(http.TimeFormat):    0,
	}
	for in, want := range tests {
		if got := parseRetryAfter(in, now); got != want {
			t.Errorf("parseRetryAfter(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestErrorText(t *testing.T) {
	e := &Error{StatusCode: 429, Code: "RATE_LIMITED", Message: "slow down", RetryAfter: 1500 * time.Millisecond, Method: "GET", Path: "/threads"}
	want := "inbox api: GET /threads: 429 RATE_LIMITED: slow down (retry after 2s)"
	if e.Error() != want {
		t.Fatalf("Error() = %q, want %q", e.Error(), want)
	}
	wrapped := fmt.Errorf("listing: %w", e)
	if !IsRateLimited(wrapped) || isNotFound(wrapped) || IsAuth(wrapped) || !e.Temporary() {
		t.Fatal("helpers do not see through wrapping")
	}
	if isNotFound(errors.New("404")) || isServer(nil) {
		t.Fatal("helpers match non-API errors")
	}
}

// TestTokenNeverLeaks drives every path that produces text (errors, debug logs, printed
// values) with a distinctive token and a server that echoes it back.
func TestTokenNeverLeaks(t *testing.T) {
	echo := func(code int) step {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(code)
			_ = json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{
				"code": "UNAUTHORIZED", "message": "bad header: " + r.Header.Get("Authorization"), "status": code}})
		}
	}
	srv := newScripted(t, echo(401), echo(500), drop, truncated, okJSON(`{"ok":true}`), echo(400), echo(503))
	logs := &logBuffer{}
	cfg := Config{BaseURL: srv.URL + "/api/v1", Token: testToken, Logger: debugLogger(logs), RatePerMinute: 6000, Retry: RetryPolicy{Attempts: 2}, VerifyDelay: time.Millisecond}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()

	var texts []string
	ctx := context.Background()
	for range 4 {
		if err := c.Do(ctx, Request{Method: "GET", Path: "/team"}, nil); err != nil {
			texts = append(texts, err.Error(), fmt.Sprintf("%v|%+v|%#v", err, err, err))
		}
	}
	so := c.Send(ctx, Request{Method: "POST", Path: "/threads/a/messages", Body: map[string]string{"content": "hi"}}, nil,
		func(context.Context) (Verification, error) {
			return Verification{}, errors.New("read-back failed")
		})
	texts = append(texts, so.Reason, so.Checked, fmt.Sprintf("%v|%+v|%#v", so, so, so))
	texts = append(texts,
		fmt.Sprintf("%v|%+v|%#v|%s", cfg, cfg, cfg, cfg),
		fmt.Sprintf("%v|%+v|%#v|%s", &cfg, &cfg, &cfg, &cfg),
		fmt.Sprintf("%v|%+v|%#v|%s", c, c, c, c),
		fmt.Sprintf("%v|%+v|%#v", *c, *c, *c),
		logs.String())
	// A config logged as a structured value stays redacted too.
	debugLogger(logs).Info("config", "cfg", cfg)
	texts = append(texts, logs.String())

	if !strings.Contains(logs.String(), "inbox api request") {
		t.Fatal("debug logger captured nothing; the test would prove nothing")
	}
	if srv.count() < 5 {
		t.Fatalf("server saw only %d requests", srv.count())
	}
	for _, s := range texts {
		if strings.Contains(s, testToken) {
			t.Fatalf("token leaked in: %s", s)
		}
	}
}
