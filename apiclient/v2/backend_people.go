package v2

import (
	"context"
	"errors"
	"slices"
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
// so concurrent edits of other tags survive). The record it returns is built from the
// answers rather than read back: the PATCH answers with the contact as it now is, a tag call
// answers 204, so the tags are those of the PATCH answer (or of p, when nothing else
// changed) with the tags applied. Only a tag given by name, whose ID only the API knows,
// has the record read back. An empty update reads the record. When a request fails after
// others went through, the error is an *inbox.PartialUpdateError saying what was applied
// and what was not, so that a retry does only the rest.
func (b *backend) UpdateProspect(ctx context.Context, p inbox.Prospect, u inbox.ContextUpdate) (inbox.Prospect, error) {
	id := p.ID
	if id == "" {
		return inbox.Prospect{}, errNoContact
	}
	if u.IsEmpty() {
		return b.Prospect(ctx, id)
	}
	var patch ContactPatch
	setNullable(&patch.Status, u.Status)
	setNullable(&patch.Notes, u.Notes)
	setNullable(&patch.Valuation, u.Valuation)
	setNullable(&patch.AssigneeID, u.Assignee)
	var patched *Contact
	if !patch.IsZero() {
		c, err := b.c.UpdateContact(ctx, id, patch)
		if err != nil {
			return inbox.Prospect{}, err
		}
		patched = &c
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
	if !allIDs(u.AddTags) || !allIDs(u.RemoveTags) {
		np, err := b.Prospect(ctx, id)
		if err != nil {
			// Everything was applied; only the record as it now is could not be read.
			return np, &inbox.PartialUpdateError{Applied: u, Err: err}
		}
		return np, nil
	}
	np := p
	if patched != nil {
		np = prospectFrom(profileFor(patched, func(pr Profile) bool { return p.ProfileID == "" || pr.ID == p.ProfileID }), patched, id, p.ProfileID)
		np.Threads = p.Threads
	}
	np.Context.TagIDs = withTags(np.Context.TagIDs, u.AddTags, u.RemoveTags)
	return np, nil
}

// withTags returns a copy of ids with add appended (those it lacks) and remove taken out.
func withTags(ids, add, remove []string) []string {
	out := make([]string, 0, len(ids)+len(add))
	for _, id := range ids {
		if !slices.Contains(remove, id) {
			out = append(out, id)
		}
	}
	for _, id := range add {
		if !slices.Contains(out, id) && !slices.Contains(remove, id) {
			out = append(out, id)
		}
	}
	return out
}

// allIDs reports whether every tag reference has the shape of an Inboxapp ID (24 lowercase
// letters and digits, a letter first) rather than of a name.
func allIDs(refs []string) bool {
	for _, r := range refs {
		if !isID(r) {
			return false
		}
	}
	return true
}

func isID(s string) bool {
	if len(s) != 24 || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for i := 1; i < len(s); i++ {
		if c := s[i]; (c < 'a' || c > 'z') && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}

func setNullable[T any](dst *apiclient.Nullable[T], c inbox.Change[T]) {
	if v, ok := c.Value(); ok {
		*dst = apiclient.Value(v)
	} else if c.Cleared() {
		*dst = apiclient.Null[T]()
	}
}
