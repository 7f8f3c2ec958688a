package v2api

import "github.com/inbox-mcp/inbox-mcp/inboxsim/internal/store"

// v2 wire shapes. Every field the document lists is present (null where it does not apply);
// expansions are omitted unless requested, and an expansion of a null reference (a contact's
// status when it has none) is omitted too, since the document gives it no null.

type v2Page struct {
	Data       any     `json:"data"`
	NextCursor *string `json:"nextCursor"`
}

type v2TeamJSON struct {
	ID                 string  `json:"id"`
	Name               string  `json:"name"`
	Slug               string  `json:"slug"`
	ImageURL           *string `json:"imageUrl"`
	Currency           string  `json:"currency"`
	AllowSupportAccess bool    `json:"allowSupportAccess"`
	CreatedAt          string  `json:"createdAt"`
}

// MemberJSON is the v2 JSON shape of a member.
type MemberJSON struct {
	ID        string  `json:"id"`
	Name      *string `json:"name"`
	Email     string  `json:"email"`
	ImageURL  *string `json:"imageUrl"`
	Role      string  `json:"role"`
	CreatedAt string  `json:"createdAt"`
}

type v2LimitsJSON struct {
	Characters *int                `json:"characters"`
	MediaCount *int                `json:"mediaCount"`
	MediaBytes *int                `json:"mediaBytes"`
	MediaTypes map[string][]string `json:"mediaTypes"`
}

type v2ThreadStateJSON struct {
	Archive *store.StateFlags `json:"archive"`
	Read    *store.StateFlags `json:"read"`
}

// PlatformJSON is the v2 JSON shape of a platform.
type PlatformJSON struct {
	Platform        string            `json:"platform"`
	Name            string            `json:"name"`
	UsernamePrefix  string            `json:"usernamePrefix"`
	Capabilities    []string          `json:"capabilities"`
	Limits          v2LimitsJSON      `json:"limits"`
	MutationWindows map[string]int    `json:"mutationWindows"`
	ThreadState     v2ThreadStateJSON `json:"threadState"`
}

// LinkJSON is the v2 JSON shape of an account link.
type LinkJSON struct {
	ID           string   `json:"id"`
	Platform     string   `json:"platform"`
	PlatformID   string   `json:"platformId"`
	Username     *string  `json:"username"`
	DisplayName  *string  `json:"displayName"`
	AvatarURL    *string  `json:"avatarUrl"`
	Status       string   `json:"status"`
	PauseReasons []string `json:"pauseReasons"`
	Capabilities []string `json:"capabilities"`
	SyncedAt     *string  `json:"syncedAt"`
	CreatedAt    string   `json:"createdAt"`
}

type v2ProfileJSON struct {
	ID                string  `json:"id"`
	Platform          string  `json:"platform"`
	PlatformID        string  `json:"platformId"`
	Username          string  `json:"username"`
	Handle            string  `json:"handle"`
	DisplayName       string  `json:"displayName"`
	AvatarURL         *string `json:"avatarUrl"`
	Bio               *string `json:"bio"`
	Location          *string `json:"location"`
	WebsiteURL        *string `json:"websiteUrl"`
	WebsiteDomain     *string `json:"websiteDomain"`
	Verified          bool    `json:"verified"`
	IsOrganization    bool    `json:"isOrganization"`
	IsProtected       bool    `json:"isProtected"`
	FollowerCount     *int64  `json:"followerCount"`
	FollowingCount    *int64  `json:"followingCount"`
	PostCount         *int64  `json:"postCount"`
	EngagementCount   *int64  `json:"engagementCount"`
	ListedCount       *int64  `json:"listedCount"`
	AccountStatus     string  `json:"accountStatus"`
	PlatformCreatedAt *string `json:"platformCreatedAt"`
	ProfileURL        *string `json:"profileUrl"`
	UpdatedAt         string  `json:"updatedAt"`
	PlatformData      any     `json:"platformData"`
}

type v2XURLEntity struct {
	URL         string `json:"url"`
	ExpandedURL string `json:"expandedUrl"`
	DisplayURL  string `json:"displayUrl"`
	Indices     [2]int `json:"indices"`
}

type v2XProfileData struct {
	Tag                  string         `json:"_tag"`
	Badge                *string        `json:"badge"`
	ProfileType          string         `json:"profileType"`
	ProfessionalCategory *string        `json:"professionalCategory"`
	URLEntities          []v2XURLEntity `json:"urlEntities"`
	BannerURL            *string        `json:"bannerUrl"`
	RawData              *struct{}      `json:"rawData"`
}

// TagJSON is the v2 JSON shape of a tag.
type TagJSON struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Color string `json:"color"`
}

// StatusJSON is the v2 JSON shape of a status.
type StatusJSON struct {
	ID        string  `json:"id"`
	Name      string  `json:"name"`
	Color     *string `json:"color"`
	CreatedAt string  `json:"createdAt"`
}

// ContactJSON is the v2 JSON shape of a contact.
type ContactJSON struct {
	ID         string          `json:"id"`
	Profiles   []v2ProfileJSON `json:"profiles"`
	StatusID   *string         `json:"statusId"`
	TagIDs     []string        `json:"tagIds"`
	Notes      *string         `json:"notes"`
	Valuation  *float64        `json:"valuation"`
	AssigneeID *string         `json:"assigneeId"`
	CreatedAt  string          `json:"createdAt"`
	UpdatedAt  string          `json:"updatedAt"`
	Status     *StatusJSON     `json:"status,omitempty"`
	Tags       *[]TagJSON      `json:"tags,omitempty"`
	Assignee   *MemberJSON     `json:"assignee,omitempty"`
}

type v2LastMessageJSON struct {
	ID        string `json:"id"`
	Direction string `json:"direction"`
	CreatedAt string `json:"createdAt"`
}

type v2ActivityJSON struct {
	Preview   *string `json:"preview"`
	Direction string  `json:"direction"`
	At        string  `json:"at"`
}

// ThreadJSON is the v2 JSON shape of a thread.
type ThreadJSON struct {
	ID               string             `json:"id"`
	Platform         string             `json:"platform"`
	PlatformID       *string            `json:"platformId"`
	AccountLinkID    string             `json:"accountLinkId"`
	ProfileID        string             `json:"profileId"`
	ContactID        string             `json:"contactId"`
	AssigneeID       *string            `json:"assigneeId"`
	IsRequest        bool               `json:"isRequest"`
	AcceptanceState  string             `json:"acceptanceState"`
	Archived         bool               `json:"archived"`
	Unread           bool               `json:"unread"`
	Restrictions     []string           `json:"restrictions"`
	Syncing          bool               `json:"syncing"`
	TypingIndicators string             `json:"typingIndicators"`
	LastMessage      *v2LastMessageJSON `json:"lastMessage"`
	Activity         *v2ActivityJSON    `json:"activity"`
	CreatedAt        string             `json:"createdAt"`
	AccountLink      *LinkJSON          `json:"accountLink,omitempty"`
	Profile          *v2ProfileJSON     `json:"profile,omitempty"`
	Contact          *ContactJSON       `json:"contact,omitempty"`
	Assignee         *MemberJSON        `json:"assignee,omitempty"`
}

// Indices is the v2 JSON shape of an entity's place in a text, in code points.
type Indices struct {
	Start int `json:"start"`
	End   int `json:"end"`
}

// URLJSON is the v2 JSON shape of a link in a message.
type URLJSON struct {
	URL        string   `json:"url"`
	DisplayURL string   `json:"displayUrl"`
	Indices    *Indices `json:"indices"`
}

// MentionJSON is the v2 JSON shape of a mention in a message.
type MentionJSON struct {
	Username    string   `json:"username"`
	DisplayName *string  `json:"displayName"`
	PlatformID  *string  `json:"platformId"`
	Indices     *Indices `json:"indices"`
}

// HashtagJSON is the v2 JSON shape of a hashtag in a message.
type HashtagJSON struct {
	Tag     string   `json:"tag"`
	Indices *Indices `json:"indices"`
}

// CashtagJSON is the v2 JSON shape of a cashtag in a message.
type CashtagJSON struct {
	Symbol  string   `json:"symbol"`
	Indices *Indices `json:"indices"`
}

// EntitiesJSON is the v2 JSON shape of the marked-up parts of a message.
type EntitiesJSON struct {
	URLs       []URLJSON     `json:"urls"`
	PostShares []struct{}    `json:"postShares"`
	Mentions   []MentionJSON `json:"mentions"`
	Hashtags   []HashtagJSON `json:"hashtags"`
	Cashtags   []CashtagJSON `json:"cashtags"`
	Format     []struct{}    `json:"format"`
}

type v2PosterJSON struct {
	URL       string  `json:"url"`
	ExpiresAt *string `json:"expiresAt"`
	Width     *int64  `json:"width"`
	Height    *int64  `json:"height"`
}

type v2MediaJSON struct {
	Index           int           `json:"index"`
	Kind            string        `json:"kind"`
	Filename        *string       `json:"filename"`
	ContentType     *string       `json:"contentType"`
	SizeBytes       *int64        `json:"sizeBytes"`
	Width           *int64        `json:"width"`
	Height          *int64        `json:"height"`
	AspectRatio     *float64      `json:"aspectRatio"`
	DurationSeconds *float64      `json:"durationSeconds"`
	Status          string        `json:"status"`
	URL             *string       `json:"url"`
	ExpiresAt       *string       `json:"expiresAt"`
	Poster          *v2PosterJSON `json:"poster"`
}

type v2CardJSON struct {
	Index       int       `json:"index"`
	Kind        string    `json:"kind"`
	URL         string    `json:"url"`
	Title       *string   `json:"title"`
	Description *string   `json:"description"`
	Domain      *string   `json:"domain"`
	Thumbnail   *struct{} `json:"thumbnail"`
}

type v2SentByMember struct {
	Type     string      `json:"type"`
	MemberID string      `json:"memberId"`
	Member   *MemberJSON `json:"member,omitempty"`
}

type v2SentByCampaign struct {
	Type       string  `json:"type"`
	CampaignID string  `json:"campaignId"`
	StepID     *string `json:"stepId"`
}

type v2TokenRef struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

type v2SentByAPI struct {
	Type    string      `json:"type"`
	TokenID *string     `json:"tokenId"`
	Token   *v2TokenRef `json:"token,omitempty"`
}

type v2AuthorLink struct {
	Type          string    `json:"type"`
	AccountLinkID string    `json:"accountLinkId"`
	AccountLink   *LinkJSON `json:"accountLink,omitempty"`
}

type v2AuthorProfile struct {
	Type      string         `json:"type"`
	ProfileID string         `json:"profileId"`
	ContactID *string        `json:"contactId"`
	Profile   *v2ProfileJSON `json:"profile,omitempty"`
	Contact   *ContactJSON   `json:"contact,omitempty"`
}

type v2AuthorUnknown struct {
	Type       string `json:"type"`
	PlatformID string `json:"platformId"`
}

type v2ReactionJSON struct {
	Emoji     string  `json:"emoji"`
	Author    any     `json:"author"`
	CreatedAt *string `json:"createdAt"`
}

type v2ReplyToJSON struct {
	MessageID  *string      `json:"messageId"`
	PlatformID *string      `json:"platformId"`
	Content    string       `json:"content"`
	AuthorName *string      `json:"authorName"`
	Message    *MessageJSON `json:"message,omitempty"`
}

type v2ForwardedJSON struct {
	Content *string `json:"content"`
}

// MessageJSON is the v2 JSON shape of a message.
type MessageJSON struct {
	ID            string           `json:"id"`
	ThreadID      string           `json:"threadId"`
	AccountLinkID string           `json:"accountLinkId"`
	Platform      string           `json:"platform"`
	PlatformID    *string          `json:"platformId"`
	Direction     string           `json:"direction"`
	SentBy        any              `json:"sentBy"`
	Content       string           `json:"content"`
	Entities      EntitiesJSON     `json:"entities"`
	Attachments   []any            `json:"attachments"`
	Forwarded     *v2ForwardedJSON `json:"forwarded"`
	Reactions     []v2ReactionJSON `json:"reactions"`
	EditedAt      *string          `json:"editedAt"`
	DeletedAt     *string          `json:"deletedAt"`
	CreatedAt     string           `json:"createdAt"`
	PlatformData  any              `json:"platformData"`
	ReplyTo       *v2ReplyToJSON   `json:"replyTo"`
	Thread        *ThreadJSON      `json:"thread,omitempty"`
	AccountLink   *LinkJSON        `json:"accountLink,omitempty"`
}

// SendResultJSON is the v2 JSON shape of a send's answer.
type SendResultJSON struct {
	Message MessageJSON `json:"message"`
	Thread  ThreadJSON  `json:"thread"`
}

type v2HistoryVersionJSON struct {
	Content   string  `json:"content"`
	CreatedAt string  `json:"createdAt"`
	Origin    *string `json:"origin"`
}

type v2DeletionJSON struct {
	DeletedAt string  `json:"deletedAt"`
	Scope     string  `json:"scope"`
	Origin    *string `json:"origin"`
}

type v2HistoryJSON struct {
	Versions []v2HistoryVersionJSON `json:"versions"`
	Deletion *v2DeletionJSON        `json:"deletion"`
	Times    string                 `json:"times"`
}

type v2ReactionsJSON struct {
	Reactions []v2ReactionJSON `json:"reactions"`
	Version   int64            `json:"version"`
}

type v2EventObjectJSON struct {
	Type string `json:"type"`
	ID   string `json:"id"`
	URL  string `json:"url"`
}

type v2EventJSON struct {
	ID         string            `json:"id"`
	Seq        int64             `json:"seq"`
	Type       string            `json:"type"`
	APIVersion string            `json:"apiVersion"`
	CreatedAt  string            `json:"createdAt"`
	Object     v2EventObjectJSON `json:"object"`
	Data       any               `json:"data"`
}

// EventPageJSON is the v2 JSON shape of GET /events.
type EventPageJSON struct {
	Data    []v2EventJSON `json:"data"`
	LastSeq *int64        `json:"lastSeq"`
	HasMore bool          `json:"hasMore"`
}
