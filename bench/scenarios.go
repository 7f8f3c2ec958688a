package bench

import (
	"context"
	"fmt"
	"strings"

	"github.com/inbox-mcp/inbox-mcp/tools"
)

// Scenario is one task a person asks the assistant for, played as the MCP calls a model
// makes for it.
type Scenario struct {
	// Name selects the scenario (inbox-bench -scenario).
	Name string
	// Task says, in the person's words, what is being done.
	Task string
	// Scale is the simulator's data set size (1 is about 200 threads).
	Scale float64
	// FanOut marks a task whose cost is set by many API requests: its result carries the
	// rate-limit bound and the share of it achieved.
	FanOut bool
	// Stdio runs the task against the built binary over stdio, timed from the spawn.
	Stdio bool
	// Run makes the task's MCP calls and says in a few words what came back.
	Run func(ctx context.Context, e *Env) (note string, err error)
}

// Env is what a scenario runs with.
type Env struct {
	Session  *Session
	Fixtures Fixtures
	// minimum is the fewest API requests the task needs, set by a task that knows it.
	minimum int64
}

// Scale of the data set for the bulk scenario: about 1,000 threads, of which the default
// view holds well over BulkProspects prospects.
const bulkScale float64 = 5

// Scenarios is the suite, in the order it runs: the long bulk task last, so the others'
// numbers are never taken while a long run's requests still weigh on the machine.
func Scenarios() []Scenario {
	return []Scenario{
		{Name: "tools-list", Task: "Start a conversation: tools/list (paid in every conversation's context)", Scale: 1,
			Run: func(ctx context.Context, e *Env) (string, error) {
				ts, err := e.Session.ListTools(ctx)
				if err != nil {
					return "", err
				}
				return fmt.Sprintf("%d tools", len(ts)), nil
			}},
		{Name: "no-reply-digest", Task: "Summarize the no-reply inbox (60 threads): triage_digest", Scale: 1, FanOut: true,
			Run: digest},
		{Name: "read-long-thread", Task: "Read a 200-message thread: read_messages limit 200", Scale: 1,
			Run: func(ctx context.Context, e *Env) (string, error) {
				var l tools.MessageList
				if err := e.Session.CallInto(ctx, tools.NameReadMessages, map[string]any{"thread_id": e.Fixtures.LongThread, "limit": 200}, &l); err != nil {
					return "", err
				}
				if l.Count != 200 {
					return "", fmt.Errorf("read_messages returned %d messages of %s, want 200", l.Count, e.Fixtures.LongThread)
				}
				return fmt.Sprintf("200 of the thread's %d messages", e.Fixtures.LongThreadMessages), nil
			}},
		{Name: "find-and-draft", Task: "Find a prospect by @username and draft a reply: lookup_thread + read_messages", Scale: 1,
			Run: findAndDraft},
		{Name: "search-week", Task: "Search a week of messages for a phrase: search_messages \"pricing\" since 7d", Scale: 1, FanOut: true,
			Run: func(ctx context.Context, e *Env) (string, error) {
				var r tools.SearchResult
				if err := e.Session.CallInto(ctx, tools.NameSearchMessages, map[string]any{"words": []string{"pricing"}, "where": map[string]any{"since": "7d"}}, &r); err != nil {
					return "", err
				}
				if r.Matches == 0 || len(r.NotRead) > 0 {
					return "", fmt.Errorf("search_messages found %d matches, %d threads not read: %s", r.Matches, len(r.NotRead), r.Searched)
				}
				return fmt.Sprintf("%d matches in %d threads read", r.Matches, r.Threads), nil
			}},
		{Name: "stdio-digest", Task: "The digest over stdio with the built binary: spawn, tools/list, triage_digest, timed from the spawn", Scale: 1, FanOut: true, Stdio: true,
			Run: func(ctx context.Context, e *Env) (string, error) {
				if _, err := e.Session.ListTools(ctx); err != nil {
					return "", err
				}
				return digest(ctx, e)
			}},
		{Name: "bulk-tag-by-words", Task: "Tag everyone whose messages mention \"pricing\", in all folders: bulk_update_prospects words, dry run, then run", Scale: 1, FanOut: true,
			Run: bulkTagByWords},
		{Name: "bulk-tag-500", Task: "Tag 500 prospects matched by a criterion (default view, active since a date): bulk_update_prospects dry run, then run", Scale: bulkScale, FanOut: true,
			Run: bulkTag},
	}
}

// Select returns the scenarios named in a comma-separated list ("" or "all": every one).
func Select(names string) ([]Scenario, error) {
	all := Scenarios()
	if names == "" || names == "all" {
		return all, nil
	}
	var out []Scenario
	for _, n := range strings.Split(names, ",") {
		n = strings.TrimSpace(n)
		found := false
		for _, s := range all {
			if s.Name == n {
				out, found = append(out, s), true
				break
			}
		}
		if !found {
			return nil, fmt.Errorf("no scenario %q: choose from %s (comma-separated), or all", n, strings.Join(ScenarioNames(), ", "))
		}
	}
	return out, nil
}

// ScenarioNames lists the scenarios' names in suite order.
func ScenarioNames() []string {
	var names []string
	for _, s := range Scenarios() {
		names = append(names, s.Name)
	}
	return names
}

// digest summarizes the whole no-reply view in one call.
func digest(ctx context.Context, e *Env) (string, error) {
	var d tools.Digest
	if err := e.Session.CallInto(ctx, tools.NameTriageDigest, map[string]any{}, &d); err != nil {
		return "", err
	}
	failed := 0
	for _, t := range d.Threads {
		if t.Error != "" {
			failed++
		}
	}
	if d.Count != e.Fixtures.NoReply || d.HasMore || failed > 0 {
		return "", fmt.Errorf("triage_digest covered %d threads (has_more %v, %d unread) of the %d awaiting a reply", d.Count, d.HasMore, failed, e.Fixtures.NoReply)
	}
	return fmt.Sprintf("%d of %d threads in one call", d.Count, e.Fixtures.NoReply), nil
}

// findAndDraft looks a person up and reads the conversation a reply needs; writing the
// draft is the model's work and costs the server nothing.
func findAndDraft(ctx context.Context, e *Env) (string, error) {
	var l tools.Lookup
	if err := e.Session.CallInto(ctx, tools.NameLookupThread, map[string]any{"who": "@" + e.Fixtures.Username}, &l); err != nil {
		return "", err
	}
	if !l.Found || len(l.Threads) == 0 {
		return "", fmt.Errorf("lookup_thread did not find @%s", e.Fixtures.Username)
	}
	var m tools.MessageList
	if err := e.Session.CallInto(ctx, tools.NameReadMessages, map[string]any{"thread_id": l.Threads[0].ID}, &m); err != nil {
		return "", err
	}
	return fmt.Sprintf("%d thread(s), %d messages read", len(l.Threads), m.Count), nil
}

// bulkTag previews the change, then makes it, as the tool asks a model to; the server asks
// the person to confirm a change this large in the client, and they approve. The criterion
// is the default view's threads active since a moment, chosen so that it matches exactly
// BulkProspects prospects.
func bulkTag(ctx context.Context, e *Env) (string, error) {
	if e.Fixtures.BulkSince == "" {
		return "", fmt.Errorf("the data set has fewer than %d prospects in the default view: run this task at scale %g", BulkProspects, bulkScale)
	}
	args := map[string]any{"where": map[string]any{"inbox": "default", "since": e.Fixtures.BulkSince}, "add_tags": []string{BulkTag}, "dry_run": true}
	var dry tools.BulkResult
	if err := e.Session.CallInto(ctx, tools.NameBulkUpdate, args, &dry); err != nil {
		return "", err
	}
	if dry.Matched != BulkProspects || dry.Changed != BulkProspects {
		return "", fmt.Errorf("the dry run matched %d prospects, %d to change; want %d: %s", dry.Matched, dry.Changed, BulkProspects, dry.Selected)
	}
	delete(args, "dry_run")
	var r tools.BulkResult
	if err := e.Session.CallInto(ctx, tools.NameBulkUpdate, args, &r); err != nil {
		return "", err
	}
	if r.Status != "" || r.Changed != dry.Changed || r.Failed > 0 {
		return "", fmt.Errorf("bulk_update_prospects: status %q, changed %d of %d (failed %d)", r.Status, r.Changed, dry.Changed, r.Failed)
	}
	return fmt.Sprintf("%d prospects tagged; %d confirmation asked in the client", r.Changed, e.Session.Confirmations()), nil
}
