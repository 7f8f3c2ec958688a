package v1

import (
	"context"
	"time"
)

// Team is the team the token belongs to (GET /team).
type Team struct {
	ID                 string     `json:"id"`
	Name               string     `json:"name"`
	Slug               string     `json:"slug"`
	Image              *string    `json:"image"`
	CreatedAt          time.Time  `json:"createdAt"`
	UpdatedAt          *time.Time `json:"updatedAt"`
	Currency           string     `json:"currency"` // ISO 4217, the unit of valuations
	AllowSupportAccess bool       `json:"allowSupportAccess"`
}

// Team returns the token's team (team.get). It is also the cheapest connectivity check.
func (c *Client) Team(ctx context.Context) (*Team, error) {
	return get[Team](ctx, c, "/team", nil)
}

// AccountLink is a connected X account of the team.
type AccountLink struct {
	ID         string            `json:"id"`
	Platform   Platform          `json:"platform"`
	PlatformID string            `json:"platformId"` // X user ID
	Name       string            `json:"name"`
	Username   string            `json:"username"`
	Image      string            `json:"image"`
	CreatedAt  time.Time         `json:"createdAt"`
	Status     AccountLinkStatus `json:"status"`
	SyncedAt   *time.Time        `json:"syncedAt"`
}

// AccountLinks lists every connected account of the team (accountLinks.list).
func (c *Client) AccountLinks(ctx context.Context) ([]AccountLink, error) {
	return list[AccountLink](ctx, c, "/account-links")
}

// Member is a member of the team. ID is what assigneeId refers to; UserID is what a
// message's userId refers to.
type Member struct {
	ID        string     `json:"id"`
	UserID    string     `json:"userId"`
	Name      *string    `json:"name"`
	Email     string     `json:"email"`
	Image     *string    `json:"image"`
	Role      MemberRole `json:"role"`
	CreatedAt time.Time  `json:"createdAt"`
	UpdatedAt *time.Time `json:"updatedAt"`
}

// Members lists the team's members (members.list).
func (c *Client) Members(ctx context.Context) ([]Member, error) {
	return list[Member](ctx, c, "/members")
}

// Member returns one member by member ID (members.get).
func (c *Client) Member(ctx context.Context, memberID string) (*Member, error) {
	if err := checkID("memberId", memberID); err != nil {
		return nil, err
	}
	return get[Member](ctx, c, path("members", memberID), nil)
}
