package store

import (
	"context"
	"database/sql"
	"time"
)

// V2MessageRow is a message as v2 presents it, before expansion.
type V2MessageRow struct {
	Src                          *V2Src
	ID, ThreadID, AuthorID       string
	Content                      string
	UserID, PlatformID, Campaign *string
	Origin, TokenID              *string
	CreatedAt                    time.Time
	EditedAt, DeletedAt          *time.Time
	DeletionType, DeletionOrigin *string
	Inbound, Edited              bool
	Encrypted                    *bool
	Reactions                    []Reaction
	ReactionVersion              int64
	ReplyToID, ReplyPlatformID   *string
	ReplyContent, ReplyAuthor    *string
	Attachments                  []V2AttachmentRow
}

func (src *V2Src) messageSelect() string {
	return `SELECT m.id, m.thread_id, m.author_id, m.content, m.user_id, m.platform_id, m.campaign_id,
		m.origin, mt.token_id, m.created_at, m.updated_at, m.is_edited, m.deleted_at, m.deletion_type,
		m.deletion_origin, m.inbound, m.is_encrypted, m.reactions, coalesce(rv.version, 0),
		m.reply_to_id, r.platform_id, r.content, r.author_id
		FROM ` + src.messages + ` m LEFT JOIN ` + src.messages + ` r ON r.id = m.reply_to_id
		LEFT JOIN message_tokens mt ON mt.message_id = m.id
		LEFT JOIN reaction_versions rv ON rv.message_id = m.id`
}

func (src *V2Src) scanMessages(rows *sql.Rows) ([]V2MessageRow, error) {
	defer rows.Close()
	var out []V2MessageRow
	for rows.Next() {
		m := V2MessageRow{Src: src}
		var user, pid, campaign, origin, token, delType, delOrigin, replyTo, rPID, rContent, rAuthor sql.NullString
		var created int64
		var updated, deleted, encrypted sql.NullInt64
		var edited, inbound int64
		var reactions string
		if err := rows.Scan(&m.ID, &m.ThreadID, &m.AuthorID, &m.Content, &user, &pid, &campaign, &origin, &token,
			&created, &updated, &edited, &deleted, &delType, &delOrigin, &inbound, &encrypted, &reactions,
			&m.ReactionVersion, &replyTo, &rPID, &rContent, &rAuthor); err != nil {
			return nil, err
		}
		m.UserID, m.PlatformID, m.Campaign, m.Origin, m.TokenID = Strp(user), Strp(pid), Strp(campaign), Strp(origin), Strp(token)
		m.CreatedAt, m.DeletedAt = FromMillis(created), timep(deleted)
		m.Edited, m.Inbound = edited != 0, inbound != 0
		if m.Edited {
			m.EditedAt = timep(updated)
		}
		m.DeletionType, m.DeletionOrigin = Strp(delType), Strp(delOrigin)
		m.Encrypted = boolp(encrypted)
		m.Reactions = decodeReactions(reactions)
		m.ReplyToID, m.ReplyPlatformID, m.ReplyContent, m.ReplyAuthor = Strp(replyTo), Strp(rPID), Strp(rContent), Strp(rAuthor)
		out = append(out, m)
	}
	return out, rows.Err()
}

// V2ListMessages returns one page of a thread's messages by (createdAt, id), newest first
// unless asc: the same keyset walk as v1, in either direction.
func (s *Store) V2ListMessages(ctx context.Context, src *V2Src, threadID string, asc bool, limit int, after *Cursor) ([]V2MessageRow, bool, error) {
	dir, cmp := "DESC", "<"
	if asc {
		dir, cmp = "ASC", ">"
	}
	query := src.messageSelect() + ` WHERE m.thread_id = ?`
	args := []any{threadID}
	if after != nil {
		query += ` AND (m.created_at, m.id) ` + cmp + ` (?, ?)`
		args = append(args, Millis(after.At), after.ID)
	}
	query += ` ORDER BY m.created_at ` + dir + `, m.id ` + dir + ` LIMIT ?`
	args = append(args, limit+1)
	rows, err := s.query(ctx, s.DB, query, args...)
	if err != nil {
		return nil, false, err
	}
	msgs, err := src.scanMessages(rows)
	if err != nil {
		return nil, false, err
	}
	more := len(msgs) > limit
	if more {
		msgs = msgs[:limit]
	}
	return msgs, more, s.withAttachments(ctx, s.DB, msgs)
}

// V2Message returns one message of a live thread of the team.
func (s *Store) V2Message(ctx context.Context, q Querier, teamID, id string) (V2MessageRow, error) {
	loc, err := s.locateMessage(ctx, q, teamID, id)
	if err != nil {
		return V2MessageRow{}, err
	}
	rows, err := s.query(ctx, q, loc.src.messageSelect()+` WHERE m.id = ?`, id)
	if err != nil {
		return V2MessageRow{}, err
	}
	msgs, err := loc.src.scanMessages(rows)
	if err != nil {
		return V2MessageRow{}, err
	}
	if len(msgs) != 1 {
		return V2MessageRow{}, notFoundV2("message", id)
	}
	return msgs[0], s.withAttachments(ctx, q, msgs)
}

// V2MessagesByIDs loads messages by ID from one source (missing ones are left out).
func (s *Store) V2MessagesByIDs(ctx context.Context, q Querier, src *V2Src, ids []string) (map[string]V2MessageRow, error) {
	out := map[string]V2MessageRow{}
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := s.query(ctx, q, src.messageSelect()+` WHERE m.id IN (`+placeholders(len(ids))+`)`, args...)
	if err != nil {
		return nil, err
	}
	msgs, err := src.scanMessages(rows)
	if err != nil {
		return nil, err
	}
	if err := s.withAttachments(ctx, q, msgs); err != nil {
		return nil, err
	}
	for _, m := range msgs {
		out[m.ID] = m
	}
	return out, nil
}

// V2AttachmentRow is a media attachment or a link card of a message.
type V2AttachmentRow struct {
	Index                      int
	Kind, Status, URL          string
	Filename, ContentType      *string
	Title, Description, Domain *string
	SizeBytes, Width, Height   *int64
	DurationSeconds            *float64
}

// withAttachments fills the attachments of the messages, in index order.
func (s *Store) withAttachments(ctx context.Context, q Querier, msgs []V2MessageRow) error {
	if len(msgs) == 0 {
		return nil
	}
	args := make([]any, len(msgs))
	at := map[string]int{}
	for i, m := range msgs {
		args[i] = m.ID
		at[m.ID] = i
		msgs[i].Attachments = []V2AttachmentRow{}
	}
	rows, err := s.query(ctx, q, `SELECT message_id, idx, kind, filename, content_type, size_bytes, width,
		height, duration_seconds, status, url, title, description, domain FROM attachments
		WHERE message_id IN (`+placeholders(len(msgs))+`) ORDER BY message_id, idx`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var a V2AttachmentRow
		var filename, ctype, title, desc, domain sql.NullString
		var size, width, height sql.NullInt64
		var dur sql.NullFloat64
		if err := rows.Scan(&id, &a.Index, &a.Kind, &filename, &ctype, &size, &width, &height, &dur, &a.Status,
			&a.URL, &title, &desc, &domain); err != nil {
			return err
		}
		a.Filename, a.ContentType, a.Title, a.Description, a.Domain = Strp(filename), Strp(ctype), Strp(title), Strp(desc), Strp(domain)
		a.SizeBytes, a.Width, a.Height, a.DurationSeconds = int64p(size), int64p(width), int64p(height), floatp(dur)
		i := at[id]
		msgs[i].Attachments = append(msgs[i].Attachments, a)
	}
	return rows.Err()
}

// V2History returns a message's versions (the original first) and its deletion, if any.
func (s *Store) V2History(ctx context.Context, m V2MessageRow) ([]MessageVersion, error) {
	var versions []MessageVersion
	if m.Src == SrcX {
		rows, err := s.query(ctx, s.DB, `SELECT content, created_at, edit_origin FROM message_versions
			WHERE message_id = ? ORDER BY n`, m.ID)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		for rows.Next() {
			var v MessageVersion
			var at int64
			var origin sql.NullString
			if err := rows.Scan(&v.Content, &at, &origin); err != nil {
				return nil, err
			}
			v.CreatedAt, v.EditOrigin = FromMillis(at), Strp(origin)
			versions = append(versions, v)
		}
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	if len(versions) == 0 {
		versions = []MessageVersion{{Content: m.Content, CreatedAt: m.CreatedAt}}
	}
	return versions, nil
}
