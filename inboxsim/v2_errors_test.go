package inboxsim

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/httpx"
	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/store"
	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/v1api"
	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/v2api"
)

// v2Fixture names seeded records the error tests need.
type v2Fixture struct {
	xChat, legacy, salesXChat, li, member, tag, inbound, oldOut string
	xOnlyContact, twinContact, liLink                           string
}

func v2Fixtures(t *testing.T, a *v2API) v2Fixture {
	t.Helper()
	s := a.sim
	one := func(q string, args ...any) string {
		t.Helper()
		v := dbStrings(t, s, q, args...)
		if len(v) == 0 {
			t.Fatalf("the seed has nothing for %s", q)
		}
		return v[0]
	}
	links := dbStrings(t, s, `SELECT id FROM account_links ORDER BY rank`)
	f := v2Fixture{
		xChat:  one(`SELECT id FROM threads WHERE variant = 'xChat' AND status = 'active' AND account_link_id = ? ORDER BY id LIMIT 1`, links[0]),
		legacy: one(`SELECT id FROM threads WHERE variant = 'unencrypted' AND status = 'active' AND has_outbound = 1 AND account_link_id = ? ORDER BY id LIMIT 1`, links[0]),
		li:     one(`SELECT id FROM li_threads WHERE status = 'active' ORDER BY id LIMIT 1`),
		member: one(`SELECT id FROM members ORDER BY rank LIMIT 1 OFFSET 1`),
		tag:    one(`SELECT id FROM tags ORDER BY name LIMIT 1`),
		liLink: one(`SELECT id FROM li_account_links LIMIT 1`),
	}
	f.salesXChat = one(`SELECT id FROM threads WHERE variant = 'xChat' AND status = 'active' AND account_link_id = ? ORDER BY id LIMIT 1`, links[2])
	f.oldOut = one(`SELECT id FROM messages WHERE thread_id = ? AND inbound = 0 AND deleted_at IS NULL AND is_encrypted = 1 ORDER BY created_at LIMIT 1`, f.xChat)
	f.xOnlyContact = store.ContactIDOf(one(`SELECT prospect_id FROM threads t WHERE status = 'active'
		AND NOT EXISTS (SELECT 1 FROM contact_links c WHERE c.primary_id = t.prospect_id) ORDER BY id LIMIT 1`))
	f.twinContact = store.ContactIDOf(one(`SELECT primary_id FROM contact_links ORDER BY profile_id LIMIT 1`))
	m, err := s.store.ReceiveMessage(t.Context(), s.teamID, f.xChat, "Thanks, that helps!")
	if err != nil {
		t.Fatal(err)
	}
	f.inbound = m.ID
	return f
}

func send(thread, content string) map[string]any {
	return map[string]any{"target": map[string]any{"type": "thread", "threadId": thread}, "content": content}
}

// TestV2ErrorBodies provokes every error code the simulator answers and checks each body
// against the operation's documented error schema (v2API validates every response).
func TestV2ErrorBodies(t *testing.T) {
	a := newV2API(t, Options{Scale: 0.3})
	f := v2Fixtures(t, a)
	zz := "zzzzzzzzzzzzzzzzzzzzzzzz"
	var sales, legacy v2api.SendResultJSON
	a.ok("POST", "/messages", send(f.salesXChat, "Quick follow-up"), &sales)
	a.ok("POST", "/messages", send(f.legacy, "Quick follow-up"), &legacy)
	var inboxPage v2PageOf[v2api.ThreadJSON]
	a.ok("GET", "/threads?limit=1", nil, &inboxPage)
	var deleted v2api.SendResultJSON
	a.ok("POST", "/messages", send(f.xChat, "Oops"), &deleted)
	a.ok("DELETE", "/messages/"+deleted.Message.ID+"?scope=all", nil, nil)
	card := dbStrings(t, a.sim, `SELECT message_id FROM attachments WHERE kind = 'card' LIMIT 1`)[0]

	cases := []struct {
		name, method, path string
		body               any
		status             int
		code               string
	}{
		{"brackets", "GET", "/threads?tag[]=Pricing", nil, 400, "invalidRequest"},
		{"comma list", "GET", "/threads?accountLinkId=" + f.liLink + "," + f.liLink, nil, 400, "invalidRequest"},
		{"repeated scalar", "GET", "/threads?order=asc&order=desc", nil, 400, "invalidRequest"},
		{"bad folder", "GET", "/threads?folder=done", nil, 400, "invalidRequest"},
		{"five expansions", "GET", "/threads?expand=profile&expand=contact&expand=accountLink&expand=assignee&expand=profile", nil, 400, "invalidRequest"},
		{"unknown key", "GET", "/threads?inbox=default", nil, 400, "invalidRequest"},
		{"limit 0", "GET", "/threads?limit=0", nil, 400, "invalidRequest"},
		{"unassigned and assignee", "GET", "/threads?unassigned=true&assigneeId=" + f.member, nil, 400, "invalidRequest"},
		{"unknown tag name", "GET", "/threads?tag=" + url.QueryEscape("No Such Tag"), nil, 400, "invalidRequest"},
		{"contacts without platform", "GET", "/contacts?platformId=1", nil, 400, "invalidRequest"},
		{"contacts without identity", "GET", "/contacts?platform=twitter", nil, 400, "invalidRequest"},
		{"username with prefix", "GET", "/contacts?platform=twitter&username=%40sarah", nil, 400, "invalidRequest"},
		{"bad path ID", "GET", "/threads/UPPER", nil, 400, "invalidRequest"},
		{"v1 field name", "PATCH", "/contacts/" + f.xOnlyContact, map[string]any{"statusId": f.tag}, 400, "invalidRequest"},
		{"unknown status", "PATCH", "/contacts/" + f.xOnlyContact, map[string]any{"status": "Nope"}, 400, "invalidRequest"},
		{"unknown assignee", "PATCH", "/threads/" + f.xChat, map[string]any{"assigneeId": zz}, 400, "invalidRequest"},
		{"bad json", "POST", "/tags", "{not json", 400, "invalidRequest"},
		{"tag color null", "POST", "/tags", map[string]any{"name": "X", "color": nil}, 400, "invalidRequest"},
		{"bad color", "POST", "/statuses", map[string]any{"name": "X", "color": "mauve-ish"}, 400, "invalidRequest"},
		{"empty content", "POST", "/messages", send(f.xChat, ""), 400, "invalidRequest"},
		{"no target", "POST", "/messages", map[string]any{"content": "hi"}, 400, "invalidRequest"},
		{"mixed target", "POST", "/messages", map[string]any{"target": map[string]any{"type": "thread", "threadId": f.xChat, "contactId": f.xOnlyContact}, "content": "hi"}, 400, "invalidRequest"},
		{"reply elsewhere", "POST", "/messages", map[string]any{"target": map[string]any{"type": "thread", "threadId": f.li}, "content": "hi", "replyToMessageId": f.inbound}, 400, "invalidRequest"},
		{"no scope", "DELETE", "/messages/" + f.inbound, nil, 400, "invalidRequest"},
		{"not an emoji", "POST", "/messages/" + f.inbound + "/reactions", map[string]any{"emoji": "ok"}, 400, "invalidRequest"},
		{"two emoji", "DELETE", "/messages/" + f.inbound + "/reactions?emoji=" + url.QueryEscape("👍👍"), nil, 400, "invalidRequest"},
		{"no attachment", "GET", "/messages/" + f.inbound + "/attachments/3", nil, 400, "invalidRequest"},
		{"card attachment", "GET", "/messages/" + card + "/attachments/0", nil, 400, "invalidRequest"},
		{"garbage cursor", "GET", "/threads?cursor=bm9wZQ", nil, 400, "invalidCursor"},
		{"cursor of other filters", "GET", "/threads?folder=archived&cursor=" + url.QueryEscape(*inboxPage.NextCursor), nil, 400, "invalidCursor"},
		{"cursor of other list", "GET", "/threads/" + f.xChat + "/messages?cursor=" + url.QueryEscape(*inboxPage.NextCursor), nil, 400, "invalidCursor"},
		{"thread", "GET", "/threads/" + zz, nil, 404, "threadNotFound"},
		{"thread of message list", "GET", "/threads/" + zz + "/messages", nil, 404, "threadNotFound"},
		{"message", "GET", "/messages/" + zz, nil, 404, "messageNotFound"},
		{"contact", "GET", "/contacts/" + zz, nil, 404, "contactNotFound"},
		{"contact of a linked profile", "GET", "/contacts/" + store.ContactIDOf(dbStrings(t, a.sim, `SELECT profile_id FROM contact_links LIMIT 1`)[0]), nil, 404, "contactNotFound"},
		{"tag", "GET", "/tags/" + url.PathEscape("No Such Tag"), nil, 404, "tagNotFound"},
		{"tag on contact", "PUT", "/contacts/" + f.xOnlyContact + "/tags/Nope", nil, 404, "tagNotFound"},
		{"status", "DELETE", "/statuses/" + zz, nil, 404, "statusNotFound"},
		{"member", "GET", "/members/" + zz, nil, 404, "memberNotFound"},
		{"account link", "GET", "/account-links/" + zz, nil, 404, "accountLinkNotFound"},
		{"send from unknown link", "POST", "/messages", map[string]any{"target": map[string]any{"type": "contact", "accountLinkId": zz, "contactId": f.xOnlyContact}, "content": "hi"}, 404, "accountLinkNotFound"},
		{"send to unknown contact", "POST", "/messages", map[string]any{"target": map[string]any{"type": "contact", "accountLinkId": f.liLink, "contactId": zz}, "content": "hi"}, 404, "contactNotFound"},
		{"name taken", "POST", "/tags", map[string]any{"name": "hot lead"}, 409, "nameTaken"},
		{"name taken on rename", "PATCH", "/statuses/Qualified", map[string]any{"name": "CONTACTED"}, 409, "nameTaken"},
		{"platform filter", "GET", "/threads?platform=instagram", nil, 403, "platformNotAvailable"},
		{"platform of contacts", "GET", "/contacts?platform=instagram&platformId=1", nil, 403, "platformNotAvailable"},
		{"platform of profile target", "POST", "/messages", map[string]any{"target": map[string]any{"type": "profile", "accountLinkId": f.liLink, "platform": "instagram", "platformId": "1"}, "content": "hi"}, 403, "platformNotAvailable"},
		{"edit without Premium", "PATCH", "/messages/" + sales.Message.ID, map[string]any{"content": "x"}, 422, "capabilityNotSupported"},
		{"react on LinkedIn", "POST", "/messages/" + dbStrings(t, a.sim, `SELECT id FROM li_messages WHERE thread_id = ? LIMIT 1`, f.li)[0] + "/reactions", map[string]any{"emoji": "👍"}, 422, "capabilityNotSupported"},
		{"edit legacy DM", "PATCH", "/messages/" + legacy.Message.ID, map[string]any{"content": "x"}, 422, "threadRestricted"},
		{"unsend legacy DM", "DELETE", "/messages/" + legacy.Message.ID + "?scope=all", nil, 422, "threadRestricted"},
		{"edit window closed", "PATCH", "/messages/" + f.oldOut, map[string]any{"content": "x"}, 422, "mutationWindowClosed"},
		{"edit their message", "PATCH", "/messages/" + f.inbound, map[string]any{"content": "x"}, 422, "messageNotModifiable"},
		{"unsend their message", "DELETE", "/messages/" + f.inbound + "?scope=all", nil, 422, "messageNotModifiable"},
		{"edit deleted", "PATCH", "/messages/" + deleted.Message.ID, map[string]any{"content": "x"}, 422, "messageNotModifiable"},
		{"too long for LinkedIn", "POST", "/messages", send(f.li, strings.Repeat("a", 8001)), 422, "contentRejected"},
		{"no LinkedIn profile", "POST", "/messages", map[string]any{"target": map[string]any{"type": "contact", "accountLinkId": f.liLink, "contactId": f.xOnlyContact}, "content": "hi"}, 422, "recipientUnavailable"},
		{"platform mismatch", "POST", "/messages", map[string]any{"target": map[string]any{"type": "profile", "accountLinkId": f.liLink, "platform": "twitter", "platformId": "12345"}, "content": "hi"}, 422, "platformNotSupported"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a.t = t
			a.fails(tc.method, tc.path, tc.body, tc.status, tc.code)
		})
	}
	a.t = t

	// A second LinkedIn profile on a contact makes a contact target ambiguous there.
	if _, err := a.sim.store.DB.Exec(`INSERT INTO li_profiles (id, team_id, platform_id, display_name, username, last_updated_at)
		VALUES ('secondprofile00000000000', ?, 'ACoAAsecond', 'Second', 'second', 0)`, a.sim.teamID); err != nil {
		t.Fatal(err)
	}
	if _, err := a.sim.store.DB.Exec(`INSERT INTO contact_links (profile_id, primary_id, linked_at) VALUES ('secondprofile00000000000', ?, 0)`, store.PrimaryOf(f.twinContact)); err != nil {
		t.Fatal(err)
	}
	a.fails("POST", "/messages", map[string]any{"target": map[string]any{"type": "contact", "accountLinkId": f.liLink, "contactId": f.twinContact}, "content": "hi"}, 422, "profileAmbiguous")
	// An account link that lost its connection cannot send or change messages.
	if _, err := a.sim.store.DB.Exec(`UPDATE li_account_links SET status = 'offline'`); err != nil {
		t.Fatal(err)
	}
	e := a.fails("POST", "/messages", send(f.li, "hi"), 409, "accountLinkDisconnected")
	if d, _ := e.Details.(map[string]any); d["status"] != "offline" || d["accountLinkId"] != f.liLink {
		t.Errorf("accountLinkDisconnected details = %v", e.Details)
	}
	a.token = "wrong"
	a.fails("GET", "/team", nil, 401, "unauthorized")
	a.token = DemoToken
	// Paths and methods the document does not have fail with the v2 error shape too.
	a.fails("GET", "/prospects/"+zz, nil, 404, "notFound")
	if res := a.do("PUT", "/tags", nil); res.status != http.StatusMethodNotAllowed || res.header.Get("Allow") != "GET, POST" {
		t.Errorf("PUT /tags: %d, Allow %q", res.status, res.header.Get("Allow"))
	}
	for i := 0; len(dbStrings(t, a.sim, `SELECT id FROM tags`)) < v2api.MaxTags; i++ {
		a.ok("POST", "/tags", map[string]any{"name": fmt.Sprintf("Bulk %d", i)}, nil)
	}
	a.fails("POST", "/tags", map[string]any{"name": "One too many"}, 422, "tagLimitReached")
}

// TestV2RateLimitsAndFaults checks the 429 body and headers (the limit is the team's, shared
// with v1) and the injected failures' codes.
func TestV2RateLimitsAndFaults(t *testing.T) {
	clock := newFakeClock()
	a := newV2API(t, Options{Scale: 0.3, RateLimit: RateLimits{PerMinute: 3}, Now: clock.Now})
	v1 := &testAPI{t: t, sim: a.sim, srv: a.srv, base: a.srv.URL + v1api.Prefix, token: DemoToken}
	res := a.ok("GET", "/team", nil, nil)
	if res.header.Get("X-RateLimit-Limit") != "3" || res.header.Get("X-RateLimit-Remaining") != "2" || res.header.Get("X-RateLimit-Reset") == "" {
		t.Errorf("rate limit headers %v", res.header)
	}
	v1.ok("GET", "/team", nil, nil)
	a.ok("GET", "/team", nil, nil)
	e := a.fails("GET", "/platforms", nil, 429, "rateLimited")
	d, _ := e.Details.(map[string]any)
	if d["window"] != "minute" || d["limit"] != float64(3) || d["resetAt"] != httpx.FormatTime(clock.Now().Add(time.Minute)) {
		t.Errorf("429 details %v", e.Details)
	}
	if res := a.do("GET", "/team", nil); res.header.Get("Retry-After") != "60" {
		t.Errorf("Retry-After %q, want 60", res.header.Get("Retry-After"))
	}
	clock.Advance(time.Minute)
	a.ok("GET", "/team", nil, nil)

	f := newV2API(t, Options{Scale: 0.3, Faults: Faults{RateLimitBurst: 1}})
	f.fails("GET", "/team", nil, 429, "rateLimited")
	f.sim.SetFaults(Faults{ErrorRate: 1})
	thread := dbStrings(t, f.sim, `SELECT id FROM threads LIMIT 1`)[0]
	f.fails("GET", "/team", nil, 500, "internal")
	var codes []string
	for range 3 {
		res := f.do("DELETE", "/threads/"+thread, nil)
		var eb v2api.ErrorBody
		res.decode(t, &eb)
		codes = append(codes, eb.Code)
	}
	if strings.Join(codes, ",") != "platformError,platformUnavailable,internal" {
		t.Errorf("injected failures of a platform operation: %v", codes)
	}
}
