package v1api

import (
	"errors"
	"net/http"

	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/httpx"
	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/store"
)

type errorBody struct {
	Error ErrorDetail `json:"error"`
}

type ErrorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Status  int    `json:"status"`
}

func errorResponse(e *httpx.Error) httpx.Response {
	return httpx.Response{Status: e.Status, Header: http.Header{},
		Body: httpx.JSONBody(errorBody{Error: ErrorDetail{Code: e.Code, Message: e.Message, Status: e.Status}})}
}

func v1Conflict(format string, args ...any) *httpx.Error {
	return httpx.Errorf(http.StatusConflict, httpx.CodeConflict, format, args...)
}

// notFound builds the 404 for an unknown ID of the given kind.
func v1NotFound(kind, id string) *httpx.Error {
	switch kind {
	case "thread":
		return httpx.Errorf(http.StatusNotFound, httpx.CodeThreadNotFound, "thread %q not found; list threads with GET /threads", id)
	case "message":
		return httpx.Errorf(http.StatusNotFound, httpx.CodeMessageNotFound, "message %q not found in this thread; list messages with GET /threads/{threadId}/messages", id)
	case "prospect":
		return httpx.Errorf(http.StatusNotFound, httpx.CodeProspectNotFound, "prospect %q not found; prospect IDs are the externalId of a thread's prospect", id)
	case "tag":
		return httpx.Errorf(http.StatusNotFound, httpx.CodeTagNotFound, "tag %q not found; list tags with GET /tags", id)
	case "status":
		return httpx.Errorf(http.StatusNotFound, httpx.CodeStatusNotFound, "status %q not found; list statuses with GET /statuses", id)
	case "member":
		return httpx.Errorf(http.StatusNotFound, httpx.CodeMemberNotFound, "member %q not found; list members with GET /members", id)
	case "accountLink":
		return httpx.Errorf(http.StatusNotFound, httpx.CodeLinkNotFound, "account link %q not found; list account links with GET /account-links", id)
	}
	return httpx.Errorf(http.StatusNotFound, httpx.CodeNotFound, "%s %q not found", kind, id)
}

// notFoundCodes are the codes of the store's not-found failures, by entity.
var notFoundCodes = map[string]string{
	"thread":      httpx.CodeThreadNotFound,
	"message":     httpx.CodeMessageNotFound,
	"prospect":    httpx.CodeProspectNotFound,
	"tag":         httpx.CodeTagNotFound,
	"status":      httpx.CodeStatusNotFound,
	"member":      httpx.CodeMemberNotFound,
	"accountLink": httpx.CodeLinkNotFound,
}

// asError converts any error into an *Error; unknown errors become a 500 without details, so
// internals never leak to callers.
func asError(err error) *httpx.Error {
	var e *httpx.Error
	if errors.As(err, &e) {
		return e
	}
	var se *store.Error
	if errors.As(err, &se) {
		switch se.Kind {
		case store.KindInvalid:
			return httpx.Errorf(http.StatusBadRequest, httpx.CodeValidation, "%s", se.Message)
		case store.KindConflict:
			return httpx.Errorf(http.StatusConflict, httpx.CodeConflict, "%s", se.Message)
		case store.KindForbidden:
			return httpx.Errorf(http.StatusForbidden, httpx.CodeForbidden, "%s", se.Message)
		case store.KindNotFound:
			code, ok := notFoundCodes[se.Entity]
			if !ok {
				code = httpx.CodeNotFound
			}
			return httpx.Errorf(http.StatusNotFound, code, "%s", se.Message)
		}
	}
	return httpx.Errorf(http.StatusInternalServerError, httpx.CodeInternal, "internal error; try again later")
}
