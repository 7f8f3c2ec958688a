package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// v2 writes on threads. X threads change through the v1 helpers, so both versions see one
// history and v1's event log records the change; LinkedIn threads change here, with their
// events in the v2 log only.

// v2TypingInterval is the document's limit: one typing indicator per thread every 2.5 s.
const v2TypingInterval = 2500 * time.Millisecond

// Thread typing settings of v2.
const (
	TypingEnabled     = "enabled"
	TypingDisabled    = "disabled"
	TypingTeamDefault = "teamDefault"
)

// V2ThreadPatch is a PATCH /threads/{id}; nil fields are left unchanged.
type V2ThreadPatch struct {
	Archived    *bool
	Unread      *bool
	SetAssignee bool
	AssigneeID  *string
	Typing      *string
}

func typingSetting(v string) *bool {
	switch v {
	case TypingEnabled:
		return new(true)
	case TypingDisabled:
		return new(false)
	}
	return nil
}

// liThreadEvent records a LinkedIn thread event in the v2 log.
func (s *Store) liThreadEvent(ctx context.Context, tx *sql.Tx, teamID, id, linkID string, assignee *string, typ string) error {
	return s.appendV2Event(ctx, tx, teamID, PlatformLinkedIn, typ, v2StoredEvent{EventData: EventData{
		Thread: &Thread{ID: id, AccountLinkID: linkID, AssigneeID: assignee}}})
}

// V2UpdateThread archives, marks (un)read, assigns and sets typing indicators on a thread.
func (s *Store) V2UpdateThread(ctx context.Context, teamID, id string, u V2ThreadPatch) error {
	return s.Write(ctx, func(tx *sql.Tx) error {
		cur, err := s.V2Thread(ctx, tx, teamID, id)
		if err != nil {
			return err
		}
		if u.SetAssignee && u.AssigneeID != nil {
			if err := s.memberExists(ctx, tx, teamID, *u.AssigneeID); err != nil {
				return invalidField([]any{"assigneeId"}, "assigneeId %q is not a member of the team; list members with GET /members", *u.AssigneeID)
			}
		}
		if cur.Src == SrcX {
			if u.Archived != nil {
				if err := s.setThreadDone(ctx, tx, teamID, id, cur.Done, *u.Archived); err != nil {
					return err
				}
			}
			if u.SetAssignee {
				if err := s.setThreadAssignee(ctx, tx, teamID, id, cur.OwnAssignee, u.AssigneeID); err != nil {
					return err
				}
			}
		} else {
			if u.Archived != nil && *u.Archived != cur.Done {
				if _, err := tx.ExecContext(ctx, `UPDATE li_threads SET done = ? WHERE id = ?`, BoolInt(*u.Archived), id); err != nil {
					return err
				}
				typ := "thread.unarchived"
				if *u.Archived {
					typ = "thread.archived"
				}
				if err := s.liThreadEvent(ctx, tx, teamID, id, cur.AccountLinkID, cur.OwnAssignee, typ); err != nil {
					return err
				}
			}
			if u.SetAssignee && !sameString(cur.OwnAssignee, u.AssigneeID) {
				if _, err := tx.ExecContext(ctx, `UPDATE li_threads SET assignee_id = ? WHERE id = ?`, Nullable(u.AssigneeID), id); err != nil {
					return err
				}
				typ := "thread.unassigned"
				if u.AssigneeID != nil {
					typ = "thread.assigned"
				}
				if err := s.liThreadEvent(ctx, tx, teamID, id, cur.AccountLinkID, u.AssigneeID, typ); err != nil {
					return err
				}
			}
		}
		if u.Typing != nil {
			if _, err := tx.ExecContext(ctx, `UPDATE `+cur.Src.threads+` SET typing_enabled = ? WHERE id = ?`, NullBool(typingSetting(*u.Typing)), id); err != nil {
				return err
			}
		}
		if u.Unread != nil {
			if _, err := tx.ExecContext(ctx, `INSERT INTO thread_marks (thread_id, unread) VALUES (?, ?)
				ON CONFLICT (thread_id) DO UPDATE SET unread = excluded.unread`, id, BoolInt(*u.Unread)); err != nil {
				return err
			}
		}
		return nil
	})
}

// V2DeleteThread deletes a thread for the team: X only in Inboxapp (v1's delete), LinkedIn
// also on the platform. It reports the deletion's scope.
func (s *Store) V2DeleteThread(ctx context.Context, teamID, id string) (string, error) {
	src, err := s.locateThread(ctx, s.DB, teamID, id)
	if err != nil {
		return "", err
	}
	if src == SrcX {
		return "local", s.DeleteThread(ctx, teamID, id)
	}
	return "remoteAndLocal", s.Write(ctx, func(tx *sql.Tx) error {
		cur, err := s.V2Thread(ctx, tx, teamID, id)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE li_threads SET deleted_at = ? WHERE id = ?`, Millis(s.Clock()), id); err != nil {
			return err
		}
		return s.liThreadEvent(ctx, tx, teamID, id, cur.AccountLinkID, cur.OwnAssignee, "thread.deleted")
	})
}

// V2Typing sends a typing indicator, or reports why it was skipped: the thread's setting is
// off, or one was sent moments ago.
func (s *Store) V2Typing(ctx context.Context, teamID, id string) (string, *string, error) {
	status, reason := TypingSent, (*string)(nil)
	err := s.Write(ctx, func(tx *sql.Tx) error {
		src, err := s.locateThread(ctx, tx, teamID, id)
		if err != nil {
			return err
		}
		var typing, typingAt sql.NullInt64
		if err := tx.QueryRowContext(ctx, `SELECT typing_enabled, typing_at FROM `+src.threads+` WHERE id = ?`, id).Scan(&typing, &typingAt); err != nil {
			return err
		}
		now := s.Clock()
		switch {
		case typing.Valid && typing.Int64 == 0:
			status, reason = TypingSkipped, new("disabled")
			return nil
		case typingAt.Valid && Millis(now)-typingAt.Int64 < v2TypingInterval.Milliseconds():
			status, reason = TypingSkipped, new("rateLimited")
			return nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE `+src.threads+` SET typing_at = ? WHERE id = ?`, Millis(now), id); err != nil {
			return err
		}
		if src == SrcX {
			return s.threadEvent(ctx, tx, teamID, id, "thread.typing")
		}
		var link string
		if err := tx.QueryRowContext(ctx, `SELECT account_link_id FROM li_threads WHERE id = ?`, id).Scan(&link); err != nil {
			return err
		}
		return s.liThreadEvent(ctx, tx, teamID, id, link, nil, "thread.typing")
	})
	return status, reason, err
}

// liThreadState is what a LinkedIn send decides on.
type liThreadState struct {
	ID, LinkID, ProfileID    string
	Done, IsRequest, In, Out bool
	SortAt                   int64
}

func (s *Store) liThreadState(ctx context.Context, tx *sql.Tx, id string) (liThreadState, error) {
	var st liThreadState
	var done, req, in, out int
	err := tx.QueryRowContext(ctx, `SELECT id, account_link_id, prospect_id, done, is_request, has_inbound,
		has_outbound, sort_at FROM li_threads WHERE id = ? AND deleted_at IS NULL`, id).Scan(&st.ID, &st.LinkID,
		&st.ProfileID, &done, &req, &in, &out, &st.SortAt)
	if errors.Is(err, sql.ErrNoRows) {
		return st, notFoundV2("thread", id)
	}
	st.Done, st.IsRequest, st.In, st.Out = done != 0, req != 0, in != 0, out != 0
	return st, err
}

// liAddMessage appends a message to a LinkedIn thread with the same thread rules as X (see
// addMessage): it moves the thread up, a reply accepts a request, the other side writing
// reopens an archived thread. Its timestamp is strictly after the thread's sort timestamp.
func (s *Store) liAddMessage(ctx context.Context, tx *sql.Tx, teamID string, st liThreadState, nm newMessage) (string, error) {
	at := max(Millis(s.Clock()), st.SortAt+1)
	author := st.LinkID
	if nm.Inbound {
		author = st.ProfileID
	}
	id := s.ids.id()
	if _, err := tx.ExecContext(ctx, `INSERT INTO li_messages (id, team_id, thread_id, user_id, created_at,
		platform_id, content, author_id, origin, reply_to_id, inbound) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		id, teamID, st.ID, Nullable(nm.UserID), at, "urn:li:msg_message:"+s.ids.id(), nm.Content, author,
		nm.Origin, NullIfEmpty(nm.ReplyTo), BoolInt(nm.Inbound)); err != nil {
		return "", err
	}
	request, done := st.IsRequest && nm.Inbound, st.Done && !nm.Inbound
	if _, err := tx.ExecContext(ctx, `UPDATE li_threads SET last_message_id = ?, last_message_at = ?, sort_at = ?,
		last_inbound = ?, has_inbound = ?, has_outbound = ?, status = 'active', is_request = ?, done = ? WHERE id = ?`,
		id, at, at, BoolInt(nm.Inbound), BoolInt(st.In || nm.Inbound), BoolInt(st.Out || !nm.Inbound), BoolInt(request), BoolInt(done), st.ID); err != nil {
		return "", err
	}
	ev := v2StoredEvent{EventData: EventData{Message: &Message{ID: id, ThreadID: st.ID, Inbound: nm.Inbound}}}
	if err := s.appendV2Event(ctx, tx, teamID, PlatformLinkedIn, "message.created", ev); err != nil {
		return "", err
	}
	if st.Done && !done {
		return id, s.liThreadEvent(ctx, tx, teamID, st.ID, st.LinkID, nil, "thread.unarchived")
	}
	return id, nil
}

// liOpenThread finds or creates the live thread between a LinkedIn account link and profile.
func (s *Store) liOpenThread(ctx context.Context, tx *sql.Tx, teamID, linkID, profileID string) (string, error) {
	var id string
	err := tx.QueryRowContext(ctx, `SELECT id FROM li_threads WHERE account_link_id = ? AND prospect_id = ? AND deleted_at IS NULL`,
		linkID, profileID).Scan(&id)
	if err == nil {
		_, err = tx.ExecContext(ctx, `UPDATE li_threads SET status = 'active' WHERE id = ?`, id)
		return id, err
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return "", err
	}
	now := Millis(s.Clock())
	id = s.ids.id()
	if _, err := tx.ExecContext(ctx, `INSERT INTO li_threads (id, team_id, account_link_id, prospect_id, platform_id,
		sort_at, created_at, status, variant) VALUES (?, ?, ?, ?, ?, ?, ?, 'active', 'unencrypted')`,
		id, teamID, linkID, profileID, "urn:li:msg_conversation:"+s.ids.id(), now, now); err != nil {
		return "", err
	}
	return id, s.liThreadEvent(ctx, tx, teamID, id, linkID, nil, "thread.created")
}

// liResolveProfile finds a LinkedIn profile by platform ID. One Inboxapp has never seen is
// looked up "on LinkedIn": the simulator invents it, as X's resolveProspect does.
func (s *Store) liResolveProfile(ctx context.Context, tx *sql.Tx, teamID, platformID string) (string, error) {
	var id string
	err := tx.QueryRowContext(ctx, `SELECT id FROM li_profiles WHERE team_id = ? AND platform_id = ?`, teamID, platformID).Scan(&id)
	if err == nil || !errors.Is(err, sql.ErrNoRows) {
		return id, err
	}
	p := s.strangers.LinkedIn(platformID, s.ids.id(), s.Clock())
	return p.ID, InsertLinkedInProfile(ctx, tx, teamID, p)
}

// BumpReactionVersion counts a change of a message's reactions: the version the reaction
// endpoints answer, which grows with every change.
func (s *Store) BumpReactionVersion(ctx context.Context, messageID string) error {
	return s.Write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO reaction_versions (message_id, version) VALUES (?, 1)
			ON CONFLICT (message_id) DO UPDATE SET version = version + 1`, messageID)
		return err
	})
}
