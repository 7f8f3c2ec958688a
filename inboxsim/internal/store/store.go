package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"sync"
	"time"

	_ "modernc.org/sqlite" // registers the pure-Go "sqlite" driver
)

// Store is the simulator's state: an SQLite database plus the domain operations on it. It
// knows nothing of HTTP or of API versions.
//
// Writes are serialized by a mutex (SQLite has one writer anyway; serializing in Go avoids
// SQLITE_BUSY retries). An in-memory store uses exactly one connection, because every
// connection to ":memory:" would otherwise open its own empty database. A file store runs in
// WAL mode with a small pool, so reads proceed while a write is in progress.
type Store struct {
	DB   *sql.DB
	wmu  sync.Mutex
	now  func() time.Time
	ids  *idSource
	log  *slog.Logger
	path string
	// profiles caches prospect profiles, which never change once stored.
	profiles profileCache
	// stmts caches prepared statements by SQL text: preparing a list query costs about as
	// much as running it.
	stmtMu sync.Mutex
	stmts  map[string]*sql.Stmt
	// strangers invents the profiles of people the team has never met.
	strangers Strangers
}

// Strangers invents, deterministically from a platform's user ID, the profile of someone the
// team has never met: a send to a new X user or LinkedIn member needs one. The seed provides
// them, made by the generators of the data set.
type Strangers struct {
	X        func(platformID, id string, now time.Time) Prospect
	LinkedIn func(platformID, id string, now time.Time) LinkedInProfile
}

// maxCachedStmts bounds the statement cache; filter combinations with different list sizes
// make distinct SQL texts.
const maxCachedStmts = 512

// query runs a read. Outside a transaction it uses a cached prepared statement.
func (s *Store) query(ctx context.Context, q Querier, query string, args ...any) (*sql.Rows, error) {
	if db, ok := q.(*sql.DB); ok && db == s.DB {
		if st := s.stmt(ctx, query); st != nil {
			return st.QueryContext(ctx, args...)
		}
	}
	return q.QueryContext(ctx, query, args...)
}

// queryRow is query for one row.
func (s *Store) queryRow(ctx context.Context, q Querier, query string, args ...any) *sql.Row {
	if db, ok := q.(*sql.DB); ok && db == s.DB {
		if st := s.stmt(ctx, query); st != nil {
			return st.QueryRowContext(ctx, args...)
		}
	}
	return q.QueryRowContext(ctx, query, args...)
}

func (s *Store) stmt(ctx context.Context, query string) *sql.Stmt {
	s.stmtMu.Lock()
	defer s.stmtMu.Unlock()
	if st, ok := s.stmts[query]; ok {
		return st
	}
	if len(s.stmts) >= maxCachedStmts {
		return nil
	}
	st, err := s.DB.PrepareContext(ctx, query)
	if err != nil {
		// The caller runs the query unprepared and gets the error from there.
		return nil
	}
	s.stmts[query] = st
	return st
}

// Querier is what reads need: *sql.DB outside a transaction, *sql.Tx inside one.
type Querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// Open opens (creating if needed) the store at path; "" means a fresh in-memory store.
// strangers invents the profiles of new contacts.
func Open(path string, now func() time.Time, log *slog.Logger, strangers Strangers) (*Store, error) {
	var dsn string
	if path == "" {
		dsn = "file::memory:?_pragma=foreign_keys(0)"
	} else {
		q := url.Values{}
		q.Add("_pragma", "journal_mode(WAL)")
		q.Add("_pragma", "synchronous(NORMAL)")
		q.Add("_pragma", "busy_timeout(10000)")
		dsn = "file:" + path + "?" + q.Encode()
	}
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open store %q: %w", path, err)
	}
	if path == "" {
		db.SetMaxOpenConns(1)
		db.SetMaxIdleConns(1)
		db.SetConnMaxLifetime(0)
		db.SetConnMaxIdleTime(0)
	} else {
		db.SetMaxOpenConns(4)
		db.SetMaxIdleConns(4)
	}
	s := &Store{DB: db, now: now, ids: newIDSource(), log: log, path: path, profiles: profileCache{m: map[string]*Prospect{}}, stmts: map[string]*sql.Stmt{}, strangers: strangers}
	if err := s.migrate(context.Background()); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// Close closes the database.
func (s *Store) Close() error {
	s.stmtMu.Lock()
	for _, st := range s.stmts {
		st.Close()
	}
	s.stmts = map[string]*sql.Stmt{}
	s.stmtMu.Unlock()
	return s.DB.Close()
}

// Clock returns the current time at the API's precision.
func (s *Store) Clock() time.Time { return TruncMillis(s.now()) }

func (s *Store) migrate(ctx context.Context) error {
	var n int
	if err := s.DB.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type='table' AND name='meta'`).Scan(&n); err != nil {
		return fmt.Errorf("read store %q: %w", s.path, err)
	}
	if n == 0 {
		if _, err := s.DB.ExecContext(ctx, schemaDDL); err != nil {
			return fmt.Errorf("create store schema: %w", err)
		}
		_, err := s.DB.ExecContext(ctx, `INSERT INTO meta(key, value) VALUES ('schema', ?)`, schemaVersion)
		return err
	}
	v, err := s.Meta(ctx, "schema")
	if err != nil {
		return err
	}
	if v != schemaVersion {
		return fmt.Errorf("store %q was made by an incompatible simulator version (schema %q, want %q): delete the file or choose another path", s.path, v, schemaVersion)
	}
	return nil
}

// Meta returns a value of the store's meta table ("" when unset).
func (s *Store) Meta(ctx context.Context, key string) (string, error) {
	var v string
	err := s.DB.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, err
}

// Write runs fn in a write transaction. The transaction ignores the caller's cancellation: a
// request whose client goes away mid-write still commits, which is how a real server behaves
// and what makes a lost response ambiguous.
func (s *Store) Write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	ctx = context.WithoutCancel(ctx)
	s.wmu.Lock()
	defer s.wmu.Unlock()
	tx, err := s.DB.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// placeholders returns "?, ?, ?" for n values.
func placeholders(n int) string {
	if n <= 0 {
		return ""
	}
	return strings.Repeat("?, ", n-1) + "?"
}

// Null helpers: the store keeps optional values as SQL NULL.

// Strp is the optional string of a nullable column.
func Strp(n sql.NullString) *string {
	if !n.Valid {
		return nil
	}
	v := n.String
	return &v
}

func int64p(n sql.NullInt64) *int64 {
	if !n.Valid {
		return nil
	}
	v := n.Int64
	return &v
}

func timep(n sql.NullInt64) *time.Time {
	if !n.Valid {
		return nil
	}
	v := FromMillis(n.Int64)
	return &v
}

func floatp(n sql.NullFloat64) *float64 {
	if !n.Valid {
		return nil
	}
	v := n.Float64
	return &v
}

func boolp(n sql.NullInt64) *bool {
	if !n.Valid {
		return nil
	}
	v := n.Int64 != 0
	return &v
}

// Nullable converts optional Go values to SQL arguments.
func Nullable[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}

// NullTime stores an optional time as Unix milliseconds, nil as NULL.
func NullTime(t *time.Time) any {
	if t == nil {
		return nil
	}
	return Millis(*t)
}

// NullBool stores an optional boolean as 0 or 1, nil as NULL.
func NullBool(b *bool) any {
	if b == nil {
		return nil
	}
	return BoolInt(*b)
}

// BoolInt is SQLite's 0 or 1 for a boolean.
func BoolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// exists reports whether the query returns a row.
func exists(ctx context.Context, q Querier, query string, args ...any) (bool, error) {
	var one int
	err := q.QueryRowContext(ctx, query, args...).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}
