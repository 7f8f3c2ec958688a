package inboxsim

import (
	"fmt"
	"math/rand/v2"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/store"
	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/v1api"
)

// threadRow is a thread as the pagination oracle sees it, read straight from the tables.
type threadRow struct {
	id, link, assignee, campaign, status string
	sortAt                               int64
	tags                                 []string
	view                                 map[string]bool
}

// loadThreadRows computes, independently of the list query, which view each thread is in.
func loadThreadRows(t *testing.T, s *Sim) []threadRow {
	t.Helper()
	rows, err := s.store.DB.Query(`SELECT t.id, t.account_link_id, coalesce(t.assignee_id, ''),
		coalesce(t.campaign_id, ''), coalesce(p.status_id, ''), t.sort_at, t.status, t.done, t.is_request,
		t.last_inbound, t.deleted_at IS NOT NULL,
		coalesce((SELECT group_concat(tag_id) FROM prospect_tags WHERE prospect_id = p.id), '')
		FROM threads t JOIN prospects p ON p.id = t.prospect_id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []threadRow
	for rows.Next() {
		var r threadRow
		var state, tags string
		var done, req, inbound, deleted bool
		if err := rows.Scan(&r.id, &r.link, &r.assignee, &r.campaign, &r.status, &r.sortAt, &state, &done, &req, &inbound, &deleted, &tags); err != nil {
			t.Fatal(err)
		}
		if tags != "" {
			r.tags = strings.Split(tags, ",")
		}
		visible := state == store.ThreadActive && !deleted
		r.view = map[string]bool{
			store.ViewDefault:  visible && !done && !req,
			store.ViewNoReply:  visible && !done && !req && inbound,
			store.ViewRequests: visible && !done && req,
			store.ViewArchived: visible && done,
		}
		out = append(out, r)
	}
	return out
}

// expected returns the IDs of the view's threads matching match, in the walk's order.
func expected(rows []threadRow, view, order string, match func(threadRow) bool) []string {
	var sel []threadRow
	for _, r := range rows {
		if r.view[view] && match(r) {
			sel = append(sel, r)
		}
	}
	slices.SortFunc(sel, func(a, b threadRow) int {
		c := int(a.sortAt - b.sortAt)
		if a.sortAt == b.sortAt {
			c = strings.Compare(a.id, b.id)
		}
		if order == store.SortDesc {
			return -c
		}
		return c
	})
	ids := make([]string, len(sel))
	for i, r := range sel {
		ids[i] = r.id
	}
	return ids
}

// walk pages through GET /threads with the given query, using the flat or the bracket cursor,
// and returns the threads in the order received. It checks each page's size and cursor.
func walk(t *testing.T, api *testAPI, query string, limit int, bracket bool, between func(page int, got []v1api.Thread)) []v1api.Thread {
	t.Helper()
	var all []v1api.Thread
	cursor := ""
	for page := 0; ; page++ {
		var p v1api.ThreadPage
		api.ok("GET", fmt.Sprintf("/threads?limit=%d%s%s", limit, query, cursor), nil, &p)
		if len(p.Threads) > limit {
			t.Fatalf("page of %d threads with limit %d", len(p.Threads), limit)
		}
		all = append(all, p.Threads...)
		if p.NextCursor == nil {
			return all
		}
		last := p.Threads[len(p.Threads)-1]
		if len(p.Threads) != limit || p.NextCursor.ID != last.ID || p.NextCursor.Timestamp != *last.ComputedSortTimestamp {
			t.Fatalf("nextCursor %+v does not point at the last of %d threads (%s)", p.NextCursor, len(p.Threads), last.ID)
		}
		ts := url.QueryEscape(p.NextCursor.Timestamp)
		if bracket {
			cursor = "&cursor[id]=" + p.NextCursor.ID + "&cursor[timestamp]=" + ts
		} else {
			cursor = "&cursorId=" + p.NextCursor.ID + "&cursorTimestamp=" + ts
		}
		if between != nil {
			between(page, all)
		}
		if page > 10_000 {
			t.Fatal("pagination does not end")
		}
	}
}

func ids(ts []v1api.Thread) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.ID
	}
	return out
}

func hasAny(xs []string, want ...string) bool {
	for _, w := range want {
		if slices.Contains(xs, w) {
			return true
		}
	}
	return false
}

// TestPaginationEveryViewAndFilter walks every view with every kind of filter, in both
// orders and with both cursor forms, and compares the result with an independent oracle:
// each matching thread exactly once, in order.
func TestPaginationEveryViewAndFilter(t *testing.T) {
	api := newTestAPI(t, Options{Seed: 5})
	s := api.sim
	rows := loadThreadRows(t, s)
	tag := func(name string) string { return dbStrings(t, s, `SELECT id FROM tags WHERE name = ?`, name)[0] }
	status := func(name string) string { return dbStrings(t, s, `SELECT id FROM statuses WHERE name = ?`, name)[0] }
	links := dbStrings(t, s, `SELECT id FROM account_links ORDER BY rank`)
	members := dbStrings(t, s, `SELECT id FROM members ORDER BY rank`)
	campaigns := dbStrings(t, s, `SELECT id FROM campaigns ORDER BY created_at`)
	hot, pricing, demo := tag("Hot Lead"), tag("Pricing"), tag("Demo Requested")
	qualified, won := status("Qualified"), status("Closed Won")
	all := func(threadRow) bool { return true }
	filters := []struct {
		name, query string
		match       func(threadRow) bool
	}{
		{"none", "", all},
		{"tags brackets", "&filters[tags][selectedIds][]=" + hot + "&filters[tags][selectedIds][]=" + pricing, func(r threadRow) bool { return hasAny(r.tags, hot, pricing) }},
		{"tags indexed", "&filters[tags][selectedIds][1]=" + demo + "&filters[tags][selectedIds][0]=" + hot, func(r threadRow) bool { return hasAny(r.tags, demo, hot) }},
		{"no tags", "&filters[tags][noTags]=true", func(r threadRow) bool { return len(r.tags) == 0 }},
		{"tags or none", "&filters[tags][selectedIds]=" + hot + "&filters[tags][noTags]=true", func(r threadRow) bool { return len(r.tags) == 0 || hasAny(r.tags, hot) }},
		{"noTags false is ignored", "&filters[tags][noTags]=false", all},
		{"statuses", "&filters[statuses][selectedIds][]=" + qualified + "&filters[statuses][selectedIds][]=" + won, func(r threadRow) bool { return r.status == qualified || r.status == won }},
		{"no status", "&filters[statuses][noStatus]=true", func(r threadRow) bool { return r.status == "" }},
		{"assignees repeated", "&filters[assignees][selectedIds]=" + members[1] + "&filters[assignees][selectedIds]=" + members[2], func(r threadRow) bool { return r.assignee == members[1] || r.assignee == members[2] }},
		{"no assignee", "&filters[assignees][noAssignee]=true", func(r threadRow) bool { return r.assignee == "" }},
		{"campaign", "&filters[campaigns][selectedIds][]=" + campaigns[0], func(r threadRow) bool { return r.campaign == campaigns[0] }},
		{"no campaign", "&filters[campaigns][noCampaign]=true", func(r threadRow) bool { return r.campaign == "" }},
		{"account links", "&accountLinkIds[]=" + links[0] + "&accountLinkIds[]=" + links[2], func(r threadRow) bool { return r.link == links[0] || r.link == links[2] }},
		{"account link repeated form", "&accountLinkIds=" + links[1], func(r threadRow) bool { return r.link == links[1] }},
		{"combined", "&accountLinkIds[0]=" + links[0] + "&filters[tags][noTags]=true&filters[assignees][noAssignee]=true",
			func(r threadRow) bool { return r.link == links[0] && len(r.tags) == 0 && r.assignee == "" }},
	}
	nonEmpty := map[string]bool{}
	for _, view := range v1api.Views {
		for _, f := range filters {
			for _, order := range []string{store.SortDesc, store.SortAsc} {
				for _, bracket := range []bool{false, true} {
					name := fmt.Sprintf("%s/%s/%s/bracket=%v", view, f.name, order, bracket)
					t.Run(name, func(t *testing.T) {
						api.t = t
						q := "&inbox=" + view + f.query
						if order == store.SortAsc || bracket {
							// Descending is the default; say it explicitly on half the walks.
							q += "&filters[sortOrder]=" + order
						}
						got := ids(walk(t, api, q, 9, bracket, nil))
						want := expected(rows, view, order, f.match)
						if !slices.Equal(got, want) {
							t.Fatalf("walk returned %d threads, want %d; first difference at %d", len(got), len(want), firstDiff(got, want))
						}
						if len(want) > 0 {
							nonEmpty[view+f.name] = true
						}
					})
				}
			}
		}
	}
	api.t = t
	for _, f := range filters {
		if !nonEmpty[store.ViewDefault+f.name] {
			t.Errorf("filter %q matches nothing in the default view: the test proves little", f.name)
		}
	}
}

func firstDiff(a, b []string) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

type walkKey struct {
	at string
	id string
}

func keyOf(t v1api.Thread) walkKey { return walkKey{*t.ComputedSortTimestamp, t.ID} }

func (k walkKey) less(o walkKey) bool { return k.at < o.at || (k.at == o.at && k.id < o.id) }

// TestPaginationWhileMessagesArrive walks the default view while another goroutine keeps
// sending and receiving messages in its threads. Guarantees (doc.go): keys strictly monotone
// over the walk; every thread untouched during the walk exactly once; descending never repeats
// a thread; ascending repeats only threads that got a message after they were returned (at
// their new, later place: the monotone keys show it).
func TestPaginationWhileMessagesArrive(t *testing.T) {
	for _, order := range []string{store.SortDesc, store.SortAsc} {
		t.Run(order, func(t *testing.T) {
			api := newTestAPI(t, Options{Seed: 9})
			s := api.sim
			initial := expected(loadThreadRows(t, s), store.ViewDefault, order, func(threadRow) bool { return true })
			var mu sync.Mutex
			touched := map[string]bool{}
			stop := make(chan struct{})
			done := make(chan struct{})
			// A controlled order, not goroutine scheduling: the walk goes past its first
			// page only once a message has been added, so one always lands mid-walk.
			wrote := make(chan struct{})
			var once sync.Once
			go func() {
				defer close(done)
				rng := rand.New(rand.NewPCG(1, 2))
				for i := 0; ; i++ {
					select {
					case <-stop:
						return
					default:
					}
					id := initial[rng.IntN(len(initial))]
					mu.Lock()
					touched[id] = true
					mu.Unlock()
					var err error
					if i%3 == 0 {
						_, err = s.store.ReceiveMessage(t.Context(), s.teamID, id, "any update?")
					} else {
						_, err = s.store.SendMessage(t.Context(), s.teamID, id, "following up", "")
					}
					if err != nil {
						t.Error(err)
						once.Do(func() { close(wrote) })
						return
					}
					once.Do(func() { close(wrote) })
					time.Sleep(500 * time.Microsecond)
				}
			}()
			got := walk(t, api, "&inbox=default&filters[sortOrder]="+order, 8, false, func(page int, _ []v1api.Thread) {
				if page == 0 {
					<-wrote
				}
				time.Sleep(time.Millisecond)
			})
			close(stop)
			<-done
			seen := map[string]int{}
			for i, th := range got {
				seen[th.ID]++
				if i > 0 {
					prev, cur := keyOf(got[i-1]), keyOf(th)
					if (order == store.SortDesc && !cur.less(prev)) || (order == store.SortAsc && !prev.less(cur)) {
						t.Fatalf("keys not monotone at %d: %v then %v", i, prev, cur)
					}
				}
			}
			if len(touched) == 0 {
				t.Fatal("no message was added during the walk")
			}
			for _, id := range initial {
				switch {
				case !touched[id] && seen[id] != 1:
					t.Errorf("untouched thread %s returned %d times", id, seen[id])
				case order == store.SortDesc && seen[id] > 1:
					t.Errorf("descending walk returned thread %s %d times", id, seen[id])
				}
			}
			for id := range seen {
				if !slices.Contains(initial, id) {
					t.Errorf("thread %s was not in the view", id)
				}
			}
			t.Logf("%d threads, %d touched during the walk", len(initial), len(touched))
		})
	}
}

// TestPaginationMovedThreadSemantics pins down what happens to a thread that gets a message
// during a walk, deterministically: in a descending walk a thread already returned is not
// returned again and one not yet reached is skipped (it is now the newest); in an ascending
// walk the returned one comes again at the end and the other comes once, at its new place.
func TestPaginationMovedThreadSemantics(t *testing.T) {
	for _, order := range []string{store.SortDesc, store.SortAsc} {
		t.Run(order, func(t *testing.T) {
			api := newTestAPI(t, Options{Seed: 11})
			s := api.sim
			initial := expected(loadThreadRows(t, s), store.ViewDefault, order, func(threadRow) bool { return true })
			var seenOne, unseenOne string
			got := walk(t, api, "&inbox=default&filters[sortOrder]="+order, 10, true, func(page int, sofar []v1api.Thread) {
				if page != 0 {
					return
				}
				seenOne, unseenOne = sofar[3].ID, initial[len(initial)-3]
				for _, id := range []string{seenOne, unseenOne} {
					if _, err := s.store.SendMessage(t.Context(), s.teamID, id, "ping", ""); err != nil {
						t.Fatal(err)
					}
				}
			})
			count := map[string]int{}
			for _, th := range got {
				count[th.ID]++
			}
			want := map[string][2]int{store.SortDesc: {1, 0}, store.SortAsc: {2, 1}}[order]
			if count[seenOne] != want[0] || count[unseenOne] != want[1] {
				t.Fatalf("returned thread seen %d times, unreached thread %d times; want %v", count[seenOne], count[unseenOne], want)
			}
			if order == store.SortAsc && got[len(got)-1].ID != unseenOne && got[len(got)-1].ID != seenOne {
				t.Fatalf("in ascending order the moved threads come last, got %s", got[len(got)-1].ID)
			}
		})
	}
}

// TestMessagePagination walks a long thread's messages with both cursor forms, also while
// new messages arrive: every message exactly once, newest first, new ones never mixed in.
func TestMessagePagination(t *testing.T) {
	api := newTestAPI(t, Options{})
	s := api.sim
	thread := dbStrings(t, s, `SELECT thread_id FROM messages GROUP BY thread_id ORDER BY count(*) DESC LIMIT 1`)[0]
	want := dbStrings(t, s, `SELECT id FROM messages WHERE thread_id = ? ORDER BY created_at DESC, id DESC`, thread)
	if len(want) < 200 {
		t.Fatalf("longest thread has %d messages, want at least 200", len(want))
	}
	for _, tc := range []struct {
		name          string
		bracket, send bool
	}{{"flat", false, false}, {"bracket", true, false}, {"flat while sending", false, true}} {
		t.Run(tc.name, func(t *testing.T) {
			api.t = t
			var got []string
			path := "/threads/" + thread + "/messages?limit=17"
			cursor := ""
			for {
				var p v1api.MessagePage
				api.ok("GET", path+cursor, nil, &p)
				for _, m := range p.Messages {
					got = append(got, m.ID)
				}
				if p.NextCursor == nil {
					break
				}
				if tc.bracket {
					cursor = "&cursor[id]=" + p.NextCursor.ID + "&cursor[timestamp]=" + url.QueryEscape(p.NextCursor.Timestamp)
				} else {
					cursor = "&cursorId=" + p.NextCursor.ID + "&cursorTimestamp=" + url.QueryEscape(p.NextCursor.Timestamp)
				}
				if tc.send {
					if _, err := s.store.SendMessage(t.Context(), s.teamID, thread, "new message during the walk", ""); err != nil {
						t.Fatal(err)
					}
				}
			}
			if !slices.Equal(got, want) {
				t.Fatalf("got %d messages, want %d; first difference at %d", len(got), len(want), firstDiff(got, want))
			}
		})
	}
}
