package app_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/inbox-mcp/inbox-mcp/app"
	"github.com/inbox-mcp/inbox-mcp/tools"
)

// TestInstructionsText holds the server instructions, which are put together from the tools'
// definitions, to the text in testdata/instructions for each kind of server: a change shows
// in a diff. UPDATE_TOOLSNAPS=1 rewrites the files.
func TestInstructionsText(t *testing.T) {
	cases := map[string]app.Config{
		"all":                {},
		"read-only":          {ReadOnly: true},
		"confirm-off":        {ConfirmSends: tools.ConfirmOff},
		"some-tools":         {Tools: tools.Selection{Toolsets: []string{"threads", "directory"}}},
		"some-read-only":     {ReadOnly: true, Tools: tools.Selection{Tools: []string{"read_messages", "lookup_thread"}}},
		"no-writes-selected": {Tools: tools.Selection{Toolsets: []string{"messages"}, Exclude: []string{"send_reply"}}},
	}
	for name, cfg := range cases {
		t.Run(name, func(t *testing.T) {
			got := initialize(t, newServer(t, cfg)).Instructions
			file := filepath.Join("testdata", "instructions", name+".txt")
			if os.Getenv("UPDATE_TOOLSNAPS") != "" {
				if os.Getenv("CI") != "" {
					t.Fatal("UPDATE_TOOLSNAPS is set in CI: the files are regenerated and reviewed before a commit, never by CI")
				}
				if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(file, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(file)
			if err != nil {
				t.Fatalf("%v: regenerate with UPDATE_TOOLSNAPS=1 go test ./app -run TestInstructionsText", err)
			}
			if got != string(want) {
				t.Fatalf("the instructions differ from %s (if the change is meant, regenerate with UPDATE_TOOLSNAPS=1 go test ./app -run TestInstructionsText and review the diff):\n%s", file, got)
			}
		})
	}
}
