package v1_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/inbox-mcp/inbox-mcp/inbox"
	"github.com/inbox-mcp/inbox-mcp/internal/testenv"
)

// The thread listing: views, pagination, filters and the refusals of bad input; each runs
// inside TestBackendReads on its shared simulator.

func testBackendListThreadsViews(t *testing.T, b inbox.Backend) {
	for _, view := range []inbox.View{inbox.ViewDefault, inbox.ViewNoReply, inbox.ViewRequests, inbox.ViewArchived} {
		ts := testenv.AllThreads(t, b, inbox.ThreadQuery{View: view}, 100)
		if len(ts) == 0 {
			t.Fatalf("view %s is empty", view)
		}
		for i, th := range ts {
			if i > 0 && th.SortAt.After(ts[i-1].SortAt) {
				t.Errorf("%s: not newest first at %d", view, i)
			}
			if th.Idle || th.Unread != nil || th.AccountID == "" || th.Prospect.ID == "" || th.Prospect.Username == "" ||
				strings.HasPrefix(th.Prospect.Username, "@") || th.Prospect.ID != th.Prospect.ProfileID || th.CreatedAt.IsZero() {
				t.Errorf("%s: thread %+v", view, th)
			}
			wantRestricted := th.Variant != "xChat"
			if got := slices.Contains(th.Restrictions, "message:edit") && slices.Contains(th.Restrictions, "message:delete") &&
				slices.Contains(th.Restrictions, "typing"); got != wantRestricted || th.Restrictions == nil {
				t.Errorf("%s: variant %s, restrictions %v", view, th.Variant, th.Restrictions)
			}
			switch view {
			case inbox.ViewNoReply:
				// The simulator's no-reply view is "the prospect wrote last": the adapter's
				// direction, derived from authorId, must agree.
				if th.LastMessage == nil || th.LastMessage.Direction != inbox.Inbound {
					t.Errorf("no-reply thread %s: last message %+v, want inbound", th.ID, th.LastMessage)
				}
			case inbox.ViewArchived:
				if !th.Done {
					t.Errorf("archived thread %s not done", th.ID)
				}
			case inbox.ViewRequests:
				if !th.IsRequest {
					t.Errorf("request thread %s: IsRequest false", th.ID)
				}
			case inbox.ViewDefault:
				if th.Done {
					t.Errorf("default view thread %s is done", th.ID)
				}
			}
			if lm := th.LastMessage; lm != nil {
				if lm.ID == "" || !lm.CreatedAt.Equal(th.LastMessageAt) || (lm.UserID != "" || lm.CampaignID != "") && lm.Direction != inbox.Outbound {
					t.Errorf("%s: last message %+v of thread at %v", view, lm, th.LastMessageAt)
				}
			}
		}
	}
	// Both directions occur among last messages of the default view.
	dirs := map[inbox.Direction]int{}
	for _, th := range testenv.AllThreads(t, b, inbox.ThreadQuery{}, 100) {
		if th.LastMessage != nil {
			dirs[th.LastMessage.Direction]++
		}
	}
	if dirs[inbox.Inbound] == 0 || dirs[inbox.Outbound] == 0 || len(dirs) != 2 {
		t.Errorf("last-message directions %v", dirs)
	}
}

func testBackendListThreadsPagination(t *testing.T, b inbox.Backend) {
	whole := testenv.AllThreads(t, b, inbox.ThreadQuery{}, 100)
	paged := testenv.AllThreads(t, b, inbox.ThreadQuery{}, 7)
	if len(whole) <= 100 {
		t.Fatalf("the default view has %d threads; the test needs more than a page", len(whole))
	}
	ids := func(ts []inbox.Thread) []string {
		out := make([]string, len(ts))
		for i, th := range ts {
			out[i] = th.ID
		}
		return out
	}
	if !slices.Equal(ids(whole), ids(paged)) {
		t.Errorf("pages of 7 and of 100 disagree")
	}
	asc := testenv.AllThreads(t, b, inbox.ThreadQuery{Ascending: true}, 50)
	slices.Reverse(asc)
	if !slices.Equal(ids(whole), ids(asc)) {
		t.Errorf("ascending order is not the reverse of descending")
	}
	// Gather, as the tools use it, stops at max and resumes where it stopped.
	ctx := context.Background()
	fetch := func(ctx context.Context, cursor string, limit int) (inbox.Page[inbox.Thread], error) {
		return b.ListThreads(ctx, inbox.ThreadQuery{}, cursor, limit)
	}
	first, next, err := inbox.Gather(ctx, "", 130, fetch, nil)
	if err != nil || len(first) != 130 || next == "" {
		t.Fatalf("Gather 130: %d, %q, %v", len(first), next, err)
	}
	rest, next, err := inbox.Gather(ctx, next, 10000, fetch, nil)
	if err != nil || next != "" || !slices.Equal(ids(append(first, rest...)), ids(whole)) {
		t.Errorf("Gather resumed: %d + %d of %d, next %q, %v", len(first), len(rest), len(whole), next, err)
	}
}

func testBackendListThreadsFilters(t *testing.T, b inbox.Backend) {
	ctx := context.Background()
	all := testenv.AllThreads(t, b, inbox.ThreadQuery{}, 100)
	accounts, _ := b.Accounts(ctx)
	tags, _ := b.Tags(ctx)
	statuses, _ := b.Statuses(ctx)
	members, _ := b.Members(ctx)
	count := func(keep func(inbox.Thread) bool) int {
		n := 0
		for _, th := range all {
			if keep(th) {
				n++
			}
		}
		return n
	}
	tests := []struct {
		name string
		q    inbox.ThreadQuery
		keep func(inbox.Thread) bool
	}{
		{"account", inbox.ThreadQuery{AccountIDs: []string{accounts[1].ID}}, func(th inbox.Thread) bool { return th.AccountID == accounts[1].ID }},
		{"tag", inbox.ThreadQuery{TagIDs: []string{tags[0].ID}}, func(th inbox.Thread) bool { return slices.Contains(th.Prospect.Context.TagIDs, tags[0].ID) }},
		{"two tags", inbox.ThreadQuery{TagIDs: []string{tags[0].ID, tags[1].ID}}, func(th inbox.Thread) bool {
			return slices.Contains(th.Prospect.Context.TagIDs, tags[0].ID) || slices.Contains(th.Prospect.Context.TagIDs, tags[1].ID)
		}},
		{"no tags", inbox.ThreadQuery{NoTags: true}, func(th inbox.Thread) bool { return len(th.Prospect.Context.TagIDs) == 0 }},
		{"status", inbox.ThreadQuery{StatusIDs: []string{statuses[0].ID}}, func(th inbox.Thread) bool { return th.Prospect.Context.StatusID == statuses[0].ID }},
		{"no status", inbox.ThreadQuery{NoStatus: true}, func(th inbox.Thread) bool { return th.Prospect.Context.StatusID == "" }},
		{"assignee", inbox.ThreadQuery{AssigneeIDs: []string{members[1].ID}}, func(th inbox.Thread) bool { return th.AssigneeID == members[1].ID }},
		{"unassigned", inbox.ThreadQuery{NoAssignee: true}, func(th inbox.Thread) bool { return th.AssigneeID == "" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := testenv.AllThreads(t, b, tt.q, 100)
			want := count(tt.keep)
			if want == 0 || want == len(all) {
				t.Fatalf("the seeded data does not exercise this filter (%d of %d match)", want, len(all))
			}
			if len(got) != want {
				t.Errorf("%d threads, want %d", len(got), want)
			}
			for _, th := range got {
				if !tt.keep(th) {
					t.Errorf("thread %s does not match", th.ID)
				}
			}
		})
	}
}

func testBackendListThreadsBadInput(t *testing.T, b inbox.Backend) {
	ctx := context.Background()
	yes := true
	tests := []struct {
		name        string
		q           inbox.ThreadQuery
		cursor      string
		limit       int
		unsupported bool
		want        string
	}{
		{"text search", inbox.ThreadQuery{Text: "pricing"}, "", 10, true, "cannot search threads by text"},
		{"unread", inbox.ThreadQuery{Unread: &yes}, "", 10, true, "does not track"},
		{"unknown view", inbox.ThreadQuery{View: "spam"}, "", 10, false, "use default, no-reply, requests, archived or all"},
		{"limit 0", inbox.ThreadQuery{}, "", 0, false, "use 1 to 100"},
		{"limit 101", inbox.ThreadQuery{}, "", 101, false, "use 1 to 100"},
		{"foreign cursor", inbox.ThreadQuery{}, "not-a-cursor", 10, false, "pass next_cursor exactly"},
		{"bad account ID", inbox.ThreadQuery{AccountIDs: []string{"@northwind"}}, "", 10, false, "not an Inbox ID"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := b.ListThreads(ctx, tt.q, tt.cursor, tt.limit)
			if err == nil || !strings.Contains(err.Error(), tt.want) || errors.Is(err, inbox.ErrUnsupported) != tt.unsupported {
				t.Errorf("err = %v; want %q, unsupported %v", err, tt.want, tt.unsupported)
			}
		})
	}
}
