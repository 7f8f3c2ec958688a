package inboxsim

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/httpx"
	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/store"
	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/v2api"
)

// TestV2ContractEveryOperation calls all 37 operations of the v2 document over the seeded data
// (every thread of every folder, every message page with expansions, every contact) and through
// mutations that produce every kind of state, validating each response against the document.
func TestV2ContractEveryOperation(t *testing.T) {
	a := newV2API(t, Options{Seed: 3, Scale: 0.3})
	s := a.sim

	var platforms []v2api.PlatformJSON
	a.ok("GET", "/platforms", nil, &platforms)
	a.ok("GET", "/team", nil, nil)
	members := v2Walk[v2api.MemberJSON](a, "/members?limit=2")
	for _, m := range members {
		a.ok("GET", "/members/"+m.ID, nil, nil)
	}
	links := v2Walk[v2api.LinkJSON](a, "/account-links?limit=1")
	for _, l := range links {
		a.ok("GET", "/account-links/"+l.ID, nil, nil)
	}
	if got := v2Walk[v2api.LinkJSON](a, "/account-links?platform=linkedin&status=active&status=paused"); len(got) != 1 || got[0].Platform != store.PlatformLinkedIn {
		t.Errorf("LinkedIn account links = %+v, want one", got)
	}
	var tags v2PageOf[v2api.TagJSON]
	a.ok("GET", "/tags", nil, &tags)
	for _, tg := range tags.Data {
		a.ok("GET", "/tags/"+tg.ID, nil, nil)
		a.ok("GET", "/tags/"+url.PathEscape(strings.ToUpper(tg.Name)), nil, nil)
	}
	var statuses v2PageOf[v2api.StatusJSON]
	a.ok("GET", "/statuses", nil, &statuses)
	for _, st := range statuses.Data {
		a.ok("GET", "/statuses/"+url.PathEscape(st.Name), nil, nil)
	}
	a.ok("GET", "/colors", nil, nil)

	// Every thread of every folder with every thread expansion, then every thread's messages
	// with four message expansions: the whole seeded data set goes through the validator.
	for _, f := range store.V2Folders {
		v2Walk[v2api.ThreadJSON](a, "/threads?limit=100&folder="+f+"&expand=profile&expand=contact&expand=accountLink&expand=assignee")
	}
	all := v2Walk[v2api.ThreadJSON](a, "/threads?limit=100&folder=all")
	sawPlatform := map[string]bool{}
	contacts := map[string]bool{}
	for _, th := range all {
		sawPlatform[th.Platform] = true
		contacts[th.ContactID] = true
		a.ok("GET", "/threads/"+th.ID+"?expand=profile&expand=contact&expand=accountLink&expand=assignee", nil, nil)
		v2Walk[v2api.MessageJSON](a, "/threads/"+th.ID+"/messages?limit=100&expand=sentBy&expand=reactions.author&expand=thread&expand=replyTo.message")
	}
	if !sawPlatform[store.PlatformTwitter] || !sawPlatform[store.PlatformLinkedIn] {
		t.Fatalf("threads cover platforms %v, want twitter and linkedin", sawPlatform)
	}
	for id := range contacts {
		var c v2api.ContactJSON
		a.ok("GET", "/contacts/"+id+"?expand=status&expand=tags&expand=assignee", nil, &c)
		for _, p := range c.Profiles {
			a.ok("GET", "/contacts?platform="+p.Platform+"&platformId="+url.QueryEscape(p.PlatformID)+"&expand=tags", nil, nil)
			a.ok("GET", "/contacts?platform="+p.Platform+"&username="+url.QueryEscape(strings.ToUpper(p.Username)), nil, nil)
		}
	}
	for _, q := range []string{
		`SELECT id FROM messages WHERE is_edited = 1 LIMIT 3`,
		`SELECT id FROM messages WHERE deleted_at IS NOT NULL LIMIT 3`,
		`SELECT id FROM li_messages LIMIT 3`,
		`SELECT message_id FROM attachments LIMIT 5`,
	} {
		for _, id := range dbStrings(t, s, q) {
			a.ok("GET", "/messages/"+id+"/history", nil, nil)
			a.ok("GET", "/messages/"+id+"?expand=accountLink&expand=sentBy", nil, nil)
		}
	}
	for _, st := range []string{"ready", "processing"} {
		ids := dbStrings(t, s, `SELECT message_id FROM attachments WHERE status = ? AND kind != 'card' LIMIT 1`, st)
		if len(ids) == 0 {
			t.Fatalf("the seed has no %s attachment", st)
		}
		res := a.ok("GET", "/messages/"+ids[0]+"/attachments/0", nil, nil)
		if want := map[string]int{"ready": 200, "processing": 202}[st]; res.status != want {
			t.Errorf("%s attachment: status %d, want %d", st, res.status, want)
		}
	}

	// Mutations on both platforms.
	x, li := pickThread(t, s, "threads", "AND t.variant = 'xChat'"), pickThread(t, s, "li_threads", "")
	xThread, liThread := x[0], li[0]
	var xt, lt v2api.ThreadJSON
	a.ok("GET", "/threads/"+xThread, nil, &xt)
	a.ok("GET", "/threads/"+liThread, nil, &lt)
	for _, th := range []v2api.ThreadJSON{xt, lt} {
		a.ok("PATCH", "/threads/"+th.ID, map[string]any{"archived": true, "unread": true, "assigneeId": members[1].ID, "typingIndicators": "disabled"}, nil)
		a.ok("PATCH", "/threads/"+th.ID, map[string]any{"archived": false, "unread": false, "assigneeId": nil, "typingIndicators": "teamDefault"}, nil)
		a.ok("POST", "/threads/"+th.ID+"/typing", nil, nil)
		a.ok("PATCH", "/contacts/"+th.ContactID, map[string]any{"status": "Qualified", "notes": "Asked for a demo", "valuation": 1500.5, "assigneeId": members[2].ID}, nil)
		a.ok("PATCH", "/contacts/"+th.ContactID, map[string]any{"status": nil, "notes": nil, "valuation": nil, "assigneeId": nil}, nil)
		a.ok("PUT", "/contacts/"+th.ContactID+"/tags/"+url.PathEscape("hot lead"), nil, nil)
		a.ok("DELETE", "/contacts/"+th.ContactID+"/tags/"+tags.Data[0].ID, nil, nil)
		var sent v2api.SendResultJSON
		a.ok("POST", "/messages", map[string]any{"target": map[string]any{"type": "thread", "threadId": th.ID}, "content": "Following up on our chat 👋 https://northwind.app/demo"}, &sent)
		a.ok("POST", "/messages", map[string]any{"target": map[string]any{"type": "contact", "accountLinkId": th.AccountLinkID, "contactId": th.ContactID},
			"content": "One more thing", "replyToMessageId": sent.Message.ID}, nil, "Idempotency-Key", "contract-"+th.ID)
	}
	var sent v2api.SendResultJSON
	a.ok("POST", "/messages", map[string]any{"target": map[string]any{"type": "thread", "threadId": xThread}, "content": "Hi @northwindhq, see #pricing for $NWD"}, &sent)
	a.ok("PATCH", "/messages/"+sent.Message.ID, map[string]any{"content": "Hi, see the pricing page"}, nil)
	a.ok("POST", "/messages/"+sent.Message.ID+"/reactions", map[string]any{"emoji": "👍🏽"}, nil)
	a.ok("GET", "/threads/"+xThread+"/messages?limit=1&expand=reactions.author&expand=accountLink", nil, nil)
	a.ok("DELETE", "/messages/"+sent.Message.ID+"/reactions?emoji="+url.QueryEscape("👍🏽"), nil, nil)
	a.ok("GET", "/messages/"+sent.Message.ID+"/history", nil, nil)
	a.ok("DELETE", "/messages/"+sent.Message.ID+"?scope=self", nil, nil)
	a.ok("POST", "/messages", map[string]any{"target": map[string]any{"type": "profile", "accountLinkId": xt.AccountLinkID, "platform": store.PlatformTwitter, "platformId": "1234567890123456789"}, "content": "Hello from a new conversation"}, nil)
	a.ok("POST", "/messages", map[string]any{"target": map[string]any{"type": "profile", "accountLinkId": lt.AccountLinkID, "platform": store.PlatformLinkedIn, "platformId": "ACoAAnewperson42"}, "content": "Hi, thanks for connecting!"}, nil)
	var unsent v2api.SendResultJSON
	a.ok("POST", "/messages", map[string]any{"target": map[string]any{"type": "thread", "threadId": xThread}, "content": "Sent by mistake"}, &unsent)
	a.ok("DELETE", "/messages/"+unsent.Message.ID+"?scope=all", nil, nil)
	a.ok("GET", "/messages/"+unsent.Message.ID+"/history", nil, nil)

	var tag v2api.TagJSON
	a.ok("POST", "/tags", map[string]any{"name": "Webinar"}, &tag)
	a.ok("PATCH", "/tags/Webinar", map[string]any{"name": "Webinar 2026", "color": "teal"}, nil)
	a.ok("DELETE", "/tags/"+tag.ID, nil, nil)
	var st v2api.StatusJSON
	a.ok("POST", "/statuses", map[string]any{"name": "Onboarding", "color": nil}, &st)
	a.ok("PATCH", "/statuses/onboarding", map[string]any{"color": "#0EA5E9"}, nil)
	a.ok("DELETE", "/statuses/"+st.ID, nil, nil)
	var del map[string]string
	a.ok("DELETE", "/threads/"+xThread, nil, &del)
	if del["scope"] != "local" {
		t.Errorf("deleting an X thread: scope %q, want local", del["scope"])
	}
	a.ok("DELETE", "/threads/"+liThread, nil, &del)
	if del["scope"] != "remoteAndLocal" {
		t.Errorf("deleting a LinkedIn thread: scope %q, want remoteAndLocal", del["scope"])
	}

	var events v2api.EventPageJSON
	a.ok("GET", "/events?limit=1000", nil, &events)
	types := map[string]bool{}
	for _, e := range events.Data {
		types[e.Type] = true
	}
	for _, want := range []string{"thread.created", "thread.deleted", "thread.assigned", "thread.unassigned",
		"thread.archived", "thread.unarchived", "thread.typing", "message.sent", "message.edited", "message.deleted",
		"message.reactionAdded", "message.reactionRemoved", "contact.statusChanged", "contact.tagsChanged",
		"contact.notesChanged", "contact.valuationChanged", "contact.assigneeChanged", "tag.created", "tag.updated",
		"tag.deleted", "status.created", "status.updated", "status.deleted"} {
		if !types[want] {
			t.Errorf("no %s event after the mutations", want)
		}
	}
	a.ok("GET", "/events?afterSeq=2&limit=3&type=message.sent&type=thread.created", nil, nil)

	var missing []string
	for _, op := range v2Operations(t) {
		if a.ops[op] == 0 {
			missing = append(missing, op)
		}
	}
	if len(missing) > 0 || len(v2Operations(t)) != 37 {
		t.Fatalf("operations not exercised: %v (of %d)", missing, len(v2Operations(t)))
	}
	n := 0
	for _, c := range a.ops {
		n += c
	}
	t.Logf("validated %d responses over %d operations", n, len(a.ops))
}

// v2Walk reads every page of a collection and returns its items.
func v2Walk[T any](a *v2API, path string) []T {
	a.t.Helper()
	var out []T
	next := path
	for pages := 0; ; pages++ {
		var page v2PageOf[T]
		a.ok("GET", next, nil, &page)
		out = append(out, page.Data...)
		if page.NextCursor == nil {
			return out
		}
		if pages > 10_000 {
			a.t.Fatalf("%s: no end after %d pages", path, pages)
		}
		sep := "?"
		if strings.Contains(path, "?") {
			sep = "&"
		}
		next = path + sep + "cursor=" + url.QueryEscape(*page.NextCursor)
	}
}

// pickThread returns a live, active thread of a table with messages from both sides.
func pickThread(t *testing.T, s *Sim, table, cond string) []string {
	t.Helper()
	ids := dbStrings(t, s, `SELECT t.id FROM `+table+` t WHERE t.status = 'active' AND t.deleted_at IS NULL
		AND t.has_inbound = 1 AND t.has_outbound = 1 `+cond+` ORDER BY t.id LIMIT 3`)
	if len(ids) == 0 {
		t.Fatalf("no thread in %s with %q", table, cond)
	}
	return ids
}

// TestV2ContractValidatorCatches proves the validation above can fail: real responses with a
// key removed, a wrong type, an unknown field or an error of another shape are rejected.
func TestV2ContractValidatorCatches(t *testing.T) {
	a := newV2API(t, Options{Scale: 0.3})
	id := pickThread(t, a.sim, "threads", "")[0]
	res := a.ok("GET", "/threads/"+id+"?expand=profile", nil, nil)
	for name, mutate := range map[string]func(m map[string]any){
		"missing key":   func(m map[string]any) { delete(m, "restrictions") },
		"null required": func(m map[string]any) { m["contactId"] = nil },
		"bad enum":      func(m map[string]any) { m["typingIndicators"] = "on" },
		"unknown field": func(m map[string]any) { m["done"] = true },
		"bad profile":   func(m map[string]any) { delete(m["profile"].(map[string]any), "handle") },
		"bad date":      func(m map[string]any) { m["createdAt"] = "yesterday" },
	} {
		var m map[string]any
		res.decode(t, &m)
		mutate(m)
		bad := res
		bad.body = httpx.JSONBody(m)
		if _, err := validateV2(t, "GET", "/threads/"+id+"?expand=profile", nil, bad); err == nil {
			t.Errorf("%s: the validator accepted a response that breaks the document", name)
		}
	}
	e := a.fails("GET", "/threads/zzzzzzzzzzzzzzzzzzzzzzzz", nil, http.StatusNotFound, "threadNotFound")
	wrong := v2Response{status: 404, header: res.header, body: httpx.JSONBody(map[string]any{"error": map[string]any{"code": "THREAD_NOT_FOUND", "message": e.Message, "status": 404}})}
	if _, err := validateV2(t, "GET", "/threads/zzzzzzzzzzzzzzzzzzzzzzzz", nil, wrong); err == nil {
		t.Error("the validator accepted a v1-shaped error body on v2")
	}
	if !slices.Contains(v2Operations(t), "POST /messages") {
		t.Error("the document has no POST /messages")
	}
}
