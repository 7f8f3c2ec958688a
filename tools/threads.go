package tools

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/inbox-mcp/inbox-mcp/inbox"
	"github.com/inbox-mcp/inbox-mcp/views"
)

// NameListThreads is the name of the list_threads tool.
const NameListThreads = "list_threads"

// Bounds of list_threads.
const (
	DefaultThreads = 50
	MaxThreads     = 500
)

// ListThreadsArgs are the arguments of list_threads.
type ListThreadsArgs struct {
	Filters
	Campaign string `json:"campaign,omitempty" jsonschema_description:"Campaign ID or none."`
	Sort     string `json:"sort,omitempty" jsonschema:"enum=newest,enum=oldest" jsonschema_description:"By last activity."`
	Unread   bool   `json:"unread,omitempty" jsonschema_description:"Only unread (API v2)."`
	Query    string `json:"query,omitempty" jsonschema_description:"Text in names or last message (API v2)."`
	Limit    int    `json:"limit,omitempty" jsonschema:"minimum=1,maximum=500" jsonschema_description:"Default 50."`
	Cursor   string `json:"cursor,omitempty" jsonschema_description:"next_cursor, same filters."`
}

// ThreadList is the result of list_threads.
type ThreadList struct {
	Threads    []views.ThreadRow `json:"threads"`
	Count      int               `json:"count"`
	HasMore    bool              `json:"has_more"`
	NextCursor string            `json:"next_cursor,omitempty"`
}

// listThreadsTool is list_threads: the inbox with filters, pagination flattened.
var listThreadsTool = declare(Spec[ListThreadsArgs, ThreadList]{
	Name:         NameListThreads,
	Toolset:      "threads",
	Description:  "Threads by filters (names or IDs), newest first, with prospect, status, tags and last message.",
	Instructions: `- list_threads finds threads (inbox "no-reply" = prospects waiting for us, "all" = every view at once; filters take names; flattens pages up to limit; follow next_cursor while has_more).`,
	Hints:        hints{readOnly: true, idempotent: true, openWorld: true},
	Handle:       listThreads,
})

func listThreads(c *Call, a ListThreadsArgs) (*Answer[ThreadList], error) {
	q, err := c.threadQuery(a)
	if err != nil {
		return nil, err
	}
	since, err := parseSince(a.Since, c.Now)
	if err != nil {
		return nil, err
	}
	fp := a
	fp.Limit, fp.Cursor = 0, ""
	cursor, err := decodeCursor(a.Cursor, fp, NameListThreads)
	if err != nil {
		return nil, err
	}
	limit := limitOr(a.Limit, DefaultThreads)
	fetch := func(ctx context.Context, cur string, n int) (inbox.Page[inbox.Thread], error) {
		return c.B.ListThreads(ctx, q, cur, n)
	}
	if !since.IsZero() {
		fetch = activeSince(fetch, since, q.Ascending)
	}
	threads, next, err := inbox.Gather(c.Ctx, cursor, limit, fetch, nil)
	if err != nil {
		return nil, cursorRefused(err, cursor, NameListThreads)
	}
	r, err := c.Renderer(ThreadIDs(threads...))
	if err != nil {
		return nil, err
	}
	out := ThreadList{Threads: make([]views.ThreadRow, len(threads)), Count: len(threads), HasMore: next != "",
		NextCursor: encodeCursor(next, fp)}
	for i, t := range threads {
		out.Threads[i] = r.ThreadRow(t)
	}
	return result(out, views.ThreadList(listHeader(a, q, len(threads)), out.Threads, out.HasMore, out.NextCursor)), nil
}

func listHeader(a ListThreadsArgs, q inbox.ThreadQuery, n int) string {
	order := "newest first"
	if q.Ascending {
		order = "oldest first"
	}
	word := " threads"
	if n == 1 {
		word = " thread"
	}
	if q.Unread != nil {
		word = " unread" + word
	}
	where := string(q.View)
	if q.View == inbox.ViewAll {
		where = "every view"
	}
	h := strconv.Itoa(n) + word + " in " + where + searchedFor(q) + ", " + order
	if n == 0 {
		h = "No threads match (" + viewPhrase(q.View) + searchedFor(q) + "). Widen the filters or try another inbox view."
	}
	return h
}

// viewPhrase names the view a listing read: "the no-reply view", or "every view".
func viewPhrase(v inbox.View) string {
	if v == inbox.ViewAll {
		return "every view"
	}
	return "the " + string(v) + " view"
}

// searchedFor says what the API's thread search looked for, which is names, usernames and
// the last message, not whole conversations.
func searchedFor(q inbox.ThreadQuery) string {
	if q.Text == "" {
		return ""
	}
	return ", name or last message matching " + strconv.Quote(views.SanitizeLine(q.Text))
}

// threadQuery resolves list_threads' names to IDs.
func (c *Call) threadQuery(a ListThreadsArgs) (inbox.ThreadQuery, error) {
	q := inbox.ThreadQuery{View: inbox.View(a.Inbox), NoTags: a.Untagged, NoAssignee: a.Unassigned, Ascending: a.Sort == "oldest"}
	if q.View == "" {
		q.View = inbox.ViewDefault
	}
	if a.Untagged && len(a.Tags) > 0 {
		return q, badInput("give tags or untagged, not both")
	}
	if a.Unassigned && len(a.Assignees) > 0 {
		return q, badInput("give assignees or unassigned, not both")
	}
	if a.Account != "" {
		acct, err := c.Dir.Account(c.Ctx, a.Account)
		if err != nil {
			return q, err
		}
		q.AccountIDs = []string{acct.ID}
	}
	for _, ref := range a.Tags {
		l, err := c.Dir.Tag(c.Ctx, ref)
		if err != nil {
			return q, err
		}
		q.TagIDs = append(q.TagIDs, l.ID)
	}
	for _, ref := range a.Statuses {
		l, err := c.Dir.Status(c.Ctx, ref)
		if err != nil {
			return q, err
		}
		q.StatusIDs = append(q.StatusIDs, l.ID)
	}
	for _, ref := range a.Assignees {
		m, err := c.Dir.Member(c.Ctx, ref)
		if err != nil {
			return q, err
		}
		q.AssigneeIDs = append(q.AssigneeIDs, m.ID)
	}
	if a.Unread || strings.TrimSpace(a.Query) != "" {
		f := c.B.Features()
		if a.Unread && !f.Unread {
			return q, badInput("unread needs Inbox API v2; this server uses %s, which has no read state: leave unread out (inbox no-reply lists threads awaiting our reply)", c.B.APIVersion())
		}
		if strings.TrimSpace(a.Query) != "" && !f.ThreadSearch {
			return q, badInput("query needs Inbox API v2; this server uses %s, which cannot search threads: leave query out, and use lookup_thread for a person or search_messages for words in messages", c.B.APIVersion())
		}
		if a.Unread {
			unread := true
			q.Unread = &unread
		}
		q.Text = strings.TrimSpace(a.Query)
	}
	switch camp := strings.TrimSpace(a.Campaign); {
	case camp == "":
	case strings.EqualFold(camp, "none"):
		q.NoCampaign = true
	default:
		if !isInboxID(camp) {
			return q, badInput("campaign %q is not a campaign ID (lowercase letters and digits, as threads from a campaign show it) nor none", views.SanitizeLine(camp))
		}
		q.CampaignIDs = []string{camp}
	}
	return q, nil
}

type threadFetch = func(ctx context.Context, cursor string, limit int) (inbox.Page[inbox.Thread], error)

// activeSince narrows a thread listing to threads whose last message is at or after since.
// Newest first, the listing ends at the first thread whose activity is older; oldest first,
// the older threads are skipped. It never returns an empty page unless the listing ended,
// because inbox.Gather reads an empty page as the end.
func activeSince(fetch threadFetch, since time.Time, ascending bool) threadFetch {
	return func(ctx context.Context, cursor string, limit int) (inbox.Page[inbox.Thread], error) {
		for {
			p, err := fetch(ctx, cursor, limit)
			if err != nil {
				return p, err
			}
			var kept []inbox.Thread
			for _, t := range p.Items {
				if !ascending && activity(t).Before(since) {
					return inbox.Page[inbox.Thread]{Items: kept}, nil
				}
				if !t.LastMessageAt.IsZero() && !t.LastMessageAt.Before(since) {
					kept = append(kept, t)
				}
			}
			if len(kept) > 0 || p.Next == "" || len(p.Items) == 0 {
				return inbox.Page[inbox.Thread]{Items: kept, Next: p.Next}, nil
			}
			cursor = p.Next
		}
	}
}

// keepThreads filters a listing by keep, reading on past pages that keep nothing (a page
// without items would end a walk).
func keepThreads(fetch threadFetch, keep func(inbox.Thread) bool) threadFetch {
	return func(ctx context.Context, cursor string, limit int) (inbox.Page[inbox.Thread], error) {
		for {
			p, err := fetch(ctx, cursor, limit)
			if err != nil {
				return p, err
			}
			var kept []inbox.Thread
			for _, t := range p.Items {
				if keep(t) {
					kept = append(kept, t)
				}
			}
			if len(kept) > 0 || p.Next == "" || len(p.Items) == 0 {
				return inbox.Page[inbox.Thread]{Items: kept, Next: p.Next}, nil
			}
			cursor = p.Next
		}
	}
}

// activity is the time a listing is sorted by: the last message, else the creation.
func activity(t inbox.Thread) time.Time {
	switch {
	case !t.SortAt.IsZero():
		return t.SortAt
	case !t.LastMessageAt.IsZero():
		return t.LastMessageAt
	}
	return t.CreatedAt
}

// GetThreadArgs are the arguments of get_thread.
type GetThreadArgs struct {
	ThreadID string `json:"thread_id" jsonschema_description:"Thread ID."`
}

// NameGetThread is the name of the get_thread tool.
const NameGetThread = "get_thread"

// getThreadTool is get_thread: one thread with its prospect's profile and context.
var getThreadTool = declare(Spec[GetThreadArgs, views.ThreadDetail]{
	Name:         NameGetThread,
	Toolset:      "threads",
	Description:  "One thread with the prospect's profile, status, tags, notes and last message.",
	Instructions: "get_thread and lookup_thread (by @username, X user ID or prospect ID) give the thread and the person's profile and record.",
	Hints:        hints{readOnly: true, idempotent: true, openWorld: true},
	Handle:       getThread,
})

func getThread(c *Call, a GetThreadArgs) (*Answer[views.ThreadDetail], error) {
	t, err := c.thread(a.ThreadID)
	if err != nil {
		return nil, err
	}
	r, err := c.Renderer(ThreadIDs(t))
	if err != nil {
		return nil, err
	}
	d := r.ThreadDetail(t)
	return result(d, views.ThreadDetailText(d)), nil
}

// thread fetches a thread, explaining a miss.
func (c *Call) thread(id string) (inbox.Thread, error) {
	id = strings.TrimSpace(id)
	if id == "" {
		return inbox.Thread{}, badInput("thread_id is empty: use list_threads or lookup_thread to find the thread")
	}
	if !isInboxID(id) {
		return inbox.Thread{}, badInput("thread_id %q is not a thread ID (lowercase letters and digits, as list_threads gives them): to find a person's thread by @username or X user ID, use lookup_thread", views.SanitizeLine(id))
	}
	t, err := c.B.GetThread(c.Ctx, id)
	return t, explainNotFound(err, "No thread with ID "+strconv.Quote(id)+": use list_threads or lookup_thread to find it.")
}

// LookupArgs are the arguments of lookup_thread.
type LookupArgs struct {
	Who     string `json:"who" jsonschema_description:"@username, X user ID or prospect ID."`
	Account string `json:"account,omitempty" jsonschema_description:"Only this account's threads."`
}

// Lookup is the result of lookup_thread.
type Lookup struct {
	Found    bool              `json:"found"`
	Prospect *views.Profile    `json:"prospect,omitempty"`
	Threads  []views.ThreadRow `json:"threads"`
}

// NameLookupThread is the name of the lookup_thread tool.
const NameLookupThread = "lookup_thread"

// lookupThreadTool is lookup_thread: a person's threads across the team's accounts. Its
// part of the instructions is in get_thread's.
var lookupThreadTool = declare(Spec[LookupArgs, Lookup]{
	Name:        NameLookupThread,
	Toolset:     "threads",
	Description: "A person's threads on all our accounts, with a short profile.",
	Hints:       hints{readOnly: true, idempotent: true, openWorld: true},
	Handle:      lookupThread,
})

func lookupThread(c *Call, a LookupArgs) (*Answer[Lookup], error) {
	p, threads, err := c.findPerson(a.Who)
	if err != nil {
		return nil, err
	}
	if p == nil && len(threads) > 0 {
		first := threads[0].Prospect
		p = &first
	}
	onAccount := ""
	if a.Account != "" {
		acct, err := c.Dir.Account(c.Ctx, a.Account)
		if err != nil {
			return nil, err
		}
		kept := threads[:0]
		for _, t := range threads {
			if t.AccountID == acct.ID {
				kept = append(kept, t)
			}
		}
		threads = kept
		onAccount = " on @" + acct.Username
	}
	ids := ThreadIDs(threads...)
	if p != nil {
		ids.Tags = append(ids.Tags, p.Context.TagIDs...)
		ids.Statuses = append(ids.Statuses, p.Context.StatusID)
		ids.Members = append(ids.Members, p.Context.AssigneeID)
	}
	r, err := c.Renderer(ids)
	if err != nil {
		return nil, err
	}
	out := Lookup{Found: p != nil, Threads: make([]views.ThreadRow, len(threads))}
	for i, t := range threads {
		out.Threads[i] = r.ThreadRow(t)
	}
	var text string
	switch {
	case p == nil:
		text = "Nobody matching " + strconv.Quote(a.Who) + " is in the team's Inbox. To start a conversation, use send_reply with their X user ID as to and an account."
	default:
		prof := r.Profile(*p, true)
		out.Prospect = &prof
		header := strconv.Itoa(len(threads)) + " thread(s)" + onAccount + ":"
		if len(threads) == 0 {
			header = "No thread" + onAccount + " with this person yet; send_reply with to and account starts one."
		}
		text = views.ProfileText(prof) + "\n" + views.ThreadList(header, out.Threads, false, "")
	}
	return result(out, text), nil
}

// findPerson finds a person and their threads by @username, X user ID or prospect (or
// thread) ID. A miss is (nil, nil, nil).
func (c *Call) findPerson(who string) (*inbox.Prospect, []inbox.Thread, error) {
	kind, ref := classify(who)
	if ref == "" {
		return nil, nil, badInput("who is empty: give an @username, an X user ID or a prospect ID")
	}
	switch kind {
	case byXID:
		p, err := c.B.LookupProspect(c.Ctx, ref)
		if err != nil || p == nil {
			return nil, nil, err
		}
		ts, err := c.B.ThreadsWithUsername(c.Ctx, p.Username)
		return p, ts, err
	case byInboxID:
		p, err := c.B.Prospect(c.Ctx, ref)
		if IsNotFound(err) {
			// Maybe a thread ID: accept it, it names the person just as well.
			t, terr := c.B.GetThread(c.Ctx, ref)
			if terr != nil {
				return nil, nil, explainNotFound(terr, "No prospect or thread with ID "+strconv.Quote(ref)+": use list_threads, or lookup_thread with an @username.")
			}
			p, err = t.Prospect, nil
		}
		if err != nil {
			return nil, nil, err
		}
		ts, err := c.B.ThreadsWithUsername(c.Ctx, p.Username)
		return &p, ts, err
	default:
		ts, err := c.B.ThreadsWithUsername(c.Ctx, ref)
		if err != nil || len(ts) == 0 {
			return nil, nil, err
		}
		return nil, ts, nil
	}
}
