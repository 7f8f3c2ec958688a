package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"
)

// eventRetention is how long the event log keeps events (documented: 7 days).
const eventRetention = 7 * 24 * time.Hour

// appendEvent records an event in the write transaction that caused it, so an event exists
// exactly when its change was committed. seq is the team's counter plus one: increasing,
// without gaps, never reused.
func (s *Store) appendEvent(ctx context.Context, tx *sql.Tx, teamID, typ string, data EventData) error {
	var seq int64
	if err := tx.QueryRowContext(ctx, `UPDATE teams SET event_seq = event_seq + 1 WHERE id = ? RETURNING event_seq`, teamID).Scan(&seq); err != nil {
		return err
	}
	raw, err := json.Marshal(data)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO events (team_id, seq, id, type, at, data) VALUES (?, ?, ?, ?, ?, ?)`,
		teamID, seq, s.ids.id(), typ, Millis(s.Clock()), string(raw))
	return err
}

// Events returns up to limit events with seq > afterSeq that are still retained, oldest first.
func (s *Store) Events(ctx context.Context, teamID string, afterSeq int64, limit int) (EventPage, error) {
	cutoff := Millis(s.Clock().Add(-eventRetention))
	rows, err := s.DB.QueryContext(ctx, `SELECT seq, id, type, at, data FROM events
		WHERE team_id = ? AND seq > ? AND at >= ? ORDER BY seq LIMIT ?`, teamID, afterSeq, cutoff, limit+1)
	if err != nil {
		return EventPage{}, err
	}
	defer rows.Close()
	page := EventPage{Events: []Event{}}
	for rows.Next() {
		var e Event
		var at int64
		var data string
		if err := rows.Scan(&e.Seq, &e.ID, &e.Type, &at, &data); err != nil {
			return EventPage{}, err
		}
		if len(page.Events) == limit {
			page.HasMore = true
			break
		}
		e.TeamID = teamID
		e.Timestamp = FromMillis(at)
		if err := json.Unmarshal([]byte(data), &e.Data); err != nil {
			return EventPage{}, err
		}
		page.Events = append(page.Events, e)
	}
	return page, rows.Err()
}

// PruneEvents drops events past retention; called when the simulator starts.
func (s *Store) PruneEvents(ctx context.Context) error {
	return s.Write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM events WHERE at < ?`, Millis(s.Clock().Add(-eventRetention)))
		return err
	})
}
