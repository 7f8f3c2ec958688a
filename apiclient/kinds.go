package apiclient

import (
	"context"
	"errors"
	"net/http"

	"github.com/inbox-mcp/inbox-mcp/inbox"
)

// ModelError gives err in the model's terms, as every inbox.Backend must: an answer of the
// API that is not a success becomes an *inbox.Error of the kind its code or status says
// (codes maps a version's error codes to kinds, ahead of the status; nil goes by the status
// alone), and a call that got no answer (a network failure, a time-out) one of kind
// inbox.ErrUnavailable. The *inbox.Error wraps err, whose text it keeps, so errors.As still
// finds the transport's *[Error]. Errors already translated, cancellations, unreadable
// answers and errors of no request are returned as they are.
func ModelError(err error, codes map[string]error) error {
	if err == nil {
		return nil
	}
	var done *inbox.Error
	if errors.As(err, &done) {
		return err
	}
	var e *Error
	if errors.As(err, &e) {
		kind := codes[e.Code]
		if kind == nil {
			kind = statusKind(e.StatusCode)
		}
		return &inbox.Error{Kind: kind, Status: e.StatusCode, Code: e.Code, Message: e.Message,
			RetryAfter: e.RetryAfter, RequestID: e.RequestID, Err: err}
	}
	var (
		ce *callError
		ue *unreadableError
	)
	if errors.As(err, &ce) && !errors.As(err, &ue) && !errors.Is(err, context.Canceled) {
		return &inbox.Error{Kind: inbox.ErrUnavailable, Err: err}
	}
	return err
}

// statusKind is the kind an HTTP status says, nil for a status that says none (a redirect).
func statusKind(status int) error {
	switch {
	case status == http.StatusUnauthorized:
		return inbox.ErrUnauthorized
	case status == http.StatusForbidden:
		return inbox.ErrForbidden
	case status == http.StatusNotFound || status == http.StatusGone:
		return inbox.ErrNotFound
	case status == http.StatusConflict:
		return inbox.ErrConflict
	case status == http.StatusTooManyRequests:
		return inbox.ErrRateLimited
	case status == http.StatusRequestTimeout || status >= 500:
		// A 408 is a time-out like any other: the request may yet have been processed.
		return inbox.ErrUnavailable
	case status >= 400:
		return inbox.ErrInvalidArgument
	}
	return nil
}
