package tools_test

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/inbox-mcp/inbox-mcp/app"
	"github.com/inbox-mcp/inbox-mcp/inbox"
	"github.com/inbox-mcp/inbox-mcp/internal/testenv"
	"github.com/inbox-mcp/inbox-mcp/tools"
)

// The tests of this file append note lines to one prospect from two places at once and
// order the requests so that, without care, one line is lost: the Inbox API has no
// compare-and-swap, every write of the notes replaces them.

// hookTransport calls on before each request about prospect id is sent (write: any method
// but GET) and after its answer came back.
type hookTransport struct {
	base          http.RoundTripper
	id            string
	before, after func(r *http.Request, write bool)
}

func (h *hookTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	about := strings.Contains(r.URL.Path, "/"+h.id)
	write := r.Method != http.MethodGet
	if about && h.before != nil {
		h.before(r, write)
	}
	resp, err := h.base.RoundTrip(r)
	if about && h.after != nil {
		h.after(r, write)
	}
	return resp, err
}

// signal is a channel closed once.
type signal struct {
	once sync.Once
	c    chan struct{}
}

func newSignal() *signal { return &signal{c: make(chan struct{})} }
func (s *signal) fire()  { s.once.Do(func() { close(s.c) }) }
func (s *signal) wait()  { <-s.c }
func (s *signal) fired() bool {
	select {
	case <-s.c:
		return true
	default:
		return false
	}
}

// isRecord reports whether r reads the prospect's record itself (not its tags or threads).
func isRecord(r *http.Request, id string) bool {
	return r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/"+id)
}

// backendVia is a backend of the harness's API version on its simulator whose requests go
// through rt: another process's view of the same Inbox.
func backendVia(t *testing.T, h *testenv.Harness, rt http.RoundTripper) inbox.Backend {
	t.Helper()
	return testenv.VersionBackendVia(t, h.Sim, h.Version, rt)
}

func plainTransport(t *testing.T) *http.Transport {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	t.Cleanup(tr.CloseIdleConnections)
	return tr
}

// notesTarget picks a prospect and gives it the notes "Start." through a backend of its own.
func notesTarget(t *testing.T, h *testenv.Harness, ref inbox.Backend) string {
	t.Helper()
	th := threadWhere(t, h.Backend, inbox.ViewDefault, func(th inbox.Thread) bool { return th.Prospect.ID != "" })
	if _, err := ref.UpdateProspect(context.Background(), th.Prospect, inbox.ContextUpdate{Notes: inbox.Set("Start.")}); err != nil {
		t.Fatal(err)
	}
	return th.Prospect.ID
}

func hasLines(notes string, lines ...string) bool {
	for _, l := range lines {
		if !strings.Contains("\n"+notes+"\n", "\n"+l+"\n") {
			return false
		}
	}
	return true
}

// TestAppendNotesFromTwoServers: two server processes append at once; the second's write
// replaces the notes the first just wrote. The first reads its line back, misses it and
// appends it again: both lines stay.
func TestAppendNotesFromTwoServers(t *testing.T) {
	t.Parallel()
	for _, v := range testenv.Versions {
		t.Run(v, func(t *testing.T) {
			var (
				armed                    bool
				mu                       sync.Mutex
				bArrived, aWrote, bWrote = newSignal(), newSignal(), newSignal()
				aTransport               = &hookTransport{}
				bTransport               = &hookTransport{base: plainTransport(t)}
			)
			isArmed := func() bool { mu.Lock(); defer mu.Unlock(); return armed }
			h := testenv.New(t, app.Config{}, testenv.WithAPIVersion(v),
				testenv.WithTransport(func(rt http.RoundTripper) http.RoundTripper { aTransport.base = rt; return aTransport }))
			ref := testenv.VersionBackend(t, h.Sim, v)
			id := notesTarget(t, h, ref)
			aTransport.id, bTransport.id = id, id
			// A's first write waits until B is about to write (both read "Start."); B's write
			// lands after A's; A's next read of the record comes after B's write.
			aTransport.before = func(r *http.Request, write bool) {
				if !isArmed() {
					return
				}
				switch {
				case write && !aWrote.fired():
					bArrived.wait()
				case isRecord(r, id) && aWrote.fired():
					bWrote.wait()
				}
			}
			aTransport.after = func(r *http.Request, write bool) {
				if isArmed() && write {
					aWrote.fire()
				}
			}
			bTransport.before = func(r *http.Request, write bool) {
				if write && !bWrote.fired() {
					bArrived.fire()
					aWrote.wait()
				}
			}
			bTransport.after = func(r *http.Request, write bool) {
				if write {
					bWrote.fire()
				}
			}
			srvB, err := app.New(app.Config{Backends: app.StaticBackend(backendVia(t, h, bTransport))})
			if err != nil {
				t.Fatal(err)
			}
			clientB := testenv.Connect(t, srvB)
			mu.Lock()
			armed = true
			mu.Unlock()

			var wg sync.WaitGroup
			var resA, resB *mcp.CallToolResult
			wg.Add(2)
			go func() {
				defer wg.Done()
				resA = h.Call(t, tools.NameUpdateProspect, map[string]any{"prospect": id, "append_notes": "Line from A."})
			}()
			go func() {
				defer wg.Done()
				resB = testenv.Call(t, clientB, tools.NameUpdateProspect, map[string]any{"prospect": id, "append_notes": "Line from B."})
			}()
			wg.Wait()
			for name, res := range map[string]*mcp.CallToolResult{"A": resA, "B": resB} {
				if res.IsError {
					t.Errorf("%s: %s", name, testenv.Text(res))
				}
			}
			if notes := prospectOf(t, ref, id).Context.Notes; !hasLines(notes, "Start.", "Line from A.", "Line from B.") {
				t.Fatalf("a line was lost: the notes are %q; A said %q", notes, testenv.Text(resA))
			}
		})
	}
}

// TestAppendNotesNeverVerified: another writer replaces the notes after every write, so the
// line can never be seen: the answer says so, after a bounded number of tries, and never
// says "Updated".
func TestAppendNotesNeverVerified(t *testing.T) {
	t.Parallel()
	for _, v := range testenv.Versions {
		t.Run(v, func(t *testing.T) {
			var (
				mu     sync.Mutex
				armed  bool
				writes int
				tr     = &hookTransport{}
			)
			h := testenv.New(t, app.Config{}, testenv.WithAPIVersion(v),
				testenv.WithTransport(func(rt http.RoundTripper) http.RoundTripper { tr.base = rt; return tr }))
			ref := testenv.VersionBackend(t, h.Sim, v)
			id := notesTarget(t, h, ref)
			tr.id = id
			tr.after = func(r *http.Request, write bool) {
				mu.Lock()
				on := armed && write
				if on {
					writes++
				}
				mu.Unlock()
				if on {
					if _, err := ref.UpdateProspect(context.Background(), inbox.Prospect{ID: id}, inbox.ContextUpdate{Notes: inbox.Set("Start.\nFrom elsewhere.")}); err != nil {
						t.Error(err)
					}
				}
			}
			mu.Lock()
			armed = true
			mu.Unlock()
			res := h.Call(t, tools.NameUpdateProspect, map[string]any{"prospect": id, "append_notes": "Line from A.", "status": "Qualified"})
			text := testenv.Text(res)
			if !res.IsError || strings.Contains(text, "Updated") || !strings.Contains(text, "NOT verified") || !strings.Contains(text, "lookup_thread") {
				t.Fatalf("an append that cannot be seen: %q", text)
			}
			mu.Lock()
			defer mu.Unlock()
			if writes < 2 || writes > 4 {
				t.Fatalf("%d writes of the notes; want the first and a bounded number of re-applies", writes)
			}
		})
	}
}

// lockWatch is a log handler that fires when an update waits for another change of the
// same prospect.
type lockWatch struct{ waiting *signal }

func (w lockWatch) Enabled(context.Context, slog.Level) bool { return true }
func (w lockWatch) Handle(_ context.Context, r slog.Record) error {
	if strings.Contains(r.Message, "waits for another change of the same prospect") {
		w.waiting.fire()
	}
	return nil
}
func (w lockWatch) WithAttrs([]slog.Attr) slog.Handler { return w }
func (w lockWatch) WithGroup(string) slog.Handler      { return w }

// TestAppendNotesOneServer: two appends at once through one server are serialized: the
// second waits for the first, reads its line and keeps it. The first write is held until
// the second call either waits (serialized) or writes too (not serialized, which loses a
// line).
func TestAppendNotesOneServer(t *testing.T) {
	t.Parallel()
	for _, v := range testenv.Versions {
		t.Run(v, func(t *testing.T) {
			var (
				mu           sync.Mutex
				armed        bool
				writes       int
				firstArrived = newSignal()
				secondWrite  = newSignal()
				waiting      = newSignal()
				tr           = &hookTransport{}
			)
			h := testenv.New(t, app.Config{Logger: slog.New(lockWatch{waiting})}, testenv.WithAPIVersion(v),
				testenv.WithTransport(func(rt http.RoundTripper) http.RoundTripper { tr.base = rt; return tr }))
			ref := testenv.VersionBackend(t, h.Sim, v)
			id := notesTarget(t, h, ref)
			tr.id = id
			tr.before = func(r *http.Request, write bool) {
				mu.Lock()
				if !armed || !write {
					mu.Unlock()
					return
				}
				writes++
				n := writes
				mu.Unlock()
				if n == 1 {
					firstArrived.fire()
					select {
					case <-waiting.c:
					case <-secondWrite.c:
					}
					return
				}
				secondWrite.fire()
			}
			mu.Lock()
			armed = true
			mu.Unlock()

			var wg sync.WaitGroup
			res := make([]*mcp.CallToolResult, 2)
			wg.Add(1)
			go func() {
				defer wg.Done()
				res[0] = h.Call(t, tools.NameUpdateProspect, map[string]any{"prospect": id, "append_notes": "First line."})
			}()
			firstArrived.wait()
			wg.Add(1)
			go func() {
				defer wg.Done()
				res[1] = h.Call(t, tools.NameUpdateProspect, map[string]any{"prospect": id, "append_notes": "Second line."})
			}()
			wg.Wait()
			for i, r := range res {
				if r.IsError {
					t.Errorf("call %d: %s", i+1, testenv.Text(r))
				}
			}
			if notes := prospectOf(t, ref, id).Context.Notes; notes != "Start.\nFirst line.\nSecond line." {
				t.Fatalf("the notes are %q", notes)
			}
		})
	}
}
