package tools_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/inbox-mcp/inbox-mcp/tools"
)

// snapDir holds one JSON file per tool: what tools/list shows of it (name, description,
// annotations, input and output schema), so that every change of what the model sees is a
// change in a reviewed diff.
const snapDir = "testdata/toolsnaps"

const regenerate = "UPDATE_TOOLSNAPS=1 go test ./tools -run TestToolSnaps"

// TestToolSnaps fails when a tool's definition differs from its snapshot, or a snapshot
// names a tool that is gone. UPDATE_TOOLSNAPS=1 rewrites the snapshots instead; CI refuses
// to, so a stale snapshot fails there.
func TestToolSnaps(t *testing.T) {
	t.Parallel()
	update := os.Getenv("UPDATE_TOOLSNAPS") != ""
	if update && os.Getenv("CI") != "" {
		t.Fatal("UPDATE_TOOLSNAPS is set in CI: snapshots are regenerated and reviewed before a commit, never by CI")
	}
	want := map[string]bool{}
	for _, d := range tools.Definitions() {
		file := filepath.Join(snapDir, d.Name+".json")
		want[filepath.Base(file)] = true
		raw, err := json.Marshal(d.Tool)
		if err != nil {
			t.Fatalf("%s: %v", d.Name, err)
		}
		var got bytes.Buffer
		if err := json.Indent(&got, raw, "", "  "); err != nil {
			t.Fatalf("%s: %v", d.Name, err)
		}
		got.WriteByte('\n')
		if update {
			if err := os.MkdirAll(snapDir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(file, got.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		old, err := os.ReadFile(file)
		switch {
		case os.IsNotExist(err):
			t.Errorf("%s has no snapshot %s: create it with %s, and commit it", d.Name, file, regenerate)
		case err != nil:
			t.Error(err)
		case !bytes.Equal(old, got.Bytes()):
			t.Errorf("%s differs from its snapshot %s: if the change is meant, regenerate with %s and commit the diff. It is now:\n%s", d.Name, file, regenerate, got.String())
		}
	}
	files, err := os.ReadDir(snapDir)
	if err != nil && !update {
		t.Fatal(err)
	}
	for _, f := range files {
		if !want[f.Name()] {
			if update && strings.HasSuffix(f.Name(), ".json") {
				if err := os.Remove(filepath.Join(snapDir, f.Name())); err != nil {
					t.Fatal(err)
				}
				continue
			}
			t.Errorf("%s/%s is the snapshot of no tool: delete it (%s does)", snapDir, f.Name(), regenerate)
		}
	}
}
