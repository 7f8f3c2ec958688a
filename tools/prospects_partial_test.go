package tools_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/inbox-mcp/inbox-mcp/app"
	"github.com/inbox-mcp/inbox-mcp/inbox"
	"github.com/inbox-mcp/inbox-mcp/inboxsim"
	"github.com/inbox-mcp/inbox-mcp/internal/testenv"
)

// TestUpdateProspectContextPartlyApplied: on v2 an update is a PATCH and then one request
// per tag. When a tag request fails after the others went through, the answer says exactly
// what was applied and what was not, and a retry of only the rest finishes the job.
func TestUpdateProspectContextPartlyApplied(t *testing.T) {
	// Its own simulator, and waits between retries: it runs beside the others.
	t.Parallel()
	h := testenv.New(t, app.Config{}, testenv.WithAPIVersion("v2"))
	th := threadWhere(t, h.Backend, inbox.ViewDefault, func(th inbox.Thread) bool { return len(th.Prospect.Context.TagIDs) == 0 })
	pid := th.Prospect.ID
	dir := names(t, h.Backend)
	hot, _ := dir.FindTag("Hot Lead")
	enterprise, _ := dir.FindTag("Enterprise")
	qualified, _ := dir.FindStatus("Qualified")
	// Every attempt to put Enterprise on this contact fails; Hot Lead goes through.
	h.Sim.Sim.SetFaults(inboxsim.Faults{ErrorRate: 1, Methods: []string{"PUT"}, PathContains: "/contacts/" + pid + "/tags/" + enterprise.ID})

	text := wantError(t, h, "update_prospect_context", map[string]any{"prospect": pid, "status": "Qualified", "notes": "Budget approved.",
		"add_tags": []any{"Hot Lead", "Enterprise"}},
		"PARTLY applied", "status set to Qualified", "notes replaced", "tag Hot Lead added",
		"NOT applied: add tag Enterprise", `add_tags ["Enterprise"]`)
	if strings.Contains(text, "Try again in a minute") && !strings.Contains(text, "NOT applied") {
		t.Fatalf("the answer does not say what was applied: %q", text)
	}
	if strings.Contains(strings.SplitN(text, "To finish", 2)[1], "status") {
		t.Errorf("the retry it asks for repeats the applied status: %q", text)
	}
	p := prospectOf(t, h.Backend, pid)
	if p.Context.StatusID != qualified.ID || p.Context.Notes != "Budget approved." || !slices.Contains(p.Context.TagIDs, hot.ID) || slices.Contains(p.Context.TagIDs, enterprise.ID) {
		t.Fatalf("the API has %+v; the answer said %q", p.Context, text)
	}

	// The retry of the rest alone, once the fault is gone.
	h.Sim.Sim.SetFaults(inboxsim.Faults{})
	if got := update(t, h, map[string]any{"prospect": pid, "add_tags": []any{"Enterprise"}}); !contains(got.Tags, "Enterprise") || got.Status != "Qualified" {
		t.Fatalf("after the retry: %+v", got)
	}
}
