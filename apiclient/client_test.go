package apiclient

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/inbox-mcp/inbox-mcp/apiclient/apiclienttest"
)

func TestNewRejectsBadConfig(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		want string
	}{
		{"no base URL", Config{Token: testToken}, "BaseURL is empty"},
		{"relative base URL", Config{BaseURL: "inboxapp.com/api/v1", Token: testToken}, "not an absolute http(s) URL"},
		{"ftp base URL", Config{BaseURL: "ftp://inboxapp.com/api/v1", Token: testToken}, "not an absolute http(s) URL"},
		{"credentials in URL", Config{BaseURL: "https://user:" + testToken + "@inboxapp.com/api/v1", Token: testToken}, "must not carry credentials"},
		{"query in URL", Config{BaseURL: "https://inboxapp.com/api/v1?x=1", Token: testToken}, "must not have a query"},
		{"no token", Config{BaseURL: "https://inboxapp.com/api/v1"}, "Token is empty"},
		{"token with Bearer prefix", Config{BaseURL: "https://inboxapp.com/api/v1", Token: "Bearer " + testToken}, "without 'Bearer '"},
		{"token with newline", Config{BaseURL: "https://inboxapp.com/api/v1", Token: testToken + "\n"}, "control characters"},
		{"bad rate", Config{BaseURL: "https://inboxapp.com/api/v1", Token: testToken, RatePerMinute: -5}, "RatePerMinute -5 is invalid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(tt.cfg)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("New() error = %v, want it to contain %q", err, tt.want)
			}
			if strings.Contains(err.Error(), testToken) {
				t.Fatalf("error leaks the token: %v", err)
			}
		})
	}
}

func TestDoSendsAuthHeadersQueryAndBody(t *testing.T) {
	srv := newScripted(t, okJSON(`{"id":"t1","name":"Acme","extra":{"ignored":true}}`))
	c := newTestClient(t, srv.URL+"/api/v1/", func(c *Config) { c.UserAgent = "" })
	var out struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	}
	q := url.Values{"filters[tags][selectedIds][0]": {"abc"}, "limit": {"5"}}
	err := c.Do(context.Background(), Request{Method: http.MethodPatch, Path: "/threads/t1", Query: q, Body: map[string]any{"done": true}}, &out)
	if err != nil {
		t.Fatalf("Do: %v", err)
	}
	if out.ID != "t1" || out.Name != "Acme" {
		t.Fatalf("decoded %+v", out)
	}
	r := srv.request(0)
	checks := map[string][2]string{
		"method":        {r.Method, http.MethodPatch},
		"path":          {r.URL.Path, "/api/v1/threads/t1"},
		"authorization": {r.Header.Get("Authorization"), "Bearer " + testToken},
		"user agent":    {r.Header.Get("User-Agent"), "inbox-mcp/" + Version},
		"content type":  {r.Header.Get("Content-Type"), "application/json"},
		"filter":        {r.URL.Query().Get("filters[tags][selectedIds][0]"), "abc"},
		"limit":         {r.URL.Query().Get("limit"), "5"},
		"body":          {srv.body(0), `{"done":true}`},
	}
	for name, got := range checks {
		if got[0] != got[1] {
			t.Errorf("%s = %q, want %q", name, got[0], got[1])
		}
	}
}

func TestDoWithoutBodySendsNoContentType(t *testing.T) {
	srv := newScripted(t, okJSON(`{}`))
	c := newTestClient(t, srv.URL, nil)
	if err := c.Do(context.Background(), Request{Method: http.MethodGet, Path: "/team"}, nil); err != nil {
		t.Fatal(err)
	}
	if ct := srv.request(0).Header.Get("Content-Type"); ct != "" {
		t.Fatalf("Content-Type = %q on a GET without body", ct)
	}
}

func TestDoRetryPolicy(t *testing.T) {
	const ok = `{"ok":true}`
	e500 := status(500, `{"error":{"code":"INTERNAL","message":"boom","status":500}}`)
	tests := []struct {
		name       string
		req        Request
		steps      []step
		wantErr    func(error) bool
		wantStatus int
		wantCalls  int
	}{
		{"GET retries 5xx then succeeds", Request{Method: "GET", Path: "/team"}, []step{e500, status(502, ""), okJSON(ok)}, nil, 0, 3},
		{"GET gives up after MaxAttempts", Request{Method: "GET", Path: "/team"}, []step{e500}, isServer, 500, 3},
		{"PATCH retries 503", Request{Method: "PATCH", Path: "/tags/a", Body: map[string]string{"name": "x"}}, []step{status(503, ""), okJSON(ok)}, nil, 0, 2},
		{"DELETE retries a dropped connection", Request{Method: "DELETE", Path: "/tags/a"}, []step{drop, okJSON(ok)}, nil, 0, 2},
		{"GET retries a truncated body", Request{Method: "GET", Path: "/team"}, []step{truncated, okJSON(ok)}, nil, 0, 2},
		{"GET does not retry 404", Request{Method: "GET", Path: "/threads/x"}, []step{status(404, `{"error":{"code":"THREAD_NOT_FOUND","message":"Thread not found","status":404}}`)}, isNotFound, 404, 1},
		{"GET does not retry 400", Request{Method: "GET", Path: "/threads"}, []step{status(400, `{"error":{"code":"BAD_REQUEST","message":"limit must be 1-100","status":400}}`)}, isValidation, 400, 1},
		{"GET does not retry 401", Request{Method: "GET", Path: "/team"}, []step{status(401, `{"error":"Unauthorized","message":"Invalid token"}`)}, IsAuth, 401, 1},
		{"POST does not retry 500", Request{Method: "POST", Path: "/tags", Body: map[string]string{"name": "x"}}, []step{e500, okJSON(ok)}, isServer, 500, 1},
		{"POST does not retry a drop after writing", Request{Method: "POST", Path: "/tags", Body: map[string]string{"name": "x"}}, []step{drop, okJSON(ok)}, notAPIError, 0, 1},
		{"idempotent POST retries 500", Request{Method: "POST", Path: "/threads", Body: map[string]string{"a": "b"}, Idempotent: true}, []step{e500, okJSON(ok)}, nil, 0, 2},
		{"POST retries 429", Request{Method: "POST", Path: "/tags", Body: map[string]string{"name": "x"}}, []step{rateLimited("0.05"), okJSON(ok)}, nil, 0, 2},
		{"GET waits out 429 storms", Request{Method: "GET", Path: "/team"}, []step{rateLimited("0.02"), rateLimited("0.02"), rateLimited("0.02"), rateLimited("0.02"), okJSON(ok)}, nil, 0, 5},
		{"429 beyond MaxRetryAfter fails at once", Request{Method: "GET", Path: "/team"}, []step{rateLimited("120"), okJSON(ok)}, IsRateLimited, 429, 1},
		{"409 is a conflict", Request{Method: "POST", Path: "/tags", Body: map[string]string{"name": "x"}}, []step{status(409, `{"error":{"code":"CONFLICT","message":"A tag named x exists","status":409}}`)}, isConflict, 409, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newScripted(t, tt.steps...)
			c := newTestClient(t, srv.URL, func(c *Config) { c.Retry.Attempts = 3 })
			var out map[string]any
			err := c.Do(context.Background(), tt.req, &out)
			if tt.wantErr == nil && err != nil {
				t.Fatalf("Do: %v", err)
			}
			if tt.wantErr != nil && (err == nil || !tt.wantErr(err)) {
				t.Fatalf("Do error = %v, want a matching error", err)
			}
			if got := statusOf(err); got != tt.wantStatus {
				t.Errorf("status of error = %d, want %d", got, tt.wantStatus)
			}
			if srv.count() != tt.wantCalls {
				t.Errorf("server saw %d requests, want %d", srv.count(), tt.wantCalls)
			}
			if err == nil && out["ok"] != true {
				t.Errorf("out = %v", out)
			}
		})
	}
}

func notAPIError(err error) bool {
	var e *Error
	return !errors.As(err, &e)
}

func TestDoRetriesRefusedConnectionsEvenForPOST(t *testing.T) {
	srv := newScripted(t, okJSON(`{"ok":true}`))
	fd := &failingDialer{}
	fd.left.Store(2)
	c := newTestClient(t, srv.URL, func(c *Config) { c.HTTPClient = clientWithDialer(fd) })
	err := c.Do(context.Background(), Request{Method: "POST", Path: "/tags", Body: map[string]string{"name": "x"}}, nil)
	if err != nil {
		t.Fatalf("Do: %v", err)
	}
	if srv.count() != 1 {
		t.Fatalf("server saw %d requests, want 1 (two refused connects, then one request)", srv.count())
	}
}

// TestDoTimeoutPerAttempt: a controlled delay (the server stalls and expires the attempt),
// not a 100ms timer racing a loaded machine, decides which attempt times out.
func TestDoTimeoutPerAttempt(t *testing.T) {
	tm := &apiclienttest.Timeouts{}
	srv := newScripted(t, stall(tm), okJSON(`{"ok":true}`))
	c := newTestClient(t, srv.URL, func(c *Config) { c.Timeout = 100 * time.Millisecond; c.AttemptContext = tm.Context })
	var out map[string]any
	if err := c.Do(context.Background(), Request{Method: "GET", Path: "/team"}, &out); err != nil {
		t.Fatalf("Do: %v", err)
	}
	if srv.count() != 2 || out["ok"] != true || tm.Expired() != 1 {
		t.Fatalf("calls = %d, out = %v, time-outs %d; want the slow attempt abandoned and retried", srv.count(), out, tm.Expired())
	}

	// A POST that timed out after being written is not repeated.
	tm2 := &apiclienttest.Timeouts{}
	srv2 := newScripted(t, stall(tm2), okJSON(`{"ok":true}`))
	c2 := newTestClient(t, srv2.URL, func(c *Config) { c.Timeout = 100 * time.Millisecond; c.AttemptContext = tm2.Context })
	err := c2.Do(context.Background(), Request{Method: "POST", Path: "/tags", Body: map[string]string{"name": "x"}}, nil)
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "no answer within 100ms") {
		t.Fatalf("POST error = %v, want an attempt time-out", err)
	}
	if srv2.count() != 1 {
		t.Fatalf("POST was sent %d times", srv2.count())
	}
}

// TestDoTimeoutOnTheWallClock covers the production time-out (context.WithTimeout on the
// real clock). Its verdict holds at any speed: the server never answers, and a POST that
// timed out is not retried.
func TestDoTimeoutOnTheWallClock(t *testing.T) {
	srv := newScripted(t, hold, okJSON(`{"ok":true}`))
	c := newTestClient(t, srv.URL, func(c *Config) { c.Timeout = 50 * time.Millisecond; c.AttemptContext = nil })
	err := c.Do(context.Background(), Request{Method: "POST", Path: "/tags", Body: map[string]string{"name": "x"}}, nil)
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "no answer within 50ms") {
		t.Fatalf("POST error = %v, want an attempt time-out", err)
	}
	if srv.count() != 1 {
		t.Fatalf("POST was sent %d times", srv.count())
	}
}

func TestDoHonoursCancellation(t *testing.T) {
	t.Run("in flight", func(t *testing.T) {
		// Controlled trigger: the server cancels the call once it holds the request, so
		// the cancellation is in flight at any machine speed.
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		srv := newScripted(t, func(w http.ResponseWriter, r *http.Request) { cancel(); hold(w, r) })
		c := newTestClient(t, srv.URL, nil)
		err := c.Do(ctx, Request{Method: "GET", Path: "/team"}, nil)
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
	})
	t.Run("during backoff", func(t *testing.T) {
		// Controlled trigger: the server cancels the call as it answers the 429, so the
		// request has reached it whatever the machine's speed (a timer could fire first).
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		srv := newScripted(t, func(w http.ResponseWriter, r *http.Request) { rateLimited("20")(w, r); cancel() })
		c := newTestClient(t, srv.URL, func(c *Config) { c.Retry.MaxRetryAfter = time.Minute; c.Retry.MaxWait = time.Minute })
		err := c.Do(ctx, Request{Method: "GET", Path: "/team"}, nil)
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
		if srv.count() != 1 {
			t.Fatalf("server saw %d requests", srv.count())
		}
	})
	t.Run("deadline shorter than Retry-After returns the 429", func(t *testing.T) {
		// Bounds that hold at any speed: a 30s deadline no loaded machine uses up in one
		// request, against a Retry-After of 10 minutes.
		srv := newScripted(t, rateLimited("600"))
		c := newTestClient(t, srv.URL, func(c *Config) { c.Retry.MaxRetryAfter = time.Hour; c.Retry.MaxWait = time.Hour })
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		err := c.Do(ctx, Request{Method: "GET", Path: "/team"}, nil)
		var e *Error
		if !errors.As(err, &e) || e.RetryAfter != 10*time.Minute {
			t.Fatalf("err = %v, want the 429 with its Retry-After", err)
		}
		if ctx.Err() != nil {
			t.Fatal("Do slept until the deadline instead of returning at once")
		}
	})
	t.Run("waiting for a rate-limit slot", func(t *testing.T) {
		srv := newScripted(t, okJSON(`{}`))
		c := newTestClient(t, srv.URL, func(c *Config) { c.RatePerMinute = 1; c.Retry.MaxRetryAfter = 2 * time.Minute })
		if err := c.Do(context.Background(), Request{Method: "GET", Path: "/team"}, nil); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(50*time.Millisecond, cancel)
		err := c.Do(ctx, Request{Method: "GET", Path: "/team"}, nil)
		if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "rate-limit slot") {
			t.Fatalf("err = %v, want a cancelled wait for a slot", err)
		}
		// A 20s deadline (a bound no loaded machine uses up here) still ends before the
		// slot, about a minute away.
		dctx, dcancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer dcancel()
		err = c.Do(dctx, Request{Method: "GET", Path: "/team"}, nil)
		if !errors.Is(err, context.DeadlineExceeded) || dctx.Err() != nil {
			t.Fatalf("err = %v, want an immediate deadline error (the slot is a minute away)", err)
		}
		if srv.count() != 1 {
			t.Fatalf("server saw %d requests, want 1", srv.count())
		}
	})
	t.Run("a slot further away than MaxRetryAfter is a rate-limit error", func(t *testing.T) {
		srv := newScripted(t, okJSON(`{}`))
		c := newTestClient(t, srv.URL, func(c *Config) { c.RatePerMinute = 1; c.Retry.MaxRetryAfter = 5 * time.Second })
		if err := c.Do(context.Background(), Request{Method: "GET", Path: "/team"}, nil); err != nil {
			t.Fatal(err)
		}
		err := c.Do(context.Background(), Request{Method: "GET", Path: "/tags"}, nil)
		var e *Error
		if !errors.As(err, &e) || !IsRateLimited(err) || e.Path != "/tags" || e.RetryAfter < 50*time.Second {
			t.Fatalf("err = %v, want a client-side 429 for GET /tags", err)
		}
		if srv.count() != 1 {
			t.Fatalf("server saw %d requests, want 1", srv.count())
		}
	})
}

func TestDoRejectsMalformedRequests(t *testing.T) {
	c := newTestClient(t, "http://127.0.0.1:1/api/v1", nil)
	for _, r := range []Request{{Path: "/team"}, {Method: "GET", Path: "team"}, {Method: "GET", Path: "/team?x=1"}} {
		if err := c.Do(context.Background(), r, nil); err == nil || !strings.Contains(err.Error(), "invalid request") {
			t.Errorf("Do(%+v) = %v, want an invalid request error", r, err)
		}
	}
	err := c.Do(context.Background(), Request{Method: "POST", Path: "/tags", Body: map[string]any{"bad": func() {}}}, nil)
	if err == nil || !strings.Contains(err.Error(), "encode request body") {
		t.Errorf("unencodable body: err = %v", err)
	}
}

func TestDecodeIntoNullLeavesPointerNil(t *testing.T) {
	srv := newScripted(t, okJSON(`null`))
	c := newTestClient(t, srv.URL, nil)
	out := &struct{ ID string }{ID: "before"}
	if err := c.Do(context.Background(), Request{Method: "GET", Path: "/threads/lookup"}, &out); err != nil {
		t.Fatal(err)
	}
	if out != nil {
		t.Fatalf("out = %+v, want nil after a null answer", out)
	}
}

func TestDoWithHeader(t *testing.T) {
	t.Run("headers ride on every attempt and the last answer is reported", func(t *testing.T) {
		conflict := func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-Request-Id", "req_2")
			status(409, `{"error":{"code":"sendInProgress","message":"busy","details":{"messageId":"m1"}},"token":"`+testToken+`"}`)(w, r)
		}
		srv := newScripted(t, rateLimited("0.01"), conflict)
		c := newTestClient(t, srv.URL, nil)
		h := http.Header{}
		h.Set("Idempotency-Key", "key-1")
		h.Set("Authorization", "Bearer stolen")
		ex, err := c.DoWithHeader(context.Background(), Request{Method: "POST", Path: "/messages", Body: map[string]string{"content": "hi"}}, h, nil)
		if !isConflict(err) {
			t.Fatalf("err = %v, want the 409", err)
		}
		if srv.count() != 2 {
			t.Fatalf("server saw %d requests, want 2 (429 retried)", srv.count())
		}
		for i := range 2 {
			r := srv.request(i)
			if r.Header.Get("Idempotency-Key") != "key-1" || r.Header.Get("Authorization") != "Bearer "+testToken {
				t.Fatalf("attempt %d headers: key %q auth %q", i, r.Header.Get("Idempotency-Key"), r.Header.Get("Authorization"))
			}
		}
		if ex.Status != 409 || ex.Header.Get("X-Request-Id") != "req_2" || !ex.Written ||
			!strings.Contains(string(ex.ErrorBody), `"messageId":"m1"`) || strings.Contains(string(ex.ErrorBody), testToken) {
			t.Fatalf("exchange = %+v (body %s)", ex, ex.ErrorBody)
		}
	})
	t.Run("nothing written when the connection never opened", func(t *testing.T) {
		srv := newScripted(t, okJSON(`{}`))
		fd := &failingDialer{}
		fd.left.Store(100)
		c := newTestClient(t, srv.URL, func(c *Config) { c.HTTPClient = clientWithDialer(fd); c.Retry.Attempts = 2 })
		ex, err := c.DoWithHeader(context.Background(), Request{Method: "POST", Path: "/messages"}, nil, nil)
		if err == nil || ex.Written || ex.Status != 0 {
			t.Fatalf("exchange = %+v, err = %v; want unwritten and no status", ex, err)
		}
	})
	t.Run("a dropped connection counts as written", func(t *testing.T) {
		srv := newScripted(t, drop)
		c := newTestClient(t, srv.URL, nil)
		ex, err := c.DoWithHeader(context.Background(), Request{Method: "POST", Path: "/messages"}, nil, nil)
		if err == nil || !ex.Written || ex.Status != 0 || srv.count() != 1 {
			t.Fatalf("exchange = %+v, err = %v, requests %d", ex, err, srv.count())
		}
	})
}
