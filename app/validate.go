package app

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
)

// maxEcho is how much of a value an argument error quotes back: enough to recognize it,
// never the megabyte a client may have sent.
const maxEcho = 60

// argValidator checks each tool call's arguments against the tool's input schema before the
// handler runs, and words a refusal in the tool's terms ("limit must be at most 500",
// "unknown argument bogus; the arguments are …"). It replaces the MCP library's validation,
// whose messages print the validator's Go structures (&{Got:1000/1 Want:500/1}).
type argValidator struct {
	schemas map[string]*jsonschema.Schema
	args    map[string][]string // each tool's argument names, in schema order
}

func newArgValidator(tools []server.ServerTool) (*argValidator, error) {
	v := &argValidator{schemas: map[string]*jsonschema.Schema{}, args: map[string][]string{}}
	for _, t := range tools {
		raw := t.Tool.RawInputSchema
		if len(raw) == 0 {
			continue
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
		if err != nil {
			return nil, fmt.Errorf("input schema of %s: %w", t.Tool.Name, err)
		}
		url := "mem:///tools/" + t.Tool.Name + ".json"
		c := jsonschema.NewCompiler()
		if err := c.AddResource(url, doc); err != nil {
			return nil, fmt.Errorf("input schema of %s: %w", t.Tool.Name, err)
		}
		s, err := c.Compile(url)
		if err != nil {
			return nil, fmt.Errorf("input schema of %s: %w", t.Tool.Name, err)
		}
		v.schemas[t.Tool.Name] = s
		var names struct {
			Properties json.RawMessage `json:"properties"`
		}
		if json.Unmarshal(raw, &names) == nil {
			v.args[t.Tool.Name] = keysInOrder(names.Properties)
		}
	}
	return v, nil
}

// keysInOrder lists the keys of a JSON object as they appear.
func keysInOrder(obj json.RawMessage) []string {
	dec := json.NewDecoder(bytes.NewReader(obj))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil
	}
	var keys []string
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return keys
		}
		keys = append(keys, fmt.Sprint(t))
		var skip json.RawMessage
		if dec.Decode(&skip) != nil {
			return keys
		}
	}
	return keys
}

// middleware refuses calls whose arguments break the tool's schema.
func (v *argValidator) middleware(next server.ToolHandlerFunc) server.ToolHandlerFunc {
	return func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		s := v.schemas[req.Params.Name]
		if s == nil {
			return next(ctx, req)
		}
		raw, err := json.Marshal(req.Params.Arguments)
		if err != nil {
			return mcp.NewToolResultError("The arguments are not a JSON object: pass them as one, e.g. {\"limit\": 10}."), nil
		}
		var inst any = map[string]any{}
		if req.Params.Arguments != nil && !bytes.Equal(raw, []byte("null")) {
			if inst, err = jsonschema.UnmarshalJSON(bytes.NewReader(raw)); err != nil {
				return mcp.NewToolResultError("The arguments are not a JSON object: pass them as one, e.g. {\"limit\": 10}."), nil
			}
		}
		if err := s.Validate(inst); err != nil {
			return mcp.NewToolResultError(v.explain(req.Params.Name, err)), nil
		}
		return next(ctx, req)
	}
}

// explain words a validation failure: one sentence per broken rule (at most five), then
// what to do.
func (v *argValidator) explain(tool string, err error) string {
	ve, ok := err.(*jsonschema.ValidationError)
	if !ok {
		return "The arguments of " + tool + " do not fit its schema: check them against the tool's description."
	}
	var parts []string
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) == 0 {
			if p := v.rule(tool, e); p != "" && !slices.Contains(parts, p) {
				parts = append(parts, p)
			}
			return
		}
		for _, c := range e.Causes {
			walk(c)
		}
	}
	walk(ve)
	if len(parts) == 0 {
		parts = append(parts, "the arguments do not fit the schema")
	}
	more := ""
	if len(parts) > 5 {
		more = fmt.Sprintf(" (and %d more)", len(parts)-5)
		parts = parts[:5]
	}
	return "Invalid arguments for " + tool + ": " + strings.Join(parts, "; ") + more + ". Fix them and call again."
}

// rule words one broken rule at the argument it concerns.
func (v *argValidator) rule(tool string, e *jsonschema.ValidationError) string {
	at := strings.Join(e.InstanceLocation, ".")
	name := at
	if name == "" {
		name = "the arguments"
	}
	switch k := e.ErrorKind.(type) {
	case *kind.Required:
		var out []string
		for _, m := range k.Missing {
			out = append(out, join(at, m)+" is required")
		}
		return strings.Join(out, "; ")
	case *kind.AdditionalProperties:
		unknown := make([]string, len(k.Properties))
		for i, p := range k.Properties {
			unknown[i] = echo(p)
		}
		if at == "" {
			return "unknown argument " + strings.Join(unknown, ", ") + "; the arguments are " + strings.Join(v.args[tool], ", ")
		}
		return at + " has no field " + strings.Join(unknown, ", ")
	case *kind.Type:
		want := make([]string, len(k.Want))
		for i, w := range k.Want {
			want[i] = typeName(w)
		}
		return name + " must be " + strings.Join(want, " or ") + ", not " + typeName(k.Got)
	case *kind.Enum:
		want := make([]string, len(k.Want))
		for i, w := range k.Want {
			want[i] = fmt.Sprint(w)
		}
		return name + " must be one of " + orList(want) + ", not " + echo(fmt.Sprint(k.Got))
	case *kind.Minimum:
		return name + " must be at least " + k.Want.RatString()
	case *kind.Maximum:
		return name + " must be at most " + k.Want.RatString()
	case *kind.ExclusiveMinimum:
		return name + " must be more than " + k.Want.RatString()
	case *kind.ExclusiveMaximum:
		return name + " must be less than " + k.Want.RatString()
	case *kind.MinLength:
		return fmt.Sprintf("%s must have at least %d characters", name, k.Want)
	case *kind.MaxLength:
		return fmt.Sprintf("%s must have at most %d characters (it has %d)", name, k.Want, k.Got)
	case *kind.MinItems:
		return fmt.Sprintf("%s must have at least %d items", name, k.Want)
	case *kind.MaxItems:
		return fmt.Sprintf("%s must have at most %d items (it has %d); split the work into several calls", name, k.Want, k.Got)
	case *kind.Pattern:
		return name + " does not have the expected form"
	case *kind.UniqueItems:
		return name + " lists an item twice"
	case *kind.FalseSchema:
		return name + " is not accepted"
	}
	return name + " does not fit the schema"
}

// orList joins values as a sentence does: "a, b or c".
func orList(vs []string) string {
	if len(vs) < 2 {
		return strings.Join(vs, "")
	}
	return strings.Join(vs[:len(vs)-1], ", ") + " or " + vs[len(vs)-1]
}

func join(at, name string) string {
	if at == "" {
		return name
	}
	return at + "." + name
}

// typeName names a JSON type as a model would write it.
func typeName(t string) string {
	switch t {
	case "integer":
		return "an integer"
	case "number":
		return "a number"
	case "string":
		return "a string"
	case "boolean":
		return "true or false"
	case "array":
		return "a list"
	case "object":
		return "an object"
	case "null":
		return "null"
	}
	return t
}

// echo quotes a value from the arguments, shortened to maxEcho characters.
func echo(s string) string {
	if r := []rune(s); len(r) > maxEcho {
		return strconv.Quote(string(r[:maxEcho])) + "… (" + strconv.Itoa(len(r)) + " characters)"
	}
	return strconv.Quote(s)
}
