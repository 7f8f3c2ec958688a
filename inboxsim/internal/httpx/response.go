package httpx

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// Response is a fully built answer. Handlers never write to the connection themselves, so
// the fault layer can deliver a response whole, cut short, or not at all.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
	Pooled bool // body came from bodyPool
}

// JSONBody encodes a wire value as a response body, without escaping <, > and &.
func JSONBody(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	// Like the real API (a JavaScript server), do not escape <, > and & in strings.
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		// Wire types always encode; a failure here is a programming error.
		panic(fmt.Sprintf("inboxsim: encode response: %v", err))
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

// TimeFormat is how both API versions write a timestamp: UTC, to the millisecond.
const TimeFormat = "2006-01-02T15:04:05.000Z"

// FormatTime formats a timestamp as the API does.
func FormatTime(t time.Time) string { return t.UTC().Format(TimeFormat) }

// FormatTimePtr is ts of an optional timestamp; nil stays nil (null).
func FormatTimePtr(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := FormatTime(*t)
	return &s
}

// MaxAfterSeq is the document's bound for afterSeq (JavaScript's largest safe integer).
const MaxAfterSeq = 9007199254740991
