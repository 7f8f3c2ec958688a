package v1

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"
)

// Enumerations. The API's enums are closed in v1, but values are plain strings so that a
// value added later decodes instead of failing the whole answer; compare against the
// constants and treat anything else as unknown.
type (
	// Platform is the messaging platform of an object ("twitter"; some renderings add "sandbox").
	Platform string
	// ThreadStatus is "active" (in the inbox) or "idle" (hidden, e.g. a quick-peek preview).
	ThreadStatus string
	// ThreadVariant is "unencrypted" or "xChat" (encrypted; edit, delete and typing work only here).
	ThreadVariant string
	// InboxView selects the threads listed by [Client.ListThreads].
	InboxView string
	// SortOrder orders a thread listing by last activity.
	SortOrder string
	// MessageOrigin says where a message came from.
	MessageOrigin string
	// Verified is the X verification badge of a prospect.
	Verified string
	// ProfileType is the kind of X profile.
	ProfileType string
	// ProspectSource says where the profile data came from.
	ProspectSource string
	// AccountLinkStatus is the state of a connected X account.
	AccountLinkStatus string
	// MemberRole is a team member's role.
	MemberRole string
	// TypingStatus says whether a typing indicator went out.
	TypingStatus string
	// TypingReason says why a typing indicator was skipped.
	TypingReason string
	// DeletionType says for whom a message was deleted ("self" or "all").
	DeletionType string
)

// Known enumeration values.
const (
	PlatformTwitter Platform = "twitter"
	PlatformSandbox Platform = "sandbox"

	ThreadActive ThreadStatus = "active"
	ThreadIdle   ThreadStatus = "idle"

	VariantUnencrypted ThreadVariant = "unencrypted"
	VariantXChat       ThreadVariant = "xChat"

	InboxDefault  InboxView = "default"
	InboxNoReply  InboxView = "no-reply"
	InboxRequests InboxView = "requests"
	InboxArchived InboxView = "archived"

	SortAsc  SortOrder = "asc"
	SortDesc SortOrder = "desc"

	OriginInternal MessageOrigin = "internal"
	OriginExternal MessageOrigin = "external"
	OriginAPI      MessageOrigin = "api"

	VerifiedNone       Verified = "none"
	VerifiedBlue       Verified = "verified"
	VerifiedBusiness   Verified = "business"
	VerifiedGovernment Verified = "government"

	ProfilePersonal   ProfileType = "personal"
	ProfileBusiness   ProfileType = "business"
	ProfileGovernment ProfileType = "government"

	SourceCached  ProspectSource = "cached"
	SourceIndexed ProspectSource = "indexed"
	SourceLive    ProspectSource = "live"
	SourceMerged  ProspectSource = "merged"

	AccountActive  AccountLinkStatus = "active"
	AccountOffline AccountLinkStatus = "offline"
	AccountPaused  AccountLinkStatus = "paused"

	RoleOwner MemberRole = "owner"
	RoleAdmin MemberRole = "admin"
	RoleUser  MemberRole = "user"

	TypingSent    TypingStatus = "sent"
	TypingSkipped TypingStatus = "skipped"

	TypingRateLimited      TypingReason = "rateLimited"
	TypingDisabled         TypingReason = "typingDisabled"
	TypingUnsupported      TypingReason = "unsupported"
	TypingOutboundDisabled TypingReason = "outboundDisabled"

	DeletedForSelf DeletionType = "self"
	DeletedForAll  DeletionType = "all"
)

// Count is a non-negative count the document types as "number". It decodes integers and,
// tolerantly, floats (truncated), so "3068.0" does not fail a page.
type Count int64

// UnmarshalJSON decodes an integer (fast path, no allocation) or a float; null leaves 0.
func (n *Count) UnmarshalJSON(b []byte) error {
	var v int64
	neg := len(b) > 0 && b[0] == '-'
	digits := b
	if neg {
		digits = b[1:]
	}
	if len(digits) > 0 && len(digits) < 19 {
		ok := true
		for _, c := range digits {
			if c < '0' || c > '9' {
				ok = false
				break
			}
			v = v*10 + int64(c-'0')
		}
		if ok {
			if neg {
				v = -v
			}
			*n = Count(v)
			return nil
		}
	}
	if string(b) == "null" {
		return nil
	}
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		return fmt.Errorf("count %s is not a number", truncate(string(b), 30))
	}
	*n = Count(f)
	return nil
}

// Reaction is an emoji reaction on a message. The v1 document leaves its shape open; the
// known form (from webhooks) is decoded, and anything else is kept in Raw.
type Reaction struct {
	Emoji            string     `json:"emoji"`
	SenderPlatformID string     `json:"senderPlatformId,omitempty"`
	CreatedAt        *time.Time `json:"createdAt,omitempty"`
	// Raw is the reaction as sent, when it was not an object of the known shape.
	Raw json.RawMessage `json:"-"`
}

// UnmarshalJSON accepts the known object, a bare emoji string, or anything else (kept raw).
func (r *Reaction) UnmarshalJSON(b []byte) error {
	type known Reaction
	var k known
	if err := json.Unmarshal(b, &k); err == nil {
		*r = Reaction(k)
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*r = Reaction{Emoji: s}
		return nil
	}
	*r = Reaction{Raw: append(json.RawMessage(nil), b...)}
	return nil
}
