package v1

import (
	"context"
	"encoding/base64"
	"slices"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/inbox-mcp/inbox-mcp/inbox"
)

// partition is the views that split the inbox between them: every listed thread is in
// exactly one (no-reply is a part of default; idle threads are in none).
var partition = []InboxView{InboxDefault, InboxRequests, InboxArchived}

// allPrefix starts every cursor of the all view. It cannot begin a v1 cursor token (whose
// first part is a timestamp), so neither kind of cursor passes for the other.
const allPrefix = "all"

// listAll serves inbox.ViewAll, which v1 lacks, as one keyset walk over the union of the
// partition views. The views are disjoint and share one order, (computedSortTimestamp, id),
// so the merged listing is that order over every thread, and its position is the last
// thread returned: each page reads every view from that position (one request per view,
// concurrently), merges them, keeps the first limit threads, and resumes after the last.
// A thread that moves to another view keeps its place unless a new message moves it, as in
// one view's walk; one read in two views while moving is returned once.
func (b *backend) listAll(ctx context.Context, p ThreadListParams, cursor string) (inbox.Page[inbox.Thread], error) {
	var out inbox.Page[inbox.Thread]
	asc := p.Filters.SortOrder == SortAsc
	cur, err := parseAllCursor(cursor, asc)
	if err != nil {
		return out, err
	}
	p.Cursor = cur
	pages := make([]*ThreadPage, len(partition))
	g, gctx := errgroup.WithContext(ctx)
	for i, v := range partition {
		g.Go(func() error {
			vp := p
			vp.Inbox = v
			page, err := b.c.ListThreads(gctx, vp)
			pages[i] = page
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return out, err
	}
	var (
		merged []Thread
		seen   = map[string]bool{}
		more   bool
	)
	for _, page := range pages {
		more = more || page.NextCursor != nil
		for _, t := range page.Threads {
			if !seen[t.ID] {
				seen[t.ID] = true
				merged = append(merged, t)
			}
		}
	}
	slices.SortStableFunc(merged, func(x, y Thread) int {
		c := sortAt(&x).Compare(sortAt(&y))
		if c == 0 {
			c = strings.Compare(x.ID, y.ID)
		}
		if asc {
			return c
		}
		return -c
	})
	if len(merged) > p.Limit {
		merged, more = merged[:p.Limit], true
	}
	if out.Items, err = b.convertThreads(ctx, merged); err != nil {
		return inbox.Page[inbox.Thread]{}, err
	}
	if more && len(merged) > 0 {
		last := &merged[len(merged)-1]
		out.Next = allCursor(asc, Cursor{Timestamp: sortAt(last).UTC().Format(time.RFC3339Nano), ID: last.ID})
	}
	return out, nil
}

// sortAt is a thread's place in inbox order, the key of v1's keyset pages: its computed
// sort timestamp, else its last message's time, else its creation.
func sortAt(t *Thread) time.Time {
	switch {
	case t.ComputedSortTimestamp != nil:
		return *t.ComputedSortTimestamp
	case t.LastMessageTimestamp != nil:
		return *t.LastMessageTimestamp
	}
	return t.CreatedAt
}

// allCursor encodes a position of the all view with its order, which a cursor is bound to.
func allCursor(asc bool, c Cursor) string {
	order := string(SortDesc)
	if asc {
		order = string(SortAsc)
	}
	return base64.RawURLEncoding.EncodeToString([]byte(allPrefix + "|" + order + "|" + c.Timestamp + "|" + c.ID))
}

// parseAllCursor decodes a cursor made by allCursor for the same order; "" is the first page.
func parseAllCursor(s string, asc bool) (*Cursor, error) {
	if s == "" {
		return nil, nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(s)
	parts := strings.Split(string(raw), "|")
	if err != nil || len(parts) != 4 || parts[0] != allPrefix {
		return nil, invalidf("cursor %q is not a cursor of the all view: pass next_cursor exactly as the all view returned it, or omit it to start from the first page", truncate(s, 60))
	}
	c := &Cursor{Timestamp: parts[2], ID: parts[3]}
	if err := c.check(); err != nil {
		return nil, invalidf("cursor %q is not a cursor of the all view: pass next_cursor exactly as the all view returned it, or omit it to start from the first page", truncate(s, 60))
	}
	if want := map[bool]SortOrder{true: SortAsc, false: SortDesc}[asc]; parts[1] != string(want) {
		return nil, invalidf("this cursor continues the all view in %s order: pass the same sort as on the first page, or omit the cursor to start again", parts[1])
	}
	return c, nil
}
