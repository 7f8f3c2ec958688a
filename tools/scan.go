package tools

import (
	"context"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/inbox-mcp/inbox-mcp/inbox"
	"github.com/inbox-mcp/inbox-mcp/views"
)

// Workers bounds how many API requests one tool call has in flight. The client's rate
// limiter paces them; a few in flight hide the round-trip time, many would only queue.
const Workers = 8

// parallel calls fn for every index in [0, n), at most workers at a time, and returns when
// all calls returned. fn sees ctx and decides itself what a canceled context means for its
// item: callers record every item's outcome, so none is dropped.
func parallel(ctx context.Context, n, workers int, fn func(ctx context.Context, i int)) {
	if workers < 1 {
		workers = 1
	}
	sem := make(chan struct{}, workers)
	var wg sync.WaitGroup
	for i := range n {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			fn(ctx, i)
		}()
	}
	wg.Wait()
}

// window is the part of a thread's history a scan reads: messages at or after since (zero:
// no bound), newest first, at most max of them.
type window struct {
	since time.Time
	max   int
}

// read returns the thread's messages in the window, newest first, and whether messages
// in the window were left unread because of max.
func (w window) read(ctx context.Context, b inbox.Backend, threadID string) ([]inbox.Message, bool, error) {
	var stop func(inbox.Message) bool
	if !w.since.IsZero() {
		stop = func(m inbox.Message) bool { return m.CreatedAt.Before(w.since) }
	}
	ms, next, err := inbox.Gather(ctx, "", w.max, func(ctx context.Context, cur string, n int) (inbox.Page[inbox.Message], error) {
		return b.ListMessages(ctx, threadID, cur, n)
	}, stop)
	return ms, next != "", err
}

// Who wrote the messages a word search looks at.
const (
	fromProspect = "prospect"
	fromUs       = "us"
	fromAny      = "any"
)

// wants reports whether a message's author is one a search with from looks at.
func wants(from string, d inbox.Direction) bool {
	switch from {
	case fromUs:
		return d == inbox.Outbound
	case fromAny:
		return true
	}
	return d == inbox.Inbound
}

// matcher finds any of a set of words or phrases in message text, ignoring case and runs of
// whitespace.
type matcher struct {
	phrases []string // folded
	shown   []string // as given, for reporting
}

// newMatcher folds the phrases; an empty phrase is an input error.
func newMatcher(words []string) (matcher, error) {
	var m matcher
	seen := map[string]bool{}
	for _, w := range words {
		f := fold(views.SanitizeLine(w))
		if f == "" {
			return m, badInput("words has an empty entry: give words or phrases such as \"pricing\" or \"book a demo\"")
		}
		if !seen[f] {
			seen[f] = true
			m.phrases = append(m.phrases, f)
			m.shown = append(m.shown, views.SanitizeLine(w))
		}
	}
	return m, nil
}

// fold lowercases rune by rune, which keeps rune positions: a match found in the folded text
// is at the same rune offset in the original.
func fold(s string) string {
	return strings.Map(unicode.ToLower, s)
}

// find returns the sanitized one-line text, the first phrase found in it and the rune
// offset of the match; phrase is "" when none occurs.
func (m matcher) find(text string) (line, phrase string, at int) {
	line = views.SanitizeLine(text)
	low := fold(line)
	best := -1
	for _, p := range m.phrases {
		if i := strings.Index(low, p); i >= 0 && (best < 0 || i < best) {
			best, phrase = i, p
		}
	}
	if best < 0 {
		return line, "", 0
	}
	return line, phrase, utf8.RuneCountInString(low[:best])
}

// excerptAround cuts a one-line text to about width runes around a match at rune offset at
// of length n runes, marking cuts with "…", so a long message shows where it matched.
func excerptAround(line string, at, n, width int) string {
	rs := []rune(line)
	if len(rs) <= width {
		return line
	}
	start := max(0, at-(width-n)/3)
	end := min(len(rs), start+width)
	start = max(0, end-width)
	out := strings.TrimSpace(string(rs[start:end]))
	if start > 0 {
		out = "…" + out
	}
	if end < len(rs) {
		out += "…"
	}
	return out
}
