package v1

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/inbox-mcp/inbox-mcp/inbox"
)

// isAccount reports whether an author ID names one of the team's accounts. The account
// links are read at most every accountsMinInterval: only authors that are neither the
// thread's account nor its prospect (legacy IDs) get here.
func (b *backend) isAccount(ctx context.Context, authorID string) (bool, error) {
	b.mu.Lock()
	ids, age := b.accountIDs, time.Since(b.accountsAt)
	b.mu.Unlock()
	if ids != nil && (ids[authorID] || age < accountsMinInterval) && age < accountsTTL {
		return ids[authorID], nil
	}
	links, err := b.c.AccountLinks(ctx)
	if err != nil {
		return false, err
	}
	b.rememberAccounts(links)
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.accountIDs[authorID], nil
}

// direction tells who wrote a message: the team when the author is the thread's account
// (or another of the team's accounts), or when a teammate or a campaign sent it; the
// prospect otherwise.
func (b *backend) direction(ctx context.Context, ti threadInfo, authorID string, userID, campaignID *string) (inbox.Direction, error) {
	switch {
	case authorID == ti.accountID || deref(userID) != "" || deref(campaignID) != "":
		return inbox.Outbound, nil
	case authorID != "" && (authorID == ti.prospectID || authorID == ti.prospectPlatformID):
		return inbox.Inbound, nil
	}
	ours, err := b.isAccount(ctx, authorID)
	if err != nil {
		return "", err
	}
	if ours {
		return inbox.Outbound, nil
	}
	return inbox.Inbound, nil
}

func infoOf(t *Thread) threadInfo {
	return threadInfo{accountID: t.AccountLinkID, prospectID: deref(t.Prospect.ExternalID), prospectPlatformID: t.Prospect.PlatformID}
}

func (b *backend) rememberThread(t *Thread) threadInfo {
	ti := infoOf(t)
	b.mu.Lock()
	if len(b.threads) >= maxThreadInfo {
		clear(b.threads)
	}
	b.threads[t.ID] = ti
	b.mu.Unlock()
	return ti
}

// threadInfoOf returns what is known of a thread, reading it once if it was never seen.
func (b *backend) threadInfoOf(ctx context.Context, threadID string) (threadInfo, error) {
	b.mu.Lock()
	ti, ok := b.threads[threadID]
	b.mu.Unlock()
	if ok {
		return ti, nil
	}
	t, err := b.c.GetThread(ctx, threadID)
	if err != nil {
		return threadInfo{}, err
	}
	return b.rememberThread(t), nil
}

// thread converts a v1 thread, classifying its last message.
func (b *backend) thread(ctx context.Context, t *Thread) (inbox.Thread, error) {
	ti := b.rememberThread(t)
	out := inbox.Thread{
		ID:            t.ID,
		Platform:      string(t.Platform),
		PlatformID:    t.PlatformID,
		AccountID:     t.AccountLinkID,
		Done:          t.Done,
		AssigneeID:    deref(t.AssigneeID),
		Idle:          t.Status == ThreadIdle,
		Variant:       string(t.Variant),
		IsRequest:     t.IsRequest,
		CreatedAt:     t.CreatedAt,
		LastMessageAt: deref(t.LastMessageTimestamp),
		Prospect:      prospectFrom(&t.Prospect),
		Restrictions:  []string{},
		SortAt:        sortAt(t),
	}
	if t.Variant != VariantXChat {
		out.Restrictions = append(out.Restrictions, xChatOnly...)
	}
	if lm := t.LastMessage; lm != nil {
		dir, err := b.direction(ctx, ti, lm.AuthorID, lm.UserID, lm.CampaignID)
		if err != nil {
			return inbox.Thread{}, err
		}
		out.LastMessage = &inbox.MessageSummary{ID: lm.ID, Content: lm.Content, Direction: dir, CreatedAt: lm.CreatedAt,
			UserID: deref(lm.UserID), CampaignID: deref(lm.CampaignID)}
		if out.LastMessageAt.IsZero() {
			out.LastMessageAt = lm.CreatedAt
		}
	}
	return out, nil
}

func (b *backend) convertThreads(ctx context.Context, ts []Thread) ([]inbox.Thread, error) {
	out := make([]inbox.Thread, 0, len(ts))
	for i := range ts {
		t, err := b.thread(ctx, &ts[i])
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

// ListThreads returns one page of threads. Free-text search and the unread filter do not
// exist in v1: asking for them fails with inbox.ErrUnsupported rather than being ignored.
// v1 has no "all" view: inbox.ViewAll merges the views that partition the inbox (listAll).
func (b *backend) ListThreads(ctx context.Context, q inbox.ThreadQuery, cursor string, limit int) (inbox.Page[inbox.Thread], error) {
	var out inbox.Page[inbox.Thread]
	if err := checkLimit(limit); err != nil {
		return out, err
	}
	if strings.TrimSpace(q.Text) != "" {
		return out, fmt.Errorf("%w: Inbox API v1 cannot search threads by text; filter by view, account, tags, status or assignee instead", inbox.ErrUnsupported)
	}
	if q.Unread != nil {
		return out, fmt.Errorf("%w: Inbox API v1 does not track whether a thread was read", inbox.ErrUnsupported)
	}
	p := listParams(q, limit)
	switch q.View {
	case "":
	case inbox.ViewDefault, inbox.ViewNoReply, inbox.ViewRequests, inbox.ViewArchived:
		p.Inbox = InboxView(q.View)
	case inbox.ViewAll:
		return b.listAll(ctx, p, cursor)
	default:
		return out, errInvalid(fmt.Sprintf("unknown inbox view %q: use default, no-reply, requests, archived or all", q.View))
	}
	cur, err := ParseCursor(cursor)
	if err != nil {
		return out, err
	}
	p.Cursor = cur
	page, err := b.c.ListThreads(ctx, p)
	if err != nil {
		return out, err
	}
	if out.Items, err = b.convertThreads(ctx, page.Threads); err != nil {
		return inbox.Page[inbox.Thread]{}, err
	}
	out.Next = page.NextCursor.token()
	return out, nil
}

// listParams is a query's filters, order and page size as v1 takes them, without a view.
func listParams(q inbox.ThreadQuery, limit int) ThreadListParams {
	p := ThreadListParams{
		AccountLinkIDs: q.AccountIDs,
		Filters: ThreadFilters{
			Tags:      IDFilter{SelectedIDs: q.TagIDs, None: q.NoTags},
			Statuses:  IDFilter{SelectedIDs: q.StatusIDs, None: q.NoStatus},
			Assignees: IDFilter{SelectedIDs: q.AssigneeIDs, None: q.NoAssignee},
			Campaigns: IDFilter{SelectedIDs: q.CampaignIDs, None: q.NoCampaign},
		},
		Limit: limit,
	}
	if q.Ascending {
		p.Filters.SortOrder = SortAsc
	}
	return p
}

// GetThread returns one thread with its prospect.
func (b *backend) GetThread(ctx context.Context, id string) (inbox.Thread, error) {
	t, err := b.c.GetThread(ctx, id)
	if err != nil {
		return inbox.Thread{}, err
	}
	return b.thread(ctx, t)
}

// UpdateThread archives or reopens a thread and sets or clears its assignee; an empty
// update reads the thread.
func (b *backend) UpdateThread(ctx context.Context, id string, u inbox.ThreadUpdate) (inbox.Thread, error) {
	var p ThreadUpdate
	if done, ok := u.Done.Value(); ok {
		p.Done = &done
	}
	setNullable(&p.AssigneeID, u.Assignee)
	if p.Done == nil && p.AssigneeID.IsZero() {
		return b.GetThread(ctx, id)
	}
	t, err := b.c.UpdateThread(ctx, id, p)
	if err != nil {
		return inbox.Thread{}, err
	}
	return b.thread(ctx, t)
}

// ThreadsWithUsername returns every thread with the person whose username matches, without
// regard to case or a leading @. v1 matches usernames exactly, and X stores them in lower
// case, so a miss with capitals is asked again in lower case.
func (b *backend) ThreadsWithUsername(ctx context.Context, username string) ([]inbox.Thread, error) {
	ts, err := b.threadsWithUsername(ctx, username, nil)
	if err != nil {
		return nil, err
	}
	return b.convertThreads(ctx, ts)
}

func (b *backend) threadsWithUsername(ctx context.Context, username string, accountIDs []string) ([]Thread, error) {
	username = strings.TrimPrefix(strings.TrimSpace(username), "@")
	if username == "" {
		return nil, errInvalid("the username is empty: pass the person's X username, e.g. jordanrivera")
	}
	ts, err := b.c.LookupThreadsByUsername(ctx, username, accountIDs)
	if err == nil && len(ts) == 0 && strings.ToLower(username) != username {
		ts, err = b.c.LookupThreadsByUsername(ctx, strings.ToLower(username), accountIDs)
	}
	if err != nil {
		return nil, err
	}
	kept := ts[:0]
	for _, t := range ts {
		if strings.EqualFold(strings.TrimPrefix(t.Prospect.Username, "@"), username) {
			kept = append(kept, t)
		}
	}
	return kept, nil
}

// FindThread returns the thread between an account and a person, or nil.
func (b *backend) FindThread(ctx context.Context, accountID string, who inbox.PersonRef) (*inbox.Thread, error) {
	var (
		t   *Thread
		err error
	)
	switch {
	case who.ID != "":
		t, err = b.c.LookupThread(ctx, accountID, ProspectRef{ExternalID: who.ID})
	case who.PlatformID != "":
		t, err = b.c.LookupThread(ctx, accountID, ProspectRef{ExternalPlatformID: who.PlatformID})
	case who.Username != "":
		if err := checkID("accountLinkId", accountID); err != nil {
			return nil, err
		}
		var ts []Thread
		ts, err = b.threadsWithUsername(ctx, who.Username, []string{accountID})
		for i := range ts {
			if ts[i].AccountLinkID == accountID {
				t = &ts[i]
				break
			}
		}
	default:
		return nil, errInvalid("no person given: pass their prospect ID, X user ID or username")
	}
	if err != nil || t == nil {
		return nil, err
	}
	out, err := b.thread(ctx, t)
	if err != nil {
		return nil, err
	}
	return &out, nil
}
