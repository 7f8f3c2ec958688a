package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/inbox-mcp/inbox-mcp/inbox"
	"github.com/inbox-mcp/inbox-mcp/internal/testenv"
)

// once is a channel closed once.
type once struct {
	o sync.Once
	c chan struct{}
}

func newOnce() *once  { return &once{c: make(chan struct{})} }
func (s *once) fire() { s.o.Do(func() { close(s.c) }) }
func (s *once) wait() { <-s.c }
func (s *once) done() bool {
	select {
	case <-s.c:
		return true
	default:
		return false
	}
}

// orderingProxy stands between one server process and the simulator and calls before and
// after on each request about one prospect (write: any method but GET).
func orderingProxy(t *testing.T, target, id string, before, after func(r *http.Request, write bool)) string {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	rp := httputil.NewSingleHostReverseProxy(&url.URL{Scheme: u.Scheme, Host: u.Host})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		about := strings.Contains(r.URL.Path, "/"+id)
		write := r.Method != http.MethodGet
		if about {
			before(r, write)
		}
		rp.ServeHTTP(w, r)
		if about {
			after(r, write)
		}
	}))
	t.Cleanup(srv.Close)
	return srv.URL + u.Path
}

// TestSmokeAppendNotesFromTwoProcesses runs two server processes on one Inbox, each behind a
// proxy that orders their requests: both read the notes, the first writes its line, the
// second writes the notes it read (without that line), and only then does the first read
// back. The first process finds its line gone and appends it again: both lines stay.
func TestSmokeAppendNotesFromTwoProcesses(t *testing.T) {
	t.Parallel()
	bin := binary(t)
	srv := testenv.Sim(t)
	for _, v := range []string{"v1", "v2"} {
		t.Run(v, func(t *testing.T) {
			// No deadline of its own: go test's -timeout ends a hang.
			ctx := context.Background()
			ref := testenv.VersionBackend(t, srv, v)
			page, err := ref.ListThreads(ctx, inbox.ThreadQuery{View: inbox.ViewDefault}, "", 20)
			if err != nil {
				t.Fatal(err)
			}
			var id string
			for _, th := range page.Items {
				if th.Prospect.ID != "" {
					id = th.Prospect.ID
					break
				}
			}
			if id == "" {
				t.Fatal("no prospect to append to")
			}
			if _, err := ref.UpdateProspect(ctx, inbox.Prospect{ID: id}, inbox.ContextUpdate{Notes: inbox.Set("Start.")}); err != nil {
				t.Fatal(err)
			}
			bArrived, aWrote, bWrote := newOnce(), newOnce(), newOnce()
			record := func(r *http.Request) bool { return r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/"+id) }
			api := testenv.APIURL(srv, v)
			urlA := orderingProxy(t, api, id, func(r *http.Request, write bool) {
				switch {
				case write && !aWrote.done():
					bArrived.wait()
				case record(r) && aWrote.done():
					bWrote.wait()
				}
			}, func(r *http.Request, write bool) {
				if write {
					aWrote.fire()
				}
			})
			urlB := orderingProxy(t, api, id, func(r *http.Request, write bool) {
				if write && !bWrote.done() {
					bArrived.fire()
					aWrote.wait()
				}
			}, func(r *http.Request, write bool) {
				if write {
					bWrote.fire()
				}
			})
			start := func(apiURL string) *client.Client {
				tr := transport.NewStdioWithOptions(bin, cleanEnv(t, "INBOX_API_KEY="+srv.Token),
					[]string{"--api-url", apiURL, "--api-version", v, "--log-level", "warn"})
				if err := tr.Start(ctx); err != nil {
					t.Fatal(err)
				}
				return initialized(t, client.NewClient(tr, client.WithProtocolVersion(legacyProtocol)))
			}
			a, b := start(urlA), start(urlB)
			var wg sync.WaitGroup
			res := map[string]*mcp.CallToolResult{}
			var mu sync.Mutex
			for name, c := range map[string]*client.Client{"A": a, "B": b} {
				wg.Add(1)
				go func() {
					defer wg.Done()
					r, err := c.CallTool(ctx, mcp.CallToolRequest{Params: mcp.CallToolParams{Name: "update_prospect_context",
						Arguments: map[string]any{"prospect": id, "append_notes": "Line from " + name + "."}}})
					if err != nil {
						t.Errorf("%s: %v", name, err)
						return
					}
					mu.Lock()
					res[name] = r
					mu.Unlock()
				}()
			}
			wg.Wait()
			for name, r := range res {
				if r.IsError {
					t.Errorf("%s: %v", name, r.Content)
				}
			}
			p, err := ref.Prospect(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if want := "\n" + p.Context.Notes + "\n"; !strings.Contains(want, "\nStart.\n") || !strings.Contains(want, "\nLine from A.\n") || !strings.Contains(want, "\nLine from B.\n") {
				t.Fatalf("a line was lost: the notes are %q", p.Context.Notes)
			}
		})
	}
}
