package httpx

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

// MaxBodyBytes bounds request bodies; the largest legitimate body is a 10,000-character
// message.
const MaxBodyBytes = 1 << 20

// Body is a JSON object request body. Fields are decoded one by one so each error names its
// field, and absent fields can be told from explicit nulls. Unknown fields are ignored.
type Body struct {
	Fields map[string]json.RawMessage
}

// ReadBody parses the request body; an empty body is an empty object unless required.
func ReadBody(r *http.Request, required bool) (*Body, error) {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != "application/json" && !bytesHasSuffix(mt, "+json")) {
			return nil, Errorf(http.StatusUnsupportedMediaType, CodeUnsupportedMedia, "Content-Type %q is not supported; send a JSON body with Content-Type: application/json", ct)
		}
	}
	raw, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, MaxBodyBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, Errorf(http.StatusRequestEntityTooLarge, CodePayloadTooLarge, "request body is larger than %d bytes", MaxBodyBytes)
		}
		return nil, Invalid("could not read the request body: %v", err)
	}
	raw = bytes.TrimSpace(raw)
	b := &Body{Fields: map[string]json.RawMessage{}}
	if len(raw) == 0 {
		if required {
			return nil, Invalid("a JSON request body is required")
		}
		return b, nil
	}
	if raw[0] != '{' {
		return nil, Invalid("the request body must be a JSON object")
	}
	if err := json.Unmarshal(raw, &b.Fields); err != nil {
		return nil, Invalid("the request body is not valid JSON: %v", err)
	}
	return b, nil
}

func bytesHasSuffix(s, suffix string) bool {
	return len(s) >= len(suffix) && s[len(s)-len(suffix):] == suffix
}

// Raw returns a field and whether it is present; present-but-null reports null = true.
func (b *Body) Raw(name string) (json.RawMessage, bool, bool) {
	v, ok := b.Fields[name]
	if !ok {
		return nil, false, false
	}
	return v, true, string(v) == "null"
}

// Text reads a string field; required fields must be present and non-empty.
func (b *Body) Text(name string, required bool) (string, error) {
	v, ok, isNull := b.Raw(name)
	if !ok || isNull {
		if required {
			return "", Invalid("%s is required", name)
		}
		return "", nil
	}
	var s string
	if err := json.Unmarshal(v, &s); err != nil {
		return "", Invalid("%s must be a string", name)
	}
	if required && s == "" {
		return "", Invalid("%s must not be empty", name)
	}
	return s, nil
}

// ID reads an Inbox ID field.
func (b *Body) ID(name string, required bool) (string, error) {
	s, err := b.Text(name, required)
	if err != nil || s == "" {
		return s, err
	}
	if !store.IsInboxID(s) {
		return "", Invalid("%s must be an Inbox ID (lowercase letters and digits), got %q", name, s)
	}
	return s, nil
}

// NullableStr reads a string-or-null field: set reports whether it was present.
func (b *Body) NullableStr(name string) (val *string, set bool, err error) {
	v, ok, isNull := b.Raw(name)
	if !ok {
		return nil, false, nil
	}
	if isNull {
		return nil, true, nil
	}
	var s string
	if err := json.Unmarshal(v, &s); err != nil {
		return nil, true, Invalid("%s must be a string or null", name)
	}
	return &s, true, nil
}

// NullableID reads an Inbox-ID-or-null field.
func (b *Body) NullableID(name string) (*string, bool, error) {
	s, set, err := b.NullableStr(name)
	if err != nil {
		return nil, set, Invalid("%s must be an Inbox ID or null", name)
	}
	if s != nil && !store.IsInboxID(*s) {
		return nil, set, Invalid("%s must be an Inbox ID (lowercase letters and digits) or null, got %q", name, *s)
	}
	return s, set, nil
}

// Boolean reads an optional boolean field (nil when absent or null).
func (b *Body) Boolean(name string) (*bool, error) {
	v, ok, isNull := b.Raw(name)
	if !ok {
		return nil, nil
	}
	var x bool
	if isNull || json.Unmarshal(v, &x) != nil {
		return nil, Invalid("%s must be true or false", name)
	}
	return &x, nil
}

// NullableBool reads a boolean field that null clears: set says whether it was given.
func (b *Body) NullableBool(name string) (*bool, bool, error) {
	v, ok, isNull := b.Raw(name)
	if !ok {
		return nil, false, nil
	}
	if isNull {
		return nil, true, nil
	}
	var x bool
	if json.Unmarshal(v, &x) != nil {
		return nil, true, Invalid("%s must be true, false or null", name)
	}
	return &x, true, nil
}

// NullableNumber reads a number field that null clears: set says whether it was given.
func (b *Body) NullableNumber(name string) (*float64, bool, error) {
	v, ok, isNull := b.Raw(name)
	if !ok {
		return nil, false, nil
	}
	if isNull {
		return nil, true, nil
	}
	var x float64
	if json.Unmarshal(v, &x) != nil {
		return nil, true, Invalid("%s must be a number or null", name)
	}
	return &x, true, nil
}

// IDs reads an array of Inbox IDs.
func (b *Body) IDs(name string) ([]string, error) {
	v, ok, isNull := b.Raw(name)
	if !ok {
		return nil, nil
	}
	var xs []string
	if isNull || json.Unmarshal(v, &xs) != nil {
		return nil, Invalid("%s must be an array of Inbox IDs", name)
	}
	if err := InboxIDs(name, xs); err != nil {
		return nil, err
	}
	return xs, nil
}

// Content reads a message text: required, 1 to 10,000 characters.
func (b *Body) Content(name string) (string, error) {
	s, err := b.Text(name, true)
	if err != nil {
		return "", err
	}
	if n := utf8.RuneCountInString(s); n > store.MaxContentRunes {
		return "", Invalid("%s is %d characters long; X allows at most %d per message, split it into several messages", name, n, store.MaxContentRunes)
	}
	return s, nil
}

// InboxIDs validates that every value is an Inbox ID.
func InboxIDs(name string, ids []string) *Error {
	for _, id := range ids {
		if !store.IsInboxID(id) {
			return Invalid("%s must contain Inbox IDs (lowercase letters and digits), got %q", name, id)
		}
	}
	return nil
}
