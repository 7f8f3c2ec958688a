package v2

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/inbox-mcp/inbox-mcp/apiclient"
	"github.com/inbox-mcp/inbox-mcp/inbox"
)

// threadExpand embeds what an inbox.Thread shows of the person: their profile and the
// team's contact record.
var threadExpand = []string{ExpandThreadProfile, ExpandThreadContact}

// maxScanPages bounds how many pages ListThreads reads looking for a thread that passes a
// filter v2 cannot apply itself.
const maxScanPages = 50

func folderOf(v inbox.View) (string, error) {
	switch v {
	case "":
		return "", nil
	case inbox.ViewDefault:
		return FolderInbox, nil
	case inbox.ViewNoReply:
		return FolderNoReply, nil
	case inbox.ViewRequests:
		return FolderRequests, nil
	case inbox.ViewArchived:
		return FolderArchived, nil
	case inbox.ViewAll:
		return FolderAll, nil
	}
	return "", errInvalid(fmt.Sprintf("unknown inbox view %q: use default, no-reply, requests, archived or all", v))
}

// threadFilter translates a neutral query into GET /threads filters, plus a predicate for
// what v2 cannot filter server-side: the unread state, "no tags", "no status", and
// "assigned to one of these or to no one".
func threadFilter(q inbox.ThreadQuery) (ThreadFilter, func(Thread) bool, error) {
	folder, err := folderOf(q.View)
	if err != nil {
		return ThreadFilter{}, nil, err
	}
	if q.NoCampaign {
		return ThreadFilter{}, nil, fmt.Errorf("%w: Inbox API v2 cannot list the threads no campaign messaged; filter by a campaign ID, view, tags or status instead", inbox.ErrUnsupported)
	}
	f := ThreadFilter{
		AccountLinkIDs: q.AccountIDs,
		Folder:         folder,
		CampaignIDs:    q.CampaignIDs,
		Q:              strings.TrimSpace(q.Text),
		Expand:         threadExpand,
	}
	if q.Ascending {
		f.Order = "asc"
	}
	var preds []func(Thread) bool
	switch {
	case q.NoTags:
		// "Any of these tags, or none" needs the contact's tags, so it is filtered here.
		ids := q.TagIDs
		preds = append(preds, func(t Thread) bool {
			tags := contactOf(t).TagIDs
			return len(tags) == 0 || slices.ContainsFunc(tags, func(id string) bool { return slices.Contains(ids, id) })
		})
	default:
		f.Tags = q.TagIDs
	}
	switch {
	case q.NoStatus:
		ids := q.StatusIDs
		preds = append(preds, func(t Thread) bool {
			s := deref(contactOf(t).StatusID)
			return s == "" || slices.Contains(ids, s)
		})
	default:
		f.Statuses = q.StatusIDs
	}
	switch {
	case q.NoAssignee && len(q.AssigneeIDs) > 0:
		// v2 refuses assigneeId with unassigned=true; ask for everything and filter.
		ids := q.AssigneeIDs
		preds = append(preds, func(t Thread) bool {
			a := deref(t.AssigneeID)
			return a == "" || slices.Contains(ids, a)
		})
	case q.NoAssignee:
		f.Unassigned = true
	default:
		f.AssigneeIDs = q.AssigneeIDs
	}
	if q.Unread != nil {
		want := *q.Unread
		preds = append(preds, func(t Thread) bool { return t.Unread == want })
	}
	if len(preds) == 0 {
		return f, nil, nil
	}
	return f, func(t Thread) bool {
		for _, p := range preds {
			if !p(t) {
				return false
			}
		}
		return true
	}, nil
}

func contactOf(t Thread) Contact {
	if t.Contact != nil {
		return *t.Contact
	}
	return Contact{}
}

// ListThreads returns one page of threads. Filters v2 lacks are applied to each page as it
// comes, so a page may hold fewer than limit threads; its cursor still resumes right after
// it (each server page is consumed whole). Pages with no match are skipped, up to
// maxScanPages, after which the call fails rather than pretend the listing ended.
func (b *backend) ListThreads(ctx context.Context, q inbox.ThreadQuery, cursor string, limit int) (inbox.Page[inbox.Thread], error) {
	var out inbox.Page[inbox.Thread]
	if limit < 1 || limit > MaxLimit {
		return out, errInvalid(fmt.Sprintf("page size %d is out of range: use 1 to %d", limit, MaxLimit))
	}
	f, keep, err := threadFilter(q)
	if err != nil {
		return out, err
	}
	f.Cursor, f.Limit = cursor, limit
	for scanned := 1; ; scanned++ {
		p, err := b.c.ListThreads(ctx, f)
		if err != nil {
			return out, err
		}
		for _, t := range p.Data {
			if keep == nil || keep(t) {
				out.Items = append(out.Items, threadFrom(t))
			}
		}
		out.Next = p.NextCursor
		if len(out.Items) > 0 || p.NextCursor == "" {
			return out, nil
		}
		if scanned >= maxScanPages {
			return out, errInvalid(fmt.Sprintf("no thread matched in %d pages of %d; narrow the query (a view, an account, tags or a search text) and try again", scanned, limit))
		}
		f.Cursor = p.NextCursor
	}
}

// GetThread returns one thread with its person.
func (b *backend) GetThread(ctx context.Context, id string) (inbox.Thread, error) {
	t, err := b.c.GetThread(ctx, id, threadExpand...)
	if err != nil {
		return inbox.Thread{}, err
	}
	return threadFrom(t), nil
}

// UpdateThread archives or reopens a thread and sets its assignee. In v2, clearing a
// thread's assignee falls back to its contact's default assignee, if any.
func (b *backend) UpdateThread(ctx context.Context, id string, u inbox.ThreadUpdate) (inbox.Thread, error) {
	var p ThreadPatch
	changed := false
	if done, ok := u.Done.Value(); ok {
		p.Archived, changed = &done, true
	}
	switch a, ok := u.Assignee.Value(); {
	case ok:
		p.AssigneeID, changed = apiclient.Value(a), true
	case u.Assignee.Cleared():
		p.AssigneeID, changed = apiclient.Null[string](), true
	}
	if changed {
		if _, err := b.c.UpdateThread(ctx, id, p); err != nil {
			return inbox.Thread{}, err
		}
	}
	// The PATCH answer carries no expansions; read the thread back with its person.
	return b.GetThread(ctx, id)
}

// allThreads collects the threads matching f (up to max), keeping those keep accepts.
func (b *backend) allThreads(ctx context.Context, f ThreadFilter, max int, keep func(Thread) bool) ([]Thread, error) {
	var out []Thread
	for t, err := range b.c.AllThreads(ctx, f, max) {
		if err != nil {
			return out, err
		}
		if keep == nil || keep(t) {
			out = append(out, t)
		}
	}
	return out, nil
}

// contactsByIdentity finds contacts by platform ID or username on the given platforms.
func (b *backend) contactsByIdentity(ctx context.Context, platforms []string, platformID, username string) ([]Contact, error) {
	var out []Contact
	for _, p := range platforms {
		q := ContactQuery{Platform: p}
		if platformID != "" {
			q.PlatformIDs = []string{platformID}
		} else {
			// The document does not say whether usernames match ignoring case; asking for
			// the name as given and in lower case (one request) finds either way.
			q.Usernames = []string{username}
			if l := strings.ToLower(username); l != username {
				q.Usernames = append(q.Usernames, l)
			}
		}
		for c, err := range b.c.AllContacts(ctx, q) {
			if err != nil {
				return out, err
			}
			out = append(out, c)
		}
	}
	return out, nil
}

// maxSearchThreads bounds the free-text fallback of username lookups.
const maxSearchThreads = 500

// threadsOfPerson returns the threads (all folders) whose profile matches, with the
// person's contacts found by identity; when the identity lookup finds nothing and a
// username is given, a free-text search over usernames makes up for a case-sensitive
// match in the API.
func (b *backend) threadsOfPerson(ctx context.Context, accountIDs, platforms []string, platformID, username string) ([]Thread, error) {
	match := func(t Thread) bool {
		if t.Profile == nil {
			return false
		}
		if platformID != "" {
			return t.Profile.PlatformID == platformID
		}
		return strings.EqualFold(t.Profile.Username, username)
	}
	contacts, err := b.contactsByIdentity(ctx, platforms, platformID, username)
	if err != nil {
		return nil, err
	}
	var out []Thread
	seen := map[string]bool{}
	for chunk := range slices.Chunk(contacts, MaxLimit) {
		ids := make([]string, 0, len(chunk))
		for _, c := range chunk {
			ids = append(ids, c.ID)
		}
		ts, err := b.allThreads(ctx, ThreadFilter{AccountLinkIDs: accountIDs, ContactIDs: ids, Folder: FolderAll, Expand: threadExpand}, 0, match)
		if err != nil {
			return out, err
		}
		for _, t := range ts {
			if !seen[t.ID] {
				seen[t.ID] = true
				out = append(out, t)
			}
		}
	}
	if len(out) > 0 || username == "" {
		return out, nil
	}
	return b.allThreads(ctx, ThreadFilter{AccountLinkIDs: accountIDs, Folder: FolderAll, Q: username, Expand: threadExpand}, maxSearchThreads, match)
}

// ThreadsWithUsername returns every thread with the person of that username
// (case-insensitive, without @), across the team's accounts and platforms.
func (b *backend) ThreadsWithUsername(ctx context.Context, username string) ([]inbox.Thread, error) {
	u := strings.TrimPrefix(strings.TrimSpace(username), "@")
	if u == "" {
		return nil, errInvalid("the username is empty: pass it without @, such as sarahchen")
	}
	ts, err := b.threadsOfPerson(ctx, nil, b.platformList(ctx), "", u)
	if err != nil {
		return nil, err
	}
	out := make([]inbox.Thread, 0, len(ts))
	for _, t := range ts {
		out = append(out, threadFrom(t))
	}
	return out, nil
}

// FindThread returns the thread between an account and a person, or nil.
func (b *backend) FindThread(ctx context.Context, accountID string, who inbox.PersonRef) (*inbox.Thread, error) {
	if accountID == "" {
		return nil, errInvalid("the account is empty: pass the ID of one of the team's accounts")
	}
	var ts []Thread
	var err error
	switch {
	case who.ID != "":
		ts, err = b.allThreads(ctx, ThreadFilter{AccountLinkIDs: []string{accountID}, ContactIDs: []string{who.ID}, Folder: FolderAll, Expand: threadExpand, Limit: 1}, 1, nil)
	case who.PlatformID != "" || who.Username != "":
		platform, perr := b.accountPlatform(ctx, accountID)
		if perr != nil {
			return nil, perr
		}
		ts, err = b.threadsOfPerson(ctx, []string{accountID}, []string{platform}, who.PlatformID, strings.TrimPrefix(strings.TrimSpace(who.Username), "@"))
	default:
		return nil, errInvalid("name the person by contact ID, platform user ID or username")
	}
	if err != nil || len(ts) == 0 {
		return nil, err
	}
	t := threadFrom(ts[0])
	return &t, nil
}
