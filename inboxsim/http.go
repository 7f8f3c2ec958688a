package inboxsim

import (
	"bytes"
	"encoding/json"
	"fmt"
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
	var resp response
	var op string
	in := injected{status: plan.status, burst: plan.burst}
	if p := r.URL.Path; p == V2Prefix || strings.HasPrefix(p, V2Prefix+"/") {
		resp, op = s.v2.respond(r, in)
	} else {
		resp, op = s.v1.respond(r, in)
	}
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
