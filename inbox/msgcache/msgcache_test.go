package msgcache

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/inbox-mcp/inbox-mcp/inbox"
)

// fake is a backend of one team's threads, each with its messages newest first; it counts
// the message pages read.
type fake struct {
	inbox.Backend // nil: methods not overridden panic, which no test reaches
	mu            sync.Mutex
	msgs          map[string][]inbox.Message
	reads         int
	// during, when set, runs inside ListMessages before it answers.
	during func()
}

func newFake(threads ...string) *fake {
	f := &fake{msgs: map[string][]inbox.Message{}}
	for _, id := range threads {
		f.add(id, "hello")
	}
	return f
}

func (f *fake) add(thread, text string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := len(f.msgs[thread])
	m := inbox.Message{ID: thread + "-m" + strconv.Itoa(n), ThreadID: thread, Content: text,
		CreatedAt: time.Date(2026, 1, 1, 0, n, 0, 0, time.UTC)}
	f.msgs[thread] = append([]inbox.Message{m}, f.msgs[thread]...)
}

func (f *fake) thread(id string) inbox.Thread {
	f.mu.Lock()
	defer f.mu.Unlock()
	t := inbox.Thread{ID: id}
	if ms := f.msgs[id]; len(ms) > 0 {
		t.LastMessage = &inbox.MessageSummary{ID: ms[0].ID, CreatedAt: ms[0].CreatedAt}
		t.LastMessageAt = ms[0].CreatedAt
	}
	return t
}

func (f *fake) ListThreads(_ context.Context, _ inbox.ThreadQuery, _ string, _ int) (inbox.Page[inbox.Thread], error) {
	f.mu.Lock()
	ids := make([]string, 0, len(f.msgs))
	for id := range f.msgs {
		ids = append(ids, id)
	}
	f.mu.Unlock()
	var p inbox.Page[inbox.Thread]
	for _, id := range ids {
		p.Items = append(p.Items, f.thread(id))
	}
	return p, nil
}

func (f *fake) GetThread(_ context.Context, id string) (inbox.Thread, error) {
	return f.thread(id), nil
}

func (f *fake) ListMessages(_ context.Context, threadID, cursor string, limit int) (inbox.Page[inbox.Message], error) {
	if f.during != nil {
		f.during()
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.reads++
	ms := f.msgs[threadID]
	start, _ := strconv.Atoi(cursor)
	end := min(len(ms), start+limit)
	p := inbox.Page[inbox.Message]{Items: append([]inbox.Message(nil), ms[start:end]...)}
	if end < len(ms) {
		p.Next = strconv.Itoa(end)
	}
	return p, nil
}

func (f *fake) Send(_ context.Context, r inbox.SendRequest) inbox.SendResult {
	f.add(r.ThreadID, r.Content)
	return inbox.SendResult{Outcome: inbox.Sent, ThreadID: r.ThreadID}
}

func (f *fake) EditMessage(_ context.Context, threadID, messageID, content string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i := range f.msgs[threadID] {
		if f.msgs[threadID][i].ID == messageID {
			f.msgs[threadID][i].Content = content
		}
	}
	return nil
}

func (f *fake) React(context.Context, string, string, string, bool) error { return nil }

func (f *fake) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.reads
}

// clock is a fake clock the test moves.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func read(t *testing.T, b inbox.Backend, thread string) []inbox.Message {
	t.Helper()
	p, err := b.ListMessages(context.Background(), thread, "", 10)
	if err != nil {
		t.Fatal(err)
	}
	return p.Items
}

func listAll(t *testing.T, b inbox.Backend) {
	t.Helper()
	if _, err := b.ListThreads(context.Background(), inbox.ThreadQuery{}, "", 100); err != nil {
		t.Fatal(err)
	}
}

func TestCache(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct {
		name string
		// run reads, lists and writes through b (the fake is f), and returns the number of
		// API reads it expects in all.
		run func(t *testing.T, b inbox.Backend, f *fake, clk *clock) int
	}{
		{"an unchanged thread is read once", func(t *testing.T, b inbox.Backend, _ *fake, _ *clock) int {
			listAll(t, b)
			read(t, b, "a")
			listAll(t, b)
			read(t, b, "a")
			return 1
		}},
		{"a thread no listing showed goes to the API", func(t *testing.T, b inbox.Backend, _ *fake, _ *clock) int {
			read(t, b, "a")
			read(t, b, "a")
			return 2
		}},
		{"a thread read shows the key too", func(t *testing.T, b inbox.Backend, _ *fake, _ *clock) int {
			if _, err := b.GetThread(ctx, "a"); err != nil {
				t.Fatal(err)
			}
			read(t, b, "a")
			read(t, b, "a")
			return 1
		}},
		{"a new message in the listing drops the pages", func(t *testing.T, b inbox.Backend, f *fake, _ *clock) int {
			listAll(t, b)
			read(t, b, "a")
			f.add("a", "from elsewhere")
			listAll(t, b)
			if ms := read(t, b, "a"); ms[0].Content != "from elsewhere" {
				t.Errorf("read %q after a new message", ms[0].Content)
			}
			return 2
		}},
		{"a send drops the thread until listed again", func(t *testing.T, b inbox.Backend, _ *fake, _ *clock) int {
			listAll(t, b)
			read(t, b, "a")
			b.Send(ctx, inbox.SendRequest{ThreadID: "a", Content: "ours"})
			if ms := read(t, b, "a"); ms[0].Content != "ours" {
				t.Errorf("read %q after our send", ms[0].Content)
			}
			read(t, b, "a")
			listAll(t, b)
			read(t, b, "a")
			read(t, b, "a")
			return 4
		}},
		{"an edit drops the pages", func(t *testing.T, b inbox.Backend, _ *fake, _ *clock) int {
			listAll(t, b)
			read(t, b, "a")
			if err := b.EditMessage(ctx, "a", "a-m0", "edited"); err != nil {
				t.Fatal(err)
			}
			if ms := read(t, b, "a"); ms[0].Content != "edited" {
				t.Errorf("read %q after our edit", ms[0].Content)
			}
			read(t, b, "a")
			return 2
		}},
		{"a reaction drops the pages", func(t *testing.T, b inbox.Backend, _ *fake, _ *clock) int {
			listAll(t, b)
			read(t, b, "a")
			_ = b.React(ctx, "a", "a-m0", "👍", true)
			read(t, b, "a")
			return 2
		}},
		{"pages expire", func(t *testing.T, b inbox.Backend, _ *fake, clk *clock) int {
			listAll(t, b)
			read(t, b, "a")
			clk.t = clk.t.Add(time.Minute)
			listAll(t, b)
			read(t, b, "a") // the page is a minute old, the TTL two
			clk.t = clk.t.Add(61 * time.Second)
			listAll(t, b)
			read(t, b, "a") // 121 s old: read again
			return 2
		}},
		{"a listing too old is not trusted", func(t *testing.T, b inbox.Backend, _ *fake, clk *clock) int {
			listAll(t, b)
			clk.t = clk.t.Add(2 * time.Minute)
			read(t, b, "a")
			read(t, b, "a")
			return 2
		}},
		{"bypass reads the API", func(t *testing.T, b inbox.Backend, _ *fake, _ *clock) int {
			listAll(t, b)
			read(t, b, "a")
			if _, err := b.ListMessages(Bypass(ctx), "a", "", 10); err != nil {
				t.Fatal(err)
			}
			read(t, b, "a")
			return 2
		}},
		{"other cursors and limits are other pages", func(t *testing.T, b inbox.Backend, f *fake, _ *clock) int {
			for i := range 5 {
				f.add("a", "more "+strconv.Itoa(i))
			}
			listAll(t, b)
			for range 2 {
				p, _ := b.ListMessages(ctx, "a", "", 2)
				_, _ = b.ListMessages(ctx, "a", p.Next, 2)
				_, _ = b.ListMessages(ctx, "a", "", 3)
			}
			return 3
		}},
		{"a read that overlapped a write is not kept", func(t *testing.T, b inbox.Backend, f *fake, _ *clock) int {
			listAll(t, b)
			f.during = func() {
				f.during = nil
				_ = b.React(ctx, "a", "a-m0", "👍", true)
			}
			read(t, b, "a")
			read(t, b, "a")
			return 2
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake("a", "b")
			clk := &clock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
			b := New(Options{TTL: 2 * time.Minute, Now: clk.now}).Wrap(f, "team")
			want := tt.run(t, b, f, clk)
			if got := f.count(); got != want {
				t.Errorf("%d reads of the API; want %d", got, want)
			}
		})
	}
}

// TestCacheTeams: a team never reads another team's pages, even of a thread with the same ID.
func TestCacheTeams(t *testing.T) {
	c := New(Options{})
	fa, fb := newFake("a"), newFake("a")
	fb.add("a", "team b's secret")
	fa.msgs["a"][0].ID = fb.msgs["a"][0].ID // the same keys, as a listing would show them
	a, b := c.Wrap(fa, "team-a"), c.Wrap(fb, "team-b")
	listAll(t, a)
	listAll(t, b)
	read(t, a, "a")
	if ms := read(t, b, "a"); ms[0].Content != "team b's secret" {
		t.Errorf("team b read %q", ms[0].Content)
	}
	if ms := read(t, a, "a"); ms[0].Content == "team b's secret" {
		t.Error("team a read team b's page")
	}
	if fa.count() != 1 || fb.count() != 1 {
		t.Errorf("reads %d and %d; want 1 each", fa.count(), fb.count())
	}
}

// TestCacheBounds: the least recently used pages go first when the entries or the bytes
// exceed their bounds; a page larger than the byte bound is not kept at all.
func TestCacheBounds(t *testing.T) {
	f := newFake()
	for i := range 10 {
		f.add("t"+strconv.Itoa(i), strings.Repeat("x", 1000))
	}
	f.add("big", strings.Repeat("y", 100_000))
	for _, tt := range []struct {
		name              string
		entries, bytes    int
		wantN, wantMaxRaw int
	}{
		{"entries", 4, 1 << 30, 4, 1 << 30},
		{"bytes", 1000, 5000, 3, 5000},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := New(Options{MaxEntries: tt.entries, MaxBytes: tt.bytes})
			b := c.Wrap(f, "team")
			listAll(t, b)
			for i := range 10 {
				read(t, b, "t"+strconv.Itoa(i))
			}
			read(t, b, "big")
			n, size := c.Len()
			if n != tt.wantN || size > tt.wantMaxRaw {
				t.Fatalf("%d pages of %d bytes; want %d within %d bytes", n, size, tt.wantN, tt.wantMaxRaw)
			}
			before := f.count()
			read(t, b, "t9") // the most recently used is kept
			if f.count() != before {
				t.Error("the most recently used page was dropped")
			}
			read(t, b, "t0")
			if f.count() != before+1 {
				t.Error("the least recently used page was kept")
			}
		})
	}
}
