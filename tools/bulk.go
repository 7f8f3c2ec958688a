package tools

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/inbox-mcp/inbox-mcp/inbox"
	"github.com/inbox-mcp/inbox-mcp/views"
)

// NameBulkUpdate is the name of the bulk_update_prospects tool.
const NameBulkUpdate = "bulk_update_prospects"

// Bounds of bulk_update_prospects.
const (
	// MaxBulk is the most prospects one call changes, and the most threads it reads to find
	// them: at the documented 300 requests a minute, a batch this size takes a few minutes.
	MaxBulk = 1000
	// bulkSample is how many prospects a result shows by name.
	bulkSample = 10
	// bulkMessages is how many of a thread's messages in the window a word search reads.
	bulkMessages = 200
)

// BulkArgs are the arguments of bulk_update_prospects. The thread filters travel as one
// object with list_threads' names, which keeps the tool list short.
type BulkArgs struct {
	Prospects  []string `json:"prospects,omitempty" jsonschema:"maxItems=1000" jsonschema_description:"Prospect IDs, @usernames or thread IDs. Or use where/words."`
	Where      Where    `json:"where,omitempty" jsonschema_description:"list_threads' filters, described there; since also bounds words."`
	Words      []string `json:"words,omitempty" jsonschema_description:"Only prospects whose messages contain one."`
	From       string   `json:"from,omitempty" jsonschema:"enum=prospect,enum=us,enum=any" jsonschema_description:"Whose messages words checks (default prospect)."`
	AddTags    []string `json:"add_tags,omitempty" jsonschema_description:"Tags to add."`
	RemoveTags []string `json:"remove_tags,omitempty" jsonschema_description:"Tags to remove."`
	Status     string   `json:"status,omitempty" jsonschema_description:"Status to set, or none."`
	Assignee   string   `json:"assignee,omitempty" jsonschema_description:"Member to assign, or none."`
	DryRun     bool     `json:"dry_run,omitempty" jsonschema_description:"Only show who matches; change nothing."`
	// ConfirmToken is the second step of a confirmation by token.
	ConfirmToken string `json:"confirm_token,omitempty" jsonschema_description:"From needs_confirmation, once the person said yes."`
}

// BulkResult is the result of bulk_update_prospects. In a dry run Changed counts the
// prospects that would change.
type BulkResult struct {
	DryRun    bool          `json:"dry_run,omitempty"`
	Matched   int           `json:"matched"`
	Changed   int           `json:"changed"`
	Unchanged int           `json:"unchanged"`
	Failed    int           `json:"failed"`
	Failures  []BulkFailure `json:"failures,omitempty"`
	// Unknown counts the prospects whose update may or may not have been applied: the
	// API's answer was lost and reading them back failed too. Unknowns lists them.
	Unknown  int           `json:"unknown,omitempty"`
	Unknowns []BulkFailure `json:"unknowns,omitempty"`
	Sample   []BulkItem    `json:"sample,omitempty"`
	Selected string        `json:"selected"`
	// Status is needs_confirmation (nothing changed: the person must approve, then the call
	// is repeated with ConfirmToken; its expiry is in the text) or declined; empty once run.
	Status       string `json:"status,omitempty"`
	ConfirmToken string `json:"confirm_token,omitempty"`
}

// BulkItem is one prospect of a result's sample, with why it matched.
type BulkItem struct {
	ProspectID string `json:"prospect_id"`
	Username   string `json:"username,omitempty"`
	Name       string `json:"name,omitempty"`
	Reason     string `json:"reason"`
	// Untrusted says Name and Reason hold prospect-written text.
	Untrusted bool `json:"untrusted,omitempty"`
}

// BulkFailure is one prospect that was not changed, and why.
type BulkFailure struct {
	Prospect string `json:"prospect"`
	Username string `json:"username,omitempty"`
	Reason   string `json:"reason"`
}

// bulkUpdateTool is bulk_update_prospects. Destructive: it removes tags and replaces
// statuses and assignees, and MCP reserves destructiveHint false for tools that only add.
// Idempotent (prospects already as asked are skipped).
var bulkUpdateTool = declare(Spec[BulkArgs, BulkResult]{
	Name:         NameBulkUpdate,
	Toolset:      "prospects",
	Description:  "Tag, untag, set status or assignee of many prospects (a list, or filters plus words). dry_run first, confirm, then run.",
	Instructions: "- bulk_update_prospects changes many prospects in one call (a list, or where filters plus words): run it with dry_run true, show the person who matched, and run it for real only after they confirm.",
	Hints:        hints{destructive: true, idempotent: true},
	Handle:       bulkUpdate,
	Unanswered:   bulkUnanswered,
	Progress:     true,
})

// target is one selected prospect.
type target struct {
	p inbox.Prospect
	// assignee is the prospect's assignee as far as known: the record's, else the one all
	// their selected threads share ("?" when they differ).
	assignee string
	reason   string
	// untrusted says reason quotes the prospect.
	untrusted bool
}

// bulkChange is what a bulk update asks of each prospect, as IDs.
type bulkChange struct {
	add, remove      []string
	status, assignee inbox.Change[string]
}

// diff is the part of the change a prospect's record still needs; empty when the record
// is already as asked, which keeps a repeated run from changing anything.
func (ch bulkChange) diff(t target) inbox.ContextUpdate {
	var u inbox.ContextUpdate
	for _, id := range ch.add {
		if !slices.Contains(t.p.Context.TagIDs, id) {
			u.AddTags = append(u.AddTags, id)
		}
	}
	for _, id := range ch.remove {
		if slices.Contains(t.p.Context.TagIDs, id) {
			u.RemoveTags = append(u.RemoveTags, id)
		}
	}
	if differs(ch.status, t.p.Context.StatusID) {
		u.Status = ch.status
	}
	if differs(ch.assignee, t.assignee) {
		u.Assignee = ch.assignee
	}
	return u
}

// differs reports whether applying c to a field holding cur changes it.
func differs(c inbox.Change[string], cur string) bool {
	if v, ok := c.Value(); ok {
		return v != cur
	}
	return c.Cleared() && cur != ""
}

// bulkJob is one prospect's part of a bulk change: what its record still needs.
type bulkJob struct {
	t target
	u inbox.ContextUpdate
}

// bulkPlan is a bulk change worked out: who was selected and what each still needs.
type bulkPlan struct {
	out     BulkResult // counts and failures of the selection
	targets []target   // everyone selected, in selection order
	jobs    []bulkJob
	steps   int // progress units the selection reported
	prog    *progress
	// window is the plan's place among the team's unapproved bulk changes, when it runs
	// without approval; applyBulk settles it to what was changed.
	window *windowEntry
}

func bulkUpdate(c *Call, a BulkArgs) (*Answer[BulkResult], error) {
	call := c.req
	ch, err := c.bulkChange(a)
	if err != nil {
		return nil, err
	}
	if !a.DryRun {
		// The second step of a confirmation: the plan the person approved.
		plan, gate, err := c.confirmedBulk(call, a, ch)
		if gate != nil || err != nil {
			return gate, err
		}
		if plan != nil {
			return c.applyBulk(*plan), nil
		}
	}
	plan, err := c.planBulk(a, ch)
	if err != nil {
		return nil, err
	}
	if a.DryRun {
		out := plan.out
		out.Changed = len(plan.jobs)
		for _, t := range plan.targets[:min(len(plan.targets), bulkSample)] {
			out.Sample = append(out.Sample, sampleItem(t))
		}
		out.Failed = len(out.Failures)
		return result(out, bulkText(out)), nil
	}
	if gate := c.askBulk(a, &plan, ""); gate != nil {
		return gate, nil
	}
	return c.applyBulk(plan), nil
}

// planBulk selects the prospects and works out what each still needs; it changes nothing.
func (c *Call) planBulk(a BulkArgs, ch bulkChange) (bulkPlan, error) {
	sel, err := c.selectProspects(a, ch.assignee.Changed())
	if err != nil {
		return bulkPlan{}, err
	}
	p := bulkPlan{
		out:     BulkResult{DryRun: a.DryRun, Matched: len(sel.targets), Failures: sel.failures, Selected: sel.describe()},
		targets: sel.targets, steps: sel.steps, prog: sel.prog,
	}
	for _, t := range sel.targets {
		if u := ch.diff(t); u.IsEmpty() {
			p.out.Unchanged++
		} else {
			p.jobs = append(p.jobs, bulkJob{t, u})
		}
	}
	return p, nil
}

// applyBulk makes the plan's changes, concurrently under the rate limit, and reports every
// failure.
func (c *Call) applyBulk(p bulkPlan) *Answer[BulkResult] {
	out := p.out
	out.DryRun = false
	out.Sample = nil
	var (
		mu      sync.Mutex
		changed []string
	)
	done := 0
	prog := p.prog
	if prog == nil {
		prog = newProgress(c.Ctx, p.steps+len(p.jobs))
	}
	prog.resize(p.steps + len(p.jobs))
	// The run is background work: the person confirmed it and waits for its end, not for
	// each update, so their other calls go first when both wait for the API budget.
	parallel(inbox.Background(c.Ctx), len(p.jobs), Workers, func(ctx context.Context, i int) {
		j := p.jobs[i]
		var err error
		if err = ctx.Err(); err == nil {
			_, err = c.B.UpdateProspect(ctx, j.t.p, j.u)
		}
		check := outcomeApplied
		if err != nil {
			// The change may have been applied although its answer was lost: the record,
			// read back, says so; a failure reported for an applied change is as wrong as
			// the reverse.
			check = c.readBack(ctx, j, err)
		}
		mu.Lock()
		defer mu.Unlock()
		done++
		switch check {
		case outcomeNotApplied:
			out.Failures = append(out.Failures, BulkFailure{Prospect: j.t.p.ID, Username: views.SanitizeLine(j.t.p.Username),
				Reason: bulkReason(err)})
		case outcomeUnknown:
			out.Unknowns = append(out.Unknowns, BulkFailure{Prospect: j.t.p.ID, Username: views.SanitizeLine(j.t.p.Username),
				Reason: "unknown, check: the update's answer was lost (" + bulkReason(err) + ") and the prospect could not be read back to see whether it was applied"})
		default:
			changed = append(changed, j.t.p.ID)
			if len(out.Sample) < bulkSample {
				out.Sample = append(out.Sample, sampleItem(j.t))
			}
		}
		prog.report(p.steps+done, p.steps+len(p.jobs), "updated "+strconv.Itoa(done)+" of "+strconv.Itoa(len(p.jobs))+" prospects")
	})
	out.Changed, out.Unknown = len(changed), len(out.Unknowns)
	// An unknown outcome may be a change: it counts against the window.
	c.Env.confirmer().settleBulk(p.window, out.Changed+out.Unknown)
	uris := make([]string, len(changed))
	for i, id := range changed {
		uris[i] = ProspectURI(id)
	}
	c.Env.changed(c.Ctx, uris...)
	c.Env.logger().Info("bulk update", "matched", out.Matched, "changed", out.Changed, "unchanged", out.Unchanged, "failed", len(out.Failures), "unknown", out.Unknown)
	out.Failed = len(out.Failures)
	return result(out, bulkText(out))
}

// bulkReason words a failed update for the failure list.
func bulkReason(err error) string {
	if IsNotFound(err) {
		return "the prospect no longer exists (404)"
	}
	return Explain(err)
}

func sampleItem(t target) BulkItem {
	return BulkItem{ProspectID: t.p.ID, Username: views.SanitizeLine(t.p.Username), Name: views.SanitizeLine(t.p.DisplayName),
		Reason: t.reason, Untrusted: true}
}

// bulkChange resolves the change's names to IDs before anything is read or written, so a
// typo costs nothing.
func (c *Call) bulkChange(a BulkArgs) (bulkChange, error) {
	var ch bulkChange
	for _, ref := range a.AddTags {
		l, err := c.Dir.Tag(c.Ctx, ref)
		if err != nil {
			return ch, err
		}
		ch.add = append(ch.add, l.ID)
	}
	for _, ref := range a.RemoveTags {
		l, err := c.Dir.Tag(c.Ctx, ref)
		if err != nil {
			return ch, err
		}
		if slices.Contains(ch.add, l.ID) {
			return ch, badInput("tag %q is both in add_tags and remove_tags: keep it in one", l.Name)
		}
		ch.remove = append(ch.remove, l.ID)
	}
	switch s := strings.TrimSpace(a.Status); {
	case s == "":
	case strings.EqualFold(s, "none"):
		ch.status = inbox.Clear[string]()
	default:
		l, err := c.Dir.Status(c.Ctx, s)
		if err != nil {
			return ch, err
		}
		ch.status = inbox.Set(l.ID)
	}
	switch m := strings.TrimSpace(a.Assignee); {
	case m == "":
	case strings.EqualFold(m, "none"):
		ch.assignee = inbox.Clear[string]()
	default:
		mem, err := c.Dir.Member(c.Ctx, m)
		if err != nil {
			return ch, err
		}
		ch.assignee = inbox.Set(mem.ID)
	}
	if len(ch.add) == 0 && len(ch.remove) == 0 && !ch.status.Changed() && !ch.assignee.Changed() {
		return ch, badInput("nothing to change: give add_tags, remove_tags, status or assignee (none empties them); dry_run needs the change too, to count who already has it")
	}
	return ch, nil
}

// bulkText renders a result compactly: counts, every failure, the sample.
func bulkText(r BulkResult) string {
	var b strings.Builder
	if r.DryRun {
		b.WriteString("DRY RUN, nothing changed. ")
	}
	b.WriteString("Selected: " + r.Selected + "\n")
	b.WriteString("matched " + strconv.Itoa(r.Matched))
	if r.DryRun {
		b.WriteString(", would change " + strconv.Itoa(r.Changed) + ", already as asked " + strconv.Itoa(r.Unchanged))
	} else {
		b.WriteString(", changed " + strconv.Itoa(r.Changed) + ", unchanged (already as asked) " + strconv.Itoa(r.Unchanged))
	}
	b.WriteString(", failed " + strconv.Itoa(r.Failed))
	if r.Unknown > 0 {
		b.WriteString(", unknown " + strconv.Itoa(r.Unknown))
	}
	if len(r.Failures) > 0 {
		b.WriteString("\nFailures (each can be retried; the run is idempotent):")
		for _, f := range r.Failures {
			b.WriteString("\n- " + f.Prospect)
			if f.Username != "" {
				b.WriteString(" @" + f.Username)
			}
			b.WriteString(": " + f.Reason)
		}
	}
	if len(r.Unknowns) > 0 {
		b.WriteString("\nUnknown, check these before reporting them changed or not (read the prospect, or call again with dry_run true; a rerun is safe, it skips prospects already as asked):")
		for _, f := range r.Unknowns {
			b.WriteString("\n- " + f.Prospect)
			if f.Username != "" {
				b.WriteString(" @" + f.Username)
			}
			b.WriteString(": " + f.Reason)
		}
	}
	if len(r.Sample) > 0 {
		word := "Changed"
		if r.DryRun {
			word = "Matched"
		}
		b.WriteString("\n" + word + ", first " + strconv.Itoa(len(r.Sample)) + " (" + views.UntrustedNote + "):")
		for _, s := range r.Sample {
			b.WriteString("\n- " + s.ProspectID + " " + quotedProspect(s.Name, s.Username) + ": " + s.Reason)
		}
	}
	if r.DryRun && r.Changed > 0 {
		b.WriteString("\nShow this to the person; after they confirm, call again with the same arguments and dry_run false.")
	}
	return b.String()
}
