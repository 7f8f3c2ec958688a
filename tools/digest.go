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

// NameTriageDigest is the name of the triage_digest tool.
const NameTriageDigest = "triage_digest"

// Bounds of triage_digest. A digest is read whole by the model, so every part is short: a
// few recent messages per thread, each cut to a few lines, and a bio excerpt.
const (
	DefaultDigest = 60
	MaxDigest     = 200
	// digestShown is how many of the prospect's unanswered messages a thread shows.
	digestShown = 5
	// digestPage is how many messages one request reads, to find our last reply.
	digestPage  = 20
	digestChars = 300
	digestBio   = 100
)

// DigestArgs are the arguments of triage_digest.
type DigestArgs struct {
	Where Where `json:"where,omitempty" jsonschema_description:"list_threads' filters, described there; inbox no-reply (default) or all."`
	Limit int   `json:"limit,omitempty" jsonschema:"minimum=1,maximum=200" jsonschema_description:"Default 60."`
}

// Digest is the result of triage_digest.
type Digest struct {
	Threads []DigestThread `json:"threads"`
	Count   int            `json:"count"`
	HasMore bool           `json:"has_more"`
}

// DigestThread is one thread awaiting our reply. Untrusted is always true: the card and
// the messages hold the prospect's own words.
type DigestThread struct {
	ID       string `json:"id"`
	Account  string `json:"account"`
	Waiting  string `json:"waiting"`
	Prospect Card   `json:"prospect"`
	// Messages are the prospect's messages since our last reply, oldest first.
	Messages []DigestMessage `json:"messages"`
	// Earlier counts the unanswered messages before those shown ("20+" style when at least).
	Earlier   string `json:"earlier,omitempty"`
	Error     string `json:"error,omitempty"`
	Untrusted bool   `json:"untrusted"`
}

// Card is a short prospect profile. It has no ID of its own: the thread ID names the
// prospect to every tool that changes their record.
type Card struct {
	Name      string   `json:"name,omitempty"`
	Username  string   `json:"username,omitempty"`
	Bio       string   `json:"bio,omitempty"`
	Followers int64    `json:"followers"`
	Status    string   `json:"status,omitempty"`
	Tags      []string `json:"tags,omitempty"`
	Valuation *float64 `json:"valuation,omitempty"`
}

// DigestMessage is one of the prospect's messages, possibly shortened.
type DigestMessage struct {
	Ago  string `json:"ago"`
	Text string `json:"text"`
}

// triageDigestTool is triage_digest: every thread awaiting our reply with what is needed to
// summarize it, in one call.
var triageDigestTool = declare(Spec[DigestArgs, Digest]{
	Name:         NameTriageDigest,
	Toolset:      "workflows",
	Description:  "Threads awaiting our reply, longest wait first, with a prospect card and their messages since our last reply.",
	Instructions: "- triage_digest returns every thread awaiting our reply with the prospect's unanswered messages in one call: prefer it to list_threads plus read_messages per thread.",
	Hints:        hints{readOnly: true, idempotent: true, openWorld: true},
	Handle:       triageDigest,
	Progress:     true,
})

// unanswered is what was read of one thread: the prospect's messages since our last reply.
type unanswered struct {
	msgs    []inbox.Message // newest first
	earlier int             // unanswered messages not kept
	atLeast bool            // the reading stopped before our last reply
	err     error
}

// firstAt is when the prospect started waiting: their oldest unanswered message read.
func (u unanswered) firstAt(t inbox.Thread) time.Time {
	if len(u.msgs) > 0 {
		return u.msgs[len(u.msgs)-1].CreatedAt
	}
	return t.LastMessageAt
}

func triageDigest(c *Call, a DigestArgs) (*Answer[Digest], error) {
	f := Filters(a.Where)
	switch inbox.View(f.Inbox) {
	case "":
		f.Inbox = string(inbox.ViewNoReply)
	case inbox.ViewNoReply, inbox.ViewAll:
	default:
		return nil, badInput("triage_digest reads the no-reply view, or all views for every thread whose prospect wrote last: leave where.inbox out or pass all, or use list_threads for the %s view", f.Inbox)
	}
	q, err := c.threadQuery(f.listArgs())
	if err != nil {
		return nil, err
	}
	q.Ascending = true
	since, err := parseSince(f.Since, c.Now)
	if err != nil {
		return nil, err
	}
	fetch := func(ctx context.Context, cur string, n int) (inbox.Page[inbox.Thread], error) {
		return c.B.ListThreads(ctx, q, cur, n)
	}
	if !since.IsZero() {
		fetch = activeSince(fetch, since, true)
	}
	if q.View == inbox.ViewAll {
		// The no-reply view is the default view's threads the prospect wrote last; in every
		// view, those are found here.
		fetch = keepThreads(fetch, func(t inbox.Thread) bool {
			return t.LastMessage != nil && t.LastMessage.Direction == inbox.Inbound
		})
	}
	threads, next, err := inbox.Gather(c.Ctx, "", limitOr(a.Limit, DefaultDigest), fetch, nil)
	if err != nil {
		return nil, err
	}
	reads := make([]unanswered, len(threads))
	prog := newProgress(c.Ctx, len(threads))
	var (
		mu   sync.Mutex
		done int
	)
	parallel(c.Ctx, len(threads), Workers, func(ctx context.Context, i int) {
		reads[i] = readUnanswered(ctx, c.B, threads[i].ID)
		mu.Lock()
		defer mu.Unlock()
		done++
		prog.report(done, len(threads), "read "+strconv.Itoa(done)+" of "+strconv.Itoa(len(threads))+" threads")
	})
	order := make([]int, len(threads))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(x, y int) bool {
		return reads[order[x]].firstAt(threads[order[x]]).Before(reads[order[y]].firstAt(threads[order[y]]))
	})
	r, err := c.Renderer(ThreadIDs(threads...))
	if err != nil {
		return nil, err
	}
	out := Digest{Threads: make([]DigestThread, 0, len(threads)), Count: len(threads), HasMore: next != ""}
	for _, i := range order {
		out.Threads = append(out.Threads, digestThread(r, threads[i], reads[i]))
	}
	return result(out, digestText(out)), nil
}

// readUnanswered reads the newest page of a thread and keeps the prospect's messages after
// our last one. One request per thread: a page reaches back digestPage messages.
func readUnanswered(ctx context.Context, b inbox.Backend, threadID string) unanswered {
	var u unanswered
	if u.err = ctx.Err(); u.err != nil {
		return u
	}
	page, err := b.ListMessages(ctx, threadID, "", digestPage)
	if err != nil {
		u.err = err
		return u
	}
	run, answered := 0, false
	for _, m := range page.Items {
		if m.Direction == inbox.Outbound {
			answered = true
			break
		}
		if m.DeletedAt != nil {
			continue
		}
		run++
		if len(u.msgs) < digestShown {
			u.msgs = append(u.msgs, m)
		}
	}
	u.earlier = run - len(u.msgs)
	u.atLeast = !answered && page.Next != ""
	return u
}

// digestThread renders one thread of the digest.
func digestThread(r views.Renderer, t inbox.Thread, u unanswered) DigestThread {
	d := DigestThread{ID: t.ID, Account: r.Account(t.AccountID), Untrusted: true, Messages: []DigestMessage{}}
	waited := views.Short(r.Now.Sub(u.firstAt(t)))
	if u.atLeast {
		waited = "at least " + waited
	}
	d.Waiting = waited
	p := t.Prospect
	d.Prospect = Card{Name: views.SanitizeLine(p.DisplayName), Username: views.SanitizeLine(p.Username),
		Followers: p.Followers, Status: r.Status(p.Context.StatusID), Tags: r.Tags(p.Context.TagIDs), Valuation: p.Context.Valuation}
	d.Prospect.Bio, _ = views.Shorten(p.Bio, digestBio)
	if u.err != nil {
		d.Error = "messages not read: " + Explain(u.err)
		if t.LastMessage != nil {
			text, _ := views.Shorten(t.LastMessage.Content, digestChars)
			d.Messages = append(d.Messages, DigestMessage{Ago: views.Ago(t.LastMessage.CreatedAt, r.Now), Text: text})
		}
		return d
	}
	for i := len(u.msgs) - 1; i >= 0; i-- {
		m := u.msgs[i]
		text, _ := views.Shorten(m.Content, digestChars)
		d.Messages = append(d.Messages, DigestMessage{Ago: views.Ago(m.CreatedAt, r.Now), Text: text})
	}
	if u.earlier > 0 || u.atLeast {
		d.Earlier = strconv.Itoa(u.earlier)
		if u.atLeast {
			d.Earlier += "+"
		}
	}
	return d
}

// digestText renders the digest: one header line per thread, the bio and the messages
// quoted beneath it.
func digestText(d Digest) string {
	var b strings.Builder
	switch {
	case d.Count == 0:
		return "No thread awaits our reply with these filters."
	case d.HasMore:
		b.WriteString(strconv.Itoa(d.Count) + " threads awaiting our reply (the longest-waiting; more exist: raise limit, max " + strconv.Itoa(MaxDigest) + ", or filter by account/assignee), longest wait first.")
	default:
		b.WriteString(strconv.Itoa(d.Count) + " threads awaiting our reply, longest wait first.")
	}
	b.WriteString("\n" + views.UntrustedNote)
	for i, t := range d.Threads {
		p := t.Prospect
		b.WriteString("\n" + strconv.Itoa(i+1) + ". " + t.ID + " · " + quotedProspect(p.Name, p.Username) + " · on " + t.Account +
			" · waiting " + t.Waiting + " · " + strconv.FormatInt(p.Followers, 10) + " followers")
		if p.Status != "" {
			b.WriteString(" · status " + p.Status)
		}
		if len(p.Tags) > 0 {
			b.WriteString(" · tags " + strings.Join(p.Tags, ", "))
		}
		if p.Valuation != nil {
			b.WriteString(" · valuation " + strconv.FormatFloat(*p.Valuation, 'f', -1, 64))
		}
		if p.Bio != "" {
			b.WriteString("\n   bio " + views.Quote(p.Bio))
		}
		if t.Earlier != "" {
			b.WriteString("\n   (" + t.Earlier + " earlier unanswered message(s) not shown)")
		}
		for _, m := range t.Messages {
			b.WriteString("\n   " + m.Ago + " " + views.Quote(m.Text))
		}
		if t.Error != "" {
			b.WriteString("\n   " + t.Error)
		}
	}
	return b.String()
}
