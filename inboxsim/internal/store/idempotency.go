package store

import (
	"context"
	"database/sql"
	"errors"
)

// A v2 send with an Idempotency-Key records its answer in the transaction that stores its
// message, so the key is remembered exactly when the message exists; the v2 API decides what
// a key means (see its package documentation), the store only keeps the records.

// IdempotencyRecord is the stored result of a keyed send.
type IdempotencyRecord struct {
	Hash      string
	Status    int
	Body      []byte
	MessageID string
}

// LookupIdempotencyKey returns the stored result of a key, nil when there is none.
func (s *Store) LookupIdempotencyKey(ctx context.Context, teamID, key string) (*IdempotencyRecord, error) {
	var r IdempotencyRecord
	var body string
	err := s.DB.QueryRowContext(ctx, `SELECT body_hash, status, body, message_id FROM idempotency_keys
		WHERE team_id = ? AND key = ? AND created_at >= ?`, teamID, key, Millis(s.Clock().Add(-idempotencyRetention))).Scan(
		&r.Hash, &r.Status, &body, &r.MessageID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	r.Body = []byte(body)
	return &r, err
}

// StoreIdempotencyKey records a key's result in the send's transaction.
func (s *Store) StoreIdempotencyKey(ctx context.Context, tx *sql.Tx, teamID, key string, r IdempotencyRecord) error {
	_, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO idempotency_keys (team_id, key, body_hash, status, body, message_id, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, teamID, key, r.Hash, r.Status, string(r.Body), r.MessageID, Millis(s.Clock()))
	return err
}
