package tools_test

import (
	"strings"
	"testing"

	"github.com/inbox-mcp/inbox-mcp/internal/testenv"
)

// TestIDArgumentsSayWhatToPass: an argument that must be an Inbox ID but holds a name or a
// typo is refused by the tool with advice, not by the API client with an error meant for
// programmers (found by FuzzToolArguments).
func TestIDArgumentsSayWhatToPass(t *testing.T) {
	t.Parallel()
	testenv.EachVersion(t, shared, func(t *testing.T, h *testenv.Harness) {
		for _, c := range []struct {
			tool  string
			args  map[string]any
			wants []string
		}{
			{"read_messages", map[string]any{"thread_id": "Jordan Rivera"}, []string{`thread_id "Jordan Rivera" is not a thread ID`, "lookup_thread"}},
			{"get_thread", map[string]any{"thread_id": "A00000000000000000000000"}, []string{"is not a thread ID", "list_threads"}},
			{"list_threads", map[string]any{"campaign": "Spring Promo"}, []string{`campaign "Spring Promo" is not a campaign ID`, "none"}},
			{"send_reply", map[string]any{"thread_id": "abc", "text": "hi", "reply_to": "the last one"}, []string{`reply_to "the last one" is not a message ID`, "read_messages"}},
		} {
			if text := wantError(t, h, c.tool, c.args, c.wants...); strings.Contains(text, "Unexpected error") {
				t.Errorf("%s: %q", c.tool, text)
			}
		}
	})
}
