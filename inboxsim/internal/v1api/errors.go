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

// ErrorDetail is the inside of v1's error body.
type ErrorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Status  int    `json:"status"`
}

// errorResponse answers an error with v1's body, {"error": {code, message, status}}.
func errorResponse(e *httpx.Error) httpx.Response {
	return httpx.Response{Status: e.Status, Header: http.Header{},
		Body: httpx.JSONBody(errorBody{Error: ErrorDetail{Code: e.Code, Message: e.Message, Status: e.Status}})}
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
