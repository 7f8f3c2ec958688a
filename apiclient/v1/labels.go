package v1

import (
	"context"
	"time"
	"unicode/utf8"

	"github.com/inbox-mcp/inbox-mcp/apiclient"
)

// Tag is a team tag. Color is a hex code (#3b82f6) or a predefined color name.
type Tag struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Color string `json:"color"`
}

// Status is a pipeline stage; at most one per prospect.
type Status struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	Color     *string   `json:"color"`
	CreatedAt time.Time `json:"createdAt"`
}

// Color is one of the predefined colors for tags and statuses.
type Color struct {
	Name string `json:"name"`
	Hex  string `json:"hex"`
}

// LabelCreate creates a tag or status. Color is a predefined name ("red") or "#rrggbb";
// nil lets the API choose.
type LabelCreate struct {
	Name  string  `json:"name"`
	Color *string `json:"color,omitempty"`
}

// LabelUpdate renames or recolors a tag or status; zero fields are left alone and
// apiclient.Null clears the color.
type LabelUpdate struct {
	Name  apiclient.Nullable[string] `json:"name,omitzero"`
	Color apiclient.Nullable[string] `json:"color,omitzero"`
}

func checkLabelName(name string) error {
	if name == "" {
		return invalid("name is empty: give the tag or status a name of 1 to 255 characters")
	}
	if n := utf8.RuneCountInString(name); n > 255 {
		return invalidf("name is %d characters long: keep it to 255", n)
	}
	return nil
}

func (u LabelUpdate) check() error {
	if u.Name.IsNull() {
		return invalid("name cannot be cleared: give a new name, or leave it out to keep the current one")
	}
	if name, ok := u.Name.Get(); ok {
		return checkLabelName(name)
	}
	return nil
}

// Tags lists the team's tags (tags.list).
func (c *Client) Tags(ctx context.Context) ([]Tag, error) { return list[Tag](ctx, c, "/tags") }

// Tag returns one tag (tags.get).
func (c *Client) Tag(ctx context.Context, tagID string) (*Tag, error) {
	if err := checkID("tagId", tagID); err != nil {
		return nil, err
	}
	return get[Tag](ctx, c, path("tags", tagID), nil)
}

// CreateTag creates a tag (tags.create). Names are unique per team: a duplicate gives an
// error of kind inbox.ErrConflict. The request is not repeated after an
// ambiguous failure (it would create a duplicate or draw a conflict); list the tags to see
// whether it exists.
func (c *Client) CreateTag(ctx context.Context, p LabelCreate) (*Tag, error) {
	if err := checkLabelName(p.Name); err != nil {
		return nil, err
	}
	return call[Tag](ctx, c, "POST", "/tags", p)
}

// UpdateTag renames or recolors a tag (tags.update).
func (c *Client) UpdateTag(ctx context.Context, tagID string, u LabelUpdate) (*Tag, error) {
	if err := checkID("tagId", tagID); err != nil {
		return nil, err
	}
	if err := u.check(); err != nil {
		return nil, err
	}
	return call[Tag](ctx, c, "PATCH", path("tags", tagID), u)
}

// DeleteTag deletes a tag and removes it from every prospect; irreversible (tags.delete).
func (c *Client) DeleteTag(ctx context.Context, tagID string) error {
	if err := checkID("tagId", tagID); err != nil {
		return err
	}
	return c.do(ctx, apiclient.Request{Method: "DELETE", Path: path("tags", tagID)}, nil)
}

// TagColors lists the predefined tag colors (tags.colors).
func (c *Client) TagColors(ctx context.Context) ([]Color, error) {
	return list[Color](ctx, c, "/tags/colors")
}

// Statuses lists the team's statuses (statuses.list).
func (c *Client) Statuses(ctx context.Context) ([]Status, error) {
	return list[Status](ctx, c, "/statuses")
}

// Status returns one status (statuses.get).
func (c *Client) Status(ctx context.Context, statusID string) (*Status, error) {
	if err := checkID("statusId", statusID); err != nil {
		return nil, err
	}
	return get[Status](ctx, c, path("statuses", statusID), nil)
}

// CreateStatus creates a status (statuses.create); see CreateTag for duplicates and retries.
func (c *Client) CreateStatus(ctx context.Context, p LabelCreate) (*Status, error) {
	if err := checkLabelName(p.Name); err != nil {
		return nil, err
	}
	return call[Status](ctx, c, "POST", "/statuses", p)
}

// UpdateStatus renames or recolors a status (statuses.update).
func (c *Client) UpdateStatus(ctx context.Context, statusID string, u LabelUpdate) (*Status, error) {
	if err := checkID("statusId", statusID); err != nil {
		return nil, err
	}
	if err := u.check(); err != nil {
		return nil, err
	}
	return call[Status](ctx, c, "PATCH", path("statuses", statusID), u)
}

// DeleteStatus deletes a status and clears it wherever used (statuses.delete).
func (c *Client) DeleteStatus(ctx context.Context, statusID string) error {
	if err := checkID("statusId", statusID); err != nil {
		return err
	}
	return c.do(ctx, apiclient.Request{Method: "DELETE", Path: path("statuses", statusID)}, nil)
}

// StatusColors lists the predefined status colors (statuses.colors).
func (c *Client) StatusColors(ctx context.Context) ([]Color, error) {
	return list[Color](ctx, c, "/statuses/colors")
}

// Colors lists the predefined colors for tags and statuses (colors.list).
func (c *Client) Colors(ctx context.Context) ([]Color, error) {
	return list[Color](ctx, c, "/colors")
}
