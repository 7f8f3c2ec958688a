package tools_test

import (
	"bytes"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/inbox-mcp/inbox-mcp/app"
	"github.com/inbox-mcp/inbox-mcp/internal/testenv"
)

// lockedBuffer is a log sink safe for concurrent handlers.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Len()
}

// TestHugeArgumentsAreNotEchoed: a 256 KB argument is quoted back shortened, in the result and
// in the debug logs.
func TestHugeArgumentsAreNotEchoed(t *testing.T) {
	t.Parallel()
	logs := &lockedBuffer{}
	logger := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	h := testenv.New(t, app.Config{Logger: logger})
	huge := strings.Repeat("x", 256<<10) // far over every cap; a megabyte only makes the test slower
	calls := []struct {
		tool string
		args map[string]any
	}{
		{"get_thread", map[string]any{"thread_id": huge}},
		{"manage_thread", map[string]any{"thread_id": huge, "action": "archive"}},
		{"manage_thread", map[string]any{"thread_id": "abc", "action": "assign", "member": huge}},
		{"list_threads", map[string]any{"account": huge}},
		{"list_threads", map[string]any{"tags": []string{huge}}},
		{"list_threads", map[string]any{"since": huge}},
		{"read_messages", map[string]any{"thread_id": huge}},
		{"lookup_thread", map[string]any{"who": huge}},
		{"update_prospect_context", map[string]any{"prospect": huge, "add_tags": []string{"Hot Lead"}}},
		{"update_prospect_context", map[string]any{"prospect": "@nobody", "add_tags": []string{huge}}},
		{"manage_labels", map[string]any{"kind": "tag", "action": "delete", "name": huge}},
		{"send_reply", map[string]any{"thread_id": huge, "text": "hi"}},
		{"bulk_update_prospects", map[string]any{"prospects": []string{huge}, "add_tags": []string{"Pricing"}, "dry_run": true}},
		{"search_messages", map[string]any{"words": []string{"x"}, "where": map[string]any{"account": huge}}},
	}
	for _, c := range calls {
		before := logs.Len()
		res := h.Call(t, c.tool, c.args)
		if n := len(testenv.Text(res)); n > 4000 {
			t.Errorf("%s: the answer is %d bytes: %.200s…", c.tool, n, testenv.Text(res))
		}
		if n := logs.Len() - before; n > 8000 {
			t.Errorf("%s: %d bytes of logs", c.tool, n)
		}
	}
}
