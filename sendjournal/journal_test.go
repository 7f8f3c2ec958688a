package sendjournal

import (
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// clock is a fake clock the tests move by hand.
type clock struct{ t atomic.Pointer[time.Time] }

func newClock() *clock {
	c := &clock{}
	c.set(time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC))
	return c
}

func (c *clock) now() time.Time      { return *c.t.Load() }
func (c *clock) set(t time.Time)     { c.t.Store(&t) }
func (c *clock) add(d time.Duration) { c.set(c.now().Add(d)) }
func id(s string) []byte             { h := sha256.Sum256([]byte(s)); return h[:] }
func keys(prefix string) func() string {
	var n atomic.Int64
	return func() string { return fmt.Sprintf("%s-%d", prefix, n.Add(1)) }
}

func open(t *testing.T, dir string, c *clock) *Journal {
	t.Helper()
	j, err := Open(dir, Options{Now: c.now})
	if err != nil {
		t.Fatal(err)
	}
	return j
}

// TestJournalLifecycle: a send begins under a new key, stays pending until it finishes, is
// resumed with the same key by a process opened later on the same directory (a restart),
// and after Finish a send of the same identity starts anew.
func TestJournalLifecycle(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "sends")
	c := newClock()
	j := open(t, dir, c)
	if _, ok := j.Pending(id("a")); ok {
		t.Fatal("pending before anything began")
	}
	e, err := j.Begin(id("a"), keys("first"))
	if err != nil || e.Resumed || e.Key != "first-1" || !e.Started.Equal(c.now()) {
		t.Fatalf("Begin: %+v, %v", e, err)
	}
	if _, ok := j.Pending(id("b")); ok {
		t.Fatal("another identity is pending")
	}

	c.add(10 * time.Minute)
	restarted := open(t, dir, c)
	p, ok := restarted.Pending(id("a"))
	if !ok || !p.Resumed || p.Key != "first-1" || !p.Started.Equal(e.Started) {
		t.Fatalf("Pending after a restart: %+v, %v", p, ok)
	}
	r, err := restarted.Begin(id("a"), keys("second"))
	if err != nil || !r.Resumed || r.Key != "first-1" {
		t.Fatalf("Begin after a restart: %+v, %v", r, err)
	}
	if err := restarted.Finish(r); err != nil {
		t.Fatal(err)
	}
	if _, ok := j.Pending(id("a")); ok {
		t.Fatal("still pending after Finish")
	}
	// The first process finishing its (same) entry late changes nothing.
	if err := j.Finish(e); err != nil {
		t.Fatal(err)
	}
	n, err := restarted.Begin(id("a"), keys("third"))
	if err != nil || n.Resumed || n.Key != "third-1" {
		t.Fatalf("a new send of the same identity: %+v, %v", n, err)
	}
	// A late Finish of the old entry must not remove the new send's.
	if err := j.Finish(e); err != nil {
		t.Fatal(err)
	}
	if p, ok := j.Pending(id("a")); !ok || p.Key != "third-1" {
		t.Fatalf("the new entry was removed by the old one's Finish: %+v, %v", p, ok)
	}
}

// TestJournalExpiry: an entry at its TTL is no longer trusted, is removed, and a send of
// the same identity gets a new key.
func TestJournalExpiry(t *testing.T) {
	dir := t.TempDir()
	c := newClock()
	j := open(t, dir, c)
	if _, err := j.Begin(id("a"), keys("old")); err != nil {
		t.Fatal(err)
	}
	c.add(DefaultTTL - time.Second)
	if _, ok := j.Pending(id("a")); !ok {
		t.Fatal("expired before its TTL")
	}
	c.add(time.Second)
	if _, ok := j.Pending(id("a")); ok {
		t.Fatal("still pending at its TTL")
	}
	if files(t, dir) != 0 {
		t.Fatal("the expired entry was left on disk")
	}
	e, err := j.Begin(id("a"), keys("new"))
	if err != nil || e.Resumed || e.Key != "new-1" {
		t.Fatalf("Begin after expiry: %+v, %v", e, err)
	}
	// Opening prunes what expired meanwhile.
	c.add(DefaultTTL)
	open(t, dir, c)
	if n := files(t, dir); n != 0 {
		t.Fatalf("%d file(s) left after opening past the TTL", n)
	}
}

// TestJournalDamagedEntry: an entry that cannot be read vouches for nothing: it is dropped
// and the send begins anew.
func TestJournalDamagedEntry(t *testing.T) {
	dir := t.TempDir()
	c := newClock()
	j := open(t, dir, c)
	for _, body := range []string{"", "{", `{"v":1,"key":"","started":"2026-12-03T10:00:00Z"}`, `{"v":2,"key":"k","started":"2026-12-03T10:00:00Z"}`} {
		if err := os.WriteFile(filepath.Join(dir, entryName(id("a"))), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, ok := j.Pending(id("a")); ok {
			t.Fatalf("the damaged entry %q counts as pending", body)
		}
		e, err := j.Begin(id("a"), keys("fresh"))
		if err != nil || e.Resumed {
			t.Fatalf("Begin over the damaged entry %q: %+v, %v", body, e, err)
		}
		if err := j.Finish(e); err != nil {
			t.Fatal(err)
		}
	}
}

// TestJournalSharedDirectory: processes sharing the directory (two Journals here) that
// begin the same send at once agree on one key: exactly one of them creates the entry.
func TestJournalSharedDirectory(t *testing.T) {
	dir := t.TempDir()
	c := newClock()
	js := []*Journal{open(t, dir, c), open(t, dir, c)}
	const n = 16
	got := make([]Entry, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			e, err := js[i%2].Begin(id("same"), keys(fmt.Sprint("p", i)))
			if err != nil {
				t.Error(err)
			}
			got[i] = e
		})
	}
	wg.Wait()
	created := 0
	for _, e := range got {
		if e.Key != got[0].Key {
			t.Fatalf("the keys differ: %+v", got)
		}
		if !e.Resumed {
			created++
		}
	}
	if created != 1 {
		t.Fatalf("%d Begins created the entry; want exactly 1", created)
	}
}

// TestJournalFiles: the directory and its entries are the owner's alone, and an entry holds
// the key and the start, nothing of the message.
func TestJournalFiles(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cache", "sends")
	c := newClock()
	j := open(t, dir, c)
	if _, err := j.Begin(id("a"), keys("k")); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(dir, entryName(id("a"))))
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"v":1,"key":"k-1","started":"2026-12-03T10:00:00Z"}`; string(raw) != want {
		t.Fatalf("entry %s; want %s", raw, want)
	}
	if runtime.GOOS == "windows" {
		return
	}
	for path, want := range map[string]os.FileMode{dir: 0o700, filepath.Join(dir, entryName(id("a"))): 0o600} {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != want {
			t.Errorf("%s has mode %v; want %v", path, fi.Mode().Perm(), want)
		}
	}
}

// TestJournalUnavailable: a directory that cannot hold entries is an error at Open, not a
// journal that silently keeps nothing.
func TestJournalUnavailable(t *testing.T) {
	file := filepath.Join(t.TempDir(), "not-a-dir")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(filepath.Join(file, "sends"), Options{}); err == nil {
		t.Fatal("Open under a file succeeded")
	}
}

func files(t *testing.T, dir string) int {
	t.Helper()
	des, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	return len(des)
}
