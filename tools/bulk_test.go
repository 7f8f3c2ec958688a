package tools_test

import (
	"strings"
	"testing"
	"time"

	"github.com/inbox-mcp/inbox-mcp/app"
	"github.com/inbox-mcp/inbox-mcp/inbox"
	"github.com/inbox-mcp/inbox-mcp/internal/testenv"
	"github.com/inbox-mcp/inbox-mcp/tools"
)

func bulk(t *testing.T, h *testenv.Harness, args map[string]any) tools.BulkResult {
	t.Helper()
	return testenv.Decode[tools.BulkResult](t, h.CallOK(t, tools.NameBulkUpdate, args))
}

// prospectsIn returns the distinct prospect IDs of threads.
func prospectsIn(ts []inbox.Thread) map[string]bool {
	out := map[string]bool{}
	for _, t := range ts {
		out[t.Prospect.ID] = true
	}
	return out
}

// saidWords reports, per prospect, whether one of their messages at or after since contains
// word (folded): the reference a word selection is checked against.
func saidWords(ts []inbox.Thread, msgs map[string][]inbox.Message, since time.Time, word string, dir inbox.Direction) map[string]bool {
	out := map[string]bool{}
	for _, th := range ts {
		for _, m := range msgs[th.ID] {
			if m.CreatedAt.Before(since) || m.Direction != dir || m.DeletedAt != nil {
				continue
			}
			if strings.Contains(strings.ToLower(m.Content), word) {
				out[th.Prospect.ID] = true
			}
		}
	}
	return out
}

func TestBulkUpdateSelection(t *testing.T) {
	t.Parallel()
	testenv.EachVersion(t, shared, func(t *testing.T, h *testenv.Harness) {
		dir := names(t, h.Backend)
		pricing, _ := dir.FindTag("Pricing")
		qualified, _ := dir.FindStatus("Qualified")
		newLead, _ := dir.FindStatus("New Lead")
		dev, _ := dir.FindMember("Dev Patel")
		acct, _ := dir.FindAccount("@northwind_sales")
		noReply := testenv.AllThreads(t, h.Backend, inbox.ThreadQuery{View: inbox.ViewNoReply}, 0)
		def := testenv.AllThreads(t, h.Backend, inbox.ThreadQuery{View: inbox.ViewDefault}, 0)
		cutoff := time.Now().Add(-14 * 24 * time.Hour)
		var recent []inbox.Thread
		for _, th := range def {
			if !th.LastMessageAt.Before(cutoff) {
				recent = append(recent, th)
			}
		}
		msgs := messagesOf(t, h.Backend, recent)
		saidPricing := saidWords(recent, msgs, cutoff, "pricing", inbox.Inbound)
		wePricing := saidWords(recent, msgs, cutoff, "pricing", inbox.Outbound)
		if len(saidPricing) == 0 || len(saidPricing) == len(prospectsIn(recent)) {
			t.Fatalf("%d of %d recent prospects wrote \"pricing\": the seeded data does not test words", len(saidPricing), len(prospectsIn(recent)))
		}
		p0, p1, p2 := noReply[0].Prospect, noReply[1].Prospect, noReply[2].Prospect

		tests := []struct {
			name string
			args map[string]any
			want map[string]bool // prospect IDs
			// reason, when set, must be in every sample's reason.
			reason string
		}{
			{"prospect IDs", map[string]any{"prospects": []any{p0.ID, p1.ID}}, map[string]bool{p0.ID: true, p1.ID: true}, "listed as"},
			{"@usernames", map[string]any{"prospects": []any{"@" + p0.Username, strings.ToUpper(p1.Username)}}, map[string]bool{p0.ID: true, p1.ID: true}, "listed as"},
			{"thread IDs", map[string]any{"prospects": []any{noReply[2].ID}}, map[string]bool{p2.ID: true}, "listed as " + noReply[2].ID},
			{"one person three ways", map[string]any{"prospects": []any{p0.ID, "@" + p0.Username, noReply[0].ID, p0.ID}}, map[string]bool{p0.ID: true}, ""},
			{"where tags", map[string]any{"where": map[string]any{"tags": []any{"pricing"}}},
				prospectsIn(testenv.AllThreads(t, h.Backend, inbox.ThreadQuery{View: inbox.ViewDefault, TagIDs: []string{pricing.ID}}, 0)), "matches the filters"},
			{"where status, assignee, account", map[string]any{"where": map[string]any{"statuses": []any{"Qualified", "New Lead"}, "assignees": []any{"dev patel"}}},
				prospectsIn(testenv.AllThreads(t, h.Backend, inbox.ThreadQuery{View: inbox.ViewDefault, StatusIDs: []string{qualified.ID, newLead.ID}, AssigneeIDs: []string{dev.ID}}, 0)), ""},
			{"where account, untagged", map[string]any{"where": map[string]any{"account": "@northwind_sales", "untagged": true}},
				prospectsIn(testenv.AllThreads(t, h.Backend, inbox.ThreadQuery{View: inbox.ViewDefault, AccountIDs: []string{acct.ID}, NoTags: true}, 0)), ""},
			{"where no-reply, unassigned", map[string]any{"where": map[string]any{"inbox": "no-reply", "unassigned": true}},
				prospectsIn(testenv.AllThreads(t, h.Backend, inbox.ThreadQuery{View: inbox.ViewNoReply, NoAssignee: true}, 0)), ""},
			{"where since", map[string]any{"where": map[string]any{"since": "14d"}}, prospectsIn(recent), ""},
			{"words in the prospect's messages", map[string]any{"where": map[string]any{"since": "14d"}, "words": []any{"PRICING"}}, saidPricing, "pricing"},
			{"words in our messages", map[string]any{"where": map[string]any{"since": "14d"}, "words": []any{"pricing"}, "from": "us"}, wePricing, "(us,"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if len(tt.want) == 0 {
					t.Fatal("the reference selection is empty; the test proves nothing")
				}
				args := tt.args
				args["add_tags"], args["dry_run"] = []any{"Hot Lead"}, true
				r := bulk(t, h, args)
				if !r.DryRun || r.Matched != len(tt.want) || r.Failed != 0 || r.Changed+r.Unchanged != r.Matched {
					t.Fatalf("matched %d (want %d), changed %d, unchanged %d, failed %d %+v", r.Matched, len(tt.want), r.Changed, r.Unchanged, r.Failed, r.Failures)
				}
				if len(r.Sample) != min(len(tt.want), 10) {
					t.Fatalf("sample of %d, want %d", len(r.Sample), min(len(tt.want), 10))
				}
				for _, s := range r.Sample {
					if !tt.want[s.ProspectID] || !s.Untrusted {
						t.Errorf("sample %+v is not in the reference selection", s)
					}
					if !strings.Contains(strings.ToLower(s.Reason), tt.reason) {
						t.Errorf("reason %q lacks %q", s.Reason, tt.reason)
					}
				}
			})
		}
	})
}

func TestBulkUpdateDryRunChangesNothing(t *testing.T) {
	t.Parallel()
	testenv.ForVersions(t, app.Config{}, func(t *testing.T, h *testenv.Harness) {
		dir := names(t, h.Backend)
		hot, _ := dir.FindTag("Hot Lead")
		before := prospectsIn(testenv.AllThreads(t, h.Backend, inbox.ThreadQuery{View: inbox.ViewDefault, TagIDs: []string{hot.ID}}, 0))
		seq := lastEvent(t, h)
		res := h.CallOK(t, tools.NameBulkUpdate, map[string]any{"where": map[string]any{"inbox": "default"}, "add_tags": []any{"Hot Lead"}, "dry_run": true})
		r := testenv.Decode[tools.BulkResult](t, res)
		all := prospectsIn(testenv.AllThreads(t, h.Backend, inbox.ThreadQuery{View: inbox.ViewDefault}, 0))
		if len(before) == 0 || r.Matched != len(all) || r.Unchanged != len(before) || r.Changed != len(all)-len(before) {
			t.Fatalf("dry run: matched %d, would change %d, unchanged %d; the API has %d prospects, %d tagged already", r.Matched, r.Changed, r.Unchanged, len(all), len(before))
		}
		if text := testenv.Text(res); !strings.Contains(text, "DRY RUN, nothing changed") || !strings.Contains(text, "would change") {
			t.Fatalf("dry run text: %s", text)
		}
		after := prospectsIn(testenv.AllThreads(t, h.Backend, inbox.ThreadQuery{View: inbox.ViewDefault, TagIDs: []string{hot.ID}}, 0))
		if len(after) != len(before) {
			t.Fatalf("a dry run changed tags: %d prospects tagged before, %d after", len(before), len(after))
		}
		if last := lastEvent(t, h); last != seq {
			t.Fatalf("a dry run wrote to the Inbox: events %d to %d", seq+1, last)
		}
	})
}

// lastEvent returns the sequence number of the simulator's newest event: every committed
// write appends one, so an unchanged number means nothing was written.
func lastEvent(t *testing.T, h *testenv.Harness) int64 {
	t.Helper()
	return h.LastEvent(t)
}
