package tools_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/inbox-mcp/inbox-mcp/app"
	"github.com/inbox-mcp/inbox-mcp/directory"
	"github.com/inbox-mcp/inbox-mcp/inbox"
	"github.com/inbox-mcp/inbox-mcp/internal/testenv"
	"github.com/inbox-mcp/inbox-mcp/tools"
)

// names reads the team directory from the backend.
func names(t *testing.T, b inbox.Backend) *directory.Snapshot {
	t.Helper()
	s, err := directory.NewCache(directory.Options{}).For("ref", b).Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// shared holds, by API version, the harnesses of the tests that change nothing: one
// simulator for the package, seen through each version.
var shared map[string]*testenv.Harness

func TestMain(m *testing.M) {
	schemas, err := outputSchemas()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	out := &outputs{schemas: schemas, checked: map[string]int{}}
	tools.SetOutputCheck(out.check)
	hs, stop, err := testenv.StartVersions(app.Config{})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	shared = hs
	code := m.Run()
	stop()
	if v := out.verdict(); v != "" {
		fmt.Fprintln(os.Stderr, "FAIL: output schemas:\n"+v)
		code = 1
	}
	os.Exit(code)
}

func listThreads(t *testing.T, h *testenv.Harness, args map[string]any) tools.ThreadList {
	t.Helper()
	return testenv.Decode[tools.ThreadList](t, h.CallOK(t, "list_threads", args))
}

// wantError calls a tool and checks it answered with an IsError result containing each want.
func wantError(t *testing.T, h *testenv.Harness, tool string, args map[string]any, wants ...string) string {
	t.Helper()
	res := h.Call(t, tool, args)
	text := testenv.Text(res)
	if !res.IsError {
		t.Fatalf("%s %v: succeeded (%q); want an error", tool, args, text)
	}
	for _, w := range wants {
		if !strings.Contains(text, w) {
			t.Errorf("%s %v: error %q lacks %q", tool, args, text, w)
		}
	}
	return text
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
