package v1

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
	"github.com/pb33f/libopenapi-validator/config"
	liberrors "github.com/pb33f/libopenapi-validator/errors"
	"github.com/pb33f/libopenapi-validator/paths"
	"github.com/pb33f/libopenapi-validator/schema_validation"
	v3 "github.com/pb33f/libopenapi/datamodel/high/v3"
)

// specPath is the repository copy of the vendor's v1 OpenAPI document.
const specPath = "../../api/inbox-v1.openapi.json"

var (
	specOnce  sync.Once
	specModel *v3.Document
	specVal   validator.Validator
	specErr   error
)

// loadSpec builds the validator once per test binary: building it takes a while.
func loadSpec(t testing.TB) (*v3.Document, validator.Validator) {
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
		specVal = validator.NewValidatorFromV3Model(specModel, config.WithFormatAssertions(), config.WithStrictMode())
	})
	if specErr != nil {
		t.Fatalf("load %s: %v", specPath, specErr)
	}
	return specModel, specVal
}

// specTransport validates every request against the OpenAPI document before sending it on,
// and records which operations were exercised.
type specTransport struct {
	t    testing.TB
	next http.RoundTripper
	doc  *v3.Document
	v    validator.Validator

	schemas schema_validation.SchemaValidator

	mu       sync.Mutex
	failures []string
	ops      map[string]int // "METHOD /template" -> requests
}

func newSpecTransport(t testing.TB, next http.RoundTripper) *specTransport {
	doc, v := loadSpec(t)
	return &specTransport{t: t, next: next, doc: doc, v: v, ops: map[string]int{},
		schemas: schema_validation.NewSchemaValidator(config.WithFormatAssertions())}
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
	_, errs := s.v.ValidateHttpRequestSync(probe)
	item, _, tmpl := paths.FindPath(probe, s.doc, nil)
	errs = append(filterDeepObjectNames(errs, item, req.Method), s.validateDeepObjects(probe, item)...)
	ok := len(errs) == 0

	s.mu.Lock()
	s.ops[req.Method+" "+tmpl]++
	if !ok {
		var b strings.Builder
		fmt.Fprintf(&b, "%s %s", req.Method, req.URL.RequestURI())
		if len(body) > 0 {
			fmt.Fprintf(&b, " body %s", body)
		}
		for _, e := range errs {
			fmt.Fprintf(&b, "\n    %s: %s", e.Message, e.Reason)
			for _, se := range e.SchemaValidationErrors {
				fmt.Fprintf(&b, "\n      %s at %s", se.Reason, se.FieldPath)
			}
		}
		s.failures = append(s.failures, b.String())
	}
	s.mu.Unlock()
	return s.next.RoundTrip(req)
}

// Strict mode reports each bracketed key of a deepObject parameter (filters[tags][noTags])
// as an undeclared parameter, and the validator checks deepObject contents only loosely.
// filterDeepObjectNames drops the former; validateDeepObjects makes up for the latter by
// rebuilding each deepObject value from its bracketed keys and validating it against the
// parameter's schema.
func filterDeepObjectNames(errs []*liberrors.ValidationError, item *v3.PathItem, method string) []*liberrors.ValidationError {
	roots := deepObjectParams(item, method)
	var out []*liberrors.ValidationError
	for _, e := range errs {
		if e.ValidationType == liberrors.StrictValidationType && e.ValidationSubType == liberrors.StrictSubTypeQuery {
			if root, _, ok := strings.Cut(e.ParameterName, "["); ok && roots[root] != nil {
				continue
			}
		}
		out = append(out, e)
	}
	return out
}

func deepObjectParams(item *v3.PathItem, method string) map[string]*v3.Parameter {
	out := map[string]*v3.Parameter{}
	if item == nil {
		return out
	}
	op := item.GetOperations().GetOrZero(strings.ToLower(method))
	if op == nil {
		return out
	}
	for _, p := range append(item.Parameters, op.Parameters...) {
		if p.In == "query" && p.Style == "deepObject" {
			out[p.Name] = p
		}
	}
	return out
}

func (s *specTransport) validateDeepObjects(req *http.Request, item *v3.PathItem) []*liberrors.ValidationError {
	var out []*liberrors.ValidationError
	q := req.URL.Query()
	for name, p := range deepObjectParams(item, req.Method) {
		val, present := deepObjectValue(q, name)
		if !present || p.Schema == nil {
			continue
		}
		if ok, errs := s.schemas.ValidateSchemaObject(p.Schema.Schema(), val); !ok {
			for _, e := range errs {
				e.Message = "deepObject parameter '" + name + "': " + e.Message
			}
			out = append(out, errs...)
		}
	}
	return out
}

// deepObjectValue rebuilds name's value from keys like name[a][b][0]: numeric or empty
// segments make arrays, "true"/"false" leaves become booleans.
func deepObjectValue(q url.Values, name string) (any, bool) {
	root := map[string]any{}
	present := false
	for key, vals := range q {
		rest, ok := strings.CutPrefix(key, name+"[")
		if !ok {
			continue
		}
		present = true
		segs := strings.Split(strings.TrimSuffix(rest, "]"), "][")
		for _, v := range vals {
			node := root
			for i, seg := range segs {
				if seg == "" {
					seg = fmt.Sprintf("%08d", len(node))
				}
				if i == len(segs)-1 {
					node[seg] = scalar(v)
					break
				}
				child, _ := node[seg].(map[string]any)
				if child == nil {
					child = map[string]any{}
					node[seg] = child
				}
				node = child
			}
		}
	}
	return arrays(root), present
}

func scalar(v string) any {
	switch v {
	case "true":
		return true
	case "false":
		return false
	}
	return v
}

// arrays turns maps whose keys are all indices into slices, recursively.
func arrays(v any) any {
	m, ok := v.(map[string]any)
	if !ok {
		return v
	}
	keys := make([]string, 0, len(m))
	indexed := len(m) > 0
	for k, child := range m {
		m[k] = arrays(child)
		keys = append(keys, k)
		if _, err := strconv.Atoi(k); err != nil {
			indexed = false
		}
	}
	if !indexed {
		return m
	}
	sort.Slice(keys, func(i, j int) bool {
		a, _ := strconv.Atoi(keys[i])
		b, _ := strconv.Atoi(keys[j])
		return a < b
	})
	out := make([]any, len(keys))
	for i, k := range keys {
		out[i] = m[k]
	}
	return out
}

// check fails the test for every request that did not validate.
func (s *specTransport) check(t testing.TB) {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, f := range s.failures {
		t.Errorf("request does not match the OpenAPI document: %s", f)
	}
}

// missing lists the document's operations no request exercised.
func (s *specTransport) missing() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for p, item := range s.doc.Paths.PathItems.FromOldest() {
		for m := range item.GetOperations().KeysFromOldest() {
			key := strings.ToUpper(m) + " " + p
			if s.ops[key] == 0 {
				out = append(out, key)
			}
		}
	}
	sort.Strings(out)
	return out
}

// TestSpecTransportCatchesBadRequests proves the validating transport can fail: each of
// these requests breaks the document in a different way.
func TestSpecTransportCatchesBadRequests(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte(`{}`)) }))
	defer srv.Close()
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	bad := []struct{ method, target, body string }{
		{"GET", "/threads?limit=500", ""},
		{"GET", "/threads?accountLinkIds[0]=NotAnID", ""},
		{"GET", "/threads?filters[tags][noTags]=maybe", ""},
		{"GET", "/threads?filters[sortOrder]=sideways", ""},
		{"GET", "/threads?cursorId=abc&cursorTimestamp=yesterday", ""},
		{"GET", "/threads?unknownParam=1", ""},
		{"GET", "/threads/NOT_AN_ID", ""},
		{"GET", "/threads/lookup?externalId=abc", ""},
		{"POST", "/threads/abc/messages", `{"content":""}`},
		{"POST", "/threads/abc/messages", `{"text":"hi"}`},
		{"PATCH", "/prospects/abc/context", `{"tagIds":["abc"]}`},
		{"GET", "/nowhere", ""},
	}
	for _, b := range bad {
		st := newSpecTransport(t, tr)
		req, _ := http.NewRequest(b.method, srv.URL+"/api/v1"+b.target, strings.NewReader(b.body))
		if b.body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		req.Header.Set("Authorization", "Bearer x")
		resp, err := st.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		if len(st.failures) == 0 {
			t.Errorf("%s %s %s passed validation", b.method, b.target, b.body)
		}
	}
}
