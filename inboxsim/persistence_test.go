package inboxsim

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/v1api"
)

// TestPersistenceAcrossRestart changes data in a file store, restarts on the same file (with a
// different seed, which must not reseed) and finds everything as it was.
func TestPersistenceAcrossRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "inbox.db")
	first := newTestAPI(t, Options{DBPath: path, Seed: 4})
	thread := dbStrings(t, first.sim, `SELECT id FROM threads WHERE status = 'active' AND done = 0 LIMIT 1`)[0]
	var sent v1api.Message
	first.ok("POST", "/threads/"+thread+"/messages", map[string]any{"content": "Sent before the restart"}, &sent)
	var tag v1api.Tag
	first.ok("POST", "/tags", map[string]any{"name": "Survives", "color": "purple"}, &tag)
	var th v1api.Thread
	first.ok("GET", "/threads/"+thread, nil, &th)
	pid := *th.Prospect.ExternalID
	first.ok("PATCH", "/prospects/"+pid+"/context", map[string]any{"addTags": []string{tag.ID}, "notes": "kept"}, nil)
	first.ok("PATCH", "/threads/"+thread, map[string]any{"done": true}, nil)
	var events v1api.EventPage
	first.ok("GET", "/events", nil, &events)
	var team v1api.Team
	first.ok("GET", "/team", nil, &team)
	threads := dbInt(t, first.sim, `SELECT count(*) FROM threads`)
	first.srv.Close()
	if err := first.sim.Close(); err != nil {
		t.Fatal(err)
	}

	second := newTestAPI(t, Options{DBPath: path, Seed: 99})
	var team2 v1api.Team
	second.ok("GET", "/team", nil, &team2)
	if team2.ID != team.ID {
		t.Fatal("the store was reseeded")
	}
	if n := dbInt(t, second.sim, `SELECT count(*) FROM threads`); n != threads {
		t.Fatalf("%d threads after the restart, want %d", n, threads)
	}
	var page v1api.MessagePage
	second.ok("GET", "/threads/"+thread+"/messages?limit=1", nil, &page)
	if len(page.Messages) != 1 || page.Messages[0].ID != sent.ID || page.Messages[0].Content != "Sent before the restart" {
		t.Fatalf("newest message after the restart: %+v", page.Messages)
	}
	var p v1api.ProspectWithContext
	second.ok("GET", "/prospects/"+pid, nil, &p)
	if !slices.Contains(p.Context.Tags, tag.ID) || p.Context.Notes == nil || *p.Context.Notes != "kept" {
		t.Fatalf("prospect context after the restart: %+v", p.Context)
	}
	var th2 v1api.Thread
	second.ok("GET", "/threads/"+thread, nil, &th2)
	if !th2.Done {
		t.Fatal("the thread is no longer archived")
	}
	// The event log continues where it stopped.
	second.ok("POST", "/tags", map[string]any{"name": "After"}, nil)
	var events2 v1api.EventPage
	second.ok("GET", "/events", nil, &events2)
	if len(events2.Events) != len(events.Events)+1 || *events2.LastSeq != *events.LastSeq+1 {
		t.Fatalf("events: %d then %d, last seq %d then %d", len(events.Events), len(events2.Events), *events.LastSeq, *events2.LastSeq)
	}
}

func TestPersistenceRefusesForeignFiles(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(bad, []byte("not a database"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := New(Options{DBPath: bad}); err == nil {
		t.Fatal("a non-database file was accepted")
	}
	old := filepath.Join(dir, "old.db")
	s, err := New(Options{DBPath: old})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.store.DB.Exec(`UPDATE meta SET value = '0' WHERE key = 'schema'`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := New(Options{DBPath: old}); err == nil {
		t.Fatal("a store of another schema version was accepted")
	}
}
