package inboxsim

import (
	"bytes"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// apiPrefix is where the v1 API is served.
const apiPrefix = "/api/v1"

// response is a fully built answer. Handlers never write to the connection themselves, so
// the fault layer can deliver a response whole, cut short, or not at all.
type response struct {
	status int
	header http.Header
	body   []byte
	pooled bool // body came from bodyPool
}

func jsonBody(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	// Like the real API (a JavaScript server), do not escape <, > and & in strings.
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		// Wire types always encode; a failure here is a programming error.
		panic(fmt.Sprintf("inboxsim: encode response: %v", err))
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Status  int    `json:"status"`
}

func errorResponse(e *Error) response {
	return response{status: e.Status, header: http.Header{},
		body: jsonBody(errorBody{Error: errorDetail{Code: e.Code, Message: e.Message, Status: e.Status}})}
}

// serve runs a request through the layers: injected latency, authentication, injected
// errors, the rate limiter, the handler, and the delivery faults.
func (s *Sim) serve(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	s.stats.update(func(st *Stats) { st.Requests++ })
	plan := s.faults.plan(r)
	if plan.delay > 0 {
		s.stats.update(func(st *Stats) { st.Faults.Delayed++ })
		if s.wait(FaultWait{Duration: plan.delay, Request: r, Context: r.Context()}) != nil {
			return
		}
	}
	resp, op := s.respond(r, plan)
	switch {
	case plan.drop && op != "":
		// The request was processed; the client never learns the outcome.
		s.stats.update(func(st *Stats) { st.Faults.Dropped++ })
		s.log.Debug("dropped connection after processing", "method", r.Method, "path", r.URL.Path, "op", op)
		abortConnection(w, nil)
		return
	case plan.truncate && len(resp.body) > 1:
		s.stats.update(func(st *Stats) { st.Faults.Truncated++; st.ByStatus[resp.status]++ })
		writeHeader(w, resp)
		abortConnection(w, resp.body[:len(resp.body)/2])
		return
	}
	s.stats.update(func(st *Stats) { st.ByStatus[resp.status]++ })
	writeHeader(w, resp)
	w.Write(resp.body)
	if resp.pooled {
		releaseBuffer(resp.body)
	}
	s.log.Debug("request", "method", r.Method, "path", r.URL.Path, "op", op, "status", resp.status,
		"took", time.Since(start).Round(time.Microsecond))
}

func writeHeader(w http.ResponseWriter, resp response) {
	h := w.Header()
	for k, v := range resp.header {
		h[k] = v
	}
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(resp.body)))
	w.WriteHeader(resp.status)
}

// abortConnection sends partial (if any) and closes the connection without finishing the
// response: through Hijack where the server allows it, else by aborting the handler, which
// makes net/http close the connection.
func abortConnection(w http.ResponseWriter, partial []byte) {
	if len(partial) > 0 {
		w.Write(partial)
		// Only a partial answer is flushed: flushing with nothing written would send a
		// "200 OK" status line, and a dropped connection must leave the client with no
		// answer at all.
		if f, ok := w.(http.Flusher); ok {
			f.Flush()
		}
	}
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler)
}

// respond builds the response and names the operation that processed the request ("" when
// none did: auth failure, injected error, rate limit, unknown route).
func (s *Sim) respond(r *http.Request, plan faultPlan) (response, string) {
	path := r.URL.Path
	if path == V2Prefix || strings.HasPrefix(path, V2Prefix+"/") {
		return s.respondV2(r, plan)
	}
	if path != apiPrefix && !strings.HasPrefix(path, apiPrefix+"/") {
		return errorResponse(errorf(http.StatusNotFound, CodeNotFound, "no such endpoint %s; the Inbox API v1 is served under %s", path, apiPrefix)), ""
	}
	team, authErr := s.authenticate(r)
	if authErr != nil {
		resp := errorResponse(authErr)
		resp.header.Set("WWW-Authenticate", `Bearer realm="inbox"`)
		return resp, ""
	}
	if plan.status != 0 {
		s.stats.update(func(st *Stats) { st.Faults.Errors++ })
		code := map[int]string{500: CodeInternal, 502: CodeBadGateway, 503: CodeUnavailable}[plan.status]
		return errorResponse(errorf(plan.status, code, "the Inbox API is temporarily unavailable; retry with backoff")), ""
	}
	if plan.burst {
		s.stats.update(func(st *Stats) { st.Faults.RateLimitBursts++ })
		resp := errorResponse(errorf(http.StatusTooManyRequests, CodeRateLimited, rateLimitedMessageFmt, 1))
		resp.header.Set("Retry-After", "1")
		resp.header.Set("X-RateLimit-Limit", strconv.Itoa(s.limiter.windows[0].limit))
		resp.header.Set("X-RateLimit-Remaining", "0")
		resp.header.Set("X-RateLimit-Reset", strconv.FormatInt(s.now().Add(time.Second).Unix(), 10))
		return resp, ""
	}
	lr := s.limiter.take(team)
	var resp response
	op := ""
	if !lr.allowed {
		s.stats.update(func(st *Stats) { st.RateLimited++ })
		secs := int(math.Ceil(lr.retryAfter.Seconds()))
		secs = max(secs, 1)
		resp = errorResponse(errorf(http.StatusTooManyRequests, CodeRateLimited, rateLimitedMessageFmt, secs))
		resp.header.Set("Retry-After", strconv.Itoa(secs))
	} else {
		resp, op = s.router.dispatch(r, team, strings.TrimPrefix(path, apiPrefix))
	}
	if !s.limiter.disabled {
		resp.header.Set("X-RateLimit-Limit", strconv.Itoa(lr.limit))
		resp.header.Set("X-RateLimit-Remaining", strconv.Itoa(lr.remaining))
		resp.header.Set("X-RateLimit-Reset", strconv.FormatInt(int64(math.Ceil(float64(lr.reset.UnixMilli())/1000)), 10))
	}
	return resp, op
}

// authenticate returns the team of the request's bearer token.
func (s *Sim) authenticate(r *http.Request) (string, *Error) {
	h := r.Header.Get("Authorization")
	if h == "" {
		return "", errorf(http.StatusUnauthorized, CodeUnauthorized, "missing Authorization header; send Authorization: Bearer <API token> (create tokens in Inbox under Settings -> API)")
	}
	scheme, token, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
		return "", errorf(http.StatusUnauthorized, CodeUnauthorized, "malformed Authorization header; use the form: Bearer <API token>")
	}
	token = strings.TrimSpace(token)
	for t, team := range s.tokens {
		if subtle.ConstantTimeCompare([]byte(t), []byte(token)) == 1 {
			return team, nil
		}
	}
	return "", errorf(http.StatusUnauthorized, CodeUnauthorized, "invalid or missing authentication token; check the API token (it may have been revoked)")
}
