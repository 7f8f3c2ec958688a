package store

import (
	"context"
	"database/sql"
	"errors"
)

// ListMessages returns one page of a thread's messages, newest first: a keyset walk on
// (createdAt, id) descending. New messages are always newer than every existing message of
// their thread, so a walk in progress never sees them and never repeats or skips a message.
// Deleted messages stay in the list with deletedAt set.
func (s *Store) ListMessages(ctx context.Context, teamID, threadID string, limit int, after *Cursor) (MessagePage, error) {
	t, err := s.loadThread(ctx, s.DB, teamID, threadID)
	if err != nil {
		return MessagePage{}, err
	}
	if limit <= 0 {
		limit = 50
	}
	query := `SELECT ` + messageCols + messageFrom + ` WHERE m.thread_id = ?`
	args := []any{threadID}
	if after != nil {
		query += ` AND (m.created_at, m.id) < (?, ?)`
		args = append(args, Millis(after.At), after.ID)
	}
	query += ` ORDER BY m.created_at DESC, m.id DESC LIMIT ?`
	args = append(args, limit+1)
	msgs, err := s.queryMessages(ctx, s.DB, query, args...)
	if err != nil {
		return MessagePage{}, err
	}
	page := MessagePage{Thread: t, Messages: msgs}
	if len(msgs) > limit {
		page.Messages = msgs[:limit]
		last := page.Messages[limit-1]
		page.Next = &Cursor{At: last.CreatedAt, ID: last.ID}
	}
	return page, nil
}

func (s *Store) queryMessages(ctx context.Context, q Querier, query string, args ...any) ([]Message, error) {
	rows, err := s.query(ctx, q, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Message{}
	sc := newMessageScan()
	for rows.Next() {
		m, err := sc.scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// loadMessage returns a message of a live thread; 404 for an unknown thread or a message
// that is not in it.
func (s *Store) loadMessage(ctx context.Context, q Querier, teamID, threadID, id string) (Message, error) {
	ok, err := exists(ctx, q, `SELECT 1 FROM threads WHERE id = ? AND team_id = ? AND deleted_at IS NULL`, threadID, teamID)
	if err != nil {
		return Message{}, err
	}
	if !ok {
		return Message{}, notFound("thread", threadID)
	}
	m, err := newMessageScan().scan(q.QueryRowContext(ctx, `SELECT `+messageCols+messageFrom+
		` WHERE m.id = ? AND m.thread_id = ?`, id, threadID))
	if errors.Is(err, sql.ErrNoRows) {
		return Message{}, notFound("message", id)
	}
	return m, err
}

// MessageHistory returns a message with its versions (the original first, then each edit)
// and its deletion. A message that was never edited has one version: itself.
func (s *Store) MessageHistory(ctx context.Context, teamID, threadID, id string) (MessageHistory, error) {
	m, err := s.loadMessage(ctx, s.DB, teamID, threadID, id)
	if err != nil {
		return MessageHistory{}, err
	}
	h := MessageHistory{Message: m}
	rows, err := s.DB.QueryContext(ctx, `SELECT content, created_at, edit_origin FROM message_versions
		WHERE message_id = ? ORDER BY n`, id)
	if err != nil {
		return h, err
	}
	defer rows.Close()
	for rows.Next() {
		var v MessageVersion
		var at int64
		var origin sql.NullString
		if err := rows.Scan(&v.Content, &at, &origin); err != nil {
			return h, err
		}
		v.CreatedAt, v.EditOrigin = FromMillis(at), Strp(origin)
		h.Versions = append(h.Versions, v)
	}
	if err := rows.Err(); err != nil {
		return h, err
	}
	if len(h.Versions) == 0 {
		h.Versions = []MessageVersion{{Content: m.Content, CreatedAt: m.CreatedAt}}
	}
	if m.DeletedAt != nil {
		var typ, origin, author sql.NullString
		if err := s.DB.QueryRowContext(ctx, `SELECT deletion_type, deletion_origin, deletion_author
			FROM messages WHERE id = ?`, id).Scan(&typ, &origin, &author); err != nil {
			return h, err
		}
		kind := DeletionForAll
		if typ.Valid {
			kind = typ.String
		}
		h.Deletion = &MessageDeletion{DeletedAt: *m.DeletedAt, Type: kind, Origin: Strp(origin), AuthorPlatformID: Strp(author)}
	}
	return h, nil
}
