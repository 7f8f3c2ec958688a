package tools_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	tiktoken "github.com/pkoukk/tiktoken-go"
	tiktoken_loader "github.com/pkoukk/tiktoken-go-loader"

	"github.com/inbox-mcp/inbox-mcp/inbox"
	"github.com/inbox-mcp/inbox-mcp/internal/testenv"
	"github.com/inbox-mcp/inbox-mcp/tools"
	"github.com/inbox-mcp/inbox-mcp/views"
)

func digest(t testing.TB, h *testenv.Harness, args map[string]any) tools.Digest {
	t.Helper()
	return testenv.Decode[tools.Digest](t, h.CallOK(t, tools.NameTriageDigest, args))
}

// unansweredRef is the reference for one thread: the prospect's messages since our last
// one, newest first, read whole from the API.
func unansweredRef(t *testing.T, b inbox.Backend, threadID string) []inbox.Message {
	t.Helper()
	var run []inbox.Message
	for _, m := range testenv.AllMessages(t, b, threadID, 0) {
		if m.Direction == inbox.Outbound {
			break
		}
		if m.DeletedAt == nil {
			run = append(run, m)
		}
	}
	return run
}

func TestTriageDigest(t *testing.T) {
	t.Parallel()
	testenv.EachVersion(t, shared, func(t *testing.T, h *testenv.Harness) {
		dir := names(t, h.Backend)
		oldest := testenv.AllThreads(t, h.Backend, inbox.ThreadQuery{View: inbox.ViewNoReply, Ascending: true}, 0)
		if len(oldest) < 20 {
			t.Fatalf("%d no-reply threads in the seeded data; the test needs 20", len(oldest))
		}
		byID := map[string]inbox.Thread{}
		for _, th := range oldest {
			byID[th.ID] = th
		}

		d := digest(t, h, map[string]any{"limit": 15})
		if d.Count != 15 || len(d.Threads) != 15 || !d.HasMore {
			t.Fatalf("limit 15: count %d, has_more %v", d.Count, d.HasMore)
		}
		var got []string
		for _, th := range d.Threads {
			got = append(got, th.ID)
		}
		for _, th := range oldest[:15] {
			if !slices.Contains(got, th.ID) {
				t.Errorf("thread %s, among the 15 oldest, is missing", th.ID)
			}
		}
		var prev time.Time
		for i, dt := range d.Threads {
			th := byID[dt.ID]
			run := unansweredRef(t, h.Backend, dt.ID)
			if len(run) == 0 {
				t.Fatalf("thread %s: no unanswered message in the no-reply view", dt.ID)
			}
			first := run[len(run)-1].CreatedAt
			if first.Before(prev) {
				t.Errorf("thread %d (%s) waits since %v, before the one above it (%v): not longest wait first", i, dt.ID, first, prev)
			}
			prev = first
			shown := min(len(run), 5)
			if len(dt.Messages) != shown {
				t.Fatalf("thread %s: %d messages shown, want %d", dt.ID, len(dt.Messages), shown)
			}
			for j, m := range dt.Messages {
				want, _ := views.Shorten(run[shown-1-j].Content, 300)
				if m.Text != want || m.Ago == "" {
					t.Errorf("thread %s message %d: %+v, want %q", dt.ID, j, m, want)
				}
			}
			if wantEarlier := len(run) - shown; (wantEarlier == 0) != (dt.Earlier == "") || (wantEarlier > 0 && dt.Earlier != itoa(wantEarlier)) {
				t.Errorf("thread %s: earlier %q, want %d", dt.ID, dt.Earlier, wantEarlier)
			}
			p := dt.Prospect
			if p.Username != th.Prospect.Username || p.Followers != th.Prospect.Followers ||
				p.Status != dir.StatusName(th.Prospect.Context.StatusID) || len(p.Tags) != len(th.Prospect.Context.TagIDs) ||
				!dt.Untrusted || dt.Waiting == "" || dt.Account != dir.AccountName(th.AccountID) {
				t.Errorf("thread %s: card %+v, thread %+v", dt.ID, p, dt)
			}
			if len([]rune(p.Bio)) > 101 {
				t.Errorf("bio of %d runes: not an excerpt", len([]rune(p.Bio)))
			}
		}

		all := digest(t, h, nil)
		if all.Count != min(len(oldest), tools.DefaultDigest) || all.HasMore != (len(oldest) > tools.DefaultDigest) {
			t.Fatalf("default call: %d threads, has_more %v; the API has %d", all.Count, all.HasMore, len(oldest))
		}
	})
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

func TestTriageDigestFilters(t *testing.T) {
	t.Parallel()
	testenv.EachVersion(t, shared, func(t *testing.T, h *testenv.Harness) {
		dir := names(t, h.Backend)
		acct, _ := dir.FindAccount("@northwindhq")
		dev, _ := dir.FindMember("Dev Patel")
		tests := []struct {
			name  string
			where map[string]any
			q     inbox.ThreadQuery
		}{
			{"account", map[string]any{"account": "@northwindhq"}, inbox.ThreadQuery{AccountIDs: []string{acct.ID}}},
			{"assignee", map[string]any{"assignees": []any{"Dev Patel"}}, inbox.ThreadQuery{AssigneeIDs: []string{dev.ID}}},
			{"unassigned", map[string]any{"unassigned": true}, inbox.ThreadQuery{NoAssignee: true}},
		}
		total := len(testenv.AllThreads(t, h.Backend, inbox.ThreadQuery{View: inbox.ViewNoReply}, 0))
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				tt.q.View = inbox.ViewNoReply
				want := testenv.AllThreads(t, h.Backend, tt.q, 0)
				if len(want) == 0 || len(want) == total {
					t.Fatalf("the filter keeps %d of %d threads; the test proves nothing", len(want), total)
				}
				d := digest(t, h, map[string]any{"where": tt.where, "limit": 200})
				if d.Count != len(want) || d.HasMore {
					t.Fatalf("%d threads, has_more %v; the API has %d", d.Count, d.HasMore, len(want))
				}
			})
		}
		cutoff := time.Now().Add(-72 * time.Hour)
		recent := 0
		for _, th := range testenv.AllThreads(t, h.Backend, inbox.ThreadQuery{View: inbox.ViewNoReply}, 0) {
			if !th.LastMessageAt.Before(cutoff) {
				recent++
			}
		}
		if d := digest(t, h, map[string]any{"where": map[string]any{"since": "72h"}, "limit": 200}); d.Count != recent || recent == 0 || recent == total {
			t.Fatalf("since 72h: %d threads, want %d of %d", d.Count, recent, total)
		}
		wantError(t, h, tools.NameTriageDigest, map[string]any{"where": map[string]any{"inbox": "archived"}}, "reads the no-reply view")
		wantError(t, h, tools.NameTriageDigest, map[string]any{"where": map[string]any{"assignees": []any{"Dev Patle"}}}, `did you mean "Dev Patel"`)
		wantError(t, h, tools.NameTriageDigest, map[string]any{"limit": 201})
	})
}

func TestTriageDigestText(t *testing.T) {
	t.Parallel()
	testenv.EachVersion(t, shared, func(t *testing.T, h *testenv.Harness) {
		text := testenv.Text(h.CallOK(t, tools.NameTriageDigest, map[string]any{"limit": 5}))
		for _, want := range []string{"5 threads awaiting our reply", "more exist", "longest wait first", views.UntrustedNote, " · waiting ", "followers", "bio «", " ago «"} {
			if !strings.Contains(text, want) {
				t.Errorf("digest text lacks %q:\n%s", want, text)
			}
		}
	})
}

// digestTokens is the size of a triage_digest answer as a model receives it: the text
// rendering plus the structured content (both are in the result).
func digestTokens(t testing.TB, h *testenv.Harness, limit int) (threads, text, structured int) {
	res := h.CallOK(t, tools.NameTriageDigest, map[string]any{"limit": limit})
	tiktoken.SetBpeLoader(tiktoken_loader.NewOfflineLoader())
	enc, err := tiktoken.GetEncoding("cl100k_base")
	if err != nil {
		t.Fatal(err)
	}
	raw, err := json.Marshal(res.StructuredContent)
	if err != nil {
		t.Fatal(err)
	}
	d := testenv.Decode[tools.Digest](t, res)
	return d.Count, len(enc.EncodeOrdinary(testenv.Text(res))), len(enc.EncodeOrdinary(string(raw)))
}

// MaxDigest60Tokens bounds a 60-thread digest (text plus structured content, cl100k_base):
// the point of the tool is one call of modest size instead of sixty.
const MaxDigest60Tokens = 15000

// TestTriageDigestSize keeps the 60-thread digest of the seeded inbox within its budget.
func TestTriageDigestSize(t *testing.T) {
	t.Parallel()
	testenv.EachVersion(t, shared, func(t *testing.T, h *testenv.Harness) {
		n, text, structured := digestTokens(t, h, 60)
		t.Logf("triage_digest of %d threads: %d tokens of text, %d of structured content (cl100k_base)", n, text, structured)
		if n != 60 {
			t.Fatalf("%d threads; the seeded inbox should give 60", n)
		}
		if text+structured > MaxDigest60Tokens {
			t.Fatalf("a 60-thread digest is %d tokens, over the budget of %d", text+structured, MaxDigest60Tokens)
		}
	})
}

// BenchmarkTriageDigest60 reports the tokens of a 60-thread digest (API v2) and times the call
// (60 message reads, concurrent) against the simulator without rate limits:
//
//	go test ./tools -run '^$' -bench TriageDigest60 -benchtime 10x
func BenchmarkTriageDigest60(b *testing.B) {
	h := shared["v2"]
	n, text, structured := digestTokens(b, h, 60)
	for b.Loop() {
		h.CallOK(b, tools.NameTriageDigest, map[string]any{"limit": 60})
	}
	b.ReportMetric(float64(n), "threads")
	b.ReportMetric(float64(text), "text-tokens")
	b.ReportMetric(float64(structured), "json-tokens")
}
