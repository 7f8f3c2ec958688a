package main

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/inbox-mcp/inbox-mcp/tools"
)

const goodMCPToken = "0123456789abcdef0123456789abcdef"

func TestParseConfigSafetyFlags(t *testing.T) {
	dir := t.TempDir()
	tokFile := filepath.Join(dir, "mcp-token")
	if err := os.WriteFile(tokFile, []byte(goodMCPToken+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	demoHTTP := []string{"--demo", "--transport", "http"}
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		wantErr string
		check   func(t *testing.T, c config)
	}{
		{name: "defaults: every tool, sends confirmed", args: []string{"--demo"}, check: func(t *testing.T, c config) {
			s := c.selection()
			if c.confirmSends != tools.ConfirmAuto || len(s.Toolsets)+len(s.Tools)+len(s.Exclude) > 0 || s.ReadOnly || c.mcpToken != "" || c.allowRemote {
				t.Errorf("defaults: %+v", c)
			}
		}},
		{name: "tool lists", args: []string{"--demo", "--toolsets", "threads, messages", "--tools", "get_directory", "--exclude-tools", "send_reply,"},
			check: func(t *testing.T, c config) {
				s := c.selection()
				if !slices.Equal(s.Toolsets, []string{"threads", "messages"}) || !slices.Equal(s.Tools, []string{"get_directory"}) || !slices.Equal(s.Exclude, []string{"send_reply"}) {
					t.Errorf("selection %+v", s)
				}
			}},
		{name: "tool lists from the environment", args: []string{"--demo"}, env: map[string]string{"INBOX_TOOLSETS": "directory", "INBOX_CONFIRM_SENDS": "token"},
			check: func(t *testing.T, c config) {
				if !slices.Equal(c.toolsets, []string{"directory"}) || c.confirmSends != tools.ConfirmToken {
					t.Errorf("%+v", c)
				}
			}},
		{name: "unknown toolset lists the valid ones", args: []string{"--demo", "--toolsets", "admin"}, wantErr: `toolset "admin" is not known: use all, threads, messages, prospects, labels, directory, workflows`},
		{name: "unknown tool lists the valid ones", args: []string{"--demo", "--exclude-tools", "send"}, wantErr: `tool "send" is not known: use list_threads, get_thread`},
		{name: "nothing left", args: []string{"--demo", "--toolsets", "labels", "--read-only"}, wantErr: "leaves no tool"},
		{name: "unknown confirmation policy", args: []string{"--demo", "--confirm-sends", "never"}, wantErr: "--confirm-sends: confirmation policy \"never\" is not known"},
		{name: "confirmations off on request", args: []string{"--demo", "--confirm-sends", "off"}, check: func(t *testing.T, c config) {
			if c.confirmSends != tools.ConfirmOff {
				t.Errorf("%+v", c.confirmSends)
			}
		}},
		{name: "loopback needs no token", args: append(demoHTTP, "--addr", "localhost:0")},
		{name: "all interfaces without a token are refused", args: append(demoHTTP, "--addr", ":8080"), wantErr: "listens beyond this machine, and the MCP endpoint has no token"},
		{name: "a LAN address without a token is refused", args: append(demoHTTP, "--addr", "192.168.1.5:8080"), wantErr: "INBOX_MCP_TOKEN"},
		{name: "beyond loopback with a token", args: append(demoHTTP, "--addr", "0.0.0.0:8080"), env: map[string]string{"INBOX_MCP_TOKEN": goodMCPToken},
			check: func(t *testing.T, c config) {
				if c.mcpToken != goodMCPToken {
					t.Error("token not read")
				}
			}},
		{name: "beyond loopback with --allow-remote", args: append(demoHTTP, "--addr", "0.0.0.0:8080", "--allow-remote")},
		{name: "token from a file wins", args: append(demoHTTP, "--mcp-token-file", tokFile), env: map[string]string{"INBOX_MCP_TOKEN": "x" + goodMCPToken},
			check: func(t *testing.T, c config) {
				if c.mcpToken != goodMCPToken {
					t.Error("token file not read")
				}
			}},
		{name: "missing token file", args: append(demoHTTP, "--mcp-token-file", filepath.Join(dir, "nope")), wantErr: "cannot read the token"},
		{name: "short token", args: demoHTTP, env: map[string]string{"INBOX_MCP_TOKEN": "secret"}, wantErr: "shorter than 16"},
		{name: "token with a space", args: demoHTTP, env: map[string]string{"INBOX_MCP_TOKEN": goodMCPToken + " x"}, wantErr: "spaces or control characters"},
		{name: "token on the command line", args: append(demoHTTP, "--mcp-token", goodMCPToken), wantErr: "set INBOX_MCP_TOKEN in the environment or use --mcp-token-file"},
		{name: "token on stdio protects nothing", args: []string{"--demo"}, env: map[string]string{"INBOX_MCP_TOKEN": goodMCPToken}, wantErr: "only applies with --transport http"},
		{name: "--allow-remote on stdio", args: []string{"--demo", "--allow-remote"}, wantErr: "only applies with --transport http"},
		{name: "allowed origins", args: append(demoHTTP, "--allowed-origins", "https://app.example.com, http://10.0.0.2:3000"), check: func(t *testing.T, c config) {
			if len(c.allowedOrigins) != 2 {
				t.Errorf("%v", c.allowedOrigins)
			}
		}},
		{name: "an origin with a path", args: append(demoHTTP, "--allowed-origins", "https://app.example.com/mcp"), wantErr: "is not an origin"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := parseConfig(tt.args, func(k string) string { return tt.env[k] }, &bytes.Buffer{})
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				if strings.Contains(err.Error(), goodMCPToken) {
					t.Fatal("the error quotes the token")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tt.check != nil {
				tt.check(t, c)
			}
		})
	}
}
