package inboxsim

import (
	"net/http"
	"strings"
	"testing"

	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/httpx"
)

// TestErrors covers the 400, 403, 404, 405, 409, 413 and 415 paths: the status, the code, and
// a message that names what was wrong.
func TestErrors(t *testing.T) {
	api := newTestAPI(t, Options{Seed: 2})
	api.validate = true
	s := api.sim
	one := func(q string, args ...any) string {
		t.Helper()
		v := dbStrings(t, s, q, args...)
		if len(v) == 0 {
			t.Fatalf("no row for %s", q)
		}
		return v[0]
	}
	link := one(`SELECT id FROM account_links ORDER BY rank LIMIT 1`)
	thread := one(`SELECT id FROM threads WHERE status = 'active' AND variant = 'xChat' LIMIT 1`)
	plain := one(`SELECT id FROM threads WHERE status = 'active' AND variant = 'unencrypted' AND has_outbound = 1 LIMIT 1`)
	plainMsg := one(`SELECT id FROM messages WHERE thread_id = ? AND inbound = 0 LIMIT 1`, plain)
	theirs := one(`SELECT id FROM messages WHERE thread_id = ? AND inbound = 1 LIMIT 1`, thread)
	mine := one(`SELECT id FROM messages WHERE thread_id = ? AND inbound = 0 AND deleted_at IS NULL LIMIT 1`, thread)
	otherMsg := one(`SELECT id FROM messages WHERE thread_id != ? LIMIT 1`, thread)
	prospect := one(`SELECT prospect_id FROM threads WHERE id = ?`, thread)
	tag := one(`SELECT id FROM tags WHERE name = 'Pricing'`)
	status := one(`SELECT id FROM statuses LIMIT 1`)
	ts := "2025-11-10T18:03:16.000Z"
	unknown := "zzzzzzzzzzzzzzzzzzzzzzzz"
	gone := one(`SELECT id FROM threads WHERE status = 'active' AND id != ? AND id != ? LIMIT 1`, thread, plain)
	api.ok("DELETE", "/threads/"+gone, nil, nil)
	deletedMsg := one(`SELECT id FROM messages WHERE thread_id = ? AND inbound = 0 AND deleted_at IS NULL AND id != ? LIMIT 1`, thread, mine)
	api.ok("DELETE", "/threads/"+thread+"/messages/"+deletedMsg, nil, nil)

	cases := []struct {
		name, method, path string
		body               any
		status             int
		code, mentions     string
	}{
		{"limit zero", "GET", "/threads?limit=0", nil, 400, httpx.CodeValidation, "limit"},
		{"limit too big", "GET", "/threads?limit=101", nil, 400, httpx.CodeValidation, "limit"},
		{"limit not a number", "GET", "/threads?limit=ten", nil, 400, httpx.CodeValidation, "limit"},
		{"limit twice", "GET", "/threads?limit=5&limit=6", nil, 400, httpx.CodeValidation, "limit"},
		{"unknown view", "GET", "/threads?inbox=spam", nil, 400, httpx.CodeValidation, "inbox"},
		{"cursorId alone", "GET", "/threads?cursorId=abc", nil, 400, httpx.CodeValidation, "cursorTimestamp"},
		{"cursorTimestamp alone", "GET", "/threads?cursorTimestamp=" + ts, nil, 400, httpx.CodeValidation, "cursorId"},
		{"half bracket cursor", "GET", "/threads?cursor[id]=abc", nil, 400, httpx.CodeValidation, "cursor[timestamp]"},
		{"cursor forms mixed", "GET", "/threads?cursorId=a&cursorTimestamp=" + ts + "&cursor[id]=a&cursor[timestamp]=" + ts, nil, 400, httpx.CodeValidation, "not both"},
		{"cursor not an object", "GET", "/threads?cursor=abc", nil, 400, httpx.CodeValidation, "cursor"},
		{"bad cursor timestamp", "GET", "/threads?cursorId=a&cursorTimestamp=yesterday", nil, 400, httpx.CodeValidation, "cursorTimestamp"},
		{"bad cursor id", "GET", "/threads?cursorId=ABC&cursorTimestamp=" + ts, nil, 400, httpx.CodeValidation, "cursorId"},
		{"bad sort order", "GET", "/threads?filters[sortOrder]=up", nil, 400, httpx.CodeValidation, "sortOrder"},
		{"bad boolean", "GET", "/threads?filters[tags][noTags]=yes", nil, 400, httpx.CodeValidation, "noTags"},
		{"filter not an object", "GET", "/threads?filters[tags]=x", nil, 400, httpx.CodeValidation, "filters[tags]"},
		{"bad account link id", "GET", "/threads?accountLinkIds[]=BAD", nil, 400, httpx.CodeValidation, "accountLinkIds"},
		{"bad array index", "GET", "/threads?accountLinkIds[x]=abc", nil, 400, httpx.CodeValidation, "accountLinkIds"},
		{"unbalanced brackets", "GET", "/threads?filters[tags=x", nil, 400, httpx.CodeValidation, "brackets"},
		{"messages limit", "GET", "/threads/" + thread + "/messages?limit=0", nil, 400, httpx.CodeValidation, "limit"},
		{"messages half cursor", "GET", "/threads/" + thread + "/messages?cursor[timestamp]=" + ts, nil, 400, httpx.CodeValidation, "cursor[id]"},
		{"path id not an Inbox ID", "GET", "/threads/Not-An-Id", nil, 400, httpx.CodeValidation, "threadId"},
		{"lookup without account link", "GET", "/threads/lookup?externalPlatformId=1", nil, 400, httpx.CodeValidation, "accountLinkId"},
		{"lookup without prospect", "GET", "/threads/lookup?accountLinkId=" + link, nil, 400, httpx.CodeValidation, "externalPlatformId"},
		{"lookup non-numeric platform id", "GET", "/threads/lookup?accountLinkId=" + link + "&externalPlatformId=jordan", nil, 400, httpx.CodeValidation, "externalPlatformId"},
		{"lookup by username without one", "GET", "/threads/lookup-by-username", nil, 400, httpx.CodeValidation, "username"},
		{"prospect lookup without id", "GET", "/prospects/lookup", nil, 400, httpx.CodeValidation, "platformId"},
		{"negative afterSeq", "GET", "/events?afterSeq=-1", nil, 400, httpx.CodeValidation, "afterSeq"},
		{"events limit", "GET", "/events?limit=1001", nil, 400, httpx.CodeValidation, "limit"},
		{"create thread without link", "POST", "/threads", map[string]any{"externalPlatformId": "1"}, 400, httpx.CodeValidation, "accountLinkId"},
		{"create thread without prospect", "POST", "/threads", map[string]any{"accountLinkId": link}, 400, httpx.CodeValidation, "externalPlatformId"},
		{"create thread wrong type", "POST", "/threads", map[string]any{"accountLinkId": 5}, 400, httpx.CodeValidation, "accountLinkId"},
		{"create thread no body", "POST", "/threads", nil, 400, httpx.CodeValidation, "body"},
		{"body not an object", "POST", "/threads", "[1, 2]", 400, httpx.CodeValidation, "JSON object"},
		{"malformed JSON", "POST", "/threads", `{"accountLinkId":`, 400, httpx.CodeValidation, "JSON"},
		{"send without content", "POST", "/threads/" + thread + "/messages", map[string]any{}, 400, httpx.CodeValidation, "content"},
		{"send empty content", "POST", "/threads/" + thread + "/messages", map[string]any{"content": ""}, 400, httpx.CodeValidation, "content"},
		{"send too long", "POST", "/threads/" + thread + "/messages", map[string]any{"content": strings.Repeat("a", 10_001)}, 400, httpx.CodeValidation, "10000"},
		{"send bad reply id", "POST", "/threads/" + thread + "/messages", map[string]any{"content": "x", "replyToMessageId": "BAD"}, 400, httpx.CodeValidation, "replyToMessageId"},
		{"quick send without content", "POST", "/threads/messages", map[string]any{"accountLinkId": link, "externalId": prospect}, 400, httpx.CodeValidation, "content"},
		{"done not a boolean", "PATCH", "/threads/" + thread, map[string]any{"done": "yes"}, 400, httpx.CodeValidation, "done"},
		{"assignee not an id", "PATCH", "/threads/" + thread, map[string]any{"assigneeId": 5}, 400, httpx.CodeValidation, "assigneeId"},
		{"typing setting type", "PATCH", "/threads/" + thread + "/settings", map[string]any{"typingIndicatorsEnabled": "on"}, 400, httpx.CodeValidation, "typingIndicatorsEnabled"},
		{"valuation type", "PATCH", "/prospects/" + prospect + "/context", map[string]any{"valuation": "lots"}, 400, httpx.CodeValidation, "valuation"},
		{"addTags type", "PATCH", "/prospects/" + prospect + "/context", map[string]any{"addTags": tag}, 400, httpx.CodeValidation, "addTags"},
		{"add and remove same tag", "PATCH", "/prospects/" + prospect + "/context", map[string]any{"addTags": []string{tag}, "removeTags": []string{tag}}, 400, httpx.CodeValidation, "addTags"},
		{"tag without name", "POST", "/tags", map[string]any{"color": "red"}, 400, httpx.CodeValidation, "name"},
		{"tag empty name", "POST", "/tags", map[string]any{"name": ""}, 400, httpx.CodeValidation, "name"},
		{"tag name too long", "POST", "/tags", map[string]any{"name": strings.Repeat("n", 256)}, 400, httpx.CodeValidation, "name"},
		{"unknown color", "POST", "/tags", map[string]any{"name": "New", "color": "chartreuse"}, 400, httpx.CodeValidation, "color"},
		{"status null name", "PATCH", "/statuses/" + status, map[string]any{"name": nil}, 400, httpx.CodeValidation, "name"},
		{"reaction not an emoji", "POST", "/threads/" + thread + "/messages/" + mine + "/reactions/reactions", map[string]any{"emoji": "thumbsup"}, 400, httpx.CodeValidation, "emoji"},

		{"unknown thread", "GET", "/threads/" + unknown, nil, 404, httpx.CodeThreadNotFound, unknown},
		{"deleted thread", "GET", "/threads/" + gone, nil, 404, httpx.CodeThreadNotFound, gone},
		{"deleted thread messages", "GET", "/threads/" + gone + "/messages", nil, 404, httpx.CodeThreadNotFound, gone},
		{"message of another thread", "PATCH", "/threads/" + thread + "/messages/" + otherMsg, map[string]any{"content": "x"}, 404, httpx.CodeMessageNotFound, otherMsg},
		{"reply to unknown message", "POST", "/threads/" + thread + "/messages", map[string]any{"content": "x", "replyToMessageId": unknown}, 404, httpx.CodeMessageNotFound, "replyToMessageId"},
		{"unknown prospect", "GET", "/prospects/" + unknown, nil, 404, httpx.CodeProspectNotFound, unknown},
		{"unknown prospect context", "PATCH", "/prospects/" + unknown + "/context", map[string]any{"notes": "x"}, 404, httpx.CodeProspectNotFound, unknown},
		{"quick send unknown prospect", "POST", "/threads/messages", map[string]any{"accountLinkId": link, "externalId": unknown, "content": "hi"}, 404, httpx.CodeProspectNotFound, unknown},
		{"unknown account link", "POST", "/threads", map[string]any{"accountLinkId": unknown, "externalId": prospect}, 404, httpx.CodeLinkNotFound, unknown},
		{"unknown assignee", "PATCH", "/threads/" + thread, map[string]any{"assigneeId": unknown}, 404, httpx.CodeMemberNotFound, unknown},
		{"unknown tag in addTags", "PATCH", "/prospects/" + prospect + "/context", map[string]any{"addTags": []string{unknown}}, 404, httpx.CodeTagNotFound, unknown},
		{"unknown status", "PATCH", "/prospects/" + prospect + "/context", map[string]any{"statusId": unknown}, 404, httpx.CodeStatusNotFound, unknown},
		{"unknown tag", "GET", "/tags/" + unknown, nil, 404, httpx.CodeTagNotFound, unknown},
		{"update unknown tag", "PATCH", "/tags/" + unknown, map[string]any{"name": "x"}, 404, httpx.CodeTagNotFound, unknown},
		{"delete unknown tag", "DELETE", "/tags/" + unknown, nil, 404, httpx.CodeTagNotFound, unknown},
		{"unknown status get", "GET", "/statuses/" + unknown, nil, 404, httpx.CodeStatusNotFound, unknown},
		{"delete unknown status", "DELETE", "/statuses/" + unknown, nil, 404, httpx.CodeStatusNotFound, unknown},
		{"unknown member", "GET", "/members/" + unknown, nil, 404, httpx.CodeMemberNotFound, unknown},
		{"unknown endpoint", "GET", "/campaigns", nil, 404, httpx.CodeNotFound, "/campaigns"},
		{"outside the API", "GET", "/../v2/threads", nil, 404, httpx.CodeNotFound, "/api/v1"},

		{"wrong method", "PUT", "/tags", map[string]any{"name": "x"}, 405, httpx.CodeMethodNotAllowed, "GET, POST"},

		{"duplicate tag", "POST", "/tags", map[string]any{"name": "hot lead"}, 409, httpx.CodeConflict, "Hot Lead"},
		{"rename onto another tag", "PATCH", "/tags/" + tag, map[string]any{"name": "Hot Lead"}, 409, httpx.CodeConflict, "Hot Lead"},
		{"duplicate status", "POST", "/statuses", map[string]any{"name": "QUALIFIED"}, 409, httpx.CodeConflict, "Qualified"},
		{"edit outside X Chat", "PATCH", "/threads/" + plain + "/messages/" + plainMsg, map[string]any{"content": "x"}, 409, httpx.CodeConflict, "xChat"},
		{"delete outside X Chat", "DELETE", "/threads/" + plain + "/messages/" + plainMsg, nil, 409, httpx.CodeConflict, "xChat"},
		{"edit a deleted message", "PATCH", "/threads/" + thread + "/messages/" + deletedMsg, map[string]any{"content": "x"}, 409, httpx.CodeConflict, "deleted"},
		{"react to a deleted message", "POST", "/threads/" + thread + "/messages/" + deletedMsg + "/reactions/reactions", map[string]any{"emoji": "👍"}, 409, httpx.CodeConflict, "deleted"},

		{"edit the prospect's message", "PATCH", "/threads/" + thread + "/messages/" + theirs, map[string]any{"content": "x"}, 403, httpx.CodeForbidden, "prospect"},
		{"delete the prospect's message for all", "DELETE", "/threads/" + thread + "/messages/" + theirs, map[string]any{"deleteForAll": true}, 403, httpx.CodeForbidden, "prospect"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			api.t = t
			e := api.fails(tc.method, tc.path, tc.body, tc.status, tc.code)
			if !strings.Contains(e.Message, tc.mentions) {
				t.Errorf("message %q does not mention %q", e.Message, tc.mentions)
			}
		})
	}
	api.t = t

	// A prospect's message may still be deleted for the team only.
	api.ok("DELETE", "/threads/"+thread+"/messages/"+theirs, map[string]any{"deleteForAll": false}, nil)

	req, _ := http.NewRequest("POST", api.base+"/tags", strings.NewReader("name=x"))
	req.Header.Set("Authorization", "Bearer "+DemoToken)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnsupportedMediaType {
		t.Errorf("form body: status %d, want 415", resp.StatusCode)
	}
}
