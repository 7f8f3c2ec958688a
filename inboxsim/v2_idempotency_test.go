package inboxsim

import (
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/v2api"
)

// countMessages counts a thread's messages with this exact text, on either platform.
func countMessages(t *testing.T, s *Sim, thread, content string) int {
	t.Helper()
	return dbInt(t, s, `SELECT (SELECT count(*) FROM messages WHERE thread_id = ?1 AND content = ?2) +
		(SELECT count(*) FROM li_messages WHERE thread_id = ?1 AND content = ?2)`, thread, content)
}

// TestV2IdempotencyKey checks the documented semantics: 201 for the first send, 200 with the
// original result for a replay (whatever the JSON formatting), 422 for the same key with
// another body, and a key released when its send failed without sending.
func TestV2IdempotencyKey(t *testing.T) {
	a := newV2API(t, Options{Scale: 0.3})
	thread := pickThread(t, a.sim, "li_threads", "")[0]
	body := send(thread, "Here is the proposal we discussed")

	first := a.ok("POST", "/messages", body, nil, "Idempotency-Key", "proposal-1")
	if first.status != http.StatusCreated {
		t.Fatalf("first send: %d, want 201", first.status)
	}
	again := a.ok("POST", "/messages", `{"content": "Here is the proposal we discussed",
		"target": {"threadId": "`+thread+`", "type": "thread"}}`, nil, "Idempotency-Key", "proposal-1")
	if again.status != http.StatusOK || string(again.body) != string(first.body) {
		t.Fatalf("replay: %d %s, want 200 with the original result %s", again.status, again.body, first.body)
	}
	if n := countMessages(t, a.sim, thread, "Here is the proposal we discussed"); n != 1 {
		t.Fatalf("%d messages after a send and its replay, want 1", n)
	}
	a.fails("POST", "/messages", send(thread, "Another text"), 422, "idempotencyKeyReused", "Idempotency-Key", "proposal-1")
	a.ok("POST", "/messages", body, nil, "Idempotency-Key", "proposal-2") // another key sends again
	if n := countMessages(t, a.sim, thread, "Here is the proposal we discussed"); n != 2 {
		t.Fatalf("%d messages after two keys, want 2", n)
	}
	// Without a key, every request sends.
	a.ok("POST", "/messages", send(thread, "No key"), nil)
	a.ok("POST", "/messages", send(thread, "No key"), nil)
	if n := countMessages(t, a.sim, thread, "No key"); n != 2 {
		t.Fatalf("%d messages for two sends without a key, want 2", n)
	}
	// A send that failed sent nothing, so its key is free for the corrected request.
	a.fails("POST", "/messages", send("zzzzzzzzzzzzzzzzzzzzzzzz", "Fixed"), 404, "threadNotFound", "Idempotency-Key", "fix-me")
	if res := a.ok("POST", "/messages", send(thread, "Fixed"), nil, "Idempotency-Key", "fix-me"); res.status != http.StatusCreated {
		t.Fatalf("send after a failed one with the same key: %d, want 201", res.status)
	}
	a.fails("POST", "/messages", body, 400, "invalidRequest", "Idempotency-Key", strings.Repeat("k", 256))
}

// TestV2IdempotencyInFlight sends with a slow platform: requests with the key of a send in
// flight get 409 sendInProgress with its message ID (or 422 for another body), and of many
// concurrent requests with one key exactly one sends.
//
// The slow platform is a controlled delay (the Wait hook), not a 400ms sleep raced by a 150ms
// one: the first send stays in flight until the test has made its checks.
func TestV2IdempotencyInFlight(t *testing.T) {
	inFlight := make(chan struct{}, 1)
	release := make(chan struct{})
	wait := func(w FaultWait) error {
		if w.Send {
			select {
			case inFlight <- struct{}{}:
			default:
			}
			<-release
		}
		return nil
	}
	a := newV2API(t, Options{Scale: 0.3, Wait: wait, Faults: Faults{SendDelay: 400 * time.Millisecond}})
	var releaseOnce sync.Once
	releaseAll := func() { releaseOnce.Do(func() { close(release) }) }
	t.Cleanup(releaseAll) // runs before the server closes: a failed check leaves nothing held
	thread := pickThread(t, a.sim, "threads", "")[0]
	body := send(thread, "Slow platform today")
	var wg sync.WaitGroup
	var first v2api.SendResultJSON
	wg.Go(func() { a.ok("POST", "/messages", body, &first, "Idempotency-Key", "slow-1") })
	<-inFlight
	e := a.fails("POST", "/messages", body, 409, "sendInProgress", "Idempotency-Key", "slow-1")
	a.fails("POST", "/messages", send(thread, "Other"), 422, "idempotencyKeyReused", "Idempotency-Key", "slow-1")
	releaseAll()
	wg.Wait()
	if d, _ := e.Details.(map[string]any); d["messageId"] != first.Message.ID {
		t.Errorf("sendInProgress details %v, want messageId %s", e.Details, first.Message.ID)
	}
	if res := a.ok("POST", "/messages", body, nil, "Idempotency-Key", "slow-1"); res.status != http.StatusOK {
		t.Errorf("replay once done: %d, want 200", res.status)
	}

	statuses := make([]int, 8)
	body = send(thread, "Concurrent retries")
	for i := range statuses {
		wg.Go(func() { statuses[i] = a.do("POST", "/messages", body, "Idempotency-Key", "burst").status })
	}
	wg.Wait()
	created := 0
	for _, s := range statuses {
		switch s {
		case http.StatusCreated:
			created++
		case http.StatusConflict, http.StatusOK:
		default:
			t.Errorf("concurrent request with one key: %d", s)
		}
	}
	if n := countMessages(t, a.sim, thread, "Concurrent retries"); created != 1 || n != 1 {
		t.Errorf("%d answered 201 and %d messages exist, want exactly 1 of each (statuses %v)", created, n, statuses)
	}
}

// TestV2SendFaults covers the ambiguous failures: a connection dropped after the send was
// processed is recovered by a replay (200, no second message), and an unconfirmed send is
// 502 sendUnconfirmed with the message ID, replayed as such and never sent twice.
func TestV2SendFaults(t *testing.T) {
	a := newV2API(t, Options{Scale: 0.3})
	thread := pickThread(t, a.sim, "threads", "")[0]
	body := send(thread, "Dropped on the way back")
	a.sim.SetFaults(Faults{DropAfterProcessRate: 1, Methods: []string{"POST"}, PathContains: "/messages"})
	req, _ := http.NewRequest("POST", a.base+"/messages", jsonReader(body))
	req.Header.Set("Authorization", "Bearer "+DemoToken)
	req.Header.Set("Idempotency-Key", "drop-1")
	// The connection closes after the send is processed: the client gets no usable answer.
	if resp, err := a.srv.Client().Do(req); err == nil {
		_, rerr := io.ReadAll(resp.Body)
		resp.Body.Close()
		if rerr == nil {
			t.Fatalf("the dropped send answered %d", resp.StatusCode)
		}
	}
	a.sim.SetFaults(Faults{})
	if res := a.ok("POST", "/messages", body, nil, "Idempotency-Key", "drop-1"); res.status != http.StatusOK {
		t.Fatalf("retry after a dropped connection: %d, want 200 (a replay)", res.status)
	}
	if n := countMessages(t, a.sim, thread, "Dropped on the way back"); n != 1 {
		t.Fatalf("%d messages after a dropped send and its retry, want 1", n)
	}

	a.sim.SetFaults(Faults{SendUnconfirmedRate: 1})
	body = send(thread, "Did this arrive?")
	e := a.fails("POST", "/messages", body, 502, "sendUnconfirmed", "Idempotency-Key", "unsure-1")
	again := a.fails("POST", "/messages", body, 502, "sendUnconfirmed", "Idempotency-Key", "unsure-1")
	d, _ := e.Details.(map[string]any)
	d2, _ := again.Details.(map[string]any)
	if d["messageId"] == nil || d["messageId"] != d2["messageId"] {
		t.Errorf("sendUnconfirmed details %v then %v, want the same message ID", e.Details, again.Details)
	}
	if n := countMessages(t, a.sim, thread, "Did this arrive?"); n != 1 {
		t.Errorf("%d messages after an unconfirmed send and its replay, want 1", n)
	}
	a.ok("GET", "/messages/"+d["messageId"].(string), nil, nil)
}

// TestV2IdempotencySurvivesRestart replays a key against a new simulator on the same file.
func TestV2IdempotencySurvivesRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "inbox.db")
	a := newV2API(t, Options{Scale: 0.3, DBPath: path})
	thread := pickThread(t, a.sim, "li_threads", "")[0]
	body := send(thread, "Before the restart")
	first := a.ok("POST", "/messages", body, nil, "Idempotency-Key", "restart-1")
	a.srv.Close()
	if err := a.sim.Close(); err != nil {
		t.Fatal(err)
	}
	b := newV2API(t, Options{Scale: 0.3, DBPath: path})
	again := b.ok("POST", "/messages", body, nil, "Idempotency-Key", "restart-1")
	if again.status != http.StatusOK || string(again.body) != string(first.body) {
		t.Fatalf("replay after a restart: %d %s, want 200 with %s", again.status, again.body, first.body)
	}
	if n := countMessages(t, b.sim, thread, "Before the restart"); n != 1 {
		t.Fatalf("%d messages, want 1", n)
	}
	b.fails("POST", "/messages", send(thread, "changed"), 422, "idempotencyKeyReused", "Idempotency-Key", "restart-1")
}
