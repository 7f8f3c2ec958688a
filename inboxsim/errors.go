package inboxsim

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/store"
)

// Error is a failure the API reports to the caller: an HTTP status, a SCREAMING_SNAKE_CASE
// code and a message that says what was wrong and what to do. The store returns these for
// domain failures (unknown IDs, conflicts); the HTTP layer for malformed input.
type Error struct {
	Status  int
	Code    string
	Message string
}

// Error formats the status, code and message.
func (e *Error) Error() string { return fmt.Sprintf("%d %s: %s", e.Status, e.Code, e.Message) }

// Error codes. The documented ones are UNAUTHORIZED, FORBIDDEN, THREAD_NOT_FOUND,
// PROSPECT_NOT_FOUND and RATE_LIMITED; the rest are the simulator's choices (see doc.go).
const (
	CodeValidation        = "VALIDATION_ERROR"
	CodeUnauthorized      = "UNAUTHORIZED"
	CodeForbidden         = "FORBIDDEN"
	CodeNotFound          = "NOT_FOUND"
	CodeThreadNotFound    = "THREAD_NOT_FOUND"
	CodeMessageNotFound   = "MESSAGE_NOT_FOUND"
	CodeProspectNotFound  = "PROSPECT_NOT_FOUND"
	CodeTagNotFound       = "TAG_NOT_FOUND"
	CodeStatusNotFound    = "STATUS_NOT_FOUND"
	CodeMemberNotFound    = "MEMBER_NOT_FOUND"
	CodeLinkNotFound      = "ACCOUNT_LINK_NOT_FOUND"
	CodeMethodNotAllowed  = "METHOD_NOT_ALLOWED"
	CodeConflict          = "CONFLICT"
	CodePayloadTooLarge   = "PAYLOAD_TOO_LARGE"
	CodeUnsupportedMedia  = "UNSUPPORTED_MEDIA_TYPE"
	CodeRateLimited       = "RATE_LIMITED"
	CodeInternal          = "INTERNAL_SERVER_ERROR"
	CodeBadGateway        = "BAD_GATEWAY"
	CodeUnavailable       = "SERVICE_UNAVAILABLE"
	rateLimitedMessageFmt = "Rate limit exceeded. Try again in %d seconds."
)

func errorf(status int, code, format string, args ...any) *Error {
	return &Error{Status: status, Code: code, Message: fmt.Sprintf(format, args...)}
}

func v1Invalid(format string, args ...any) *Error {
	return errorf(http.StatusBadRequest, CodeValidation, format, args...)
}

func v1Conflict(format string, args ...any) *Error {
	return errorf(http.StatusConflict, CodeConflict, format, args...)
}

// notFound builds the 404 for an unknown ID of the given kind.
func v1NotFound(kind, id string) *Error {
	switch kind {
	case "thread":
		return errorf(http.StatusNotFound, CodeThreadNotFound, "thread %q not found; list threads with GET /threads", id)
	case "message":
		return errorf(http.StatusNotFound, CodeMessageNotFound, "message %q not found in this thread; list messages with GET /threads/{threadId}/messages", id)
	case "prospect":
		return errorf(http.StatusNotFound, CodeProspectNotFound, "prospect %q not found; prospect IDs are the externalId of a thread's prospect", id)
	case "tag":
		return errorf(http.StatusNotFound, CodeTagNotFound, "tag %q not found; list tags with GET /tags", id)
	case "status":
		return errorf(http.StatusNotFound, CodeStatusNotFound, "status %q not found; list statuses with GET /statuses", id)
	case "member":
		return errorf(http.StatusNotFound, CodeMemberNotFound, "member %q not found; list members with GET /members", id)
	case "accountLink":
		return errorf(http.StatusNotFound, CodeLinkNotFound, "account link %q not found; list account links with GET /account-links", id)
	}
	return errorf(http.StatusNotFound, CodeNotFound, "%s %q not found", kind, id)
}

// notFoundCodes are the codes of the store's not-found failures, by entity.
var notFoundCodes = map[string]string{
	"thread":      CodeThreadNotFound,
	"message":     CodeMessageNotFound,
	"prospect":    CodeProspectNotFound,
	"tag":         CodeTagNotFound,
	"status":      CodeStatusNotFound,
	"member":      CodeMemberNotFound,
	"accountLink": CodeLinkNotFound,
}

// asError converts any error into an *Error; unknown errors become a 500 without details, so
// internals never leak to callers.
func asError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	var se *store.Error
	if errors.As(err, &se) {
		switch se.Kind {
		case store.KindInvalid:
			return errorf(http.StatusBadRequest, CodeValidation, "%s", se.Message)
		case store.KindConflict:
			return errorf(http.StatusConflict, CodeConflict, "%s", se.Message)
		case store.KindForbidden:
			return errorf(http.StatusForbidden, CodeForbidden, "%s", se.Message)
		case store.KindNotFound:
			code, ok := notFoundCodes[se.Entity]
			if !ok {
				code = CodeNotFound
			}
			return errorf(http.StatusNotFound, code, "%s", se.Message)
		}
	}
	return errorf(http.StatusInternalServerError, CodeInternal, "internal error; try again later")
}
