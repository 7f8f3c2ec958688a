package v2

import (
	"time"

	"github.com/inbox-mcp/inbox-mcp/inbox"
)

// This file turns v2 objects into the version-neutral types of package inbox. A v2 person
// is two objects: the profile (their account on a platform) and the contact (the team's
// record); inbox.Prospect joins them.

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// nonNil keeps "the API said none" ([]) apart from "the API did not say" (nil).
func nonNil(s []string) []string {
	out := make([]string, len(s))
	copy(out, s)
	return out
}

func accountFrom(a AccountLink) inbox.Account {
	return inbox.Account{
		ID:           a.ID,
		Platform:     a.Platform,
		PlatformID:   a.PlatformID,
		Username:     deref(a.Username),
		Name:         deref(a.DisplayName),
		Status:       a.Status,
		Capabilities: nonNil(a.Capabilities),
	}
}

// memberFrom sets UserID to the member ID: v2 messages name their sender by member ID
// (sentBy.memberId), which is what inbox.Message.UserID then holds.
func memberFrom(m Member) inbox.Member {
	return inbox.Member{ID: m.ID, UserID: m.ID, Name: deref(m.Name), Email: m.Email, Role: m.Role}
}

func tagLabel(t Tag) inbox.Label { return inbox.Label{ID: t.ID, Name: t.Name, Color: t.Color} }

func statusLabel(s Status) inbox.Label {
	return inbox.Label{ID: s.ID, Name: s.Name, Color: deref(s.Color)}
}

func contextFrom(c *Contact) inbox.Context {
	if c == nil {
		return inbox.Context{TagIDs: []string{}}
	}
	ctx := inbox.Context{
		TagIDs:     nonNil(c.TagIDs),
		StatusID:   deref(c.StatusID),
		Notes:      deref(c.Notes),
		AssigneeID: deref(c.AssigneeID),
	}
	if c.Valuation != nil {
		v := float64(*c.Valuation)
		ctx.Valuation = &v
	}
	return ctx
}

// prospectFrom joins a profile and its contact; either may be nil (not expanded, or the
// person has no contact), in which case contactID and profileID still name them.
func prospectFrom(pr *Profile, c *Contact, contactID, profileID string) inbox.Prospect {
	p := inbox.Prospect{ID: contactID, ProfileID: profileID, Context: contextFrom(c)}
	if c != nil {
		p.ID = c.ID
		p.Profiles = make([]inbox.ProfileRef, 0, len(c.Profiles))
		for _, o := range c.Profiles {
			p.Profiles = append(p.Profiles, inbox.ProfileRef{ID: o.ID, Platform: o.Platform, PlatformID: o.PlatformID,
				Username: o.Username, DisplayName: o.DisplayName})
		}
	}
	if pr == nil {
		return p
	}
	p.ProfileID = pr.ID
	p.Platform = pr.Platform
	p.PlatformID = pr.PlatformID
	p.Username = pr.Username
	p.DisplayName = pr.DisplayName
	p.Bio = deref(pr.Bio)
	p.Location = deref(pr.Location)
	p.WebsiteURL = deref(pr.WebsiteURL)
	if pr.FollowerCount != nil {
		p.Followers = pr.FollowerCount.Int64()
	}
	if pr.FollowingCount != nil {
		p.Following = pr.FollowingCount.Int64()
	}
	p.Verified = verifiedFrom(pr)
	p.ProfileType = pr.PlatformData.ProfileType
	if p.ProfileType == "" {
		p.ProfileType = "personal"
		if pr.IsOrganization {
			p.ProfileType = "business"
		}
	}
	p.Protected = pr.IsProtected
	return p
}

// verifiedFrom maps X's badge colors onto the neutral none | verified | business |
// government scale; other platforms only say verified or not.
func verifiedFrom(pr *Profile) string {
	switch deref(pr.PlatformData.Badge) {
	case "gold":
		return "business"
	case "gray":
		return "government"
	case "blue":
		return "verified"
	}
	if pr.Verified {
		return "verified"
	}
	return "none"
}

// profileFor picks the contact's profile to present: the one matching match (when given),
// else the oldest linked.
func profileFor(c *Contact, match func(Profile) bool) *Profile {
	if c == nil {
		return nil
	}
	for i := range c.Profiles {
		if match == nil || match(c.Profiles[i]) {
			return &c.Profiles[i]
		}
	}
	return nil
}

func threadFrom(t Thread) inbox.Thread {
	unread := t.Unread
	th := inbox.Thread{
		ID:           t.ID,
		Platform:     t.Platform,
		PlatformID:   deref(t.PlatformID),
		AccountID:    t.AccountLinkID,
		Done:         t.Archived,
		AssigneeID:   deref(t.AssigneeID),
		IsRequest:    t.IsRequest,
		CreatedAt:    t.CreatedAt,
		Prospect:     prospectFrom(t.Profile, t.Contact, t.ContactID, t.ProfileID),
		Unread:       &unread,
		Restrictions: nonNil(t.Restrictions),
	}
	if th.Prospect.Platform == "" {
		th.Prospect.Platform = t.Platform
	}
	if lm := t.LastMessage; lm != nil {
		th.LastMessageAt = lm.CreatedAt
		th.LastMessage = &inbox.MessageSummary{ID: lm.ID, Direction: inbox.Direction(lm.Direction), CreatedAt: lm.CreatedAt}
		// v2 gives the last message's text only as the activity preview, and only when
		// that activity is the message itself (not a later reaction).
		if a := t.Activity; a != nil && a.Preview != nil && a.At.Equal(lm.CreatedAt) && a.Direction == lm.Direction {
			th.LastMessage.Content = *a.Preview
		}
	}
	// SortAt follows the listing's own order (activity, else creation), so that bounds
	// such as "active since" stay a prefix of a listing.
	switch {
	case t.Activity != nil:
		th.SortAt = t.Activity.At
	case !th.LastMessageAt.IsZero():
		th.SortAt = th.LastMessageAt
	default:
		th.SortAt = t.CreatedAt
	}
	return th
}

func threadRef(t Thread) inbox.ThreadRef {
	r := inbox.ThreadRef{ID: t.ID, AccountID: t.AccountLinkID}
	if t.LastMessage != nil {
		r.LastMessageAt = t.LastMessage.CreatedAt
	}
	return r
}

// originFrom maps who sent a message onto v1's internal | external | api: people in
// Inboxapp and campaigns are internal, tokens and agents acting for a member are api,
// and what Inboxapp did not send (inbound, or sent on the platform itself) is external.
func originFrom(s *SentBy) string {
	if s == nil {
		return "external"
	}
	switch s.Type {
	case "member", "campaign":
		return "internal"
	case "agent", "api":
		return "api"
	}
	return ""
}

func messageFrom(m Message) inbox.Message {
	out := inbox.Message{
		ID:        m.ID,
		ThreadID:  m.ThreadID,
		CreatedAt: m.CreatedAt,
		Content:   m.Content,
		Direction: inbox.Direction(m.Direction),
		AccountID: m.AccountLinkID,
		Origin:    originFrom(m.SentBy),
		Edited:    m.EditedAt != nil,
		DeletedAt: copyTime(m.DeletedAt),
	}
	if s := m.SentBy; s != nil {
		out.UserID = s.MemberID
		out.CampaignID = s.CampaignID
	}
	if m.ReplyTo != nil {
		out.ReplyToID = deref(m.ReplyTo.MessageID)
	}
	for _, r := range m.Reactions {
		out.Reactions = append(out.Reactions, inbox.Reaction{Emoji: r.Emoji, By: reactorPlatformID(r.Author)})
	}
	return out
}

// reactorPlatformID is the platform user ID of who reacted, known when the author is
// unmatched (it is all the API has) or was expanded.
func reactorPlatformID(a ReactionAuthor) string {
	switch {
	case a.PlatformID != "":
		return a.PlatformID
	case a.Profile != nil:
		return a.Profile.PlatformID
	case a.AccountLink != nil:
		return a.AccountLink.PlatformID
	}
	return ""
}

func copyTime(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	v := *t
	return &v
}
