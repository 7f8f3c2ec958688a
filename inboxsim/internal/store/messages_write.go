package store

import (
	"context"
	"database/sql"
	"slices"
)

// newMessage is a message to add to a thread.
type newMessage struct {
	Content string
	ReplyTo string
	Inbound bool
	Origin  string
	UserID  *string
}

// addMessage appends a message to a thread and updates the thread: its last message and sort
// timestamp, the no-reply state, the request state (a reply accepts a request), idle -> active,
// done -> reopened when the prospect writes, and the variant flip to xChat at the moment both
// sides have written for the first time.
//
// The new message's timestamp is strictly later than the thread's sort timestamp, even when
// the clock has not moved, so thread and message pagination keep their ordering guarantees.
func (s *Store) addMessage(ctx context.Context, tx *sql.Tx, teamID string, st threadState, nm newMessage) (Message, error) {
	if nm.ReplyTo != "" {
		ok, err := exists(ctx, tx, `SELECT 1 FROM messages WHERE id = ? AND thread_id = ?`, nm.ReplyTo, st.ID)
		if err != nil {
			return Message{}, err
		}
		if !ok {
			return Message{}, notFoundSaying("message", nm.ReplyTo,
				"replyToMessageId %q is not a message of thread %q; reply to a message listed by GET /threads/%s/messages", nm.ReplyTo, st.ID, st.ID)
		}
	}
	at := max(Millis(s.Clock()), st.SortAt+1)
	hasIn, hasOut := st.HasInbound || nm.Inbound, st.HasOutbound || !nm.Inbound
	variant := st.Variant
	if variant == VariantPlain && hasIn && hasOut && !(st.HasInbound && st.HasOutbound) {
		variant = VariantXChat
	}
	author := st.AccountLinkID
	if nm.Inbound {
		author = st.ProspectID
	}
	id := s.ids.id()
	_, err := tx.ExecContext(ctx, `INSERT INTO messages (id, team_id, thread_id, user_id, created_at,
		platform_id, content, author_id, origin, reply_to_id, is_encrypted, inbound)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		id, teamID, st.ID, Nullable(nm.UserID), at, s.ids.snowflake(FromMillis(at)), nm.Content, author,
		nm.Origin, NullIfEmpty(nm.ReplyTo), BoolInt(variant == VariantXChat), BoolInt(nm.Inbound))
	if err != nil {
		return Message{}, err
	}
	request, done := st.IsRequest && nm.Inbound, st.Done && !nm.Inbound
	_, err = tx.ExecContext(ctx, `UPDATE threads SET last_message_id = ?, last_message_at = ?,
		lm_content = ?, lm_author = ?, lm_user = ?, lm_campaign = NULL,
		sort_at = ?, last_inbound = ?, has_inbound = ?, has_outbound = ?, variant = ?,
		status = 'active', is_request = ?, done = ? WHERE id = ?`,
		id, at, nm.Content, author, Nullable(nm.UserID), at, BoolInt(nm.Inbound), BoolInt(hasIn), BoolInt(hasOut),
		variant, BoolInt(request), BoolInt(done), st.ID)
	if err != nil {
		return Message{}, err
	}
	m, err := s.loadMessage(ctx, tx, teamID, st.ID, id)
	if err != nil {
		return Message{}, err
	}
	t, err := s.loadThread(ctx, tx, teamID, st.ID)
	if err != nil {
		return Message{}, err
	}
	if err := s.appendEvent(ctx, tx, teamID, "message.created", EventData{Message: &m, Thread: &t}); err != nil {
		return Message{}, err
	}
	if st.Done && !done {
		return m, s.appendEvent(ctx, tx, teamID, "thread.unarchived", EventData{Thread: &t})
	}
	return m, nil
}

// NullIfEmpty stores "" as NULL.
func NullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// outbound builds a message sent through the API.
func (s *Store) outbound(ctx context.Context, tx *sql.Tx, teamID, content, replyTo string) (newMessage, error) {
	user, err := s.ownerUserID(ctx, tx, teamID)
	return newMessage{Content: content, ReplyTo: replyTo, Origin: OriginAPI, UserID: user}, err
}

func checkCanSend(st threadState) error {
	if st.LinkStatus != LinkStatusActive {
		return conflict("account link %q is %s and cannot send; reconnect it in Inbox, or send from another account link", st.AccountLinkID, st.LinkStatus)
	}
	return nil
}

// SendMessage sends a message in an existing thread.
func (s *Store) SendMessage(ctx context.Context, teamID, threadID, content, replyTo string) (Message, error) {
	var m Message
	err := s.Write(ctx, func(tx *sql.Tx) error {
		st, err := s.threadState(ctx, tx, teamID, threadID)
		if err != nil {
			return err
		}
		if err := checkCanSend(st); err != nil {
			return err
		}
		nm, err := s.outbound(ctx, tx, teamID, content, replyTo)
		if err != nil {
			return err
		}
		m, err = s.addMessage(ctx, tx, teamID, st, nm)
		return err
	})
	return m, err
}

// QuickSend finds or creates the thread between an account link and a prospect and sends a
// message in it.
func (s *Store) QuickSend(ctx context.Context, teamID, linkID string, ref ProspectRef, content string) (Message, Thread, error) {
	var m Message
	var t Thread
	err := s.Write(ctx, func(tx *sql.Tx) error {
		id, _, err := s.openThread(ctx, tx, teamID, linkID, ref)
		if err != nil {
			return err
		}
		st, err := s.threadState(ctx, tx, teamID, id)
		if err != nil {
			return err
		}
		if err := checkCanSend(st); err != nil {
			return err
		}
		nm, err := s.outbound(ctx, tx, teamID, content, "")
		if err != nil {
			return err
		}
		if m, err = s.addMessage(ctx, tx, teamID, st, nm); err != nil {
			return err
		}
		t, err = s.loadThread(ctx, tx, teamID, id)
		return err
	})
	return m, t, err
}

// ReceiveMessage adds a message written by the thread's prospect (used by simulated replies).
func (s *Store) ReceiveMessage(ctx context.Context, teamID, threadID, content string) (Message, error) {
	var m Message
	err := s.Write(ctx, func(tx *sql.Tx) error {
		st, err := s.threadState(ctx, tx, teamID, threadID)
		if err != nil {
			return err
		}
		m, err = s.addMessage(ctx, tx, teamID, st, newMessage{Content: content, Inbound: true, Origin: OriginExternal})
		return err
	})
	return m, err
}

// ownMessage loads a message for edit/delete: only on X Chat threads (X allows neither on
// legacy DMs) and, for edits and deletes for everyone, only messages the team sent.
func (s *Store) ownMessage(ctx context.Context, tx *sql.Tx, teamID, threadID, id, action string, needOwn bool) (threadState, Message, error) {
	st, err := s.threadState(ctx, tx, teamID, threadID)
	if err != nil {
		return st, Message{}, err
	}
	m, err := s.loadMessage(ctx, tx, teamID, threadID, id)
	if err != nil {
		return st, m, err
	}
	if st.Variant != VariantXChat {
		return st, m, conflict("messages can only be %s in X Chat threads (variant xChat); thread %q is %s", action, threadID, st.Variant)
	}
	if needOwn && m.Inbound {
		return st, m, failf(KindForbidden, "message %q was written by the prospect; only messages sent from your account links can be %s", id, action)
	}
	if m.DeletedAt != nil {
		return st, m, conflict("message %q was deleted and can no longer be %s", id, action)
	}
	return st, m, nil
}

// EditMessage replaces the content of a message the team sent, keeping every version.
func (s *Store) EditMessage(ctx context.Context, teamID, threadID, id, content string) (Message, error) {
	var m Message
	err := s.Write(ctx, func(tx *sql.Tx) error {
		_, cur, err := s.ownMessage(ctx, tx, teamID, threadID, id, "edited", true)
		if err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM message_versions WHERE message_id = ?`, id).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			if _, err := tx.ExecContext(ctx, `INSERT INTO message_versions (message_id, n, content, created_at, edit_origin)
				VALUES (?, 0, ?, ?, NULL)`, id, cur.Content, Millis(cur.CreatedAt)); err != nil {
				return err
			}
			n = 1
		}
		now := max(Millis(s.Clock()), Millis(cur.CreatedAt))
		if _, err := tx.ExecContext(ctx, `INSERT INTO message_versions (message_id, n, content, created_at, edit_origin)
			VALUES (?, ?, ?, ?, 'api')`, id, n, content, now); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE messages SET content = ?, is_edited = 1, updated_at = ? WHERE id = ?`, content, now, id); err != nil {
			return err
		}
		// The thread's preview shows the edit when the edited message is the last one.
		if _, err := tx.ExecContext(ctx, `UPDATE threads SET lm_content = ? WHERE last_message_id = ?`, content, id); err != nil {
			return err
		}
		if m, err = s.loadMessage(ctx, tx, teamID, threadID, id); err != nil {
			return err
		}
		return s.appendEvent(ctx, tx, teamID, "message.edited", EventData{Message: &m})
	})
	return m, err
}

// DeleteMessage deletes a message for everyone (only the team's own messages) or only for the
// team (any message). The message stays listed with deletedAt set.
func (s *Store) DeleteMessage(ctx context.Context, teamID, threadID, id string, forAll bool) (Message, error) {
	var m Message
	err := s.Write(ctx, func(tx *sql.Tx) error {
		st, _, err := s.ownMessage(ctx, tx, teamID, threadID, id, "deleted", forAll)
		if err != nil {
			return err
		}
		now := Millis(s.Clock())
		var platformDeleted any
		kind := DeletionForSelf
		if forAll {
			platformDeleted, kind = now, DeletionForAll
		}
		if _, err := tx.ExecContext(ctx, `UPDATE messages SET deleted_at = ?, platform_deleted_at = ?,
			deletion_type = ?, deletion_origin = 'api', deletion_author = ? WHERE id = ?`,
			now, platformDeleted, kind, st.LinkPlatformID, id); err != nil {
			return err
		}
		if m, err = s.loadMessage(ctx, tx, teamID, threadID, id); err != nil {
			return err
		}
		origin := OriginAPI
		return s.appendEvent(ctx, tx, teamID, "message.deleted", EventData{Message: &m,
			Deletion: &MessageDeletion{DeletedAt: FromMillis(now), Type: kind, AuthorPlatformID: &st.LinkPlatformID, Origin: &origin}})
	})
	return m, err
}

// React adds (add = true) or removes the team's reaction on a message. The account link has at
// most one reaction per message, as on X: a new emoji replaces the previous one. Removing an
// emoji that is not there changes nothing and is not an error, so retries are harmless.
func (s *Store) React(ctx context.Context, teamID, threadID, id, emoji string, add bool) (Message, error) {
	var m Message
	err := s.Write(ctx, func(tx *sql.Tx) error {
		st, err := s.threadState(ctx, tx, teamID, threadID)
		if err != nil {
			return err
		}
		cur, err := s.loadMessage(ctx, tx, teamID, threadID, id)
		if err != nil {
			return err
		}
		if cur.DeletedAt != nil {
			return conflict("message %q was deleted; reactions can no longer be changed", id)
		}
		mine := func(r Reaction) bool { return r.SenderPlatformID == st.LinkPlatformID }
		var changed *Reaction
		reactions := cur.Reactions
		if add {
			i := slices.IndexFunc(reactions, mine)
			if i >= 0 && reactions[i].Emoji == emoji {
				m = cur
				return nil
			}
			reactions = slices.DeleteFunc(slices.Clone(reactions), mine)
			r := Reaction{Emoji: emoji, SenderPlatformID: st.LinkPlatformID, CreatedAt: s.Clock()}
			reactions = append(reactions, r)
			changed = &r
		} else {
			i := slices.IndexFunc(reactions, func(r Reaction) bool { return mine(r) && r.Emoji == emoji })
			if i < 0 {
				m = cur
				return nil
			}
			r := reactions[i]
			changed = &r
			reactions = slices.Delete(slices.Clone(reactions), i, i+1)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE messages SET reactions = ? WHERE id = ?`, EncodeJSON(reactions), id); err != nil {
			return err
		}
		if m, err = s.loadMessage(ctx, tx, teamID, threadID, id); err != nil {
			return err
		}
		typ := "message.reactionRemoved"
		if add {
			typ = "message.reactionAdded"
		}
		return s.appendEvent(ctx, tx, teamID, typ, EventData{MessageID: id, ThreadID: threadID, Reaction: changed})
	})
	return m, err
}
