package tools

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/inbox-mcp/inbox-mcp/inbox"
	"github.com/inbox-mcp/inbox-mcp/views"
)

// selection is who a bulk update applies to, and what was read to find them.
type selection struct {
	targets  []target
	failures []BulkFailure

	explicit  int       // entries of an explicit list
	view      string    // the thread query's view
	since     time.Time // the query's time window
	listed    int       // threads the query listed
	words     []string  // the phrases searched, as given
	from      string
	scanned   int // threads whose messages were read
	truncated int // threads with more messages in the window than were read
	prog      *progress
	steps     int // progress units the selection reported
}

// describe says exactly what was read to select, so that nothing unchecked is implied.
func (s selection) describe() string {
	if s.explicit > 0 {
		return strconv.Itoa(s.explicit) + " listed prospect(s), each read from the API"
	}
	d := strconv.Itoa(s.listed) + " thread(s) in the " + s.view + " view matching the filters"
	if !s.since.IsZero() {
		d += ", active since " + s.since.UTC().Format("2006-01-02 15:04Z")
	}
	if len(s.words) > 0 {
		d += "; searched for " + quoteList(s.words) + " in " + whose(s.from) + " messages"
		if !s.since.IsZero() {
			d += " since then"
		}
		d += " (the newest " + strconv.Itoa(bulkMessages) + " per thread"
		if s.truncated > 0 {
			d += "; " + strconv.Itoa(s.truncated) + " thread(s) had more, the older ones were not read"
		}
		d += ")"
	}
	return d
}

func whose(from string) string {
	switch from {
	case fromUs:
		return "our"
	case fromAny:
		return "all"
	}
	return "the prospects'"
}

func quoteList(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = strconv.Quote(s)
	}
	return strings.Join(q, ", ")
}

// selectProspects finds the prospects a bulk update applies to. needAssignee says the
// update changes the assignee, whose current value v1 keeps on threads, not on the record.
func (c *Call) selectProspects(a BulkArgs, needAssignee bool) (selection, error) {
	f := Filters(a.Where)
	query := f.hasAny() || len(a.Words) > 0
	if a.From != "" && len(a.Words) == 0 {
		return selection{}, badInput("from says whose messages words searches: give words too, or leave from out")
	}
	switch {
	case len(a.Prospects) > 0 && query:
		return selection{}, badInput("give prospects, or where/words, not both")
	case len(a.Prospects) > MaxBulk:
		return selection{}, badInput("%d prospects listed; one call changes at most %d: split the list", len(a.Prospects), MaxBulk)
	case len(a.Prospects) > 0:
		return c.selectListed(a.Prospects, needAssignee), nil
	case query:
		return c.selectByQuery(f, a.Words, a.From)
	}
	return selection{}, badInput("say who to change: prospects (IDs, @usernames or thread IDs), or where (list_threads filters) and/or words, e.g. where {\"inbox\": \"no-reply\", \"since\": \"7d\"}, words [\"pricing\"]")
}

// selectListed resolves an explicit list, concurrently. An entry that names nobody is a
// failure of its own; the others go ahead.
func (c *Call) selectListed(refs []string, needAssignee bool) selection {
	var uniq []string
	seen := map[string]bool{}
	for _, r := range refs {
		r = strings.TrimSpace(r)
		if !seen[r] {
			seen[r] = true
			uniq = append(uniq, r)
		}
	}
	type resolved struct {
		t   target
		err string
	}
	res := make([]resolved, len(uniq))
	parallel(c.Ctx, len(uniq), Workers, func(ctx context.Context, i int) {
		t, err := c.resolveTarget(ctx, uniq[i], needAssignee)
		if err != nil {
			res[i].err = Explain(err)
			return
		}
		res[i].t = t
	})
	sel := selection{explicit: len(uniq), prog: newProgress(c.Ctx, 0)}
	ids := map[string]bool{}
	for i, r := range res {
		switch {
		case r.err != "":
			sel.failures = append(sel.failures, BulkFailure{Prospect: shortRef(views.SanitizeLine(uniq[i])), Reason: CapEcho(r.err)})
		case !ids[r.t.p.ID]:
			ids[r.t.p.ID] = true
			sel.targets = append(sel.targets, r.t)
		}
	}
	return sel
}

// resolveTarget reads one listed prospect: by @username (their threads), X user ID, prospect
// ID or thread ID.
func (c *Call) resolveTarget(ctx context.Context, ref string, needAssignee bool) (target, error) {
	kind, id := classify(ref)
	t := target{reason: "listed as " + views.SanitizeLine(ref)}
	if id == "" {
		return t, badInput("an empty entry in prospects")
	}
	var threads []inbox.Thread
	switch kind {
	case byUsername:
		ts, err := c.B.ThreadsWithUsername(ctx, id)
		if err != nil {
			return t, err
		}
		for _, th := range ts {
			if th.Prospect.ID != "" {
				t.p, threads = th.Prospect, ts
				break
			}
		}
		if t.p.ID == "" {
			return t, badInput("@%s is not in the team's Inbox", views.SanitizeLine(id))
		}
	case byXID:
		p, err := c.B.LookupProspect(ctx, id)
		if err != nil {
			return t, err
		}
		if p == nil {
			return t, badInput("no prospect with X user ID %s in the team's Inbox", id)
		}
		t.p = *p
	default:
		p, err := c.B.Prospect(ctx, id)
		if IsNotFound(err) {
			th, terr := c.B.GetThread(ctx, id)
			if terr != nil {
				return t, explainNotFound(terr, "no prospect or thread with ID "+strconv.Quote(id))
			}
			if th.Prospect.ID == "" {
				return t, badInput("thread %s has no prospect record yet", id)
			}
			p, err, threads = th.Prospect, nil, []inbox.Thread{th}
		}
		if err != nil {
			return t, err
		}
		t.p = p
	}
	if needAssignee && t.p.Context.AssigneeID == "" && threads == nil && t.p.Username != "" && !c.B.Features().RecordAssignee {
		// v1 keeps the assignee on the person's threads only: read them to know whether the
		// change is already made.
		ts, err := c.B.ThreadsWithUsername(ctx, t.p.Username)
		if err != nil {
			return t, err
		}
		threads = ts
	}
	t.assignee = c.sharedAssignee(t.p, threads)
	return t, nil
}

// sharedAssignee is a prospect's assignee: the record's, else (where the API keeps assignees
// on threads, v1) the one their threads share, or "?" when the threads differ (an update
// then sets it on all of them).
func (c *Call) sharedAssignee(p inbox.Prospect, threads []inbox.Thread) string {
	if p.Context.AssigneeID != "" || c.B.Features().RecordAssignee {
		return p.Context.AssigneeID
	}
	var (
		got   string
		first = true
	)
	for _, t := range threads {
		if t.Prospect.ID != p.ID {
			continue
		}
		if first {
			got, first = t.AssigneeID, false
		} else if t.AssigneeID != got {
			return "?"
		}
	}
	return got
}

// selectByQuery lists the threads matching the filters and, with words, keeps the prospects
// whose messages contain one.
func (c *Call) selectByQuery(f Filters, words []string, from string) (selection, error) {
	q, err := c.threadQuery(f.listArgs())
	if err != nil {
		return selection{}, err
	}
	since, err := parseSince(f.Since, c.Now)
	if err != nil {
		return selection{}, err
	}
	var m matcher
	if len(words) > 0 {
		if m, err = newMatcher(words); err != nil {
			return selection{}, err
		}
	}
	sel := selection{view: string(q.View), since: since, words: m.shown, from: from, prog: newProgress(c.Ctx, 0)}
	fetch := func(ctx context.Context, cur string, n int) (inbox.Page[inbox.Thread], error) {
		return c.B.ListThreads(ctx, q, cur, n)
	}
	if !since.IsZero() {
		fetch = activeSince(fetch, since, false)
	}
	threads, next, err := inbox.Gather(c.Ctx, "", MaxBulk, fetch, nil)
	if err != nil {
		return sel, err
	}
	if next != "" {
		return sel, badInput("the filters match more than %d threads, the most one call reads: narrow them (since, account, tags, statuses, assignees) or run once per account or tag", MaxBulk)
	}
	sel.listed = len(threads)
	byProspect := map[string][]inbox.Thread{}
	var order []string
	for _, t := range threads {
		if t.Prospect.ID == "" {
			sel.failures = append(sel.failures, BulkFailure{Prospect: "thread " + t.ID, Username: views.SanitizeLine(t.Prospect.Username),
				Reason: "the person in this thread has no prospect record yet, so there is nothing to update"})
			continue
		}
		if byProspect[t.Prospect.ID] == nil {
			order = append(order, t.Prospect.ID)
		}
		byProspect[t.Prospect.ID] = append(byProspect[t.Prospect.ID], t)
	}
	if len(m.phrases) == 0 {
		for _, id := range order {
			ts := byProspect[id]
			sel.targets = append(sel.targets, target{p: ts[0].Prospect, assignee: c.sharedAssignee(ts[0].Prospect, ts),
				reason: "thread " + ts[0].ID + " matches the filters"})
		}
		return sel, nil
	}
	hits := c.scanThreads(threads, window{since: since, max: bulkMessages}, m, from, &sel)
	for _, id := range order {
		ts := byProspect[id]
		t := target{p: ts[0].Prospect, assignee: c.sharedAssignee(ts[0].Prospect, ts)}
		var unread []string
		for _, th := range ts {
			h := hits[th.ID]
			switch {
			case h.err != nil:
				unread = append(unread, "thread "+th.ID+": "+Explain(h.err))
			case h.reason != "" && t.reason == "":
				t.reason, t.untrusted = h.reason, true
			}
		}
		switch {
		case t.reason != "":
			sel.targets = append(sel.targets, t)
		case len(unread) > 0:
			sel.failures = append(sel.failures, BulkFailure{Prospect: id, Username: views.SanitizeLine(t.p.Username),
				Reason: "not checked, messages could not be read (" + strings.Join(unread, "; ") + ")"})
		}
	}
	return sel, nil
}

// hit is what a word search found in one thread: the reason it matched, or the error that
// kept it from being read.
type hit struct {
	reason string
	err    error
}

// scanThreads reads the window of each thread concurrently and looks for the words in the
// messages of the wanted authors, reporting progress per thread.
func (c *Call) scanThreads(threads []inbox.Thread, w window, m matcher, from string, sel *selection) map[string]hit {
	var mu sync.Mutex
	hits := make(map[string]hit, len(threads))
	done := 0
	sel.prog.resize(len(threads))
	sel.steps = len(threads)
	parallel(c.Ctx, len(threads), Workers, func(ctx context.Context, i int) {
		th := threads[i]
		var h hit
		ms, more, err := w.read(ctx, c.B, th.ID)
		if err != nil {
			h.err = err
		}
		for _, msg := range ms {
			if msg.DeletedAt != nil || !wants(from, msg.Direction) {
				continue
			}
			if line, p, at := m.find(msg.Content); p != "" {
				h.reason = views.Quote(excerptAround(line, at, len([]rune(p)), 100)) + " (" + author(msg.Direction) + ", " + msg.CreatedAt.UTC().Format("2006-01-02") + ")"
				break
			}
		}
		mu.Lock()
		defer mu.Unlock()
		hits[th.ID] = h
		done++
		if err == nil {
			sel.scanned++
		}
		if more {
			sel.truncated++
		}
		sel.prog.report(done, len(threads), "read messages of "+strconv.Itoa(done)+" of "+strconv.Itoa(len(threads))+" threads")
	})
	return hits
}

func author(d inbox.Direction) string {
	if d == inbox.Inbound {
		return views.FromProspect
	}
	return views.FromUs
}
