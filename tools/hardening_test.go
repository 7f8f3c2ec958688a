package tools_test

import (
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/inbox-mcp/inbox-mcp/app"
	"github.com/inbox-mcp/inbox-mcp/internal/testenv"
)

// pathRecorder records the paths of the API requests a harness makes.
type pathRecorder struct {
	mu    sync.Mutex
	paths []string
	base  http.RoundTripper
}

func (p *pathRecorder) RoundTrip(r *http.Request) (*http.Response, error) {
	p.mu.Lock()
	p.paths = append(p.paths, r.URL.EscapedPath())
	p.mu.Unlock()
	return p.base.RoundTrip(r)
}

func (p *pathRecorder) seen() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return strings.Join(p.paths, "\n")
}

// TestMessageIDChecked: a message_id that is not an Inbox ID is refused in the tool's terms
// on both API versions, before any request carries it.
func TestMessageIDChecked(t *testing.T) {
	t.Parallel()
	for _, v := range testenv.Versions {
		t.Run(v, func(t *testing.T) {
			rec := &pathRecorder{}
			h := testenv.New(t, app.Config{}, testenv.WithAPIVersion(v),
				testenv.WithTransport(func(base http.RoundTripper) http.RoundTripper { rec.base = base; return rec }))
			id := listThreads(t, h, map[string]any{"limit": 1}).Threads[0].ID
			for _, bad := range []string{"../x", "../../team", "ABC", "a/b", "x?y=1"} {
				for _, args := range []map[string]any{
					{"action": "delete_message"},
					{"action": "react", "emoji": "👍"},
					{"action": "edit_message", "text": "fixed"},
				} {
					args["thread_id"], args["message_id"] = id, bad
					res := h.Call(t, "manage_thread", args)
					text := testenv.Text(res)
					if !res.IsError || !strings.Contains(text, "message_id") || !strings.Contains(text, "read_messages") ||
						strings.Contains(text, "Unexpected") || strings.Contains(text, "400") {
						t.Errorf("%s with message_id %q: %q, want a refusal naming message_id and read_messages", args["action"], bad, text)
					}
				}
			}
			if p := rec.seen(); strings.Contains(p, "..") || strings.Contains(p, "%2E%2E") || strings.Contains(p, "ABC") {
				t.Errorf("a bad message_id reached the API:\n%s", p)
			}
		})
	}
}

// TestArgumentErrorsSayWhatToDo: arguments the API client refuses (an emoji that is not one,
// a cursor whose API part was altered) get an answer in the tool's terms, never "Unexpected
// error … report it".
func TestArgumentErrorsSayWhatToDo(t *testing.T) {
	t.Parallel()
	testenv.EachVersion(t, shared, func(t *testing.T, h *testenv.Harness) {
		first := listThreads(t, h, map[string]any{"limit": 1})
		fp, _, _ := strings.Cut(first.NextCursor, ".")
		id := first.Threads[0].ID
		cases := []struct {
			tool string
			args map[string]any
			want string
		}{
			{"list_threads", map[string]any{"limit": 1, "cursor": fp + ".garbage|zz"}, "next_cursor"},
			{"list_threads", map[string]any{"limit": 1, "cursor": fp + ".bm90IGEgY3Vyc29y"}, "next_cursor"},
			{"manage_thread", map[string]any{"thread_id": id, "action": "react", "message_id": "abc123", "emoji": strings.Repeat("x", 20)}, "emoji"},
		}
		for _, c := range cases {
			res := h.Call(t, c.tool, c.args)
			text := testenv.Text(res)
			if !res.IsError || !strings.Contains(text, c.want) || strings.Contains(text, "Unexpected") || strings.Contains(text, "report it") {
				t.Errorf("%s %v: %q, want a refusal about %s", c.tool, c.args, text, c.want)
			}
		}
	})
}

// TestInvisibleTextRefused: a text that shows nothing (a NUL, zero-width spaces) is not sent
// or written.
func TestInvisibleTextRefused(t *testing.T) {
	t.Parallel()
	testenv.ForVersions(t, app.Config{}, func(t *testing.T, h *testenv.Harness) {
		th := listThreads(t, h, map[string]any{"limit": 1}).Threads[0]
		before := len(testenv.AllMessages(t, h.Backend, th.ID, 0))
		for _, text := range []string{"\x00", "\u200b", "\u200b \u2060\ufeff", "\x00\x01\n\t"} {
			res := h.Call(t, "send_reply", map[string]any{"thread_id": th.ID, "text": text})
			if !res.IsError || !strings.Contains(testenv.Text(res), "invisible") {
				t.Errorf("send_reply %q: %q, want a refusal", text, testenv.Text(res))
			}
			res = h.Call(t, "manage_thread", map[string]any{"thread_id": th.ID, "action": "edit_message", "message_id": "abc123", "text": text})
			if !res.IsError || !strings.Contains(testenv.Text(res), "invisible") {
				t.Errorf("edit_message %q: %q, want a refusal", text, testenv.Text(res))
			}
		}
		if after := len(testenv.AllMessages(t, h.Backend, th.ID, 0)); after != before {
			t.Errorf("%d messages were sent", after-before)
		}
	})
}

// TestConfusableTagNames: a tag name that reads like an existing one (a Greek capital Eta for
// the H of "Hot Lead") is refused, pointing to the existing tag.
func TestConfusableTagNames(t *testing.T) {
	t.Parallel()
	testenv.ForVersions(t, app.Config{}, func(t *testing.T, h *testenv.Harness) {
		th := listThreads(t, h, map[string]any{"limit": 1}).Threads[0]
		for _, name := range []string{"\u0397ot Lead", "Hot L\u0435ad", "ＨＯＴ ＬＥＡＤ", "Hot\u00a0Lead"} {
			res := h.Call(t, "manage_labels", map[string]any{"kind": "tag", "action": "create", "name": name})
			if !res.IsError || !strings.Contains(testenv.Text(res), `"Hot Lead"`) {
				t.Errorf("create tag %q: %q, want a refusal naming \"Hot Lead\"", name, testenv.Text(res))
			}
			// A name the directory already resolves to Hot Lead (the no-break space) adds it;
			// any other is refused.
			res = h.Call(t, "update_prospect_context", map[string]any{"prospect": th.ID, "add_tags": []string{name}, "create_missing_tags": true})
			if text := testenv.Text(res); res.IsError != strings.Contains(text, `"Hot Lead"`) || strings.Contains(text, "created") {
				t.Errorf("create_missing_tags %q: %q, want Hot Lead added or a refusal naming it", name, text)
			}
		}
		for _, l := range names(t, h.Backend).Tags {
			if l.Name != "Hot Lead" && strings.EqualFold(strings.Join(strings.Fields(l.Name), ""), "hotlead") {
				t.Errorf("tag %q was created", l.Name)
			}
		}
	})
}

// TestBulkFilterErrors: a where filter of the wrong type is named in the tool's terms, not
// as a Go struct field.
func TestBulkFilterErrors(t *testing.T) {
	t.Parallel()
	h := shared[testenv.DefaultVersion]
	cases := []struct {
		where map[string]any
		want  string
	}{
		{map[string]any{"tags": "Hot Lead"}, "where.tags must be a list"},
		{map[string]any{"untagged": "yes"}, "where.untagged must be true or false"},
		{map[string]any{"inbox": 3}, "where.inbox must be a string"},
		{map[string]any{"tag": []string{"Hot Lead"}}, `where has no filter "tag"`},
		// encoding/json would read these as "inbox" and "tags"; a filter's name is exact.
		{map[string]any{"Inbox": "no-reply"}, `where has no filter "Inbox" (filter names are lower-case: did you mean "inbox"?)`},
		{map[string]any{"tags": []string{"Hot Lead"}, "TAGS": []string{"Pricing"}}, `where has no filter "TAGS"`},
	}
	for _, c := range cases {
		res := h.Call(t, "bulk_update_prospects", map[string]any{"where": c.where, "add_tags": []string{"Pricing"}, "dry_run": true})
		text := testenv.Text(res)
		if !res.IsError || !strings.Contains(text, c.want) || strings.Contains(text, "Go struct") || strings.Contains(text, "Filters") {
			t.Errorf("where %v: %q, want %q", c.where, text, c.want)
		}
	}
}
