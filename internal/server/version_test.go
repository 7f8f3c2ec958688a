package server_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/inbox-mcp/inbox-mcp/app"
	"github.com/inbox-mcp/inbox-mcp/inboxsim"
	"github.com/inbox-mcp/inbox-mcp/internal/server"
	"github.com/inbox-mcp/inbox-mcp/internal/testenv"
)

func TestAPIVersionSettings(t *testing.T) {
	tests := []struct {
		url, flag string
		demo      bool
		v1, v2    string // where each version is served
		version   string // "" = ask the API
		wantErr   string
	}{
		{url: server.DefaultAPIURL, flag: "auto", v1: "https://inboxapp.com/api/v1", v2: "https://inboxapp.com/api/v2"},
		{url: "https://inboxapp.com/", flag: "", v1: "https://inboxapp.com/api/v1", v2: "https://inboxapp.com/api/v2"},
		{url: "https://inboxapp.com/api/v2/", flag: "auto", v2: "https://inboxapp.com/api/v2", version: "v2"},
		{url: "https://inboxapp.com/api/v1", flag: "AUTO", v1: "https://inboxapp.com/api/v1", version: "v1"},
		{url: "https://inboxapp.com/api/v1", flag: "v1", version: "v1"},
		{url: "https://proxy.example.com/inbox", flag: "v2", v2: "https://proxy.example.com/inbox/api/v2", version: "v2"},
		{url: "http://127.0.0.1:8787", flag: "v1", v1: "http://127.0.0.1:8787/api/v1", version: "v1"},
		{url: server.DefaultAPIURL, flag: "auto", demo: true, version: "v2"},
		{url: server.DefaultAPIURL, flag: "v1", demo: true, version: "v1"},
		{url: "https://inboxapp.com/api/v1", flag: "v2", wantErr: "--api-version v2 contradicts --api-url, which ends in /api/v1"},
		{url: "https://inboxapp.com/api/v2", flag: "v1", wantErr: "use --api-version v2"},
		{url: server.DefaultAPIURL, flag: "v3", wantErr: `--api-version "v3" is not known: use v2`},
		{url: "inboxapp.com/api/v2", flag: "auto", wantErr: "not an http(s) URL"},
		{url: "https://inboxapp.com/api/v2?team=1", flag: "auto", wantErr: "has a query"},
	}
	for _, tt := range tests {
		t.Run(tt.url+" "+tt.flag, func(t *testing.T) {
			root, err := server.ParseAPIRoot(tt.url)
			var version string
			if err == nil {
				version, err = server.ResolveAPIVersion(tt.flag, root, tt.demo)
			}
			switch {
			case tt.wantErr != "":
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want one saying %q", err, tt.wantErr)
				}
				return
			case err != nil:
				t.Fatal(err)
			}
			if version != tt.version {
				t.Fatalf("version %q, want %q", version, tt.version)
			}
			if tt.v1 != "" && root.URL("v1") != tt.v1 {
				t.Errorf("v1 at %s, want %s", root.URL("v1"), tt.v1)
			}
			if tt.v2 != "" && root.URL("v2") != tt.v2 {
				t.Errorf("v2 at %s, want %s", root.URL("v2"), tt.v2)
			}
		})
	}
}

// hostOf is the simulator's host URL, without a version path.
func hostOf(srv *inboxsim.Server) string { return strings.TrimSuffix(srv.URL, "/api/v1") }

// v1Only serves the simulator's v1 API only, as a deployment from before v2 would: every
// /api/v2 path is 404.
func v1Only(t *testing.T, srv *inboxsim.Server) string {
	t.Helper()
	u, _ := url.Parse(hostOf(srv))
	proxy := httputil.NewSingleHostReverseProxy(u)
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/api/v2") {
			http.NotFound(w, r)
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(s.Close)
	return s.URL
}

func TestVersionProbe(t *testing.T) {
	srv := testenv.Sim(t)
	ctx := context.Background()
	for _, tt := range []struct {
		name, url, token, want string
	}{
		{"a v2 host", hostOf(srv), srv.Token, "v2"},
		{"a v2 host refusing the key", hostOf(srv), "not-a-key", "v2"},
		{"a v1-only host", v1Only(t, srv), srv.Token, "v1"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			root, err := server.ParseAPIRoot(tt.url)
			if err != nil {
				t.Fatal(err)
			}
			if got, err := server.NewVersionProbe(root).Detect(ctx, tt.token); err != nil || got != tt.want {
				t.Fatalf("detected %q, %v; want %s", got, err, tt.want)
			}
		})
	}
	t.Run("no answer decides nothing", func(t *testing.T) {
		var calls atomic.Int32
		down := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if calls.Add(1) == 1 {
				http.Error(w, "maintenance", http.StatusServiceUnavailable)
				return
			}
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"data":[]}`))
		}))
		t.Cleanup(down.Close)
		root, _ := server.ParseAPIRoot(down.URL)
		p := server.NewVersionProbe(root)
		if v, err := p.Detect(ctx, "k"); err == nil || !strings.Contains(err.Error(), "503") {
			t.Fatalf("a 503 decided %q (%v)", v, err)
		}
		for range 2 {
			if v, err := p.Detect(ctx, "k"); err != nil || v != "v2" {
				t.Fatalf("after the outage: %q, %v", v, err)
			}
		}
		if n := calls.Load(); n != 2 {
			t.Fatalf("the API was asked %d times; want twice (once more after the 503, then kept)", n)
		}
	})
}

// TestBackendsByVersion starts the server's data source as the binary does and checks the
// API version each configuration ends up speaking, through a call that reaches the API.
func TestBackendsByVersion(t *testing.T) {
	srv := testenv.Sim(t)
	dead := httptest.NewServer(http.NotFoundHandler())
	deadURL := dead.URL
	dead.Close()
	tests := []struct {
		name    string
		cfg     server.Config
		want    string // API version, "" when the call must fail
		wantErr string
	}{
		{"demo", server.Config{Demo: true}, "v2", ""},
		{"demo on v1", server.Config{Demo: true, API: server.API{Version: "v1"}}, "v1", ""},
		{"key, host, auto", server.Config{Key: srv.Token, API: server.API{URL: hostOf(srv), Version: "auto"}}, "v2", ""},
		{"key, v1 URL, auto", server.Config{Key: srv.Token, API: server.API{URL: srv.URL}}, "v1", ""},
		{"key, host, v1", server.Config{Key: srv.Token, API: server.API{URL: hostOf(srv), Version: "v1"}}, "v1", ""},
		{"key, v1-only host, auto", server.Config{Key: srv.Token, API: server.API{URL: v1Only(t, srv), Version: "auto"}}, "v1", ""},
		{"key, unreachable host, auto", server.Config{Key: srv.Token, API: server.API{URL: deadURL, Version: "auto"}}, "", "--api-version v2"},
		{"a key per request, auto", server.Config{API: server.API{URL: hostOf(srv), Version: "auto"}}, "v2", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.cfg.API.Client.RatePerMinute = 100000
			tt.cfg.Logger = slog.New(slog.DiscardHandler)
			s, err := server.New(context.Background(), tt.cfg)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(s.Close)
			ctx := app.ContextWithToken(context.Background(), srv.Token)
			b, _, err := s.Backends.Backend(ctx)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("backend: %v, want an error saying %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if b.APIVersion() != tt.want {
				t.Fatalf("API version %s, want %s", b.APIVersion(), tt.want)
			}
			if _, err := b.Team(ctx); err != nil {
				t.Fatalf("%s backend cannot read the team: %v", tt.want, err)
			}
			// The same source keeps its backend: the version is decided once.
			if again, _, _ := s.Backends.Backend(ctx); again != b {
				t.Fatal("a second request got another backend")
			}
		})
	}
}
