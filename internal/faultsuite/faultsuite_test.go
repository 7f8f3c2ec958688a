package faultsuite_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/inbox-mcp/inbox-mcp/apiclient"
	v2 "github.com/inbox-mcp/inbox-mcp/apiclient/v2"
	"github.com/inbox-mcp/inbox-mcp/directory"
	"github.com/inbox-mcp/inbox-mcp/inbox"
	"github.com/inbox-mcp/inbox-mcp/inboxsim"
	"github.com/inbox-mcp/inbox-mcp/internal/server"
	"github.com/inbox-mcp/inbox-mcp/internal/testenv"
	"github.com/inbox-mcp/inbox-mcp/tools"
)

// mode is a kind of failure the simulator injects.
type mode struct {
	name string
	f    inboxsim.Faults
}

// modes are the failures the simulator injects, each at a rate that fails a good share of
// requests while retries still get most calls through. Latencies are short: the suite is
// about outcomes, not time.
var modes = []mode{
	{"latency", inboxsim.Faults{Latency: 5 * time.Millisecond, Jitter: 20 * time.Millisecond}},
	{"5xx", inboxsim.Faults{ErrorRate: 0.3}},
	{"429 bursts", inboxsim.Faults{RateLimitBurst: 2}},
	{"dropped connections", inboxsim.Faults{DropAfterProcessRate: 0.3}},
	{"truncated answers", inboxsim.Faults{TruncateRate: 0.3}},
	{"all at once", inboxsim.Faults{Latency: 2 * time.Millisecond, Jitter: 5 * time.Millisecond, ErrorRate: 0.15, DropAfterProcessRate: 0.15, TruncateRate: 0.1}},
}

// env is a server on a small simulator of its own, with a client whose person approves
// every confirmation.
type env struct {
	sim    *inboxsim.Server
	b      inbox.Backend // a second client, for reading back the truth (no faults apply when cleared)
	client *client.Client
	// version is the API version the server speaks: on v2, a change of tags and status is
	// more than one request, so a fault can leave it applied in part (reported as such).
	version string
}

func newEnv(t *testing.T, version string) *env {
	t.Helper()
	sim := testenv.Sim(t, func(o *inboxsim.Options) { o.Scale = 0.3 })
	tr := http.DefaultTransport.(*http.Transport).Clone()
	t.Cleanup(tr.CloseIdleConnections)
	// The server as the binary builds it; a short read-back delay and short waits keep
	// unknown sends quick to settle.
	s, err := server.New(context.Background(), server.Config{Key: sim.Token, API: server.API{
		URL: testenv.APIURL(sim, version), Version: version,
		Client: apiclient.Config{RatePerMinute: -1, VerifyDelay: 20 * time.Millisecond, Retry: apiclient.RetryPolicy{MaxWait: 5 * time.Second},
			HTTPClient: &http.Client{Transport: tr}},
		V2: v2.Options{SendRetryWait: 5 * time.Second, BusyWait: 50 * time.Millisecond},
	}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return &env{sim: sim, b: testenv.VersionBackend(t, sim, version), client: testenv.Connect(t, s.MCP), version: version}
}

// each runs fn as a subtest per API version and case, all at once. The subtests mostly
// wait (retry back-offs, Retry-After), so they are started from goroutines rather than
// with t.Parallel, whose limit is the number of CPUs.
func each[C any](t *testing.T, cases []C, name func(C) string, fn func(t *testing.T, version string, c C)) {
	var wg sync.WaitGroup
	for _, v := range testenv.Versions {
		for _, c := range cases {
			wg.Go(func() {
				t.Run(v+"/"+name(c), func(t *testing.T) { fn(t, v, c) })
			})
		}
	}
	wg.Wait()
}

// call calls a tool and checks the answer is one a model can use: never a protocol error,
// and an error result says in words what happened.
func (e *env) call(t *testing.T, tool string, args map[string]any) *mcp.CallToolResult {
	t.Helper()
	res, err := e.client.CallTool(context.Background(), mcp.CallToolRequest{Params: mcp.CallToolParams{Name: tool, Arguments: args}})
	if err != nil {
		t.Fatalf("%s: protocol error %v; a model would see nothing", tool, err)
	}
	text := testenv.Text(res)
	if res.IsError {
		if len(text) < 30 || strings.Contains(text, "%!") || strings.Contains(text, "<nil>") || strings.Contains(text, "Internal error") || strings.Contains(text, "goroutine") {
			t.Errorf("%s: unclear error %q", tool, text)
		}
	} else if text == "" {
		t.Errorf("%s: an answer without text", tool)
	}
	return res
}

func (e *env) faults(f inboxsim.Faults) { e.sim.Sim.SetFaults(f) }

func TestFaults(t *testing.T) {
	t.Parallel()
	each(t, modes, func(m mode) string { return m.name }, func(t *testing.T, version string, m mode) {
		e := newEnv(t, version)
		threads := testenv.AllThreads(t, e.b, inbox.ThreadQuery{View: inbox.ViewDefault}, 0)
		if len(threads) < 12 {
			t.Fatalf("%d threads at this scale; the suite needs 12", len(threads))
		}
		e.faults(m.f)
		e.everyTool(t, threads[0])
		e.sends(t, m.f, threads[1:4], 6)
		e.updates(t, m.f, threads[4:])
		if st := e.sim.Sim.Stats(); m.f.Latency == 0 && st.Faults.Total() == 0 {
			t.Fatalf("no fault was injected (%+v): the suite tested nothing", st.Faults)
		}
	})
}

// everyTool calls every tool and reads every resource once under the faults.
func (e *env) everyTool(t *testing.T, th inbox.Thread) {
	t.Helper()
	for _, c := range []struct {
		tool string
		args map[string]any
	}{
		{tools.NameListThreads, map[string]any{"limit": 20}},
		{tools.NameListThreads, map[string]any{"inbox": "no-reply", "tags": []any{"Hot Lead"}}},
		{tools.NameGetThread, map[string]any{"thread_id": th.ID}},
		{tools.NameLookupThread, map[string]any{"who": "@" + th.Prospect.Username}},
		{tools.NameReadMessages, map[string]any{"thread_id": th.ID}},
		{tools.NameGetDirectory, map[string]any{}},
		{tools.NameTriageDigest, map[string]any{"limit": 10}},
		{tools.NameSearchMessages, map[string]any{"words": []any{"pricing"}, "max_threads": 10}},
		{tools.NameManageThread, map[string]any{"thread_id": th.ID, "action": "archive"}},
		{tools.NameManageThread, map[string]any{"thread_id": th.ID, "action": "unarchive"}},
		{tools.NameManageLabels, map[string]any{"kind": "tag", "action": "create", "name": "Fault Suite"}},
		{tools.NameUpdateProspect, map[string]any{"prospect": th.Prospect.ID, "append_notes": "Checked under faults."}},
		{tools.NameBulkUpdate, map[string]any{"where": map[string]any{"inbox": "no-reply"}, "add_tags": []any{"Follow Up"}, "dry_run": true}},
	} {
		e.call(t, c.tool, c.args)
	}
	for _, uri := range []string{tools.TranscriptURI(th.ID), tools.ProspectURI(th.Prospect.ID), tools.DirectoryURI("tags")} {
		if _, err := e.client.ReadResource(context.Background(), mcp.ReadResourceRequest{Params: mcp.ReadResourceParams{URI: uri}}); err != nil &&
			(strings.Contains(err.Error(), "panic") || strings.Contains(err.Error(), "internal error")) {
			t.Errorf("%s: %v", uri, err)
		}
	}
}

// sends makes confirmed sends under the faults, then reads the threads back without faults:
// every message said sent is there once, every one said not sent is not, an unknown one is
// there at most once, and nothing is there twice.
func (e *env) sends(t *testing.T, f inboxsim.Faults, threads []inbox.Thread, n int) map[string]int {
	t.Helper()
	e.faults(inboxsim.Faults{})
	before := map[string]int{}
	for _, th := range threads {
		before[th.ID] = len(testenv.AllMessages(t, e.b, th.ID, 0))
	}
	e.faults(f)
	type sent struct{ thread, text, outcome string }
	var done []sent
	for i := range n {
		th := threads[i%len(threads)]
		text := fmt.Sprintf("Fault suite message %d for %s.", i, th.ID)
		res := e.call(t, tools.NameSendReply, map[string]any{"thread_id": th.ID, "text": text})
		out := testenv.Decode[tools.SendOutcome](t, res)
		switch out.Outcome {
		case "sent", "not_sent", "unknown":
		default:
			// Failing before the send (reading the thread, asking the person) is not_sent
			// in effect: the send was never attempted.
			if !res.IsError {
				t.Fatalf("send %d: outcome %q without an error: %s", i, out.Outcome, testenv.Text(res))
			}
			out.Outcome = "not_sent"
		}
		if (out.Outcome == "sent") == res.IsError {
			t.Errorf("send %d: outcome %s but IsError %v", i, out.Outcome, res.IsError)
		}
		done = append(done, sent{th.ID, text, out.Outcome})
	}
	e.faults(inboxsim.Faults{})
	landed := map[string]int{}
	total := 0
	for _, th := range threads {
		ms := testenv.AllMessages(t, e.b, th.ID, 0)
		total += len(ms) - before[th.ID]
		for _, m := range ms {
			landed[m.Content]++
		}
	}
	want := 0
	for _, s := range done {
		n := landed[s.text]
		switch {
		case n > 1:
			t.Errorf("%q arrived %d times", s.text, n)
		case s.outcome == "sent" && n != 1:
			t.Errorf("%q was reported sent but is not in the thread", s.text)
		case s.outcome == "not_sent" && n != 0:
			t.Errorf("%q was reported not sent but arrived", s.text)
		}
		want += n
	}
	if total != want {
		t.Errorf("%d new messages in the threads, %d from the sends", total, want)
	}
	outcomes := map[string]int{}
	for _, s := range done {
		outcomes[s.outcome]++
	}
	t.Logf("sends: %v; %d arrived", outcomes, total)
	e.faults(f)
	return outcomes
}

// TestSendsThatCannotSucceed makes the sends themselves fail every time, before or after the
// API stored them (and the read-back with them): each is reported as what it is.
// sendCase is a failure every send meets, and the outcomes it allows.
type sendCase struct {
	name string
	f    inboxsim.Faults
	want []string
}

func TestSendsThatCannotSucceed(t *testing.T) {
	t.Parallel()
	cases := []sendCase{
		// Refused before the API did anything: not sent (v2, whose sends carry an
		// idempotency key, may also call a 5xx unknown: it cannot tell where it happened).
		{"refused", inboxsim.Faults{ErrorRate: 1, Methods: []string{"POST"}, PathContains: "/messages"}, []string{"not_sent", "unknown"}},
		// Every answer about messages is lost, the read-back's too: the message arrived, and
		// the tool must say sent (it found it another way) or unknown, never not sent.
		{"answers lost", inboxsim.Faults{DropAfterProcessRate: 1, PathContains: "/messages"}, []string{"sent", "unknown"}},
	}
	each(t, cases, func(c sendCase) string { return c.name }, func(t *testing.T, version string, c sendCase) {
		e := newEnv(t, version)
		threads := testenv.AllThreads(t, e.b, inbox.ThreadQuery{View: inbox.ViewDefault}, 0)
		got := e.sends(t, c.f, threads[:2], 3)
		n := 0
		for _, w := range c.want {
			n += got[w]
		}
		if n != 3 {
			t.Fatalf("outcomes %v, want only %v", got, c.want)
		}
	})
}

// updates changes prospects one by one and in bulk under the faults: a prospect reported
// changed has the whole change, none has half of one, and a second run without faults
// completes every change exactly.
func (e *env) updates(t *testing.T, f inboxsim.Faults, threads []inbox.Thread) {
	t.Helper()
	snap, err := directory.NewCache(directory.Options{}).For("truth", e.b).Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	tag, _ := snap.FindTag("Pricing")
	status, _ := snap.FindStatus("Qualified")
	var ids []any
	seen := map[string]bool{}
	for _, th := range threads {
		if !seen[th.Prospect.ID] && len(ids) < 20 {
			seen[th.Prospect.ID] = true
			ids = append(ids, th.Prospect.ID)
		}
	}
	type state struct{ tagged, qualified bool }
	read := func(id string) state {
		p, err := e.b.Prospect(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		return state{slices.Contains(p.Context.TagIDs, tag.ID), p.Context.StatusID == status.ID}
	}
	// Some prospects have the tag or the status already: half applied means neither as
	// before nor as asked.
	e.faults(inboxsim.Faults{})
	initial := map[string]state{}
	for _, id := range ids {
		initial[id.(string)] = read(id.(string))
	}
	e.faults(f)
	full := state{true, true}
	// applied reads the prospect's state. Half of the change is never allowed on v1, whose
	// context update is one request; on v2 the status and each tag are requests of their
	// own, and a fault between them leaves the change applied in part: allowed only when the
	// call reported that prospect failed (the tool then says what was applied).
	applied := func(id string, reportedFailed bool) (tagged, qualified bool) {
		s := read(id)
		if s != full && s != initial[id] && (e.version == "v1" || !reportedFailed) {
			t.Errorf("prospect %s half updated (reported failed: %v): %+v, before %+v", id, reportedFailed, s, initial[id])
		}
		return s.tagged, s.qualified
	}

	// One at a time: the first four.
	for _, id := range ids[:4] {
		res := e.call(t, tools.NameUpdateProspect, map[string]any{"prospect": id, "add_tags": []any{"Pricing"}, "status": "Qualified"})
		e.faults(inboxsim.Faults{})
		tg, q := applied(id.(string), res.IsError)
		e.faults(f)
		if !res.IsError && !(tg && q) {
			t.Errorf("prospect %s reported updated, but tag %v, status %v", id, tg, q)
		}
	}

	// In bulk: all of them.
	args := map[string]any{"prospects": ids, "add_tags": []any{"Pricing"}, "status": "Qualified"}
	res := e.call(t, tools.NameBulkUpdate, args)
	e.faults(inboxsim.Faults{})
	var failed []string
	if !res.IsError {
		out := testenv.Decode[tools.BulkResult](t, res)
		if out.Matched+len(out.Failures) < len(ids) && out.Failed == 0 {
			t.Errorf("bulk: %d of %d prospects accounted for: %+v", out.Matched, len(ids), out)
		}
		for _, fl := range out.Failures {
			failed = append(failed, fl.Prospect)
		}
	}
	for _, id := range ids {
		tg, q := applied(id.(string), res.IsError || slices.Contains(failed, id.(string)))
		if !res.IsError && !slices.Contains(failed, id.(string)) && !(tg && q) {
			t.Errorf("prospect %s was not reported failed, but the change is missing", id)
		}
	}
	t.Logf("bulk under faults: IsError %v, %d reported failed", res.IsError, len(failed))
	// The run is idempotent: once more without faults, everything is as asked.
	again := testenv.Decode[tools.BulkResult](t, e.call(t, tools.NameBulkUpdate, args))
	if again.Failed != 0 || again.Changed+again.Unchanged != len(ids) {
		t.Errorf("the repeat without faults: %+v", again)
	}
	for _, id := range ids {
		if tg, q := applied(id.(string), false); !tg || !q {
			t.Errorf("prospect %s lacks the change after the repeat", id)
		}
	}
	e.faults(f)
}
