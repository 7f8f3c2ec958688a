package tools_test

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/inbox-mcp/inbox-mcp/app"
	"github.com/inbox-mcp/inbox-mcp/inbox"
	"github.com/inbox-mcp/inbox-mcp/inboxsim"
	"github.com/inbox-mcp/inbox-mcp/internal/testenv"
	"github.com/inbox-mcp/inbox-mcp/tools"
)

func search(t *testing.T, h *testenv.Harness, args map[string]any) tools.SearchResult {
	t.Helper()
	return testenv.Decode[tools.SearchResult](t, h.CallOK(t, tools.NameSearchMessages, args))
}

// activeThreads returns the threads of a view whose last message is at or after cutoff,
// newest first, as the API lists them.
func activeThreads(t *testing.T, b inbox.Backend, q inbox.ThreadQuery, cutoff time.Time) []inbox.Thread {
	t.Helper()
	var out []inbox.Thread
	for _, th := range allThreads(t, b, q) {
		if !th.LastMessageAt.IsZero() && !th.LastMessageAt.Before(cutoff) {
			out = append(out, th)
		}
	}
	return out
}

// messagesOf reads every message of the threads, once, for the reference counts.
func messagesOf(t *testing.T, b inbox.Backend, ts []inbox.Thread) map[string][]inbox.Message {
	t.Helper()
	out := make(map[string][]inbox.Message, len(ts))
	for _, th := range ts {
		out[th.ID] = allMessages(t, b, th.ID)
	}
	return out
}

// matchesIn counts the messages at or after cutoff that contain any word, by authors in
// dir ("" for anyone).
func matchesIn(msgs map[string][]inbox.Message, cutoff time.Time, words []string, dir inbox.Direction) int {
	n := 0
	for _, ms := range msgs {
		for _, m := range ms {
			if m.CreatedAt.Before(cutoff) || m.DeletedAt != nil || (dir != "" && m.Direction != dir) {
				continue
			}
			low := strings.ToLower(m.Content)
			if slices.ContainsFunc(words, func(w string) bool { return strings.Contains(low, w) }) {
				n++
			}
		}
	}
	return n
}

func TestSearchMessages(t *testing.T) {
	h := readOnly(t)
	week := time.Now().Add(-7 * 24 * time.Hour)
	recent := activeThreads(t, h.Backend, inbox.ThreadQuery{View: inbox.ViewDefault}, week)
	words := []string{"pricing", "demo"}
	msgs := messagesOf(t, h.Backend, recent)
	all := matchesIn(msgs, week, words, "")
	theirs := matchesIn(msgs, week, words, inbox.Inbound)
	if theirs == 0 || theirs == all || len(recent) > tools.DefaultSearchThreads {
		t.Fatalf("seeded data: %d matches, %d by prospects, in %d threads; the test needs some of each", all, theirs, len(recent))
	}

	r := search(t, h, map[string]any{"words": []any{"Pricing", "DEMO"}, "where": map[string]any{"since": "7d"}})
	if r.Threads != len(recent) || r.Matches != all || len(r.Hits) != min(all, 50) || len(r.NotRead) != 0 {
		t.Fatalf("searched %d threads (want %d), %d matches (want %d), %d hits", r.Threads, len(recent), r.Matches, all, len(r.Hits))
	}
	for _, want := range []string{"searched " + itoa(len(recent)) + " thread(s) in the default view", "(all of them)", `"Pricing", "DEMO"`, "in all messages", "the newest 200 per thread"} {
		if !strings.Contains(r.Searched, want) {
			t.Errorf("searched %q lacks %q", r.Searched, want)
		}
	}
	for i, hit := range r.Hits {
		low := strings.ToLower(hit.Text)
		if !strings.Contains(low, "pricing") && !strings.Contains(low, "demo") {
			t.Errorf("hit %+v does not contain a word", hit)
		}
		if i > 0 && hit.At > r.Hits[i-1].At {
			t.Errorf("hits are not newest first at %d", i)
		}
		if hit.Untrusted != (hit.From == "prospect") || hit.MessageID == "" || hit.Prospect == "" {
			t.Errorf("hit %+v", hit)
		}
	}
	if r := search(t, h, map[string]any{"words": []any{"pricing", "demo"}, "where": map[string]any{"since": "7d"}, "from": "prospect"}); r.Matches != theirs {
		t.Fatalf("from prospect: %d matches, want %d", r.Matches, theirs)
	}
}

func TestSearchMessagesBounds(t *testing.T) {
	h := readOnly(t)
	// max_threads: only the most recently active are read, and the statement says so.
	newest := allThreads(t, h.Backend, inbox.ThreadQuery{View: inbox.ViewDefault})[:5]
	r := search(t, h, map[string]any{"words": []any{"a"}, "max_threads": 5, "where": map[string]any{"since": "2000-01-01"}})
	if r.Threads != 5 || !strings.Contains(r.Searched, "only the 5 most recently active were taken, more exist") {
		t.Fatalf("max_threads 5: %d threads, %q", r.Threads, r.Searched)
	}
	for _, hit := range r.Hits {
		if !slices.ContainsFunc(newest, func(th inbox.Thread) bool { return th.ID == hit.ThreadID }) {
			t.Errorf("hit in thread %s, not among the 5 most recent", hit.ThreadID)
		}
	}
	// The time window bounds threads and messages alike.
	day := time.Now().Add(-24 * time.Hour)
	recent := activeThreads(t, h.Backend, inbox.ThreadQuery{View: inbox.ViewDefault}, day)
	r = search(t, h, map[string]any{"words": []any{"e"}, "where": map[string]any{"since": "24h"}})
	if r.Threads != len(recent) || r.Matches != matchesIn(messagesOf(t, h.Backend, recent), day, []string{"e"}, "") {
		t.Fatalf("since 24h: %d threads (want %d), %d matches", r.Threads, len(recent), r.Matches)
	}
	for _, hit := range r.Hits {
		if at, _ := time.Parse(time.RFC3339, hit.At); at.Before(day.Add(-time.Minute)) {
			t.Errorf("hit at %s, before the window", hit.At)
		}
	}
	// Without since, the window is the last 30 days, and the statement gives its start.
	month := time.Now().Add(-tools.DefaultSearchWindow)
	r = search(t, h, map[string]any{"words": []any{"pricing"}, "where": map[string]any{"account": "@northwindhq"}})
	if !strings.Contains(r.Searched, month.UTC().Format("2006-01-02")) || !strings.Contains(r.Searched, "matching the filters") {
		t.Fatalf("default window: %q", r.Searched)
	}
	text := testenv.Text(h.CallOK(t, tools.NameSearchMessages, map[string]any{"words": []any{"zqxjkv"}}))
	if !strings.Contains(text, "No message in what was searched contains the words") || !strings.HasPrefix(text, "Searched ") {
		t.Fatalf("no match: %s", text)
	}
	wantError(t, h, tools.NameSearchMessages, map[string]any{"words": []any{}}, "words is empty")
	wantError(t, h, tools.NameSearchMessages, map[string]any{"words": []any{"  "}}, "empty entry")
	wantError(t, h, tools.NameSearchMessages, map[string]any{"words": []any{"x"}, "where": map[string]any{"inbox": "spam"}}, "not a view")
	wantError(t, h, tools.NameSearchMessages, map[string]any{"words": []any{"x"}, "max_threads": 1001})
}

func TestSearchMessagesNotRead(t *testing.T) {
	h := newHarness(t)
	week := time.Now().Add(-7 * 24 * time.Hour)
	recent := activeThreads(t, h.Backend, inbox.ThreadQuery{View: inbox.ViewDefault}, week)
	broken := recent[2].ID
	h.Sim.Sim.SetFaults(inboxsim.Faults{ErrorRate: 1, Methods: []string{"GET"}, PathContains: "/threads/" + broken + "/messages"})
	r := search(t, h, map[string]any{"words": []any{"pricing"}, "where": map[string]any{"since": "7d"}})
	if r.Threads != len(recent)-1 || len(r.NotRead) != 1 || !strings.HasPrefix(r.NotRead[0], broken+": ") {
		t.Fatalf("%d threads searched of %d, not read %v", r.Threads, len(recent), r.NotRead)
	}
	if !strings.Contains(r.Searched, "searched "+itoa(len(recent)-1)+" thread(s)") || !strings.Contains(r.Searched, "1 thread(s) not read") {
		t.Fatalf("the statement hides the unread thread: %q", r.Searched)
	}
}

// textSearch is a backend whose API searches threads by text, as v2 does: here a thread
// is found when its last message mentions the text.
type textSearch struct {
	inbox.Backend
	mu    sync.Mutex
	asked []string
}

func (b *textSearch) Features() inbox.Features {
	f := b.Backend.Features()
	f.ThreadSearch = true
	return f
}

func (b *textSearch) ListThreads(ctx context.Context, q inbox.ThreadQuery, cursor string, limit int) (inbox.Page[inbox.Thread], error) {
	text := strings.ToLower(q.Text)
	b.mu.Lock()
	b.asked = append(b.asked, q.Text)
	b.mu.Unlock()
	q.Text = ""
	for {
		p, err := b.Backend.ListThreads(ctx, q, cursor, limit)
		if err != nil || text == "" {
			return p, err
		}
		var kept []inbox.Thread
		for _, t := range p.Items {
			if t.LastMessage != nil && strings.Contains(strings.ToLower(t.LastMessage.Content), text) {
				kept = append(kept, t)
			}
		}
		if len(kept) > 0 || p.Next == "" {
			return inbox.Page[inbox.Thread]{Items: kept, Next: p.Next}, nil
		}
		cursor = p.Next
	}
}

func TestSearchMessagesUsesThreadSearch(t *testing.T) {
	sim := testenv.Sim(t)
	b := &textSearch{Backend: testenv.BackendFor(t, sim)}
	s, err := app.New(app.Config{Backends: app.StaticBackend(b)})
	if err != nil {
		t.Fatal(err)
	}
	h := &testenv.Harness{Sim: sim, Backend: b.Backend, Server: s, Client: testenv.Connect(t, s)}
	week := time.Now().Add(-7 * 24 * time.Hour)
	found := 0
	for _, th := range activeThreads(t, b.Backend, inbox.ThreadQuery{View: inbox.ViewDefault}, week) {
		low := strings.ToLower(th.LastMessage.Content)
		if strings.Contains(low, "pricing") || strings.Contains(low, "demo") {
			found++
		}
	}
	b.asked = nil
	r := search(t, h, map[string]any{"words": []any{"pricing", "demo"}, "where": map[string]any{"since": "7d"}})
	if !slices.Equal(slices.Compact(b.asked), []string{"pricing", "demo"}) {
		t.Fatalf("the API was asked to search for %q", b.asked)
	}
	if found == 0 || r.Threads != found || !strings.Contains(r.Searched, `found by the API's thread search for "pricing", "demo"`) {
		t.Fatalf("%d threads searched (the API found %d): %q", r.Threads, found, r.Searched)
	}
	if r.Matches < found {
		t.Fatalf("%d matches in %d threads whose last message matches", r.Matches, found)
	}
}
