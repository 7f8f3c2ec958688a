package inboxsim

import (
	"io"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/httpx"
)

func TestAuth(t *testing.T) {
	api := newTestAPI(t, Options{Tokens: []string{"tok-one", "tok-two"}})
	api.validate = true
	cases := []struct {
		name, header string
		status       int
	}{
		{"first token", "Bearer tok-one", 200},
		{"second token", "Bearer tok-two", 200},
		{"scheme in lower case", "bearer tok-one", 200},
		{"missing header", "", 401},
		{"no scheme", "tok-one", 401},
		{"basic scheme", "Basic dG9rLW9uZTo=", 401},
		{"empty token", "Bearer ", 401},
		{"wrong token", "Bearer tok-three", 401},
		{"demo token not configured", "Bearer " + DemoToken, 401},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest("GET", api.base+"/team", nil)
			if tc.header != "" {
				req.Header.Set("Authorization", tc.header)
			}
			resp, err := api.srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res := readResult(t, resp)
			if res.status != tc.status {
				t.Fatalf("status %d, want %d: %s", res.status, tc.status, res.body)
			}
			if tc.status == 401 {
				if e := checkErrorBody(t, res); e.Code != httpx.CodeUnauthorized {
					t.Fatalf("code %s", e.Code)
				}
				if res.header.Get("WWW-Authenticate") == "" {
					t.Error("401 without WWW-Authenticate")
				}
			}
		})
	}
	if _, err := New(Options{Tokens: []string{}}); err == nil {
		t.Error("an empty token list was accepted")
	}
	if _, err := New(Options{Tokens: []string{""}}); err == nil {
		t.Error("an empty token was accepted")
	}
}

func readResult(t *testing.T, resp *http.Response) result {
	t.Helper()
	defer resp.Body.Close()
	buf, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return result{status: resp.StatusCode, header: resp.Header, body: buf}
}

// TestRateLimiterWindows checks the sliding windows on a fake clock: counts, the window the
// headers describe, Reset and Retry-After.
func TestRateLimiterWindows(t *testing.T) {
	clock := newFakeClock()
	l := httpx.NewRateLimiter(3, 5, 100, false, clock.Now)
	start := clock.Now()
	for i, wantRemaining := range []int{2, 1, 0} {
		r := l.Take("team")
		if !r.Allowed || r.Limit != 3 || r.Remaining != wantRemaining {
			t.Fatalf("request %d: %+v, want allowed with 3/%d", i, r, wantRemaining)
		}
		if !r.Reset.Equal(start.Add(time.Minute)) {
			t.Fatalf("request %d: reset %v, want %v (when the oldest request leaves the window)", i, r.Reset, start.Add(time.Minute))
		}
		clock.Advance(10 * time.Second)
	}
	r := l.Take("team")
	if r.Allowed || r.RetryAfter != 30*time.Second {
		t.Fatalf("4th request in the minute: %+v, want refused with retry after 30s", r)
	}
	if other := l.Take("other-team"); !other.Allowed || other.Remaining != 2 {
		t.Fatalf("another team shares the quota: %+v", other)
	}
	// Sliding: at start+61s the first request has left the minute window, not the others.
	clock.Advance(31 * time.Second)
	r = l.Take("team")
	if !r.Allowed || r.Limit != 3 || r.Remaining != 0 {
		t.Fatalf("after the oldest request left the minute window: %+v, want allowed with 3/0", r)
	}
	// A minute later the minute window is nearly empty but this is the 5th request of the
	// hour: the hour window is the tighter one now, and the headers describe it.
	clock.Advance(time.Minute)
	r = l.Take("team")
	if !r.Allowed || r.Limit != 5 || r.Remaining != 0 || !r.Reset.Equal(start.Add(time.Hour)) {
		t.Fatalf("5th request of the hour: %+v, want allowed with the hour window 5/0", r)
	}
	r = l.Take("team")
	if r.Allowed {
		t.Fatalf("6th request in the hour: %+v, want refused", r)
	}
	if want := start.Add(time.Hour).Sub(clock.Now()); r.RetryAfter != want {
		t.Fatalf("retry after %v, want %v (the hour window's oldest request)", r.RetryAfter, want)
	}
	clock.Advance(r.RetryAfter)
	if r := l.Take("team"); !r.Allowed {
		t.Fatalf("after Retry-After: %+v", r)
	}
	if r := httpx.NewRateLimiter(0, 0, 0, true, clock.Now).Take("team"); !r.Allowed {
		t.Fatal("disabled limiter refused")
	}
}

// TestRateLimitHTTP checks headers on every response, the 429 body and Retry-After, and that
// a refused request changes nothing.
func TestRateLimitHTTP(t *testing.T) {
	clock := newFakeClock()
	api := newTestAPI(t, Options{RateLimit: RateLimits{PerMinute: 2}, Now: clock.Now})
	for i, path := range []string{"/team", "/threads/zzzzzzzzzzzzzzzzzzzzzzzz"} {
		res := api.do("GET", path, nil)
		if got := res.header.Get("X-RateLimit-Remaining"); got != strconv.Itoa(1-i) {
			t.Fatalf("request %d (%d): remaining %q", i, res.status, got)
		}
		if res.header.Get("X-RateLimit-Limit") != "2" {
			t.Fatalf("limit header %q", res.header.Get("X-RateLimit-Limit"))
		}
		if want := strconv.FormatInt(clock.Now().Add(time.Minute).Unix(), 10); res.header.Get("X-RateLimit-Reset") != want {
			t.Fatalf("reset %q, want %s", res.header.Get("X-RateLimit-Reset"), want)
		}
	}
	clock.Advance(15 * time.Second)
	res := api.do("POST", "/tags", map[string]any{"name": "Refused"})
	if res.status != 429 || res.header.Get("Retry-After") != "45" || res.header.Get("X-RateLimit-Remaining") != "0" {
		t.Fatalf("over the limit: %d, Retry-After %q, remaining %q", res.status, res.header.Get("Retry-After"), res.header.Get("X-RateLimit-Remaining"))
	}
	if e := checkErrorBody(t, res); e.Code != httpx.CodeRateLimited || e.Message != "Rate limit exceeded. Try again in 45 seconds." {
		t.Fatalf("429 body %+v", e)
	}
	clock.Advance(45 * time.Second)
	api.ok("GET", "/tags", nil, nil)
	if n := dbInt(t, api.sim, `SELECT count(*) FROM tags WHERE name = 'Refused'`); n != 0 {
		t.Fatal("a rate-limited request was processed")
	}
	if st := api.sim.Stats(); st.RateLimited != 1 || st.ByStatus[429] != 1 || st.ByStatus[404] != 1 {
		t.Fatalf("stats %+v", st)
	}

	off := newTestAPI(t, Options{RateLimit: RateLimits{Disabled: true}})
	if res := off.ok("GET", "/team", nil, nil); res.header.Get("X-RateLimit-Limit") != "" {
		t.Fatal("rate-limit headers although limiting is off")
	}
	def := newTestAPI(t, Options{RateLimit: RateLimits{PerHour: 50}})
	if res := def.ok("GET", "/team", nil, nil); res.header.Get("X-RateLimit-Limit") != "50" {
		t.Fatalf("limit %q with 50/hour and the default 300/minute: want the tighter hour window", res.header.Get("X-RateLimit-Limit"))
	}
	docs := newTestAPI(t, Options{RateLimit: RateLimits{PerDay: httpx.DefaultPerDay}})
	if res := docs.ok("GET", "/team", nil, nil); res.header.Get("X-RateLimit-Limit") != "300" || res.header.Get("X-RateLimit-Remaining") != "299" {
		t.Fatalf("documented defaults: limit %q remaining %q, want 300/299", res.header.Get("X-RateLimit-Limit"), res.header.Get("X-RateLimit-Remaining"))
	}
}
