package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// TypingInterval is how often a typing indicator may be sent per thread; more frequent
// requests are skipped with reason rateLimited, as X throttles them.
const TypingInterval = 3 * time.Second

// threadState is the part of a thread row that write operations decide on.
type threadState struct {
	ID, AccountLinkID, ProspectID, Status, Variant, LinkStatus, LinkPlatformID string
	Done, HasInbound, HasOutbound, IsRequest                                   bool
	SortAt                                                                     int64
	TypingEnabled                                                              sql.NullInt64
	TypingAt                                                                   sql.NullInt64
}

func (s *Store) threadState(ctx context.Context, q Querier, teamID, id string) (threadState, error) {
	var st threadState
	var done, in, out, req int
	err := q.QueryRowContext(ctx, `SELECT t.id, t.account_link_id, t.prospect_id, t.status, t.variant,
		l.status, l.platform_id, t.done, t.has_inbound, t.has_outbound, t.is_request, t.sort_at,
		t.typing_enabled, t.typing_at
		FROM threads t JOIN account_links l ON l.id = t.account_link_id
		WHERE t.id = ? AND t.team_id = ? AND t.deleted_at IS NULL`, id, teamID).Scan(
		&st.ID, &st.AccountLinkID, &st.ProspectID, &st.Status, &st.Variant, &st.LinkStatus,
		&st.LinkPlatformID, &done, &in, &out, &req, &st.SortAt, &st.TypingEnabled, &st.TypingAt)
	if errors.Is(err, sql.ErrNoRows) {
		return st, notFound("thread", id)
	}
	st.Done, st.HasInbound, st.HasOutbound, st.IsRequest = done != 0, in != 0, out != 0, req != 0
	return st, err
}

// resolveProspect finds the prospect a request names. A numeric X user ID that Inbox has
// never seen is looked up "on X": the simulator invents a plausible profile for it, records
// the prospect and emits prospect.created, as sending a first message to a new contact does.
func (s *Store) resolveProspect(ctx context.Context, tx *sql.Tx, teamID string, ref ProspectRef) (string, error) {
	var id, platformID string
	switch {
	case ref.ExternalID != "":
		err := tx.QueryRowContext(ctx, `SELECT id, platform_id FROM prospects WHERE id = ? AND team_id = ?`,
			ref.ExternalID, teamID).Scan(&id, &platformID)
		if errors.Is(err, sql.ErrNoRows) {
			return "", notFound("prospect", ref.ExternalID)
		}
		if err != nil {
			return "", err
		}
		if ref.PlatformID != "" && ref.PlatformID != platformID {
			return "", invalid("externalId %q and externalPlatformId %q name different prospects; send only one of them", ref.ExternalID, ref.PlatformID)
		}
		return id, nil
	default:
		err := tx.QueryRowContext(ctx, `SELECT id FROM prospects WHERE platform_id = ? AND team_id = ?`,
			ref.PlatformID, teamID).Scan(&id)
		if err == nil || !errors.Is(err, sql.ErrNoRows) {
			return id, err
		}
		p := s.strangers.X(ref.PlatformID, s.ids.id(), s.Clock())
		if err := InsertProspect(ctx, tx, teamID, p); err != nil {
			return "", err
		}
		snap, err := s.loadProspect(ctx, tx, teamID, p.ExternalID, false)
		if err != nil {
			return "", err
		}
		return p.ExternalID, s.appendEvent(ctx, tx, teamID, "prospect.created", EventData{Prospect: &snap})
	}
}

func (s *Store) accountLink(ctx context.Context, q Querier, teamID, id string) (AccountLink, error) {
	links, err := s.queryLinks(ctx, q, `WHERE team_id = ? AND id = ?`, teamID, id)
	if err != nil {
		return AccountLink{}, err
	}
	if len(links) == 0 {
		return AccountLink{}, notFound("accountLink", id)
	}
	return links[0], nil
}

// openThread finds or creates the live thread between an account link and a prospect and
// makes it active. It reports whether a new thread was made.
func (s *Store) openThread(ctx context.Context, tx *sql.Tx, teamID, linkID string, ref ProspectRef) (string, bool, error) {
	link, err := s.accountLink(ctx, tx, teamID, linkID)
	if err != nil {
		return "", false, err
	}
	prospectID, err := s.resolveProspect(ctx, tx, teamID, ref)
	if err != nil {
		return "", false, err
	}
	var id, status string
	err = tx.QueryRowContext(ctx, `SELECT id, status FROM threads
		WHERE account_link_id = ? AND prospect_id = ? AND deleted_at IS NULL`, linkID, prospectID).Scan(&id, &status)
	if err == nil {
		if status == ThreadIdle {
			// Opening a quick-peek thread on purpose puts it in the inbox.
			_, err = tx.ExecContext(ctx, `UPDATE threads SET status = 'active' WHERE id = ?`, id)
		}
		return id, false, err
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return "", false, err
	}
	var prospectPlatformID string
	if err := tx.QueryRowContext(ctx, `SELECT platform_id FROM prospects WHERE id = ?`, prospectID).Scan(&prospectPlatformID); err != nil {
		return "", false, err
	}
	now := Millis(s.Clock())
	id = s.ids.id()
	_, err = tx.ExecContext(ctx, `INSERT INTO threads (id, team_id, account_link_id, prospect_id,
		platform_id, sort_at, created_at, status, variant) VALUES (?, ?, ?, ?, ?, ?, ?, 'active', 'unencrypted')`,
		id, teamID, linkID, prospectID, ConversationID(link.PlatformID, prospectPlatformID), now, now)
	if err != nil {
		return "", false, err
	}
	snap, err := s.loadThread(ctx, tx, teamID, id)
	if err != nil {
		return "", false, err
	}
	return id, true, s.appendEvent(ctx, tx, teamID, "thread.created", EventData{Thread: &snap})
}

// CreateThread opens a thread with a prospect on an account link. When a live thread for the
// pair exists it is returned unchanged (created = false) instead of failing.
func (s *Store) CreateThread(ctx context.Context, teamID, linkID string, ref ProspectRef) (Thread, bool, error) {
	var t Thread
	var created bool
	err := s.Write(ctx, func(tx *sql.Tx) error {
		id, c, err := s.openThread(ctx, tx, teamID, linkID, ref)
		if err != nil {
			return err
		}
		created = c
		t, err = s.loadThread(ctx, tx, teamID, id)
		return err
	})
	return t, created, err
}

func (s *Store) memberExists(ctx context.Context, q Querier, teamID, id string) error {
	ok, err := exists(ctx, q, `SELECT 1 FROM members WHERE id = ? AND team_id = ?`, id, teamID)
	if err != nil {
		return err
	}
	if !ok {
		return notFound("member", id)
	}
	return nil
}

// setThreadDone archives or reopens a thread, emitting thread.archived / thread.unarchived
// when the flag changes.
func (s *Store) setThreadDone(ctx context.Context, tx *sql.Tx, teamID, id string, was, done bool) error {
	if was == done {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE threads SET done = ? WHERE id = ?`, BoolInt(done), id); err != nil {
		return err
	}
	typ := "thread.unarchived"
	if done {
		typ = "thread.archived"
	}
	return s.threadEvent(ctx, tx, teamID, id, typ)
}

// setThreadAssignee changes the assignee, emitting thread.assigned / thread.unassigned when
// it changes.
func (s *Store) setThreadAssignee(ctx context.Context, tx *sql.Tx, teamID, id string, was, to *string) error {
	if (was == nil && to == nil) || (was != nil && to != nil && *was == *to) {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE threads SET assignee_id = ? WHERE id = ?`, Nullable(to), id); err != nil {
		return err
	}
	typ := "thread.unassigned"
	if to != nil {
		typ = "thread.assigned"
	}
	return s.threadEvent(ctx, tx, teamID, id, typ)
}

func (s *Store) threadEvent(ctx context.Context, tx *sql.Tx, teamID, id, typ string) error {
	snap, err := s.loadThread(ctx, tx, teamID, id)
	if err != nil {
		return err
	}
	return s.appendEvent(ctx, tx, teamID, typ, EventData{Thread: &snap})
}

// UpdateThread archives/reopens a thread, changes its assignee and/or its typing setting.
func (s *Store) UpdateThread(ctx context.Context, teamID, id string, u ThreadUpdate) (Thread, error) {
	var t Thread
	err := s.Write(ctx, func(tx *sql.Tx) error {
		cur, err := s.loadThread(ctx, tx, teamID, id)
		if err != nil {
			return err
		}
		if u.SetAssignee && u.AssigneeID != nil {
			if err := s.memberExists(ctx, tx, teamID, *u.AssigneeID); err != nil {
				return err
			}
		}
		if u.Done != nil {
			if err := s.setThreadDone(ctx, tx, teamID, id, cur.Done, *u.Done); err != nil {
				return err
			}
		}
		if u.SetAssignee {
			if err := s.setThreadAssignee(ctx, tx, teamID, id, cur.AssigneeID, u.AssigneeID); err != nil {
				return err
			}
		}
		if u.SetTyping {
			if _, err := tx.ExecContext(ctx, `UPDATE threads SET typing_enabled = ? WHERE id = ?`, NullBool(u.TypingEnabled), id); err != nil {
				return err
			}
		}
		t, err = s.loadThread(ctx, tx, teamID, id)
		return err
	})
	return t, err
}

// DeleteThread soft-deletes a thread: it disappears from every read, and a later
// POST /threads for the same pair starts a new thread.
func (s *Store) DeleteThread(ctx context.Context, teamID, id string) error {
	return s.Write(ctx, func(tx *sql.Tx) error {
		snap, err := s.loadThread(ctx, tx, teamID, id)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE threads SET deleted_at = ? WHERE id = ?`, Millis(s.Clock()), id); err != nil {
			return err
		}
		return s.appendEvent(ctx, tx, teamID, "thread.deleted", EventData{Thread: &snap})
	})
}

// Typing sends a typing indicator. Where X would not show one the request succeeds with a
// skip reason instead of failing.
func (s *Store) Typing(ctx context.Context, teamID, id string) (TypingResult, error) {
	var res TypingResult
	err := s.Write(ctx, func(tx *sql.Tx) error {
		st, err := s.threadState(ctx, tx, teamID, id)
		if err != nil {
			return err
		}
		now := s.Clock()
		switch {
		case st.Variant != VariantXChat:
			res = TypingResult{Status: TypingSkipped, Reason: SkipUnsupported}
		case st.LinkStatus != LinkStatusActive:
			res = TypingResult{Status: TypingSkipped, Reason: SkipOutboundOff}
		case st.TypingEnabled.Valid && st.TypingEnabled.Int64 == 0:
			res = TypingResult{Status: TypingSkipped, Reason: SkipDisabled}
		case st.TypingAt.Valid && Millis(now)-st.TypingAt.Int64 < TypingInterval.Milliseconds():
			res = TypingResult{Status: TypingSkipped, Reason: SkipRateLimited}
		default:
			res = TypingResult{Status: TypingSent}
			if _, err := tx.ExecContext(ctx, `UPDATE threads SET typing_at = ? WHERE id = ?`, Millis(now), id); err != nil {
				return err
			}
			return s.threadEvent(ctx, tx, teamID, id, "thread.typing")
		}
		return nil
	})
	return res, err
}
