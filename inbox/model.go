// Package inbox is the version-neutral model of a team's Inbox and the Backend interface that
// the MCP layer (tools, resources, prompts, views, directory) works through. Each Inbox API
// version (apiclient/v1, apiclient/v2) provides a Backend; nothing above this package imports a
// version, so the tools keep their names and meaning whichever API answers.
package inbox

import "time"

// Direction says who wrote a message.
type Direction string

// The two sides of a conversation.
const (
	// Inbound messages were written by the prospect.
	Inbound Direction = "inbound"
	// Outbound messages were sent by the team (a teammate, the API or a campaign).
	Outbound Direction = "outbound"
)

// View is one of the inbox views a thread listing can ask for.
type View string

// The four inbox views of the Inbox, and all of them at once.
const (
	ViewDefault  View = "default"  // active threads that are not done
	ViewNoReply  View = "no-reply" // the prospect wrote last and awaits our reply
	ViewRequests View = "requests" // message requests
	ViewArchived View = "archived" // done threads
	// ViewAll is every thread of the team in any view (default, requests and archived, which
	// partition them), each once: one walk instead of one per view.
	ViewAll View = "all"
)

// Team is the team the API token belongs to.
type Team struct {
	ID       string
	Name     string
	Slug     string
	Currency string // ISO 4217 code used for valuations
}

// Account is one of the team's connected accounts (an account link) that threads belong to.
type Account struct {
	ID         string
	Platform   string // "twitter", later others; an open set
	PlatformID string
	Username   string
	Name       string
	Status     string // active | offline | paused (open set)
	// Capabilities lists what this account can do (e.g. "message:edit"); nil when the API
	// version does not say (v1), in which case callers fall back to per-thread rules.
	Capabilities []string
}

// Member is a person on the team who can be assigned threads and prospects.
type Member struct {
	ID     string // member ID: what assignee fields hold
	UserID string // user ID: what a message's UserID holds
	Name   string
	Email  string
	Role   string
}

// Label is a tag or a status: both are named, colored and unique by name within a team.
type Label struct {
	ID    string
	Name  string
	Color string // hex such as #3b82f6, or "" when none
}

// Prospect is the person on the other side of a thread: their profile on a platform plus the
// team's record of them (Context).
type Prospect struct {
	// ID addresses the team's record of this person (v1: the prospect's Inbox ID; v2: the
	// contact ID). Empty when the API has no record yet.
	ID string
	// ProfileID is the platform profile's Inbox ID where the API has one (v2); v1 leaves it
	// equal to ID.
	ProfileID   string
	Platform    string
	PlatformID  string // the person's user ID on the platform
	Username    string // without @
	DisplayName string
	Bio         string
	Location    string
	WebsiteURL  string
	Followers   int64
	Following   int64
	Verified    string // none | verified | business | government (open set)
	ProfileType string // personal | business | government (open set)
	Protected   bool
	Context     Context
	// Threads lists the person's threads across accounts, when the API returned them.
	Threads []ThreadRef
	// Profiles lists every platform profile the team's record groups, this one included,
	// when the API groups them (a v2 contact, whose profiles may be on several platforms);
	// nil when it does not say (v1: one profile per record).
	Profiles []ProfileRef
}

// ProfileRef is one platform profile of a person.
type ProfileRef struct {
	ID          string // the profile's Inbox ID
	Platform    string
	PlatformID  string
	Username    string // without @
	DisplayName string
}

// Context is the team's CRM state for a prospect.
type Context struct {
	TagIDs     []string
	StatusID   string // "" when none
	Notes      string // "" when none
	Valuation  *float64
	AssigneeID string // member ID, "" when unassigned
}

// ThreadRef points at one of a prospect's threads.
type ThreadRef struct {
	ID            string
	AccountID     string
	LastMessageAt time.Time // zero when unknown
}

// Thread is one conversation between one of the team's accounts and one prospect.
type Thread struct {
	ID            string
	Platform      string
	PlatformID    string
	AccountID     string
	Done          bool
	AssigneeID    string // "" when unassigned
	Idle          bool   // hidden from the inbox views
	Variant       string // v1: unencrypted | xChat
	IsRequest     bool
	CreatedAt     time.Time
	LastMessageAt time.Time // zero when the thread has no message
	SortAt        time.Time // last message time, else creation time
	LastMessage   *MessageSummary
	Prospect      Prospect
	// Unread is nil when the API version does not track read state (v1).
	Unread *bool
	// Restrictions lists capabilities disabled in this conversation (e.g. "message:edit").
	Restrictions []string
}

// MessageSummary is the short form of a thread's last message.
type MessageSummary struct {
	ID         string
	Content    string
	Direction  Direction
	CreatedAt  time.Time
	UserID     string // teammate's user ID, "" when none
	CampaignID string // "" when not sent by a campaign
}

// Message is one message in a thread.
type Message struct {
	ID         string
	ThreadID   string
	CreatedAt  time.Time
	Content    string
	Direction  Direction
	AccountID  string // the team's account in the thread
	UserID     string // teammate's user ID when a person sent it
	CampaignID string
	Origin     string // internal | external | api (open set), "" when unknown
	ReplyToID  string
	Edited     bool
	DeletedAt  *time.Time
	Reactions  []Reaction
}

// Reaction is an emoji reaction on a message.
type Reaction struct {
	Emoji string
	By    string // platform user ID of who reacted, when known
}
