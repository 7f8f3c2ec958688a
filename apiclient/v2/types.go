package v2

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"time"
)

// Number is a JSON number the API may also write as the strings "Infinity", "-Infinity" or
// "NaN" (counts and valuations are typed that way in the v2 document). Decoding accepts
// all four forms so an exotic value never breaks a whole page.
type Number float64

// UnmarshalJSON accepts a number or one of the three special strings.
func (n *Number) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		switch s {
		case "Infinity":
			*n = Number(math.Inf(1))
		case "-Infinity":
			*n = Number(math.Inf(-1))
		case "NaN":
			*n = Number(math.NaN())
		default:
			f, err := strconv.ParseFloat(s, 64)
			if err != nil {
				return fmt.Errorf("v2: %q is not a number", s)
			}
			*n = Number(f)
		}
		return nil
	}
	var f float64
	if err := json.Unmarshal(b, &f); err != nil {
		return err
	}
	*n = Number(f)
	return nil
}

// Int64 returns the number as an int64, 0 for NaN and clamped for infinities.
func (n Number) Int64() int64 {
	f := float64(n)
	switch {
	case math.IsNaN(f):
		return 0
	case f >= math.MaxInt64:
		return math.MaxInt64
	case f <= math.MinInt64:
		return math.MinInt64
	}
	return int64(f)
}

// Page is one page of a v2 collection: {data, nextCursor}. NextCursor is "" on the last page
// (the API sends null).
type Page[T any] struct {
	Data       []T
	NextCursor string
}

// UnmarshalJSON decodes {data, nextCursor} with a nullable cursor.
func (p *Page[T]) UnmarshalJSON(b []byte) error {
	var w struct {
		Data       []T     `json:"data"`
		NextCursor *string `json:"nextCursor"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	p.Data = w.Data
	p.NextCursor = ""
	if w.NextCursor != nil {
		p.NextCursor = *w.NextCursor
	}
	return nil
}

// Capability names, as used in platform and account link capabilities and thread
// restrictions. The set is open: the API may add capabilities within v2.
const (
	CapMessageSend       = "message:send"
	CapMessageEdit       = "message:edit"
	CapMessageDeleteSelf = "message:delete:self"
	CapMessageUnsend     = "message:unsend"
	CapMessageReact      = "message:react"
	CapMessageReply      = "message:reply"
	CapThreadTypingSend  = "thread:typing:send"
	CapThreadReadMutate  = "thread:read:mutate"
)

// PlatformInfo is one messaging platform available to the team (GET /platforms).
type PlatformInfo struct {
	Platform       string `json:"platform"`
	Name           string `json:"name"`
	UsernamePrefix string `json:"usernamePrefix"`
	// Capabilities is the most any account on the platform can do.
	Capabilities []string `json:"capabilities"`
	Limits       struct {
		Characters *int64 `json:"characters"`
		MediaCount *int64 `json:"mediaCount"`
		MediaBytes *int64 `json:"mediaBytes"`
		// MediaTypes maps a media kind (image, video…) to accepted formats; nil accepts any.
		MediaTypes map[string][]string `json:"mediaTypes"`
	} `json:"limits"`
	// MutationWindows maps a capability to the seconds after a message's creation during
	// which it still applies (e.g. message:edit).
	MutationWindows map[string]int64 `json:"mutationWindows"`
	ThreadState     struct {
		Archive *StateSync `json:"archive"`
		Read    *StateSync `json:"read"`
	} `json:"threadState"`
}

// StateSync says how a thread state (archive, read) relates to the platform.
type StateSync struct {
	Observe bool `json:"observe"`
	Mutate  bool `json:"mutate"`
}

// Team is the team the API token belongs to.
type Team struct {
	ID                 string    `json:"id"`
	Name               string    `json:"name"`
	Slug               string    `json:"slug"`
	ImageURL           *string   `json:"imageUrl"`
	Currency           string    `json:"currency"`
	AllowSupportAccess bool      `json:"allowSupportAccess"`
	CreatedAt          time.Time `json:"createdAt"`
}

// Member is a person on the team; ID is what assigneeId fields hold.
type Member struct {
	ID        string    `json:"id"`
	Name      *string   `json:"name"`
	Email     string    `json:"email"`
	ImageURL  *string   `json:"imageUrl"`
	Role      string    `json:"role"` // owner | admin | user (open set)
	CreatedAt time.Time `json:"createdAt"`
}

// AccountLink is one of the team's accounts on a platform. Messages are sent from one.
type AccountLink struct {
	ID           string     `json:"id"`
	Platform     string     `json:"platform"`
	PlatformID   string     `json:"platformId"`
	Username     *string    `json:"username"`
	DisplayName  *string    `json:"displayName"`
	AvatarURL    *string    `json:"avatarUrl"`
	Status       string     `json:"status"` // active | offline | paused (open set)
	PauseReasons []string   `json:"pauseReasons"`
	Capabilities []string   `json:"capabilities"`
	SyncedAt     *time.Time `json:"syncedAt"`
	CreatedAt    time.Time  `json:"createdAt"`
}

// Profile is one person's account on one platform.
type Profile struct {
	ID                string              `json:"id"`
	Platform          string              `json:"platform"`
	PlatformID        string              `json:"platformId"`
	Username          string              `json:"username"` // without the display prefix
	Handle            string              `json:"handle"`   // as the platform displays it
	DisplayName       string              `json:"displayName"`
	AvatarURL         *string             `json:"avatarUrl"`
	Bio               *string             `json:"bio"`
	Location          *string             `json:"location"`
	WebsiteURL        *string             `json:"websiteUrl"`
	WebsiteDomain     *string             `json:"websiteDomain"`
	Verified          bool                `json:"verified"`
	IsOrganization    bool                `json:"isOrganization"`
	IsProtected       bool                `json:"isProtected"`
	FollowerCount     *Number             `json:"followerCount"`
	FollowingCount    *Number             `json:"followingCount"`
	PostCount         *Number             `json:"postCount"`
	EngagementCount   *Number             `json:"engagementCount"`
	ListedCount       *Number             `json:"listedCount"`
	AccountStatus     string              `json:"accountStatus"` // active | suspended | notFound
	PlatformCreatedAt *time.Time          `json:"platformCreatedAt"`
	ProfileURL        *string             `json:"profileUrl"`
	UpdatedAt         time.Time           `json:"updatedAt"`
	PlatformData      ProfilePlatformData `json:"platformData"`
}

// ProfilePlatformData holds the fields only one platform has, tagged by Tag. The X
// (twitter) fields are decoded; other tags keep only Tag.
type ProfilePlatformData struct {
	Tag                  string  `json:"_tag"`
	Badge                *string `json:"badge"`       // twitter: blue | gold | gray
	ProfileType          string  `json:"profileType"` // twitter: personal | business | government
	ProfessionalCategory *string `json:"professionalCategory"`
	BannerURL            *string `json:"bannerUrl"`
}

// Contact is the team's record of a person: their profiles plus the team's CRM state.
type Contact struct {
	ID         string    `json:"id"`
	Profiles   []Profile `json:"profiles"` // oldest link first
	StatusID   *string   `json:"statusId"`
	TagIDs     []string  `json:"tagIds"`
	Notes      *string   `json:"notes"`
	Valuation  *Number   `json:"valuation"`
	AssigneeID *string   `json:"assigneeId"`
	CreatedAt  time.Time `json:"createdAt"`
	UpdatedAt  time.Time `json:"updatedAt"`
	// Expansions, present only when asked for with expand=.
	Status   *Status `json:"status,omitempty"`
	Tags     []Tag   `json:"tags,omitempty"`
	Assignee *Member `json:"assignee,omitempty"`
}

// Thread is a conversation between one account link and one profile.
type Thread struct {
	ID               string          `json:"id"`
	Platform         string          `json:"platform"`
	PlatformID       *string         `json:"platformId"`
	AccountLinkID    string          `json:"accountLinkId"`
	ProfileID        string          `json:"profileId"`
	ContactID        string          `json:"contactId"`
	AssigneeID       *string         `json:"assigneeId"`
	IsRequest        bool            `json:"isRequest"`
	AcceptanceState  string          `json:"acceptanceState"`
	Archived         bool            `json:"archived"`
	Unread           bool            `json:"unread"`
	Restrictions     []string        `json:"restrictions"`
	Syncing          bool            `json:"syncing"`
	TypingIndicators string          `json:"typingIndicators"`
	LastMessage      *LastMessage    `json:"lastMessage"`
	Activity         *ThreadActivity `json:"activity"`
	CreatedAt        time.Time       `json:"createdAt"`
	// Expansions, present only when asked for with expand=.
	AccountLink *AccountLink `json:"accountLink,omitempty"`
	Profile     *Profile     `json:"profile,omitempty"`
	Contact     *Contact     `json:"contact,omitempty"`
	Assignee    *Member      `json:"assignee,omitempty"`
}

// LastMessage points at a thread's latest message (fetch it for its content).
type LastMessage struct {
	ID        string    `json:"id"`
	Direction string    `json:"direction"`
	CreatedAt time.Time `json:"createdAt"`
}

// ThreadActivity is a thread's latest activity: a message, or a reaction since.
type ThreadActivity struct {
	Preview   *string   `json:"preview"`
	Direction string    `json:"direction"`
	At        time.Time `json:"at"`
}

// Message is a message in a thread.
type Message struct {
	ID            string              `json:"id"`
	ThreadID      string              `json:"threadId"`
	AccountLinkID string              `json:"accountLinkId"`
	Platform      string              `json:"platform"`
	PlatformID    *string             `json:"platformId"`
	Direction     string              `json:"direction"` // inbound | outbound
	SentBy        *SentBy             `json:"sentBy"`
	Content       string              `json:"content"`
	Entities      MessageEntities     `json:"entities"`
	Attachments   []Attachment        `json:"attachments"`
	Forwarded     *Forwarded          `json:"forwarded"`
	Reactions     []Reaction          `json:"reactions"`
	EditedAt      *time.Time          `json:"editedAt"`
	DeletedAt     *time.Time          `json:"deletedAt"`
	CreatedAt     time.Time           `json:"createdAt"`
	PlatformData  MessagePlatformData `json:"platformData"`
	ReplyTo       *ReplyTo            `json:"replyTo"`
	// Expansions, present only when asked for with expand=.
	Thread      *Thread      `json:"thread,omitempty"`
	AccountLink *AccountLink `json:"accountLink,omitempty"`
}

// SentBy says who on the team sent an outbound message. Type is member, agent, campaign or
// api (open set); the other fields are set as the type defines.
type SentBy struct {
	Type       string   `json:"type"`
	MemberID   string   `json:"memberId,omitempty"`
	AgentID    string   `json:"agentId,omitempty"`
	CampaignID string   `json:"campaignId,omitempty"`
	StepID     *string  `json:"stepId,omitempty"`
	TokenID    *string  `json:"tokenId,omitempty"`
	Member     *Member  `json:"member,omitempty"`
	Agent      *NameRef `json:"agent,omitempty"`
	Token      *NameRef `json:"token,omitempty"`
}

// NameRef is an embedded {id, name} reference (an agent or an API token).
type NameRef struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// MessagePlatformData holds the fields only one platform has, tagged by Tag.
type MessagePlatformData struct {
	Tag       string `json:"_tag"`
	Encrypted bool   `json:"encrypted"` // twitter: an end-to-end encrypted X Chat message
}

// MessageEntities are the parts of a message's content the platform marked up.
type MessageEntities struct {
	URLs []struct {
		URL        string   `json:"url"`
		DisplayURL string   `json:"displayUrl"`
		Indices    *Indices `json:"indices"`
	} `json:"urls"`
	PostShares []struct {
		PlatformID string   `json:"platformId"`
		URL        string   `json:"url"`
		Indices    *Indices `json:"indices"`
	} `json:"postShares"`
	Mentions []struct {
		Username    string   `json:"username"`
		DisplayName *string  `json:"displayName"`
		PlatformID  *string  `json:"platformId"`
		Indices     *Indices `json:"indices"`
	} `json:"mentions"`
	Hashtags []struct {
		Tag     string   `json:"tag"`
		Indices *Indices `json:"indices"`
	} `json:"hashtags"`
	Cashtags []struct {
		Symbol  string   `json:"symbol"`
		Indices *Indices `json:"indices"`
	} `json:"cashtags"`
	Format []struct {
		Kind    string  `json:"kind"`
		Indices Indices `json:"indices"`
	} `json:"format"`
}

// Indices are end-exclusive offsets into a message's content, in Unicode code points.
type Indices struct {
	Start Number `json:"start"`
	End   Number `json:"end"`
}

// Attachment is a media attachment or a link card, told apart by Kind ("card" or a media
// kind: image, gif, video, audio, file).
type Attachment struct {
	Index int     `json:"index"`
	Kind  string  `json:"kind"`
	URL   *string `json:"url"`
	// Media fields.
	Filename        *string    `json:"filename,omitempty"`
	ContentType     *string    `json:"contentType,omitempty"`
	SizeBytes       *Number    `json:"sizeBytes,omitempty"`
	Width           *Number    `json:"width,omitempty"`
	Height          *Number    `json:"height,omitempty"`
	AspectRatio     *Number    `json:"aspectRatio,omitempty"`
	DurationSeconds *Number    `json:"durationSeconds,omitempty"`
	Status          string     `json:"status,omitempty"` // ready | pending | processing | failed
	ExpiresAt       *time.Time `json:"expiresAt,omitempty"`
	Poster          *struct {
		URL       string     `json:"url"`
		ExpiresAt *time.Time `json:"expiresAt"`
		Width     *Number    `json:"width"`
		Height    *Number    `json:"height"`
	} `json:"poster,omitempty"`
	// Card fields.
	Title       *string `json:"title,omitempty"`
	Description *string `json:"description,omitempty"`
	Domain      *string `json:"domain,omitempty"`
	Thumbnail   *struct {
		URL    string  `json:"url"`
		Width  Number  `json:"width"`
		Height Number  `json:"height"`
		Alt    *string `json:"alt"`
	} `json:"thumbnail,omitempty"`
}

// Forwarded is set on a message that forwards another one.
type Forwarded struct {
	Content *string `json:"content"`
}

// ReplyTo is the message a message replies to.
type ReplyTo struct {
	MessageID  *string  `json:"messageId"` // nil when Inboxapp has no copy of it
	PlatformID *string  `json:"platformId"`
	Content    string   `json:"content"`
	AuthorName *string  `json:"authorName"`
	Message    *Message `json:"message,omitempty"`
}

// Reaction is an emoji reaction on a message.
type Reaction struct {
	Emoji     string         `json:"emoji"`
	Author    ReactionAuthor `json:"author"`
	CreatedAt *time.Time     `json:"createdAt"`
}

// ReactionAuthor is who reacted: Type accountLink (the team's side), profile (the other
// side) or unknown (someone Inboxapp can't match; only PlatformID is known).
type ReactionAuthor struct {
	Type          string       `json:"type"`
	AccountLinkID string       `json:"accountLinkId,omitempty"`
	ProfileID     string       `json:"profileId,omitempty"`
	ContactID     *string      `json:"contactId,omitempty"`
	PlatformID    string       `json:"platformId,omitempty"`
	AccountLink   *AccountLink `json:"accountLink,omitempty"`
	Profile       *Profile     `json:"profile,omitempty"`
	Contact       *Contact     `json:"contact,omitempty"`
}

// Reactions is a message's reactions after a change.
type Reactions struct {
	Reactions []Reaction `json:"reactions"`
	Version   Number     `json:"version"`
}

// MessageHistory lists every version of a message's content.
type MessageHistory struct {
	Versions []struct {
		Content   string    `json:"content"`
		CreatedAt time.Time `json:"createdAt"`
		Origin    *string   `json:"origin"` // inbox | platform | api
	} `json:"versions"`
	Deletion *struct {
		DeletedAt time.Time `json:"deletedAt"`
		Scope     string    `json:"scope"`
		Origin    *string   `json:"origin"`
	} `json:"deletion"`
	Times string `json:"times"` // platform | observed
}

// MessageDeletion is the answer to deleting (unsending) a message.
type MessageDeletion struct {
	MessageID string    `json:"messageId"`
	Scope     string    `json:"scope"` // self | all
	DeletedAt time.Time `json:"deletedAt"`
}

// ThreadDeletion is the answer to deleting a thread.
type ThreadDeletion struct {
	Scope string `json:"scope"` // remoteAndLocal | local
}

// TypingSignal is the answer to a typing indicator.
type TypingSignal struct {
	Status string  `json:"status"` // sent | skipped
	Reason *string `json:"reason"` // rateLimited | disabled, nil when sent
}

// Tag is a label on contacts.
type Tag struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Color string `json:"color"` // lowercase hex
}

// Status is a pipeline stage; a contact has at most one.
type Status struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	Color     *string   `json:"color"` // nil when the status has no color
	CreatedAt time.Time `json:"createdAt"`
}

// Color is a color of Inboxapp's palette for tags and statuses.
type Color struct {
	Name string `json:"name"`
	Hex  string `json:"hex"`
}

// Event is one entry of the team's event log (GET /events). Data is kept raw: its shape
// depends on Type.
type Event struct {
	ID         string    `json:"id"`
	Seq        Number    `json:"seq"`
	Type       string    `json:"type"`
	APIVersion string    `json:"apiVersion"`
	CreatedAt  time.Time `json:"createdAt"`
	Object     struct {
		Type string `json:"type"`
		ID   string `json:"id"`
		URL  string `json:"url"`
	} `json:"object"`
	Data json.RawMessage `json:"data"`
}

// EventPage is one read of the event log. Continue from LastSeq while HasMore.
type EventPage struct {
	Data    []Event `json:"data"`
	LastSeq *Number `json:"lastSeq"`
	HasMore bool    `json:"hasMore"`
}
