package inboxsim

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"slices"
	"sort"
	"testing"

	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/httpx"
	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/v1api"
)

// documentOperations lists the operationIds of the v1 document.
func documentOperations(t *testing.T) []string {
	t.Helper()
	raw, err := os.ReadFile("../api/inbox-v1.openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths map[string]map[string]struct {
			OperationID string `json:"operationId"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	var ops []string
	for _, methods := range doc.Paths {
		for _, op := range methods {
			ops = append(ops, op.OperationID)
		}
	}
	sort.Strings(ops)
	return ops
}

// contract drives every operation and remembers which ones ran.
type contract struct {
	*testAPI
	covered map[string]int
}

func (c *contract) call(op, method, path string, body, out any) {
	c.t.Helper()
	c.ok(method, path, body, out)
	c.covered[op]++
}

// TestContractEveryOperation calls all 38 operations of the document over the seeded data
// (every thread, every message page, the bare null-heavy records) and through mutations that
// produce every kind of state, validating each response against the OpenAPI document.
func TestContractEveryOperation(t *testing.T) {
	api := newTestAPI(t, Options{Seed: 3})
	api.validate = true
	c := &contract{testAPI: api, covered: map[string]int{}}
	s := api.sim

	var team v1api.Team
	c.call("team.get", "GET", "/team", nil, &team)
	var links []v1api.AccountLink
	c.call("accountLinks.list", "GET", "/account-links", nil, &links)
	var members []v1api.Member
	c.call("members.list", "GET", "/members", nil, &members)
	sawNullName := false
	for _, m := range members {
		c.call("members.get", "GET", "/members/"+m.ID, nil, nil)
		sawNullName = sawNullName || m.Name == nil
	}
	if !sawNullName {
		t.Error("no member without a name: the null-heavy member is missing")
	}
	var tags []v1api.Tag
	c.call("tags.list", "GET", "/tags", nil, &tags)
	for _, tg := range tags {
		c.call("tags.get", "GET", "/tags/"+tg.ID, nil, nil)
	}
	var statuses []v1api.Status
	c.call("statuses.list", "GET", "/statuses", nil, &statuses)
	for _, st := range statuses {
		c.call("statuses.get", "GET", "/statuses/"+st.ID, nil, nil)
	}
	c.call("tags.colors", "GET", "/tags/colors", nil, nil)
	c.call("statuses.colors", "GET", "/statuses/colors", nil, nil)
	c.call("colors.list", "GET", "/colors", nil, nil)

	// Every thread of every view, page by page, then every thread (idle ones too) by ID with
	// all its messages: the whole seeded data set goes through the validator.
	for _, view := range v1api.Views {
		path := "/threads?limit=100&inbox=" + view
		for {
			var page v1api.ThreadPage
			c.call("threads.list", "GET", path, nil, &page)
			if page.NextCursor == nil {
				break
			}
			path = "/threads?limit=100&inbox=" + view + "&cursorId=" + page.NextCursor.ID + "&cursorTimestamp=" + url.QueryEscape(page.NextCursor.Timestamp)
		}
	}
	for _, id := range dbStrings(t, s, `SELECT id FROM threads ORDER BY id`) {
		c.call("threads.thread.get", "GET", "/threads/"+id, nil, nil)
		path := "/threads/" + id + "/messages?limit=100"
		for {
			var page v1api.MessagePage
			c.call("threads.thread.messages.list", "GET", path, nil, &page)
			if page.NextCursor == nil {
				break
			}
			path = "/threads/" + id + "/messages?limit=100&cursorId=" + page.NextCursor.ID + "&cursorTimestamp=" + url.QueryEscape(page.NextCursor.Timestamp)
		}
	}
	for _, id := range dbStrings(t, s, `SELECT id FROM prospects ORDER BY id`) {
		c.call("prospects.get", "GET", "/prospects/"+id, nil, nil)
	}
	// History of plain, edited and deleted messages.
	for _, q := range []string{
		`SELECT thread_id || '/' || id FROM messages WHERE is_edited = 0 AND deleted_at IS NULL LIMIT 3`,
		`SELECT thread_id || '/' || id FROM messages WHERE is_edited = 1 LIMIT 3`,
		`SELECT thread_id || '/' || id FROM messages WHERE deleted_at IS NOT NULL LIMIT 3`,
	} {
		rows := dbStrings(t, s, q)
		if len(rows) == 0 {
			t.Errorf("the seed has no message for %s", q)
		}
		for _, tm := range rows {
			tid, mid := tm[:24], tm[25:]
			c.call("threads.thread.messages.message.history", "GET", "/threads/"+tid+"/messages/"+mid+"/history", nil, nil)
		}
	}

	// Lookups: hits and misses (null and []).
	var any1 v1api.Thread
	c.call("threads.thread.get", "GET", "/threads/"+dbStrings(t, s, `SELECT id FROM threads WHERE status = 'active' LIMIT 1`)[0], nil, &any1)
	p := any1.Prospect
	c.call("threads.lookup", "GET", "/threads/lookup?accountLinkId="+any1.AccountLinkID+"&externalPlatformId="+p.PlatformID, nil, nil)
	c.call("threads.lookup", "GET", "/threads/lookup?accountLinkId="+any1.AccountLinkID+"&externalId="+*p.ExternalID, nil, nil)
	if res := c.ok("GET", "/threads/lookup?accountLinkId="+any1.AccountLinkID+"&externalPlatformId=42", nil, nil); string(res.body) != "null" {
		t.Errorf("lookup miss = %s, want null", res.body)
	}
	c.call("threads.lookupByUsername", "GET", "/threads/lookup-by-username?username="+p.Username, nil, nil)
	if res := c.ok("GET", "/threads/lookup-by-username?username=nobody_here_xyz", nil, nil); string(res.body) != "[]" {
		t.Errorf("lookup-by-username miss = %s, want []", res.body)
	}
	c.call("prospects.lookup", "GET", "/prospects/lookup?platformId="+p.PlatformID, nil, nil)
	if res := c.ok("GET", "/prospects/lookup?platformId=42", nil, nil); string(res.body) != "null" {
		t.Errorf("prospect lookup miss = %s, want null", res.body)
	}

	// Mutations.
	var created v1api.Thread
	c.call("threads.create", "POST", "/threads", map[string]any{"accountLinkId": links[0].ID, "externalPlatformId": "1234567890123456789"}, &created)
	c.call("threads.create", "POST", "/threads", map[string]any{"accountLinkId": links[0].ID, "externalId": *created.Prospect.ExternalID}, nil)
	c.call("threads.thread.update", "PATCH", "/threads/"+created.ID, map[string]any{"done": true, "assigneeId": members[1].ID}, nil)
	c.call("threads.thread.update", "PATCH", "/threads/"+created.ID, map[string]any{"done": false, "assigneeId": nil}, nil)
	c.call("threads.thread.settings", "PATCH", "/threads/"+created.ID+"/settings", map[string]any{"typingIndicatorsEnabled": false}, nil)
	c.call("threads.thread.typing", "POST", "/threads/"+created.ID+"/typing", nil, nil)
	var sent v1api.Message
	c.call("threads.thread.messages.create", "POST", "/threads/"+created.ID+"/messages", map[string]any{"content": "Hi! Saw your post 👋"}, &sent)
	if _, err := s.store.ReceiveMessage(t.Context(), s.teamID, created.ID, "hey, thanks!"); err != nil {
		t.Fatal(err)
	}
	c.call("threads.thread.messages.create", "POST", "/threads/"+created.ID+"/messages", map[string]any{"content": "Great, here you go", "replyToMessageId": sent.ID}, nil)
	c.call("threads.thread.settings", "PATCH", "/threads/"+created.ID+"/settings", map[string]any{"typingIndicatorsEnabled": nil}, nil)
	c.call("threads.thread.typing", "POST", "/threads/"+created.ID+"/typing", nil, nil)
	c.call("threads.thread.messages.message.edit", "PATCH", "/threads/"+created.ID+"/messages/"+sent.ID, map[string]any{"content": "Hi! Saw your post about pricing 👋"}, nil)
	c.call("threads.thread.messages.message.reactions.add", "POST", "/threads/"+created.ID+"/messages/"+sent.ID+"/reactions/reactions", map[string]any{"emoji": "👍"}, nil)
	c.call("threads.thread.messages.list", "GET", "/threads/"+created.ID+"/messages", nil, nil)
	c.call("threads.thread.messages.message.reactions.remove", "DELETE", "/threads/"+created.ID+"/messages/"+sent.ID+"/reactions/reactions", map[string]any{"emoji": "👍"}, nil)
	c.call("threads.thread.messages.message.history", "GET", "/threads/"+created.ID+"/messages/"+sent.ID+"/history", nil, nil)
	c.call("threads.thread.messages.message.delete", "DELETE", "/threads/"+created.ID+"/messages/"+sent.ID, map[string]any{"deleteForAll": false}, nil)
	c.call("threads.thread.messages.message.history", "GET", "/threads/"+created.ID+"/messages/"+sent.ID+"/history", nil, nil)
	c.call("threads.messages.quickSend", "POST", "/threads/messages", map[string]any{"accountLinkId": links[1].ID, "externalId": *created.Prospect.ExternalID, "content": "Following up from our other account"}, nil)
	c.call("threads.messages.quickSend", "POST", "/threads/messages", map[string]any{"accountLinkId": links[2].ID, "externalPlatformId": "9876543210", "content": "Hello from a brand-new conversation"}, nil)

	var tag v1api.Tag
	c.call("tags.create", "POST", "/tags", map[string]any{"name": "Webinar", "color": "teal"}, &tag)
	c.call("tags.create", "POST", "/tags", map[string]any{"name": "No Color"}, nil)
	c.call("tags.update", "PATCH", "/tags/"+tag.ID, map[string]any{"name": "Webinar 2026", "color": "#0EA5E9"}, nil)
	var status v1api.Status
	c.call("statuses.create", "POST", "/statuses", map[string]any{"name": "Onboarding", "color": nil}, &status)
	c.call("statuses.update", "PATCH", "/statuses/"+status.ID, map[string]any{"color": "green"}, nil)
	pid := *created.Prospect.ExternalID
	c.call("prospects.update", "PATCH", "/prospects/"+pid+"/context", map[string]any{
		"notes": "Asked about pricing", "valuation": 1200.5, "statusId": status.ID,
		"addTags": []string{tag.ID, tags[0].ID}, "assigneeId": members[2].ID, "done": true}, nil)
	c.call("prospects.update", "PATCH", "/prospects/"+pid+"/context", map[string]any{
		"notes": nil, "valuation": nil, "statusId": nil, "removeTags": []string{tags[0].ID}, "assigneeId": nil, "done": false}, nil)
	c.call("tags.delete", "DELETE", "/tags/"+tag.ID, nil, nil)
	c.call("statuses.delete", "DELETE", "/statuses/"+status.ID, nil, nil)
	c.call("threads.thread.delete", "DELETE", "/threads/"+created.ID, nil, nil)

	// The event log now holds every kind of event the mutations above produce.
	var events v1api.EventPage
	c.call("events.list", "GET", "/events?limit=1000", nil, &events)
	c.call("events.list", "GET", "/events?afterSeq=3&limit=2", nil, nil)
	types := map[string]bool{}
	for _, e := range events.Events {
		types[e.Type] = true
	}
	for _, want := range []string{"thread.created", "thread.archived", "thread.unarchived", "thread.assigned",
		"thread.unassigned", "thread.typing", "thread.deleted", "message.created", "message.edited",
		"message.deleted", "message.reactionAdded", "message.reactionRemoved", "prospect.created",
		"prospect.notesChanged", "prospect.valuationChanged", "prospect.statusChanged", "prospect.tagsChanged",
		"tag.created", "tag.updated", "tag.deleted", "status.created", "status.updated", "status.deleted"} {
		if !types[want] {
			t.Errorf("no %s event after the mutations", want)
		}
	}

	checkDenormalized(t, s)
	var missing []string
	for _, op := range documentOperations(t) {
		if c.covered[op] == 0 {
			missing = append(missing, op)
		}
	}
	if len(missing) > 0 {
		t.Fatalf("operations not exercised: %v", missing)
	}
	if n := len(documentOperations(t)); n != 38 {
		t.Fatalf("the document has %d operations, want 38", n)
	}
	if s.Stats().ByStatus[http.StatusOK] == 0 {
		t.Fatal("no 200 counted in Stats")
	}
	t.Logf("validated %d responses over %d operations", sum(c.covered), len(c.covered))
}

func sum(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// TestContractErrorBodies checks that every kind of error the simulator produces has the
// documented shape (checked by checkErrorBody inside fails).
func TestContractErrorBodies(t *testing.T) {
	api := newTestAPI(t, Options{RateLimit: RateLimits{PerMinute: 1000}})
	api.validate = true
	thread := dbStrings(t, api.sim, `SELECT id FROM threads WHERE variant = 'unencrypted' AND status = 'active' AND has_outbound = 1 LIMIT 1`)[0]
	msg := dbStrings(t, api.sim, `SELECT id FROM messages WHERE thread_id = ? LIMIT 1`, thread)[0]
	cases := []struct {
		method, path string
		body         any
		status       int
		code         string
	}{
		{"GET", "/threads?limit=0", nil, 400, httpx.CodeValidation},
		{"GET", "/threads/UPPER", nil, 400, httpx.CodeValidation},
		{"POST", "/tags", "{not json", 400, httpx.CodeValidation},
		{"GET", "/threads/zzzzzzzzzzzzzzzzzzzzzzzz", nil, 404, httpx.CodeThreadNotFound},
		{"GET", "/threads/" + thread + "/messages/zzzzzzzzzzzzzzzzzzzzzzzz/history", nil, 404, httpx.CodeMessageNotFound},
		{"GET", "/prospects/zzzzzzzzzzzzzzzzzzzzzzzz", nil, 404, httpx.CodeProspectNotFound},
		{"GET", "/tags/zzzzzzzzzzzzzzzzzzzzzzzz", nil, 404, httpx.CodeTagNotFound},
		{"GET", "/statuses/zzzzzzzzzzzzzzzzzzzzzzzz", nil, 404, httpx.CodeStatusNotFound},
		{"GET", "/members/zzzzzzzzzzzzzzzzzzzzzzzz", nil, 404, httpx.CodeMemberNotFound},
		{"GET", "/nowhere", nil, 404, httpx.CodeNotFound},
		{"PUT", "/tags", nil, 405, httpx.CodeMethodNotAllowed},
		{"POST", "/tags", map[string]any{"name": "Hot Lead"}, 409, httpx.CodeConflict},
		{"PATCH", "/threads/" + thread + "/messages/" + msg, map[string]any{"content": "x"}, 409, httpx.CodeConflict},
		{"POST", "/tags", strings1MB(), 413, httpx.CodePayloadTooLarge},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprintf("%s %s %d", tc.method, tc.path[:min(len(tc.path), 40)], tc.status), func(t *testing.T) {
			api.t = t
			api.fails(tc.method, tc.path, tc.body, tc.status, tc.code)
		})
	}
	api.t = t
	api.token = "wrong"
	api.fails("GET", "/team", nil, 401, httpx.CodeUnauthorized)

	// The rate limiter's 429 and the injected faults' 429 and 5xx.
	rl := newTestAPI(t, Options{RateLimit: RateLimits{PerMinute: 1}, Now: newFakeClock().Now})
	rl.ok("GET", "/team", nil, nil)
	e := rl.fails("GET", "/team", nil, 429, httpx.CodeRateLimited)
	if e.Message != "Rate limit exceeded. Try again in 60 seconds." {
		t.Errorf("429 message %q, want the documented one", e.Message)
	}
	fl := newTestAPI(t, Options{Faults: Faults{RateLimitBurst: 1}})
	fl.fails("GET", "/team", nil, 429, httpx.CodeRateLimited)
	fl.sim.SetFaults(Faults{ErrorRate: 1})
	codes := []string{}
	for i := 0; i < 3; i++ {
		res := fl.do("GET", "/team", nil)
		codes = append(codes, checkErrorBody(t, res).Code)
	}
	if !slices.Equal(codes, []string{httpx.CodeInternal, httpx.CodeBadGateway, httpx.CodeUnavailable}) {
		t.Errorf("injected 5xx codes %v", codes)
	}
}

func strings1MB() string {
	b := make([]byte, httpx.MaxBodyBytes+10)
	for i := range b {
		b[i] = ' '
	}
	b[0] = '{'
	return string(b)
}

// TestContractValidatorRejectsDrift makes sure the validation above can fail: a real response
// with a key removed, a null where none is allowed, a bad ID or a wrong date format is
// rejected.
func TestContractValidatorRejectsDrift(t *testing.T) {
	api := newTestAPI(t, Options{})
	id := dbStrings(t, api.sim, `SELECT id FROM threads WHERE last_message_id IS NOT NULL LIMIT 1`)[0]
	res := api.ok("GET", "/threads/"+id, nil, nil)
	if err := validateResponse(t, "GET", "/threads/"+id, res); err != nil {
		t.Fatalf("the unmodified response fails: %v", err)
	}
	for name, mutate := range map[string]func(m map[string]any){
		"missing key":      func(m map[string]any) { delete(m, "variant") },
		"null not allowed": func(m map[string]any) { m["createdAt"] = nil },
		"bad enum":         func(m map[string]any) { m["status"] = "archived" },
		"bad id":           func(m map[string]any) { m["id"] = "Not-An-ID" },
		"nested missing":   func(m map[string]any) { delete(m["prospect"].(map[string]any), "platformData") },
		"bad date":         func(m map[string]any) { m["createdAt"] = "yesterday" },
		"bad context":      func(m map[string]any) { m["prospect"].(map[string]any)["context"].(map[string]any)["tags"] = "x" },
	} {
		var m map[string]any
		res.decode(t, &m)
		mutate(m)
		bad := res
		bad.body, _ = json.Marshal(m)
		if validateResponse(t, "GET", "/threads/"+id, bad) == nil {
			t.Errorf("%s: the validator accepted a response that breaks the document", name)
		}
	}
}
