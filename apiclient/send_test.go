package apiclient

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/inbox-mcp/inbox-mcp/apiclient/apiclienttest"
)

// store is a tiny message store behind a scripted send endpoint: what it "processed" is
// what a read-back sees.
type store struct {
	mu       sync.Mutex
	contents []string
	late     []string // bodies that land once the next read-back has looked
	verifies atomic.Int32
	// tm times out the client's attempts when a step stalls; cancel cancels the call of a
	// step that gives up mid-flight.
	tm     apiclienttest.Timeouts
	cancel context.CancelFunc
}

func (s *store) add(body string) {
	var m struct{ Content string }
	_ = json.Unmarshal([]byte(body), &m)
	s.mu.Lock()
	s.contents = append(s.contents, m.Content)
	s.mu.Unlock()
}

func (s *store) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.contents)
}

func (s *store) verify(content string) VerifyFunc {
	return func(ctx context.Context) (Verification, error) {
		s.verifies.Add(1)
		if err := ctx.Err(); err != nil {
			return Verification{}, err
		}
		s.mu.Lock()
		late := s.late
		s.late = nil
		found := slices.Contains(s.contents, content)
		s.mu.Unlock()
		// A late landing happens right after this read-back looked: the order is fixed
		// by the test, not by a timer racing the client.
		for _, b := range late {
			s.add(b)
		}
		if found {
			return Verification{Landed: true, Checked: "the store"}, nil
		}
		return Verification{Checked: "the store"}, nil
	}
}

// Send steps: each reads the body (as the server would), decides whether to store it, and
// how to answer.
func (s *store) accept(w http.ResponseWriter, r *http.Request, body string) {
	s.add(body)
	w.Header().Set("Content-Type", "application/json")
	_, _ = io.WriteString(w, `{"id":"m1","content":"stored"}`)
}

type sendStep func(s *store, w http.ResponseWriter, r *http.Request, body string)

var (
	sAccept     sendStep = (*store).accept
	sDropAfter  sendStep = func(s *store, w http.ResponseWriter, r *http.Request, body string) { s.add(body); drop(w, r) }
	sDropBefore sendStep = func(s *store, w http.ResponseWriter, r *http.Request, body string) { drop(w, r) }
	s500Stored  sendStep = func(s *store, w http.ResponseWriter, r *http.Request, body string) {
		s.add(body)
		status(500, "")(w, r)
	}
	s500       sendStep = func(s *store, w http.ResponseWriter, r *http.Request, body string) { status(500, "")(w, r) }
	s429       sendStep = func(s *store, w http.ResponseWriter, r *http.Request, body string) { rateLimited("0.02")(w, r) }
	s504       sendStep = func(s *store, w http.ResponseWriter, r *http.Request, body string) { status(504, "")(w, r) }
	s504Stored sendStep = func(s *store, w http.ResponseWriter, r *http.Request, body string) {
		s.add(body)
		status(504, "")(w, r)
	}
	s400 sendStep = func(s *store, w http.ResponseWriter, r *http.Request, body string) {
		status(400, `{"error":{"code":"BAD_REQUEST","message":"content is empty"}}`)(w, r)
	}
	sTruncStored sendStep = func(s *store, w http.ResponseWriter, r *http.Request, body string) { s.add(body); truncated(w, r) }
	// sSlowStored stores, then stalls until the client's attempt times out (the store's
	// Timeouts expires it): a controlled delay, certain at any machine speed.
	sSlowStored sendStep = func(s *store, w http.ResponseWriter, r *http.Request, body string) {
		s.add(body)
		stall(&s.tm)(w, r)
	}
	// sStoreLate drops the connection, and the message lands just after the first
	// read-back looked.
	sStoreLate sendStep = func(s *store, w http.ResponseWriter, r *http.Request, body string) {
		s.mu.Lock()
		s.late = append(s.late, body)
		s.mu.Unlock()
		drop(w, r)
	}
	// sSlowNotStore stalls until the client's attempt times out, storing nothing.
	sSlowNotStore sendStep = func(s *store, w http.ResponseWriter, r *http.Request, body string) {
		stall(&s.tm)(w, r)
	}
	// sCancelInFlight cancels the caller's context once the request is at the server, and
	// never answers.
	sCancelInFlight sendStep = func(s *store, w http.ResponseWriter, r *http.Request, body string) {
		s.cancel()
		hold(w, r)
	}
)

func newSendServer(t *testing.T, s *store, steps ...sendStep) *scripted {
	wrapped := make([]step, len(steps))
	for i, st := range steps {
		wrapped[i] = func(w http.ResponseWriter, r *http.Request) { st(s, w, r, lastBody) }
	}
	return newScripted(t, wrapped...)
}

// lastBody is the body every send test posts (the scripted server has read it already by the
// time a step runs), and what the steps store.
const lastBody = `{"content":"Hello Jordan"}`

func TestSendOutcomes(t *testing.T) {
	tests := []struct {
		name         string
		steps        []sendStep
		dialFailures int32
		timeout      time.Duration // named in time-out reasons; the steps decide when one happens
		want         Outcome
		wantStored   int
		wantCalls    int
		wantVerifies int32
		wantDecoded  bool
		reason       string
	}{
		{name: "plain success", steps: []sendStep{sAccept}, want: Sent, wantStored: 1, wantCalls: 1, wantDecoded: true},
		{name: "429 then success", steps: []sendStep{s429, s429, sAccept}, want: Sent, wantStored: 1, wantCalls: 3, wantDecoded: true},
		{name: "refused connections are retried", steps: []sendStep{sAccept}, dialFailures: 2, want: Sent, wantStored: 1, wantCalls: 1, wantDecoded: true},
		{name: "unreachable is not sent", steps: []sendStep{sAccept}, dialFailures: 100, want: NotSent, wantCalls: 0, reason: "could not reach the API"},
		{name: "400 is not sent", steps: []sendStep{s400}, want: NotSent, wantCalls: 1, reason: "refused"},
		{name: "drop after storing is found", steps: []sendStep{sDropAfter, sAccept}, want: Sent, wantStored: 1, wantCalls: 1, wantVerifies: 1, reason: "read-back found"},
		{name: "drop before storing is not sent", steps: []sendStep{sDropBefore, sAccept}, want: NotSent, wantCalls: 1, wantVerifies: 2, reason: "did not find"},
		{name: "late landing is found by the second read-back", steps: []sendStep{sStoreLate, sAccept}, want: Sent, wantStored: 1, wantCalls: 1, wantVerifies: 2},
		{name: "500 after storing is found", steps: []sendStep{s500Stored, sAccept}, want: Sent, wantStored: 1, wantCalls: 1, wantVerifies: 1},
		{name: "500 without storing is sent again", steps: []sendStep{s500, s500, sAccept}, want: Sent, wantStored: 1, wantCalls: 3, wantVerifies: 2, wantDecoded: true},
		{name: "500 until attempts run out", steps: []sendStep{s500}, want: NotSent, wantCalls: 3, wantVerifies: 3, reason: "confirmed nothing was stored"},
		{name: "504 without a trace is unknown", steps: []sendStep{s504}, want: Unknown, wantCalls: 1, wantVerifies: 2, reason: "gateway answered 504"},
		{name: "504 after storing is found", steps: []sendStep{s504Stored, sAccept}, want: Sent, wantStored: 1, wantCalls: 1, wantVerifies: 1},
		{name: "unreadable 2xx is sent", steps: []sendStep{sTruncStored, sAccept}, want: Sent, wantStored: 1, wantCalls: 1, wantVerifies: 1, reason: "answer was unreadable"},
		{name: "time-out after storing is found", steps: []sendStep{sSlowStored, sAccept}, timeout: 100 * time.Millisecond, want: Sent, wantStored: 1, wantCalls: 1, wantVerifies: 1, reason: "no answer within 100ms"},
		{name: "cancel mid-flight still reads back", steps: []sendStep{sCancelInFlight}, want: Unknown, wantCalls: 1, wantVerifies: 2, reason: "cancelled after the request was sent"},
		{name: "time-out without a trace is unknown", steps: []sendStep{sSlowNotStore}, timeout: 100 * time.Millisecond, want: Unknown, wantCalls: 1, wantVerifies: 2, reason: "may still be working on it"},
	}
	// Every time-out, cancellation and late landing is triggered by a step or a read-back
	// (controlled delays), never by a timer racing the client.
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &store{}
			srv := newSendServer(t, s, tt.steps...)
			c := newTestClient(t, srv.URL, func(c *Config) {
				c.Retry.Attempts = 3
				c.AttemptContext = s.tm.Context
				if tt.timeout > 0 {
					c.Timeout = tt.timeout
				}
				if tt.dialFailures > 0 {
					fd := &failingDialer{}
					fd.left.Store(tt.dialFailures)
					c.HTTPClient = clientWithDialer(fd)
				}
			})
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			s.cancel = cancel
			var out struct{ ID string }
			got := c.Send(ctx, Request{Method: "POST", Path: "/threads/a/messages", Body: json.RawMessage(lastBody)}, &out, s.verify("Hello Jordan"))
			if got.Outcome != tt.want {
				t.Fatalf("outcome = %s (%s; err %v), want %s", got.Outcome, got.Reason, got.Err, tt.want)
			}
			// The truth: the outcome matches what the server stored.
			if got.Outcome != Unknown && (got.Outcome == Sent) != (s.count() == 1) || s.count() > 1 {
				t.Fatalf("outcome %s but the server stored %d messages", got.Outcome, s.count())
			}
			if s.count() != tt.wantStored || srv.count() != tt.wantCalls {
				t.Errorf("stored %d / requests %d, want %d / %d", s.count(), srv.count(), tt.wantStored, tt.wantCalls)
			}
			if v := s.verifies.Load(); v != tt.wantVerifies {
				t.Errorf("read-backs = %d, want %d", v, tt.wantVerifies)
			}
			if got.Decoded != tt.wantDecoded || (got.Decoded && out.ID != "m1") {
				t.Errorf("Decoded = %v (out %+v), want %v", got.Decoded, out, tt.wantDecoded)
			}
			if !strings.Contains(got.Reason, tt.reason) {
				t.Errorf("reason = %q, want it to mention %q", got.Reason, tt.reason)
			}
			if got.Outcome != Sent && got.Err == nil {
				t.Errorf("outcome %s without an error", got.Outcome)
			}
		})
	}
}

func TestSendUnknownWhenReadBackFails(t *testing.T) {
	s := &store{}
	srv := newSendServer(t, s, sDropAfter)
	c := newTestClient(t, srv.URL, nil)
	failing := func(context.Context) (Verification, error) {
		return Verification{Checked: "the newest 50 messages of thread a"}, errors.New("inbox api: GET /threads/a/messages: 503")
	}
	got := c.Send(context.Background(), Request{Method: "POST", Path: "/threads/a/messages", Body: json.RawMessage(lastBody)}, nil, failing)
	if got.Outcome != Unknown || !strings.Contains(got.Reason, "read-back failed") || got.Checked != "the newest 50 messages of thread a" {
		t.Fatalf("got %+v, want unknown with what was checked", got)
	}
	got = c.Send(context.Background(), Request{Method: "POST", Path: "/threads/a/messages", Body: json.RawMessage(lastBody)}, nil, nil)
	if got.Outcome != Unknown || !strings.Contains(got.Reason, "no read-back") {
		t.Fatalf("without verify: got %+v, want unknown", got)
	}
	if srv.count() != 2 {
		t.Fatalf("server saw %d sends, want exactly 2 (never repeated)", srv.count())
	}
}

func TestSendRateLimitTooLongIsNotSent(t *testing.T) {
	srv := newScripted(t, rateLimited("600"))
	c := newTestClient(t, srv.URL, nil)
	got := c.Send(context.Background(), Request{Method: "POST", Path: "/threads/a/messages", Body: json.RawMessage(lastBody)}, nil, nil)
	if got.Outcome != NotSent || !IsRateLimited(got.Err) || !strings.Contains(got.Reason, "wait 10m0s") {
		t.Fatalf("got %+v, want not sent, rate limited", got)
	}
}

func TestSendCancelledWhileWaitingForSlot(t *testing.T) {
	srv := newScripted(t, okJSON(`{}`))
	c := newTestClient(t, srv.URL, func(c *Config) { c.RatePerMinute = 1; c.Retry.MaxRetryAfter = 2 * time.Minute })
	if err := c.Do(context.Background(), Request{Method: "GET", Path: "/team"}, nil); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(30*time.Millisecond, cancel)
	got := c.Send(ctx, Request{Method: "POST", Path: "/threads/a/messages", Body: json.RawMessage(lastBody)}, nil, nil)
	if got.Outcome != NotSent || !errors.Is(got.Err, context.Canceled) || got.Attempts != 0 {
		t.Fatalf("got %+v, want not sent after a cancelled wait", got)
	}
	if srv.count() != 1 {
		t.Fatalf("server saw %d requests", srv.count())
	}
}

func TestSendHeldByClientLimitIsNotSent(t *testing.T) {
	srv := newScripted(t, okJSON(`{}`))
	c := newTestClient(t, srv.URL, func(c *Config) { c.RatePerMinute = 1; c.Retry.MaxRetryAfter = time.Second })
	if err := c.Do(context.Background(), Request{Method: "GET", Path: "/team"}, nil); err != nil {
		t.Fatal(err)
	}
	got := c.Send(context.Background(), Request{Method: "POST", Path: "/threads/a/messages", Body: json.RawMessage(lastBody)}, nil, nil)
	if got.Outcome != NotSent || !IsRateLimited(got.Err) || !strings.Contains(got.Reason, "rate limited: wait") {
		t.Fatalf("got %+v, want not sent, rate limited", got)
	}
	if srv.count() != 1 {
		t.Fatalf("server saw %d requests", srv.count())
	}
}
