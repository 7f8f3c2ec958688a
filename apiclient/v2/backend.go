package v2

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/inbox-mcp/inbox-mcp/apiclient"
	"github.com/inbox-mcp/inbox-mcp/inbox"
)

// backend is the inbox.Backend of API v2.
type backend struct {
	c *Client

	mu          sync.Mutex
	platforms   []string          // from GET /platforms, once it answered
	platformsAt time.Time         // when GET /platforms last failed
	accounts    map[string]string // account link ID -> platform
}

var _ inbox.Backend = (*backend)(nil)

// NewBackend returns the inbox.Backend of API v2 on c. Its errors are in the model's kinds:
// the client translates every failed call into an *inbox.Error of the kind its v2 code or
// HTTP status says, arguments refused before any request match inbox.ErrInvalidArgument,
// and what v2 cannot do wraps inbox.ErrUnsupported.
func NewBackend(c *Client) inbox.Backend {
	return &backend{c: c, accounts: map[string]string{}}
}

// APIVersion returns "v2".
func (b *backend) APIVersion() string { return "v2" }

// platformsTimeout bounds the one GET /platforms that Features may make.
const platformsTimeout = 10 * time.Second

// Features reports v2's optional features. The platform list comes from GET /platforms,
// asked once and kept; until that answers, it is the one platform every team has.
func (b *backend) Features() inbox.Features {
	ctx, cancel := context.WithTimeout(context.Background(), platformsTimeout)
	defer cancel()
	return inbox.Features{ThreadSearch: true, Unread: true, Capabilities: true, RecordAssignee: true, IdempotentSends: true, Platforms: b.platformList(ctx)}
}

// platformRetry is how long a failed GET /platforms is not asked again, so that an API
// that is down does not slow every Features call.
const platformRetry = time.Minute

// platformList returns the team's platforms, asking the API on first use. Until it
// answers, the list is the one platform every team has.
func (b *backend) platformList(ctx context.Context) []string {
	b.mu.Lock()
	cached, failedAt := b.platforms, b.platformsAt
	b.mu.Unlock()
	if cached != nil {
		return append([]string(nil), cached...)
	}
	if !failedAt.IsZero() && time.Since(failedAt) < platformRetry {
		return []string{"twitter"}
	}
	ps, err := b.c.Platforms(ctx)
	if err != nil || len(ps) == 0 {
		b.mu.Lock()
		b.platformsAt = time.Now()
		b.mu.Unlock()
		return []string{"twitter"}
	}
	names := make([]string, 0, len(ps))
	for _, p := range ps {
		names = append(names, p.Platform)
	}
	b.mu.Lock()
	b.platforms = names
	b.mu.Unlock()
	return append([]string(nil), names...)
}

// accountPlatform returns the platform of an account link, asking the API once per link.
func (b *backend) accountPlatform(ctx context.Context, accountID string) (string, error) {
	b.mu.Lock()
	p, ok := b.accounts[accountID]
	b.mu.Unlock()
	if ok {
		return p, nil
	}
	a, err := b.c.GetAccountLink(ctx, accountID)
	if err != nil {
		return "", err
	}
	b.rememberAccount(a)
	return a.Platform, nil
}

func (b *backend) rememberAccount(a AccountLink) {
	b.mu.Lock()
	b.accounts[a.ID] = a.Platform
	b.mu.Unlock()
}

// Team returns the token's team.
func (b *backend) Team(ctx context.Context) (inbox.Team, error) {
	t, err := b.c.Team(ctx)
	if err != nil {
		return inbox.Team{}, err
	}
	return inbox.Team{ID: t.ID, Name: t.Name, Slug: t.Slug, Currency: t.Currency}, nil
}

// Accounts returns every account link, with its capabilities.
func (b *backend) Accounts(ctx context.Context) ([]inbox.Account, error) {
	var out []inbox.Account
	for a, err := range b.c.AllAccountLinks(ctx, AccountLinkQuery{}) {
		if err != nil {
			return out, err
		}
		b.rememberAccount(a)
		out = append(out, accountFrom(a))
	}
	return out, nil
}

// Members returns every member of the team.
func (b *backend) Members(ctx context.Context) ([]inbox.Member, error) {
	var out []inbox.Member
	for m, err := range b.c.AllMembers(ctx) {
		if err != nil {
			return out, err
		}
		out = append(out, memberFrom(m))
	}
	return out, nil
}

// Tags returns every tag.
func (b *backend) Tags(ctx context.Context) ([]inbox.Label, error) {
	ts, err := b.c.ListTags(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]inbox.Label, 0, len(ts))
	for _, t := range ts {
		out = append(out, tagLabel(t))
	}
	return out, nil
}

// CreateTag creates a tag; color "" lets the API pick one from its palette.
func (b *backend) CreateTag(ctx context.Context, name, color string) (inbox.Label, error) {
	t, err := b.c.CreateTag(ctx, TagCreate{Name: name, Color: color})
	return tagLabel(t), err
}

// UpdateTag renames or recolors a tag. A v2 tag always has a color, so clearing it is
// refused (wrapping inbox.ErrUnsupported) before any request.
func (b *backend) UpdateTag(ctx context.Context, id string, u inbox.LabelUpdate) (inbox.Label, error) {
	if u.Color.Cleared() {
		return inbox.Label{}, fmt.Errorf("%w: a tag always has a color in Inbox API v2; choose another color (a palette name or #rrggbb) instead of removing it", inbox.ErrUnsupported)
	}
	var p TagPatch
	if name, ok := u.Name.Value(); ok {
		if strings.TrimSpace(name) == "" {
			return inbox.Label{}, errInvalid("the new tag name is empty")
		}
		p.Name = name
	}
	if color, ok := u.Color.Value(); ok {
		p.Color = color
	}
	if p == (TagPatch{}) {
		t, err := b.c.GetTag(ctx, id)
		return tagLabel(t), err
	}
	t, err := b.c.UpdateTag(ctx, id, p)
	return tagLabel(t), err
}

// DeleteTag deletes a tag.
func (b *backend) DeleteTag(ctx context.Context, id string) error { return b.c.DeleteTag(ctx, id) }

// Statuses returns every status in board order.
func (b *backend) Statuses(ctx context.Context) ([]inbox.Label, error) {
	ss, err := b.c.ListStatuses(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]inbox.Label, 0, len(ss))
	for _, s := range ss {
		out = append(out, statusLabel(s))
	}
	return out, nil
}

// CreateStatus creates a status; color "" creates it without a color.
func (b *backend) CreateStatus(ctx context.Context, name, color string) (inbox.Label, error) {
	sc := StatusCreate{Name: name}
	if color != "" {
		sc.Color = apiclient.Value(color)
	}
	s, err := b.c.CreateStatus(ctx, sc)
	return statusLabel(s), err
}

// UpdateStatus renames or recolors a status; Color.Clear() removes its color.
func (b *backend) UpdateStatus(ctx context.Context, id string, u inbox.LabelUpdate) (inbox.Label, error) {
	var p StatusPatch
	if name, ok := u.Name.Value(); ok {
		if strings.TrimSpace(name) == "" {
			return inbox.Label{}, errInvalid("the new status name is empty")
		}
		p.Name = name
	}
	switch color, ok := u.Color.Value(); {
	case ok:
		p.Color = apiclient.Value(color)
	case u.Color.Cleared():
		p.Color = apiclient.Null[string]()
	}
	if p.Name == "" && p.Color.IsZero() {
		s, err := b.c.GetStatus(ctx, id)
		return statusLabel(s), err
	}
	s, err := b.c.UpdateStatus(ctx, id, p)
	return statusLabel(s), err
}

// DeleteStatus deletes a status.
func (b *backend) DeleteStatus(ctx context.Context, id string) error {
	return b.c.DeleteStatus(ctx, id)
}
