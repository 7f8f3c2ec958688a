package v2

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/inbox-mcp/inbox-mcp/apiclient"
	"github.com/inbox-mcp/inbox-mcp/apiclient/apiclienttest"
	"github.com/inbox-mcp/inbox-mcp/internal/leaktest"
)

// reply is one scripted answer.
type reply struct {
	status int
	body   any
	header map[string]string
	drop   bool // read the request, then close the connection without answering
	// stall: a server slower than the client waits. The server times the client's attempt
	// out (through its apiclienttest.Timeouts) and never answers, so the time-out is
	// certain at any machine speed.
	stall bool
	// arrive, when set, runs once the request is at the server (before any answer); with
	// hold the server then never answers, e.g. to cancel the call mid-flight.
	arrive func()
	hold   bool
	cut    bool // announce a longer body than is sent, so the answer cannot be read
}

// seen is one request the scripted server received.
type seen struct {
	op     string // "METHOD /template"
	path   string
	query  map[string][]string
	body   string
	idem   string // Idempotency-Key
	header http.Header
}

// scripted is a v2 server that answers each operation with the document-based fixtures,
// unless a test scripted a sequence of replies for it (the last one then repeats).
type scripted struct {
	mu      sync.Mutex
	scripts map[string][]reply
	handler map[string]func(r *http.Request, body []byte) reply
	reqs    []seen
	// tm decides when the attempts of the clients of this server time out: only when a
	// stalled reply expires them.
	tm apiclienttest.Timeouts
}

// routes lists every operation of the v2 document with its fixture answer.
func (s *scripted) routes() map[string]func(r *http.Request, body []byte) reply {
	ok := func(v any) reply { return reply{status: http.StatusOK, body: v} }
	contact := func(r *http.Request, c map[string]any, p map[string]any) map[string]any {
		c = with(c, "profiles", []any{p})
		return expandContact(r, c)
	}
	return map[string]func(*http.Request, []byte) reply{
		"GET /platforms":          func(*http.Request, []byte) reply { return ok([]any{fxPlatformX, fxPlatformLi}) },
		"GET /team":               func(*http.Request, []byte) reply { return ok(fxTeam) },
		"GET /members":            func(*http.Request, []byte) reply { return ok(page(nil, fxMember, fxMember2)) },
		"GET /members/{memberId}": func(*http.Request, []byte) reply { return ok(fxMember) },
		"GET /account-links":      func(*http.Request, []byte) reply { return ok(page(nil, fxAccountX, fxAccountLi)) },
		"GET /account-links/{accountLinkId}": func(r *http.Request, _ []byte) reply {
			if r.PathValue("accountLinkId") == liAccountID {
				return ok(fxAccountLi)
			}
			return ok(fxAccountX)
		},
		"GET /contacts": func(r *http.Request, _ []byte) reply {
			q := r.URL.Query()
			var out []any
			if q.Get("platform") == "twitter" && (slices.Contains(q["platformId"], sarahXID) || slices.Contains(q["username"], "sarahchen")) {
				out = append(out, contact(r, fxContactSarah, fxProfileSarah))
			}
			if q.Get("platform") == "linkedin" && (slices.Contains(q["platformId"], omarLiID) || slices.Contains(q["username"], "omar-haddad")) {
				out = append(out, contact(r, fxContactOmar, fxProfileOmar))
			}
			return ok(page(nil, out...))
		},
		"GET /contacts/{contactId}": func(r *http.Request, _ []byte) reply {
			if r.PathValue("contactId") == omarID {
				return ok(contact(r, fxContactOmar, fxProfileOmar))
			}
			return ok(contact(r, fxContactSarah, fxProfileSarah))
		},
		"PATCH /contacts/{contactId}": func(r *http.Request, _ []byte) reply { return ok(contact(r, fxContactSarah, fxProfileSarah)) },
		"PUT /contacts/{contactId}/tags/{tagRef}": func(*http.Request, []byte) reply {
			return reply{status: http.StatusNoContent}
		},
		"DELETE /contacts/{contactId}/tags/{tagRef}": func(*http.Request, []byte) reply {
			return reply{status: http.StatusNoContent}
		},
		"GET /threads": func(r *http.Request, _ []byte) reply {
			return ok(page(nil, expandThread(r, fxThreadSarah), expandThread(r, fxThreadOmar)))
		},
		"GET /threads/{threadId}": func(r *http.Request, _ []byte) reply {
			if r.PathValue("threadId") == thOmarID {
				return ok(expandThread(r, fxThreadOmar))
			}
			return ok(expandThread(r, fxThreadSarah))
		},
		"PATCH /threads/{threadId}":  func(*http.Request, []byte) reply { return ok(with(fxThreadSarah, "archived", true)) },
		"DELETE /threads/{threadId}": func(*http.Request, []byte) reply { return ok(obj(`{"scope":"local"}`)) },
		"POST /threads/{threadId}/typing": func(*http.Request, []byte) reply {
			return reply{status: http.StatusAccepted, body: obj(`{"status":"sent","reason":null}`)}
		},
		"GET /threads/{threadId}/messages": func(r *http.Request, _ []byte) reply {
			return ok(page(nil, message(r, fxMessageIn), message(r, fxMessageOut), message(r, fxMessageCampaign)))
		},
		"GET /messages/{messageId}":   func(r *http.Request, _ []byte) reply { return ok(message(r, fxMessageOut)) },
		"PATCH /messages/{messageId}": func(r *http.Request, _ []byte) reply { return ok(message(r, fxMessageOut)) },
		"DELETE /messages/{messageId}": func(*http.Request, []byte) reply {
			return ok(obj(`{"messageId":"` + msgOutID + `","scope":"all","deletedAt":"` + at + `"}`))
		},
		"POST /messages": func(r *http.Request, _ []byte) reply {
			return reply{status: http.StatusCreated, body: sendResult(msgNewID)}
		},
		"GET /messages/{messageId}/history": func(*http.Request, []byte) reply { return ok(fxHistory) },
		"POST /messages/{messageId}/reactions": func(*http.Request, []byte) reply {
			return ok(map[string]any{"reactions": fxMessageIn["reactions"], "version": 3})
		},
		"DELETE /messages/{messageId}/reactions": func(*http.Request, []byte) reply {
			return ok(map[string]any{"reactions": []any{}, "version": 4})
		},
		"GET /messages/{messageId}/attachments/{index}": func(*http.Request, []byte) reply { return ok(fxAttachment) },
		"GET /tags":                    func(*http.Request, []byte) reply { return ok(page(nil, fxTags...)) },
		"POST /tags":                   func(*http.Request, []byte) reply { return reply{status: http.StatusCreated, body: fxTags[1]} },
		"GET /tags/{tagRef}":           func(*http.Request, []byte) reply { return ok(fxTags[0]) },
		"PATCH /tags/{tagRef}":         func(*http.Request, []byte) reply { return ok(fxTags[0]) },
		"DELETE /tags/{tagRef}":        func(*http.Request, []byte) reply { return reply{status: http.StatusNoContent} },
		"GET /statuses":                func(*http.Request, []byte) reply { return ok(page(nil, fxStatuses...)) },
		"POST /statuses":               func(*http.Request, []byte) reply { return reply{status: http.StatusCreated, body: fxStatuses[1]} },
		"GET /statuses/{statusRef}":    func(*http.Request, []byte) reply { return ok(fxStatuses[0]) },
		"PATCH /statuses/{statusRef}":  func(*http.Request, []byte) reply { return ok(fxStatuses[1]) },
		"DELETE /statuses/{statusRef}": func(*http.Request, []byte) reply { return reply{status: http.StatusNoContent} },
		"GET /colors":                  func(*http.Request, []byte) reply { return ok(fxColors) },
		"GET /events":                  func(*http.Request, []byte) reply { return ok(fxEvents) },
	}
}

func sendResult(messageID string) map[string]any {
	m := with(fxMessageOut, "id", messageID, "content", "Thanks, talk soon!", "editedAt", nil, "reactions", []any{},
		"attachments", []any{}, "replyTo", nil, "sentBy", obj(`{"type":"api","tokenId":null}`), "entities", fxEntities)
	return map[string]any{"message": m, "thread": fxThreadSarah}
}

func expandThread(r *http.Request, t map[string]any) map[string]any {
	ex := r.URL.Query()["expand"]
	sarah := t["id"] == thSarahID
	if slices.Contains(ex, "profile") {
		t = with(t, "profile", pick(sarah, fxProfileSarah, fxProfileOmar))
	}
	if slices.Contains(ex, "contact") {
		c := pick(sarah, fxContactSarah, fxContactOmar)
		t = with(t, "contact", with(c, "profiles", []any{pick(sarah, fxProfileSarah, fxProfileOmar)}))
	}
	if slices.Contains(ex, "accountLink") {
		t = with(t, "accountLink", pick(sarah, fxAccountX, fxAccountLi))
	}
	return t
}

func expandContact(r *http.Request, c map[string]any) map[string]any {
	ex := r.URL.Query()["expand"]
	if slices.Contains(ex, "tags") {
		tags := []any{}
		for _, id := range c["tagIds"].([]any) {
			for _, t := range fxTags {
				if t.(map[string]any)["id"] == id {
					tags = append(tags, t)
				}
			}
		}
		c = with(c, "tags", tags)
	}
	return c
}

// message renders a fixture message, expanding reaction authors when asked.
func message(r *http.Request, m map[string]any) map[string]any {
	m = with(m, "entities", fxEntities)
	if !slices.Contains(r.URL.Query()["expand"], "reactions.author") {
		return m
	}
	var rs []any
	for _, x := range m["reactions"].([]any) {
		rx := with(x.(map[string]any))
		a := with(rx["author"].(map[string]any))
		switch a["type"] {
		case "accountLink":
			a["accountLink"] = fxAccountX
		case "profile":
			a["profile"] = fxProfileSarah
		}
		rx["author"] = a
		rs = append(rs, rx)
	}
	if rs == nil {
		rs = []any{}
	}
	return with(m, "reactions", rs)
}

func pick[T any](cond bool, a, b T) T {
	if cond {
		return a
	}
	return b
}

// newScripted starts the scripted server under /api/v2.
func newScripted(t testing.TB) (*scripted, *httptest.Server) {
	s := &scripted{scripts: map[string][]reply{}}
	s.handler = s.routes()
	mux := http.NewServeMux()
	for op := range s.handler {
		method, path, _ := strings.Cut(op, " ")
		mux.HandleFunc(method+" /api/v2"+path, func(w http.ResponseWriter, r *http.Request) { s.serve(op, w, r) })
	}
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return s, srv
}

// script queues replies for an operation ("POST /messages"); the last one repeats.
func (s *scripted) script(op string, rs ...reply) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.scripts[op] = rs
}

// requests returns what the server received for op ("" = everything).
func (s *scripted) requests(op string) []seen {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []seen
	for _, r := range s.reqs {
		if op == "" || r.op == op {
			out = append(out, r)
		}
	}
	return out
}

func (s *scripted) serve(op string, w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	s.reqs = append(s.reqs, seen{op: op, path: r.URL.EscapedPath(), query: r.URL.Query(), body: string(body),
		idem: r.Header.Get("Idempotency-Key"), header: r.Header.Clone()})
	var rep reply
	if q := s.scripts[op]; len(q) > 0 {
		rep = q[0]
		if len(q) > 1 {
			s.scripts[op] = q[1:]
		}
	} else {
		rep = s.handler[op](r, body)
	}
	s.mu.Unlock()
	if rep.stall {
		s.tm.Expire()
	}
	write(w, r, rep)
}

// write answers rep. A stalled reply's attempt must have been expired by the caller.
func write(w http.ResponseWriter, r *http.Request, rep reply) {
	if rep.arrive != nil {
		rep.arrive()
	}
	if rep.stall || rep.hold {
		<-r.Context().Done()
		return
	}
	if rep.drop {
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				conn.Close()
			}
		}
		return
	}
	for k, v := range rep.header {
		w.Header().Set(k, v)
	}
	if rep.body == nil {
		w.WriteHeader(rep.status)
		return
	}
	b, _ := json.Marshal(rep.body)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Request-Id", "req_7f3a9c2e")
	if rep.cut {
		w.Header().Set("Content-Length", strconv.Itoa(len(b)+64))
	}
	w.WriteHeader(rep.status)
	_, _ = w.Write(b)
}

// target is a v2 server the tests can run against: the scripted server, the simulator
// (inboxsim, started in process) and, with INBOX_V2_URL (the API root, e.g.
// http://127.0.0.1:8787/api/v2) and INBOX_V2_TOKEN, a running server, for the tests that do
// not depend on scripted answers.
type target struct {
	name     string
	baseURL  string
	token    string
	scripted *scripted // nil for a real server
}

func targets(t *testing.T) []target {
	s, srv := newScripted(t)
	out := []target{{name: "scripted", baseURL: srv.URL + "/api/v2", token: "test-token", scripted: s}, simTarget(t)}
	if u := os.Getenv("INBOX_V2_URL"); u != "" {
		out = append(out, target{name: "server", baseURL: u, token: os.Getenv("INBOX_V2_TOKEN")})
	}
	return out
}

// newClient returns a v2 client on tg whose every request and answer is validated against
// the document; the test fails at cleanup for any mismatch.
func newClient(t *testing.T, tg target, o Options, cfg apiclient.Config) (*Client, *specTransport) {
	t.Helper()
	hc := http.DefaultTransport.(*http.Transport).Clone()
	t.Cleanup(hc.CloseIdleConnections)
	st := newSpecTransport(t, hc)
	cfg.BaseURL, cfg.Token = tg.baseURL, tg.token
	cfg.HTTPClient = &http.Client{Transport: st}
	// Attempts time out only when a test server expires them, never on a wall clock that a
	// loaded machine can outrun.
	if cfg.AttemptContext == nil {
		tm := &apiclienttest.Timeouts{}
		if tg.scripted != nil {
			tm = &tg.scripted.tm
		}
		cfg.AttemptContext = tm.Context
	}
	if cfg.RatePerMinute == 0 {
		cfg.RatePerMinute = -1
	}
	tr, err := apiclient.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.check(t) })
	return New(tr, o), st
}

// scriptedClient is newClient on a fresh scripted server.
func scriptedClient(t *testing.T, o Options, cfg apiclient.Config) (*Client, *scripted, *specTransport) {
	t.Helper()
	s, srv := newScripted(t)
	c, st := newClient(t, target{name: "scripted", baseURL: srv.URL + "/api/v2", token: "test-token", scripted: s}, o, cfg)
	return c, s, st
}

func TestMain(m *testing.M) {
	leaktest.VerifyTestMain(m) // waits out goroutines still shutting down; a real leak still fails
}

// testCtx is the test's context. It has no deadline of its own, which a loaded machine
// could outrun: go test's -timeout ends a call that hangs.
func testCtx(t *testing.T) context.Context {
	return t.Context()
}
