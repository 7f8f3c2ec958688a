package inboxsim

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/seed"
	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/store"
	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/v1api"
	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
	"github.com/pb33f/libopenapi-validator/config"
)

// fakeClock is a settable clock for tests of time-dependent behaviour.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{t: time.Date(2026, 3, 10, 15, 4, 5, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// testAPI is a simulator behind a real HTTP server, with a client that can check every
// response against the OpenAPI document.
type testAPI struct {
	t        *testing.T
	sim      *Sim
	srv      *httptest.Server
	base     string
	token    string
	validate bool
}

var (
	templatesMu sync.Mutex
	templates   = map[string][]byte{}
)

// withConn runs fn on the driver connection of an in-memory store (it has exactly one).
func withConn(t *testing.T, s *store.Store, fn func(dc any) error) {
	t.Helper()
	conn, err := s.DB.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if err := conn.Raw(fn); err != nil {
		t.Fatal(err)
	}
}

// newTestSim returns a simulator like New. In-memory stores are seeded once per (seed, scale,
// clock) and copied for each test with SQLite's serialize/deserialize: seeding takes over a
// second under the race detector, a copy milliseconds. TestSeedDeterministic seeds for real.
func newTestSim(t *testing.T, opts Options) *Sim {
	t.Helper()
	if opts.DBPath != "" {
		sim, err := New(opts)
		if err != nil {
			t.Fatal(err)
		}
		return sim
	}
	clockKey := "real"
	if opts.Now != nil {
		clockKey = opts.Now().String()
	}
	o, err := opts.normalized()
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open("", o.Now, o.Logger, seed.Strangers)
	if err != nil {
		t.Fatal(err)
	}
	key := fmt.Sprint(o.Seed, "/", o.Scale, "/", clockKey)
	templatesMu.Lock()
	defer templatesMu.Unlock()
	if buf, ok := templates[key]; ok {
		withConn(t, st, func(dc any) error { return dc.(interface{ Deserialize([]byte) error }).Deserialize(buf) })
	} else {
		if _, err := seed.IfEmpty(context.Background(), st, o.Seed, o.Scale); err != nil {
			t.Fatal(err)
		}
		withConn(t, st, func(dc any) error {
			buf, err := dc.(interface{ Serialize() ([]byte, error) }).Serialize()
			templates[key] = buf
			return err
		})
	}
	sim, err := newSim(o, st)
	if err != nil {
		t.Fatal(err)
	}
	return sim
}

// newTestAPI starts a simulator with opts (rate limiting off unless opts sets limits).
func newTestAPI(t *testing.T, opts Options) *testAPI {
	t.Helper()
	if opts.RateLimit == (RateLimits{}) {
		opts.RateLimit.Disabled = true
	}
	return serveTestAPI(t, newTestSim(t, opts), opts)
}

// serveTestAPI puts a simulator behind an HTTP test server.
func serveTestAPI(t *testing.T, sim *Sim, opts Options) *testAPI {
	t.Helper()
	srv := httptest.NewServer(sim)
	t.Cleanup(func() {
		srv.Close()
		sim.Close()
	})
	token := DemoToken
	if len(opts.Tokens) > 0 {
		token = opts.Tokens[0]
	}
	return &testAPI{t: t, sim: sim, srv: srv, base: srv.URL + v1api.Prefix, token: token}
}

// result is a response read whole.
type result struct {
	status int
	header http.Header
	body   []byte
}

func (r result) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
}

// do sends a request (body: nil, a string sent as is, or a value encoded as JSON) and reads
// the response. With validate set, 2xx responses are checked against the OpenAPI document and
// error responses against the documented error shape.
func (a *testAPI) do(method, path string, body any) result {
	a.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			a.t.Fatal(err)
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, a.base+path, rd)
	if err != nil {
		a.t.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if a.token != "" {
		req.Header.Set("Authorization", "Bearer "+a.token)
	}
	resp, err := a.srv.Client().Do(req)
	if err != nil {
		a.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		a.t.Fatalf("%s %s: read body: %v", method, path, err)
	}
	res := result{status: resp.StatusCode, header: resp.Header, body: raw}
	if a.validate {
		checkResponse(a.t, method, path, res)
	}
	return res
}

// ok sends a request that must succeed and decodes the response into out (if not nil).
func (a *testAPI) ok(method, path string, body, out any) result {
	a.t.Helper()
	res := a.do(method, path, body)
	if res.status != http.StatusOK {
		a.t.Fatalf("%s %s: status %d, want 200: %s", method, path, res.status, res.body)
	}
	if out != nil {
		res.decode(a.t, out)
	}
	return res
}

// fails sends a request that must fail with status and code.
func (a *testAPI) fails(method, path string, body any, status int, code string) v1api.ErrorDetail {
	a.t.Helper()
	res := a.do(method, path, body)
	if res.status != status {
		a.t.Fatalf("%s %s: status %d, want %d: %s", method, path, res.status, status, res.body)
	}
	e := checkErrorBody(a.t, res)
	if e.Code != code {
		a.t.Fatalf("%s %s: code %s, want %s (%s)", method, path, e.Code, code, e.Message)
	}
	return e
}

var (
	specOnce      sync.Once
	specValidator validator.Validator
	specErr       error
	specRelaxed   int
)

// relaxNotAnything removes, and counts, the vendor document's "not": {} keywords. The
// document's generator renders "any value" (entities, attachment, reaction items, replyData
// and the unspecified DELETE bodies) as {"not": {}}, which no JSON value satisfies: read
// literally, every message would be invalid. Without the keyword the schema accepts any value.
func relaxNotAnything(v any) (any, int) {
	switch x := v.(type) {
	case map[string]any:
		n := 0
		if inner, ok := x["not"].(map[string]any); ok && len(inner) == 0 {
			delete(x, "not")
			n++
		}
		for k, child := range x {
			var c int
			x[k], c = relaxNotAnything(child)
			n += c
		}
		return x, n
	case []any:
		n := 0
		for i, child := range x {
			var c int
			x[i], c = relaxNotAnything(child)
			n += c
		}
		return x, n
	}
	return v, 0
}

// expectedRelaxed is how many {"not": {}} the v1 document has: Message (replyData, forwardData,
// entities, attachment, reaction items = 5), history versions (replyData, forwardData,
// expandedData, entities, attachment, reaction items = 6) and three DELETE bodies with two each.
// A different count means the document changed and this list needs a look.
const expectedRelaxed = 5 + 6 + 3*2

func specValidatorFor(t *testing.T) validator.Validator {
	t.Helper()
	specOnce.Do(func() {
		raw, err := os.ReadFile("../api/inbox-v1.openapi.json")
		if err != nil {
			specErr = err
			return
		}
		var doc any
		if specErr = json.Unmarshal(raw, &doc); specErr != nil {
			return
		}
		doc, specRelaxed = relaxNotAnything(doc)
		if raw, specErr = json.Marshal(doc); specErr != nil {
			return
		}
		d, err := libopenapi.NewDocument(raw)
		if err != nil {
			specErr = err
			return
		}
		v, errs := validator.NewValidator(d, config.WithFormatAssertions())
		if len(errs) > 0 {
			specErr = errs[0]
			return
		}
		specValidator = v
	})
	if specErr != nil {
		t.Fatalf("load the OpenAPI document: %v", specErr)
	}
	if specRelaxed != expectedRelaxed {
		t.Fatalf("the document has %d {\"not\":{}} schemas, want %d: review relaxNotAnything", specRelaxed, expectedRelaxed)
	}
	return specValidator
}

var (
	validateMu sync.Mutex
	errorCode  = regexp.MustCompile(`^[A-Z][A-Z0-9_]*$`)
)

// checkResponse validates a response against the OpenAPI document (2xx) or the documented
// error shape (everything else).
func checkResponse(t *testing.T, method, path string, res result) {
	t.Helper()
	if res.status >= 300 {
		checkErrorBody(t, res)
		return
	}
	if err := validateResponse(t, method, path, res); err != nil {
		body := string(res.body)
		if len(body) > 600 {
			body = body[:600] + "…"
		}
		t.Fatalf("%s %s: response does not match the OpenAPI document:\n%v\nbody: %s", method, path, err, body)
	}
}

// validateResponse checks a 2xx response against the OpenAPI document.
func validateResponse(t *testing.T, method, path string, res result) error {
	t.Helper()
	v := specValidatorFor(t)
	req, err := http.NewRequestWithContext(context.Background(), method, "https://inboxapp.com"+v1api.Prefix+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp := &http.Response{StatusCode: res.status, Header: res.header, Body: io.NopCloser(bytes.NewReader(res.body)), Request: req}
	validateMu.Lock()
	ok, errs := v.ValidateHttpResponse(req, resp)
	validateMu.Unlock()
	if ok {
		return nil
	}
	var msgs []string
	for _, e := range errs {
		msgs = append(msgs, e.Message+": "+e.Reason)
		for _, s := range e.SchemaValidationErrors {
			msgs = append(msgs, "  "+s.FieldPath+" "+s.Reason)
		}
	}
	return errors.New(strings.Join(msgs, "\n"))
}

// checkErrorBody checks the documented error shape exactly:
// {"error": {"code": SCREAMING_SNAKE, "message": non-empty, "status": the HTTP status}}.
func checkErrorBody(t *testing.T, res result) v1api.ErrorDetail {
	t.Helper()
	var outer map[string]json.RawMessage
	if err := json.Unmarshal(res.body, &outer); err != nil || len(outer) != 1 || outer["error"] == nil {
		t.Fatalf("error body %s is not {\"error\": {...}}", res.body)
	}
	var inner map[string]json.RawMessage
	if err := json.Unmarshal(outer["error"], &inner); err != nil || len(inner) != 3 {
		t.Fatalf("error object %s must have exactly code, message and status", outer["error"])
	}
	var e v1api.ErrorDetail
	dec := json.NewDecoder(bytes.NewReader(outer["error"]))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&e); err != nil {
		t.Fatalf("error object %s: %v", outer["error"], err)
	}
	if !errorCode.MatchString(e.Code) || e.Message == "" || e.Status != res.status {
		t.Fatalf("error body %s: want a SCREAMING_SNAKE code, a message and status %d", res.body, res.status)
	}
	if ct := res.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("error Content-Type %q, want application/json", ct)
	}
	return e
}

// dbStrings runs a query returning one string column.
func dbStrings(t *testing.T, s *Sim, query string, args ...any) []string {
	t.Helper()
	rows, err := s.store.DB.Query(query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	return out
}

// checkDenormalized verifies the copies the store keeps for speed against their sources: the
// last-message preview in each thread and the comma-joined tags of each prospect.
func checkDenormalized(t *testing.T, s *Sim) {
	t.Helper()
	if n := dbInt(t, s, `SELECT count(*) FROM threads t LEFT JOIN messages m ON m.id = t.last_message_id
		WHERE (t.last_message_id IS NULL AND (t.lm_content IS NOT NULL OR t.last_message_at IS NOT NULL))
		OR (t.last_message_id IS NOT NULL AND (m.id IS NULL OR t.lm_content != m.content OR t.lm_author != m.author_id
		OR t.last_message_at != m.created_at OR coalesce(t.lm_user, '') != coalesce(m.user_id, '')
		OR coalesce(t.lm_campaign, '') != coalesce(m.campaign_id, '')
		OR m.created_at != (SELECT max(created_at) FROM messages x WHERE x.thread_id = t.id)))`); n != 0 {
		t.Errorf("%d threads whose last-message preview does not match their newest message", n)
	}
	if n := dbInt(t, s, `SELECT count(*) FROM prospects p WHERE p.tags != coalesce((SELECT group_concat(tag_id) FROM
		(SELECT tag_id FROM prospect_tags pt WHERE pt.prospect_id = p.id ORDER BY instr(p.tags, tag_id))), '')`); n != 0 {
		t.Errorf("%d prospects whose tag list does not match their prospect_tags rows", n)
	}
}

func dbInt(t *testing.T, s *Sim, query string, args ...any) int {
	t.Helper()
	var n int
	if err := s.store.DB.QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
