package tools

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/inbox-mcp/inbox-mcp/directory"
	"github.com/inbox-mcp/inbox-mcp/inbox"
	"github.com/inbox-mcp/inbox-mcp/views"
)

// ErrorResult turns any error into an IsError result whose text says what happened and what
// to do next, so the model can recover instead of seeing a protocol error.
func ErrorResult(err error) *mcp.CallToolResult {
	return mcp.NewToolResultError(CapEcho(Explain(err)))
}

// Explain words an error for a model: what went wrong and what to do about it. Errors of the
// Inbox reach it in the model's kinds (package inbox), whichever API version failed.
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
	if e, ok := errorsAs[*directory.NotFoundError](err); ok {
		return e.Error() + ". Call get_directory to see every " + e.Kind + "."
	}
	if e, ok := errorsAs[*directory.AmbiguousError](err); ok {
		return e.Error() + "."
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
	if e, ok := errorsAs[*inbox.Error](err); ok {
		return explainAPI(e)
	}
	if errors.Is(err, inbox.ErrInvalidArgument) {
		// With no *inbox.Error in the chain, the backend refused it before any request.
		return "Refused before reaching the Inbox API: " + err.Error() + ". Fix the argument; the same call fails again."
	}
	if errors.Is(err, inbox.ErrUnsupported) {
		return "Not supported by the Inbox API version in use: " + err.Error() + "."
	}
	if e, ok := errorsAs[*noBackendError](err); ok {
		return e.Error()
	}
	return "Unexpected error: " + err.Error() + ". Try again; if it persists, report it."
}

// explainAPI words an answer of the Inbox API, or the lack of one, by its kind.
func explainAPI(e *inbox.Error) string {
	status := strconv.Itoa(e.Status)
	detail := views.SanitizeLine(e.Message)
	if detail == "" {
		detail = http.StatusText(e.Status)
	}
	switch e.Kind {
	case inbox.ErrRateLimited:
		wait := e.RetryAfter
		if wait <= 0 {
			wait = time.Minute
		}
		return "The Inbox API rate limit (shared by the whole team) is used up. Wait " + seconds(wait) +
			" before calling again, and prefer fewer, larger calls (higher limit, fewer per-thread calls)."
	case inbox.ErrUnauthorized:
		return "The Inbox API rejected the API token (" + status + ": " + detail + "). The person must check the key: it may be mistyped, revoked or for another workspace. Retrying will not help."
	case inbox.ErrForbidden:
		return "The Inbox API refused access (" + status + ": " + detail + "). The token's team lacks access to this item or feature (e.g. the first message to a new contact needs the Outbound Messages add-on). Retrying will not help."
	case inbox.ErrNotFound:
		return "Not found (" + status + ": " + detail + "). Check the ID; list_threads, lookup_thread and get_directory give valid ones."
	case inbox.ErrConflict:
		return "The Inbox API reported a conflict (" + status + ": " + detail + "), e.g. a name that already exists. Use the existing item or pick another name."
	case inbox.ErrInvalidArgument:
		return "The Inbox API rejected the request (" + status + ": " + detail + "). Fix the arguments; the same call will fail again."
	case inbox.ErrNotAllowed:
		return "The Inbox API refused (" + status + ": " + detail + "): our account or the conversation cannot do this. Nothing was changed; the same call will fail again."
	case inbox.ErrTooLate:
		return "The Inbox API refused (" + status + ": " + detail + "): the platform's time window for this has passed. Nothing was changed; the same call will fail again."
	case inbox.ErrUnavailable:
		if e.Status == 0 {
			return "The Inbox API could not be reached (" + e.Error() + "). Try again in a minute; if it keeps happening the API may be down."
		}
		if e.Status >= 500 {
			return "The Inbox API failed (" + status + ": " + detail + ") even after retries. Try again in a minute."
		}
	}
	return "The Inbox API answered " + status + ": " + detail + "."
}

func seconds(d time.Duration) string {
	s := int((d + time.Second - 1) / time.Second)
	return strconv.Itoa(s) + "s"
}

// IsNotFound reports whether err is the Inbox saying an item does not exist.
func IsNotFound(err error) bool { return errors.Is(err, inbox.ErrNotFound) }

// noBackendError says the request carries no usable Inbox credentials.
type noBackendError struct{ msg string }

// Error says how to supply credentials.
func (e *noBackendError) Error() string { return e.msg }

// NoBackend returns the error a backend source gives when a request has no usable Inbox
// credentials; msg says how to supply them. It is shown to the model as is.
func NoBackend(msg string) error { return &noBackendError{msg: msg} }
