package msgcache

import (
	"context"

	"github.com/inbox-mcp/inbox-mcp/inbox"
)

// Backend is an inbox.Backend whose message reads go through a [Cache]: see the package
// documentation. Methods it does not override pass through to the wrapped backend.
type Backend struct {
	inbox.Backend
	c    *Cache
	team string
}

// ListThreads passes through, noting each thread's last message.
func (b *Backend) ListThreads(ctx context.Context, q inbox.ThreadQuery, cursor string, limit int) (inbox.Page[inbox.Thread], error) {
	p, err := b.Backend.ListThreads(ctx, q, cursor, limit)
	for _, t := range p.Items {
		b.c.observe(b.team, t)
	}
	return p, err
}

// GetThread passes through, noting the thread's last message.
func (b *Backend) GetThread(ctx context.Context, id string) (inbox.Thread, error) {
	t, err := b.Backend.GetThread(ctx, id)
	if err == nil {
		b.c.observe(b.team, t)
	}
	return t, err
}

// ThreadsWithUsername passes through, noting each thread's last message.
func (b *Backend) ThreadsWithUsername(ctx context.Context, username string) ([]inbox.Thread, error) {
	ts, err := b.Backend.ThreadsWithUsername(ctx, username)
	for _, t := range ts {
		b.c.observe(b.team, t)
	}
	return ts, err
}

// FindThread passes through, noting the thread's last message.
func (b *Backend) FindThread(ctx context.Context, accountID string, who inbox.PersonRef) (*inbox.Thread, error) {
	t, err := b.Backend.FindThread(ctx, accountID, who)
	if t != nil {
		b.c.observe(b.team, *t)
	}
	return t, err
}

// ListMessages answers from the cache when a listing recently reported the thread's last
// message and the page was read since; otherwise it reads the API and keeps the page.
func (b *Backend) ListMessages(ctx context.Context, threadID, cursor string, limit int) (inbox.Page[inbox.Message], error) {
	if bypassed(ctx) {
		return b.Backend.ListMessages(ctx, threadID, cursor, limit)
	}
	page, hit, pk, gen, ok := b.c.lookup(b.team, threadID, cursor, limit)
	if hit {
		return page, nil
	}
	page, err := b.Backend.ListMessages(ctx, threadID, cursor, limit)
	if err == nil && ok {
		b.c.store(b.team, threadID, pk, gen, page)
	}
	return page, err
}

// Send passes through and drops the thread's pages and key, whatever the outcome: a send
// whose outcome is unknown may have landed. A send whose thread is not known drops the
// team's.
func (b *Backend) Send(ctx context.Context, r inbox.SendRequest) inbox.SendResult {
	res := b.Backend.Send(ctx, r)
	switch {
	case res.ThreadID != "":
		b.c.invalidate(b.team, res.ThreadID, true)
		if r.ThreadID != "" && r.ThreadID != res.ThreadID {
			b.c.invalidate(b.team, r.ThreadID, true)
		}
	case r.ThreadID != "":
		b.c.invalidate(b.team, r.ThreadID, true)
	default:
		b.c.invalidateTeam(b.team)
	}
	return res
}

// EditMessage passes through and drops the thread's pages, even on an error (the edit may
// have been applied although its answer was lost).
func (b *Backend) EditMessage(ctx context.Context, threadID, messageID, content string) error {
	defer b.c.invalidate(b.team, threadID, false)
	return b.Backend.EditMessage(ctx, threadID, messageID, content)
}

// DeleteMessage passes through and drops the thread's pages, even on an error.
func (b *Backend) DeleteMessage(ctx context.Context, threadID, messageID string) error {
	defer b.c.invalidate(b.team, threadID, true)
	return b.Backend.DeleteMessage(ctx, threadID, messageID)
}

// React passes through and drops the thread's pages, even on an error.
func (b *Backend) React(ctx context.Context, threadID, messageID, emoji string, add bool) error {
	defer b.c.invalidate(b.team, threadID, false)
	return b.Backend.React(ctx, threadID, messageID, emoji, add)
}
