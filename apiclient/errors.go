package apiclient

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Error is an HTTP error answer of the Inbox API. It never contains the token.
type Error struct {
	// StatusCode is the HTTP status of the answer.
	StatusCode int
	// Code is the API's machine code (e.g. THREAD_NOT_FOUND, RATE_LIMITED), or a code
	// derived from the status when the body carried none (e.g. HTTP_404).
	Code string
	// Message is the API's human text, or the status text when the body carried none.
	Message string
	// RetryAfter is the wait the server asked for (Retry-After header), zero if none.
	RetryAfter time.Duration
	// RequestID identifies the request for the API's support (X-Request-Id, or the
	// body's requestId), "" if the answer carried none.
	RequestID string
	// Method and Path identify the request; Path is relative to the base URL, without
	// the query string.
	Method, Path string
}

// Error formats the error as "inbox api: GET /threads/x: 404 THREAD_NOT_FOUND: Thread not found".
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("inbox api: ")
	if e.Method != "" {
		b.WriteString(e.Method)
		b.WriteByte(' ')
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	b.WriteString(strconv.Itoa(e.StatusCode))
	if e.Code != "" {
		b.WriteByte(' ')
		b.WriteString(e.Code)
	}
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	if e.RetryAfter > 0 {
		b.WriteString(" (retry after ")
		b.WriteString(e.RetryAfter.Round(time.Second).String())
		b.WriteByte(')')
	}
	return b.String()
}

// Temporary reports whether repeating the request later may succeed (429 and 5xx).
func (e *Error) Temporary() bool {
	return e.StatusCode == http.StatusTooManyRequests || e.StatusCode >= 500
}

// The kinds of failure callers act on are package inbox's (see [ModelError]); the helpers
// below serve the transport's own callers, which decide by status.

func statusOf(err error) int {
	var e *Error
	if errors.As(err, &e) {
		return e.StatusCode
	}
	return 0
}

// IsRateLimited reports whether err is a 429 answer the client did not wait out.
func IsRateLimited(err error) bool { return statusOf(err) == http.StatusTooManyRequests }

// IsAuth reports whether err is a 401 (bad or revoked token) or 403 (no access) answer.
func IsAuth(err error) bool {
	s := statusOf(err)
	return s == http.StatusUnauthorized || s == http.StatusForbidden
}

// maxErrorBody bounds how much of an error body is read: error bodies are small, and a
// misbehaving proxy must not make the client buffer megabytes of HTML.
const maxErrorBody = 64 << 10

// decodeError builds an Error from an answer's status, headers and (possibly truncated)
// body. It understands the documented nested shape {"error":{"code","message","status"}},
// the older flat {"error":"Unauthorized","message":"..."} and falls back to the status.
// The token is scrubbed from the server's text in case a server echoes it back.
func decodeError(method, path string, status int, h http.Header, body []byte, token string) *Error {
	e := &Error{StatusCode: status, Method: method, Path: path, RetryAfter: parseRetryAfter(h.Get("Retry-After"), time.Now()),
		RequestID: h.Get("X-Request-Id")}
	var probe struct {
		Error     json.RawMessage `json:"error"`
		Message   string          `json:"message"`
		Code      string          `json:"code"`
		RequestID string          `json:"requestId"`
	}
	if json.Unmarshal(body, &probe) == nil {
		if probe.RequestID != "" && len(probe.RequestID) <= 200 {
			e.RequestID = probe.RequestID
		}
		var nested struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		}
		var flat string
		switch {
		case len(probe.Error) > 0 && probe.Error[0] == '{' && json.Unmarshal(probe.Error, &nested) == nil:
			e.Code, e.Message = nested.Code, nested.Message
		case len(probe.Error) > 0 && probe.Error[0] == '"' && json.Unmarshal(probe.Error, &flat) == nil:
			e.Message = probe.Message
			if e.Message == "" {
				e.Message = flat
			}
			e.Code = codeFromWords(flat)
		default:
			e.Code, e.Message = probe.Code, probe.Message
		}
	}
	if e.Code == "" {
		e.Code = "HTTP_" + strconv.Itoa(status)
	}
	if e.Message == "" {
		e.Message = http.StatusText(status)
		if status >= 300 && status < 400 {
			e.Message = "unexpected redirect to " + h.Get("Location") + ": check that BaseURL is the API root (https://.../api/v1)"
		}
	}
	if len(e.Message) > 500 {
		e.Message = e.Message[:500] + "…"
	}
	if token != "" {
		e.Message = strings.ReplaceAll(e.Message, token, "[redacted]")
		e.Code = strings.ReplaceAll(e.Code, token, "[redacted]")
		e.RequestID = strings.ReplaceAll(e.RequestID, token, "[redacted]")
	}
	return e
}

// codeFromWords turns the flat body's "Not Found" into NOT_FOUND so callers can branch on
// Code whichever shape the server used.
func codeFromWords(s string) string {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 64 {
		return ""
	}
	return strings.ToUpper(strings.Join(strings.Fields(s), "_"))
}

// parseRetryAfter reads delta-seconds or an HTTP date. Garbage and negative values give 0.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseFloat(v, 64); err == nil {
		if secs <= 0 || secs > 86400*7 {
			return 0
		}
		return time.Duration(secs * float64(time.Second))
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return d
		}
	}
	return 0
}

// callError wraps a transport failure (no HTTP answer) with the request it belongs to.
type callError struct {
	method, path string
	err          error
}

// Error names the request and the failure.
func (e *callError) Error() string {
	return fmt.Sprintf("inbox api: %s %s: %v", e.method, e.path, e.err)
}

// Unwrap exposes the cause (a network or context error) to errors.Is and errors.As.
func (e *callError) Unwrap() error { return e.err }

// unreadableError is a 2xx answer whose body did not decode: the API answered, but not in a
// form this client understands.
type unreadableError struct{ err error }

// Error says the answer did not decode, and why.
func (e *unreadableError) Error() string { return "decode answer: " + e.err.Error() }

// Unwrap gives the decoder's error.
func (e *unreadableError) Unwrap() error { return e.err }
