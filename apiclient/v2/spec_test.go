package v2

import (
	"bytes"
	"fmt"
	"io"
	"maps"
	"net/http"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/pb33f/jsonschema/v6"
	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
	"github.com/pb33f/libopenapi-validator/config"
	verrors "github.com/pb33f/libopenapi-validator/errors"
	"github.com/pb33f/libopenapi-validator/paths"
	"github.com/pb33f/libopenapi/datamodel/high/base"
	v3 "github.com/pb33f/libopenapi/datamodel/high/v3"
)

// specPath is the repository copy of the vendor's v2 OpenAPI document: the contract every
// request of this package and every scripted answer is checked against.
const specPath = "../../api/inbox-v2.openapi.json"

var (
	specOnce  sync.Once
	specModel *v3.Document
	specReq   validator.Validator // strict: also rejects undeclared query keys and headers
	specResp  validator.Validator
	specErr   error
)

// loadSpec builds the validators once per test binary: building them takes a while.
// Answers are checked without strict mode, whose undeclared-property check misreads
// nested anyOf (Message.sentBy) and open unions (platformData of other platforms); the
// document's own additionalProperties: false still applies.
func loadSpec(t testing.TB) (*v3.Document, validator.Validator, validator.Validator) {
	t.Helper()
	specOnce.Do(func() {
		raw, err := os.ReadFile(specPath)
		if err != nil {
			specErr = err
			return
		}
		doc, err := libopenapi.NewDocument(raw)
		if err != nil {
			specErr = err
			return
		}
		m, err := doc.BuildV3Model()
		if err != nil {
			specErr = err
			return
		}
		specModel = &m.Model
		specReq = validator.NewValidatorFromV3Model(specModel,
			config.WithFormatAssertions(), config.WithStrictMode(), config.WithRegexEngine(ecmaRegexp))
		specResp = validator.NewValidatorFromV3Model(specModel,
			config.WithFormatAssertions(), config.WithRegexEngine(ecmaRegexp))
	})
	if specErr != nil {
		t.Fatalf("load %s: %v", specPath, specErr)
	}
	return specModel, specReq, specResp
}

// The document writes its emoji pattern in ECMAScript syntax (Unicode property escapes such
// as \p{Extended_Pictographic}, \u{…} code points, a lookahead for "end of text"), which
// Go's RE2 cannot compile. ecmaRegexp rewrites those constructs into RE2 equivalents so the
// pattern is checked rather than skipped. Extended_Pictographic is approximated by the
// emoji blocks of Unicode 15, which covers every emoji a test sends.
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
	s = ecmaCodePoint.ReplaceAllString(s, `\x{$1$2}`)
	return regexp.Compile(s)
}

// specTransport validates every request against the document before sending it on, and
// every answer against the document before handing it back; it records failures and the
// operations exercised.
type specTransport struct {
	next      http.RoundTripper
	doc       *v3.Document
	req, resp validator.Validator

	mu       sync.Mutex
	failures []string
	ops      map[string]int // "METHOD /template" -> requests
}

func newSpecTransport(t testing.TB, next http.RoundTripper) *specTransport {
	doc, req, resp := loadSpec(t)
	return &specTransport{next: next, doc: doc, req: req, resp: resp, ops: map[string]int{}}
}

func (s *specTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		var err error
		body, err = io.ReadAll(req.Body)
		_ = req.Body.Close()
		if err != nil {
			return nil, err
		}
		req.Body = io.NopCloser(bytes.NewReader(body))
	}
	probe := req.Clone(req.Context())
	probe.Body = io.NopCloser(bytes.NewReader(body))
	ok, errs := s.req.ValidateHttpRequestSync(probe)
	item, _, tmpl := paths.FindPath(probe, s.doc, nil)
	problems := describe(errs)
	if item != nil {
		problems = append(problems, queryProblems(req, operation(item, req.Method))...)
	}
	s.record(req.Method+" "+tmpl, !ok || len(problems) > 0, "request", req, body, problems)

	resp, err := s.next.RoundTrip(req)
	if err != nil || item == nil {
		return resp, err
	}
	rb, rerr := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if rerr != nil {
		// A broken answer is the test's business, not the contract's: hand the client
		// the same failure it would have met.
		resp.Body = io.NopCloser(io.MultiReader(bytes.NewReader(rb), failingReader{rerr}))
		return resp, nil
	}
	resp.Body = io.NopCloser(bytes.NewReader(rb))
	check := *resp
	check.Body = io.NopCloser(bytes.NewReader(rb))
	probe.Body = io.NopCloser(bytes.NewReader(body))
	ok, errs = s.resp.ValidateHttpResponse(probe, &check)
	s.record("", !ok, fmt.Sprintf("%d answer", resp.StatusCode), req, rb, describe(errs))
	return resp, nil
}

type failingReader struct{ err error }

func (r failingReader) Read([]byte) (int, error) { return 0, r.err }

func (s *specTransport) record(op string, failed bool, what string, req *http.Request, body []byte, problems []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if op != "" {
		s.ops[op]++
	}
	if !failed {
		return
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s to %s %s", what, req.Method, req.URL.RequestURI())
	if len(body) > 0 {
		fmt.Fprintf(&b, " body %.400s", body)
	}
	for _, p := range problems {
		b.WriteString("\n    " + p)
	}
	s.failures = append(s.failures, b.String())
}

func describe(errs []*verrors.ValidationError) []string {
	var out []string
	for _, e := range errs {
		out = append(out, e.Message+": "+e.Reason)
		for _, se := range e.SchemaValidationErrors {
			out = append(out, "  "+se.Reason+" at "+se.FieldPath)
		}
	}
	return out
}

func operation(item *v3.PathItem, method string) *v3.Operation {
	for m, op := range item.GetOperations().FromOldest() {
		if strings.EqualFold(m, method) {
			return op
		}
	}
	return nil
}

// queryProblems checks what the validator leaves out about the query: v2 takes several
// values only by repeating an array parameter's key, so a scalar key must not repeat, and
// each repeated value must match the array's item schema (pattern, enum) and count.
func queryProblems(req *http.Request, op *v3.Operation) []string {
	if op == nil {
		return nil
	}
	var out []string
	for key, vals := range req.URL.Query() {
		i := slices.IndexFunc(op.Parameters, func(p *v3.Parameter) bool { return p.In == "query" && p.Name == key })
		if i < 0 || op.Parameters[i].Schema == nil {
			continue // strict mode reports undeclared keys
		}
		sch := op.Parameters[i].Schema.Schema()
		if !slices.Contains(sch.Type, "array") {
			if len(vals) > 1 {
				out = append(out, fmt.Sprintf("query key %q is not an array but is repeated %d times", key, len(vals)))
			}
			continue
		}
		if sch.MaxItems != nil && int64(len(vals)) > *sch.MaxItems {
			out = append(out, fmt.Sprintf("query key %q repeats %d times, more than maxItems %d", key, len(vals), *sch.MaxItems))
		}
		if sch.Items == nil || !sch.Items.IsA() {
			continue
		}
		out = append(out, itemProblems(key, vals, sch.Items.A.Schema())...)
	}
	return out
}

func itemProblems(key string, vals []string, item *base.Schema) []string {
	var out []string
	var re *regexp.Regexp
	if item.Pattern != "" {
		re = regexp.MustCompile(item.Pattern)
	}
	var enum []string
	for _, n := range item.Enum {
		enum = append(enum, n.Value)
	}
	for _, v := range vals {
		if re != nil && !re.MatchString(v) {
			out = append(out, fmt.Sprintf("query %s=%q does not match %s", key, v, item.Pattern))
		}
		if len(enum) > 0 && !slices.Contains(enum, v) {
			out = append(out, fmt.Sprintf("query %s=%q is not one of %v", key, v, enum))
		}
		if item.MinLength != nil && int64(len(v)) < *item.MinLength {
			out = append(out, fmt.Sprintf("query %s=%q is shorter than %d", key, v, *item.MinLength))
		}
	}
	return out
}

// check fails the test for every request or answer that did not validate.
func (s *specTransport) check(t testing.TB) {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, f := range s.failures {
		t.Errorf("does not match the v2 OpenAPI document: %s", f)
	}
	s.failures = nil
}

// exercised lists the operations requests were made to, as "METHOD /template".
func (s *specTransport) exercised() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.ops)
}

// allOperations lists every operation of the document as "METHOD /template".
func allOperations(doc *v3.Document) []string {
	var out []string
	for p, item := range doc.Paths.PathItems.FromOldest() {
		for m := range item.GetOperations().KeysFromOldest() {
			out = append(out, strings.ToUpper(m)+" "+p)
		}
	}
	sort.Strings(out)
	return out
}
