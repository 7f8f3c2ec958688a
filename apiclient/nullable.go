package apiclient

import (
	"encoding/json"
	"fmt"
)

// Nullable is a request field with three states, which PATCH bodies need: omitted (the
// zero value: leave the field unchanged), explicit null (clear it) and a value. Use it
// with the `omitzero` JSON option so the omitted state drops the key:
//
//	type patch struct {
//		Notes apiclient.Nullable[string] `json:"notes,omitzero"`
//	}
//	patch{Notes: apiclient.Null[string]()}   // {"notes":null}
//	patch{Notes: apiclient.Value("call me")} // {"notes":"call me"}
//	patch{}                                  // {}
type Nullable[T any] struct {
	value T
	set   bool
	null  bool
}

// Value returns a Nullable holding v.
func Value[T any](v T) Nullable[T] { return Nullable[T]{value: v, set: true} }

// Null returns a Nullable that encodes as an explicit JSON null.
func Null[T any]() Nullable[T] { return Nullable[T]{set: true, null: true} }

// IsZero reports whether the field is omitted; encoding/json's omitzero option uses it.
func (n Nullable[T]) IsZero() bool { return !n.set }

// IsNull reports whether the field is an explicit null.
func (n Nullable[T]) IsNull() bool { return n.set && n.null }

// Get returns the value and whether there is one (false when omitted or null).
func (n Nullable[T]) Get() (T, bool) { return n.value, n.set && !n.null }

// MarshalJSON encodes null or the value. An omitted field encodes as null too, but with
// omitzero the key is dropped before this is called.
func (n Nullable[T]) MarshalJSON() ([]byte, error) {
	if !n.set || n.null {
		return []byte("null"), nil
	}
	return json.Marshal(n.value)
}

// UnmarshalJSON accepts null or a value, so request types round-trip in tests.
func (n *Nullable[T]) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*n = Null[T]()
		return nil
	}
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*n = Value(v)
	return nil
}

// String shows the state, for logs and test failures.
func (n Nullable[T]) String() string {
	switch {
	case !n.set:
		return "(omitted)"
	case n.null:
		return "null"
	default:
		return fmt.Sprint(n.value)
	}
}
