package v2

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/inbox-mcp/inbox-mcp/apiclient"
)

// Tags and statuses are addressed by reference: an ID or a name (names match ignoring case
// and accents; when a value is one label's ID and another's name, the ID wins).

func refSeg(kind, ref string) (string, error) {
	if strings.TrimSpace(ref) == "" {
		return "", errInvalid("the " + kind + " is empty: pass its ID or name")
	}
	return seg(ref), nil
}

// ListTags returns every tag, ordered by name (GET /tags; the API serves them in one page,
// but further pages are followed should it ever send a cursor).
func (c *Client) ListTags(ctx context.Context) ([]Tag, error) {
	return apiclient.Collect(all(ctx, 0, func(ctx context.Context, cursor string) (Page[Tag], error) {
		var out Page[Tag]
		if cursor != "" {
			return out, errors.New("inbox api v2: GET /tags sent a next cursor, which the v2 document does not allow")
		}
		return out, c.get(ctx, "/tags", nil, &out)
	}))
}

// GetTag returns a tag by ID or name (GET /tags/{tagRef}).
func (c *Client) GetTag(ctx context.Context, ref string) (Tag, error) {
	var out Tag
	s, err := refSeg("tag", ref)
	if err != nil {
		return out, err
	}
	return out, c.get(ctx, "/tags/"+s, nil, &out)
}

// TagCreate creates a tag. Color is a palette name (GET /colors) or a 6-digit hex value;
// "" lets the API pick a random palette color.
type TagCreate struct {
	Name  string `json:"name"`
	Color string `json:"color,omitempty"`
}

// CreateTag creates a tag (POST /tags). A taken name fails with 409 nameTaken.
func (c *Client) CreateTag(ctx context.Context, t TagCreate) (Tag, error) {
	var out Tag
	if strings.TrimSpace(t.Name) == "" {
		return out, errInvalid("the tag name is empty")
	}
	return out, c.do(ctx, http.MethodPost, "/tags", nil, t, &out)
}

// TagPatch renames or recolors a tag; "" leaves a field unchanged. A tag always has a
// color, so it cannot be cleared.
type TagPatch struct {
	Name  string `json:"name,omitempty"`
	Color string `json:"color,omitempty"`
}

// UpdateTag changes a tag by ID or name (PATCH /tags/{tagRef}).
func (c *Client) UpdateTag(ctx context.Context, ref string, p TagPatch) (Tag, error) {
	var out Tag
	s, err := refSeg("tag", ref)
	if err != nil {
		return out, err
	}
	return out, c.do(ctx, http.MethodPatch, "/tags/"+s, nil, p, &out)
}

// DeleteTag deletes a tag by ID or name and removes it from every contact (DELETE
// /tags/{tagRef}).
func (c *Client) DeleteTag(ctx context.Context, ref string) error {
	s, err := refSeg("tag", ref)
	if err != nil {
		return err
	}
	return c.do(ctx, http.MethodDelete, "/tags/"+s, nil, nil, nil)
}

// ListStatuses returns every status in board order (GET /statuses).
func (c *Client) ListStatuses(ctx context.Context) ([]Status, error) {
	return apiclient.Collect(all(ctx, 0, func(ctx context.Context, cursor string) (Page[Status], error) {
		var out Page[Status]
		if cursor != "" {
			return out, errors.New("inbox api v2: GET /statuses sent a next cursor, which the v2 document does not allow")
		}
		return out, c.get(ctx, "/statuses", nil, &out)
	}))
}

// GetStatus returns a status by ID or name (GET /statuses/{statusRef}).
func (c *Client) GetStatus(ctx context.Context, ref string) (Status, error) {
	var out Status
	s, err := refSeg("status", ref)
	if err != nil {
		return out, err
	}
	return out, c.get(ctx, "/statuses/"+s, nil, &out)
}

// StatusCreate creates a status. Color is a palette name or 6-digit hex value; omit it or
// use apiclient.Null for no color.
type StatusCreate struct {
	Name  string                     `json:"name"`
	Color apiclient.Nullable[string] `json:"color,omitzero"`
}

// CreateStatus creates a status (POST /statuses). A taken name fails with 409 nameTaken.
func (c *Client) CreateStatus(ctx context.Context, s StatusCreate) (Status, error) {
	var out Status
	if strings.TrimSpace(s.Name) == "" {
		return out, errInvalid("the status name is empty")
	}
	return out, c.do(ctx, http.MethodPost, "/statuses", nil, s, &out)
}

// StatusPatch renames or recolors a status; zero fields are left unchanged and
// apiclient.Null removes the color.
type StatusPatch struct {
	Name  string                     `json:"name,omitempty"`
	Color apiclient.Nullable[string] `json:"color,omitzero"`
}

// UpdateStatus changes a status by ID or name (PATCH /statuses/{statusRef}).
func (c *Client) UpdateStatus(ctx context.Context, ref string, p StatusPatch) (Status, error) {
	var out Status
	s, err := refSeg("status", ref)
	if err != nil {
		return out, err
	}
	return out, c.do(ctx, http.MethodPatch, "/statuses/"+s, nil, p, &out)
}

// DeleteStatus deletes a status by ID or name (DELETE /statuses/{statusRef}).
func (c *Client) DeleteStatus(ctx context.Context, ref string) error {
	s, err := refSeg("status", ref)
	if err != nil {
		return err
	}
	return c.do(ctx, http.MethodDelete, "/statuses/"+s, nil, nil, nil)
}
