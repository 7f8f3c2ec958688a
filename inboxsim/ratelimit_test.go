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
	docs := newTestAPI(t, Options{RateLimit: RateLimits{PerDay: DefaultPerDay}})
	if res := docs.ok("GET", "/team", nil, nil); res.header.Get("X-RateLimit-Limit") != "300" || res.header.Get("X-RateLimit-Remaining") != "299" {
		t.Fatalf("documented defaults: limit %q remaining %q, want 300/299", res.header.Get("X-RateLimit-Limit"), res.header.Get("X-RateLimit-Remaining"))
	}
}
