package main

import (
	"bytes"
	"errors"
	"flag"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"

	inboxserver "github.com/inbox-mcp/inbox-mcp/internal/server"
)

func TestParseConfig(t *testing.T) {
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "key")
	if err := os.WriteFile(keyFile, []byte("filekey123\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	emptyFile := filepath.Join(dir, "empty")
	if err := os.WriteFile(emptyFile, []byte("\n"), 0o600); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		wantErr string // substring of the error; "" means success
		check   func(t *testing.T, c config)
	}{
		{
			name:    "no key and no demo says how to do either",
			wantErr: "no Inbox API key: set INBOX_API_KEY",
			check:   nil,
		},
		{
			name: "no key mentions --demo",
			args: []string{"--transport", "stdio"}, wantErr: "--demo",
		},
		{
			name: "demo needs no key and takes defaults",
			args: []string{"--demo"},
			check: func(t *testing.T, c config) {
				if !c.demo || c.transport != "stdio" || c.addr != defaultAddr || c.logLevel != slog.LevelInfo ||
					c.logFormat != "text" || c.rateLimit != defaultRateLimit || c.rateReserve != 0.2 || c.apiURL != inboxserver.DefaultAPIURL || c.readOnly {
					t.Errorf("defaults: %+v", c)
				}
			},
		},
		{
			name: "key from the environment",
			env:  map[string]string{"INBOX_API_KEY": "envkey123"},
			check: func(t *testing.T, c config) {
				if c.apiKey != "envkey123" || !c.apiKeyFromEnv {
					t.Errorf("key not taken from env")
				}
			},
		},
		{
			name: "key from a file, trimmed, wins over the environment",
			args: []string{"--api-key-file", keyFile},
			env:  map[string]string{"INBOX_API_KEY": "envkey123"},
			check: func(t *testing.T, c config) {
				if c.apiKey != "filekey123" || c.apiKeyFromEnv {
					t.Errorf("key not taken from file")
				}
			},
		},
		{
			name: "key file from the environment",
			env:  map[string]string{"INBOX_API_KEY_FILE": keyFile},
			check: func(t *testing.T, c config) {
				if c.apiKey != "filekey123" {
					t.Errorf("key file from env not read")
				}
			},
		},
		{name: "missing key file", args: []string{"--api-key-file", filepath.Join(dir, "nope")}, wantErr: "cannot read the key"},
		{name: "empty key file", args: []string{"--api-key-file", emptyFile}, wantErr: "is empty"},
		{name: "plain --api-key flag is refused with advice", args: []string{"--api-key=abc"}, wantErr: "set INBOX_API_KEY in the environment or use --api-key-file"},
		{name: "single-dash -api-key is refused too", args: []string{"-api-key", "abc"}, wantErr: "is not accepted"},
		{name: "key with Bearer prefix", env: map[string]string{"INBOX_API_KEY": "Bearer abc"}, wantErr: "starts with \"Bearer \""},
		{name: "key with inner space", env: map[string]string{"INBOX_API_KEY": "abc def"}, wantErr: "spaces or control characters"},
		{
			name: "http without a key serves per-request tokens",
			args: []string{"--transport", "http"},
			check: func(t *testing.T, c config) {
				if c.apiKey != "" || c.transport != "http" {
					t.Errorf("got %+v", c)
				}
			},
		},
		{name: "unknown transport", args: []string{"--demo", "--transport", "sse"}, wantErr: "use stdio"},
		{name: "transport from env validated", args: []string{"--demo"}, env: map[string]string{"INBOX_TRANSPORT": "websocket"}, wantErr: "--transport \"websocket\""},
		{name: "bad addr", args: []string{"--demo", "--transport", "http", "--addr", "localhost"}, wantErr: "is not host:port"},
		{name: "bad port", args: []string{"--demo", "--transport", "http", "--addr", "127.0.0.1:http"}, wantErr: "no valid port"},
		{name: "addr not checked on stdio", args: []string{"--demo", "--addr", "nonsense"}},
		{name: "bad log level", args: []string{"--demo", "--log-level", "loud"}, wantErr: "use debug, info, warn or error"},
		{name: "bad log format", args: []string{"--demo", "--log-format", "xml"}, wantErr: "use text or json"},
		{name: "rate limit not a number", args: []string{"--demo", "--rate-limit", "fast"}, wantErr: "is not a number"},
		{name: "rate limit zero", args: []string{"--demo", "--rate-limit", "0"}, wantErr: "out of range"},
		{name: "rate reserve not a number", args: []string{"--demo", "--rate-reserve", "some"}, wantErr: "is not a percentage"},
		{name: "rate reserve too large", args: []string{"--demo", "--rate-reserve", "95%"}, wantErr: "from 0 to 90"},
		{name: "rate reserve negative", args: []string{"--demo"}, env: map[string]string{"INBOX_RATE_RESERVE": "-5"}, wantErr: "out of range"},
		{name: "rate reserve in percent", args: []string{"--demo", "--rate-reserve", "10"}, check: func(t *testing.T, c config) {
			if c.rateReserve != 0.1 {
				t.Errorf("rate reserve %v, want 0.1", c.rateReserve)
			}
		}},
		{name: "rate reserve from the environment", args: []string{"--demo"}, env: map[string]string{"INBOX_RATE_RESERVE": "0%"}, check: func(t *testing.T, c config) {
			if c.rateReserve != 0 {
				t.Errorf("rate reserve %v, want none", c.rateReserve)
			}
		}},
		{name: "db without demo", args: []string{"--db", "x.db"}, env: map[string]string{"INBOX_API_KEY": "k"}, wantErr: "add --demo"},
		{name: "bad bool in env", env: map[string]string{"INBOX_DEMO": "maybe"}, wantErr: "INBOX_DEMO=\"maybe\" is invalid"},
		{name: "stray argument", args: []string{"--demo", "serve"}, wantErr: "unexpected argument \"serve\""},
		{name: "unknown flag", args: []string{"--colour"}, wantErr: "flag provided but not defined"},
		{name: "bad api url", args: []string{"--api-url", "inboxapp.com/api/v1"}, env: map[string]string{"INBOX_API_KEY": "k"}, wantErr: "not an http(s) URL"},
		{
			name: "flags win over the environment",
			args: []string{"--demo", "--log-level", "debug", "--transport", "http", "--addr", "127.0.0.1:0", "--read-only", "--rate-limit", "60", "--log-format", "json", "--db", "sim.db"},
			env:  map[string]string{"INBOX_LOG_LEVEL": "error", "INBOX_TRANSPORT": "stdio", "INBOX_RATE_LIMIT": "10", "INBOX_LOG_FORMAT": "text"},
			check: func(t *testing.T, c config) {
				if c.logLevel != slog.LevelDebug || c.transport != "http" || c.addr != "127.0.0.1:0" || !c.readOnly ||
					c.rateLimit != 60 || c.logFormat != "json" || c.dbPath != "sim.db" {
					t.Errorf("got %+v", c)
				}
			},
		},
		{
			name: "environment fills what flags leave",
			env: map[string]string{"INBOX_API_KEY": "envkey123", "INBOX_LOG_LEVEL": "warn", "INBOX_READ_ONLY": "1",
				"INBOX_API_URL": "http://127.0.0.1:9/api/v1", "INBOX_RATE_LIMIT": "120", "INBOX_ADDR": "127.0.0.1:9999"},
			check: func(t *testing.T, c config) {
				if c.apiKey != "envkey123" || c.logLevel != slog.LevelWarn || !c.readOnly || c.apiURL != "http://127.0.0.1:9/api/v1" ||
					c.rateLimit != 120 || c.addr != "127.0.0.1:9999" {
					t.Errorf("got %+v", c)
				}
			},
		},
		{
			name: "version needs nothing else",
			args: []string{"--version"},
			check: func(t *testing.T, c config) {
				if !c.showVersion {
					t.Error("showVersion not set")
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			getenv := func(k string) string { return tt.env[k] }
			var usage bytes.Buffer
			c, err := parseConfig(tt.args, getenv, &usage)
			if tt.wantErr != "" {
				if err == nil {
					t.Fatalf("want error containing %q, got none (config %+v)", tt.wantErr, c)
				}
				if !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %q does not contain %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if tt.check != nil {
				tt.check(t, c)
			}
		})
	}
}

func TestParseConfigNeverQuotesTheKey(t *testing.T) {
	for _, key := range []string{"Bearer sekrit123", "sek rit123", "sekrit123\x01"} {
		_, err := parseConfig(nil, func(k string) string {
			if k == "INBOX_API_KEY" {
				return key
			}
			return ""
		}, &bytes.Buffer{})
		if err == nil || strings.Contains(err.Error(), "sekrit") || strings.Contains(err.Error(), "rit123") {
			t.Errorf("key %q: error %v", key, err)
		}
	}
	_, err := parseConfig([]string{"--api-key", "sekrit123"}, func(string) string { return "" }, &bytes.Buffer{})
	if err == nil || strings.Contains(err.Error(), "sekrit123") {
		t.Errorf("--api-key: error %v", err)
	}
}

func TestHelp(t *testing.T) {
	var usage bytes.Buffer
	_, err := parseConfig([]string{"--help"}, func(string) string { return "" }, &usage)
	if !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("err = %v, want flag.ErrHelp", err)
	}
	for _, want := range []string{"--demo", "INBOX_API_KEY", "-api-key-file", "-transport", "-addr", "-read-only", "-log-level", "-log-format", "-rate-limit", "-rate-reserve", "-db", "-version"} {
		if !strings.Contains(usage.String(), want) {
			t.Errorf("help lacks %q", want)
		}
	}
}

func TestVersionFromBuildInfo(t *testing.T) {
	tests := []struct {
		info debug.BuildInfo
		want string
	}{
		{debug.BuildInfo{Main: debug.Module{Version: "v1.2.3"}}, "v1.2.3"},
		{debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, "dev"},
		{debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "0123456789abcdef0123"}}}, "dev-0123456789ab"},
		{debug.BuildInfo{Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "abc"}, {Key: "vcs.modified", Value: "true"}}}, "dev-abc-dirty"},
	}
	for _, tt := range tests {
		if got := versionFromBuildInfo(&tt.info); got != tt.want {
			t.Errorf("versionFromBuildInfo(%+v) = %q, want %q", tt.info.Main, got, tt.want)
		}
	}
}

func TestNewLoggerJSONGoesToItsWriter(t *testing.T) {
	var buf bytes.Buffer
	l := newLogger(&buf, "json", slog.LevelWarn)
	l.Info("hidden")
	l.Warn("shown", "k", 1)
	out := buf.String()
	if strings.Contains(out, "hidden") || !strings.Contains(out, `"msg":"shown"`) {
		t.Errorf("json log = %q", out)
	}
	buf.Reset()
	newLogger(&buf, "text", slog.LevelDebug).Debug("plain")
	if !strings.Contains(buf.String(), "plain") || strings.Contains(buf.String(), "\x1b[") {
		t.Errorf("text log to a buffer should be uncolored: %q", buf.String())
	}
}

// TestAPIVersionFlag: the flag and its environment variable reach the configuration, checked
// at start (internal/server tests how each setting is read).
func TestAPIVersionFlag(t *testing.T) {
	if _, err := parseConfig([]string{"--api-version", "v3"}, func(string) string { return "" }, &strings.Builder{}); err == nil ||
		!strings.Contains(err.Error(), "v3") {
		t.Fatalf("--api-version v3: %v", err)
	}
	env := map[string]string{"INBOX_API_KEY": "k", "INBOX_API_VERSION": "v1", "INBOX_API_URL": "https://inboxapp.com/api/v2"}
	if _, err := parseConfig(nil, func(k string) string { return env[k] }, &strings.Builder{}); err == nil || !strings.Contains(err.Error(), "contradicts") {
		t.Fatalf("INBOX_API_VERSION=v1 with a v2 URL: %v", err)
	}
	c, err := parseConfig([]string{"--demo", "--api-version", "v1"}, func(string) string { return "" }, &strings.Builder{})
	if err != nil || c.apiVersion != "v1" {
		t.Fatalf("--demo --api-version v1: %+v, %v", c, err)
	}
}
