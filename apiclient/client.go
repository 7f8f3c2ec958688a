package apiclient

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Client is a concurrency-safe Inbox API transport. Create it with [New]; call [Client.Close]
// when done so idle keep-alive connections are released.
type Client struct {
	baseURL string // scheme://host/path, no trailing slash
	// setAuth writes the Authorization header. The token lives only inside this closure,
	// so no formatting of a Client (even of unexported fields via reflection) can print it.
	setAuth   func(http.Header)
	scrub     func(string) string
	userAgent string
	hc        *http.Client
	ownsHC    bool
	cfg       Config // Token cleared
	lim       *limiter
	log       *slog.Logger
}

// New validates cfg and returns a Client.
func New(cfg Config) (*Client, error) {
	base, err := cfg.validate()
	if err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	token := cfg.Token
	cfg.Token = ""
	auth := "Bearer " + token
	c := &Client{
		baseURL:   base.String(),
		setAuth:   func(h http.Header) { h["Authorization"] = []string{auth} },
		scrub:     func(s string) string { return strings.ReplaceAll(s, token, "[redacted]") },
		userAgent: cfg.UserAgent,
		hc:        cfg.HTTPClient,
		cfg:       cfg,
		lim:       newLimiter(limiterConfigOf(cfg)),
		log:       cfg.Logger,
	}
	if c.hc == nil {
		c.hc, c.ownsHC = newHTTPClient(), true
	}
	return c, nil
}

// String describes the client without its token.
func (c *Client) String() string {
	return "apiclient.Client{BaseURL:" + c.baseURL + " Token:[redacted]}"
}

// GoString is the %#v form, without the token.
func (c *Client) GoString() string { return c.String() }

// RetryPolicy returns the policy the client's calls retry by, defaults filled in.
func (c *Client) RetryPolicy() RetryPolicy { return c.cfg.Retry }

// BaseURL returns the API root the client talks to, without a trailing slash.
func (c *Client) BaseURL() string { return c.baseURL }

// Close releases idle connections of the client's own HTTP client (a caller-supplied
// HTTPClient is left alone). In-flight calls are not interrupted.
func (c *Client) Close() {
	if c.ownsHC {
		c.hc.CloseIdleConnections()
	}
}

// Request describes one API call.
type Request struct {
	// Method is the HTTP method (GET, POST, PATCH, PUT, DELETE).
	Method string
	// Path is relative to the base URL, starts with "/" and has its segments escaped
	// already (use url.PathEscape on IDs), e.g. "/threads/abc/messages".
	Path string
	// Query is encoded as the query string (nil for none).
	Query url.Values
	// Body, when non-nil, is JSON-encoded and sent with Content-Type application/json.
	Body any
	// Idempotent marks a POST whose repetition is harmless (e.g. "find or create"), so
	// [Client.Do] may retry it like a GET. Ignored for methods that are idempotent anyway.
	Idempotent bool
	// Header holds extra headers sent on every attempt (e.g. an Idempotency-Key), with
	// canonical keys. Authorization, User-Agent, Accept and Content-Type are the
	// client's and cannot be overridden.
	Header http.Header
}

func (r Request) idempotent() bool { return r.Idempotent || idempotentMethod(r.Method) }

// attemptResult is what one HTTP exchange produced.
type attemptResult struct {
	status     int
	header     http.Header
	retryAfter time.Duration
	apiErr     *Error // non-nil for a complete non-2xx answer
	errBody    []byte // body of a non-2xx answer (bounded, token scrubbed)
	err        error  // transport failure, or an unreadable 2xx body
	decodeErr  error  // 2xx body read fully but did not decode into out
	// written is true once the request may have reached the server (net/http started
	// writing it). Until then a failure is provably harmless to repeat.
	written  bool
	timedOut bool // the per-attempt deadline passed
	elapsed  time.Duration
}

func (a *attemptResult) ok() bool { return a.err == nil && a.apiErr == nil && a.decodeErr == nil }

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// maxBody bounds a success body: the largest documented answer (a page of 100 threads with
// full prospect profiles) is well under a megabyte.
const maxBody = 64 << 20

// encodeBody JSON-encodes a request body once, so every attempt sends the same bytes.
func encodeBody(r Request) ([]byte, error) {
	if r.Body == nil {
		return nil, nil
	}
	b, err := json.Marshal(r.Body)
	if err != nil {
		return nil, fmt.Errorf("inbox api: %s %s: encode request body: %w", r.Method, r.Path, err)
	}
	return b, nil
}

func (c *Client) checkRequest(r Request) error {
	if r.Method == "" || !strings.HasPrefix(r.Path, "/") || strings.ContainsAny(r.Path, "?#") {
		return fmt.Errorf("inbox api: invalid request %q %q: Method is required and Path must start with / and carry no query", r.Method, r.Path)
	}
	return nil
}

// attempt performs one HTTP exchange with its own deadline and decodes a 2xx body into out.
func (c *Client) attempt(ctx context.Context, r Request, body []byte, out any) (res attemptResult) {
	start := time.Now()
	defer func() { res.elapsed = time.Since(start) }()
	actx, cancel := c.attemptContext(ctx)
	defer cancel()
	var written atomic.Bool
	trace := &httptrace.ClientTrace{
		// WroteHeaders fires as soon as the request line and headers are handed to the
		// connection; from then on the server may act on the request.
		WroteHeaders: func() { written.Store(true) },
		WroteRequest: func(httptrace.WroteRequestInfo) { written.Store(true) },
	}
	u := c.baseURL + r.Path
	if len(r.Query) > 0 {
		u += "?" + r.Query.Encode()
	}
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(httptrace.WithClientTrace(actx, trace), r.Method, u, rd)
	if err != nil {
		res.err = err
		return res
	}
	for k, v := range r.Header {
		req.Header[k] = v
	}
	c.setAuth(req.Header)
	req.Header["User-Agent"] = []string{c.userAgent}
	req.Header["Accept"] = []string{"application/json"}
	if body != nil {
		req.Header["Content-Type"] = []string{"application/json"}
	}
	resp, err := c.hc.Do(req)
	res.written = written.Load()
	if err != nil {
		res.err = c.transportError(err, actx, ctx)
		res.timedOut = attemptTimedOut(actx, ctx)
		return res
	}
	defer resp.Body.Close()
	res.written = true
	res.status, res.header = resp.StatusCode, resp.Header
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
		res.errBody = []byte(c.scrub(string(b)))
		res.apiErr = decodeError(r.Method, r.Path, resp.StatusCode, resp.Header, res.errBody, "")
		res.apiErr.RequestID = c.scrub(res.apiErr.RequestID) // the header was not scrubbed
		res.retryAfter = res.apiErr.RetryAfter
		return res
	}
	buf := bufPool.Get().(*bytes.Buffer)
	defer func() {
		if buf.Cap() <= 4<<20 {
			buf.Reset()
			bufPool.Put(buf)
		}
	}()
	buf.Reset()
	if n := resp.ContentLength; n > 0 && n < maxBody {
		buf.Grow(int(n))
	}
	if _, err := buf.ReadFrom(io.LimitReader(resp.Body, maxBody)); err != nil {
		res.err = fmt.Errorf("read answer: %w", c.transportError(err, actx, ctx))
		res.timedOut = attemptTimedOut(actx, ctx)
		return res
	}
	if out != nil && buf.Len() > 0 {
		if err := json.Unmarshal(buf.Bytes(), out); err != nil {
			res.decodeErr = &unreadableError{err}
		}
	}
	return res
}

// attemptContext is the context of one attempt: the call's context bounded by Timeout, or
// what Config.AttemptContext makes of it.
func (c *Client) attemptContext(ctx context.Context) (context.Context, context.CancelFunc) {
	if c.cfg.AttemptContext != nil {
		return c.cfg.AttemptContext(ctx, c.cfg.Timeout)
	}
	return context.WithTimeout(ctx, c.cfg.Timeout)
}

// attemptTimedOut reports whether an attempt ended because its own deadline passed (the
// cause of its context, which for a plain time-out is its error), not the call's context.
func attemptTimedOut(attemptCtx, callCtx context.Context) bool {
	return callCtx.Err() == nil && errors.Is(context.Cause(attemptCtx), context.DeadlineExceeded)
}

// transportError explains a failure without an HTTP answer. url.Error is unwrapped
// because its text repeats the full URL (query included) for nothing.
func (c *Client) transportError(err error, attemptCtx, callCtx context.Context) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	if attemptTimedOut(attemptCtx, callCtx) {
		return fmt.Errorf("no answer within %s: %w", c.cfg.Timeout, context.DeadlineExceeded)
	}
	return err
}

// Do performs a request that may safely be repeated and decodes a 2xx JSON answer into out
// (nil discards it). Failures the retry policy ([Config].Retry) deems worth repeating (by
// default 5xx answers, network errors and unreadable answers) are retried with backoff up
// to its Attempts; a 429 waits for Retry-After (at most MaxRetryAfter per wait) and
// retries; all waiting together stays under MaxWait and ends with ctx. A POST not
// marked Idempotent is retried only when the failure provably left the server untouched
// (a 429, or a connection that failed before the request was written); for sends use
// [Client.Send].
//
// Errors are *[Error] for API answers, or wrap the network or context error otherwise;
// [ModelError] gives them in the model's kinds.
func (c *Client) Do(ctx context.Context, r Request, out any) error {
	_, err := c.do(ctx, r, out)
	return err
}

// Exchange records the last answer of a call made with [Client.DoWithHeader].
type Exchange struct {
	// Status is the HTTP status of the last answer, 0 when no answer came.
	Status int
	// Header holds the last answer's headers (X-Request-Id among them).
	Header http.Header
	// ErrorBody is the body of a non-2xx last answer (at most 64 KiB, token scrubbed),
	// for API versions whose error bodies carry more than [Error] keeps.
	ErrorBody []byte
	// Written reports whether any attempt of the call was written, even partly, to a
	// connection, so that the server may have acted on it. False means provably nothing
	// reached the server.
	Written bool
}

// DoWithHeader is [Client.Do] with extra request headers h sent on every attempt (added to
// r.Header), which also reports the last answer's status, headers and error body. Retries
// follow Do's rules for r exactly. API v2 uses it for its Idempotency-Key.
func (c *Client) DoWithHeader(ctx context.Context, r Request, h http.Header, out any) (Exchange, error) {
	if len(h) > 0 {
		merged := make(http.Header, len(r.Header)+len(h))
		for k, v := range r.Header {
			merged[k] = v
		}
		for k, v := range h {
			merged[k] = v
		}
		r.Header = merged
	}
	return c.do(ctx, r, out)
}

func (c *Client) do(ctx context.Context, r Request, out any) (ex Exchange, _ error) {
	if err := c.checkRequest(r); err != nil {
		return ex, err
	}
	body, err := encodeBody(r)
	if err != nil {
		return ex, err
	}
	retries := c.cfg.Retry.Start()
	for n := 1; ; n++ {
		ticket, err := c.lim.wait(ctx, c.cfg.Retry.MaxRetryAfter)
		if err != nil {
			return ex, c.waitError(r, err)
		}
		res := c.attempt(ctx, r, body, out)
		c.lim.observe(ticket, res.header, res.status, res.retryAfter)
		c.logAttempt(ctx, r, n, &res)
		ex = Exchange{Status: res.status, Header: res.header, ErrorBody: res.errBody, Written: ex.Written || res.written}
		if res.ok() {
			return ex, nil
		}
		if err := ctx.Err(); err != nil {
			return ex, &callError{r.Method, r.Path, err}
		}
		last := res.failure(r)
		if !retries.Retryable(last) {
			return ex, last
		}
		var (
			wait time.Duration
			ok   bool
		)
		switch {
		case res.apiErr != nil && res.status == http.StatusTooManyRequests:
			wait, ok = retries.NextLimited(res.retryAfter)
		case res.safeToRepeat(r):
			wait, ok = retries.Next(res.retryAfter)
		}
		if !ok {
			return ex, last
		}
		if err := retries.Wait(ctx, wait); err != nil {
			if ctx.Err() == nil {
				return ex, last // no time left for the wait
			}
			return ex, &callError{r.Method, r.Path, ctx.Err()}
		}
	}
}

// waitError reports a failed wait for a rate-limit slot: a hold longer than MaxRetryAfter
// as the rate-limit *Error it is, anything else (cancellation, deadline) wrapped.
func (c *Client) waitError(r Request, err error) error {
	var e *Error
	if errors.As(err, &e) {
		e.Method, e.Path = r.Method, r.Path
		return e
	}
	return &callError{r.Method, r.Path, fmt.Errorf("waiting for a rate-limit slot: %w", err)}
}

// failure turns a failed attempt into the error a caller sees.
func (a *attemptResult) failure(r Request) error {
	switch {
	case a.apiErr != nil:
		return a.apiErr
	case a.err != nil:
		return &callError{r.Method, r.Path, a.err}
	default:
		return &callError{r.Method, r.Path, a.decodeErr}
	}
}

// safeToRepeat reports whether a failed attempt (other than a 429) may be repeated without
// risk of doing twice what it asked: always for an idempotent request, and for any request
// that provably never reached the server.
func (a *attemptResult) safeToRepeat(r Request) bool {
	switch {
	case a.apiErr != nil:
		return r.idempotent()
	case a.err != nil:
		return !a.written || r.idempotent()
	default:
		// A 2xx whose body did not decode: repeating a read is harmless; repeating a
		// write that the server already accepted is not.
		return r.idempotent()
	}
}

func (c *Client) logAttempt(ctx context.Context, r Request, n int, res *attemptResult) {
	if !c.log.Enabled(ctx, slog.LevelDebug) {
		return
	}
	attrs := []slog.Attr{
		slog.String("method", r.Method),
		slog.String("path", r.Path),
		slog.Int("attempt", n),
		slog.Int("status", res.status),
		slog.Duration("elapsed", res.elapsed),
	}
	if rem := res.header.Get("X-RateLimit-Remaining"); rem != "" {
		attrs = append(attrs, slog.String("rate_remaining", rem))
	}
	if e := res.failure(r); !res.ok() {
		attrs = append(attrs, slog.String("error", e.Error()), slog.Bool("written", res.written))
	}
	c.log.LogAttrs(ctx, slog.LevelDebug, "inbox api request", attrs...)
}
