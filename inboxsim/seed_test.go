package inboxsim

import (
	"bytes"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/store"
	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/v1api"
)

// dump fetches every thread of every view and the newest messages of a few threads.
func dump(t *testing.T, api *testAPI) []byte {
	t.Helper()
	var out bytes.Buffer
	for _, v := range v1api.Views {
		path := "/threads?limit=100&inbox=" + v
		for {
			var p v1api.ThreadPage
			out.Write(api.ok("GET", path, nil, &p).body)
			if p.NextCursor == nil {
				break
			}
			path = "/threads?limit=100&inbox=" + v + "&cursorId=" + p.NextCursor.ID + "&cursorTimestamp=" + url.QueryEscape(p.NextCursor.Timestamp)
		}
	}
	for _, id := range dbStrings(t, api.sim, `SELECT id FROM threads ORDER BY id LIMIT 20`) {
		out.Write(api.ok("GET", "/threads/"+id+"/messages?limit=100", nil, nil).body)
	}
	return out.Bytes()
}

// freshAPI seeds a new store for real (newTestAPI may copy a template).
func freshAPI(t *testing.T, opts Options) *testAPI {
	t.Helper()
	opts.RateLimit.Disabled = true
	sim, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return serveTestAPI(t, sim, opts)
}

func TestSeedDeterministic(t *testing.T) {
	clock := newFakeClock()
	first := freshAPI(t, Options{Seed: 7, Now: clock.Now})
	a := dump(t, first)
	b := dump(t, freshAPI(t, Options{Seed: 7, Now: clock.Now}))
	if !bytes.Equal(a, b) {
		t.Fatal("the same seed gave different data")
	}
	c := dump(t, freshAPI(t, Options{Seed: 8, Now: clock.Now}))
	if bytes.Equal(a, c) {
		t.Fatal("different seeds gave the same data")
	}
	// Seeded times are relative to the clock at seed time; the IDs do not depend on it.
	later := newFakeClock()
	later.Advance(90 * 24 * time.Hour)
	d := freshAPI(t, Options{Seed: 7, Now: later.Now})
	if x, y := dbStrings(t, first.sim, `SELECT id FROM messages ORDER BY id`), dbStrings(t, d.sim, `SELECT id FROM messages ORDER BY id`); strings.Join(x, ",") != strings.Join(y, ",") {
		t.Fatal("the message IDs depend on the clock")
	}
	newest := dbInt(t, d.sim, `SELECT max(created_at) FROM messages`)
	if now := later.Now(); int64(newest) > store.Millis(now) || int64(newest) < store.Millis(now.Add(-24*time.Hour)) {
		t.Fatalf("newest seeded message at %v, want within the day before %v", store.FromMillis(int64(newest)), now)
	}
}

// TestSeedShape checks the default data set against what the issue asks for.
func TestSeedShape(t *testing.T) {
	clock := newFakeClock()
	api := newTestAPI(t, Options{Now: clock.Now})
	s := api.sim
	count := func(q string, args ...any) int { t.Helper(); return dbInt(t, s, q, args...) }
	atLeast := func(what string, got, want int) {
		t.Helper()
		if got < want {
			t.Errorf("%s: %d, want at least %d", what, got, want)
		}
	}
	between := func(what string, got, lo, hi int) {
		t.Helper()
		if got < lo || got > hi {
			t.Errorf("%s: %d, want %d to %d", what, got, lo, hi)
		}
	}
	between("threads", count(`SELECT count(*) FROM threads`), 200, 200)
	between("messages", count(`SELECT count(*) FROM messages`), 2700, 3400)
	between("account links", count(`SELECT count(*) FROM account_links`), 3, 3)
	between("members", count(`SELECT count(*) FROM members`), 6, 6)
	between("tags", count(`SELECT count(*) FROM tags`), 9, 11)
	between("statuses", count(`SELECT count(*) FROM statuses`), 5, 7)
	atLeast("Hot Lead and Pricing tags", count(`SELECT count(*) FROM tags WHERE name IN ('Hot Lead', 'Pricing')`), 2)
	atLeast("Qualified status", count(`SELECT count(*) FROM statuses WHERE name = 'Qualified'`), 1)
	between("no-reply threads", count(`SELECT count(*) FROM threads WHERE status='active' AND done=0 AND is_request=0 AND last_inbound=1`), 55, 65)
	atLeast("requests", count(`SELECT count(*) FROM threads WHERE status='active' AND done=0 AND is_request=1`), 10)
	atLeast("archived", count(`SELECT count(*) FROM threads WHERE status='active' AND done=1`), 30)
	atLeast("idle", count(`SELECT count(*) FROM threads WHERE status='idle'`), 5)
	atLeast("threads with 200+ messages in no-reply", count(`SELECT count(*) FROM threads t WHERE last_inbound=1 AND done=0
		AND (SELECT count(*) FROM messages m WHERE m.thread_id = t.id) >= 200`), 1)
	atLeast("X Chat threads", count(`SELECT count(*) FROM threads WHERE variant='xChat'`), 20)
	atLeast("unencrypted two-sided threads", count(`SELECT count(*) FROM threads WHERE variant='unencrypted' AND has_inbound=1 AND has_outbound=1`), 3)
	atLeast("campaign messages", count(`SELECT count(*) FROM messages WHERE campaign_id IS NOT NULL`), 20)
	atLeast("assigned threads", count(`SELECT count(*) FROM threads WHERE assignee_id IS NOT NULL`), 40)
	atLeast("prospects on two account links", count(`SELECT count(*) FROM (SELECT prospect_id FROM threads GROUP BY prospect_id HAVING count(*) > 1)`), 3)
	atLeast("tagged prospects", count(`SELECT count(DISTINCT prospect_id) FROM prospect_tags`), 40)
	atLeast("prospects with a status", count(`SELECT count(*) FROM prospects WHERE status_id IS NOT NULL`), 40)
	atLeast("prospects with a valuation", count(`SELECT count(*) FROM prospects WHERE valuation IS NOT NULL`), 10)
	atLeast("prospects with notes", count(`SELECT count(*) FROM prospects WHERE notes IS NOT NULL`), 10)
	atLeast("verified prospects", count(`SELECT count(*) FROM prospects WHERE verified != 'none'`), 10)
	atLeast("business profiles", count(`SELECT count(*) FROM prospects WHERE profile_type = 'business'`), 3)
	atLeast("bare prospect (all optional fields null)", count(`SELECT count(*) FROM prospects WHERE bio IS NULL AND image IS NULL
		AND location IS NULL AND website_url IS NULL AND document_id IS NULL AND engagement_count IS NULL
		AND platform_created_at IS NULL AND first_seen_at IS NULL AND last_active_at IS NULL AND banner_url IS NULL`), 1)
	atLeast("reactions", count(`SELECT count(*) FROM messages WHERE reactions != '[]'`), 30)
	atLeast("edited messages", count(`SELECT count(*) FROM messages WHERE is_edited = 1`), 5)
	atLeast("deleted messages", count(`SELECT count(*) FROM messages WHERE deleted_at IS NOT NULL`), 1)
	atLeast("replies", count(`SELECT count(*) FROM messages WHERE reply_to_id IS NOT NULL`), 10)
	atLeast("messages sent from X", count(`SELECT count(*) FROM messages WHERE inbound = 0 AND origin = 'external'`), 50)
	atLeast("messages sent through the API", count(`SELECT count(*) FROM messages WHERE origin = 'api'`), 10)
	atLeast("emoji", count(`SELECT count(*) FROM messages WHERE content LIKE '%🙌%' OR content LIKE '%👍%' OR content LIKE '%😅%'`), 50)
	atLeast("prompt injections from prospects", count(`SELECT count(*) FROM messages WHERE inbound = 1 AND lower(content) LIKE '%ignore%instructions%'`), 4)
	atLeast("bidi / invisible characters", count(`SELECT count(*) FROM messages WHERE inbound = 1 AND instr(content, ?) > 0 AND instr(content, ?) > 0`, "\u202e", "\u200b"), 1)
	atLeast("injection in a bio", count(`SELECT count(*) FROM prospects WHERE bio LIKE '%ignore your previous instructions%'`), 1)
	for lang, probes := range map[string][2]string{"es": {"¿", "¿"}, "pt": {"Oi ", "Qual é"}, "de": {"Hallo", "Guten Tag"},
		"fr": {"Bonjour", "Salut"}, "ja": {"こんにちは", "こんにちは"}} {
		atLeast("conversations in "+lang, count(`SELECT count(*) FROM messages WHERE instr(content, ?) > 0 OR instr(content, ?) > 0`, probes[0], probes[1]), 1)
	}
	weekAgo := store.Millis(clock.Now().Add(-7 * 24 * time.Hour))
	atLeast("prospects asking about pricing this week", count(`SELECT count(DISTINCT t.prospect_id) FROM messages m JOIN threads t ON t.id = m.thread_id
		WHERE m.inbound = 1 AND m.created_at >= ? AND (lower(m.content) LIKE '%pric%' OR lower(m.content) LIKE '%cost%' OR lower(m.content) LIKE '%how much%')`, weekAgo), 25)
	atLeast("threads whose last message is under 3 hours old", count(`SELECT count(*) FROM threads WHERE last_message_at >= ?`, store.Millis(clock.Now().Add(-3*time.Hour))), 3)
	if n := count(`SELECT count(*) FROM (SELECT lower(username) FROM prospects GROUP BY lower(username) HAVING count(*) > 1)`); n != 0 {
		t.Errorf("%d usernames are used by more than one prospect", n)
	}
	if n := count(`SELECT count(*) FROM messages WHERE content LIKE '%{%}%'`); n != 0 {
		t.Errorf("%d messages with an unfilled placeholder", n)
	}
	if n := count(`SELECT count(*) FROM messages WHERE created_at > ?`, store.Millis(clock.Now())); n != 0 {
		t.Errorf("%d messages in the future", n)
	}
	checkDenormalized(t, s)
}

// TestSeedScale checks the documented scale factor: the data set grows linearly, 34 gives at
// least 100,000 messages. The full size is skipped under the race detector (too slow there);
// a tenth of it is checked always.
func TestSeedScale(t *testing.T) {
	scale, want := 3.4, 10_000
	if !raceEnabled && !testing.Short() {
		scale, want = 34, 100_000
	}
	sim, err := New(Options{Scale: scale})
	if err != nil {
		t.Fatal(err)
	}
	defer sim.Close()
	if n := dbInt(t, sim, `SELECT count(*) FROM messages`); n < want {
		t.Fatalf("scale %v: %d messages, want at least %d", scale, n, want)
	}
	if n := dbInt(t, sim, `SELECT count(*) FROM threads`); n != int(200*scale) {
		t.Fatalf("scale %v: %d threads, want %d", scale, n, int(200*scale))
	}
}
