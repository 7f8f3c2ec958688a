package tools

import (
	"context"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/inbox-mcp/inbox-mcp/inbox"
	"github.com/inbox-mcp/inbox-mcp/views"
)

// NameSearchMessages is the name of the search_messages tool.
const NameSearchMessages = "search_messages"

// Bounds of search_messages. v1 has no search endpoint: every thread searched costs at
// least one request, so the search is bounded by a time window and a number of threads.
const (
	DefaultSearchThreads = 200
	MaxSearchThreads     = 1000
	// DefaultSearchWindow is the window when since is not given.
	DefaultSearchWindow = 30 * 24 * time.Hour
	// searchPerThread is how many messages of a thread, in the window, are read.
	searchPerThread = 200
	// maxHits is how many matching messages a result shows.
	maxHits = 50
)

// SearchArgs are the arguments of search_messages.
type SearchArgs struct {
	Words      []string `json:"words" jsonschema_description:"Any of these (case-insensitive)."`
	Where      Where    `json:"where,omitempty" jsonschema_description:"list_threads' filters, described there; since defaults to 30d."`
	From       string   `json:"from,omitempty" jsonschema:"enum=prospect,enum=us,enum=any" jsonschema_description:"Default any."`
	MaxThreads int      `json:"max_threads,omitempty" jsonschema:"minimum=1,maximum=1000" jsonschema_description:"Most recent first (default 200)."`
}

// SearchResult is the result of search_messages. Searched says exactly what was read.
type SearchResult struct {
	Searched string      `json:"searched"`
	Threads  int         `json:"threads"`
	Matches  int         `json:"matches"`
	Hits     []SearchHit `json:"hits"`
	NotRead  []string    `json:"not_read,omitempty"`
}

// SearchHit is one matching message, cut around the match.
type SearchHit struct {
	ThreadID  string `json:"thread_id"`
	Prospect  string `json:"prospect,omitempty"`
	MessageID string `json:"message_id"`
	At        string `json:"at"`
	From      string `json:"from" jsonschema:"enum=prospect,enum=us"`
	Text      string `json:"text"`
	Untrusted bool   `json:"untrusted,omitempty"`
}

// searchMessagesTool is search_messages: words in the recent messages of a bounded set of
// threads, with a statement of what was read.
var searchMessagesTool = declare(Spec[SearchArgs, SearchResult]{
	Name:         NameSearchMessages,
	Toolset:      "messages",
	Description:  "Find messages containing words or phrases in recently active threads; says exactly what was searched.",
	Instructions: "search_messages finds words in recent messages and states what it searched.",
	Hints:        hints{readOnly: true, idempotent: true, openWorld: true},
	Handle:       searchMessages,
	Progress:     true,
})

// found is one matching message with its thread.
type found struct {
	t       inbox.Thread
	m       inbox.Message
	excerpt string
}

func searchMessages(c *Call, a SearchArgs) (*Answer[SearchResult], error) {
	m, err := newMatcher(a.Words)
	if err != nil {
		return nil, err
	}
	if len(m.phrases) == 0 {
		return nil, badInput("words is empty: give words or phrases to look for")
	}
	f := Filters(a.Where)
	since := c.Now.Add(-DefaultSearchWindow)
	if strings.TrimSpace(f.Since) != "" {
		if since, err = parseSince(f.Since, c.Now); err != nil {
			return nil, err
		}
	}
	q, err := c.threadQuery(f.listArgs())
	if err != nil {
		return nil, err
	}
	maxThreads := limitOr(a.MaxThreads, DefaultSearchThreads)
	threads, more, prioritized, err := c.searchCandidates(q, since, maxThreads, m)
	if err != nil {
		return nil, err
	}

	from := a.From
	if from == "" {
		from = fromAny
	}
	var (
		mu        sync.Mutex
		hits      []found
		notRead   []string
		read      int
		truncated int
	)
	prog := newProgress(c.Ctx, len(threads))
	w := window{since: since, max: searchPerThread}
	parallel(c.Ctx, len(threads), Workers, func(ctx context.Context, i int) {
		t := threads[i]
		ms, cut, err := w.read(ctx, c.B, t.ID)
		var local []found
		for _, msg := range ms {
			if msg.DeletedAt != nil || !wants(from, msg.Direction) {
				continue
			}
			if line, p, at := m.find(msg.Content); p != "" {
				local = append(local, found{t: t, m: msg, excerpt: excerptAround(line, at, len([]rune(p)), 160)})
			}
		}
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			notRead = append(notRead, t.ID+": "+Explain(err))
		} else {
			read++
			hits = append(hits, local...)
		}
		if cut {
			truncated++
		}
		prog.report(read+len(notRead), len(threads), "searched "+strconv.Itoa(read+len(notRead))+" of "+strconv.Itoa(len(threads))+" threads")
	})
	sort.Slice(hits, func(i, j int) bool { return hits[i].m.CreatedAt.After(hits[j].m.CreatedAt) })
	sort.Strings(notRead)

	out := SearchResult{Threads: read, Matches: len(hits), Hits: []SearchHit{}, NotRead: notRead}
	out.Searched = searchedText(searchScope{view: q.View, filtered: f.narrows(), since: since, now: c.Now, listed: len(threads),
		read: read, more: more, max: maxThreads, found: prioritized, words: m.shown, from: from, truncated: truncated, notRead: len(notRead)})
	for _, h := range hits[:min(len(hits), maxHits)] {
		sh := SearchHit{ThreadID: h.t.ID, Prospect: "@" + views.SanitizeLine(h.t.Prospect.Username), MessageID: h.m.ID,
			At: views.ISO(h.m.CreatedAt), From: author(h.m.Direction), Text: h.excerpt, Untrusted: h.m.Direction == inbox.Inbound}
		out.Hits = append(out.Hits, sh)
	}
	return result(out, searchText(out)), nil
}

// searchCandidates lists the threads to read, at most max: the most recently active ones
// in the window. When the window holds more and the API can search threads by text (v2),
// the threads of the window it finds for any phrase come first (found counts them) and
// the most recently active fill the rest. That search sees only names and each thread's
// last message, so it orders the reading but never replaces it: reading only its finds
// would miss every match in an earlier message.
func (c *Call) searchCandidates(q inbox.ThreadQuery, since time.Time, max int, m matcher) (threads []inbox.Thread, more bool, found int, err error) {
	list := func(q inbox.ThreadQuery) ([]inbox.Thread, bool, error) {
		fetch := activeSince(func(ctx context.Context, cur string, n int) (inbox.Page[inbox.Thread], error) {
			return c.B.ListThreads(ctx, q, cur, n)
		}, since, false)
		ts, next, err := inbox.Gather(c.Ctx, "", max, fetch, nil)
		return ts, next != "", err
	}
	recent, more, err := list(q)
	if err != nil || !more || !c.B.Features().ThreadSearch {
		return recent, more, 0, err
	}
	var first []inbox.Thread
	seen := map[string]bool{}
	for _, p := range m.shown {
		q.Text = p
		ts, _, err := list(q)
		if err != nil {
			return nil, false, 0, err
		}
		for _, t := range ts {
			if !seen[t.ID] {
				seen[t.ID] = true
				first = append(first, t)
			}
		}
	}
	sort.SliceStable(first, func(i, j int) bool { return activity(first[i]).After(activity(first[j])) })
	threads = first[:min(len(first), max)]
	found = len(threads)
	for _, t := range recent {
		if len(threads) == max {
			break
		}
		if !seen[t.ID] {
			threads = append(threads, t)
		}
	}
	return threads, true, found, nil
}

// searchScope is what a search read, for the statement of it.
type searchScope struct {
	view         inbox.View
	filtered     bool // filters beyond the view and the window
	since, now   time.Time
	listed, read int
	more         bool
	max, found   int
	words        []string
	from         string
	truncated    int
	notRead      int
}

// searchedText states what was searched, so that no absence of a match is implied for
// threads or messages that were not read.
func searchedText(s searchScope) string {
	var b strings.Builder
	b.WriteString("searched " + strconv.Itoa(s.read) + " thread(s) in " + viewPhrase(s.view))
	if s.filtered {
		b.WriteString(" matching the filters")
	}
	b.WriteString(" with activity since " + views.When(s.since, s.now))
	switch {
	case s.more && s.found > 0:
		b.WriteString("; more exist, so only " + strconv.Itoa(s.listed) + " were taken: the " + strconv.Itoa(s.found) +
			" whose name or last message the API's thread search matched, then the most recently active; narrow since or raise max_threads (at most " + strconv.Itoa(MaxSearchThreads) + ")")
	case s.more:
		b.WriteString("; only the " + strconv.Itoa(s.listed) + " most recently active were taken, more exist: narrow since or raise max_threads (at most " + strconv.Itoa(MaxSearchThreads) + ")")
	default:
		b.WriteString(" (all of them)")
	}
	b.WriteString("; for " + quoteList(s.words) + " in " + whose(s.from) + " messages since then, the newest " + strconv.Itoa(searchPerThread) + " per thread")
	if s.truncated > 0 {
		b.WriteString(" (" + strconv.Itoa(s.truncated) + " thread(s) had more; their older messages were not read)")
	}
	if s.notRead > 0 {
		b.WriteString("; " + strconv.Itoa(s.notRead) + " thread(s) not read (see not_read)")
	}
	return b.String()
}

func searchText(r SearchResult) string {
	var b strings.Builder
	b.WriteString(strings.ToUpper(r.Searched[:1]) + r.Searched[1:] + ".")
	for _, n := range r.NotRead {
		b.WriteString("\nnot read: " + n)
	}
	threads := map[string]bool{}
	for _, h := range r.Hits {
		threads[h.ThreadID] = true
	}
	if r.Matches == 0 {
		b.WriteString("\nNo message in what was searched contains the words.")
		return b.String()
	}
	b.WriteString("\n" + strconv.Itoa(r.Matches) + " matching message(s)")
	if len(r.Hits) < r.Matches {
		b.WriteString(", the newest " + strconv.Itoa(len(r.Hits)) + " shown (narrow since or the words for the rest)")
	}
	b.WriteString(":\n" + views.UntrustedNote)
	for _, h := range r.Hits {
		b.WriteString("\n- thread " + h.ThreadID + " " + h.Prospect + " · " + h.At + " · " + h.From + " · message " + h.MessageID + ": ")
		if h.Untrusted {
			b.WriteString(views.Quote(h.Text))
		} else {
			b.WriteString(h.Text)
		}
	}
	return b.String()
}
