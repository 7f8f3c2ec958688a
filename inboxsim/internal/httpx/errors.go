package httpx

import (
	"fmt"
	"net/http"
)

// Error is a failure of a request itself (malformed input, a missing token): an HTTP status,
// a SCREAMING_SNAKE_CASE code and a message that says what was wrong and what to do. v1
// answers it as it is; v2 maps the code to its own.
type Error struct {
	Status  int
	Code    string
	Message string
}

// Error formats the status, code and message.
func (e *Error) Error() string { return fmt.Sprintf("%d %s: %s", e.Status, e.Code, e.Message) }

// Error codes. The documented ones are UNAUTHORIZED, FORBIDDEN, THREAD_NOT_FOUND,
// PROSPECT_NOT_FOUND and RATE_LIMITED; the rest are the simulator's choices (see the v1api package documentation).
const (
	CodeValidation       = "VALIDATION_ERROR"
	CodeUnauthorized     = "UNAUTHORIZED"
	CodeForbidden        = "FORBIDDEN"
	CodeNotFound         = "NOT_FOUND"
	CodeThreadNotFound   = "THREAD_NOT_FOUND"
	CodeMessageNotFound  = "MESSAGE_NOT_FOUND"
	CodeProspectNotFound = "PROSPECT_NOT_FOUND"
	CodeTagNotFound      = "TAG_NOT_FOUND"
	CodeStatusNotFound   = "STATUS_NOT_FOUND"
	CodeMemberNotFound   = "MEMBER_NOT_FOUND"
	CodeLinkNotFound     = "ACCOUNT_LINK_NOT_FOUND"
	CodeMethodNotAllowed = "METHOD_NOT_ALLOWED"
	CodeConflict         = "CONFLICT"
	CodePayloadTooLarge  = "PAYLOAD_TOO_LARGE"
	CodeUnsupportedMedia = "UNSUPPORTED_MEDIA_TYPE"
	CodeRateLimited      = "RATE_LIMITED"
	CodeInternal         = "INTERNAL_SERVER_ERROR"
	CodeBadGateway       = "BAD_GATEWAY"
	CodeUnavailable      = "SERVICE_UNAVAILABLE"
	RateLimitedMessage   = "Rate limit exceeded. Try again in %d seconds."
)

// Errorf builds an Error.
func Errorf(status int, code, format string, args ...any) *Error {
	return &Error{Status: status, Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalid is a 400 VALIDATION_ERROR; the message names the input and what is allowed.
func Invalid(format string, args ...any) *Error {
	return Errorf(http.StatusBadRequest, CodeValidation, format, args...)
}
