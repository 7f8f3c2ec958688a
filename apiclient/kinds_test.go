package apiclient

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/inbox-mcp/inbox-mcp/inbox"
)

func TestModelErrorKinds(t *testing.T) {
	v2codes := map[string]error{"threadRestricted": inbox.ErrNotAllowed, "mutationWindowClosed": inbox.ErrTooLate}
	for _, tt := range []struct {
		status int
		code   string
		want   error
	}{
		{400, "invalidRequest", inbox.ErrInvalidArgument},
		{401, "unauthorized", inbox.ErrUnauthorized},
		{403, "planRequired", inbox.ErrForbidden},
		{403, "workspaceLocked", inbox.ErrForbidden},
		{404, "THREAD_NOT_FOUND", inbox.ErrNotFound},
		{408, "HTTP_408", inbox.ErrUnavailable},
		{409, "nameTaken", inbox.ErrConflict},
		{409, "sendInProgress", inbox.ErrConflict},
		{410, "HTTP_410", inbox.ErrNotFound},
		{422, "contentRejected", inbox.ErrInvalidArgument},
		{422, "threadRestricted", inbox.ErrNotAllowed},
		{422, "mutationWindowClosed", inbox.ErrTooLate},
		{429, "platformRateLimited", inbox.ErrRateLimited},
		{500, "internal", inbox.ErrUnavailable},
		{502, "platformError", inbox.ErrUnavailable},
		{502, "sendUnconfirmed", inbox.ErrUnavailable},
		{503, "platformUnavailable", inbox.ErrUnavailable},
	} {
		api := &Error{StatusCode: tt.status, Code: tt.code, Message: "said", RetryAfter: time.Second, RequestID: "req_1", Method: "GET", Path: "/x"}
		err := ModelError(fmt.Errorf("listing: %w", api), v2codes)
		if !errors.Is(err, tt.want) {
			t.Errorf("%d %s: %v is not %v", tt.status, tt.code, err, tt.want)
		}
		var me *inbox.Error
		if !errors.As(err, &me) || me.Status != tt.status || me.Code != tt.code || me.Message != "said" || me.RetryAfter != time.Second || me.RequestID != "req_1" {
			t.Errorf("%d %s: details lost: %+v", tt.status, tt.code, me)
		}
		var got *Error
		if !errors.As(err, &got) || got != api || err.Error() != "listing: "+api.Error() {
			t.Errorf("%d %s: the transport's error is not behind %q", tt.status, tt.code, err)
		}
		if ModelError(err, v2codes) != err {
			t.Errorf("%d %s: translated twice", tt.status, tt.code)
		}
	}
	if err := ModelError(&Error{StatusCode: 302, Code: "HTTP_302"}, nil); errors.Is(err, inbox.ErrInvalidArgument) || errors.Is(err, inbox.ErrUnavailable) {
		t.Errorf("a redirect has a kind: %v", err)
	}
	// Without the version's table, a 422 goes by its status.
	if err := ModelError(&Error{StatusCode: 422, Code: "threadRestricted"}, nil); !errors.Is(err, inbox.ErrInvalidArgument) {
		t.Errorf("422 by status: %v", err)
	}
}

func TestModelErrorWithoutAnswer(t *testing.T) {
	lost := &callError{"GET", "/team", errors.New("connection reset by peer")}
	if err := ModelError(lost, nil); !errors.Is(err, inbox.ErrUnavailable) || err.Error() != lost.Error() {
		t.Errorf("no answer: %v", err)
	}
	timedOut := &callError{"GET", "/team", fmt.Errorf("no answer within 30s: %w", context.DeadlineExceeded)}
	if err := ModelError(timedOut, nil); !errors.Is(err, inbox.ErrUnavailable) || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("time-out: %v", err)
	}
	for _, err := range []error{
		&callError{"GET", "/team", context.Canceled},
		&callError{"GET", "/team", &unreadableError{&json.SyntaxError{}}},
		errors.New("inbox api: invalid request"),
		nil,
	} {
		if got := ModelError(err, nil); got != err {
			t.Errorf("ModelError(%v) = %v, want it unchanged", err, got)
		}
	}
}

// The request ID comes from the header, or from a v2 body, which names it too.
func TestDecodeErrorRequestID(t *testing.T) {
	h := http.Header{"X-Request-Id": {"req_header"}}
	if e := decodeError("GET", "/x", 404, h, []byte(`{"error":{"code":"NOT_FOUND","message":"gone"}}`), ""); e.RequestID != "req_header" {
		t.Errorf("from the header: %q", e.RequestID)
	}
	body := `{"code":"threadNotFound","message":"No such thread","details":null,"requestId":"req_body"}`
	if e := decodeError("GET", "/x", 404, h, []byte(body), ""); e.RequestID != "req_body" || e.Code != "threadNotFound" {
		t.Errorf("from the body: %+v", e)
	}
}
