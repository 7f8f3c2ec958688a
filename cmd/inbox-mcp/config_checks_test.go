package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestConfigRefusals covers settings that used to be misread or silently ignored: each is
// refused with the accepted values or the fix.
func TestConfigRefusals(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		wantErr []string
	}{
		{name: "a boolean variable names its accepted values", env: map[string]string{"INBOX_DEMO": "yes"},
			wantErr: []string{"INBOX_DEMO", "true", "false"}},
		{name: "a boolean flag names its accepted values", args: []string{"--demo=yes"},
			wantErr: []string{"-demo", "true", "false"}},
		{name: "--demo with --api-url", args: []string{"--demo", "--api-url", "https://api.example.com"},
			wantErr: []string{"--api-url", "--demo"}},
		{name: "--demo with INBOX_API_URL", args: []string{"--demo"}, env: map[string]string{"INBOX_API_URL": "https://api.example.com"},
			wantErr: []string{"INBOX_API_URL", "--demo"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseConfig(tt.args, func(k string) string { return tt.env[k] }, io.Discard)
			if err == nil {
				t.Fatal("accepted")
			}
			for _, w := range tt.wantErr {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
			if strings.Contains(err.Error(), "parse error") {
				t.Errorf("error %q shows the flag package's wording", err)
			}
		})
	}
}

// TestKeyFilePermissions warns, without refusing, about key and token files other users of
// the machine can read.
func TestKeyFilePermissions(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, mode os.FileMode) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte("secretkey123secretkey123\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, mode); err != nil {
			t.Fatal(err)
		}
		return p
	}
	open, private := write("open", 0o644), write("private", 0o600)
	tests := []struct {
		name string
		args []string
		warn string // "" means no warning
	}{
		{name: "key file readable by others", args: []string{"--api-key-file", open}, warn: "chmod 600 " + open},
		{name: "private key file", args: []string{"--api-key-file", private}},
		{name: "token file readable by others", args: []string{"--api-key-file", private, "--transport", "http", "--mcp-token-file", open}, warn: "chmod 600 " + open},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := parseConfig(tt.args, func(string) string { return "" }, io.Discard)
			if err != nil {
				t.Fatal(err)
			}
			got := strings.Join(c.warnings, "\n")
			if tt.warn == "" && got != "" {
				t.Errorf("warnings %q, want none", got)
			}
			if tt.warn != "" && !strings.Contains(got, tt.warn) {
				t.Errorf("warnings %q, want one saying %q", got, tt.warn)
			}
			if strings.Contains(got, "secretkey123") {
				t.Error("a warning quotes the key")
			}
		})
	}
}
