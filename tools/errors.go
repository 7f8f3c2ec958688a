package tools

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/inbox-mcp/inbox-mcp/apiclient"
	"github.com/inbox-mcp/inbox-mcp/directory"
	"github.com/inbox-mcp/inbox-mcp/inbox"
)

// ErrorResult turns any error into an IsError result whose text says what happened and what
// to do next, so the model can recover instead of seeing a protocol error.
func ErrorResult(err error) *mcp.CallToolResult {
	return mcp.NewToolResultError(CapEcho(Explain(err)))
}

// Explain words an error for a model: what went wrong and what to do about it.
func Explain(err error) string {
	if err == nil {
		return "unknown error"
	}
	if e, ok := errorsAs[*inputError](err); ok {
		return e.msg
	}
	if e, ok := errorsAs[*notFoundError](err); ok {
		return e.msg
	}
	if errors.Is(err, inbox.ErrInvalidArgument) {
		return "Refused before reaching the Inbox API: " + err.Error() + ". Fix the argument; the same call fails again."
	}
	if e, ok := errorsAs[*directory.NotFoundError](err); ok {
		return e.Error() + ". Call get_directory to see every " + e.Kind + "."
	}
	if e, ok := errorsAs[*directory.AmbiguousError](err); ok {
		return e.Error() + "."
	}
	if errors.Is(err, inbox.ErrUnsupported) {
		return "Not supported by the Inbox API version in use: " + err.Error() + "."
	}
	if e, ok := errorsAs[*inbox.PartialUpdateError](err); ok {
		return "The change was applied only in part, then: " + Explain(e.Err) + " Read the record (lookup_thread) and repeat only what is missing; every part is safe to repeat."
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return "The Inbox API did not answer in time. Try again in a moment; if it keeps happening the API may be down."
	}
	if errors.Is(err, context.Canceled) {
		return "The request was canceled before the Inbox API answered."
	}
	var ae *apiclient.Error
	if errors.As(err, &ae) {
		return explainAPI(ae)
	}
	if e, ok := errorsAs[*noBackendError](err); ok {
		return e.Error()
	}
	return "Unexpected error: " + err.Error() + ". Try again; if it persists, report it."
}

func explainAPI(e *apiclient.Error) string {
	detail := e.Message
	if detail == "" {
		detail = http.StatusText(e.StatusCode)
	}
	switch {
	case e.StatusCode == http.StatusTooManyRequests:
		wait := e.RetryAfter
		if wait <= 0 {
			wait = time.Minute
		}
		return "The Inbox API rate limit (shared by the whole team) is used up. Wait " + seconds(wait) +
			" before calling again, and prefer fewer, larger calls (higher limit, fewer per-thread calls)."
	case e.StatusCode == http.StatusUnauthorized:
		return "The Inbox API rejected the API token (401: " + detail + "). The person must check the key: it may be mistyped, revoked or for another workspace. Retrying will not help."
	case e.StatusCode == http.StatusForbidden:
		return "The Inbox API refused access (403: " + detail + "). The token's team lacks access to this item or feature (e.g. the first message to a new contact needs the Outbound Messages add-on). Retrying will not help."
	case e.StatusCode == http.StatusNotFound:
		return "Not found (404: " + detail + "). Check the ID; list_threads, lookup_thread and get_directory give valid ones."
	case apiclient.IsConflict(e):
		return "The Inbox API reported a conflict (409: " + detail + "), e.g. a name that already exists. Use the existing item or pick another name."
	case apiclient.IsValidation(e):
		return "The Inbox API rejected the request (" + strconv.Itoa(e.StatusCode) + ": " + detail + "). Fix the arguments; the same call will fail again."
	case apiclient.IsServer(e):
		return "The Inbox API failed (" + strconv.Itoa(e.StatusCode) + ": " + detail + ") even after retries. Try again in a minute."
	}
	return "The Inbox API answered " + strconv.Itoa(e.StatusCode) + ": " + detail + "."
}

func seconds(d time.Duration) string {
	s := int((d + time.Second - 1) / time.Second)
	return strconv.Itoa(s) + "s"
}

// IsNotFound reports whether err is the Inbox API saying an item does not exist (404).
func IsNotFound(err error) bool { return apiclient.IsNotFound(err) }

// noBackendError says the request carries no usable Inbox credentials.
type noBackendError struct{ msg string }

// Error says how to supply credentials.
func (e *noBackendError) Error() string { return e.msg }

// NoBackend returns the error a backend source gives when a request has no usable Inbox
// credentials; msg says how to supply them. It is shown to the model as is.
func NoBackend(msg string) error { return &noBackendError{msg: msg} }
