package tools

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"

	"github.com/invopop/jsonschema"
)

// hints are a tool's four behaviour annotations. Every tool states all four: mcp-go's
// defaults would call a tool destructive and open-world.
type hints struct {
	readOnly, destructive, idempotent, openWorld bool
}

// InputSchema reflects an argument struct into a JSON schema: descriptions from
// `jsonschema_description` tags, bounds and enums from `jsonschema` tags, optional fields
// marked omitempty, no references, unknown properties rejected.
func InputSchema[A any]() json.RawMessage {
	r := jsonschema.Reflector{DoNotReference: true, ExpandedStruct: true}
	return marshalSchema(r.Reflect(new(A)))
}

// OutputSchema writes the schema of a result type R, as precise as it can be in few tokens
// (every byte of it is in tools/list, on every conversation). Every property a result always
// has (no omitempty) is required; those that are arrays, objects or closed sets of values
// (`jsonschema:"enum=…"` tags) are also given their schema, down to the items of arrays and
// the fields of nested objects. A plain string, number or boolean is named in required
// only: its type costs tokens and tells little that its name and the text do not. Properties
// a result may leave out are not listed; the schema allows them (it has no
// additionalProperties) and the tool's text says what they hold. No descriptions, no $schema
// or $id.
func OutputSchema[R any]() json.RawMessage {
	var b bytes.Buffer
	writeSchema(&b, reflect.TypeFor[R](), nil)
	return b.Bytes()
}

// writeSchema writes the schema of a Go type; enum lists the values a string may take.
func writeSchema(b *bytes.Buffer, t reflect.Type, enum []string) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Bool:
		b.WriteString(`{"type":"boolean"}`)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		b.WriteString(`{"type":"integer"}`)
	case reflect.Float32, reflect.Float64:
		b.WriteString(`{"type":"number"}`)
	case reflect.String:
		if len(enum) == 0 {
			b.WriteString(`{"type":"string"}`)
			break
		}
		b.WriteString(`{"enum":`)
		writeJSON(b, enum)
		b.WriteString(`}`)
	case reflect.Slice, reflect.Array:
		b.WriteString(`{"type":"array","items":`)
		writeSchema(b, t.Elem(), enum)
		b.WriteString(`}`)
	case reflect.Struct:
		var props bytes.Buffer
		var required []string
		writeProperties(&props, t, &required)
		b.WriteString(`{"type":"object"`)
		if props.Len() > 0 {
			b.WriteString(`,"properties":{`)
			b.Write(props.Bytes())
			b.WriteString(`}`)
		}
		if len(required) > 0 {
			b.WriteString(`,"required":`)
			writeJSON(b, required)
		}
		b.WriteString(`}`)
	default:
		// Results are our own types: a kind without a schema is a programming error the
		// tests meet at once.
		panic("tools: no output schema for " + t.String())
	}
}

// writeProperties adds to required the properties every value of struct type t has (those of
// embedded structs included), and writes the schemas of those that are not plain scalars.
func writeProperties(b *bytes.Buffer, t reflect.Type, required *[]string) {
	for f := range t.Fields() {
		if !f.IsExported() {
			continue
		}
		name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch {
		case name == "-":
			continue
		case f.Anonymous && name == "":
			writeProperties(b, f.Type, required)
			continue
		case strings.Contains(opts, "omitempty"):
			continue
		case name == "":
			name = f.Name
		}
		var enum []string
		for kv := range strings.SplitSeq(f.Tag.Get("jsonschema"), ",") {
			if v, ok := strings.CutPrefix(kv, "enum="); ok {
				enum = append(enum, v)
			}
		}
		*required = append(*required, name)
		if plain(f.Type) && len(enum) == 0 {
			continue
		}
		if b.Len() > 0 {
			b.WriteString(",")
		}
		writeJSON(b, name)
		b.WriteString(":")
		writeSchema(b, f.Type, enum)
	}
}

func writeJSON(b *bytes.Buffer, v any) {
	j, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("tools: schema: %v", err))
	}
	b.Write(j)
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

// plain reports whether t is a scalar: a string, number or boolean.
func plain(t reflect.Type) bool {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Struct, reflect.Slice, reflect.Array:
		return false
	}
	return true
}
