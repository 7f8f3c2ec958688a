package inboxsim

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/httpx"
)

// rawDo sends a request and returns the transport error or the body read error, if any.
func rawDo(t *testing.T, api *testAPI, method, path, body string) (*http.Response, []byte, error) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, api.base+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+DemoToken)
	req.Header.Set("Content-Type", "application/json")
	// A fresh connection per request: the net/http client would otherwise silently retry an
	// idempotent request whose reused connection was dropped.
	req.Close = true
	resp, err := api.srv.Client().Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	return resp, raw, err
}

func TestFaultLatency(t *testing.T) {
	api := newTestAPI(t, Options{Faults: Faults{Latency: 60 * time.Millisecond, Jitter: 20 * time.Millisecond, PathContains: "/tags"}})
	start := time.Now()
	api.ok("GET", "/tags", nil, nil)
	if d := time.Since(start); d < 60*time.Millisecond {
		t.Fatalf("request took %v, want at least the 60ms latency", d)
	}
	api.ok("GET", "/team", nil, nil) // not under /tags: no delay counted
	if st := api.sim.Stats(); st.Faults.Delayed != 1 || st.Faults.Total() != 0 {
		t.Fatalf("stats %+v, want one delayed request and no other fault", st.Faults)
	}
}

// TestFaultErrors checks injected 5xx: documented error body, rotating statuses, and no side
// effect (answered before processing).
func TestFaultErrors(t *testing.T) {
	api := newTestAPI(t, Options{Faults: Faults{ErrorRate: 1, Methods: []string{"post"}}})
	var statuses []int
	for i := 0; i < 3; i++ {
		res := api.do("POST", "/tags", map[string]any{"name": "Never"})
		checkErrorBody(t, res)
		statuses = append(statuses, res.status)
	}
	if statuses[0] != 500 || statuses[1] != 502 || statuses[2] != 503 {
		t.Fatalf("statuses %v, want 500, 502, 503", statuses)
	}
	if n := dbInt(t, api.sim, `SELECT count(*) FROM tags WHERE name = 'Never'`); n != 0 {
		t.Fatal("a request answered with an injected 5xx was processed")
	}
	api.ok("GET", "/tags", nil, nil) // GET is not in Methods
	api.sim.SetFaults(Faults{})
	api.ok("POST", "/tags", map[string]any{"name": "Now"}, nil)
	if st := api.sim.Stats(); st.Faults.Errors != 3 {
		t.Fatalf("stats %+v", st.Faults)
	}
}

func TestFaultRateLimitBurst(t *testing.T) {
	api := newTestAPI(t, Options{RateLimit: RateLimits{PerMinute: 100}, Faults: Faults{RateLimitBurst: 2}})
	for i := 0; i < 2; i++ {
		res := api.do("GET", "/team", nil)
		if res.status != 429 || res.header.Get("Retry-After") != "1" || res.header.Get("X-RateLimit-Remaining") != "0" {
			t.Fatalf("burst request %d: %d Retry-After %q", i, res.status, res.header.Get("Retry-After"))
		}
		if e := checkErrorBody(t, res); e.Code != httpx.CodeRateLimited {
			t.Fatal(e)
		}
	}
	res := api.ok("GET", "/team", nil, nil)
	if res.header.Get("X-RateLimit-Remaining") != "99" {
		t.Fatalf("injected 429s used the real quota: remaining %q", res.header.Get("X-RateLimit-Remaining"))
	}
	api.sim.SetFaults(Faults{RateLimitBurst: 1})
	if res := api.do("GET", "/team", nil); res.status != 429 {
		t.Fatalf("SetFaults did not restart the burst: %d", res.status)
	}
	if st := api.sim.Stats(); st.Faults.RateLimitBursts != 3 || st.RateLimited != 0 {
		t.Fatalf("stats %+v", st)
	}
}

// TestFaultDropAfterProcess checks the ambiguous failure: the client gets no response, yet
// the send happened.
func TestFaultDropAfterProcess(t *testing.T) {
	api := newTestAPI(t, Options{Faults: Faults{DropAfterProcessRate: 1, Methods: []string{"POST"}, PathContains: "/messages"}})
	thread := dbStrings(t, api.sim, `SELECT id FROM threads WHERE status = 'active' AND done = 0 LIMIT 1`)[0]
	before := dbInt(t, api.sim, `SELECT count(*) FROM messages WHERE thread_id = ?`, thread)
	resp, _, err := rawDo(t, api, "POST", "/threads/"+thread+"/messages", `{"content":"did this arrive?"}`)
	if err == nil {
		t.Fatal("the dropped request got a response")
	}
	if resp != nil {
		t.Fatalf("the dropped request got a status line (%d): a drop must leave no answer at all", resp.StatusCode)
	}
	if after := dbInt(t, api.sim, `SELECT count(*) FROM messages WHERE thread_id = ?`, thread); after != before+1 {
		t.Fatalf("messages %d -> %d: the request was not processed before the drop", before, after)
	}
	api.ok("GET", "/threads/"+thread+"/messages", nil, nil) // GET is not dropped
	if st := api.sim.Stats(); st.Faults.Dropped != 1 || st.ByStatus[200] != 1 {
		t.Fatalf("stats %+v", st)
	}
}

func TestFaultTruncate(t *testing.T) {
	api := newTestAPI(t, Options{Faults: Faults{TruncateRate: 1, PathContains: "/threads"}})
	resp, body, err := rawDo(t, api, "GET", "/threads?limit=5", "")
	if err == nil || !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("reading a truncated body: err %v (status %v, %d bytes)", err, resp, len(body))
	}
	if resp.StatusCode != 200 || int64(len(body)) >= resp.ContentLength {
		t.Fatalf("status %d, %d of %d bytes", resp.StatusCode, len(body), resp.ContentLength)
	}
	if st := api.sim.Stats(); st.Faults.Truncated != 1 {
		t.Fatalf("stats %+v", st.Faults)
	}
	api.ok("GET", "/team", nil, nil)
}

func TestFaultsValidated(t *testing.T) {
	for _, f := range []Faults{{ErrorRate: 1.5}, {DropAfterProcessRate: -0.1}, {Latency: -time.Second}, {RateLimitBurst: -1}} {
		if _, err := New(Options{Faults: f}); err == nil {
			t.Errorf("New accepted %+v", f)
		}
	}
	for _, scale := range []float64{-1, MaxScale + 1} {
		if _, err := New(Options{Scale: scale}); err == nil {
			t.Errorf("New accepted scale %v", scale)
		}
	}
}
