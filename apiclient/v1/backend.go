package v1

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/inbox-mcp/inbox-mcp/apiclient"
	"github.com/inbox-mcp/inbox-mcp/inbox"
)

// This file adapts the typed v1 client to inbox.Backend, the version-neutral interface the
// MCP layer works through. v1 has no message direction, no read state and no capabilities,
// so the adapter derives what it can (direction from authorId, restrictions from the thread
// variant) and reports the rest as absent (Unread nil, Capabilities nil).

// xChatOnly lists what v1 allows only in X Chat (encrypted) conversations: editing and
// deleting messages and typing indicators.
var xChatOnly = []string{"message:edit", "message:delete", "typing"}

// How long the team's account links are trusted before they are read again, and how often
// an unknown message author may trigger an early re-read.
const (
	accountsTTL         = 10 * time.Minute
	accountsMinInterval = 30 * time.Second
	// maxThreadInfo bounds the cache of thread -> (account, prospect); the mapping never
	// changes, so the cache is only ever reset when full.
	maxThreadInfo = 8192
)

// backend is the inbox.Backend of API v1.
type backend struct {
	c *Client

	mu         sync.Mutex
	accountIDs map[string]bool // account link IDs and their X user IDs
	accountsAt time.Time
	threads    map[string]threadInfo
}

// threadInfo is what classifying a thread's messages needs of the thread.
type threadInfo struct {
	accountID          string
	prospectID         string
	prospectPlatformID string
}

var _ inbox.Backend = (*backend)(nil)

// NewBackend returns the inbox.Backend of API v1 on c. Its errors are in the model's kinds:
// the client translates every failed call (an *inbox.Error of the kind its HTTP status
// says), arguments refused before any request match inbox.ErrInvalidArgument, and what v1
// cannot do (free-text search, read state) wraps inbox.ErrUnsupported.
func NewBackend(c *Client) inbox.Backend {
	return &backend{c: c, threads: map[string]threadInfo{}}
}

// APIVersion returns "v1".
func (b *backend) APIVersion() string { return "v1" }

// Features reports that v1 offers none of the optional features, on X only.
func (b *backend) Features() inbox.Features {
	return inbox.Features{Platforms: []string{string(PlatformTwitter)}}
}

// Team returns the token's team.
func (b *backend) Team(ctx context.Context) (inbox.Team, error) {
	t, err := b.c.Team(ctx)
	if err != nil {
		return inbox.Team{}, err
	}
	return inbox.Team{ID: t.ID, Name: t.Name, Slug: t.Slug, Currency: t.Currency}, nil
}

// Accounts returns the team's connected accounts. v1 does not say what each can do, so
// Capabilities is nil.
func (b *backend) Accounts(ctx context.Context) ([]inbox.Account, error) {
	links, err := b.c.AccountLinks(ctx)
	if err != nil {
		return nil, err
	}
	b.rememberAccounts(links)
	out := make([]inbox.Account, 0, len(links))
	for _, a := range links {
		out = append(out, inbox.Account{ID: a.ID, Platform: string(a.Platform), PlatformID: a.PlatformID,
			Username: a.Username, Name: a.Name, Status: string(a.Status)})
	}
	return out, nil
}

func (b *backend) rememberAccounts(links []AccountLink) {
	ids := make(map[string]bool, 2*len(links))
	for _, a := range links {
		ids[a.ID] = true
		if a.PlatformID != "" {
			ids[a.PlatformID] = true
		}
	}
	b.mu.Lock()
	b.accountIDs, b.accountsAt = ids, time.Now()
	b.mu.Unlock()
}
func prospectFrom(p *Prospect) inbox.Prospect {
	id := deref(p.ExternalID)
	out := inbox.Prospect{
		ID:          id,
		ProfileID:   id,
		Platform:    string(p.Platform),
		PlatformID:  p.PlatformID,
		Username:    strings.TrimPrefix(p.Username, "@"),
		DisplayName: p.DisplayName,
		Bio:         deref(p.Bio),
		Location:    deref(p.Location),
		WebsiteURL:  deref(p.WebsiteURL),
		Followers:   int64(p.FollowerCount),
		Following:   int64(p.FollowingCount),
		Verified:    string(p.Verified),
		ProfileType: string(p.ProfileType),
		Protected:   p.IsProtected,
		Context: inbox.Context{
			TagIDs:     append([]string{}, p.Context.Tags...),
			StatusID:   deref(p.Context.StatusID),
			Notes:      deref(p.Context.Notes),
			Valuation:  p.Context.Valuation,
			AssigneeID: deref(p.Context.AssigneeID),
		},
	}
	if p.Context.Threads != nil {
		out.Threads = make([]inbox.ThreadRef, 0, len(p.Context.Threads))
		for _, t := range p.Context.Threads {
			out.Threads = append(out.Threads, inbox.ThreadRef{ID: t.ID, AccountID: t.AccountLinkID, LastMessageAt: deref(t.LastMessageTimestamp)})
		}
	}
	return out
}

// errInvalid marks bad input found before any request; the message says what to pass.
func errInvalid(msg string) error { return invalid(msg) }

func checkLimit(limit int) error {
	if limit < 1 || limit > PageSize {
		return errInvalid(fmt.Sprintf("page size %d is out of range: use 1 to %d", limit, PageSize))
	}
	return nil
}

// Prospect returns a person with the team's record and their threads; id is the
// prospect's Inbox ID (externalId).
func (b *backend) Prospect(ctx context.Context, id string) (inbox.Prospect, error) {
	p, err := b.c.Prospect(ctx, id)
	if err != nil {
		return inbox.Prospect{}, err
	}
	return prospectFrom(p), nil
}

// LookupProspect finds a person known to Inbox by X user ID, or nil.
func (b *backend) LookupProspect(ctx context.Context, platformID string) (*inbox.Prospect, error) {
	p, err := b.c.LookupProspect(ctx, strings.TrimSpace(platformID))
	if err != nil || p == nil {
		return nil, err
	}
	out := prospectFrom(p)
	return &out, nil
}

// UpdateProspect changes the team's record of a person in one request; an empty update
// reads it. In v1 the assignee applies to all the person's threads.
func (b *backend) UpdateProspect(ctx context.Context, prospect inbox.Prospect, u inbox.ContextUpdate) (inbox.Prospect, error) {
	id := prospect.ID
	if u.IsEmpty() {
		return b.Prospect(ctx, id)
	}
	p := ProspectContextUpdate{AddTags: u.AddTags, RemoveTags: u.RemoveTags}
	setNullable(&p.StatusID, u.Status)
	setNullable(&p.Notes, u.Notes)
	setNullable(&p.Valuation, u.Valuation)
	setNullable(&p.AssigneeID, u.Assignee)
	out, err := b.c.UpdateProspectContext(ctx, id, p)
	if err != nil {
		return inbox.Prospect{}, err
	}
	pr := prospectFrom(out)
	// REST answers may leave the prospect-level assignee out (the v1 document does not list
	// it); the API accepted the change, so the record shows what it now is.
	if out.Context.AssigneeID == nil && u.Assignee.Changed() {
		pr.Context.AssigneeID, _ = u.Assignee.Value()
	}
	return pr, nil
}

// Members returns the team's members.
func (b *backend) Members(ctx context.Context) ([]inbox.Member, error) {
	ms, err := b.c.Members(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]inbox.Member, 0, len(ms))
	for _, m := range ms {
		out = append(out, inbox.Member{ID: m.ID, UserID: m.UserID, Name: deref(m.Name), Email: m.Email, Role: string(m.Role)})
	}
	return out, nil
}

// Tags returns the team's tags.
func (b *backend) Tags(ctx context.Context) ([]inbox.Label, error) {
	ts, err := b.c.Tags(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]inbox.Label, 0, len(ts))
	for _, t := range ts {
		out = append(out, inbox.Label{ID: t.ID, Name: t.Name, Color: t.Color})
	}
	return out, nil
}

// CreateTag creates a tag; color "" lets the API choose.
func (b *backend) CreateTag(ctx context.Context, name, color string) (inbox.Label, error) {
	t, err := b.c.CreateTag(ctx, labelCreate(name, color))
	if err != nil {
		return inbox.Label{}, err
	}
	return inbox.Label{ID: t.ID, Name: t.Name, Color: t.Color}, nil
}

// UpdateTag renames or recolors a tag; an empty update reads it.
func (b *backend) UpdateTag(ctx context.Context, id string, u inbox.LabelUpdate) (inbox.Label, error) {
	var (
		t   *Tag
		err error
	)
	if p := labelUpdate(u); p.Name.IsZero() && p.Color.IsZero() {
		t, err = b.c.Tag(ctx, id)
	} else {
		t, err = b.c.UpdateTag(ctx, id, p)
	}
	if err != nil {
		return inbox.Label{}, err
	}
	return inbox.Label{ID: t.ID, Name: t.Name, Color: t.Color}, nil
}

// DeleteTag deletes a tag and removes it from every prospect.
func (b *backend) DeleteTag(ctx context.Context, id string) error { return b.c.DeleteTag(ctx, id) }

// Statuses returns the team's statuses.
func (b *backend) Statuses(ctx context.Context) ([]inbox.Label, error) {
	ss, err := b.c.Statuses(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]inbox.Label, 0, len(ss))
	for _, s := range ss {
		out = append(out, statusLabel(&s))
	}
	return out, nil
}

func statusLabel(s *Status) inbox.Label {
	return inbox.Label{ID: s.ID, Name: s.Name, Color: deref(s.Color)}
}

// CreateStatus creates a status; color "" creates it without one.
func (b *backend) CreateStatus(ctx context.Context, name, color string) (inbox.Label, error) {
	s, err := b.c.CreateStatus(ctx, labelCreate(name, color))
	if err != nil {
		return inbox.Label{}, err
	}
	return statusLabel(s), nil
}

// UpdateStatus renames or recolors a status; Color.Clear() removes its color.
func (b *backend) UpdateStatus(ctx context.Context, id string, u inbox.LabelUpdate) (inbox.Label, error) {
	var (
		s   *Status
		err error
	)
	if p := labelUpdate(u); p.Name.IsZero() && p.Color.IsZero() {
		s, err = b.c.Status(ctx, id)
	} else {
		s, err = b.c.UpdateStatus(ctx, id, p)
	}
	if err != nil {
		return inbox.Label{}, err
	}
	return statusLabel(s), nil
}

// DeleteStatus deletes a status and clears it wherever it was used.
func (b *backend) DeleteStatus(ctx context.Context, id string) error {
	return b.c.DeleteStatus(ctx, id)
}

func labelCreate(name, color string) LabelCreate {
	p := LabelCreate{Name: name}
	if color != "" {
		p.Color = &color
	}
	return p
}

func labelUpdate(u inbox.LabelUpdate) LabelUpdate {
	var p LabelUpdate
	setNullable(&p.Name, u.Name)
	setNullable(&p.Color, u.Color)
	return p
}

func setNullable[T any](dst *apiclient.Nullable[T], c inbox.Change[T]) {
	if v, ok := c.Value(); ok {
		*dst = apiclient.Value(v)
	} else if c.Cleared() {
		*dst = apiclient.Null[T]()
	}
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
