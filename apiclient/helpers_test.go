package apiclient

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/inbox-mcp/inbox-mcp/apiclient/apiclienttest"
	"github.com/inbox-mcp/inbox-mcp/internal/leaktest"
)

func TestMain(m *testing.M) {
	leaktest.VerifyTestMain(m) // waits out goroutines still shutting down; a real leak still fails
}

// testToken is distinctive so a leak is easy to spot in any text.
const testToken = "tok_SECRET_9f3a7c1e55"

// step answers one request of a scripted server.
type step func(w http.ResponseWriter, r *http.Request)

// scripted is an httptest server that answers the n-th request with steps[n] (the last step
// repeats) and records what it saw.
type scripted struct {
	*httptest.Server
	mu     sync.Mutex
	steps  []step
	n      atomic.Int32
	bodies []string
	reqs   []*http.Request
}

func newScripted(t *testing.T, steps ...step) *scripted {
	t.Helper()
	s := &scripted{steps: steps}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		i := int(s.n.Add(1)) - 1
		s.bodies = append(s.bodies, string(b))
		s.reqs = append(s.reqs, r.Clone(context.Background()))
		st := s.steps[min(i, len(s.steps)-1)]
		s.mu.Unlock()
		st(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *scripted) count() int { return int(s.n.Load()) }

func (s *scripted) request(i int) *http.Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.reqs[i]
}

func (s *scripted) body(i int) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.bodies[i]
}

// Steps used across tests.

func okJSON(body string) step {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, body)
	}
}

func status(code int, body string) step {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		_, _ = io.WriteString(w, body)
	}
}

func rateLimited(retryAfter string) step {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", retryAfter)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusTooManyRequests)
		_, _ = io.WriteString(w, `{"error":{"code":"RATE_LIMITED","message":"Rate limit exceeded.","status":429}}`)
	}
}

// drop closes the connection without answering, after the request was read (and, for a
// send, "processed").
func drop(w http.ResponseWriter, r *http.Request) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err != nil {
		panic(err)
	}
	_ = conn.Close()
}

// truncated promises a longer body than it writes, then closes the connection.
func truncated(w http.ResponseWriter, r *http.Request) {
	conn, buf, err := w.(http.Hijacker).Hijack()
	if err != nil {
		panic(err)
	}
	_, _ = buf.WriteString("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{\"id\":\"ab")
	_ = buf.Flush()
	_ = conn.Close()
}

// stall makes the client's attempt time out (tm expires it) and never answers: the request
// is held until the client gives up on it, so the time-out is certain at any machine speed.
func stall(tm *apiclienttest.Timeouts) step {
	return func(w http.ResponseWriter, r *http.Request) {
		tm.Expire()
		<-r.Context().Done()
	}
}

// hold never answers: the request is held until the client gives up on it (its own
// time-out or cancellation).
func hold(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }

// newTestClient returns a client for srv with fast retry settings; mutate adjusts cfg. Its
// attempts time out only when a test expires them through an apiclienttest.Timeouts it sets
// as AttemptContext (never on the wall clock, which a loaded machine can outrun), so a fast
// scripted answer is never lost to a short time-out.
func newTestClient(t *testing.T, baseURL string, mutate func(*Config)) *Client {
	t.Helper()
	cfg := Config{
		BaseURL:        baseURL,
		Token:          testToken,
		Timeout:        2 * time.Second,
		RatePerMinute:  -1,
		Retry:          RetryPolicy{MaxWait: 10 * time.Second},
		VerifyDelay:    100 * time.Millisecond,
		AttemptContext: new(apiclienttest.Timeouts).Context,
	}
	if mutate != nil {
		mutate(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(c.Close)
	return c
}

// failingDialer refuses the first n connections, then dials for real: a failure that
// provably happens before the request is written.
type failingDialer struct {
	left atomic.Int32
	d    net.Dialer
}

func (f *failingDialer) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	if f.left.Add(-1) >= 0 {
		return nil, errors.New("connect: connection refused (test)")
	}
	return f.d.DialContext(ctx, network, addr)
}

func clientWithDialer(fd *failingDialer) *http.Client {
	return &http.Client{Transport: &http.Transport{DialContext: fd.DialContext, DisableKeepAlives: true}}
}

// logBuffer is a concurrency-safe sink for a debug logger.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

func debugLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// Status checks of the transport's own errors, for the tables of these tests.
func isNotFound(err error) bool   { return statusOf(err) == http.StatusNotFound }
func isConflict(err error) bool   { return statusOf(err) == http.StatusConflict }
func isServer(err error) bool     { return statusOf(err) >= 500 }
func isValidation(err error) bool { s := statusOf(err); return s == 400 || s == 422 }
