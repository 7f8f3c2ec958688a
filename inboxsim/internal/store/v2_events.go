package store

import (
	"context"
	"database/sql"
	"encoding/json"
)

// v2StoredEvent is the payload of a v2_events row. Events copied from the v1 log hold the v1
// payload (the EventData snapshot); events written by the v2 layer use the same fields, plus
// what only v2 has (a contact's default assignee).
type v2StoredEvent struct {
	EventData
	ContactID  string  `json:",omitempty"`
	AssigneeID *string `json:",omitempty"`
}

// V2LogEvent is one row of the v2 event log.
type V2LogEvent struct {
	Seq      int64
	ID       string
	Type     string
	At       int64
	Platform string
	Data     v2StoredEvent
}

// appendV2Event writes an event to the v2 log only: a change v1 does not see (LinkedIn, or a
// v2-only field), in the transaction that made it.
func (s *Store) appendV2Event(ctx context.Context, tx *sql.Tx, teamID, platform, typ string, data v2StoredEvent) error {
	if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO v2_counters (team_id, event_seq) VALUES (?, 0)`, teamID); err != nil {
		return err
	}
	var seq int64
	if err := tx.QueryRowContext(ctx, `UPDATE v2_counters SET event_seq = event_seq + 1 WHERE team_id = ? RETURNING event_seq`, teamID).Scan(&seq); err != nil {
		return err
	}
	raw, err := json.Marshal(data)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO v2_events (team_id, seq, id, type, at, platform, data) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		teamID, seq, s.ids.id(), typ, Millis(s.Clock()), platform, string(raw))
	return err
}

// V2Events reads up to limit retained events after afterSeq, oldest first, and whether more
// follow.
func (s *Store) V2Events(ctx context.Context, teamID string, afterSeq int64, limit int) ([]V2LogEvent, bool, error) {
	cutoff := Millis(s.Clock().Add(-eventRetention))
	rows, err := s.query(ctx, s.DB, `SELECT seq, id, type, at, platform, data FROM v2_events
		WHERE team_id = ? AND seq > ? AND at >= ? ORDER BY seq LIMIT ?`, teamID, afterSeq, cutoff, limit+1)
	if err != nil {
		return nil, false, err
	}
	defer rows.Close()
	var out []V2LogEvent
	more := false
	for rows.Next() {
		if len(out) == limit {
			more = true
			break
		}
		var e V2LogEvent
		var data string
		if err := rows.Scan(&e.Seq, &e.ID, &e.Type, &e.At, &e.Platform, &data); err != nil {
			return nil, false, err
		}
		if err := json.Unmarshal([]byte(data), &e.Data); err != nil {
			return nil, false, err
		}
		out = append(out, e)
	}
	return out, more, rows.Err()
}
