package inboxsim

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"unicode/utf8"

	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/store"
)

// maxBodyBytes bounds request bodies; the largest legitimate body is a 10,000-character
// message.
const maxBodyBytes = 1 << 20

// body is a JSON object request body. Fields are decoded one by one so each error names its
// field, and absent fields can be told from explicit nulls. Unknown fields are ignored.
type body struct {
	fields map[string]json.RawMessage
}

// readBody parses the request body; an empty body is an empty object unless required.
func readBody(r *http.Request, required bool) (*body, error) {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != "application/json" && !bytesHasSuffix(mt, "+json")) {
			return nil, errorf(http.StatusUnsupportedMediaType, CodeUnsupportedMedia, "Content-Type %q is not supported; send a JSON body with Content-Type: application/json", ct)
		}
	}
	raw, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, maxBodyBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, errorf(http.StatusRequestEntityTooLarge, CodePayloadTooLarge, "request body is larger than %d bytes", maxBodyBytes)
		}
		return nil, v1Invalid("could not read the request body: %v", err)
	}
	raw = bytes.TrimSpace(raw)
	b := &body{fields: map[string]json.RawMessage{}}
	if len(raw) == 0 {
		if required {
			return nil, v1Invalid("a JSON request body is required")
		}
		return b, nil
	}
	if raw[0] != '{' {
		return nil, v1Invalid("the request body must be a JSON object")
	}
	if err := json.Unmarshal(raw, &b.fields); err != nil {
		return nil, v1Invalid("the request body is not valid JSON: %v", err)
	}
	return b, nil
}

func bytesHasSuffix(s, suffix string) bool {
	return len(s) >= len(suffix) && s[len(s)-len(suffix):] == suffix
}

// raw returns a field and whether it is present; present-but-null reports null = true.
func (b *body) raw(name string) (json.RawMessage, bool, bool) {
	v, ok := b.fields[name]
	if !ok {
		return nil, false, false
	}
	return v, true, string(v) == "null"
}

// str reads a string field; required fields must be present and non-empty.
func (b *body) str(name string, required bool) (string, error) {
	v, ok, isNull := b.raw(name)
	if !ok || isNull {
		if required {
			return "", v1Invalid("%s is required", name)
		}
		return "", nil
	}
	var s string
	if err := json.Unmarshal(v, &s); err != nil {
		return "", v1Invalid("%s must be a string", name)
	}
	if required && s == "" {
		return "", v1Invalid("%s must not be empty", name)
	}
	return s, nil
}

// id reads an Inbox ID field.
func (b *body) id(name string, required bool) (string, error) {
	s, err := b.str(name, required)
	if err != nil || s == "" {
		return s, err
	}
	if !store.IsInboxID(s) {
		return "", v1Invalid("%s must be an Inbox ID (lowercase letters and digits), got %q", name, s)
	}
	return s, nil
}

// nullableStr reads a string-or-null field: set reports whether it was present.
func (b *body) nullableStr(name string) (val *string, set bool, err error) {
	v, ok, isNull := b.raw(name)
	if !ok {
		return nil, false, nil
	}
	if isNull {
		return nil, true, nil
	}
	var s string
	if err := json.Unmarshal(v, &s); err != nil {
		return nil, true, v1Invalid("%s must be a string or null", name)
	}
	return &s, true, nil
}

// nullableID reads an Inbox-ID-or-null field.
func (b *body) nullableID(name string) (*string, bool, error) {
	s, set, err := b.nullableStr(name)
	if err != nil {
		return nil, set, v1Invalid("%s must be an Inbox ID or null", name)
	}
	if s != nil && !store.IsInboxID(*s) {
		return nil, set, v1Invalid("%s must be an Inbox ID (lowercase letters and digits) or null, got %q", name, *s)
	}
	return s, set, nil
}

func (b *body) boolean(name string) (*bool, error) {
	v, ok, isNull := b.raw(name)
	if !ok {
		return nil, nil
	}
	var x bool
	if isNull || json.Unmarshal(v, &x) != nil {
		return nil, v1Invalid("%s must be true or false", name)
	}
	return &x, nil
}

func (b *body) nullableBool(name string) (*bool, bool, error) {
	v, ok, isNull := b.raw(name)
	if !ok {
		return nil, false, nil
	}
	if isNull {
		return nil, true, nil
	}
	var x bool
	if json.Unmarshal(v, &x) != nil {
		return nil, true, v1Invalid("%s must be true, false or null", name)
	}
	return &x, true, nil
}

func (b *body) nullableNumber(name string) (*float64, bool, error) {
	v, ok, isNull := b.raw(name)
	if !ok {
		return nil, false, nil
	}
	if isNull {
		return nil, true, nil
	}
	var x float64
	if json.Unmarshal(v, &x) != nil {
		return nil, true, v1Invalid("%s must be a number or null", name)
	}
	return &x, true, nil
}

// ids reads an array of Inbox IDs.
func (b *body) ids(name string) ([]string, error) {
	v, ok, isNull := b.raw(name)
	if !ok {
		return nil, nil
	}
	var xs []string
	if isNull || json.Unmarshal(v, &xs) != nil {
		return nil, v1Invalid("%s must be an array of Inbox IDs", name)
	}
	if err := inboxIDs(name, xs); err != nil {
		return nil, err
	}
	return xs, nil
}

// content reads a message text: required, 1 to 10,000 characters.
func (b *body) content(name string) (string, error) {
	s, err := b.str(name, true)
	if err != nil {
		return "", err
	}
	if n := utf8.RuneCountInString(s); n > store.MaxContentRunes {
		return "", v1Invalid("%s is %d characters long; X allows at most %d per message, split it into several messages", name, n, store.MaxContentRunes)
	}
	return s, nil
}
