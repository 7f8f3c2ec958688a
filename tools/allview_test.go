package tools_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/inbox-mcp/inbox-mcp/app"
	"github.com/inbox-mcp/inbox-mcp/inbox"
	"github.com/inbox-mcp/inbox-mcp/internal/testenv"
	"github.com/inbox-mcp/inbox-mcp/tools"
)

// partitionViews split the inbox between them: the all view is their union.
var partitionViews = []inbox.View{inbox.ViewDefault, inbox.ViewRequests, inbox.ViewArchived}

// viewOf maps every thread of the partition views to its view, failing on a thread in two.
func viewOf(t *testing.T, b inbox.Backend) map[string]inbox.View {
	t.Helper()
	out := map[string]inbox.View{}
	for _, v := range partitionViews {
		for _, th := range testenv.AllThreads(t, b, inbox.ThreadQuery{View: v}, 0) {
			if prev, ok := out[th.ID]; ok {
				t.Fatalf("thread %s is in %s and %s", th.ID, prev, v)
			}
			out[th.ID] = v
		}
	}
	return out
}

// walkAll pages through the all view by limit, calling between after every page.
func walkAll(t *testing.T, b inbox.Backend, q inbox.ThreadQuery, limit int, between func(page []inbox.Thread)) []inbox.Thread {
	t.Helper()
	q.View = inbox.ViewAll
	var out []inbox.Thread
	cursor := ""
	for range 1000 {
		p, err := b.ListThreads(context.Background(), q, cursor, limit)
		if err != nil {
			t.Fatalf("ListThreads(all, %q): %v", cursor, err)
		}
		out = append(out, p.Items...)
		if p.Next == "" {
			return out
		}
		if between != nil {
			between(p.Items)
		}
		cursor = p.Next
	}
	t.Fatal("the all view did not end in 1000 pages")
	return nil
}

// TestAllViewIsTheUnionOfViews: the all view lists every thread of default, requests and
// archived exactly once, in inbox order either way, by small pages and through list_threads.
func TestAllViewIsTheUnionOfViews(t *testing.T) {
	t.Parallel()
	testenv.EachVersion(t, shared, func(t *testing.T, h *testenv.Harness) {
		want := viewOf(t, h.Backend)
		seenIn := map[inbox.View]bool{}
		for _, asc := range []bool{false, true} {
			// Each view's threads come in that view's own order, interleaved.
			order := map[inbox.View][]string{}
			for _, v := range partitionViews {
				for _, th := range testenv.AllThreads(t, h.Backend, inbox.ThreadQuery{View: v, Ascending: asc}, 0) {
					order[v] = append(order[v], th.ID)
				}
			}
			for _, limit := range []int{7, 100} {
				got := walkAll(t, h.Backend, inbox.ThreadQuery{Ascending: asc}, limit, nil)
				seen := map[string]bool{}
				next := map[inbox.View]int{}
				for _, th := range got {
					v := want[th.ID]
					if seen[th.ID] || v == "" {
						t.Fatalf("asc %v by %d: thread %s repeated (%v) or in no view", asc, limit, th.ID, seen[th.ID])
					}
					if order[v][next[v]] != th.ID {
						t.Fatalf("asc %v by %d: thread %s is out of the %s view's order", asc, limit, th.ID, v)
					}
					seen[th.ID] = true
					seenIn[v] = true
					next[v]++
				}
				if len(seen) != len(want) {
					t.Fatalf("asc %v by %d: %d threads, the views hold %d", asc, limit, len(seen), len(want))
				}
			}
		}
		for _, v := range partitionViews {
			if !seenIn[v] {
				t.Errorf("the seed has no %s thread: the test proves less", v)
			}
		}

		whole := listThreads(t, h, map[string]any{"inbox": "all", "limit": tools.MaxThreads})
		if whole.Count != len(want) || whole.HasMore {
			t.Fatalf("list_threads inbox all: %d threads (has_more %v), want %d", whole.Count, whole.HasMore, len(want))
		}
		first := listThreads(t, h, map[string]any{"inbox": "all", "limit": 30})
		rest := listThreads(t, h, map[string]any{"inbox": "all", "limit": tools.MaxThreads, "cursor": first.NextCursor})
		if first.Count+rest.Count != whole.Count || rest.HasMore {
			t.Fatalf("resumed: %d + %d threads (has_more %v), want %d", first.Count, rest.Count, rest.HasMore, whole.Count)
		}
		for i, r := range append(first.Threads, rest.Threads...) {
			if r.ID != whole.Threads[i].ID {
				t.Fatalf("resumed listing differs at %d", i)
			}
		}
		if text := testenv.Text(h.CallOK(t, tools.NameListThreads, map[string]any{"inbox": "all", "limit": 1})); !strings.Contains(text, "in every view") {
			t.Errorf("list_threads inbox all says %q", text)
		}
	})
}

// TestAllViewBadCursor: a cursor the all view did not issue is refused with a clear error,
// by the backend and by list_threads.
func TestAllViewBadCursor(t *testing.T) {
	t.Parallel()
	testenv.EachVersion(t, shared, func(t *testing.T, h *testenv.Harness) {
		ctx := context.Background()
		def, err := h.Backend.ListThreads(ctx, inbox.ThreadQuery{View: inbox.ViewArchived}, "", 5)
		if err != nil || def.Next == "" {
			t.Fatalf("archived page: %v, next %q", err, def.Next)
		}
		for _, cursor := range []string{"garbage", def.Next} {
			_, err := h.Backend.ListThreads(ctx, inbox.ThreadQuery{View: inbox.ViewAll}, cursor, 5)
			if err == nil || !strings.Contains(strings.ToLower(err.Error()), "cursor") {
				t.Errorf("cursor %q: err = %v, want a refused cursor", cursor, err)
			}
			if h.Version == "v1" && !errors.Is(err, inbox.ErrInvalidArgument) {
				t.Errorf("cursor %q: err = %v, want inbox.ErrInvalidArgument", cursor, err)
			}
		}
		first := listThreads(t, h, map[string]any{"inbox": "all", "limit": 5})
		wantError(t, h, tools.NameListThreads, map[string]any{"inbox": "default", "cursor": first.NextCursor}, "other arguments")
		wantError(t, h, tools.NameListThreads, map[string]any{"inbox": "all", "cursor": "garbage"}, "next_cursor exactly as returned")
	})
}

// TestAllViewWhileSending walks the all view newest first by small pages while messages go
// to threads not read yet, requests and archived ones among them: those move ahead of the
// walk, and every other thread is still returned exactly once, none twice.
func TestAllViewWhileSending(t *testing.T) {
	t.Parallel()
	testenv.ForVersions(t, app.Config{}, func(t *testing.T, h *testenv.Harness) {
		want := viewOf(t, h.Backend)
		rng := rand.New(rand.NewPCG(3, 4))
		seen, moved, refused := map[string]int{}, map[string]bool{}, map[string]bool{}
		movedFrom := map[inbox.View]int{}
		got := walkAll(t, h.Backend, inbox.ThreadQuery{}, 10, func(page []inbox.Thread) {
			for _, th := range page {
				seen[th.ID]++
			}
			var unseen []string
			for id := range want {
				if seen[id] == 0 && !moved[id] && !refused[id] {
					unseen = append(unseen, id)
				}
			}
			if len(unseen) == 0 {
				return
			}
			// Prefer a request or an archived thread, which the message moves between views.
			id := unseen[rng.IntN(len(unseen))]
			for _, u := range unseen {
				if want[u] != inbox.ViewDefault && movedFrom[want[u]] < 3 {
					id = u
					break
				}
			}
			r := h.Backend.Send(context.Background(), inbox.SendRequest{ThreadID: id, Content: "Any news on your side?"})
			if r.Outcome == inbox.NotSent {
				// A paused account cannot send: nothing moved; try another thread next time.
				refused[id] = true
				return
			}
			moved[id] = true
			movedFrom[want[id]]++
		})
		counts := map[string]int{}
		for _, th := range got {
			counts[th.ID]++
		}
		for id, n := range counts {
			if n > 1 {
				t.Errorf("thread %s returned %d times", id, n)
			}
		}
		for id, v := range want {
			if !moved[id] && counts[id] != 1 {
				t.Errorf("thread %s (%s) returned %d times", id, v, counts[id])
			}
		}
		if len(moved) < 5 || movedFrom[inbox.ViewRequests] == 0 || movedFrom[inbox.ViewArchived] == 0 {
			t.Fatalf("moved %d threads (%v): the walk was not disturbed enough", len(moved), movedFrom)
		}
	})
}

// TestBulkSelectionAllViews: where inbox all selects the prospects of every view, archived
// threads and requests included, in one call.
func TestBulkSelectionAllViews(t *testing.T) {
	t.Parallel()
	testenv.EachVersion(t, shared, func(t *testing.T, h *testenv.Harness) {
		all := map[string]bool{}
		only := map[inbox.View]map[string]bool{}
		for _, v := range partitionViews {
			only[v] = prospectsIn(testenv.AllThreads(t, h.Backend, inbox.ThreadQuery{View: v}, 0))
			for id := range only[v] {
				all[id] = true
			}
		}
		def := bulk(t, h, map[string]any{"where": map[string]any{"inbox": "default"}, "add_tags": []any{"Hot Lead"}, "dry_run": true})
		r := bulk(t, h, map[string]any{"where": map[string]any{"inbox": "all"}, "add_tags": []any{"Hot Lead"}, "dry_run": true})
		if r.Matched != len(all) || r.Failed != 0 || r.Matched <= def.Matched {
			t.Fatalf("where inbox all matched %d (want %d; default alone %d), failed %d", r.Matched, len(all), def.Matched, r.Failed)
		}
		for _, v := range []inbox.View{inbox.ViewRequests, inbox.ViewArchived} {
			outside := 0
			for id := range only[v] {
				if !only[inbox.ViewDefault][id] {
					outside++
				}
			}
			if outside == 0 {
				t.Errorf("every %s prospect also has a default thread: the test proves less", v)
			}
		}
		wantError(t, h, tools.NameBulkUpdate, map[string]any{"where": map[string]any{"inbox": "everything"}, "add_tags": []any{"Hot Lead"}, "dry_run": true},
			"default, no-reply, requests, archived or all")
	})
}

// TestSearchAndDigestAllViews: search_messages and triage_digest read every view with
// where inbox all.
func TestSearchAndDigestAllViews(t *testing.T) {
	t.Parallel()
	testenv.EachVersion(t, shared, func(t *testing.T, h *testenv.Harness) {
		week := time.Now().Add(-7 * 24 * time.Hour)
		recent := activeThreads(t, h.Backend, inbox.ThreadQuery{View: inbox.ViewAll}, week)
		def := activeThreads(t, h.Backend, inbox.ThreadQuery{View: inbox.ViewDefault}, week)
		if len(recent) <= len(def) || len(recent) > tools.DefaultSearchThreads {
			t.Fatalf("%d threads active this week in all views, %d in default: the test needs more in all", len(recent), len(def))
		}
		r := search(t, h, map[string]any{"words": []any{"pricing"}, "where": map[string]any{"inbox": "all", "since": "7d"}})
		if r.Threads != len(recent) || !strings.Contains(r.Searched, "in every view") {
			t.Fatalf("searched %d threads (want %d): %s", r.Threads, len(recent), r.Searched)
		}

		noReply := map[string]bool{}
		for _, th := range testenv.AllThreads(t, h.Backend, inbox.ThreadQuery{View: inbox.ViewNoReply}, 0) {
			noReply[th.ID] = true
		}
		var waiting []string
		outside := 0
		for _, th := range recent {
			if th.LastMessage != nil && th.LastMessage.Direction == inbox.Inbound {
				waiting = append(waiting, th.ID)
				if !noReply[th.ID] {
					outside++
				}
			}
		}
		if outside == 0 {
			t.Fatal("every thread awaiting a reply this week is in no-reply: the test proves nothing")
		}
		d := digest(t, h, map[string]any{"where": map[string]any{"inbox": "all", "since": "7d"}, "limit": tools.MaxDigest})
		if d.HasMore || d.Count != len(waiting) {
			t.Fatalf("digest of all views this week: %d threads (has_more %v), want %d (%d outside no-reply)", d.Count, d.HasMore, len(waiting), outside)
		}
		for _, dt := range d.Threads {
			if !slices.Contains(waiting, dt.ID) {
				t.Errorf("thread %s in the digest does not await our reply", dt.ID)
			}
		}
		wantError(t, h, tools.NameTriageDigest, map[string]any{"where": map[string]any{"inbox": "archived"}}, "no-reply view", "pass all")
	})
}
