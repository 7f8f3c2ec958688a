package tools_test

import (
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/inbox-mcp/inbox-mcp/app"
	"github.com/inbox-mcp/inbox-mcp/inbox"
	"github.com/inbox-mcp/inbox-mcp/internal/testenv"
	"github.com/inbox-mcp/inbox-mcp/tools"
)

// answerLoser loses, for the prospects it is told about, the answers of every write: the
// API applies the change, the caller hears of a broken connection. For blind prospects,
// every request after their first write is lost too, reads included.
type answerLoser struct {
	base http.RoundTripper

	mu     sync.Mutex
	lose   []string // prospect IDs whose write answers are lost
	blind  []string // prospect IDs that cannot be read once written
	wrote  map[string]bool
	writes int
}

func (l *answerLoser) victim(r *http.Request) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, id := range append(append([]string(nil), l.lose...), l.blind...) {
		if strings.Contains(r.URL.Path, "/"+id) {
			return id
		}
	}
	return ""
}

func (l *answerLoser) RoundTrip(r *http.Request) (*http.Response, error) {
	id := l.victim(r)
	if id == "" {
		return l.base.RoundTrip(r)
	}
	l.mu.Lock()
	write := r.Method != http.MethodGet
	blind := slices.Contains(l.blind, id)
	cut := write || (blind && l.wrote[id])
	if write {
		l.wrote[id] = true
		l.writes++
	}
	l.mu.Unlock()
	if !cut {
		return l.base.RoundTrip(r)
	}
	if write {
		resp, err := l.base.RoundTrip(r)
		if err == nil {
			resp.Body.Close()
		}
	}
	return nil, errLost
}

// TestBulkUpdateLostAnswers: a prospect whose update was applied although its answer was
// lost is read back and reported as changed, not failed; one that cannot be read back
// either is reported as unknown, to check, never as failed.
func TestBulkUpdateLostAnswers(t *testing.T) {
	// Its own simulator, and waits between retries: it runs beside the others.
	t.Parallel()
	for _, v := range testenv.Versions {
		t.Run(v, func(t *testing.T) {
			loser := &answerLoser{wrote: map[string]bool{}}
			h := testenv.New(t, app.Config{}, testenv.WithAPIVersion(v),
				testenv.WithTransport(func(rt http.RoundTripper) http.RoundTripper { loser.base = rt; return loser }))
			dir := names(t, h.Backend)
			follow, _ := dir.FindTag("Follow Up")
			var ids []string
			for id := range prospectsIn(testenv.AllThreads(t, h.Backend, inbox.ThreadQuery{View: inbox.ViewNoReply}, 0)) {
				if !slices.Contains(prospectOf(t, h.Backend, id).Context.TagIDs, follow.ID) {
					ids = append(ids, id)
				}
			}
			slices.Sort(ids)
			if len(ids) < 12 {
				t.Fatalf("%d prospects without the tag; the test needs 12", len(ids))
			}
			ids = ids[:12]
			lost, blind := ids[2], ids[7]
			loser.mu.Lock()
			loser.lose, loser.blind = []string{lost}, []string{blind}
			loser.mu.Unlock()

			list := make([]any, len(ids))
			for i, id := range ids {
				list[i] = id
			}
			res := h.CallOK(t, tools.NameBulkUpdate, map[string]any{"prospects": list, "add_tags": []any{"Follow Up"}})
			r := testenv.Decode[tools.BulkResult](t, res)
			if r.Failed != 0 || len(r.Failures) != 0 {
				t.Errorf("reported failed although the change was applied: %+v", r.Failures)
			}
			if r.Changed != len(ids)-1 || r.Unknown != 1 || len(r.Unknowns) != 1 || r.Unknowns[0].Prospect != blind ||
				!strings.Contains(r.Unknowns[0].Reason, "unknown") {
				t.Fatalf("changed %d (want %d), unknown %d %+v", r.Changed, len(ids)-1, r.Unknown, r.Unknowns)
			}
			if text := testenv.Text(res); !strings.Contains(text, "unknown 1") || !strings.Contains(text, "check") {
				t.Errorf("the text does not report the unknown outcome: %q", text)
			}
			loser.mu.Lock()
			loser.lose, loser.blind = nil, nil
			loser.mu.Unlock()
			for _, id := range ids {
				if !slices.Contains(prospectOf(t, h.Backend, id).Context.TagIDs, follow.ID) {
					t.Errorf("prospect %s is not tagged: the test's transport did not let the write through", id)
				}
			}
		})
	}
}
