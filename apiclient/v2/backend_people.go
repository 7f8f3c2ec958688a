package v2

import (
	"context"
	"errors"
	"strings"

	"github.com/inbox-mcp/inbox-mcp/apiclient"
	"github.com/inbox-mcp/inbox-mcp/inbox"
)

// errNoContact is returned when a person has no contact yet: v2 has no call that creates
// one, it appears when the team first messages or imports the person.
var errNoContact = errors.New("inbox api v2: this person has no contact record in Inbox yet, so there is nothing to update: " +
	"send them a message first (which creates the record), then update it")

// Prospect returns the contact id as a person: its oldest profile with the team's record,
// and every thread with the contact across accounts.
func (b *backend) Prospect(ctx context.Context, id string) (inbox.Prospect, error) {
	c, err := b.c.GetContact(ctx, id)
	if err != nil {
		return inbox.Prospect{}, err
	}
	return b.prospectWithThreads(ctx, &c, nil)
}

// prospectWithThreads presents a contact through the profile match selects (nil: the
// oldest), with the contact's threads in every folder.
func (b *backend) prospectWithThreads(ctx context.Context, c *Contact, match func(Profile) bool) (inbox.Prospect, error) {
	pr := profileFor(c, match)
	p := prospectFrom(pr, c, c.ID, "")
	for t, err := range b.c.AllThreads(ctx, ThreadFilter{ContactIDs: []string{c.ID}, Folder: FolderAll}, 0) {
		if err != nil {
			return p, err
		}
		p.Threads = append(p.Threads, threadRef(t))
	}
	if p.Threads == nil {
		p.Threads = []inbox.ThreadRef{}
	}
	return p, nil
}

// LookupProspect finds a person by platform user ID on each of the team's platforms
// (GET /contacts?platform=…&platformId=…), or nil. Someone the team never messaged or
// imported has no contact and is not found.
func (b *backend) LookupProspect(ctx context.Context, platformID string) (*inbox.Prospect, error) {
	platformID = strings.TrimSpace(platformID)
	if platformID == "" {
		return nil, errInvalid("the platform user ID is empty")
	}
	for _, platform := range b.platformList(ctx) {
		page, err := b.c.FindContacts(ctx, ContactQuery{Platform: platform, PlatformIDs: []string{platformID}, Limit: 1})
		if err != nil {
			return nil, err
		}
		if len(page.Data) == 0 {
			continue
		}
		p, err := b.prospectWithThreads(ctx, &page.Data[0], func(pr Profile) bool {
			return pr.Platform == platform && pr.PlatformID == platformID
		})
		if err != nil {
			return nil, err
		}
		return &p, nil
	}
	return nil, nil
}

// UpdateProspect changes the team's record of a person: status, notes, valuation and
// assignee in one PATCH, tags one call each (tags are added and removed, never replaced,
// so concurrent edits of other tags survive), then reads the record back. When a request
// fails after others went through, the error is an *inbox.PartialUpdateError saying what was
// applied and what was not, so that a retry does only the rest.
func (b *backend) UpdateProspect(ctx context.Context, id string, u inbox.ContextUpdate) (inbox.Prospect, error) {
	if id == "" {
		return inbox.Prospect{}, errNoContact
	}
	var p ContactPatch
	setNullable(&p.Status, u.Status)
	setNullable(&p.Notes, u.Notes)
	setNullable(&p.Valuation, u.Valuation)
	setNullable(&p.AssigneeID, u.Assignee)
	if !p.IsZero() {
		if _, err := b.c.UpdateContact(ctx, id, p); err != nil {
			return inbox.Prospect{}, err
		}
	}
	applied := u
	applied.AddTags, applied.RemoveTags = nil, nil
	// partial reports the failure of a tag request: the applied part, and the rest.
	partial := func(err error, add, remove []string) error {
		rest := inbox.ContextUpdate{AddTags: add, RemoveTags: remove}
		if applied.IsEmpty() {
			return err
		}
		return &inbox.PartialUpdateError{Applied: applied, Rest: rest, Err: err}
	}
	for i, t := range u.AddTags {
		if err := b.c.AddContactTag(ctx, id, t); err != nil {
			return inbox.Prospect{}, partial(err, u.AddTags[i:], u.RemoveTags)
		}
		applied.AddTags = append(applied.AddTags, t)
	}
	for i, t := range u.RemoveTags {
		if err := b.c.RemoveContactTag(ctx, id, t); err != nil {
			return inbox.Prospect{}, partial(err, nil, u.RemoveTags[i:])
		}
		applied.RemoveTags = append(applied.RemoveTags, t)
	}
	np, err := b.Prospect(ctx, id)
	if err != nil && !u.IsEmpty() {
		// Everything was applied; only the record as it now is could not be read.
		return np, &inbox.PartialUpdateError{Applied: u, Err: err}
	}
	return np, err
}

func setNullable[T any](dst *apiclient.Nullable[T], c inbox.Change[T]) {
	if v, ok := c.Value(); ok {
		*dst = apiclient.Value(v)
	} else if c.Cleared() {
		*dst = apiclient.Null[T]()
	}
}
