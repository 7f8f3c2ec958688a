package tools

import (
	"strings"
	"testing"
)

// TestCapEcho shortens long quoted values and long messages, and leaves the rest alone.
func TestCapEcho(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("y", 5000)
	tests := []struct {
		name, in  string
		keep      []string
		maxLength int
	}{
		{"short message", `no tag named "Hot Lead": use get_directory`, []string{`no tag named "Hot Lead": use get_directory`}, 100},
		{"long quoted value", `no tag named "` + long + `": use get_directory`, []string{`"yyyy`, "(5000 characters)", ": use get_directory"}, 200},
		{"escaped quotes inside", `since "a\"` + long + `" is not a time: give RFC 3339`, []string{`"a\"yyy`, "is not a time: give RFC 3339"}, 200},
		{"unquoted long text", "failed: " + long + " Try again.", []string{"failed: yyy", "characters left out", " Try again."}, maxMessage + 100},
		{"an unmatched quote", `say "` + long, []string{`say "yyy`}, maxMessage + 100},
	}
	for _, tt := range tests {
		got := CapEcho(tt.in)
		for _, k := range tt.keep {
			if !strings.Contains(got, k) {
				t.Errorf("%s: %.300q lacks %q", tt.name, got, k)
			}
		}
		if len(got) > tt.maxLength {
			t.Errorf("%s: %d bytes, want at most %d", tt.name, len(got), tt.maxLength)
		}
	}
}
