package tools

import (
	"encoding/json"
	"fmt"

	"github.com/invopop/jsonschema"
	"github.com/mark3labs/mcp-go/mcp"
)

// hints are a tool's four behaviour annotations. Every tool states all four: mcp-go's
// defaults would call a tool destructive and open-world.
type hints struct {
	readOnly, destructive, idempotent, openWorld bool
}

// define builds a tool whose input schema comes from A and output schema from R.
func define[A, R any](name, description string, h hints) mcp.Tool {
	t := mcp.NewToolWithRawSchema(name, description, InputSchema[A]())
	t.RawOutputSchema = OutputSchema[R]()
	t.Annotations = mcp.ToolAnnotation{
		ReadOnlyHint:    &h.readOnly,
		DestructiveHint: &h.destructive,
		IdempotentHint:  &h.idempotent,
		OpenWorldHint:   &h.openWorld,
	}
	return t
}

// InputSchema reflects an argument struct into a JSON schema: descriptions from
// `jsonschema_description` tags, bounds and enums from `jsonschema` tags, optional fields
// marked omitempty, no references, unknown properties rejected.
func InputSchema[A any]() json.RawMessage {
	r := jsonschema.Reflector{DoNotReference: true, ExpandedStruct: true}
	return marshalSchema(r.Reflect(new(A)))
}

// OutputSchema reflects a result struct into a JSON schema. It is kept to the top-level
// properties and their types (nested objects are just "object", arrays just "array", no
// required lists, no additionalProperties) because every byte of it is in tools/list, on every conversation:
// the text content and the tools' descriptions say what the nested rows hold.
func OutputSchema[R any]() json.RawMessage {
	r := jsonschema.Reflector{DoNotReference: true, ExpandedStruct: true, AllowAdditionalProperties: true, RequiredFromJSONSchemaTags: true}
	s := r.Reflect(new(R))
	if s.Properties != nil {
		for p := s.Properties.Oldest(); p != nil; p = p.Next() {
			p.Value = shallow(p.Value)
		}
	}
	return marshalSchema(s)
}

// shallow keeps a property's type alone.
func shallow(s *jsonschema.Schema) *jsonschema.Schema {
	return &jsonschema.Schema{Type: s.Type}
}

func marshalSchema(s *jsonschema.Schema) json.RawMessage {
	s.Version = ""
	s.ID = ""
	b, err := json.Marshal(s)
	if err != nil {
		// The schemas come from our own types: failing here is a programming error caught by
		// the tests, never a runtime condition.
		panic(fmt.Sprintf("tools: schema: %v", err))
	}
	return b
}
