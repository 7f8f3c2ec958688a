package v1

import (
	"slices"
	"testing"

	"github.com/inbox-mcp/inbox-mcp/apiclient"
	"github.com/inbox-mcp/inbox-mcp/inboxsim"
)

func threadIDs(ts []Thread) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.ID
	}
	return out
}

func TestThreadPagination(t *testing.T) {
	env := startSim(t, inboxsim.Options{}, nil)
	c := env.c
	ctx := testCtx(t)
	tags := ok(c.Tags(ctx))(t)

	views := []ThreadListParams{
		{},
		{Inbox: InboxNoReply},
		{Inbox: InboxArchived, Filters: ThreadFilters{SortOrder: SortAsc}},
		{Filters: ThreadFilters{Tags: IDFilter{SelectedIDs: []string{tags[0].ID, tags[1].ID}}}},
		{Filters: ThreadFilters{Tags: IDFilter{None: true}, Assignees: IDFilter{None: true}}},
	}
	for i, p := range views {
		// The iterator (pages of 100) and hand-driven small pages see the same threads in
		// the same order, each once.
		flat := threadIDs(allThreads(t, c, p))
		var paged []string
		q := p
		q.Limit = 7
		for pages := 0; ; pages++ {
			page := ok(c.ListThreads(ctx, q))(t)
			paged = append(paged, threadIDs(page.Threads)...)
			if page.NextCursor == nil {
				break
			}
			if pages > 1000 {
				t.Fatal("pagination does not end")
			}
			q.Cursor = page.NextCursor
		}
		if !slices.Equal(flat, paged) {
			t.Fatalf("view %d: iterator saw %d threads, pages saw %d, or the order differs", i, len(flat), len(paged))
		}
		seen := map[string]bool{}
		for _, id := range flat {
			if seen[id] {
				t.Fatalf("view %d: thread %s twice", i, id)
			}
			seen[id] = true
		}
		if i == 0 && len(flat) < 100 {
			t.Fatalf("default view has only %d threads; the walk crossed no page boundary", len(flat))
		}
	}

	// Filters are applied: every tagged thread carries one of the tags, ascending order holds.
	for _, th := range allThreads(t, c, views[3]) {
		if !slices.Contains(th.Prospect.Context.Tags, tags[0].ID) && !slices.Contains(th.Prospect.Context.Tags, tags[1].ID) {
			t.Fatalf("thread %s lacks both filter tags: %v", th.ID, th.Prospect.Context.Tags)
		}
	}
	asc := allThreads(t, c, views[2])
	for i := 1; i < len(asc); i++ {
		if asc[i].ComputedSortTimestamp.Before(*asc[i-1].ComputedSortTimestamp) {
			t.Fatalf("ascending order broken at %d", i)
		}
	}
	env.spec.check(t)
}

func TestIteratorCapStopsFetching(t *testing.T) {
	env := startSim(t, inboxsim.Options{}, nil)
	c := env.c
	ctx := testCtx(t)
	count := func() int {
		env.spec.mu.Lock()
		defer env.spec.mu.Unlock()
		return env.spec.ops["GET /threads"]
	}
	tests := []struct{ max, wantItems, wantRequests int }{
		{30, 30, 1},
		{100, 100, 1},
		{120, 120, 2},
		{0, -1, 2},
	}
	total := len(allThreads(t, c, ThreadListParams{}))
	for _, tt := range tests {
		if tt.wantItems < 0 {
			tt.wantItems = total
		}
		before := count()
		got := ok(apiclient.Collect(c.Threads(ctx, ThreadListParams{}, tt.max)))(t)
		if len(got) != tt.wantItems || count()-before != tt.wantRequests {
			t.Errorf("max %d: %d threads in %d requests, want %d in %d", tt.max, len(got), count()-before, tt.wantItems, tt.wantRequests)
		}
	}

	// Resuming: the second half of a walk continues where a page left off.
	first := ok(c.ListThreads(ctx, ThreadListParams{Limit: 10}))(t)
	rest := ok(apiclient.Collect(c.Threads(ctx, ThreadListParams{Cursor: first.NextCursor}, 5)))(t)
	all := threadIDs(ok(apiclient.Collect(c.Threads(ctx, ThreadListParams{}, 15)))(t))
	if !slices.Equal(append(threadIDs(first.Threads), threadIDs(rest)...), all) {
		t.Fatal("resuming from a cursor does not continue the walk")
	}

	// The opaque string form round-trips through the API.
	tok := first.NextCursor.String()
	cur := ok(ParseCursor(tok))(t)
	again := ok(c.ListThreads(ctx, ThreadListParams{Limit: 5, Cursor: cur}))(t)
	if !slices.Equal(threadIDs(again.Threads), threadIDs(rest)) {
		t.Fatal("a cursor token did not resume at the same place")
	}
}

func TestMessagePagination(t *testing.T) {
	env := startSim(t, inboxsim.Options{}, nil)
	c := env.c
	ctx := testCtx(t)
	// The thread with the most messages among the first page.
	var best Thread
	bestN := 0
	for _, th := range ok(c.ListThreads(ctx, ThreadListParams{Limit: 40}))(t).Threads {
		n := len(ok(c.ListMessages(ctx, th.ID, MessageListParams{Limit: 100}))(t).Messages)
		if n > bestN {
			best, bestN = th, n
		}
	}
	if bestN < 10 {
		t.Fatalf("longest thread has %d messages", bestN)
	}
	var flat []string
	for m, err := range c.Messages(ctx, best.ID, 0) {
		if err != nil {
			t.Fatal(err)
		}
		flat = append(flat, m.ID)
	}
	var paged []string
	var cur *Cursor
	var last *Message
	for {
		page := ok(c.ListMessages(ctx, best.ID, MessageListParams{Limit: 3, Cursor: cur}))(t)
		for i := range page.Messages {
			m := &page.Messages[i]
			if last != nil && m.CreatedAt.After(last.CreatedAt) {
				t.Fatalf("messages not newest first at %s", m.ID)
			}
			last = m
			paged = append(paged, m.ID)
		}
		if page.NextCursor == nil {
			break
		}
		cur = page.NextCursor
	}
	if !slices.Equal(flat, paged) || len(flat) != bestN {
		t.Fatalf("iterator %d messages, pages %d, first page %d", len(flat), len(paged), bestN)
	}
	capped := ok(apiclient.Collect(c.Messages(ctx, best.ID, 4)))(t)
	if len(capped) != 4 || capped[0].ID != flat[0] {
		t.Fatalf("capped walk: %d messages", len(capped))
	}
	env.spec.check(t)
}
