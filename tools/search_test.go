package tools_test

import (
	"slices"
	"strings"
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
	for _, th := range testenv.AllThreads(t, b, q, 0) {
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
		out[th.ID] = testenv.AllMessages(t, b, th.ID, 0)
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
	t.Parallel()
	testenv.EachVersion(t, shared, func(t *testing.T, h *testenv.Harness) {
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
	})
}

func TestSearchMessagesBounds(t *testing.T) {
	t.Parallel()
	testenv.EachVersion(t, shared, func(t *testing.T, h *testenv.Harness) {
		// max_threads: only the most recently active are read, and the statement says so.
		newest := testenv.AllThreads(t, h.Backend, inbox.ThreadQuery{View: inbox.ViewDefault}, 0)[:5]
		// A word no name or last message holds: v2's thread search finds nothing to read
		// first, so v2 too reads the most recent (TestSearchMessagesThreadSearch covers it).
		r := search(t, h, map[string]any{"words": []any{"zqxjkv"}, "max_threads": 5, "where": map[string]any{"since": "2000-01-01"}})
		if r.Threads != 5 || !strings.Contains(r.Searched, "only the 5 most recently active were taken, more exist") {
			t.Fatalf("max_threads 5: %d threads, %q", r.Threads, r.Searched)
		}
		r = search(t, h, map[string]any{"words": []any{"a"}, "max_threads": 5, "where": map[string]any{"since": "2000-01-01"}})
		if r.Threads != 5 || !strings.Contains(r.Searched, "were taken") || !strings.Contains(r.Searched, "more exist") {
			t.Fatalf("max_threads 5: %d threads, %q", r.Threads, r.Searched)
		}
		for _, hit := range r.Hits {
			if !h.Backend.Features().ThreadSearch && !slices.ContainsFunc(newest, func(th inbox.Thread) bool { return th.ID == hit.ThreadID }) {
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
		wantError(t, h, tools.NameSearchMessages, map[string]any{"words": []any{"x"}, "where": map[string]any{"inbox": "spam"}}, "where.inbox must be one of")
		wantError(t, h, tools.NameSearchMessages, map[string]any{"words": []any{"x"}, "max_threads": 1001})
	})
}

func TestSearchMessagesNotRead(t *testing.T) {
	// Its own simulator, and waits between retries: it runs beside the others.
	t.Parallel()
	testenv.ForVersions(t, app.Config{}, func(t *testing.T, h *testenv.Harness) {
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
	})
}

// TestSearchMessagesThreadSearch: where the API searches threads by text (v2) and the window
// holds more threads than max_threads, the threads that search finds are read first and
// the most recently active fill the rest; on v1 the most recently active are read.
func TestSearchMessagesThreadSearch(t *testing.T) {
	t.Parallel()
	testenv.EachVersion(t, shared, func(t *testing.T, h *testenv.Harness) {
		month := time.Now().Add(-tools.DefaultSearchWindow)
		const max = 5
		words := []string{"pricing", "demo"}
		newest := map[string]bool{}
		for _, th := range activeThreads(t, h.Backend, inbox.ThreadQuery{View: inbox.ViewDefault}, month)[:max] {
			newest[th.ID] = true
		}
		searched := map[string]bool{}
		if h.Backend.Features().ThreadSearch {
			for _, w := range words {
				for _, th := range activeThreads(t, h.Backend, inbox.ThreadQuery{View: inbox.ViewDefault, Text: w}, month) {
					searched[th.ID] = true
				}
			}
		}
		r := search(t, h, map[string]any{"words": words, "max_threads": max})
		if r.Threads != max {
			t.Fatalf("%d threads searched, want max_threads %d: %q", r.Threads, max, r.Searched)
		}
		beyond := 0
		for _, hit := range r.Hits {
			switch {
			case searched[hit.ThreadID] && !newest[hit.ThreadID]:
				beyond++
			case !newest[hit.ThreadID] && !searched[hit.ThreadID]:
				t.Errorf("hit in thread %s, neither among the newest nor found by the thread search", hit.ThreadID)
			}
		}
		switch h.Version {
		case "v1":
			if h.Backend.Features().ThreadSearch || !strings.Contains(r.Searched, "only the 5 most recently active were taken") {
				t.Fatalf("v1: %q", r.Searched)
			}
		default:
			// The thread search found threads beyond the newest five, and the tool read them:
			// their last message holds a word, so they hold hits.
			if beyond == 0 || !strings.Contains(r.Searched, "whose name or last message the API's thread search matched, then the most recently active") {
				t.Fatalf("%s: %d hits beyond the newest threads: %q", h.Version, beyond, r.Searched)
			}
		}
	})
}
