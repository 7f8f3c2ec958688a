package tools_test

import (
	"context"
	"sort"
	"strings"
	"testing"

	"github.com/inbox-mcp/inbox-mcp/app"
	"github.com/inbox-mcp/inbox-mcp/inbox"
	"github.com/inbox-mcp/inbox-mcp/internal/testenv"
	"github.com/inbox-mcp/inbox-mcp/tools"
)

func update(t *testing.T, h *testenv.Harness, args map[string]any) tools.ContextResult {
	t.Helper()
	return testenv.Decode[tools.ContextResult](t, h.CallOK(t, "update_prospect_context", args))
}

func prospectOf(t *testing.T, b inbox.Backend, id string) inbox.Prospect {
	t.Helper()
	p, err := b.Prospect(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func tagNames(t *testing.T, h *testenv.Harness, ids []string) []string {
	t.Helper()
	dir := names(t, h.Backend)
	var out []string
	for _, id := range ids {
		out = append(out, dir.TagName(id))
	}
	sort.Strings(out)
	return out
}

func TestUpdateProspectContext(t *testing.T) {
	t.Parallel()
	testenv.ForVersions(t, app.Config{}, func(t *testing.T, h *testenv.Harness) {
		th := threadWhere(t, h.Backend, inbox.ViewDefault, func(th inbox.Thread) bool { return len(th.Prospect.Context.TagIDs) == 0 })
		pid := th.Prospect.ID

		got := update(t, h, map[string]any{"prospect": pid, "add_tags": []any{"hot lead", "ENTERPRISE"}, "status": "qualified",
			"assignee": "dev@northwind.app", "notes": "Decision maker.", "valuation": 50000})
		if got.ProspectID != pid || got.Status != "Qualified" || got.Assignee != "Dev Patel" || got.Notes != "Decision maker." ||
			got.Valuation == nil || *got.Valuation != 50000 || strings.Join(sorted(got.Tags), ",") != "Enterprise,Hot Lead" {
			t.Fatalf("result = %+v", got)
		}
		p := prospectOf(t, h.Backend, pid)
		if strings.Join(tagNames(t, h, p.Context.TagIDs), ",") != "Enterprise,Hot Lead" || p.Context.Notes != "Decision maker." {
			t.Fatalf("the API has %+v", p.Context)
		}

		// Idempotent: the same call changes nothing more.
		again := update(t, h, map[string]any{"prospect": pid, "add_tags": []any{"Hot Lead"}})
		if len(again.Tags) != 2 {
			t.Fatalf("adding a tag twice gave %v", again.Tags)
		}

		// By @username and by thread ID; append notes; remove a tag.
		got = update(t, h, map[string]any{"prospect": "@" + th.Prospect.Username, "append_notes": "Call on Monday.", "remove_tags": []any{"enterprise"}})
		if got.Notes != "Decision maker.\nCall on Monday." || strings.Join(got.Tags, ",") != "Hot Lead" {
			t.Fatalf("after append/remove: %+v", got)
		}
		// Repeating the append changes nothing (the tool is annotated idempotent).
		if got = update(t, h, map[string]any{"prospect": pid, "append_notes": "Call on Monday."}); got.Notes != "Decision maker.\nCall on Monday." {
			t.Fatalf("repeated append: %q", got.Notes)
		}
		got = update(t, h, map[string]any{"prospect": th.ID, "clear": []any{"status", "assignee", "valuation", "notes"}})
		if got.Status != "" || got.Assignee != "" || got.Valuation != nil || got.Notes != "" || len(got.Tags) != 1 {
			t.Fatalf("after clear: %+v", got)
		}
		p = prospectOf(t, h.Backend, pid)
		if p.Context.StatusID != "" || p.Context.AssigneeID != "" || p.Context.Valuation != nil || p.Context.Notes != "" {
			t.Fatalf("the API still has %+v", p.Context)
		}
		// By X user ID.
		got = update(t, h, map[string]any{"prospect": th.Prospect.PlatformID, "status": "Contacted"})
		if got.Status != "Contacted" {
			t.Fatalf("by X user ID: %+v", got)
		}
	})
}

func sorted(s []string) []string {
	c := append([]string(nil), s...)
	sort.Strings(c)
	return c
}

func TestUpdateProspectContextUnknownTag(t *testing.T) {
	t.Parallel()
	testenv.ForVersions(t, app.Config{}, func(t *testing.T, h *testenv.Harness) {
		th := testenv.AllThreads(t, h.Backend, inbox.ThreadQuery{View: inbox.ViewDefault}, 0)[2]
		before := prospectOf(t, h.Backend, th.Prospect.ID).Context

		// A typo is an error with close matches, and nothing changes (the status is not applied).
		wantError(t, h, "update_prospect_context", map[string]any{"prospect": th.Prospect.ID, "add_tags": []any{"Hot Leed"}, "status": "Qualified"},
			`did you mean "Hot Lead"?`, "create_missing_tags")
		if after := prospectOf(t, h.Backend, th.Prospect.ID).Context; after.StatusID != before.StatusID || len(after.TagIDs) != len(before.TagIDs) {
			t.Fatalf("a failed update changed the record: %+v -> %+v", before, after)
		}

		// With create_missing_tags the tag is made, applied, and known to get_directory at once.
		got := update(t, h, map[string]any{"prospect": th.Prospect.ID, "add_tags": []any{"Webinar 2026"}, "create_missing_tags": true})
		if strings.Join(got.CreatedTags, ",") != "Webinar 2026" || !contains(got.Tags, "Webinar 2026") {
			t.Fatalf("result = %+v", got)
		}
		d := testenv.Decode[tools.Directory](t, h.CallOK(t, "get_directory", nil))
		if !contains(d.Tags, "Webinar 2026") {
			t.Fatalf("get_directory does not show the new tag: %v", d.Tags)
		}
		// The tag is now found by name; create_missing_tags does not make a second one.
		got = update(t, h, map[string]any{"prospect": th.Prospect.ID, "add_tags": []any{"webinar 2026"}, "create_missing_tags": true})
		if len(got.CreatedTags) != 0 {
			t.Fatalf("created again: %+v", got)
		}
	})
}

func TestUpdateProspectContextErrors(t *testing.T) {
	t.Parallel()
	testenv.EachVersion(t, shared, func(t *testing.T, h *testenv.Harness) {
		pid := testenv.AllThreads(t, h.Backend, inbox.ThreadQuery{View: inbox.ViewDefault}, 0)[0].Prospect.ID
		tests := []struct {
			args  map[string]any
			wants []string
		}{
			{map[string]any{"prospect": pid}, []string{"nothing to change"}},
			{map[string]any{"prospect": pid, "status": "Qualified", "clear": []any{"status"}}, []string{"not both"}},
			{map[string]any{"prospect": pid, "notes": "a", "append_notes": "b"}, []string{"not both"}},
			{map[string]any{"prospect": pid, "status": "Qualifed"}, []string{`did you mean "Qualified"?`}},
			{map[string]any{"prospect": pid, "assignee": "Sam"}, []string{`no member named "Sam"`}},
			{map[string]any{"prospect": pid, "remove_tags": []any{"nope"}}, []string{`no tag named "nope"`}},
			{map[string]any{"prospect": "zzzzzzzzzzzzzzzzzzzzzzzz", "status": "Qualified"}, []string{"No prospect or thread"}},
			{map[string]any{"prospect": "@nobody_here_at_all", "status": "Qualified"}, []string{"not in the team's Inbox"}},
			{map[string]any{"prospect": "999999999999", "status": "Qualified"}, []string{"no prospect with X user ID"}},
			{map[string]any{"prospect": pid, "valuation": -5}, nil},
		}
		for _, tt := range tests {
			wantError(t, h, "update_prospect_context", tt.args, tt.wants...)
		}
	})
}
