package app_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/inbox-mcp/inbox-mcp/app"
	"github.com/inbox-mcp/inbox-mcp/inboxsim"
	"github.com/inbox-mcp/inbox-mcp/internal/testenv"
)

// fuzzTools are the read tools FuzzToolArguments calls: any arguments a model sends are
// decoded, resolved against the team's names and rendered, over HTTP against the simulator.
var fuzzTools = []string{"list_threads", "get_thread", "lookup_thread", "read_messages", "get_directory", "triage_digest", "search_messages"}

// FuzzToolArguments sends arbitrary JSON arguments to every read tool: the answer is a
// result or an error result that says what to fix, never a protocol error or a panic, and
// a result matches the tool's output schema.
//
//	go test ./app -run '^$' -fuzz '^FuzzToolArguments$' -fuzztime 30s
func FuzzToolArguments(f *testing.F) {
	h, stop, err := testenv.Start(app.Config{ReadOnly: true}, testenv.WithSim(func(o *inboxsim.Options) { o.Scale = 0.2 }))
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(stop)
	for i, args := range []string{
		`{"inbox":"no-reply","limit":3,"tags":["hot lead"],"since":"7d"}`,
		`{"thread_id":"zzzzzzzzzzzzzzzzzzzzzzzz"}`,
		`{"who":"@sakuraito","account":"@northwindhq"}`,
		`{"thread_id":"x","since":"NaNd","limit":1000,"cursor":"0123abcd.x"}`,
		`{}`,
		`{"limit":2,"where":{"statuses":["Qualified"],"assignees":["nobody"]}}`,
		`{"words":["pricing","\u202e"],"from":"prospect","max_threads":3,"where":{"since":"1w"}}`,
		`{"inbox":"default","assignees":["Marco"],"unassigned":true,"campaign":"none","sort":"oldest"}`,
		`{"who":"123456789012345678"}`,
		`{"who":"` + strings.Repeat("a", 30) + `"}`,
	} {
		f.Add(uint8(i), []byte(args))
	}
	f.Fuzz(func(t *testing.T, which uint8, raw []byte) {
		var args map[string]any
		if json.Unmarshal(raw, &args) != nil || args == nil {
			return
		}
		tool := fuzzTools[int(which)%len(fuzzTools)]
		res := h.Call(t, tool, args)
		text := testenv.Text(res)
		if res.IsError {
			if len(text) < 20 || strings.Contains(text, "Internal error in") || strings.Contains(text, "Unexpected error") {
				t.Fatalf("%s %s: %q", tool, raw, text)
			}
			return
		}
		h.CheckOutput(t, tool, res)
	})
}
