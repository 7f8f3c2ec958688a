package v1

import (
	"context"
	"encoding/json"
	"net/url"
	"time"

	"github.com/inbox-mcp/inbox-mcp/apiclient"
)

// Prospect is a person on X as Inbox knows them, with the team's CRM record (Context).
// Prospects have no id field: ExternalID is the Inbox ID used in /prospects/{id}.
type Prospect struct {
	Platform          Platform       `json:"platform"`
	PlatformID        string         `json:"platformId"` // X user ID
	ExternalID        *string        `json:"externalId"` // Inbox ID; null if not imported
	DocumentID        *float64       `json:"documentId"`
	DisplayName       string         `json:"displayName"`
	Username          string         `json:"username"` // without @
	Handle            string         `json:"handle"`   // with @
	Image             *string        `json:"image"`
	ImageNormalized   *string        `json:"imageNormalized"`
	Bio               *string        `json:"bio"`
	Location          *string        `json:"location"`
	ProfileURL        string         `json:"profileUrl"`
	WebsiteURL        *string        `json:"websiteUrl"`
	WebsiteDomain     *string        `json:"websiteDomain"`
	Verified          Verified       `json:"verified"`
	ProfileType       ProfileType    `json:"profileType"`
	IsProtected       bool           `json:"isProtected"`
	FollowerCount     Count          `json:"followerCount"`
	FollowingCount    Count          `json:"followingCount"`
	PostCount         Count          `json:"postCount"`
	EngagementCount   *Count         `json:"engagementCount"`
	ListedCount       *Count         `json:"listedCount"`
	PlatformCreatedAt *time.Time     `json:"platformCreatedAt"`
	FirstSeenAt       *time.Time     `json:"firstSeenAt"`
	LastUpdatedAt     time.Time      `json:"lastUpdatedAt"`
	LastEnrichedAt    *time.Time     `json:"lastEnrichedAt"`
	LastActiveAt      *time.Time     `json:"lastActiveAt"`
	Source            ProspectSource `json:"source"`
	IsFresh           bool           `json:"isFresh"`
	IsStale           bool           `json:"isStale"`
	Confidence        float64        `json:"confidence"` // 0–1
	PlatformData      PlatformData   `json:"platformData"`
	// AccountStatus appears only on some later endpoints (e.g. "active"); nil elsewhere.
	AccountStatus *string `json:"accountStatus,omitempty"`
	// Context is the team's record of the person.
	Context ProspectContext `json:"context"`
}

// PlatformData is the X-specific part of a prospect profile.
type PlatformData struct {
	IsVerifiedBlue       bool        `json:"isVerifiedBlue"`
	IsVerifiedGold       bool        `json:"isVerifiedGold"`
	IsVerifiedGray       bool        `json:"isVerifiedGray"`
	ProfessionalCategory *string     `json:"professionalCategory"`
	URLEntities          []URLEntity `json:"urlEntities"`
	BannerURL            *string     `json:"bannerUrl"`
	TweetsCount          Count       `json:"tweetsCount"`
	FavoritesCount       Count       `json:"favoritesCount"`
	// RawData is the raw X user object, when the API includes one.
	RawData json.RawMessage `json:"rawData"`
}

// URLEntity is a link in a profile, with its t.co form and position.
type URLEntity struct {
	URL         string    `json:"url"`
	ExpandedURL string    `json:"expandedUrl"`
	DisplayURL  string    `json:"displayUrl"`
	Indices     []float64 `json:"indices"`
}

// ProspectContext is the team's CRM record of a prospect.
type ProspectContext struct {
	Tags      []string `json:"tags"` // tag IDs
	StatusID  *string  `json:"statusId"`
	Valuation *float64 `json:"valuation"` // in the team's currency
	Notes     *string  `json:"notes"`
	// AssigneeID is the prospect-level assignee (member ID). Webhooks carry it; REST
	// answers may omit it, in which case it is nil.
	AssigneeID *string `json:"assigneeId,omitempty"`
	// Threads lists the prospect's threads across all account links. Only the prospect
	// endpoints fill it (not threads embedded in a Thread).
	Threads []ProspectThread `json:"threads,omitempty"`
}

// ProspectThread is a reference to one of a prospect's threads.
type ProspectThread struct {
	ID                   string     `json:"id"`
	AccountLinkID        string     `json:"accountLinkId"`
	LastMessageTimestamp *time.Time `json:"lastMessageTimestamp"`
	CreatedAt            time.Time  `json:"createdAt"`
}

// Prospect returns a prospect with context, by Inbox ID (Prospect.ExternalID) (prospects.get).
func (c *Client) Prospect(ctx context.Context, prospectID string) (*Prospect, error) {
	if err := checkID("prospectId", prospectID); err != nil {
		return nil, err
	}
	return get[Prospect](ctx, c, path("prospects", prospectID), nil)
}

// LookupProspect finds a prospect by X user ID (prospects.lookup). A miss is (nil, nil).
func (c *Client) LookupProspect(ctx context.Context, platformID string) (*Prospect, error) {
	if platformID == "" {
		return nil, invalid("platformId is empty: pass the prospect's X user ID (digits, e.g. 1876543210987654321)")
	}
	var out *Prospect
	err := c.do(ctx, apiclient.Request{Method: "GET", Path: "/prospects/lookup", Query: url.Values{"platformId": {platformID}}}, &out)
	return out, err
}

// ProspectContextUpdate changes a prospect's record; every field is optional. The three-state
// fields distinguish "leave alone" (zero value), "clear" (apiclient.Null) and a value.
type ProspectContextUpdate struct {
	Notes      apiclient.Nullable[string]  `json:"notes,omitzero"`
	Valuation  apiclient.Nullable[float64] `json:"valuation,omitzero"`
	StatusID   apiclient.Nullable[string]  `json:"statusId,omitzero"`
	AddTags    []string                    `json:"addTags,omitempty"`
	RemoveTags []string                    `json:"removeTags,omitempty"`
	AssigneeID apiclient.Nullable[string]  `json:"assigneeId,omitzero"`
	// Done marks the prospect's thread(s) done (true) or open (false); nil leaves them.
	Done *bool `json:"done,omitempty"`
}

func (u ProspectContextUpdate) check() error {
	if err := checkIDs("addTags entry", u.AddTags); err != nil {
		return err
	}
	if err := checkIDs("removeTags entry", u.RemoveTags); err != nil {
		return err
	}
	if id, ok := u.StatusID.Get(); ok {
		if err := checkID("statusId", id); err != nil {
			return err
		}
	}
	if id, ok := u.AssigneeID.Get(); ok {
		if err := checkID("assigneeId", id); err != nil {
			return err
		}
	}
	return nil
}

// UpdateProspectContext changes a prospect's tags, status, notes, valuation, assignee or done
// flag and returns the prospect as it now is (prospects.update). Tags are only added or
// removed; there is no replace-all.
func (c *Client) UpdateProspectContext(ctx context.Context, prospectID string, u ProspectContextUpdate) (*Prospect, error) {
	if err := checkID("prospectId", prospectID); err != nil {
		return nil, err
	}
	if err := u.check(); err != nil {
		return nil, err
	}
	return call[Prospect](ctx, c, "PATCH", path("prospects", prospectID, "context"), u)
}
