package tools_test

import (
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/inbox-mcp/inbox-mcp/inbox"
	"github.com/inbox-mcp/inbox-mcp/internal/testenv"
	"github.com/inbox-mcp/inbox-mcp/tools"
	"github.com/inbox-mcp/inbox-mcp/views"
)

func TestListThreadsPagination(t *testing.T) {
	t.Parallel()
	testenv.EachVersion(t, shared, func(t *testing.T, h *testenv.Harness) {
		all := testenv.AllThreads(t, h.Backend, inbox.ThreadQuery{View: inbox.ViewDefault}, 0)
		if len(all) <= 110 {
			t.Fatalf("the seeded inbox has %d default threads; the test needs more than 110", len(all))
		}

		// Default limit.
		def := listThreads(t, h, nil)
		if def.Count != tools.DefaultThreads || len(def.Threads) != tools.DefaultThreads || !def.HasMore || def.NextCursor == "" {
			t.Fatalf("default call: count %d, has_more %v, cursor %q", def.Count, def.HasMore, def.NextCursor)
		}

		// Beyond one API page, in one call.
		whole := listThreads(t, h, map[string]any{"limit": tools.MaxThreads})
		if whole.Count != len(all) || whole.HasMore || whole.NextCursor != "" {
			t.Fatalf("limit %d: count %d (want %d), has_more %v", tools.MaxThreads, whole.Count, len(all), whole.HasMore)
		}
		for i, r := range whole.Threads {
			if r.ID != all[i].ID {
				t.Fatalf("row %d is %s, want %s (order must be the API's)", i, r.ID, all[i].ID)
			}
		}

		// Stop past the first page, then resume exactly where it stopped.
		first := listThreads(t, h, map[string]any{"limit": 105})
		if first.Count != 105 || !first.HasMore {
			t.Fatalf("limit 105: count %d, has_more %v", first.Count, first.HasMore)
		}
		rest := listThreads(t, h, map[string]any{"limit": 500, "cursor": first.NextCursor})
		if rest.HasMore || first.Count+rest.Count != len(all) {
			t.Fatalf("resume: %d + %d threads, has_more %v; want %d in all", first.Count, rest.Count, rest.HasMore, len(all))
		}
		seen := map[string]bool{}
		for i, r := range append(first.Threads, rest.Threads...) {
			if seen[r.ID] || r.ID != all[i].ID {
				t.Fatalf("resumed listing differs at %d: %s", i, r.ID)
			}
			seen[r.ID] = true
		}

		// A cursor is bound to its filters.
		wantError(t, h, "list_threads", map[string]any{"inbox": "no-reply", "cursor": first.NextCursor}, "other arguments")
		wantError(t, h, "list_threads", map[string]any{"cursor": "garbage"}, "next_cursor exactly as returned")
	})
}

func TestListThreadsFilters(t *testing.T) {
	t.Parallel()
	testenv.EachVersion(t, shared, func(t *testing.T, h *testenv.Harness) {
		dir := names(t, h.Backend)
		tag, _ := dir.FindTag("Pricing")
		status, _ := dir.FindStatus("Qualified")
		member, _ := dir.FindMember("Dev Patel")
		acct, _ := dir.FindAccount("@northwind_sales")
		total := len(testenv.AllThreads(t, h.Backend, inbox.ThreadQuery{View: inbox.ViewDefault}, 0))

		tests := []struct {
			name  string
			args  map[string]any
			query inbox.ThreadQuery
			check func(views.ThreadRow) bool
		}{
			{"no-reply view", map[string]any{"inbox": "no-reply"}, inbox.ThreadQuery{View: inbox.ViewNoReply},
				func(r views.ThreadRow) bool {
					return r.Waiting != "" && r.Last != nil && r.Last.From == "prospect" && r.Last.Untrusted
				}},
			{"archived view", map[string]any{"inbox": "archived"}, inbox.ThreadQuery{View: inbox.ViewArchived},
				func(r views.ThreadRow) bool { return r.Archived }},
			{"requests view", map[string]any{"inbox": "requests"}, inbox.ThreadQuery{View: inbox.ViewRequests},
				func(r views.ThreadRow) bool { return r.Request }},
			{"tag by lower-case name", map[string]any{"tags": []any{"pricing"}}, inbox.ThreadQuery{View: inbox.ViewDefault, TagIDs: []string{tag.ID}},
				func(r views.ThreadRow) bool { return contains(r.Tags, "Pricing") }},
			{"tag by ID", map[string]any{"tags": []any{tag.ID}}, inbox.ThreadQuery{View: inbox.ViewDefault, TagIDs: []string{tag.ID}},
				func(r views.ThreadRow) bool { return contains(r.Tags, "Pricing") }},
			{"status by name", map[string]any{"statuses": []any{"QUALIFIED"}}, inbox.ThreadQuery{View: inbox.ViewDefault, StatusIDs: []string{status.ID}},
				func(r views.ThreadRow) bool { return r.Status == "Qualified" }},
			{"assignee by name", map[string]any{"assignees": []any{"dev patel"}}, inbox.ThreadQuery{View: inbox.ViewDefault, AssigneeIDs: []string{member.ID}},
				func(r views.ThreadRow) bool { return r.Assignee == "Dev Patel" }},
			{"assignee by email", map[string]any{"assignees": []any{"dev@northwind.app"}}, inbox.ThreadQuery{View: inbox.ViewDefault, AssigneeIDs: []string{member.ID}},
				func(r views.ThreadRow) bool { return r.Assignee == "Dev Patel" }},
			{"account by @username", map[string]any{"account": "@Northwind_Sales"}, inbox.ThreadQuery{View: inbox.ViewDefault, AccountIDs: []string{acct.ID}},
				func(r views.ThreadRow) bool { return r.Account == "@northwind_sales" }},
			{"untagged", map[string]any{"untagged": true}, inbox.ThreadQuery{View: inbox.ViewDefault, NoTags: true},
				func(r views.ThreadRow) bool { return len(r.Tags) == 0 }},
			{"unassigned", map[string]any{"unassigned": true}, inbox.ThreadQuery{View: inbox.ViewDefault, NoAssignee: true},
				func(r views.ThreadRow) bool { return r.Assignee == "" }},
			{"not from a campaign", map[string]any{"campaign": "none"}, inbox.ThreadQuery{View: inbox.ViewDefault, NoCampaign: true},
				func(views.ThreadRow) bool { return true }},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				tt.args["limit"] = tools.MaxThreads
				if tt.query.NoCampaign && h.Version == "v2" {
					// v2 has no filter for threads no campaign messaged, and its threads do
					// not say: the tool says so rather than guess.
					wantError(t, h, "list_threads", tt.args, "Inbox API v2 cannot list the threads no campaign messaged", "campaign ID")
					return
				}
				got := listThreads(t, h, tt.args)
				want := testenv.AllThreads(t, h.Backend, tt.query, 0)
				if got.Count != len(want) || got.HasMore {
					t.Fatalf("count %d, has_more %v; the API has %d", got.Count, got.HasMore, len(want))
				}
				if got.Count == 0 || (tt.query.View == inbox.ViewDefault && got.Count >= total) {
					t.Fatalf("the filter kept %d of %d threads in the seeded data; the test proves nothing", got.Count, total)
				}
				for _, r := range got.Threads {
					if !tt.check(r) {
						t.Errorf("row does not match the filter: %+v", r)
					}
				}
			})
		}
	})
}

func TestListThreadsSortAndSince(t *testing.T) {
	t.Parallel()
	testenv.EachVersion(t, shared, func(t *testing.T, h *testenv.Harness) {
		oldest := listThreads(t, h, map[string]any{"sort": "oldest", "limit": 500})
		newest := listThreads(t, h, map[string]any{"limit": 500})
		if oldest.Count != newest.Count || oldest.Threads[0].ID != newest.Threads[newest.Count-1].ID {
			t.Fatal("oldest-first is not the reverse of newest-first")
		}

		cutoff := time.Now().Add(-48 * time.Hour)
		want := 0
		for _, th := range testenv.AllThreads(t, h.Backend, inbox.ThreadQuery{View: inbox.ViewDefault}, 0) {
			if !th.LastMessageAt.IsZero() && !th.LastMessageAt.Before(cutoff) {
				want++
			}
		}
		if want == 0 {
			t.Fatal("no thread active in the last 48h in the seeded data")
		}
		for _, sort := range []string{"newest", "oldest"} {
			got := listThreads(t, h, map[string]any{"since": "48h", "sort": sort, "limit": 500})
			if got.Count != want || got.HasMore {
				t.Fatalf("since 48h, %s first: %d threads, has_more %v; want %d", sort, got.Count, got.HasMore, want)
			}
			for _, r := range got.Threads {
				at, _ := time.Parse(time.RFC3339, r.Last.At)
				if at.Before(cutoff.Add(-time.Minute)) {
					t.Errorf("thread %s last active %s, before the cutoff", r.ID, r.Last.At)
				}
			}
		}
		// since as a date: everything since a date long ago is everything.
		all := listThreads(t, h, map[string]any{"since": "2000-01-01", "limit": 500})
		withMsg := 0
		for _, r := range newest.Threads {
			if r.Last != nil {
				withMsg++
			}
		}
		if all.Count != withMsg {
			t.Fatalf("since 2000-01-01: %d threads, want the %d with a message", all.Count, withMsg)
		}
		// Small pages of a since-filtered listing resume correctly.
		p1 := listThreads(t, h, map[string]any{"since": "48h", "limit": 3})
		p2 := listThreads(t, h, map[string]any{"since": "48h", "limit": 500, "cursor": p1.NextCursor})
		if p1.Count+p2.Count != want {
			t.Fatalf("since 48h in two calls: %d + %d, want %d", p1.Count, p2.Count, want)
		}
		ids := []string{}
		for _, r := range append(p1.Threads, p2.Threads...) {
			ids = append(ids, r.ID)
		}
		sort.Strings(ids)
		for i := 1; i < len(ids); i++ {
			if ids[i] == ids[i-1] {
				t.Fatalf("thread %s listed twice", ids[i])
			}
		}
	})
}

func TestListThreadsErrors(t *testing.T) {
	t.Parallel()
	testenv.EachVersion(t, shared, func(t *testing.T, h *testenv.Harness) {
		wantError(t, h, "list_threads", map[string]any{"tags": []any{"Hot Leed"}}, `no tag named "Hot Leed"`, `did you mean "Hot Lead"?`, "get_directory")
		wantError(t, h, "list_threads", map[string]any{"statuses": []any{"Qualifed"}}, `did you mean "Qualified"?`)
		wantError(t, h, "list_threads", map[string]any{"assignees": []any{"Nobody Atall"}}, `no member named "Nobody Atall"`)
		wantError(t, h, "list_threads", map[string]any{"account": "@nosuch"}, `no account named "@nosuch"`, "@northwindhq")
		wantError(t, h, "list_threads", map[string]any{"since": "last tuesday"}, "since", "RFC 3339")
		wantError(t, h, "list_threads", map[string]any{"tags": []any{"Pricing"}, "untagged": true}, "not both")
		wantError(t, h, "list_threads", map[string]any{"assignees": []any{"Dev Patel"}, "unassigned": true}, "not both")
		wantError(t, h, "list_threads", map[string]any{"inbox": "spam"})
		wantError(t, h, "list_threads", map[string]any{"limit": 501})
	})
}

func TestListThreadsText(t *testing.T) {
	t.Parallel()
	testenv.EachVersion(t, shared, func(t *testing.T, h *testenv.Harness) {
		res := h.CallOK(t, "list_threads", map[string]any{"inbox": "no-reply", "limit": 5})
		text := testenv.Text(res)
		for _, want := range []string{"5 threads in no-reply, newest first", views.UntrustedNote, "waiting ", "prospect: «", `cursor="`} {
			if !strings.Contains(text, want) {
				t.Errorf("text lacks %q:\n%s", want, text)
			}
		}
	})
}

func TestGetThread(t *testing.T) {
	t.Parallel()
	testenv.EachVersion(t, shared, func(t *testing.T, h *testenv.Harness) {
		th := testenv.AllThreads(t, h.Backend, inbox.ThreadQuery{View: inbox.ViewDefault, NoTags: false}, 0)[0]
		d := testenv.Decode[views.ThreadDetail](t, h.CallOK(t, "get_thread", map[string]any{"thread_id": th.ID}))
		dir := names(t, h.Backend)
		if d.ID != th.ID || d.Account != dir.AccountName(th.AccountID) || d.Prospect.Username != th.Prospect.Username ||
			d.Prospect.Status != dir.StatusName(th.Prospect.Context.StatusID) || !d.Prospect.Untrusted {
			t.Fatalf("detail = %+v", d)
		}
		wantError(t, h, "get_thread", map[string]any{"thread_id": "zzzzzzzzzzzzzzzzzzzzzzzz"}, "No thread with ID", "list_threads")
		wantError(t, h, "get_thread", map[string]any{"thread_id": ""})
	})
}

func TestLookupThread(t *testing.T) {
	t.Parallel()
	testenv.EachVersion(t, shared, func(t *testing.T, h *testenv.Harness) {
		th := testenv.AllThreads(t, h.Backend, inbox.ThreadQuery{View: inbox.ViewDefault}, 0)[3]
		p := th.Prospect
		for _, who := range []string{"@" + p.Username, strings.ToUpper(p.Username), p.PlatformID, p.ID, th.ID} {
			t.Run(who, func(t *testing.T) {
				l := testenv.Decode[tools.Lookup](t, h.CallOK(t, "lookup_thread", map[string]any{"who": who}))
				if !l.Found || l.Prospect == nil || l.Prospect.ID != p.ID || len(l.Threads) == 0 {
					t.Fatalf("lookup %q = %+v", who, l)
				}
				found := false
				for _, r := range l.Threads {
					found = found || r.ID == th.ID
				}
				if !found {
					t.Fatalf("thread %s missing from %+v", th.ID, l.Threads)
				}
			})
		}
		dir := names(t, h.Backend)
		other := ""
		for _, a := range dir.Accounts {
			if a.ID != th.AccountID {
				other = "@" + a.Username
			}
		}
		l := testenv.Decode[tools.Lookup](t, h.CallOK(t, "lookup_thread", map[string]any{"who": "@" + p.Username, "account": dir.AccountName(th.AccountID)}))
		for _, r := range l.Threads {
			if r.Account != dir.AccountName(th.AccountID) {
				t.Fatalf("account filter let through %+v", r)
			}
		}
		res := h.CallOK(t, "lookup_thread", map[string]any{"who": "@" + p.Username, "account": other})
		if l := testenv.Decode[tools.Lookup](t, res); l.Found && len(l.Threads) > 0 {
			for _, r := range l.Threads {
				if r.Account != other {
					t.Fatalf("account filter let through %+v", r)
				}
			}
		}
		miss := h.CallOK(t, "lookup_thread", map[string]any{"who": "@nobody_here_at_all"})
		if l := testenv.Decode[tools.Lookup](t, miss); l.Found || len(l.Threads) != 0 || !strings.Contains(testenv.Text(miss), "send_reply") {
			t.Fatalf("miss = %+v %q", l, testenv.Text(miss))
		}
		wantError(t, h, "lookup_thread", map[string]any{"who": "zzzzzzzzzzzzzzzzzzzzzzzz"}, "No prospect or thread")
	})
}
