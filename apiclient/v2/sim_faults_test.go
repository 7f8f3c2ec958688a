package v2

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/inbox-mcp/inbox-mcp/apiclient"
	"github.com/inbox-mcp/inbox-mcp/inboxsim"
)

// TestSendExactlyOnceOnSimulator sends through the simulator while it fails around its
// sends: 5xx before processing, connections dropped after the message is stored, and a
// platform slower than the client waits, so that retries meet 409 sendInProgress. Each
// logical send is resumed with its key until it lands, then replayed once more with the same
// key: every send ends with exactly one message in the thread. An unconfirmed send (502
// sendUnconfirmed) is reported unknown with its message, never sent twice.
func TestSendExactlyOnceOnSimulator(t *testing.T) {
	srv := startSim(t, inboxsim.Options{Seed: 4, Faults: inboxsim.Faults{
		ErrorRate: 0.15, DropAfterProcessRate: 0.2, SendDelay: 300 * time.Millisecond,
		Methods: []string{"POST"}, PathContains: "/messages",
	}})
	c, _ := newClient(t, target{name: "simulator", baseURL: srv.V2URL(), token: srv.Token},
		Options{SendAttempts: 4, BusyWait: 50 * time.Millisecond, SendRetryWait: 20 * time.Second},
		apiclient.Config{Timeout: 80 * time.Millisecond, MaxAttempts: 2})
	ctx := testCtx(t)
	threads, err := c.ListThreads(ctx, ThreadFilter{Limit: 1})
	if err != nil || len(threads.Data) == 0 {
		t.Fatalf("threads: %v, %v", threads, err)
	}
	thread := threads.Data[0].ID
	count := func(content string) int {
		t.Helper()
		n := 0
		for m, err := range c.AllMessages(ctx, thread, MessageQuery{Limit: 100}, 0) {
			if err != nil {
				t.Fatal(err)
			}
			if m.Content == content {
				n++
			}
		}
		return n
	}
	const sends = 6
	replayed := 0
	for i := range sends {
		content := fmt.Sprintf("Exactly once, take %d", i)
		req := SendRequest{Target: ToThread(thread), Content: content}
		key := NewIdempotencyKey()
		o := c.SendWithKey(ctx, key, req)
		for tries := 0; o.Outcome != apiclient.Sent; tries++ {
			if tries == 10 {
				t.Fatalf("send %d: still %s after %d resumptions: %s (%v)", i, o.Outcome, tries, o.Reason, o.Err)
			}
			o = c.SendWithKey(ctx, key, req) // resuming with the same key can never send twice
		}
		if o.Result != nil && o.Result.Message.Content != content {
			t.Errorf("send %d: result content %q", i, o.Result.Message.Content)
		}
		if o.Replayed {
			replayed++
		}
		if again := c.SendWithKey(ctx, key, req); again.Outcome != apiclient.Sent || !again.Replayed {
			t.Errorf("send %d: replaying the key gave %s (replayed %v), want a replayed send", i, again.Outcome, again.Replayed)
		}
		if n := count(content); n != 1 {
			t.Fatalf("send %d: %d messages, want exactly 1", i, n)
		}
	}
	st := srv.Sim.Stats()
	if st.Faults.Errors == 0 || st.Faults.Dropped == 0 || st.ByStatus[http.StatusConflict] == 0 || replayed == 0 {
		t.Errorf("faults did not cover the cases: %+v, %d answered 409, %d replayed", st.Faults, st.ByStatus[http.StatusConflict], replayed)
	}
	t.Logf("%d sends: %d requests, faults %+v, %d answered 409, %d landed on a replay",
		sends, st.Requests, st.Faults, st.ByStatus[http.StatusConflict], replayed)

	srv.Sim.SetFaults(inboxsim.Faults{SendUnconfirmedRate: 1})
	req := SendRequest{Target: ToThread(thread), Content: "Did it arrive?"}
	key := NewIdempotencyKey()
	for range 2 {
		o := c.SendWithKey(ctx, key, req)
		if o.Outcome != apiclient.Unknown || o.MessageID == "" || o.Attempts != 1 {
			t.Fatalf("unconfirmed send: %s, message %q after %d attempts, want unknown with its message at once", o.Outcome, o.MessageID, o.Attempts)
		}
	}
	if n := count("Did it arrive?"); n != 1 {
		t.Fatalf("unconfirmed send and its replay: %d messages, want exactly 1", n)
	}
}
