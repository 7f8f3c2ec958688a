package inboxsim

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/httpx"
)

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
	var resp httpx.Response
	var op string
	in := httpx.Injected{Status: plan.status, Burst: plan.burst}
	if p := r.URL.Path; p == V2Prefix || strings.HasPrefix(p, V2Prefix+"/") {
		resp, op = s.v2.Respond(r, in)
	} else {
		resp, op = s.v1.Respond(r, in)
	}
	switch {
	case plan.drop && op != "":
		// The request was processed; the client never learns the outcome.
		s.stats.update(func(st *Stats) { st.Faults.Dropped++ })
		s.log.Debug("dropped connection after processing", "method", r.Method, "path", r.URL.Path, "op", op)
		abortConnection(w, nil)
		return
	case plan.truncate && len(resp.Body) > 1:
		s.stats.update(func(st *Stats) { st.Faults.Truncated++; st.ByStatus[resp.Status]++ })
		writeHeader(w, resp)
		abortConnection(w, resp.Body[:len(resp.Body)/2])
		return
	}
	s.stats.update(func(st *Stats) { st.ByStatus[resp.Status]++ })
	writeHeader(w, resp)
	w.Write(resp.Body)
	if resp.Pooled {
		httpx.ReleaseBuffer(resp.Body)
	}
	s.log.Debug("request", "method", r.Method, "path", r.URL.Path, "op", op, "status", resp.Status,
		"took", time.Since(start).Round(time.Microsecond))
}

func writeHeader(w http.ResponseWriter, resp httpx.Response) {
	h := w.Header()
	for k, v := range resp.Header {
		h[k] = v
	}
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(resp.Body)))
	w.WriteHeader(resp.Status)
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
