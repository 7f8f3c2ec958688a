package store

// schemaVersion changes whenever the DDL below changes incompatibly; a file store made by
// another version is refused with a message instead of being misread.
const schemaVersion = "1"

// schemaDDL creates the store. Times are INTEGER Unix milliseconds. Booleans are 0/1. Lists
// that are only ever read whole with their row (bio URL entities, reactions) are JSON text.
// The preview of a thread's last message (lm_*) is copied into the thread row, so list pages
// need no lookup in the largest table. A prospect's tags are kept twice: in order, comma-joined, in prospects.tags (read with the
// row, no per-row subquery on list pages) and as prospect_tags rows (for tag filters).
//
// The layout serves the hot paths:
//   - threads are stored in (team, sort_at, id) order (a clustered WITHOUT ROWID table): a
//     page of a thread list is a keyset walk on (sort_at, id) in either direction that reads
//     consecutive rows, with no index-to-table hop; threads_id serves lookups by ID;
//   - messages_thread: message pages, a keyset walk on (created_at, id) within a thread;
//   - prospect_tags_tag: tag filters and "strip this tag from every prospect";
//   - the lookups by platform ID, username and (account link, prospect).
const schemaDDL = `
CREATE TABLE meta (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE teams (
	id                   TEXT PRIMARY KEY,
	name                 TEXT NOT NULL,
	slug                 TEXT NOT NULL,
	image                TEXT,
	created_at           INTEGER NOT NULL,
	updated_at           INTEGER,
	currency             TEXT NOT NULL,
	allow_support_access INTEGER NOT NULL,
	event_seq            INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE members (
	id         TEXT PRIMARY KEY,
	team_id    TEXT NOT NULL REFERENCES teams(id),
	user_id    TEXT NOT NULL,
	name       TEXT,
	email      TEXT NOT NULL,
	image      TEXT,
	role       TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	updated_at INTEGER,
	rank       INTEGER NOT NULL
);
CREATE INDEX members_team ON members(team_id, rank);

CREATE TABLE account_links (
	id          TEXT PRIMARY KEY,
	team_id     TEXT NOT NULL REFERENCES teams(id),
	platform_id TEXT NOT NULL,
	name        TEXT NOT NULL,
	username    TEXT NOT NULL,
	image       TEXT NOT NULL,
	created_at  INTEGER NOT NULL,
	status      TEXT NOT NULL,
	synced_at   INTEGER,
	rank        INTEGER NOT NULL
);
CREATE INDEX account_links_team ON account_links(team_id, rank);

CREATE TABLE campaigns (
	id         TEXT PRIMARY KEY,
	team_id    TEXT NOT NULL REFERENCES teams(id),
	name       TEXT NOT NULL,
	created_at INTEGER NOT NULL
);

CREATE TABLE prospects (
	id                    TEXT PRIMARY KEY,
	team_id               TEXT NOT NULL REFERENCES teams(id),
	platform_id           TEXT NOT NULL,
	document_id           INTEGER,
	display_name          TEXT NOT NULL,
	username              TEXT NOT NULL,
	image                 TEXT,
	image_normalized      TEXT,
	bio                   TEXT,
	location              TEXT,
	website_url           TEXT,
	website_domain        TEXT,
	verified              TEXT NOT NULL,
	profile_type          TEXT NOT NULL,
	is_protected          INTEGER NOT NULL,
	follower_count        INTEGER NOT NULL,
	following_count       INTEGER NOT NULL,
	post_count            INTEGER NOT NULL,
	engagement_count      INTEGER,
	listed_count          INTEGER,
	platform_created_at   INTEGER,
	first_seen_at         INTEGER,
	last_updated_at       INTEGER NOT NULL,
	last_enriched_at      INTEGER,
	last_active_at        INTEGER,
	source                TEXT NOT NULL,
	confidence            REAL NOT NULL,
	professional_category TEXT,
	banner_url            TEXT,
	url_entities          TEXT NOT NULL DEFAULT '[]',
	status_id             TEXT,
	valuation             REAL,
	notes                 TEXT,
	tags                  TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX prospects_platform ON prospects(team_id, platform_id);
CREATE INDEX prospects_username ON prospects(team_id, username COLLATE NOCASE);
CREATE INDEX prospects_status ON prospects(status_id);

CREATE TABLE tags (
	id         TEXT PRIMARY KEY,
	team_id    TEXT NOT NULL REFERENCES teams(id),
	name       TEXT NOT NULL,
	color      TEXT NOT NULL,
	created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX tags_name ON tags(team_id, name COLLATE NOCASE);

CREATE TABLE statuses (
	id         TEXT PRIMARY KEY,
	team_id    TEXT NOT NULL REFERENCES teams(id),
	name       TEXT NOT NULL,
	color      TEXT,
	created_at INTEGER NOT NULL,
	rank       INTEGER NOT NULL
);
CREATE UNIQUE INDEX statuses_name ON statuses(team_id, name COLLATE NOCASE);

CREATE TABLE prospect_tags (
	prospect_id TEXT NOT NULL,
	tag_id      TEXT NOT NULL,
	PRIMARY KEY (prospect_id, tag_id)
) WITHOUT ROWID;
CREATE INDEX prospect_tags_tag ON prospect_tags(tag_id, prospect_id);

CREATE TABLE threads (
	id              TEXT NOT NULL,
	team_id         TEXT NOT NULL REFERENCES teams(id),
	account_link_id TEXT NOT NULL,
	prospect_id     TEXT NOT NULL,
	platform_id     TEXT NOT NULL,
	done            INTEGER NOT NULL DEFAULT 0,
	assignee_id     TEXT,
	last_message_id TEXT,
	last_message_at INTEGER,
	lm_content      TEXT,
	lm_author       TEXT,
	lm_user         TEXT,
	lm_campaign     TEXT,
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
	deleted_at      INTEGER,
	PRIMARY KEY (team_id, sort_at, id)
) WITHOUT ROWID;
CREATE UNIQUE INDEX threads_id ON threads(id);
CREATE INDEX threads_prospect ON threads(prospect_id, account_link_id);
CREATE UNIQUE INDEX threads_pair ON threads(account_link_id, prospect_id) WHERE deleted_at IS NULL;

CREATE TABLE messages (
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
CREATE INDEX messages_thread ON messages(thread_id, created_at, id);

CREATE TABLE message_versions (
	message_id  TEXT NOT NULL,
	n           INTEGER NOT NULL,
	content     TEXT NOT NULL,
	created_at  INTEGER NOT NULL,
	edit_origin TEXT,
	PRIMARY KEY (message_id, n)
) WITHOUT ROWID;

CREATE TABLE events (
	team_id TEXT NOT NULL,
	seq     INTEGER NOT NULL,
	id      TEXT NOT NULL,
	type    TEXT NOT NULL,
	at      INTEGER NOT NULL,
	data    TEXT NOT NULL,
	PRIMARY KEY (team_id, seq)
) WITHOUT ROWID;
CREATE INDEX events_at ON events(team_id, at);
`
