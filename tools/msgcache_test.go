package tools_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/inbox-mcp/inbox-mcp/app"
	"github.com/inbox-mcp/inbox-mcp/internal/testenv"
	"github.com/inbox-mcp/inbox-mcp/tools"
)

// pageReads counts the message pages read from the API, by request (path and query).
type pageReads struct {
	base http.RoundTripper
	mu   sync.Mutex
	n    map[string]int
}

func (p *pageReads) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/messages") {
		p.mu.Lock()
		p.n[r.URL.Path+"?"+r.URL.RawQuery]++
		p.mu.Unlock()
	}
	return p.base.RoundTrip(r)
}

// take returns the reads counted since the last take, and starts counting afresh.
func (p *pageReads) take() map[string]int {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := p.n
	p.n = map[string]int{}
	return out
}

func countPages(p *pageReads) testenv.Option {
	return testenv.WithTransport(func(base http.RoundTripper) http.RoundTripper {
		p.base, p.n = base, map[string]int{}
		return p
	})
}

func total(reads map[string]int) int {
	n := 0
	for _, c := range reads {
		n += c
	}
	return n
}

// TestMessageCacheBulkDryRunThenRun: a bulk change by words, dry run and then run, reads
// each candidate thread's messages once: the run finds the same threads unchanged.
func TestMessageCacheBulkDryRunThenRun(t *testing.T) {
	t.Parallel()
	reads := &pageReads{}
	testenv.ForVersions(t, app.Config{ConfirmSends: tools.ConfirmOff}, func(t *testing.T, h *testenv.Harness) {
		args := func(dry bool) map[string]any {
			return map[string]any{"where": map[string]any{"since": "14d"}, "words": []any{"pricing"}, "add_tags": []any{"Hot Lead"}, "dry_run": dry}
		}
		reads.take()
		dry := bulk(t, h, args(true))
		first := reads.take()
		run := bulk(t, h, args(false))
		second := reads.take()
		if dry.Matched == 0 || run.Matched != dry.Matched || run.Failed != 0 {
			t.Fatalf("dry run matched %d, the run %d (failed %d)", dry.Matched, run.Matched, run.Failed)
		}
		if len(first) == 0 {
			t.Fatal("the dry run read no messages")
		}
		for req, n := range first {
			if n != 1 {
				t.Errorf("the dry run read %s %d times", req, n)
			}
		}
		t.Logf("the dry run read %d message pages of %d threads, the run %d", total(first), len(first), total(second))
		if len(second) != 0 {
			t.Errorf("the run read %d message pages again (of %d the dry run read): %v", total(second), total(first), second)
		}
	}, countPages(reads))
}

// TestMessageCacheSeesNewMessage: a message that arrives in a thread between two digests
// (through another client, straight to the API) is in the second digest, which reads that
// thread alone again.
func TestMessageCacheSeesNewMessage(t *testing.T) {
	t.Parallel()
	reads := &pageReads{}
	testenv.ForVersions(t, app.Config{}, func(t *testing.T, h *testenv.Harness) {
		all := map[string]any{"limit": tools.MaxDigest}
		reads.take()
		d := digest(t, h, all)
		if len(d.Threads) < 2 || d.HasMore || total(reads.take()) == 0 {
			t.Fatalf("the first digest: %d threads, has_more %v", len(d.Threads), d.HasMore)
		}
		th := d.Threads[len(d.Threads)/2]
		const text = "Any update on the contract? Asking again."
		if err := h.Sim.Sim.ReceiveMessage(context.Background(), th.ID, text); err != nil {
			t.Fatal(err)
		}
		again := digest(t, h, all)
		second := reads.take()
		var found bool
		for _, dt := range again.Threads {
			if dt.ID == th.ID {
				found = len(dt.Messages) > 0 && dt.Messages[len(dt.Messages)-1].Text == text
			}
		}
		if !found {
			t.Errorf("the second digest lacks the new message of thread %s", th.ID)
		}
		if len(second) != 1 || !strings.Contains(keyOf(second), th.ID) {
			t.Errorf("the second digest read %v; want thread %s alone", second, th.ID)
		}
	}, countPages(reads))
}

func keyOf(m map[string]int) string {
	for k := range m {
		return k
	}
	return ""
}

// TestMessageCacheSendInvalidates: reading a thread twice reads its messages once; a send
// through the server drops the thread, so the next read shows the message sent.
func TestMessageCacheSendInvalidates(t *testing.T) {
	t.Parallel()
	reads := &pageReads{}
	testenv.ForVersions(t, app.Config{ConfirmSends: tools.ConfirmOff}, func(t *testing.T, h *testenv.Harness) {
		th := noReplyThread(t, h)
		read := func() tools.MessageList {
			return testenv.Decode[tools.MessageList](t, h.CallOK(t, tools.NameReadMessages, map[string]any{"thread_id": th.ID}))
		}
		reads.take()
		read()
		if n := total(reads.take()); n == 0 {
			t.Fatal("the first read read no messages")
		}
		read()
		if n := total(reads.take()); n != 0 {
			t.Errorf("the second read of an unchanged thread read %d pages; want none", n)
		}
		const text = "Thanks, sending the proposal today."
		if out := testenv.Decode[tools.SendOutcome](t, h.CallOK(t, tools.NameSendReply, map[string]any{"thread_id": th.ID, "text": text})); out.Outcome != "sent" {
			t.Fatalf("send: %+v", out)
		}
		reads.take()
		got := read()
		if n := total(reads.take()); n == 0 {
			t.Error("the read after a send read nothing from the API")
		}
		if len(got.Messages) == 0 || got.Messages[len(got.Messages)-1].Text != text {
			t.Errorf("the read after a send lacks the message sent: %+v", got.Messages[len(got.Messages)-1])
		}
	}, countPages(reads))
}
