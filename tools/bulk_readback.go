package tools

import (
	"context"
	"errors"
	"slices"

	"github.com/inbox-mcp/inbox-mcp/inbox"
)

// outcome is what became of one prospect's update in a bulk run.
type outcome int

const (
	outcomeApplied    outcome = iota // the record is as asked
	outcomeNotApplied                // the API refused, or the record, read back, is not as asked
	outcomeUnknown                   // the answer was lost and the record could not be read back
)

// readBack works out whether j's update, which failed with err, was applied anyway: a lost
// answer (a broken connection, a time-out, a server error after the change was stored)
// says nothing about the change, the record does. A refusal (4xx) needs no reading.
func (c *Call) readBack(ctx context.Context, j bulkJob, err error) outcome {
	if refused(err) {
		return outcomeNotApplied
	}
	p, rerr := c.B.Prospect(ctx, j.t.p.ID)
	if rerr != nil {
		return outcomeUnknown
	}
	assignee := p.Context.AssigneeID
	if j.u.Assignee.Changed() && assignee == "" && !c.B.Features().RecordAssignee && p.Username != "" {
		// v1 keeps the assignee on the person's threads.
		ts, terr := c.B.ThreadsWithUsername(ctx, p.Username)
		if terr != nil {
			return outcomeUnknown
		}
		assignee = c.sharedAssignee(p, ts)
	}
	if holds(p, assignee, j.u) {
		return outcomeApplied
	}
	return outcomeNotApplied
}

// refusals are the kinds of error that leave the record as it was: the request was refused
// (by the API, or before it was sent), not lost on its way.
var refusals = []error{inbox.ErrNotFound, inbox.ErrInvalidArgument, inbox.ErrConflict, inbox.ErrNotAllowed,
	inbox.ErrTooLate, inbox.ErrRateLimited, inbox.ErrUnauthorized, inbox.ErrForbidden, inbox.ErrUnsupported}

// refused reports whether err is a refusal, which leaves the record as it was. A failure
// of kind inbox.ErrUnavailable (a 5xx, a time-out, a lost connection) is not: the change
// may have been stored before it.
func refused(err error) bool {
	for _, k := range refusals {
		if errors.Is(err, k) {
			return true
		}
	}
	return false
}

// holds reports whether the record p (whose assignee is assignee) is as update u asks.
func holds(p inbox.Prospect, assignee string, u inbox.ContextUpdate) bool {
	for _, id := range u.AddTags {
		if !slices.Contains(p.Context.TagIDs, id) {
			return false
		}
	}
	for _, id := range u.RemoveTags {
		if slices.Contains(p.Context.TagIDs, id) {
			return false
		}
	}
	return !differs(u.Status, p.Context.StatusID) && !differs(u.Assignee, assignee)
}
