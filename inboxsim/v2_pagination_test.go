package inboxsim

import (
	"fmt"
	"math/rand/v2"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/store"
	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/v2api"
)

// expectedThreads lists, from the tables, the live threads of a folder over both platforms in
// inbox order: what walking GET /threads must return, each exactly once.
func expectedThreads(t *testing.T, s *Sim, folder string, asc bool) []string {
	t.Helper()
	dir := "DESC"
	if asc {
		dir = "ASC"
	}
	cond := store.FolderCondition(folder)
	return dbStrings(t, s, `SELECT id FROM (
		SELECT t.id, t.sort_at FROM threads t WHERE t.deleted_at IS NULL AND `+cond+`
		UNION ALL SELECT t.id, t.sort_at FROM li_threads t WHERE t.deleted_at IS NULL AND `+cond+`)
		ORDER BY sort_at `+dir+`, id `+dir)
}

func threadIDs(ts []v2api.ThreadJSON) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.ID
	}
	return out
}

// TestV2PaginationExactlyOnce walks every folder in both orders with several page sizes: the
// pages hold every thread of the folder exactly once, in inbox order across both platforms.
func TestV2PaginationExactlyOnce(t *testing.T) {
	a := newV2API(t, Options{Seed: 5, Scale: 0.5})
	for _, folder := range store.V2Folders {
		for _, order := range []string{"desc", "asc"} {
			want := expectedThreads(t, a.sim, folder, order == "asc")
			for _, limit := range []int{7, 100} {
				got := threadIDs(v2Walk[v2api.ThreadJSON](a, fmt.Sprintf("/threads?folder=%s&order=%s&limit=%d", folder, order, limit)))
				if !slices.Equal(got, want) {
					t.Errorf("%s %s by %d: %d threads, want %d in inbox order", folder, order, limit, len(got), len(want))
				}
			}
		}
	}
	// A cursor stays valid when only the page size or the expansions change.
	var page v2PageOf[v2api.ThreadJSON]
	a.ok("GET", "/threads?folder=all&limit=5", nil, &page)
	var next v2PageOf[v2api.ThreadJSON]
	a.ok("GET", "/threads?folder=all&limit=50&expand=profile&cursor="+url.QueryEscape(*page.NextCursor), nil, &next)
	if want := expectedThreads(t, a.sim, store.FolderAll, false)[5:55]; !slices.Equal(threadIDs(next.Data), want) {
		t.Error("the second page after changing limit and expand is not the continuation")
	}

	// Messages: every message of the longest thread once, in either order.
	thread := dbStrings(t, a.sim, `SELECT thread_id FROM messages GROUP BY thread_id ORDER BY count(*) DESC LIMIT 1`)[0]
	want := dbStrings(t, a.sim, `SELECT id FROM messages WHERE thread_id = ? ORDER BY created_at DESC, id DESC`, thread)
	for _, order := range []string{"desc", "asc"} {
		var got []string
		for _, m := range v2Walk[v2api.MessageJSON](a, "/threads/"+thread+"/messages?limit=9&order="+order) {
			got = append(got, m.ID)
		}
		if order == "asc" {
			slices.Reverse(got)
		}
		if !slices.Equal(got, want) {
			t.Errorf("messages %s: %d, want %d in createdAt order", order, len(got), len(want))
		}
	}
}

// TestV2PaginationWhileSending walks the inbox newest first while messages arrive in threads
// not read yet: those move to the top, ahead of the walk, and every other thread is still
// returned exactly once.
func TestV2PaginationWhileSending(t *testing.T) {
	a := newV2API(t, Options{Scale: 0.5})
	rng := rand.New(rand.NewPCG(1, 2))
	want := expectedThreads(t, a.sim, store.FolderInbox, false)
	seen, moved := map[string]int{}, map[string]bool{}
	path := "/threads?limit=10"
	for {
		var page v2PageOf[v2api.ThreadJSON]
		a.ok("GET", path, nil, &page)
		for _, th := range page.Data {
			seen[th.ID]++
		}
		var unseen []string
		for _, id := range want {
			if seen[id] == 0 && !moved[id] {
				unseen = append(unseen, id)
			}
		}
		if len(unseen) > 0 {
			id := unseen[rng.IntN(len(unseen))]
			a.ok("POST", "/messages", send(id, "Any news on your side?"), nil)
			moved[id] = true
		}
		if page.NextCursor == nil {
			break
		}
		path = "/threads?limit=10&cursor=" + url.QueryEscape(*page.NextCursor)
	}
	for _, id := range want {
		if moved[id] {
			continue
		}
		if seen[id] != 1 {
			t.Errorf("thread %s seen %d times", id, seen[id])
		}
	}
	for id, n := range seen {
		if n > 1 {
			t.Errorf("thread %s returned %d times", id, n)
		}
	}
	if len(moved) < 5 {
		t.Fatalf("only %d threads moved during the walk", len(moved))
	}
}

// TestV2ThreadFilters checks each filter against the tables.
func TestV2ThreadFilters(t *testing.T) {
	a := newV2API(t, Options{Scale: 0.5})
	s := a.sim
	all := v2Walk[v2api.ThreadJSON](a, "/threads?folder=all&limit=100&expand=contact&expand=profile")
	byID := map[string]v2api.ThreadJSON{}
	for _, th := range all {
		byID[th.ID] = th
	}
	check := func(name, query string, keep func(v2api.ThreadJSON) bool) {
		t.Helper()
		var want []string
		for _, th := range all {
			if keep(th) {
				want = append(want, th.ID)
			}
		}
		got := threadIDs(v2Walk[v2api.ThreadJSON](a, "/threads?folder=all&limit=100&"+query))
		if !slices.Equal(got, want) || len(want) == 0 {
			t.Errorf("%s (%s): %d threads, want %d (and some)", name, query, len(got), len(want))
		}
	}
	hot := dbStrings(t, s, `SELECT id FROM tags WHERE name = 'Hot Lead'`)[0]
	qualified := dbStrings(t, s, `SELECT id FROM statuses WHERE name = 'Qualified'`)[0]
	check("tag by name, any case", "tag="+url.QueryEscape("hot LEAD"), func(th v2api.ThreadJSON) bool { return slices.Contains(th.Contact.TagIDs, hot) })
	check("status by name", "status=Qualified", func(th v2api.ThreadJSON) bool { return th.Contact.StatusID != nil && *th.Contact.StatusID == qualified })
	check("platform", "platform=linkedin", func(th v2api.ThreadJSON) bool { return th.Platform == store.PlatformLinkedIn })
	check("unassigned", "unassigned=true", func(th v2api.ThreadJSON) bool { return th.AssigneeID == nil })
	members := dbStrings(t, s, `SELECT id FROM members ORDER BY rank`)
	check("assignee, own or the contact's", "assigneeId="+members[1]+"&assigneeId="+members[2], func(th v2api.ThreadJSON) bool {
		return th.AssigneeID != nil && (*th.AssigneeID == members[1] || *th.AssigneeID == members[2])
	})
	twin := store.ContactIDOf(dbStrings(t, s, `SELECT primary_id FROM contact_links LIMIT 1`)[0])
	check("contact with two platforms", "contactId="+twin, func(th v2api.ThreadJSON) bool { return th.ContactID == twin })
	var platforms []string
	for _, th := range all {
		if th.ContactID == twin {
			platforms = append(platforms, th.Platform)
		}
	}
	if !slices.Contains(platforms, store.PlatformTwitter) || !slices.Contains(platforms, store.PlatformLinkedIn) {
		t.Errorf("the linked contact's threads are on %v, want both platforms", platforms)
	}
	campaign := dbStrings(t, s, `SELECT campaign_id FROM threads WHERE campaign_id IS NOT NULL LIMIT 1`)[0]
	check("campaign", "campaignId="+campaign, func(th v2api.ThreadJSON) bool {
		return dbInt(t, s, `SELECT count(*) FROM threads WHERE id = ? AND campaign_id = ?`, th.ID, campaign) == 1
	})
	link := dbStrings(t, s, `SELECT id FROM account_links ORDER BY rank LIMIT 1`)[0]
	check("account link", "accountLinkId="+link, func(th v2api.ThreadJSON) bool { return th.AccountLinkID == link })
	// Free-text search: display names, usernames and the activity preview, ignoring case.
	some := all[len(all)/2]
	for _, q := range []string{some.Profile.Username, strings.ToUpper(some.Profile.DisplayName)} {
		found := threadIDs(v2Walk[v2api.ThreadJSON](a, "/threads?folder=all&limit=100&q="+url.QueryEscape(q)))
		if !slices.Contains(found, some.ID) {
			t.Errorf("q=%s misses thread %s", q, some.ID)
		}
	}
	found := v2Walk[v2api.ThreadJSON](a, "/threads?folder=all&limit=100&q="+url.QueryEscape("ignore all previous instructions"))
	if len(found) == 0 {
		t.Error("q finds no thread whose preview attempts prompt injection")
	}
	for _, th := range found {
		if th.Activity == nil || !strings.Contains(strings.ToLower(*th.Activity.Preview), "ignore all previous instructions") {
			t.Errorf("q matched thread %s whose preview is %v", th.ID, th.Activity)
		}
	}
	if got := v2Walk[v2api.ThreadJSON](a, "/threads?folder=all&q="+url.QueryEscape("100%_")); len(got) != 0 {
		t.Errorf("q with LIKE wildcards matched %d threads", len(got))
	}
}

// TestV2FolderAllSpansFolders checks folder=all as the document states it: inbox, requests
// and archived partition the threads and "all" spans exactly those folders, each thread once,
// in inbox order. Idle threads (in no folder) are left out, and still readable by ID.
func TestV2FolderAllSpansFolders(t *testing.T) {
	a := newV2API(t, Options{Seed: 7, Scale: 0.5})
	owner := map[string]string{}
	for _, folder := range []string{store.FolderInbox, store.FolderRequests, store.FolderArchived} {
		for _, id := range threadIDs(v2Walk[v2api.ThreadJSON](a, "/threads?limit=100&folder="+folder)) {
			if prev, ok := owner[id]; ok {
				t.Errorf("thread %s is in both %s and %s", id, prev, folder)
			}
			owner[id] = folder
		}
	}
	all := threadIDs(v2Walk[v2api.ThreadJSON](a, "/threads?limit=100&folder=all"))
	seen := map[string]bool{}
	for _, id := range all {
		if seen[id] || owner[id] == "" {
			t.Errorf("thread %s: in all again (%v) or in no other folder (%q)", id, seen[id], owner[id])
		}
		seen[id] = true
	}
	if len(seen) != len(owner) {
		t.Errorf("all has %d threads, the folders %d", len(seen), len(owner))
	}
	if want := expectedThreads(t, a.sim, store.FolderAll, false); !slices.Equal(all, want) {
		t.Errorf("all: %d threads, want %d in inbox order", len(all), len(want))
	}
	idle := dbStrings(t, a.sim, `SELECT id FROM threads WHERE status = 'idle' AND deleted_at IS NULL`)
	if len(idle) == 0 {
		t.Fatal("the seed has no idle thread")
	}
	if seen[idle[0]] {
		t.Errorf("idle thread %s is in all", idle[0])
	}
	a.ok("GET", "/threads/"+idle[0], nil, nil)
}
