package tools_test

import (
	"context"
	"strings"
	"testing"

	"github.com/inbox-mcp/inbox-mcp/app"
	"github.com/inbox-mcp/inbox-mcp/inboxsim"
	"github.com/inbox-mcp/inbox-mcp/internal/testenv"
	"github.com/inbox-mcp/inbox-mcp/tools"
)

func TestGetDirectory(t *testing.T) {
	t.Parallel()
	testenv.ForVersions(t, app.Config{}, func(t *testing.T, h *testenv.Harness) {
		ref := names(t, h.Backend)
		res := h.CallOK(t, "get_directory", nil)
		d := testenv.Decode[tools.Directory](t, res)
		if d.Team != ref.Team.Name || d.Currency != "USD" || len(d.Tags) != len(ref.Tags) || len(d.Statuses) != len(ref.Statuses) ||
			len(d.Members) != len(ref.Members) || len(d.Accounts) != len(ref.Accounts) {
			t.Fatalf("directory = %+v", d)
		}
		for i, a := range ref.Accounts {
			if d.Accounts[i].Username != "@"+a.Username {
				t.Errorf("account %d = %+v", i, d.Accounts[i])
			}
		}
		text := testenv.Text(res)
		for _, want := range []string{"Hot Lead", "Qualified", "Dev Patel <dev@northwind.app>", "@northwind_sales"} {
			if !strings.Contains(text, want) {
				t.Errorf("text lacks %q", want)
			}
		}

		// A tag made elsewhere (the web app) shows once the cache is refreshed.
		if _, err := h.Backend.CreateTag(context.Background(), "Made Elsewhere", ""); err != nil {
			t.Fatal(err)
		}
		if d := testenv.Decode[tools.Directory](t, h.CallOK(t, "get_directory", nil)); contains(d.Tags, "Made Elsewhere") {
			t.Fatal("the cached directory changed without a refresh: is it cached at all?")
		}
		if d := testenv.Decode[tools.Directory](t, h.CallOK(t, "get_directory", map[string]any{"refresh": true})); !contains(d.Tags, "Made Elsewhere") {
			t.Fatal("refresh did not read the new tag")
		}
	})
}

// TestAPIErrorsSayWhatToDo checks the errors a model meets from the API itself.
func TestAPIErrorsSayWhatToDo(t *testing.T) {
	// Its own simulator, and waits between retries: it runs beside the others.
	t.Parallel()
	for _, v := range testenv.Versions {
		t.Run(v, func(t *testing.T) {
			t.Run("rate limited", func(t *testing.T) {
				h := testenv.New(t, app.Config{}, testenv.WithAPIVersion(v), testenv.WithSim(func(o *inboxsim.Options) { o.RateLimit = inboxsim.RateLimits{PerMinute: 6} }))
				var text string
				for range 10 {
					res := h.Call(t, "list_threads", map[string]any{"limit": 5})
					if res.IsError {
						text = testenv.Text(res)
						break
					}
				}
				if !strings.Contains(text, "rate limit") || !strings.Contains(text, "Wait ") {
					t.Fatalf("after the limit: %q", text)
				}
			})
			t.Run("bad token", func(t *testing.T) {
				// The shared simulator: a refused token changes nothing.
				sim := shared[v].Sim
				s, err := app.New(app.Config{Backends: app.StaticBackend(testenv.VersionBackendWithToken(t, v, testenv.APIURL(sim, v), "not-a-real-token"))})
				if err != nil {
					t.Fatal(err)
				}
				c := testenv.Connect(t, s)
				res := testenv.Call(t, c, "list_threads", nil)
				if !res.IsError || !strings.Contains(testenv.Text(res), "rejected the API token") {
					t.Fatalf("got %q", testenv.Text(res))
				}
			})
			t.Run("server errors after retries", func(t *testing.T) {
				h := testenv.New(t, app.Config{}, testenv.WithAPIVersion(v))
				h.Sim.Sim.SetFaults(inboxsim.Faults{ErrorRate: 1, Methods: []string{"GET"}, PathContains: "/threads"})
				res := h.Call(t, "get_thread", map[string]any{"thread_id": "abcdefghijklmnopqrstuvwx"})
				if !res.IsError || !strings.Contains(testenv.Text(res), "Try again in a minute") {
					t.Fatalf("got %q", testenv.Text(res))
				}
			})
		})
	}
}
