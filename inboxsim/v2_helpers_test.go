package inboxsim

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/httpx"
	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/v2api"
	"github.com/pb33f/jsonschema/v6"
	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
	"github.com/pb33f/libopenapi-validator/config"
	"github.com/pb33f/libopenapi-validator/paths"
	v3 "github.com/pb33f/libopenapi/datamodel/high/v3"
)

// v2SpecPath is the vendor's v2 OpenAPI document, the contract of /api/v2.
const v2SpecPath = "../api/inbox-v2.openapi.json"

var (
	v2SpecOnce sync.Once
	v2SpecDoc  *v3.Document
	v2SpecVal  validator.Validator
	v2SpecErr  error
	v2SpecMu   sync.Mutex
)

// The document writes its emoji pattern in ECMAScript syntax (\p{Extended_Pictographic},
// \u{…} code points, a lookahead for "end of text"), which Go's RE2 cannot compile.
// ecmaRegexp rewrites those constructs into RE2 so the pattern is checked, not skipped;
// Extended_Pictographic is approximated by the emoji blocks.
var ecmaRewrites = []struct{ from, to string }{
	{`(?![\s\S])`, `\z`},
	{`\p{Regional_Indicator}`, `[\x{1F1E6}-\x{1F1FF}]`},
	{`\p{Emoji_Modifier}`, `[\x{1F3FB}-\x{1F3FF}]`},
	{`\p{Extended_Pictographic}`, `[\x{00A9}\x{00AE}\x{203C}\x{2049}\x{2122}\x{2139}\x{2194}-\x{2199}\x{21A9}\x{21AA}\x{231A}\x{231B}\x{2328}\x{23CF}\x{23E9}-\x{23F3}\x{23F8}-\x{23FA}\x{24C2}\x{25AA}\x{25AB}\x{25B6}\x{25C0}\x{25FB}-\x{25FE}\x{2600}-\x{27BF}\x{2934}\x{2935}\x{2B05}-\x{2B07}\x{2B1B}\x{2B1C}\x{2B50}\x{2B55}\x{3030}\x{303D}\x{3297}\x{3299}\x{1F000}-\x{1FAFF}\x{1FC00}-\x{1FFFD}]`},
}

var ecmaCodePoint = regexp.MustCompile(`\\u\{([0-9A-Fa-f]+)\}|\\u([0-9A-Fa-f]{4})`)

func ecmaRegexp(s string) (jsonschema.Regexp, error) {
	for _, r := range ecmaRewrites {
		s = strings.ReplaceAll(s, r.from, r.to)
	}
	return regexp.Compile(ecmaCodePoint.ReplaceAllString(s, `\x{$1$2}`))
}

// v2Spec loads the document and a response validator once per test binary. Responses are
// checked without strict mode, whose undeclared-property check misreads nested anyOf
// (Message.sentBy) and open unions (platformData); the document's additionalProperties:
// false still applies.
func v2Spec(t testing.TB) (*v3.Document, validator.Validator) {
	t.Helper()
	v2SpecOnce.Do(func() {
		raw, err := os.ReadFile(v2SpecPath)
		if err != nil {
			v2SpecErr = err
			return
		}
		doc, err := libopenapi.NewDocument(raw)
		if err != nil {
			v2SpecErr = err
			return
		}
		m, err := doc.BuildV3Model()
		if err != nil {
			v2SpecErr = err
			return
		}
		v2SpecDoc = &m.Model
		v2SpecVal = validator.NewValidatorFromV3Model(v2SpecDoc, config.WithFormatAssertions(), config.WithRegexEngine(ecmaRegexp))
	})
	if v2SpecErr != nil {
		t.Fatalf("load %s: %v", v2SpecPath, v2SpecErr)
	}
	return v2SpecDoc, v2SpecVal
}

// v2Operations lists the document's operations as "METHOD /template".
func v2Operations(t testing.TB) []string {
	doc, _ := v2Spec(t)
	var out []string
	for p, item := range doc.Paths.PathItems.FromOldest() {
		for m := range item.GetOperations().KeysFromOldest() {
			out = append(out, strings.ToUpper(m)+" "+p)
		}
	}
	sort.Strings(out)
	return out
}

// v2Response is a v2 response read whole.
type v2Response struct {
	status int
	header http.Header
	body   []byte
}

func (r v2Response) decode(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
}

// v2API is a simulator behind a real HTTP server, with a client that validates every response
// (successes and errors alike) against the v2 document and counts the operations it reached.
type v2API struct {
	t     testing.TB
	sim   *Sim
	srv   *httptest.Server
	base  string
	token string

	mu  sync.Mutex
	ops map[string]int
}

// newV2API starts a simulator (rate limiting off unless opts sets limits).
func newV2API(t testing.TB, opts Options) *v2API {
	t.Helper()
	tt, ok := t.(*testing.T)
	if !ok {
		t.Fatal("newV2API needs a *testing.T")
	}
	api := newTestAPI(tt, opts)
	return &v2API{t: t, sim: api.sim, srv: api.srv, base: api.srv.URL + V2Prefix, token: api.token, ops: map[string]int{}}
}

// do sends a request (body: nil, a string sent as is, or a value encoded as JSON; header
// pairs after it) and validates the response against the document.
func (a *v2API) do(method, path string, body any, header ...string) v2Response {
	a.t.Helper()
	var raw []byte
	switch b := body.(type) {
	case nil:
	case string:
		raw = []byte(b)
	default:
		var err error
		if raw, err = json.Marshal(b); err != nil {
			a.t.Fatal(err)
		}
	}
	req, err := http.NewRequest(method, a.base+path, bytes.NewReader(raw))
	if err != nil {
		a.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if a.token != "" {
		req.Header.Set("Authorization", "Bearer "+a.token)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := a.srv.Client().Do(req)
	if err != nil {
		a.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	rb, err := io.ReadAll(resp.Body)
	if err != nil {
		a.t.Fatalf("%s %s: read body: %v", method, path, err)
	}
	res := v2Response{status: resp.StatusCode, header: resp.Header, body: rb}
	if op, err := validateV2(a.t, method, path, raw, res); err != nil {
		a.t.Fatalf("%s %s: %d response does not match the v2 document:\n%v\nbody: %.800s", method, path, res.status, err, rb)
	} else if op != "" {
		a.mu.Lock()
		a.ops[op]++
		a.mu.Unlock()
	}
	if res.header.Get("X-Request-Id") == "" {
		a.t.Fatalf("%s %s: no X-Request-Id header", method, path)
	}
	return res
}

// ok sends a request that must succeed with a 2xx and decodes the body into out (if set).
func (a *v2API) ok(method, path string, body, out any, header ...string) v2Response {
	a.t.Helper()
	res := a.do(method, path, body, header...)
	if res.status < 200 || res.status > 299 {
		a.t.Fatalf("%s %s: status %d, want 2xx: %s", method, path, res.status, res.body)
	}
	if out != nil {
		res.decode(a.t, out)
	}
	return res
}

// fails sends a request that must fail with status and code, and returns the error body.
func (a *v2API) fails(method, path string, body any, status int, code string, header ...string) v2api.ErrorBody {
	a.t.Helper()
	res := a.do(method, path, body, header...)
	if res.status != status {
		a.t.Fatalf("%s %s: status %d, want %d: %s", method, path, res.status, status, res.body)
	}
	var e v2api.ErrorBody
	res.decode(a.t, &e)
	if e.Code != code || e.Message == "" || e.RequestID != res.header.Get("X-Request-Id") {
		a.t.Fatalf("%s %s: error %+v, want code %s with a message and the response's request ID", method, path, e, code)
	}
	return e
}

// validateV2 checks a response against the document and returns its operation; a path the
// document does not have ("" operation) must be an error with the v2 error shape.
func validateV2(t testing.TB, method, path string, reqBody []byte, res v2Response) (string, error) {
	t.Helper()
	doc, val := v2Spec(t)
	req, err := http.NewRequestWithContext(context.Background(), method, "https://inboxapp.com"+V2Prefix+path, bytes.NewReader(reqBody))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	item, _, tmpl := paths.FindPath(req, doc, nil)
	if item == nil || operationOf(item, method) == nil {
		var e v2api.ErrorBody
		dec := json.NewDecoder(bytes.NewReader(res.body))
		dec.DisallowUnknownFields()
		if res.status < 400 || dec.Decode(&e) != nil || e.Code == "" || e.Message == "" || e.RequestID == "" {
			return "", errors.New("a request outside the document must fail with {code, message, details, requestId}")
		}
		return "", nil
	}
	resp := &http.Response{StatusCode: res.status, Header: res.header, Body: io.NopCloser(bytes.NewReader(res.body)), Request: req}
	v2SpecMu.Lock()
	ok, errs := val.ValidateHttpResponse(req, resp)
	v2SpecMu.Unlock()
	if ok {
		return method + " " + tmpl, nil
	}
	var msgs []string
	for _, e := range errs {
		msgs = append(msgs, e.Message+": "+e.Reason)
		for _, s := range e.SchemaValidationErrors {
			msgs = append(msgs, "  "+s.FieldPath+" "+s.Reason)
		}
	}
	return "", errors.New(strings.Join(msgs, "\n"))
}

func operationOf(item *v3.PathItem, method string) *v3.Operation {
	for m, op := range item.GetOperations().FromOldest() {
		if strings.EqualFold(m, method) {
			return op
		}
	}
	return nil
}

// v2Data decodes a collection page.
type v2PageOf[T any] struct {
	Data       []T     `json:"data"`
	NextCursor *string `json:"nextCursor"`
}

// jsonReader is a request body holding v as JSON.
func jsonReader(v any) io.Reader { return bytes.NewReader(httpx.JSONBody(v)) }
