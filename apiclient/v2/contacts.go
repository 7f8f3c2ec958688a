package v2

import (
	"context"
	"iter"
	"net/http"
	"strings"

	"github.com/inbox-mcp/inbox-mcp/apiclient"
)

// Contact expansions (at most 4 per request).
const (
	ExpandContactStatus   = "status"
	ExpandContactTags     = "tags"
	ExpandContactAssignee = "assignee"
)

// ContactQuery finds contacts by the platform identity of one of their profiles: Platform
// with PlatformIDs or Usernames (up to 100 each; usernames without their display prefix).
// No match is an empty page, never a 404.
type ContactQuery struct {
	Platform    string
	PlatformIDs []string
	Usernames   []string
	Expand      []string
	Limit       int
	Cursor      string
}

// FindContacts returns one page of contacts matching q (GET /contacts).
func (c *Client) FindContacts(ctx context.Context, p ContactQuery) (Page[Contact], error) {
	var out Page[Contact]
	if strings.TrimSpace(p.Platform) == "" {
		return out, errInvalid("finding contacts needs a platform, such as twitter")
	}
	if len(p.PlatformIDs) == 0 && len(p.Usernames) == 0 {
		return out, errInvalid("finding contacts needs platform IDs or usernames to match")
	}
	if len(p.PlatformIDs) > 100 || len(p.Usernames) > 100 {
		return out, errInvalid("find at most 100 contacts by platform ID or username at a time")
	}
	if len(p.Expand) > 4 {
		return out, errInvalid("expand at most 4 related resources per request")
	}
	q := query{}
	q.add("platform", p.Platform)
	q.add("platformId", p.PlatformIDs...)
	q.add("username", p.Usernames...)
	q.add("expand", p.Expand...)
	q.page(p.Limit, p.Cursor)
	return out, c.get(ctx, "/contacts", q.values(), &out)
}

// AllContacts iterates over every contact matching p (p's cursor and limit are ignored).
func (c *Client) AllContacts(ctx context.Context, p ContactQuery) iter.Seq2[Contact, error] {
	return all(ctx, 0, func(ctx context.Context, cursor string) (Page[Contact], error) {
		p.Cursor, p.Limit = cursor, MaxLimit
		return c.FindContacts(ctx, p)
	})
}

// GetContact returns one contact (GET /contacts/{contactId}).
func (c *Client) GetContact(ctx context.Context, id string, expand ...string) (Contact, error) {
	var out Contact
	s, err := idSeg("contact ID", id)
	if err != nil {
		return out, err
	}
	q := query{}
	q.add("expand", expand...)
	return out, c.get(ctx, "/contacts/"+s, q.values(), &out)
}

// ContactPatch changes a contact; omitted (zero) fields are left unchanged and
// apiclient.Null clears a field.
type ContactPatch struct {
	// Status is a status ID or name (names match ignoring case and accents).
	Status     apiclient.Nullable[string]  `json:"status,omitzero"`
	Notes      apiclient.Nullable[string]  `json:"notes,omitzero"`
	Valuation  apiclient.Nullable[float64] `json:"valuation,omitzero"`
	AssigneeID apiclient.Nullable[string]  `json:"assigneeId,omitzero"`
}

// IsZero reports whether the patch changes nothing.
func (p ContactPatch) IsZero() bool {
	return p.Status.IsZero() && p.Notes.IsZero() && p.Valuation.IsZero() && p.AssigneeID.IsZero()
}

// UpdateContact changes a contact and returns it (PATCH /contacts/{contactId}).
func (c *Client) UpdateContact(ctx context.Context, id string, p ContactPatch) (Contact, error) {
	var out Contact
	s, err := idSeg("contact ID", id)
	if err != nil {
		return out, err
	}
	return out, c.do(ctx, http.MethodPatch, "/contacts/"+s, nil, p, &out)
}

// AddContactTag puts a tag, by ID or name, on a contact (PUT
// /contacts/{contactId}/tags/{tagRef}). Adding a tag the contact has succeeds.
func (c *Client) AddContactTag(ctx context.Context, contactID, tagRef string) error {
	return c.contactTag(ctx, http.MethodPut, contactID, tagRef)
}

// RemoveContactTag takes a tag, by ID or name, off a contact (DELETE
// /contacts/{contactId}/tags/{tagRef}). Removing a tag the contact lacks succeeds.
func (c *Client) RemoveContactTag(ctx context.Context, contactID, tagRef string) error {
	return c.contactTag(ctx, http.MethodDelete, contactID, tagRef)
}

func (c *Client) contactTag(ctx context.Context, method, contactID, tagRef string) error {
	s, err := idSeg("contact ID", contactID)
	if err != nil {
		return err
	}
	if strings.TrimSpace(tagRef) == "" {
		return errInvalid("the tag is empty: pass a tag ID or name")
	}
	return c.do(ctx, method, "/contacts/"+s+"/tags/"+seg(tagRef), nil, nil, nil)
}
