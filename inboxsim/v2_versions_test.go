package inboxsim

import (
	"context"
	"crypto/sha256"
	"fmt"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/httpx"
	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/seed"
	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/store"
	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/v1api"
	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/v2api"
)

// TestV2LeavesV1DataUnchanged seeds a store with the v1 seed only and compares it, table by
// table, with a simulator's store of the same seed after the v2 seed: every v1 table is the
// same to the byte, so whatever depends on the v1 data set is unaffected.
func TestV2LeavesV1DataUnchanged(t *testing.T) {
	clock := newFakeClock()
	v1only, err := store.Open("", clock.Now, nil, seed.Strangers)
	if err != nil {
		t.Fatal(err)
	}
	defer v1only.Close()
	if _, err := seed.IfEmpty(context.Background(), v1only, 9, 0.5); err != nil {
		t.Fatal(err)
	}
	a := newV2API(t, Options{Seed: 9, Scale: 0.5, Now: clock.Now})
	if n := dbInt(t, a.sim, `SELECT count(*) FROM li_threads`); n == 0 {
		t.Fatal("the simulator has no LinkedIn threads")
	}
	for _, table := range []string{"teams", "members", "account_links", "campaigns", "prospects", "tags", "statuses",
		"prospect_tags", "threads", "messages", "message_versions", "events"} {
		if x, y := tableDigest(t, v1only, table), tableDigest(t, a.sim.store, table); x != y {
			t.Errorf("table %s differs once v2 is seeded", table)
		}
	}
}

func tableDigest(t *testing.T, s *store.Store, table string) string {
	t.Helper()
	rows, err := s.DB.Query(`SELECT * FROM ` + table + ` ORDER BY 1, 2`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	h := sha256.New()
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	n := 0
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(h, "%q\n", vals)
		n++
	}
	return fmt.Sprintf("%d rows %x", n, h.Sum(nil))
}

// TestV2V1HidesLinkedIn checks that v1, whose schemas only know X, never shows LinkedIn: not
// its account link, threads, profiles or events, even after LinkedIn sends through v2.
func TestV2V1HidesLinkedIn(t *testing.T) {
	a := newV2API(t, Options{Scale: 0.5})
	v1 := &testAPI{t: t, sim: a.sim, srv: a.srv, base: a.srv.URL + v1api.Prefix, token: DemoToken, validate: true}
	var links []v1api.AccountLink
	v1.ok("GET", "/account-links", nil, &links)
	for _, l := range links {
		if l.Platform != store.PlatformTwitter {
			t.Errorf("v1 lists account link %s on %s", l.ID, l.Platform)
		}
	}
	if len(links) != 3 {
		t.Errorf("v1 lists %d account links, want the 3 X ones", len(links))
	}
	liThreads := dbStrings(t, a.sim, `SELECT id FROM li_threads`)
	for _, view := range v1api.Views {
		for _, th := range walk(t, v1, "&inbox="+view, 100, false, nil) {
			if slices.Contains(liThreads, th.ID) {
				t.Errorf("v1 view %s lists LinkedIn thread %s", view, th.ID)
			}
		}
	}
	v1.fails("GET", "/threads/"+liThreads[0], nil, 404, httpx.CodeThreadNotFound)
	v1.fails("GET", "/threads/"+liThreads[0]+"/messages", nil, 404, httpx.CodeThreadNotFound)
	profile := dbStrings(t, a.sim, `SELECT id FROM li_profiles LIMIT 1`)[0]
	v1.fails("GET", "/prospects/"+profile, nil, 404, httpx.CodeProspectNotFound)
	if res := v1.ok("GET", "/prospects/lookup?platformId="+url.QueryEscape(dbStrings(t, a.sim, `SELECT platform_id FROM li_profiles LIMIT 1`)[0]), nil, nil); string(res.body) != "null" {
		t.Errorf("v1 prospect lookup of a LinkedIn member = %s, want null", res.body)
	}
	var before v1api.EventPage
	v1.ok("GET", "/events?limit=1000", nil, &before)
	var sent v2api.SendResultJSON
	a.ok("POST", "/messages", send(liThreads[0], "Hi from LinkedIn"), &sent)
	var after v1api.EventPage
	v1.ok("GET", "/events?limit=1000", nil, &after)
	if len(after.Events) != len(before.Events) {
		t.Errorf("a LinkedIn send added %d v1 events", len(after.Events)-len(before.Events))
	}
	var v2ev v2api.EventPageJSON
	a.ok("GET", "/events?type=message.sent", nil, &v2ev)
	if n := len(v2ev.Data); n == 0 || v2ev.Data[n-1].Object.ID != sent.Message.ID {
		t.Errorf("v2 events %+v lack the LinkedIn send", v2ev.Data)
	}
}

// TestV2CrossVersion changes data through one version and reads it through the other.
func TestV2CrossVersion(t *testing.T) {
	a := newV2API(t, Options{Scale: 0.5})
	v1 := &testAPI{t: t, sim: a.sim, srv: a.srv, base: a.srv.URL + v1api.Prefix, token: DemoToken, validate: true}
	thread := pickThread(t, a.sim, "threads", "AND t.done = 0")[0]

	var sent v2api.SendResultJSON
	a.ok("POST", "/messages", send(thread, "Sent through v2"), &sent)
	var page v1api.MessagePage
	v1.ok("GET", "/threads/"+thread+"/messages?limit=1", nil, &page)
	if len(page.Messages) != 1 || page.Messages[0].ID != sent.Message.ID || page.Messages[0].Content != "Sent through v2" {
		t.Fatalf("v1 sees %+v, want the v2 send %s", page.Messages, sent.Message.ID)
	}
	var v1sent v1api.Message
	v1.ok("POST", "/threads/"+thread+"/messages", map[string]any{"content": "Sent through v1"}, &v1sent)
	var msgs v2PageOf[v2api.MessageJSON]
	a.ok("GET", "/threads/"+thread+"/messages?limit=2&expand=sentBy", nil, &msgs)
	if msgs.Data[0].ID != v1sent.ID || msgs.Data[1].ID != sent.Message.ID {
		t.Fatalf("v2 lists %s, %s; want the v1 send then the v2 send", msgs.Data[0].ID, msgs.Data[1].ID)
	}
	if by, _ := msgs.Data[1].SentBy.(map[string]any); by["type"] != "api" || by["tokenId"] != v2api.TokenID(DemoToken) {
		t.Errorf("the v2 send's sentBy = %v, want the API token", msgs.Data[1].SentBy)
	}

	// CRM state: status by name and tags through v2 are the prospect's context in v1.
	var th v2api.ThreadJSON
	a.ok("GET", "/threads/"+thread, nil, &th)
	a.ok("PATCH", "/contacts/"+th.ContactID, map[string]any{"status": "demo scheduled", "notes": "Call on Friday"}, nil)
	a.ok("PUT", "/contacts/"+th.ContactID+"/tags/Enterprise", nil, nil)
	var p v1api.ProspectWithContext
	v1.ok("GET", "/prospects/"+th.ProfileID, nil, &p)
	demo := dbStrings(t, a.sim, `SELECT id FROM statuses WHERE name = 'Demo Scheduled'`)[0]
	enterprise := dbStrings(t, a.sim, `SELECT id FROM tags WHERE name = 'Enterprise'`)[0]
	if p.Context.StatusID == nil || *p.Context.StatusID != demo || !slices.Contains(p.Context.Tags, enterprise) || *p.Context.Notes != "Call on Friday" {
		t.Errorf("v1 context %+v after the v2 contact update", p.Context)
	}
	v1.ok("PATCH", "/prospects/"+th.ProfileID+"/context", map[string]any{"removeTags": []string{enterprise}, "valuation": 900}, nil)
	var c v2api.ContactJSON
	a.ok("GET", "/contacts/"+th.ContactID, nil, &c)
	if slices.Contains(c.TagIDs, enterprise) || c.Valuation == nil || *c.Valuation != 900 {
		t.Errorf("v2 contact %+v after the v1 context update", c)
	}

	// Threads: archive and assignment both ways; a contact's default assignee is v2's.
	a.ok("PATCH", "/threads/"+thread, map[string]any{"archived": true}, nil)
	var vt v1api.Thread
	v1.ok("GET", "/threads/"+thread, nil, &vt)
	if !vt.Done {
		t.Error("archived in v2, not done in v1")
	}
	members := dbStrings(t, a.sim, `SELECT id FROM members ORDER BY rank`)
	a.ok("PATCH", "/threads/"+thread, map[string]any{"assigneeId": nil}, nil)
	a.ok("PATCH", "/contacts/"+th.ContactID, map[string]any{"assigneeId": members[3]}, nil)
	a.ok("GET", "/threads/"+thread, nil, &th)
	v1.ok("GET", "/threads/"+thread, nil, &vt)
	if th.AssigneeID == nil || *th.AssigneeID != members[3] || vt.AssigneeID != nil {
		t.Errorf("with the contact's default assignee: v2 %v, v1 %v (want the default in v2, none of its own in v1)", th.AssigneeID, vt.AssigneeID)
	}
	v1.ok("PATCH", "/threads/"+thread, map[string]any{"assigneeId": members[1]}, nil)
	a.ok("GET", "/threads/"+thread, nil, &th)
	if th.AssigneeID == nil || *th.AssigneeID != members[1] {
		t.Errorf("the thread's own assignee from v1 = %v in v2", th.AssigneeID)
	}

	// Unread is v2's mark; a tag deleted through v1 leaves LinkedIn contacts too.
	a.ok("PATCH", "/threads/"+thread, map[string]any{"unread": true}, &th)
	if !th.Unread {
		t.Error("unread mark not kept")
	}
	liTagged := dbStrings(t, a.sim, `SELECT prospect_id || ' ' || tag_id FROM li_profile_tags LIMIT 1`)
	if len(liTagged) == 0 {
		t.Fatal("no LinkedIn contact has a tag")
	}
	var prof, tag string
	fmt.Sscan(liTagged[0], &prof, &tag)
	v1.ok("DELETE", "/tags/"+tag, nil, nil)
	a.ok("GET", "/contacts/"+store.ContactIDOf(prof), nil, &c)
	if slices.Contains(c.TagIDs, tag) {
		t.Errorf("LinkedIn contact %s keeps tag %s deleted through v1", c.ID, tag)
	}
}

// TestV2Capabilities checks capabilities per platform, their narrowing per account link, and
// thread restrictions.
func TestV2Capabilities(t *testing.T) {
	a := newV2API(t, Options{Scale: 0.3})
	var ps []v2api.PlatformJSON
	a.ok("GET", "/platforms", nil, &ps)
	caps := map[string][]string{}
	for _, p := range ps {
		caps[p.Platform] = p.Capabilities
	}
	for _, c := range []string{store.CapSend, store.CapEdit, store.CapUnsend, store.CapReact, store.CapTypingSend} {
		if !slices.Contains(caps[store.PlatformTwitter], c) {
			t.Errorf("X lacks %s", c)
		}
	}
	for _, c := range []string{store.CapEdit, store.CapReact, store.CapUnsend} {
		if slices.Contains(caps[store.PlatformLinkedIn], c) {
			t.Errorf("LinkedIn has %s", c)
		}
	}
	links := v2Walk[v2api.LinkJSON](a, "/account-links")
	xLinks := dbStrings(t, a.sim, `SELECT id FROM account_links ORDER BY rank`)
	for _, l := range links {
		for _, c := range l.Capabilities {
			if !slices.Contains(caps[l.Platform], c) {
				t.Errorf("account link %s has %s beyond its platform", l.ID, c)
			}
		}
		narrowed := l.ID == xLinks[2]
		if slices.Contains(l.Capabilities, store.CapEdit) == narrowed && l.Platform == store.PlatformTwitter {
			t.Errorf("account link %s: message:edit %v, want %v", l.ID, narrowed, !narrowed)
		}
		if l.Platform == store.PlatformLinkedIn && !slices.Equal(l.Capabilities, caps[store.PlatformLinkedIn]) {
			t.Errorf("the LinkedIn account link narrows %v to %v", caps[store.PlatformLinkedIn], l.Capabilities)
		}
	}
	for _, tc := range []struct {
		table, cond string
		want        []string
	}{
		{"threads", "AND t.variant = 'xChat'", []string{}},
		{"threads", "AND t.variant = 'unencrypted'", []string{store.CapEdit, store.CapDeleteSelf, store.CapUnsend, store.CapTypingSend}},
		{"li_threads", "", []string{}},
	} {
		var th v2api.ThreadJSON
		a.ok("GET", "/threads/"+pickThread(t, a.sim, tc.table, tc.cond)[0], nil, &th)
		if !slices.Equal(th.Restrictions, tc.want) {
			t.Errorf("%s %s: restrictions %v, want %v", tc.table, tc.cond, th.Restrictions, tc.want)
		}
	}
	// Typing: sent, then skipped while the platform's interval runs; skipped where disabled.
	xchat := pickThread(t, a.sim, "threads", "AND t.variant = 'xChat' AND t.typing_enabled IS NULL")[0]
	legacy := pickThread(t, a.sim, "threads", "AND t.variant = 'unencrypted'")[0]
	for _, tc := range []struct{ thread, status, reason string }{
		{xchat, "sent", ""}, {xchat, "skipped", "rateLimited"}, {legacy, "skipped", "disabled"},
	} {
		var sig struct {
			Status string
			Reason *string
		}
		a.ok("POST", "/threads/"+tc.thread+"/typing", nil, &sig)
		if sig.Status != tc.status || (tc.reason == "") != (sig.Reason == nil) || (sig.Reason != nil && *sig.Reason != tc.reason) {
			t.Errorf("typing in %s: %+v, want %s %s", tc.thread, sig, tc.status, tc.reason)
		}
	}
}

// TestV2UpgradesAV1Store opens a file made before v2 existed (v1 tables and events only): the
// v2 data is seeded from the store's own seed and scale, and the v2 event log starts with the
// v1 events under their numbers.
func TestV2UpgradesAV1Store(t *testing.T) {
	path := t.TempDir() + "/v1.db"
	old, err := store.Open(path, time.Now, nil, seed.Strangers)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := seed.IfEmpty(context.Background(), old, 2, 0.3); err != nil {
		t.Fatal(err)
	}
	team, _ := old.FirstTeamID(context.Background())
	if _, err := old.CreateTag(context.Background(), team, store.LabelInput{Name: new("Before v2")}); err != nil {
		t.Fatal(err)
	}
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}
	a := newV2API(t, Options{DBPath: path, Seed: 99})
	if n := dbInt(t, a.sim, `SELECT count(*) FROM li_threads`); n == 0 {
		t.Error("no LinkedIn threads after opening a v1 store")
	}
	var ev v2api.EventPageJSON
	a.ok("GET", "/events", nil, &ev)
	if len(ev.Data) != 1 || ev.Data[0].Seq != 1 || ev.Data[0].Type != "tag.created" {
		t.Fatalf("v2 events of an upgraded store: %+v", ev.Data)
	}
	a.ok("POST", "/tags", map[string]any{"name": "After v2"}, nil)
	a.ok("GET", "/events?afterSeq=1", nil, &ev)
	if len(ev.Data) != 1 || ev.Data[0].Seq != 2 {
		t.Fatalf("the v2 sequence does not continue after the upgrade: %+v", ev.Data)
	}
}

func TestV2FaultOptions(t *testing.T) {
	for _, f := range []Faults{{SendUnconfirmedRate: 1.5}, {SendUnconfirmedRate: -0.1}, {SendDelay: -time.Second}} {
		if _, err := New(Options{Faults: f}); err == nil {
			t.Errorf("New accepted %+v", f)
		}
	}
}
