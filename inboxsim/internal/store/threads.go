package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
)

// viewCondition is the SQL condition of an inbox view. Idle and deleted threads are in no
// view. Message requests have their own view and stay out of default and no-reply until
// someone replies (which accepts the request).
func viewCondition(view string) string {
	switch view {
	case ViewNoReply:
		return `t.status = 'active' AND t.done = 0 AND t.is_request = 0 AND t.last_inbound = 1`
	case ViewRequests:
		return `t.status = 'active' AND t.done = 0 AND t.is_request = 1`
	case ViewArchived:
		return `t.status = 'active' AND t.done = 1`
	default:
		return `t.status = 'active' AND t.done = 0 AND t.is_request = 0`
	}
}

// filterCondition appends "(col IN (ids) OR <none>)" for an active filter.
func filterCondition(where []string, args []any, f *Filter, in func(n int) string, none string) ([]string, []any) {
	if !f.active() {
		return where, args
	}
	var parts []string
	if len(f.IDs) > 0 {
		parts = append(parts, in(len(f.IDs)))
		for _, id := range f.IDs {
			args = append(args, id)
		}
	}
	if f.None {
		parts = append(parts, none)
	}
	return append(where, "("+strings.Join(parts, " OR ")+")"), args
}

// ListThreads returns one page of a view. Pages are a keyset walk on (computedSortTimestamp,
// id): the cursor is the last item's pair and the next page starts strictly after it in the
// requested order. Because a thread's sort timestamp only ever moves forward (new messages),
// a descending walk never returns a thread twice; the package documentation has the exact guarantees.
func (s *Store) ListThreads(ctx context.Context, teamID string, q ThreadQuery) (ThreadPage, error) {
	where := []string{`t.team_id = ?`, `t.deleted_at IS NULL`, viewCondition(q.View)}
	args := []any{teamID}
	if len(q.AccountLinkIDs) > 0 {
		where = append(where, `t.account_link_id IN (`+placeholders(len(q.AccountLinkIDs))+`)`)
		for _, id := range q.AccountLinkIDs {
			args = append(args, id)
		}
	}
	where, args = filterCondition(where, args, q.Tags, func(n int) string {
		return `EXISTS (SELECT 1 FROM prospect_tags pt WHERE pt.prospect_id = t.prospect_id AND pt.tag_id IN (` + placeholders(n) + `))`
	}, `NOT EXISTS (SELECT 1 FROM prospect_tags pt WHERE pt.prospect_id = t.prospect_id)`)
	where, args = filterCondition(where, args, q.Statuses, func(n int) string {
		return `p.status_id IN (` + placeholders(n) + `)`
	}, `p.status_id IS NULL`)
	where, args = filterCondition(where, args, q.Assignees, func(n int) string {
		return `t.assignee_id IN (` + placeholders(n) + `)`
	}, `t.assignee_id IS NULL`)
	where, args = filterCondition(where, args, q.Campaigns, func(n int) string {
		return `t.campaign_id IN (` + placeholders(n) + `)`
	}, `t.campaign_id IS NULL`)
	dir, cmp := "DESC", "<"
	if q.Order == SortAsc {
		dir, cmp = "ASC", ">"
	}
	if q.After != nil {
		where = append(where, `(t.sort_at, t.id) `+cmp+` (?, ?)`)
		args = append(args, Millis(q.After.At), q.After.ID)
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 20
	}
	args = append(args, limit+1)
	query := `SELECT ` + threadCols + threadFrom + ` WHERE ` + strings.Join(where, " AND ") +
		` ORDER BY t.sort_at ` + dir + `, t.id ` + dir + ` LIMIT ?`
	threads, err := s.queryThreads(ctx, s.DB, query, args...)
	if err != nil {
		return ThreadPage{}, err
	}
	page := ThreadPage{Threads: threads}
	if len(threads) > limit {
		page.Threads = threads[:limit]
		last := page.Threads[limit-1]
		page.Next = &Cursor{At: last.SortAt, ID: last.ID}
	}
	return page, nil
}

func (s *Store) queryThreads(ctx context.Context, q Querier, query string, args ...any) ([]Thread, error) {
	rows, err := s.query(ctx, q, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Thread{}
	sc := newThreadScan()
	for rows.Next() {
		t, err := sc.scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	ps := make([]*Prospect, len(out))
	for i := range out {
		ps[i] = &out[i].Prospect
	}
	return out, s.withProfiles(ctx, q, ps)
}

// Thread returns one live (not deleted) thread.
func (s *Store) Thread(ctx context.Context, teamID, id string) (Thread, error) {
	return s.loadThread(ctx, s.DB, teamID, id)
}

func (s *Store) loadThread(ctx context.Context, q Querier, teamID, id string) (Thread, error) {
	t, err := newThreadScan().scan(s.queryRow(ctx, q, `SELECT `+threadCols+threadFrom+
		` WHERE t.id = ? AND t.team_id = ? AND t.deleted_at IS NULL`, id, teamID))
	if errors.Is(err, sql.ErrNoRows) {
		return Thread{}, notFound("thread", id)
	}
	if err != nil {
		return Thread{}, err
	}
	return t, s.withProfiles(ctx, q, []*Prospect{&t.Prospect})
}

// LookupThread finds the live thread between an account link and a prospect; nil when there
// is none (lookups answer null rather than 404).
func (s *Store) LookupThread(ctx context.Context, teamID, accountLinkID string, ref ProspectRef) (*Thread, error) {
	where := []string{`t.team_id = ?`, `t.account_link_id = ?`, `t.deleted_at IS NULL`}
	args := []any{teamID, accountLinkID}
	if ref.ExternalID != "" {
		where = append(where, `p.id = ?`)
		args = append(args, ref.ExternalID)
	}
	if ref.PlatformID != "" {
		where = append(where, `p.platform_id = ?`)
		args = append(args, ref.PlatformID)
	}
	threads, err := s.queryThreads(ctx, s.DB, `SELECT `+threadCols+threadFrom+` WHERE `+strings.Join(where, " AND "), args...)
	if err != nil || len(threads) == 0 {
		return nil, err
	}
	return &threads[0], nil
}

// ThreadsByUsername returns the live threads (on any or the given account links) with the
// prospect whose username matches, ignoring case; X usernames are case-insensitive.
func (s *Store) ThreadsByUsername(ctx context.Context, teamID, username string, accountLinkIDs []string) ([]Thread, error) {
	where := []string{`p.team_id = ?`, `p.username = ? COLLATE NOCASE`, `t.deleted_at IS NULL`}
	args := []any{teamID, username}
	if len(accountLinkIDs) > 0 {
		where = append(where, `t.account_link_id IN (`+placeholders(len(accountLinkIDs))+`)`)
		for _, id := range accountLinkIDs {
			args = append(args, id)
		}
	}
	return s.queryThreads(ctx, s.DB, `SELECT `+threadCols+threadFrom+` WHERE `+strings.Join(where, " AND ")+
		` ORDER BY t.sort_at DESC, t.id DESC`, args...)
}
