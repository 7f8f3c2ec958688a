// Package sendjournal keeps on disk the Idempotency-Key of every send that has started and
// not finished, so that a send retried after the server crashed or was killed carries the
// key of its first attempt: the Inbox API (v2) then answers with that attempt's result
// instead of sending a second copy.
//
// An entry is one small file named after the send's identity (a hash of the team, the thread
// or recipient, the reply-to and the exact text, never the text itself) and holding the key
// and when the send started. It is written and synced before the first attempt leaves,
// removed once the outcome is known (sent, or not sent), and kept while it is unknown, so
// that the next attempt of the same send resumes it. An entry older than the TTL is not
// trusted (the API may have forgotten its key by then) and is dropped.
//
// Several processes may share a directory (replicas on one machine, under one user): an
// entry is published with a hard link, which fails when the name exists, so two processes
// starting the same send at once share one key and the API serializes them. Processes that
// do not share a directory (replicas on separate machines) do not see each other's entries.
package sendjournal

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// DefaultTTL is how long an unfinished send can be resumed with its key. The Inbox API does
// not document how long it remembers a key; an hour covers a crash and a restart, and is
// far inside the day such keys are commonly kept.
const DefaultTTL = time.Hour

// entrySuffix ends the name of every entry file; temporary files start with tempPrefix.
const (
	entrySuffix = ".json"
	tempPrefix  = ".tmp-"
)

// Options configures a Journal; the zero value is valid.
type Options struct {
	// TTL is how long an entry stays valid; 0 means DefaultTTL.
	TTL time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Journal is a directory of unfinished sends. It is safe for concurrent use, within a
// process and across processes sharing the directory.
type Journal struct {
	dir string
	ttl time.Duration
	now func() time.Time
}

// Entry is one send in flight.
type Entry struct {
	// Key is the Idempotency-Key every attempt of the send carries.
	Key string
	// Started is when the first attempt began.
	Started time.Time
	// Resumed says the entry was there already: an earlier attempt of the same send (in this
	// process or another, before a restart perhaps) started at Started and did not finish.
	Resumed bool

	name string
}

// record is an entry as stored.
type record struct {
	Version int       `json:"v"`
	Key     string    `json:"key"`
	Started time.Time `json:"started"`
}

// NewKey returns a fresh Idempotency-Key: 128 random bits, printable ASCII.
func NewKey() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
	return "inbox-mcp-" + hex.EncodeToString(b[:])
}

// DefaultDir is the journal's directory under the user's cache directory
// ($XDG_CACHE_HOME or ~/.cache on Linux, ~/Library/Caches on macOS, %LocalAppData% on
// Windows).
func DefaultDir() (string, error) {
	base, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("no user cache directory for the send journal: %w", err)
	}
	return filepath.Join(base, "inbox-mcp", "sends"), nil
}

// Open makes dir (readable by its owner only) when needed, checks that entries can be
// written there, and drops expired entries and leftover temporary files.
func Open(dir string, o Options) (*Journal, error) {
	if o.TTL <= 0 {
		o.TTL = DefaultTTL
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("send journal: %w", err)
	}
	if err := probe(dir); err != nil {
		return nil, fmt.Errorf("send journal: cannot keep entries in %s: %w", dir, err)
	}
	j := &Journal{dir: dir, ttl: o.TTL, now: o.Now}
	j.prune()
	return j, nil
}

// Dir is the journal's directory.
func (j *Journal) Dir() string { return j.dir }

// Pending returns the unfinished entry of the send identified by id, if there is a valid
// one. It writes nothing but the removal of an expired or unreadable entry.
func (j *Journal) Pending(id []byte) (Entry, bool) {
	e, ok := j.read(entryName(id))
	e.Resumed = ok
	return e, ok
}

// Begin returns the entry of the send identified by id: the unfinished one (Resumed), or a
// new one with the key newKey returns, stored and synced before Begin returns. Only after
// Begin succeeded may the send's first attempt leave.
func (j *Journal) Begin(id []byte, newKey func() string) (Entry, error) {
	name := entryName(id)
	for range 3 {
		if e, ok := j.read(name); ok {
			e.Resumed = true
			return e, nil
		}
		rec := record{Version: 1, Key: newKey(), Started: j.now().UTC()}
		err := j.publish(name, rec)
		if err == nil {
			return Entry{Key: rec.Key, Started: rec.Started, name: name}, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return Entry{}, fmt.Errorf("send journal: %w", err)
		}
		// Another attempt of this send published its entry first: use its key.
	}
	return Entry{}, errors.New("send journal: the entry of this send keeps changing; try again")
}

// Finish removes e: its send has a known outcome, so a later send of the same text is a new
// message under a new key. An entry since replaced by another send's is left alone.
func (j *Journal) Finish(e Entry) error {
	if e.name == "" {
		return nil
	}
	cur, ok := j.read(e.name)
	if !ok || cur.Key != e.Key {
		return nil
	}
	if err := os.Remove(filepath.Join(j.dir, e.name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("send journal: %w", err)
	}
	return syncDir(j.dir)
}

// publish stores rec under name unless the name exists (fs.ErrExist): the record is
// written and synced in a temporary file first, then linked into place, so the name never
// shows a partial record and two processes cannot both create it.
func (j *Journal) publish(name string, rec record) error {
	raw, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	f, err := os.CreateTemp(j.dir, tempPrefix+"*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp)
	if _, err := f.Write(raw); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Link(tmp, filepath.Join(j.dir, name)); err != nil {
		return err
	}
	return syncDir(j.dir)
}

// read returns the valid entry stored under name. An expired or unreadable one is removed:
// a record is only ever published whole, so an unreadable one was damaged after the fact
// and cannot vouch for any key.
func (j *Journal) read(name string) (Entry, bool) {
	path := filepath.Join(j.dir, name)
	raw, err := os.ReadFile(path)
	if err != nil {
		return Entry{}, false
	}
	var rec record
	if json.Unmarshal(raw, &rec) != nil || rec.Version != 1 || rec.Key == "" || rec.Started.IsZero() || j.expired(rec.Started) {
		os.Remove(path)
		return Entry{}, false
	}
	return Entry{Key: rec.Key, Started: rec.Started, name: name}, true
}

func (j *Journal) expired(started time.Time) bool {
	return !j.now().Before(started.Add(j.ttl))
}

// prune drops expired entries and temporary files left by a crash mid-write.
func (j *Journal) prune() {
	des, err := os.ReadDir(j.dir)
	if err != nil {
		return
	}
	for _, de := range des {
		name := de.Name()
		switch {
		case strings.HasPrefix(name, tempPrefix):
			if info, err := de.Info(); err == nil && j.expired(info.ModTime()) {
				os.Remove(filepath.Join(j.dir, name))
			}
		case strings.HasSuffix(name, entrySuffix):
			j.read(name)
		}
	}
}

// entryName is the file name of a send's entry: the hex of its identity.
func entryName(id []byte) string { return hex.EncodeToString(id) + entrySuffix }

// probe checks that dir takes what publish does: a new file and a hard link to it (some
// file systems have no links; the journal is then unavailable rather than unsafe).
func probe(dir string) error {
	f, err := os.CreateTemp(dir, tempPrefix+"probe-*")
	if err != nil {
		return err
	}
	f.Close()
	defer os.Remove(f.Name())
	link := f.Name() + "-link"
	if err := os.Link(f.Name(), link); err != nil {
		return err
	}
	return os.Remove(link)
}

// syncDir makes a directory's entries (a file linked or removed) durable across a power
// loss; a process crash needs no sync. Some platforms (Windows) cannot sync a directory, so
// a failure is not an error: the entry's own file was synced.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	_ = d.Sync()
	return d.Close()
}
