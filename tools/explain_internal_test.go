package tools

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/inbox-mcp/inbox-mcp/inbox"
)

// Each kind of error reaches the model with what to do next, whichever API version failed.
func TestExplainByKind(t *testing.T) {
	api := func(kind error, status int, msg string) error {
		return fmt.Errorf("listing threads: %w", &inbox.Error{Kind: kind, Status: status, Code: "x", Message: msg,
			Err: errors.New("inbox api: GET /threads: " + fmt.Sprint(status))})
	}
	for _, tt := range []struct {
		name string
		err  error
		want []string
	}{
		{"rate limited", &inbox.Error{Kind: inbox.ErrRateLimited, Status: 429, RetryAfter: 1500 * time.Millisecond}, []string{"rate limit (shared by the whole team) is used up", "Wait 2s"}},
		{"rate limited without a wait", api(inbox.ErrRateLimited, 429, ""), []string{"Wait 60s"}},
		{"unauthorized", api(inbox.ErrUnauthorized, 401, "Invalid token"), []string{"rejected the API token (401: Invalid token)", "Retrying will not help"}},
		{"forbidden", api(inbox.ErrForbidden, 403, "Plan required"), []string{"refused access (403: Plan required)"}},
		{"not found", api(inbox.ErrNotFound, 404, "Thread not found"), []string{"Not found (404: Thread not found)", "Check the ID"}},
		{"conflict", api(inbox.ErrConflict, 409, "Name taken"), []string{"reported a conflict (409: Name taken)"}},
		{"invalid", api(inbox.ErrInvalidArgument, 422, "Bad limit"), []string{"rejected the request (422: Bad limit)", "Fix the arguments"}},
		{"not allowed", api(inbox.ErrNotAllowed, 422, "Restricted"), []string{"(422: Restricted)", "cannot do this", "Nothing was changed"}},
		{"too late", api(inbox.ErrTooLate, 422, "Window closed"), []string{"(422: Window closed)", "time window", "Nothing was changed"}},
		{"server failed", api(inbox.ErrUnavailable, 503, ""), []string{"failed (503: Service Unavailable) even after retries"}},
		{"unreachable", &inbox.Error{Kind: inbox.ErrUnavailable, Err: errors.New("inbox api: GET /team: connection refused")}, []string{"could not be reached", "connection refused", "Try again in a minute"}},
		{"timed out", &inbox.Error{Kind: inbox.ErrUnavailable, Err: fmt.Errorf("inbox api: GET /team: %w", context.DeadlineExceeded)}, []string{"did not answer in time"}},
		{"redirect", api(nil, 302, "unexpected redirect"), []string{"answered 302: unexpected redirect"}},
		{"refused before any request", fmt.Errorf("%w: limit 0", inbox.ErrInvalidArgument), []string{"Refused before reaching the Inbox API", "Fix the argument"}},
		{"unsupported", fmt.Errorf("%w: no search", inbox.ErrUnsupported), []string{"Not supported by the Inbox API version in use"}},
		{"part applied", &inbox.PartialUpdateError{Err: api(inbox.ErrInvalidArgument, 422, "Bad tag")}, []string{"applied only in part", "rejected the request (422: Bad tag)"}},
		{"cancelled", context.Canceled, []string{"canceled before the Inbox API answered"}},
	} {
		got := Explain(tt.err)
		for _, w := range tt.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: Explain = %q, want it to contain %q", tt.name, got, w)
			}
		}
		if strings.Contains(got, "Unexpected error") {
			t.Errorf("%s: Explain = %q, an unexpected error", tt.name, got)
		}
	}
}

// A refusal leaves a record as it was; a lost answer may not have.
func TestRefusedByKind(t *testing.T) {
	for _, k := range refusals {
		if !refused(fmt.Errorf("update: %w", &inbox.Error{Kind: k, Status: 400})) {
			t.Errorf("%v is not a refusal", k)
		}
	}
	for _, err := range []error{
		&inbox.Error{Kind: inbox.ErrUnavailable, Status: 502},
		&inbox.Error{Kind: inbox.ErrUnavailable, Status: 408},
		context.DeadlineExceeded,
		errors.New("decode answer: unexpected EOF"),
	} {
		if refused(err) {
			t.Errorf("%v counts as a refusal", err)
		}
	}
}
