package testenv

import (
	"context"
	"testing"

	"github.com/inbox-mcp/inbox-mcp/inbox"
)

// maxPages bounds a walk through a listing: a cursor that never ends fails the test instead
// of running until the test's time-out.
const maxPages = 1000

// AllThreads reads every thread of a query straight from b, pageSize at a time (0 means
// inbox.MaxPage), through the opaque cursor: the reference the tools' answers are checked
// against. On API v1, whose pages are full until the last, a short page before the end
// fails the test too (v2 filters some queries after the API answers, so its pages may be
// short).
func AllThreads(t testing.TB, b inbox.Backend, q inbox.ThreadQuery, pageSize int) []inbox.Thread {
	t.Helper()
	return walk(t, b, pageSize, b.APIVersion() == "v1", func(ctx context.Context, cursor string, n int) (inbox.Page[inbox.Thread], error) {
		return b.ListThreads(ctx, q, cursor, n)
	})
}

// AllMessages reads every message of a thread straight from b, newest first, pageSize at a
// time (0 means inbox.MaxPage).
func AllMessages(t testing.TB, b inbox.Backend, threadID string, pageSize int) []inbox.Message {
	t.Helper()
	return walk(t, b, pageSize, false, func(ctx context.Context, cursor string, n int) (inbox.Page[inbox.Message], error) {
		return b.ListMessages(ctx, threadID, cursor, n)
	})
}

// walk follows a listing's cursor to its end; full asks every page but the last to hold
// pageSize items.
func walk[T any](t testing.TB, b inbox.Backend, pageSize int, full bool, list func(context.Context, string, int) (inbox.Page[T], error)) []T {
	t.Helper()
	if pageSize == 0 {
		pageSize = inbox.MaxPage
	}
	var out []T
	cursor := ""
	for range maxPages {
		p, err := list(context.Background(), cursor, pageSize)
		if err != nil {
			t.Fatalf("%s listing, cursor %q: %v", b.APIVersion(), cursor, err)
		}
		out = append(out, p.Items...)
		if p.Next == "" {
			return out
		}
		if full && len(p.Items) != pageSize {
			t.Fatalf("%s listing: a page of %d before the end, asked %d", b.APIVersion(), len(p.Items), pageSize)
		}
		cursor = p.Next
	}
	t.Fatalf("%s listing did not end within %d pages", b.APIVersion(), maxPages)
	return nil
}

// EachVersion runs fn as a subtest per API version of Versions, on that version's harness
// of hs (from StartVersions): for tests that change nothing in the Inbox.
func EachVersion(t *testing.T, hs map[string]*Harness, fn func(t *testing.T, h *Harness)) {
	t.Helper()
	for _, v := range Versions {
		t.Run(v, func(t *testing.T) { fn(t, hs[v]) })
	}
}
