package store

import (
	"context"
	"database/sql"
	"slices"
	"sort"
	"strings"
	"time"
)

// v2 thread folders (GET /threads folder=).
const (
	FolderInbox    = "inbox"
	FolderNoReply  = "noReply"
	FolderRequests = "requests"
	FolderArchived = "archived"
	FolderAll      = "all"
)

// V2Folders are the folders of v2's thread listing.
var V2Folders = []string{FolderInbox, FolderNoReply, FolderRequests, FolderArchived, FolderAll}

// FolderCondition is the SQL condition of a folder. inbox, requests and archived partition the
// live threads, and "all" spans exactly those folders (as the document says), each thread once.
// Idle threads (v1's quick peeks, hidden from v1's views too) are in no folder, so not in "all"
// either: they can still be read by ID.
func FolderCondition(folder string) string {
	switch folder {
	case FolderNoReply:
		return `t.status = 'active' AND t.done = 0 AND t.is_request = 0 AND t.last_inbound = 1`
	case FolderRequests:
		return `t.status = 'active' AND t.done = 0 AND t.is_request = 1`
	case FolderArchived:
		return `t.status = 'active' AND t.done = 1`
	case FolderAll:
		return `t.status = 'active'`
	}
	return `t.status = 'active' AND t.done = 0 AND t.is_request = 0`
}

// V2ThreadQuery is a GET /threads request in store terms. Contacts are given by their primary
// profile, tags and statuses by ID.
type V2ThreadQuery struct {
	Folder         string
	AccountLinkIDs []string
	Platforms      []string
	Primaries      []string
	TagIDs         []string
	StatusIDs      []string
	AssigneeIDs    []string
	Unassigned     bool
	CampaignIDs    []string
	Q              string
	Asc            bool
	Limit          int
	After          *Cursor
}

// V2ThreadRow is a thread as v2 presents it, before expansion.
type V2ThreadRow struct {
	Src                                               *V2Src
	ID, PlatformID, AccountLinkID, ProfileID, Primary string
	Status, Variant                                   string
	Done, IsRequest, Syncing, Unread, LastInbound     bool
	OwnAssignee, ContactAssignee, CampaignID          *string
	TypingEnabled                                     *bool
	SortAt, CreatedAt                                 time.Time
	LastMessageID                                     *string
	LastMessageAt                                     *time.Time
	LastContent                                       *string
	LastDeleted                                       bool
	LastReactions                                     []Reaction
}

// Assignee is the thread's own assignee, else its contact's default.
func (t *V2ThreadRow) Assignee() *string {
	if t.OwnAssignee != nil {
		return t.OwnAssignee
	}
	return t.ContactAssignee
}

func (src *V2Src) threadSelect(withProfile bool) string {
	q := `SELECT t.id, t.platform_id, t.account_link_id, t.prospect_id, ` + src.primaryExpr() + `,
		t.status, t.variant, t.done, t.is_request, t.is_syncing, coalesce(u.unread, 0), t.last_inbound,
		t.assignee_id, cv.assignee_id, t.campaign_id, t.typing_enabled, t.sort_at, t.created_at,
		t.last_message_id, t.last_message_at, m.content, m.deleted_at, m.reactions
		FROM ` + src.threads + ` t LEFT JOIN ` + src.messages + ` m ON m.id = t.last_message_id` + src.contactJoin() + `
		LEFT JOIN contacts_v2 cv ON cv.primary_id = ` + src.primaryExpr() + `
		LEFT JOIN thread_marks u ON u.thread_id = t.id`
	if withProfile {
		q += ` JOIN ` + src.profiles + ` p ON p.id = t.prospect_id`
	}
	return q
}

func (src *V2Src) scanThreads(rows *sql.Rows) ([]V2ThreadRow, error) {
	defer rows.Close()
	var out []V2ThreadRow
	for rows.Next() {
		t := V2ThreadRow{Src: src}
		var done, req, sync, unread, lastIn int64
		var own, contactAssignee, campaign, lastID, content sql.NullString
		var typing, lastAt, deleted sql.NullInt64
		var reactions sql.NullString
		var sortAt, created int64
		if err := rows.Scan(&t.ID, &t.PlatformID, &t.AccountLinkID, &t.ProfileID, &t.Primary, &t.Status, &t.Variant,
			&done, &req, &sync, &unread, &lastIn, &own, &contactAssignee, &campaign, &typing, &sortAt, &created,
			&lastID, &lastAt, &content, &deleted, &reactions); err != nil {
			return nil, err
		}
		t.Done, t.IsRequest, t.Syncing, t.Unread, t.LastInbound = done != 0, req != 0, sync != 0, unread != 0, lastIn != 0
		t.OwnAssignee, t.ContactAssignee, t.CampaignID = Strp(own), Strp(contactAssignee), Strp(campaign)
		t.TypingEnabled = boolp(typing)
		t.SortAt, t.CreatedAt = FromMillis(sortAt), FromMillis(created)
		t.LastMessageID, t.LastMessageAt, t.LastContent = Strp(lastID), timep(lastAt), Strp(content)
		t.LastDeleted = deleted.Valid
		t.LastReactions = decodeReactions(reactions.String)
		out = append(out, t)
	}
	return out, rows.Err()
}

// likePattern makes a LIKE pattern matching s anywhere, with its wildcards escaped.
func likePattern(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(s) + "%"
}

func addIn(where []string, args []any, expr string, vals []string) ([]string, []any) {
	if len(vals) == 0 {
		return where, args
	}
	for _, v := range vals {
		args = append(args, v)
	}
	return append(where, expr+` IN (`+placeholders(len(vals))+`)`), args
}

// V2ListThreads returns one page of threads of every platform the query allows, in inbox
// order: each source is walked on its own (a keyset walk on (sort_at, id), like v1) and the
// pages are merged, so the cursor of the merged page is valid for every source.
func (s *Store) V2ListThreads(ctx context.Context, teamID string, q V2ThreadQuery) ([]V2ThreadRow, bool, error) {
	limit := q.Limit
	var all []V2ThreadRow
	for _, src := range v2Sources {
		if len(q.Platforms) > 0 && !slices.Contains(q.Platforms, src.Platform) {
			continue
		}
		where := []string{`t.team_id = ?`, `t.deleted_at IS NULL`, FolderCondition(q.Folder)}
		args := []any{teamID}
		where, args = addIn(where, args, `t.account_link_id`, q.AccountLinkIDs)
		where, args = addIn(where, args, src.primaryExpr(), q.Primaries)
		where, args = addIn(where, args, `t.campaign_id`, q.CampaignIDs)
		where, args = addIn(where, args, src.statusExpr(), q.StatusIDs)
		where, args = addIn(where, args, `coalesce(t.assignee_id, cv.assignee_id)`, q.AssigneeIDs)
		if q.Unassigned {
			where = append(where, `coalesce(t.assignee_id, cv.assignee_id) IS NULL`)
		}
		if len(q.TagIDs) > 0 {
			cond, times := src.tagCondition(len(q.TagIDs))
			where = append(where, cond)
			for range times {
				for _, id := range q.TagIDs {
					args = append(args, id)
				}
			}
		}
		withProfile := q.Q != "" || len(q.StatusIDs) > 0
		if q.Q != "" {
			like := likePattern(q.Q)
			where = append(where, `(p.display_name LIKE ? ESCAPE '\' OR p.username LIKE ? ESCAPE '\' OR m.content LIKE ? ESCAPE '\')`)
			args = append(args, like, like, like)
		}
		dir, cmp := "DESC", "<"
		if q.Asc {
			dir, cmp = "ASC", ">"
		}
		if q.After != nil {
			where = append(where, `(t.sort_at, t.id) `+cmp+` (?, ?)`)
			args = append(args, Millis(q.After.At), q.After.ID)
		}
		args = append(args, limit+1)
		rows, err := s.query(ctx, s.DB, src.threadSelect(withProfile)+` WHERE `+strings.Join(where, " AND ")+
			` ORDER BY t.sort_at `+dir+`, t.id `+dir+` LIMIT ?`, args...)
		if err != nil {
			return nil, false, err
		}
		page, err := src.scanThreads(rows)
		if err != nil {
			return nil, false, err
		}
		all = append(all, page...)
	}
	sort.Slice(all, func(i, j int) bool {
		a, b := all[i], all[j]
		if !a.SortAt.Equal(b.SortAt) {
			return a.SortAt.Before(b.SortAt) == q.Asc
		}
		return (a.ID < b.ID) == q.Asc
	})
	if len(all) > limit {
		return all[:limit], true, nil
	}
	return all, false, nil
}

// V2Thread returns one live thread of the team.
func (s *Store) V2Thread(ctx context.Context, q Querier, teamID, id string) (V2ThreadRow, error) {
	for _, src := range v2Sources {
		rows, err := s.query(ctx, q, src.threadSelect(false)+` WHERE t.id = ? AND +t.team_id = ? AND t.deleted_at IS NULL`, id, teamID)
		if err != nil {
			return V2ThreadRow{}, err
		}
		ts, err := src.scanThreads(rows)
		if err != nil {
			return V2ThreadRow{}, err
		}
		if len(ts) == 1 {
			return ts[0], nil
		}
	}
	return V2ThreadRow{}, notFoundV2("thread", id)
}

// V2ThreadsByIDs loads live threads by ID (missing ones are left out).
func (s *Store) V2ThreadsByIDs(ctx context.Context, q Querier, teamID string, ids []string) (map[string]V2ThreadRow, error) {
	out := map[string]V2ThreadRow{}
	if len(ids) == 0 {
		return out, nil
	}
	for _, src := range v2Sources {
		args := []any{teamID}
		for _, id := range ids {
			args = append(args, id)
		}
		rows, err := s.query(ctx, q, src.threadSelect(false)+` WHERE +t.team_id = ? AND t.deleted_at IS NULL AND t.id IN (`+placeholders(len(ids))+`)`, args...)
		if err != nil {
			return nil, err
		}
		ts, err := src.scanThreads(rows)
		if err != nil {
			return nil, err
		}
		for _, t := range ts {
			out[t.ID] = t
		}
	}
	return out, nil
}

// V2LinkRow is an account link with the capabilities it lacks.
type V2LinkRow struct {
	Src *V2Src
	AccountLink
	Removed []string
}

// V2AccountLinks returns the team's account links on every platform, oldest first.
func (s *Store) V2AccountLinks(ctx context.Context, q Querier, teamID string) ([]V2LinkRow, error) {
	var out []V2LinkRow
	for _, src := range v2Sources {
		rows, err := s.query(ctx, q, `SELECT l.id, l.platform_id, l.name, l.username, l.image, l.created_at,
			l.status, l.synced_at, c.removed FROM `+src.links+` l LEFT JOIN link_capabilities c ON c.link_id = l.id
			WHERE l.team_id = ? ORDER BY l.rank`, teamID)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			r := V2LinkRow{Src: src}
			var created int64
			var synced sql.NullInt64
			var removed sql.NullString
			if err := rows.Scan(&r.ID, &r.PlatformID, &r.Name, &r.Username, &r.Image, &created, &r.Status, &synced, &removed); err != nil {
				rows.Close()
				return nil, err
			}
			r.CreatedAt, r.SyncedAt = FromMillis(created), timep(synced)
			r.Removed = splitTags(removed.String)
			out = append(out, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].CreatedAt.Equal(out[j].CreatedAt) {
			return out[i].CreatedAt.Before(out[j].CreatedAt)
		}
		return out[i].ID < out[j].ID
	})
	return out, nil
}

// V2AccountLink returns one account link of the team.
func (s *Store) V2AccountLink(ctx context.Context, q Querier, teamID, id string) (V2LinkRow, error) {
	links, err := s.V2AccountLinks(ctx, q, teamID)
	if err != nil {
		return V2LinkRow{}, err
	}
	for _, l := range links {
		if l.ID == id {
			return l, nil
		}
	}
	return V2LinkRow{}, notFoundV2("accountLink", id)
}

// Capabilities are the link's platform capabilities without the ones it lacks.
func (l V2LinkRow) Capabilities() []string { return LinkCapabilities(l.Src.Platform, l.Removed) }

// Can reports whether the account link has a capability.
func (l V2LinkRow) Can(capability string) bool { return slices.Contains(l.Capabilities(), capability) }
