package tools_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/inbox-mcp/inbox-mcp/tools"
	"github.com/inbox-mcp/inbox-mcp/views"
)

// outputs checks every structured result the tools answer with, in every test of the
// package and on both API versions, against the tool's output schema.
type outputs struct {
	schemas map[string]*jsonschema.Schema

	mu       sync.Mutex
	checked  map[string]int
	failures []string
}

// outputSchemas compiles each tool's output schema with a real JSON Schema validator.
func outputSchemas() (map[string]*jsonschema.Schema, error) {
	out := map[string]*jsonschema.Schema{}
	for _, d := range tools.Definitions() {
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(d.Tool.RawOutputSchema))
		if err != nil {
			return nil, fmt.Errorf("%s: output schema: %w", d.Name, err)
		}
		url := "mem:///" + d.Name + ".json"
		c := jsonschema.NewCompiler()
		if err := c.AddResource(url, doc); err != nil {
			return nil, fmt.Errorf("%s: output schema: %w", d.Name, err)
		}
		if out[d.Name], err = c.Compile(url); err != nil {
			return nil, fmt.Errorf("%s: output schema: %w", d.Name, err)
		}
	}
	return out, nil
}

// validate reports whether v, as JSON, fits s.
func validate(s *jsonschema.Schema, v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return err
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return err
	}
	return s.Validate(inst)
}

func (o *outputs) check(tool string, out any) {
	err := validate(o.schemas[tool], out)
	o.mu.Lock()
	defer o.mu.Unlock()
	o.checked[tool]++
	if err != nil {
		raw, _ := json.Marshal(out)
		o.failures = append(o.failures, fmt.Sprintf("%s answered a result its output schema refuses: %v\n%.2000s", tool, err, raw))
	}
}

// verdict is what the checks found, once the package's tests ran: every result that broke
// its schema, and, when every test ran, every tool none of them checked.
func (o *outputs) verdict() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	msgs := slices.Clone(o.failures)
	if f := flag.Lookup("test.run"); f != nil && f.Value.String() == "" {
		for _, d := range tools.Definitions() {
			if o.checked[d.Name] == 0 {
				msgs = append(msgs, d.Name+": no test produced a structured result to check against its output schema")
			}
		}
	}
	return strings.Join(msgs, "\n")
}

// TestOutputSchemasRefuse proves the output schemas say something: an empty object fits no
// tool's, and list_threads' refuses threads that are not thread rows.
func TestOutputSchemasRefuse(t *testing.T) {
	t.Parallel()
	schemas, err := outputSchemas()
	if err != nil {
		t.Fatal(err)
	}
	for name, s := range schemas {
		if validate(s, map[string]any{}) == nil {
			t.Errorf("%s: the output schema accepts {}", name)
		}
	}
	lt := schemas[tools.NameListThreads]
	for _, bad := range []string{
		`{"threads":[1,"x",null],"count":3,"has_more":false}`,
		`{"threads":[{"id":"t1"}],"count":1,"has_more":false}`,
		`{"threads":[],"count":0}`,
		`{"threads":{},"count":0,"has_more":false}`,
	} {
		var v any
		if err := json.Unmarshal([]byte(bad), &v); err != nil {
			t.Fatal(err)
		}
		if validate(lt, v) == nil {
			t.Errorf("list_threads' output schema accepts %s", bad)
		}
	}
	good := tools.ThreadList{Threads: []views.ThreadRow{{ID: "t1", Account: "@us"}}, Count: 1}
	if err := validate(lt, good); err != nil {
		t.Errorf("list_threads' output schema refuses a real result: %v", err)
	}
	send := schemas[tools.NameSendReply]
	if validate(send, map[string]any{"outcome": "maybe"}) == nil {
		t.Error("send_reply's output schema accepts an outcome it never gives")
	}
}
