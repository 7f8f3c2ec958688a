package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"time"
)

// v2SchemaDDL adds what the v2 API needs to the store, next to the v1 tables and without
// changing them, so the v1 API and its data set stay exactly as they were.
//
// X conversations stay in the v1 tables (account_links, prospects, threads, messages): both
// versions read and write the same rows, so a message sent through one is seen by the other.
// LinkedIn, which v1 does not know, lives in li_* tables with the same column names, so one
// set of v2 queries reads both platforms with only the table names swapped, and nothing v1
// reads can ever return a LinkedIn row.
//
// A v1 prospect is a v2 profile. A v2 contact is identified by its primary profile: an X
// prospect, or a LinkedIn profile nobody linked to an X prospect. contact_links groups further
// profiles (LinkedIn ones) under an X prospect's contact, whose CRM state (status, tags, notes,
// valuation) stays where v1 keeps it, on the prospect row. What only v2 has lives in small
// side tables: the contact's default assignee, unread marks, per-account-link capabilities,
// attachments, the token a message was sent with, reaction versions and Idempotency-Keys.
//
// v2_events is the v2 event log, with its own sequence per team. A trigger copies every v1
// event into it as it is written; LinkedIn changes and v2-only changes are written to it
// directly. Two more triggers carry v1 tag and status deletions over to LinkedIn contacts.
const v2SchemaDDL = `
CREATE TABLE IF NOT EXISTS li_account_links (
	id          TEXT PRIMARY KEY,
	team_id     TEXT NOT NULL,
	platform_id TEXT NOT NULL,
	name        TEXT NOT NULL,
	username    TEXT NOT NULL,
	image       TEXT NOT NULL,
	created_at  INTEGER NOT NULL,
	status      TEXT NOT NULL,
	synced_at   INTEGER,
	rank        INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS li_account_links_team ON li_account_links(team_id, rank);

CREATE TABLE IF NOT EXISTS li_profiles (
	id                    TEXT PRIMARY KEY,
	team_id               TEXT NOT NULL,
	platform_id           TEXT NOT NULL,
	display_name          TEXT NOT NULL,
	username              TEXT NOT NULL,
	image                 TEXT,
	bio                   TEXT,
	location              TEXT,
	website_url           TEXT,
	website_domain        TEXT,
	verified              TEXT NOT NULL DEFAULT 'none',
	profile_type          TEXT NOT NULL DEFAULT 'personal',
	is_protected          INTEGER NOT NULL DEFAULT 0,
	follower_count        INTEGER,
	following_count       INTEGER,
	post_count            INTEGER,
	engagement_count      INTEGER,
	listed_count          INTEGER,
	platform_created_at   INTEGER,
	first_seen_at         INTEGER,
	last_updated_at       INTEGER NOT NULL,
	professional_category TEXT,
	banner_url            TEXT,
	url_entities          TEXT NOT NULL DEFAULT '[]',
	platform_data         TEXT NOT NULL DEFAULT '{}',
	status_id             TEXT,
	valuation             REAL,
	notes                 TEXT,
	tags                  TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX IF NOT EXISTS li_profiles_platform ON li_profiles(team_id, platform_id);
CREATE INDEX IF NOT EXISTS li_profiles_username ON li_profiles(team_id, username COLLATE NOCASE);

CREATE TABLE IF NOT EXISTS li_profile_tags (
	prospect_id TEXT NOT NULL,
	tag_id      TEXT NOT NULL,
	PRIMARY KEY (prospect_id, tag_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS li_profile_tags_tag ON li_profile_tags(tag_id, prospect_id);

CREATE TABLE IF NOT EXISTS li_threads (
	id              TEXT PRIMARY KEY,
	team_id         TEXT NOT NULL,
	account_link_id TEXT NOT NULL,
	prospect_id     TEXT NOT NULL,
	platform_id     TEXT NOT NULL,
	done            INTEGER NOT NULL DEFAULT 0,
	assignee_id     TEXT,
	last_message_id TEXT,
	last_message_at INTEGER,
	sort_at         INTEGER NOT NULL,
	created_at      INTEGER NOT NULL,
	status          TEXT NOT NULL,
	variant         TEXT NOT NULL,
	is_syncing      INTEGER NOT NULL DEFAULT 0,
	is_request      INTEGER NOT NULL DEFAULT 0,
	typing_enabled  INTEGER,
	campaign_id     TEXT,
	has_inbound     INTEGER NOT NULL DEFAULT 0,
	has_outbound    INTEGER NOT NULL DEFAULT 0,
	last_inbound    INTEGER NOT NULL DEFAULT 0,
	typing_at       INTEGER,
	deleted_at      INTEGER
);
CREATE INDEX IF NOT EXISTS li_threads_sort ON li_threads(team_id, sort_at, id);
CREATE INDEX IF NOT EXISTS li_threads_prospect ON li_threads(prospect_id, account_link_id);
CREATE UNIQUE INDEX IF NOT EXISTS li_threads_pair ON li_threads(account_link_id, prospect_id) WHERE deleted_at IS NULL;

CREATE TABLE IF NOT EXISTS li_messages (
	id                  TEXT PRIMARY KEY,
	team_id             TEXT NOT NULL,
	thread_id           TEXT NOT NULL,
	user_id             TEXT,
	created_at          INTEGER NOT NULL,
	updated_at          INTEGER,
	platform_id         TEXT,
	content             TEXT NOT NULL,
	campaign_id         TEXT,
	author_id           TEXT NOT NULL,
	origin              TEXT,
	reply_to_id         TEXT,
	reactions           TEXT NOT NULL DEFAULT '[]',
	is_encrypted        INTEGER,
	is_edited           INTEGER NOT NULL DEFAULT 0,
	deleted_at          INTEGER,
	platform_deleted_at INTEGER,
	deletion_type       TEXT,
	deletion_origin     TEXT,
	deletion_author     TEXT,
	inbound             INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS li_messages_thread ON li_messages(thread_id, created_at, id);

CREATE TABLE IF NOT EXISTS contact_links (
	profile_id TEXT PRIMARY KEY,
	primary_id TEXT NOT NULL,
	linked_at  INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS contact_links_primary ON contact_links(primary_id, linked_at);

CREATE TABLE IF NOT EXISTS contacts_v2 (
	primary_id  TEXT PRIMARY KEY,
	assignee_id TEXT,
	updated_at  INTEGER
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS thread_marks (
	thread_id TEXT PRIMARY KEY,
	unread    INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS link_capabilities (
	link_id TEXT PRIMARY KEY,
	removed TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS attachments (
	message_id       TEXT NOT NULL,
	idx              INTEGER NOT NULL,
	kind             TEXT NOT NULL,
	filename         TEXT,
	content_type     TEXT,
	size_bytes       INTEGER,
	width            INTEGER,
	height           INTEGER,
	duration_seconds REAL,
	status           TEXT NOT NULL,
	url              TEXT NOT NULL,
	title            TEXT,
	description      TEXT,
	domain           TEXT,
	PRIMARY KEY (message_id, idx)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS message_tokens (
	message_id TEXT PRIMARY KEY,
	token_id   TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS reaction_versions (
	message_id TEXT PRIMARY KEY,
	version    INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS idempotency_keys (
	team_id    TEXT NOT NULL,
	key        TEXT NOT NULL,
	body_hash  TEXT NOT NULL,
	status     INTEGER NOT NULL,
	body       TEXT NOT NULL,
	message_id TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	PRIMARY KEY (team_id, key)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS v2_counters (
	team_id   TEXT PRIMARY KEY,
	event_seq INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS v2_events (
	team_id  TEXT NOT NULL,
	seq      INTEGER NOT NULL,
	id       TEXT NOT NULL,
	type     TEXT NOT NULL,
	at       INTEGER NOT NULL,
	platform TEXT NOT NULL,
	data     TEXT NOT NULL,
	PRIMARY KEY (team_id, seq)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS v2_events_at ON v2_events(team_id, at);

CREATE TRIGGER IF NOT EXISTS v2_events_from_v1 AFTER INSERT ON events
BEGIN
	INSERT OR IGNORE INTO v2_counters (team_id, event_seq) VALUES (NEW.team_id, 0);
	UPDATE v2_counters SET event_seq = event_seq + 1 WHERE team_id = NEW.team_id;
	INSERT INTO v2_events (team_id, seq, id, type, at, platform, data)
		SELECT NEW.team_id, event_seq, NEW.id, NEW.type, NEW.at, 'twitter', NEW.data
		FROM v2_counters WHERE team_id = NEW.team_id;
END;

CREATE TRIGGER IF NOT EXISTS li_strip_deleted_tag AFTER DELETE ON tags
BEGIN
	UPDATE li_profiles SET tags = trim(replace(',' || tags || ',', ',' || OLD.id || ',', ','), ',')
		WHERE id IN (SELECT prospect_id FROM li_profile_tags WHERE tag_id = OLD.id);
	DELETE FROM li_profile_tags WHERE tag_id = OLD.id;
END;

CREATE TRIGGER IF NOT EXISTS li_clear_deleted_status AFTER DELETE ON statuses
BEGIN
	UPDATE li_profiles SET status_id = NULL WHERE status_id = OLD.id;
END;
`

// idempotencyRetention is how long a send's Idempotency-Key is remembered. The document does
// not say; 24 hours is the common choice (and far longer than any retry loop).
const idempotencyRetention = 24 * time.Hour

// InitV2 creates the v2 tables, seeds the v2 data (LinkedIn, contact groupings, the v2-only
// state) once per store, and drops expired v2 events and Idempotency-Keys. It runs after the
// v1 seed and takes its seed and scale from the store, so a file store keeps its data set;
// seedV2 writes the v2 data set.
func (s *Store) InitV2(ctx context.Context, seedV2 func(ctx context.Context, tx *sql.Tx, seed int64, scale float64, now time.Time) error) error {
	if _, err := s.DB.ExecContext(ctx, v2SchemaDDL); err != nil {
		return fmt.Errorf("create the v2 tables: %w", err)
	}
	done, err := s.Meta(ctx, "v2seeded")
	if err != nil {
		return err
	}
	if done == "" {
		seed, err := s.metaInt(ctx, "seed", 1)
		if err != nil {
			return err
		}
		scaleText, err := s.Meta(ctx, "scale")
		if err != nil {
			return err
		}
		scale, perr := strconv.ParseFloat(scaleText, 64)
		if perr != nil || scale <= 0 {
			scale = 1
		}
		err = s.Write(ctx, func(tx *sql.Tx) error {
			// Events written before the store knew v2 start the v2 log, under the same numbers.
			if _, err := tx.ExecContext(ctx, `INSERT INTO v2_events (team_id, seq, id, type, at, platform, data)
				SELECT team_id, seq, id, type, at, 'twitter', data FROM events`); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO v2_counters (team_id, event_seq)
				SELECT id, event_seq FROM teams`); err != nil {
				return err
			}
			if err := seedV2(ctx, tx, seed, scale, s.Clock()); err != nil {
				return fmt.Errorf("seed the v2 data: %w", err)
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES ('v2seeded', '1')`)
			return err
		})
		if err != nil {
			return err
		}
	}
	return s.Write(ctx, func(tx *sql.Tx) error {
		now := s.Clock()
		if _, err := tx.ExecContext(ctx, `DELETE FROM v2_events WHERE at < ?`, Millis(now.Add(-eventRetention))); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM idempotency_keys WHERE created_at < ?`, Millis(now.Add(-idempotencyRetention)))
		return err
	})
}

func (s *Store) metaInt(ctx context.Context, key string, def int64) (int64, error) {
	v, err := s.Meta(ctx, key)
	if err != nil || v == "" {
		return def, err
	}
	n, perr := strconv.ParseInt(v, 10, 64)
	if perr != nil {
		return def, nil
	}
	return n, nil
}
