package inboxsim

import (
	"bytes"
	"encoding/json"
	"math"
	"testing"
	"time"

	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/httpx"
	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/store"
	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/v1api"
)

// TestFastJSONMatchesEncodingJSON holds the hand-written encoder to what encoding/json makes
// of the wire structs, over every seeded thread and message and over awkward values.
func TestFastJSONMatchesEncodingJSON(t *testing.T) {
	api := newTestAPI(t, Options{Seed: 6})
	s := api.sim
	now := time.Now()
	ids := dbStrings(t, s, `SELECT id FROM threads`)
	for _, id := range ids {
		th, err := s.store.Thread(t.Context(), s.teamID, id)
		if err != nil {
			t.Fatal(err)
		}
		compareJSON(t, "thread "+id, v1api.ThreadsJSON([]store.Thread{th}, now), []v1api.Thread{v1api.ToThread(th, now)})
		page, err := s.store.ListMessages(t.Context(), s.teamID, id, 100, nil)
		if err != nil {
			t.Fatal(err)
		}
		msgs := make([]v1api.Message, len(page.Messages))
		for i, m := range page.Messages {
			msgs[i] = v1api.ToMessage(m)
		}
		compareJSON(t, "messages of "+id, v1api.MessagePageJSON(s.teamID, page), v1api.MessagePage{TeamID: s.teamID,
			ThreadID: id, Messages: msgs, NextCursor: v1NextCursor(page.Next), IsSyncing: page.Thread.IsSyncing})
		p, err := s.store.Prospect(t.Context(), s.teamID, th.Prospect.ExternalID)
		if err != nil {
			t.Fatal(err)
		}
		w := v1api.JSONWriter{}
		w.Prospect(p, now, true)
		compareJSON(t, "prospect "+p.ExternalID, w.B, v1api.ToProspectWithContext(p, now, true))
	}

	th, _ := s.store.Thread(t.Context(), s.teamID, ids[0])
	odd := "quote \" backslash \\ nl \n cr \r tab \t bs \b ff \f nul \x00 esc \x1b <tag> & amp \u2028 \u2029 bad \xff\xfe end \u202e 👩‍💻"
	th.Prospect.Bio = &odd
	th.Prospect.DisplayName = odd
	for _, v := range []float64{0, math.Copysign(0, -1), 0.1 + 0.2, 1e21, 1e-7, 123456789.125, -5e-324, math.MaxFloat64} {
		v := v
		th.Prospect.Context.Valuation = &v
		th.Prospect.Confidence = v
		compareJSON(t, "awkward values", v1api.ThreadsJSON([]store.Thread{th}, now), []v1api.Thread{v1api.ToThread(th, now)})
	}
	th.LastMessage = nil
	th.Prospect.Context.Tags = nil
	compareJSON(t, "nil parts", v1api.ThreadsJSON([]store.Thread{th}, now), []v1api.Thread{v1api.ToThread(th, now)})
	compareJSON(t, "empty page", v1api.ThreadPageJSON(store.ThreadPage{}, now), v1api.ThreadPage{Threads: []v1api.Thread{}})
}

func compareJSON(t *testing.T, what string, fast []byte, v any) {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	want := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	if !bytes.Equal(fast, want) {
		i := 0
		for i < len(fast) && i < len(want) && fast[i] == want[i] {
			i++
		}
		lo := max(0, i-80)
		t.Fatalf("%s: the fast encoder differs at byte %d:\nfast: …%s\nwant: …%s", what, i, fast[lo:min(len(fast), i+80)], want[lo:min(len(want), i+80)])
	}
}

// v1NextCursor is the reference mapping of a page's cursor to its v1 wire form.
func v1NextCursor(c *store.Cursor) *v1api.Cursor {
	if c == nil {
		return nil
	}
	return &v1api.Cursor{Timestamp: httpx.FormatTime(c.At), ID: c.ID}
}
