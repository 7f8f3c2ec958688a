package inbox

import (
	"errors"
	"strconv"
	"time"
)

// The kinds of failure a Backend reports. They are the distinctions its callers act on, so
// there are few of them: each says what to do next, whichever API version failed and
// however (an answer of the API, or none). A Backend's error matches at most one of them
// with errors.Is; an error that matches none (a cancellation, an answer that could not be
// read) is unexpected.
var (
	// ErrNotFound: the item does not exist, or no longer does. Check the ID.
	ErrNotFound = errors.New("not found")
	// ErrInvalidArgument: the request was refused as it is, by the backend before sending
	// anything (an ID that is not an Inbox ID, a cursor the API did not issue, an emoji
	// that is not one) or by the API (a malformed or invalid request). The same call fails
	// again; the error's text says what to pass instead. Without an *Error in the chain,
	// the refusal came before any request and the error carries only that text.
	ErrInvalidArgument = errors.New("invalid argument")
	// ErrConflict: the item's current state does not allow the change (a name already
	// taken, a message that cannot be changed now, a send still in progress). Read the
	// item again and adapt.
	ErrConflict = errors.New("conflict")
	// ErrNotAllowed: the team's account or the conversation cannot do this (the account
	// lacks the capability, or the platform disabled it in the conversation). Repeating it
	// will not help.
	ErrNotAllowed = errors.New("not allowed in this conversation")
	// ErrTooLate: the platform's time window for the change has passed (editing or
	// unsending a message). Repeating it will not help.
	ErrTooLate = errors.New("too late")
	// ErrRateLimited: the team's rate limit, or the platform's, is used up. Wait for
	// Error.RetryAfter, when known, before calling again.
	ErrRateLimited = errors.New("rate limited")
	// ErrUnauthorized: the API rejected the API key (mistyped, revoked, or another
	// workspace's). Only the person can fix it.
	ErrUnauthorized = errors.New("unauthorized")
	// ErrForbidden: the team has no access to the item or feature (a plan or add-on it
	// lacks, a locked workspace, a platform it cannot use).
	ErrForbidden = errors.New("forbidden")
	// ErrUnavailable: the API or the platform behind it failed, or could not be reached,
	// after the retries the transport allows. Try again later.
	ErrUnavailable = errors.New("unavailable")
	// ErrUnsupported: the API version in use does not offer the feature; the caller can
	// fall back. Returned, wrapped, before any request.
	ErrUnsupported = errors.New("not supported by this Inbox API version")
)

// Error is a failure that reached the API or was meant to: one of the kinds above, with what
// the API said about it, for the person and for support. Backends return it (wrapped or
// not) for every answer of the API that is not a success and for calls that got no answer;
// it matches its Kind with errors.Is, and unwraps to the transport's own error.
type Error struct {
	// Kind is one of the Err* kinds of this package, or nil when the answer fits none
	// (an unexpected redirect, say).
	Kind error
	// Status is the HTTP status of the answer, 0 when none came.
	Status int
	// Code is the API's machine code (THREAD_NOT_FOUND in v1, threadNotFound in v2), for
	// logs and support; branch on Kind instead.
	Code string
	// Message is the API's text about the failure, meant for a person. It comes from the
	// API: sanitize it before showing it.
	Message string
	// RetryAfter is the wait the API asked for before trying again, 0 if it named none.
	RetryAfter time.Duration
	// RequestID identifies the request for the API's support, "" if the API sent none.
	RequestID string
	// Err is the transport's error this one translates.
	Err error
}

// Error is the transport's text, which names the request and the answer.
func (e *Error) Error() string {
	if e.Err != nil {
		return e.Err.Error()
	}
	s := "inbox api: " + strconv.Itoa(e.Status)
	if e.Code != "" {
		s += " " + e.Code
	}
	if e.Message != "" {
		s += ": " + e.Message
	}
	return s
}

// Unwrap gives the transport's error.
func (e *Error) Unwrap() error { return e.Err }

// Is makes the error match its kind.
func (e *Error) Is(target error) bool { return e.Kind != nil && target == e.Kind }
