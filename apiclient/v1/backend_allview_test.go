package v1_test

import (
	"context"
	"encoding/base64"
	"errors"
	"strings"
	"testing"

	"github.com/inbox-mcp/inbox-mcp/inbox"
	"github.com/inbox-mcp/inbox-mcp/internal/testenv"
)

// testBackendListThreadsAll checks what v1's merged all view adds to the cross-version tests
// in tools: filters reach every view, and its cursors are its own, bound to their order.
func testBackendListThreadsAll(t *testing.T, b inbox.Backend) {
	ctx := context.Background()
	members, err := b.Members(ctx)
	if err != nil {
		t.Fatal(err)
	}
	q := inbox.ThreadQuery{AssigneeIDs: []string{members[1].ID}, NoAssignee: true}
	want := map[string]bool{}
	for _, v := range []inbox.View{inbox.ViewDefault, inbox.ViewRequests, inbox.ViewArchived} {
		vq := q
		vq.View = v
		for _, th := range testenv.AllThreads(t, b, vq, 100) {
			want[th.ID] = true
		}
	}
	q.View = inbox.ViewAll
	got := testenv.AllThreads(t, b, q, 9)
	if len(got) != len(want) {
		t.Errorf("all view with an assignee filter: %d threads, the views hold %d", len(got), len(want))
	}
	for _, th := range got {
		if !want[th.ID] || (th.AssigneeID != "" && th.AssigneeID != members[1].ID) {
			t.Errorf("thread %s (assignee %q) does not match", th.ID, th.AssigneeID)
		}
	}

	first, err := b.ListThreads(ctx, inbox.ThreadQuery{View: inbox.ViewAll}, "", 5)
	if err != nil || first.Next == "" {
		t.Fatalf("first page: %v, next %q", err, first.Next)
	}
	view, err := b.ListThreads(ctx, inbox.ThreadQuery{View: inbox.ViewDefault}, "", 5)
	if err != nil || view.Next == "" {
		t.Fatalf("default page: %v, next %q", err, view.Next)
	}
	raw, _ := base64.RawURLEncoding.DecodeString(first.Next)
	tampered := base64.RawURLEncoding.EncodeToString([]byte(strings.Replace(string(raw), "|desc|", "|desc|yesterday", 1)))
	tests := []struct {
		name   string
		q      inbox.ThreadQuery
		cursor string
		want   string
	}{
		{"a view's cursor in all", inbox.ThreadQuery{View: inbox.ViewAll}, view.Next, "not a cursor of the all view"},
		{"all's cursor in a view", inbox.ThreadQuery{View: inbox.ViewDefault}, first.Next, "not a cursor of this API"},
		{"the other order", inbox.ThreadQuery{View: inbox.ViewAll, Ascending: true}, first.Next, "in desc order: pass the same sort"},
		{"a tampered position", inbox.ThreadQuery{View: inbox.ViewAll}, tampered, "not a cursor of the all view"},
		{"not base64", inbox.ThreadQuery{View: inbox.ViewAll}, "all|desc|x|y", "not a cursor of the all view"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := b.ListThreads(ctx, tt.q, tt.cursor, 5)
			if !errors.Is(err, inbox.ErrInvalidArgument) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v; want inbox.ErrInvalidArgument with %q", err, tt.want)
			}
		})
	}
}

// TestBackendAllViewRequests measures what a walk of the all view costs in requests: one
// per view per page, against the three walks it replaces.
func TestBackendAllViewRequests(t *testing.T) {
	b, srv := simBackend(t)
	walk := func(v inbox.View, limit int) (threads int, requests int64) {
		before := srv.Sim.Stats().Requests
		n := len(testenv.AllThreads(t, b, inbox.ThreadQuery{View: v}, limit))
		return n, srv.Sim.Stats().Requests - before
	}
	for _, limit := range []int{20, 100} {
		all, allReqs := walk(inbox.ViewAll, limit)
		var views int
		var viewReqs int64
		for _, v := range []inbox.View{inbox.ViewDefault, inbox.ViewRequests, inbox.ViewArchived} {
			n, r := walk(v, limit)
			views, viewReqs = views+n, viewReqs+r
		}
		pages := int64((all + limit - 1) / limit)
		t.Logf("by %d: all view %d threads in %d requests; three views %d threads in %d requests", limit, all, allReqs, views, viewReqs)
		if all != views || allReqs > 3*pages+3 {
			t.Errorf("by %d: all view %d threads in %d requests (%d pages); views %d", limit, all, allReqs, pages, views)
		}
	}
}
