package store

import "time"

// The types in this file are the simulator's domain model. They are independent of any API
// version: the v1 handlers map them to the v1 wire shapes, and a later API version can map the
// same values to its own shapes. Optional values are pointers; times are UTC with millisecond
// precision, which is the precision of every timestamp the API exposes.

// Thread views of GET /threads (the "inbox" parameter).
const (
	ViewDefault  = "default"
	ViewNoReply  = "no-reply"
	ViewRequests = "requests"
	ViewArchived = "archived"
)

// Thread status and variant values.
const (
	ThreadActive      = "active"
	ThreadIdle        = "idle"
	VariantPlain      = "unencrypted"
	VariantXChat      = "xChat"
	OriginInternal    = "internal"
	OriginExternal    = "external"
	OriginAPI         = "api"
	DeletionForSelf   = "self"
	DeletionForAll    = "all"
	PlatformTwitter   = "twitter"
	SortDesc          = "desc"
	SortAsc           = "asc"
	TypingSent        = "sent"
	TypingSkipped     = "skipped"
	SkipRateLimited   = "rateLimited"
	SkipDisabled      = "typingDisabled"
	SkipUnsupported   = "unsupported"
	SkipOutboundOff   = "outboundDisabled"
	LinkStatusActive  = "active"
	LinkStatusOffline = "offline"
)

// Team is the workspace a token belongs to.
type Team struct {
	ID                 string
	Name               string
	Slug               string
	Image              *string
	CreatedAt          time.Time
	UpdatedAt          *time.Time
	Currency           string
	AllowSupportAccess bool
}

// Member is a user of a team.
type Member struct {
	ID        string
	UserID    string
	Name      *string
	Email     string
	Image     *string
	Role      string
	CreatedAt time.Time
	UpdatedAt *time.Time
}

// AccountLink is an X account connected to a team.
type AccountLink struct {
	ID         string
	PlatformID string
	Name       string
	Username   string
	Image      string
	CreatedAt  time.Time
	Status     string
	SyncedAt   *time.Time
}

// URLEntity is a link parsed from a profile bio.
type URLEntity struct {
	URL         string
	ExpandedURL string
	DisplayURL  string
	Start, End  int
}

// Prospect is an external X user known to the team, with the team's CRM context.
type Prospect struct {
	ExternalID           string
	PlatformID           string
	DocumentID           *int64
	DisplayName          string
	Username             string
	Image                *string
	ImageNormalized      *string
	Bio                  *string
	Location             *string
	WebsiteURL           *string
	WebsiteDomain        *string
	Verified             string
	ProfileType          string
	IsProtected          bool
	FollowerCount        int64
	FollowingCount       int64
	PostCount            int64
	EngagementCount      *int64
	ListedCount          *int64
	PlatformCreatedAt    *time.Time
	FirstSeenAt          *time.Time
	LastUpdatedAt        time.Time
	LastEnrichedAt       *time.Time
	LastActiveAt         *time.Time
	Source               string
	Confidence           float64
	ProfessionalCategory *string
	BannerURL            *string
	URLEntities          []URLEntity
	Context              ProspectContext
}

// ProspectContext is the team's CRM state for a prospect.
type ProspectContext struct {
	Tags      []string
	StatusID  *string
	Valuation *float64
	Notes     *string
	// Threads is filled only where the API returns it (prospect endpoints), nil elsewhere.
	Threads []ProspectThread
}

// ProspectThread is the short form of a prospect's thread listed in its context.
type ProspectThread struct {
	ID            string
	AccountLinkID string
	LastMessageAt *time.Time
	CreatedAt     time.Time
}

// MessagePreview is the last message of a thread as embedded in the thread.
type MessagePreview struct {
	ID         string
	Content    string
	AuthorID   string
	CreatedAt  time.Time
	UserID     *string
	CampaignID *string
}

// Thread is a conversation between one account link and one prospect.
type Thread struct {
	ID            string
	PlatformID    string
	Done          bool
	AssigneeID    *string
	LastMessageAt *time.Time
	SortAt        time.Time
	CreatedAt     time.Time
	Status        string
	Variant       string
	AccountLinkID string
	IsSyncing     bool
	IsRequest     bool
	TypingEnabled *bool
	CampaignID    *string
	LastMessage   *MessagePreview
	Prospect      Prospect
}

// Reaction is an emoji reaction on a message.
type Reaction struct {
	Emoji            string
	SenderPlatformID string
	CreatedAt        time.Time
}

// ReplyRef describes the message a message replies to.
type ReplyRef struct {
	MessageID  string
	PlatformID *string
	Content    string
	AuthorID   string
}

// Message is one DM in a thread.
type Message struct {
	ID                string
	TeamID            string
	ThreadID          string
	UserID            *string
	CreatedAt         time.Time
	UpdatedAt         *time.Time
	PlatformID        *string
	Content           string
	CampaignID        *string
	AuthorID          string
	Origin            *string
	Reply             *ReplyRef
	Reactions         []Reaction
	IsEncrypted       *bool
	IsEdited          bool
	DeletedAt         *time.Time
	PlatformDeletedAt *time.Time
	// Inbound is true when the prospect wrote the message (AuthorID is the prospect's ID).
	Inbound bool
}

// MessageVersion is one version of a message in its edit history.
type MessageVersion struct {
	Content    string
	CreatedAt  time.Time
	EditOrigin *string
}

// MessageDeletion records how a message was deleted.
type MessageDeletion struct {
	DeletedAt        time.Time
	Type             string
	AuthorPlatformID *string
	Origin           *string
}

// MessageHistory is a message with every version of its content and its deletion, if any.
type MessageHistory struct {
	Message  Message
	Versions []MessageVersion
	Deletion *MessageDeletion
}

// Tag is a label for prospects.
type Tag struct {
	ID        string
	Name      string
	Color     string
	CreatedAt time.Time
}

// Status is a pipeline stage for prospects.
type Status struct {
	ID        string
	Name      string
	Color     *string
	CreatedAt time.Time
}

// Color is a predefined color name and its hex code.
type Color struct {
	Name string
	Hex  string
}

// Cursor is a keyset position: the sort timestamp and ID of the last item of a page.
type Cursor struct {
	At time.Time
	ID string
}

// Filter selects by a set of IDs and/or by the absence of a value. Both parts combine with OR:
// {IDs: [a], None: true} matches items with a, or with nothing.
type Filter struct {
	IDs  []string
	None bool
}

func (f *Filter) active() bool { return f != nil && (len(f.IDs) > 0 || f.None) }

// ThreadQuery is a GET /threads request in domain terms.
type ThreadQuery struct {
	View           string
	AccountLinkIDs []string
	Tags           *Filter
	Statuses       *Filter
	Assignees      *Filter
	Campaigns      *Filter
	Order          string
	Limit          int
	After          *Cursor
}

// ThreadPage is one page of threads; Next is nil on the last page.
type ThreadPage struct {
	Threads []Thread
	Next    *Cursor
}

// MessagePage is one page of messages (newest first); Next is nil on the last page.
type MessagePage struct {
	Thread   Thread
	Messages []Message
	Next     *Cursor
}

// ThreadUpdate is a PATCH of a thread; nil fields are left unchanged.
type ThreadUpdate struct {
	Done          *bool
	SetAssignee   bool
	AssigneeID    *string
	SetTyping     bool
	TypingEnabled *bool
}

// ContextUpdate is a PATCH of a prospect's context; nil / false fields are left unchanged.
type ContextUpdate struct {
	SetNotes     bool
	Notes        *string
	SetValuation bool
	Valuation    *float64
	SetStatus    bool
	StatusID     *string
	AddTags      []string
	RemoveTags   []string
	SetAssignee  bool
	AssigneeID   *string
	Done         *bool
}

// ProspectRef names a prospect by its Inbox ID or by its X user ID.
type ProspectRef struct {
	ExternalID string
	PlatformID string
}

// LabelInput creates or changes a tag or status; nil fields are left unchanged.
type LabelInput struct {
	Name     *string
	SetColor bool
	Color    *string
}

// TypingResult is the outcome of a typing indicator request.
type TypingResult struct {
	Status string
	Reason string
}

// Event is one entry of the team's event log.
type Event struct {
	ID        string
	Seq       int64
	TeamID    string
	Type      string
	Timestamp time.Time
	Data      EventData
}

// EventData is the payload of an event: snapshots taken when the event happened. Only the
// fields that concern the event's type are set.
type EventData struct {
	Thread    *Thread          `json:",omitempty"`
	Message   *Message         `json:",omitempty"`
	Prospect  *Prospect        `json:",omitempty"`
	Tag       *Tag             `json:",omitempty"`
	Status    *Status          `json:",omitempty"`
	ThreadID  string           `json:",omitempty"`
	MessageID string           `json:",omitempty"`
	Reaction  *Reaction        `json:",omitempty"`
	Deletion  *MessageDeletion `json:",omitempty"`
}

// EventPage is a page of the event log.
type EventPage struct {
	Events  []Event
	HasMore bool
}
