package v1api

import (
	"time"

	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/httpx"
	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/store"
)

// v1 wire shapes. Every key the OpenAPI document lists is always present; optional values are
// pointers that encode as null. Timestamps are strings in the API's exact format.

// Team is the v1 JSON shape of a team.
type Team struct {
	ID                 string  `json:"id"`
	Name               string  `json:"name"`
	Slug               string  `json:"slug"`
	Image              *string `json:"image"`
	CreatedAt          string  `json:"createdAt"`
	UpdatedAt          *string `json:"updatedAt"`
	Currency           string  `json:"currency"`
	AllowSupportAccess bool    `json:"allowSupportAccess"`
}

// Member is the v1 JSON shape of a member.
type Member struct {
	ID        string  `json:"id"`
	UserID    string  `json:"userId"`
	Name      *string `json:"name"`
	Email     string  `json:"email"`
	Image     *string `json:"image"`
	Role      string  `json:"role"`
	CreatedAt string  `json:"createdAt"`
	UpdatedAt *string `json:"updatedAt"`
}

// AccountLink is the v1 JSON shape of a account link.
type AccountLink struct {
	ID         string  `json:"id"`
	Platform   string  `json:"platform"`
	PlatformID string  `json:"platformId"`
	Name       string  `json:"name"`
	Username   string  `json:"username"`
	Image      string  `json:"image"`
	CreatedAt  string  `json:"createdAt"`
	Status     string  `json:"status"`
	SyncedAt   *string `json:"syncedAt"`
}

type v1URLEntity struct {
	URL         string `json:"url"`
	ExpandedURL string `json:"expandedUrl"`
	DisplayURL  string `json:"displayUrl"`
	Indices     [2]int `json:"indices"`
}

type v1PlatformData struct {
	IsVerifiedBlue       bool          `json:"isVerifiedBlue"`
	IsVerifiedGold       bool          `json:"isVerifiedGold"`
	IsVerifiedGray       bool          `json:"isVerifiedGray"`
	ProfessionalCategory *string       `json:"professionalCategory"`
	URLEntities          []v1URLEntity `json:"urlEntities"`
	BannerURL            *string       `json:"bannerUrl"`
	TweetsCount          int64         `json:"tweetsCount"`
	FavoritesCount       int64         `json:"favoritesCount"`
	RawData              *struct{}     `json:"rawData"`
}

type v1Prospect struct {
	Platform          string         `json:"platform"`
	PlatformID        string         `json:"platformId"`
	ExternalID        *string        `json:"externalId"`
	DocumentID        *int64         `json:"documentId"`
	DisplayName       string         `json:"displayName"`
	Username          string         `json:"username"`
	Handle            string         `json:"handle"`
	Image             *string        `json:"image"`
	ImageNormalized   *string        `json:"imageNormalized"`
	Bio               *string        `json:"bio"`
	Location          *string        `json:"location"`
	ProfileURL        string         `json:"profileUrl"`
	WebsiteURL        *string        `json:"websiteUrl"`
	WebsiteDomain     *string        `json:"websiteDomain"`
	Verified          string         `json:"verified"`
	ProfileType       string         `json:"profileType"`
	IsProtected       bool           `json:"isProtected"`
	FollowerCount     int64          `json:"followerCount"`
	FollowingCount    int64          `json:"followingCount"`
	PostCount         int64          `json:"postCount"`
	EngagementCount   *int64         `json:"engagementCount"`
	ListedCount       *int64         `json:"listedCount"`
	PlatformCreatedAt *string        `json:"platformCreatedAt"`
	FirstSeenAt       *string        `json:"firstSeenAt"`
	LastUpdatedAt     string         `json:"lastUpdatedAt"`
	LastEnrichedAt    *string        `json:"lastEnrichedAt"`
	LastActiveAt      *string        `json:"lastActiveAt"`
	Source            string         `json:"source"`
	IsFresh           bool           `json:"isFresh"`
	IsStale           bool           `json:"isStale"`
	Confidence        float64        `json:"confidence"`
	PlatformData      v1PlatformData `json:"platformData"`
}

type v1ProspectThread struct {
	ID                   string  `json:"id"`
	AccountLinkID        string  `json:"accountLinkId"`
	LastMessageTimestamp *string `json:"lastMessageTimestamp"`
	CreatedAt            string  `json:"createdAt"`
}

type v1Context struct {
	Tags      []string            `json:"tags"`
	StatusID  *string             `json:"statusId"`
	Valuation *float64            `json:"valuation"`
	Notes     *string             `json:"notes"`
	Threads   *[]v1ProspectThread `json:"threads,omitempty"`
}

// ProspectWithContext is the v1 JSON shape of a prospect with its CRM context.
type ProspectWithContext struct {
	v1Prospect
	Context v1Context `json:"context"`
}

type v1LastMessage struct {
	ID         string  `json:"id"`
	Content    string  `json:"content"`
	AuthorID   string  `json:"authorId"`
	CreatedAt  string  `json:"createdAt"`
	UserID     *string `json:"userId"`
	CampaignID *string `json:"campaignId"`
}

// Thread is the v1 JSON shape of a thread.
type Thread struct {
	ID                      string              `json:"id"`
	Platform                string              `json:"platform"`
	PlatformID              string              `json:"platformId"`
	Done                    bool                `json:"done"`
	AssigneeID              *string             `json:"assigneeId"`
	LastMessageTimestamp    *string             `json:"lastMessageTimestamp"`
	ComputedSortTimestamp   *string             `json:"computedSortTimestamp"`
	CreatedAt               string              `json:"createdAt"`
	Status                  string              `json:"status"`
	Variant                 string              `json:"variant"`
	AccountLinkID           string              `json:"accountLinkId"`
	IsSyncing               bool                `json:"isSyncing"`
	IsRequest               bool                `json:"isRequest"`
	TypingIndicatorsEnabled *bool               `json:"typingIndicatorsEnabled"`
	LastMessage             *v1LastMessage      `json:"lastMessage"`
	Prospect                ProspectWithContext `json:"prospect"`
}

type v1Reaction struct {
	Emoji            string `json:"emoji"`
	SenderPlatformID string `json:"senderPlatformId"`
	CreatedAt        string `json:"createdAt"`
}

type v1ReplyData struct {
	MessageID  string  `json:"messageId"`
	PlatformID *string `json:"platformId"`
	Content    string  `json:"content"`
	AuthorID   string  `json:"authorId"`
}

// Message is the v1 JSON shape of a message.
type Message struct {
	Platform          string       `json:"platform"`
	TeamID            string       `json:"teamId"`
	ThreadID          string       `json:"threadId"`
	ID                string       `json:"id"`
	UserID            *string      `json:"userId"`
	CreatedAt         string       `json:"createdAt"`
	UpdatedAt         *string      `json:"updatedAt"`
	PlatformID        *string      `json:"platformId"`
	Content           string       `json:"content"`
	CampaignID        *string      `json:"campaignId"`
	AuthorID          string       `json:"authorId"`
	Origin            *string      `json:"origin"`
	ReplyData         *v1ReplyData `json:"replyData"`
	ForwardData       *struct{}    `json:"forwardData"`
	Entities          *struct{}    `json:"entities"`
	Attachment        *struct{}    `json:"attachment"`
	Reactions         []v1Reaction `json:"reactions"`
	IsEncrypted       *bool        `json:"isEncrypted"`
	IsEdited          bool         `json:"isEdited"`
	DeletedAt         *string      `json:"deletedAt"`
	PlatformDeletedAt *string      `json:"platformDeletedAt"`
}

// Tag is the v1 JSON shape of a tag.
type Tag struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Color string `json:"color"`
}

// Status is the v1 JSON shape of a status.
type Status struct {
	ID        string  `json:"id"`
	Name      string  `json:"name"`
	Color     *string `json:"color"`
	CreatedAt string  `json:"createdAt"`
}

type v1Color struct {
	Name string `json:"name"`
	Hex  string `json:"hex"`
}

// Cursor is the v1 JSON shape of a list cursor.
type Cursor struct {
	Timestamp string `json:"timestamp"`
	ID        string `json:"id"`
}

// Mapping from the domain model.

func toV1Team(t store.Team) Team {
	return Team{ID: t.ID, Name: t.Name, Slug: t.Slug, Image: t.Image, CreatedAt: httpx.FormatTime(t.CreatedAt),
		UpdatedAt: httpx.FormatTimePtr(t.UpdatedAt), Currency: t.Currency, AllowSupportAccess: t.AllowSupportAccess}
}

func toV1Member(m store.Member) Member {
	return Member{ID: m.ID, UserID: m.UserID, Name: m.Name, Email: m.Email, Image: m.Image,
		Role: m.Role, CreatedAt: httpx.FormatTime(m.CreatedAt), UpdatedAt: httpx.FormatTimePtr(m.UpdatedAt)}
}

func toV1Link(l store.AccountLink) AccountLink {
	return AccountLink{ID: l.ID, Platform: store.PlatformTwitter, PlatformID: l.PlatformID, Name: l.Name,
		Username: l.Username, Image: l.Image, CreatedAt: httpx.FormatTime(l.CreatedAt), Status: l.Status, SyncedAt: httpx.FormatTimePtr(l.SyncedAt)}
}

// toV1Prospect maps a prospect; isFresh / isStale are derived from lastUpdatedAt as
// documented (updated within 7 days / not for 30 days or more).
func toV1Prospect(p store.Prospect, now time.Time) v1Prospect {
	ents := make([]v1URLEntity, len(p.URLEntities))
	for i, e := range p.URLEntities {
		ents[i] = v1URLEntity{URL: e.URL, ExpandedURL: e.ExpandedURL, DisplayURL: e.DisplayURL, Indices: [2]int{e.Start, e.End}}
	}
	var engagement int64
	if p.EngagementCount != nil {
		engagement = *p.EngagementCount
	}
	externalID := p.ExternalID
	age := now.Sub(p.LastUpdatedAt)
	return v1Prospect{
		Platform: store.PlatformTwitter, PlatformID: p.PlatformID, ExternalID: &externalID,
		DocumentID: p.DocumentID, DisplayName: p.DisplayName, Username: p.Username,
		Handle: "@" + p.Username, Image: p.Image, ImageNormalized: p.ImageNormalized, Bio: p.Bio,
		Location: p.Location, ProfileURL: "https://x.com/" + p.Username, WebsiteURL: p.WebsiteURL,
		WebsiteDomain: p.WebsiteDomain, Verified: p.Verified, ProfileType: p.ProfileType,
		IsProtected: p.IsProtected, FollowerCount: p.FollowerCount, FollowingCount: p.FollowingCount,
		PostCount: p.PostCount, EngagementCount: p.EngagementCount, ListedCount: p.ListedCount,
		PlatformCreatedAt: httpx.FormatTimePtr(p.PlatformCreatedAt), FirstSeenAt: httpx.FormatTimePtr(p.FirstSeenAt),
		LastUpdatedAt: httpx.FormatTime(p.LastUpdatedAt), LastEnrichedAt: httpx.FormatTimePtr(p.LastEnrichedAt),
		LastActiveAt: httpx.FormatTimePtr(p.LastActiveAt), Source: p.Source,
		IsFresh: age < 7*24*time.Hour, IsStale: age >= 30*24*time.Hour, Confidence: p.Confidence,
		PlatformData: v1PlatformData{
			IsVerifiedBlue: p.Verified == "verified", IsVerifiedGold: p.Verified == "business",
			IsVerifiedGray: p.Verified == "government", ProfessionalCategory: p.ProfessionalCategory,
			URLEntities: ents, BannerURL: p.BannerURL, TweetsCount: p.PostCount, FavoritesCount: engagement,
		},
	}
}

// ToProspectWithContext maps a prospect with its context; withThreads adds context.threads
// (the prospect endpoints have it, the prospect embedded in a thread does not).
func ToProspectWithContext(p store.Prospect, now time.Time, withThreads bool) ProspectWithContext {
	c := v1Context{Tags: p.Context.Tags, StatusID: p.Context.StatusID, Valuation: p.Context.Valuation, Notes: p.Context.Notes}
	if c.Tags == nil {
		c.Tags = []string{}
	}
	if withThreads {
		threads := make([]v1ProspectThread, len(p.Context.Threads))
		for i, t := range p.Context.Threads {
			threads[i] = v1ProspectThread{ID: t.ID, AccountLinkID: t.AccountLinkID, LastMessageTimestamp: httpx.FormatTimePtr(t.LastMessageAt), CreatedAt: httpx.FormatTime(t.CreatedAt)}
		}
		c.Threads = &threads
	}
	return ProspectWithContext{v1Prospect: toV1Prospect(p, now), Context: c}
}

// ToThread is the v1 JSON shape of a store thread; now decides isFresh and isStale.
func ToThread(t store.Thread, now time.Time) Thread {
	sortAt := httpx.FormatTime(t.SortAt)
	out := Thread{
		ID: t.ID, Platform: store.PlatformTwitter, PlatformID: t.PlatformID, Done: t.Done,
		AssigneeID: t.AssigneeID, LastMessageTimestamp: httpx.FormatTimePtr(t.LastMessageAt),
		ComputedSortTimestamp: &sortAt, CreatedAt: httpx.FormatTime(t.CreatedAt), Status: t.Status,
		Variant: t.Variant, AccountLinkID: t.AccountLinkID, IsSyncing: t.IsSyncing,
		IsRequest: t.IsRequest, TypingIndicatorsEnabled: t.TypingEnabled,
		Prospect: ToProspectWithContext(t.Prospect, now, false),
	}
	if m := t.LastMessage; m != nil {
		out.LastMessage = &v1LastMessage{ID: m.ID, Content: m.Content, AuthorID: m.AuthorID,
			CreatedAt: httpx.FormatTime(m.CreatedAt), UserID: m.UserID, CampaignID: m.CampaignID}
	}
	return out
}

func toV1Reactions(rs []store.Reaction) []v1Reaction {
	out := make([]v1Reaction, len(rs))
	for i, r := range rs {
		out[i] = v1Reaction{Emoji: r.Emoji, SenderPlatformID: r.SenderPlatformID, CreatedAt: httpx.FormatTime(r.CreatedAt)}
	}
	return out
}

// ToMessage is the v1 JSON shape of a store message.
func ToMessage(m store.Message) Message {
	out := Message{
		Platform: store.PlatformTwitter, TeamID: m.TeamID, ThreadID: m.ThreadID, ID: m.ID, UserID: m.UserID,
		CreatedAt: httpx.FormatTime(m.CreatedAt), UpdatedAt: httpx.FormatTimePtr(m.UpdatedAt), PlatformID: m.PlatformID,
		Content: m.Content, CampaignID: m.CampaignID, AuthorID: m.AuthorID, Origin: m.Origin,
		Reactions: toV1Reactions(m.Reactions), IsEncrypted: m.IsEncrypted, IsEdited: m.IsEdited,
		DeletedAt: httpx.FormatTimePtr(m.DeletedAt), PlatformDeletedAt: httpx.FormatTimePtr(m.PlatformDeletedAt),
	}
	if r := m.Reply; r != nil {
		out.ReplyData = &v1ReplyData{MessageID: r.MessageID, PlatformID: r.PlatformID, Content: r.Content, AuthorID: r.AuthorID}
	}
	return out
}

func toV1Tag(t store.Tag) Tag { return Tag{ID: t.ID, Name: t.Name, Color: t.Color} }

func toV1Status(s store.Status) Status {
	return Status{ID: s.ID, Name: s.Name, Color: s.Color, CreatedAt: httpx.FormatTime(s.CreatedAt)}
}

func toV1Colors(cs []store.Color) []v1Color {
	out := make([]v1Color, len(cs))
	for i, c := range cs {
		out[i] = v1Color(c)
	}
	return out
}
