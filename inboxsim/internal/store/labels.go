package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
)

// Palette is the predefined colors (GET /colors, /tags/colors, /statuses/colors). The names and
// hex codes the docs show (red #ef4444, blue #3b82f6, green #22c55e, teal, amber, purple) are
// the Tailwind 500 shades; the rest of that family completes the list.
var Palette = []Color{
	{"red", "#ef4444"}, {"orange", "#f97316"}, {"amber", "#f59e0b"}, {"yellow", "#eab308"},
	{"lime", "#84cc16"}, {"green", "#22c55e"}, {"emerald", "#10b981"}, {"teal", "#14b8a6"},
	{"cyan", "#06b6d4"}, {"sky", "#0ea5e9"}, {"blue", "#3b82f6"}, {"indigo", "#6366f1"},
	{"violet", "#8b5cf6"}, {"purple", "#a855f7"}, {"fuchsia", "#d946ef"}, {"pink", "#ec4899"},
	{"rose", "#f43f5e"}, {"gray", "#6b7280"},
}

// DefaultTagColor is given to a tag created without a color (a tag always has one).
const DefaultTagColor = "#6b7280"

// Colors returns the predefined colors.
func Colors() []Color { return Palette }

// NormalizeColor turns a predefined color name or a #rrggbb code into the stored lowercase hex.
func NormalizeColor(c string) (string, bool) {
	lc := strings.ToLower(strings.TrimSpace(c))
	for _, p := range Palette {
		if p.Name == lc {
			return p.Hex, true
		}
	}
	if len(lc) != 7 || lc[0] != '#' {
		return "", false
	}
	for i := 1; i < 7; i++ {
		if !strings.ContainsRune("0123456789abcdef", rune(lc[i])) {
			return "", false
		}
	}
	return lc, true
}

// labelExists returns a 404 unless the tag or status exists. table and kind are constants,
// never user input.
func (s *Store) labelExists(ctx context.Context, q Querier, table, kind, teamID, id string) error {
	ok, err := exists(ctx, q, `SELECT 1 FROM `+table+` WHERE id = ? AND team_id = ?`, id, teamID)
	if err != nil {
		return err
	}
	if !ok {
		return notFound(kind, id)
	}
	return nil
}

// Tags returns the team's tags in creation order.
func (s *Store) Tags(ctx context.Context, teamID string) ([]Tag, error) {
	return s.QueryTags(ctx, s.DB, `WHERE team_id = ? ORDER BY created_at, id`, teamID)
}

// Tag returns one tag.
func (s *Store) Tag(ctx context.Context, teamID, id string) (Tag, error) {
	return s.oneTag(ctx, s.DB, teamID, id)
}

func (s *Store) oneTag(ctx context.Context, q Querier, teamID, id string) (Tag, error) {
	tags, err := s.QueryTags(ctx, q, `WHERE team_id = ? AND id = ?`, teamID, id)
	if err != nil {
		return Tag{}, err
	}
	if len(tags) == 0 {
		return Tag{}, notFound("tag", id)
	}
	return tags[0], nil
}

// QueryTags returns the team's tags matching where (SQL on the tags table, with args).
func (s *Store) QueryTags(ctx context.Context, q Querier, where string, args ...any) ([]Tag, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, name, color, created_at FROM tags `+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Tag{}
	for rows.Next() {
		var t Tag
		var created int64
		if err := rows.Scan(&t.ID, &t.Name, &t.Color, &created); err != nil {
			return nil, err
		}
		t.CreatedAt = FromMillis(created)
		out = append(out, t)
	}
	return out, rows.Err()
}

// nameTaken reports a 409 when another label of the team has the name (ignoring case).
func (s *Store) nameTaken(ctx context.Context, tx *sql.Tx, table, kind, teamID, name, exceptID string) error {
	var id, existing string
	err := tx.QueryRowContext(ctx, `SELECT id, name FROM `+table+` WHERE team_id = ? AND name = ? COLLATE NOCASE AND id != ?`,
		teamID, name, exceptID).Scan(&id, &existing)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	return conflict("the %s %q (ID %s) already exists and names are unique per team, ignoring case: use that %s or choose another name", kind, existing, id, kind)
}

// CreateTag creates a tag; the name must be unique in the team (409 otherwise).
func (s *Store) CreateTag(ctx context.Context, teamID string, in LabelInput) (Tag, error) {
	t := Tag{ID: s.ids.id(), Name: *in.Name, Color: DefaultTagColor, CreatedAt: s.Clock()}
	if in.Color != nil {
		t.Color = *in.Color
	}
	err := s.Write(ctx, func(tx *sql.Tx) error {
		if err := s.nameTaken(ctx, tx, "tags", "tag", teamID, t.Name, ""); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO tags (id, team_id, name, color, created_at) VALUES (?, ?, ?, ?, ?)`,
			t.ID, teamID, t.Name, t.Color, Millis(t.CreatedAt)); err != nil {
			return err
		}
		return s.appendEvent(ctx, tx, teamID, "tag.created", EventData{Tag: &t})
	})
	return t, err
}

// UpdateTag renames and/or recolors a tag. A null color resets it to the default color.
func (s *Store) UpdateTag(ctx context.Context, teamID, id string, in LabelInput) (Tag, error) {
	var t Tag
	err := s.Write(ctx, func(tx *sql.Tx) error {
		var err error
		if t, err = s.oneTag(ctx, tx, teamID, id); err != nil {
			return err
		}
		before := t
		if in.Name != nil {
			if err := s.nameTaken(ctx, tx, "tags", "tag", teamID, *in.Name, id); err != nil {
				return err
			}
			t.Name = *in.Name
		}
		if in.SetColor {
			t.Color = DefaultTagColor
			if in.Color != nil {
				t.Color = *in.Color
			}
		}
		if t == before {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE tags SET name = ?, color = ? WHERE id = ?`, t.Name, t.Color, id); err != nil {
			return err
		}
		return s.appendEvent(ctx, tx, teamID, "tag.updated", EventData{Tag: &t})
	})
	return t, err
}

// DeleteTag deletes a tag and strips it from every prospect.
func (s *Store) DeleteTag(ctx context.Context, teamID, id string) error {
	return s.Write(ctx, func(tx *sql.Tx) error {
		t, err := s.oneTag(ctx, tx, teamID, id)
		if err != nil {
			return err
		}
		// Tag IDs have no commas, so the ID can be cut out of the comma-joined list.
		if _, err := tx.ExecContext(ctx, `UPDATE prospects SET tags = trim(replace(',' || tags || ',', ',' || ? || ',', ','), ',')
			WHERE id IN (SELECT prospect_id FROM prospect_tags WHERE tag_id = ?)`, id, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM prospect_tags WHERE tag_id = ?`, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM tags WHERE id = ?`, id); err != nil {
			return err
		}
		return s.appendEvent(ctx, tx, teamID, "tag.deleted", EventData{Tag: &t})
	})
}

// Statuses returns the team's statuses in pipeline order.
func (s *Store) Statuses(ctx context.Context, teamID string) ([]Status, error) {
	return s.QueryStatuses(ctx, s.DB, `WHERE team_id = ? ORDER BY rank, created_at, id`, teamID)
}

// Status returns one status.
func (s *Store) Status(ctx context.Context, teamID, id string) (Status, error) {
	return s.oneStatus(ctx, s.DB, teamID, id)
}

func (s *Store) oneStatus(ctx context.Context, q Querier, teamID, id string) (Status, error) {
	st, err := s.QueryStatuses(ctx, q, `WHERE team_id = ? AND id = ?`, teamID, id)
	if err != nil {
		return Status{}, err
	}
	if len(st) == 0 {
		return Status{}, notFound("status", id)
	}
	return st[0], nil
}

// QueryStatuses returns the team's statuses matching where (SQL on the statuses table, with args).
func (s *Store) QueryStatuses(ctx context.Context, q Querier, where string, args ...any) ([]Status, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, name, color, created_at FROM statuses `+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Status{}
	for rows.Next() {
		var st Status
		var color sql.NullString
		var created int64
		if err := rows.Scan(&st.ID, &st.Name, &color, &created); err != nil {
			return nil, err
		}
		st.Color, st.CreatedAt = Strp(color), FromMillis(created)
		out = append(out, st)
	}
	return out, rows.Err()
}

// CreateStatus creates a status at the end of the pipeline; the name must be unique.
func (s *Store) CreateStatus(ctx context.Context, teamID string, in LabelInput) (Status, error) {
	st := Status{ID: s.ids.id(), Name: *in.Name, Color: in.Color, CreatedAt: s.Clock()}
	err := s.Write(ctx, func(tx *sql.Tx) error {
		if err := s.nameTaken(ctx, tx, "statuses", "status", teamID, st.Name, ""); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO statuses (id, team_id, name, color, created_at, rank)
			VALUES (?, ?, ?, ?, ?, (SELECT coalesce(max(rank), 0) + 1 FROM statuses WHERE team_id = ?))`,
			st.ID, teamID, st.Name, Nullable(st.Color), Millis(st.CreatedAt), teamID); err != nil {
			return err
		}
		return s.appendEvent(ctx, tx, teamID, "status.created", EventData{Status: &st})
	})
	return st, err
}

// UpdateStatus renames and/or recolors a status; a null color removes the color.
func (s *Store) UpdateStatus(ctx context.Context, teamID, id string, in LabelInput) (Status, error) {
	var st Status
	err := s.Write(ctx, func(tx *sql.Tx) error {
		var err error
		if st, err = s.oneStatus(ctx, tx, teamID, id); err != nil {
			return err
		}
		changed := false
		if in.Name != nil && *in.Name != st.Name {
			if err := s.nameTaken(ctx, tx, "statuses", "status", teamID, *in.Name, id); err != nil {
				return err
			}
			st.Name, changed = *in.Name, true
		}
		if in.SetColor && !sameString(st.Color, in.Color) {
			st.Color, changed = in.Color, true
		}
		if !changed {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE statuses SET name = ?, color = ? WHERE id = ?`, st.Name, Nullable(st.Color), id); err != nil {
			return err
		}
		return s.appendEvent(ctx, tx, teamID, "status.updated", EventData{Status: &st})
	})
	return st, err
}

// DeleteStatus deletes a status and clears it from every prospect that had it.
func (s *Store) DeleteStatus(ctx context.Context, teamID, id string) error {
	return s.Write(ctx, func(tx *sql.Tx) error {
		st, err := s.oneStatus(ctx, tx, teamID, id)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE prospects SET status_id = NULL WHERE status_id = ? AND team_id = ?`, id, teamID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM statuses WHERE id = ?`, id); err != nil {
			return err
		}
		return s.appendEvent(ctx, tx, teamID, "status.deleted", EventData{Status: &st})
	})
}
