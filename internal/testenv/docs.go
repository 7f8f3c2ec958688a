package testenv

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The README and the other documents are checked against the code by the tests of the
// binaries they describe (cmd/inbox-mcp, cmd/inbox-sim): these read them.

// RepoFile returns a file of the repository, named by its path from the module's root (the
// nearest folder above the test's own with a go.mod).
func RepoFile(t testing.TB, name string) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's folder: run the tests inside the module")
		}
		dir = parent
	}
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// Section returns the part of a markdown text under a heading, up to the next heading of
// the same level.
func Section(t testing.TB, text, heading string) string {
	t.Helper()
	_, rest, ok := strings.Cut(text, "\n"+heading+"\n")
	if !ok {
		t.Fatalf("no section %q", heading)
	}
	level := heading[:strings.IndexByte(heading, ' ')+1]
	body, _, _ := strings.Cut(rest, "\n"+level)
	return body
}

var flagLine = regexp.MustCompile(`(?m)^  -([a-z][a-z-]*)`)

// FlagsIn reads the flag names out of a Go flag package usage text.
func FlagsIn(usage string) []string {
	var out []string
	for _, m := range flagLine.FindAllStringSubmatch(usage, -1) {
		out = append(out, m[1])
	}
	return out
}
