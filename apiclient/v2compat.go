package apiclient

// This file holds the one transport hook Inbox API v2 needs beyond Do: POST /messages takes
// an Idempotency-Key header that must ride on every attempt of a logical send, the answer's
// status tells a first send (201) from a replay (200), and v2 error bodies carry details
// (such as the message ID of an unconfirmed send) and a requestId that Error leaves out.

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptrace"
	"sync"
)

// Exchange records the last answer of a call made with [Client.DoWithHeader].
type Exchange struct {
	// Status is the HTTP status of the last answer, 0 when no answer came.
	Status int
	// Header holds the last answer's headers (X-Request-Id among them).
	Header http.Header
	// ErrorBody is the body of a non-2xx last answer (at most 64 KiB, token scrubbed).
	ErrorBody []byte
	// Written reports whether any attempt of the call was written, even partly, to a
	// connection, so that the server may have acted on it. False means provably nothing
	// reached the server.
	Written bool
}

// DoWithHeader is [Client.Do] with extra request headers sent on every attempt (set them
// with canonical keys, e.g. via http.Header.Set), which also reports the last answer's
// status, headers and error body. Retries follow Do's rules for r exactly.
func (c *Client) DoWithHeader(ctx context.Context, r Request, h http.Header, out any) (Exchange, error) {
	rec := &exchangeRecorder{header: h, scrub: c.scrub}
	rec.base = c.hc.Transport
	if rec.base == nil {
		rec.base = http.DefaultTransport
	}
	// A shallow copy shares the limiter, the configuration and the token closure; only
	// the HTTP client differs, and it shares the original's connection pool.
	cc := *c
	cc.hc = &http.Client{Transport: rec, CheckRedirect: c.hc.CheckRedirect, Jar: c.hc.Jar, Timeout: c.hc.Timeout}
	cc.ownsHC = false
	err := cc.Do(ctx, r, out)
	rec.mu.Lock()
	defer rec.mu.Unlock()
	rec.last.Written = rec.written
	return rec.last, err
}

// exchangeRecorder adds headers to each outgoing attempt and keeps the last answer.
type exchangeRecorder struct {
	base   http.RoundTripper
	header http.Header
	scrub  func(string) string

	mu      sync.Mutex
	last    Exchange
	written bool
}

func (t *exchangeRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	// A RoundTripper must not modify the caller's request. The trace composes with the
	// transport's own: headers handed to a connection mean the server may act on them.
	trace := &httptrace.ClientTrace{WroteHeaders: func() {
		t.mu.Lock()
		t.written = true
		t.mu.Unlock()
	}}
	r := req.Clone(httptrace.WithClientTrace(req.Context(), trace))
	for k, v := range t.header {
		r.Header[k] = v
	}
	resp, err := t.base.RoundTrip(r)
	t.mu.Lock()
	defer t.mu.Unlock()
	t.last = Exchange{}
	if err != nil {
		return nil, err
	}
	t.written = true
	t.last.Status, t.last.Header = resp.StatusCode, resp.Header
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		b, rerr := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
		resp.Body.Close()
		resp.Body = io.NopCloser(bytes.NewReader(b))
		if rerr == nil {
			t.last.ErrorBody = []byte(t.scrub(string(b)))
		}
	}
	return resp, nil
}
