package v2

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/inbox-mcp/inbox-mcp/apiclient"
	"github.com/inbox-mcp/inbox-mcp/apiclient/apiclienttest"
	"github.com/inbox-mcp/inbox-mcp/inboxsim"
)

// TestSendExactlyOnceOnSimulator sends through the simulator while it fails around its
// sends: 5xx before processing, connections dropped after the message is stored, and a
// platform slower than the client waits, so that retries meet 409 sendInProgress. Each
// logical send is resumed with its key until it lands, then replayed once more with the same
// key: every send ends with exactly one message in the thread. An unconfirmed send (502
// sendUnconfirmed) is reported unknown with its message, never sent twice.
//
// Deterministic at any machine speed: no wall-clock timer decides anything. A slow send is a
// controlled delay (the simulator's Wait hook holds it, times the client's attempt out
// through apiclienttest.Timeouts, and lets it finish once a retry has been answered 409),
// and no other attempt can time out, so the seeded faults meet the same requests every run.
func TestSendExactlyOnceOnSimulator(t *testing.T) {
	tm := &apiclienttest.Timeouts{}
	slow := newSlowPlatform(tm)
	srv := startHeldSim(t, inboxsim.Options{Seed: 4, Wait: slow.wait, Faults: inboxsim.Faults{
		ErrorRate: 0.15, DropAfterProcessRate: 0.2, SendDelay: 300 * time.Millisecond,
		Methods: []string{"POST"}, PathContains: "/messages",
	}}, slow)
	c, _ := newClient(t, target{name: "simulator", baseURL: srv.URL + inboxsim.V2Prefix, token: inboxsim.DemoToken},
		Options{SendAttempts: 4, BusyWait: 50 * time.Millisecond, SendRetryWait: 20 * time.Second},
		apiclient.Config{Timeout: 80 * time.Millisecond, Retry: apiclient.RetryPolicy{Attempts: 2}, AttemptContext: tm.Context})
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
	st := srv.sim.Stats()
	if st.Faults.Errors == 0 || st.Faults.Dropped == 0 || st.ByStatus[http.StatusConflict] == 0 || replayed == 0 {
		t.Errorf("faults did not cover the cases: %+v, %d answered 409, %d replayed", st.Faults, st.ByStatus[http.StatusConflict], replayed)
	}
	t.Logf("%d sends: %d requests, faults %+v, %d answered 409, %d landed on a replay",
		sends, st.Requests, st.Faults, st.ByStatus[http.StatusConflict], replayed)

	if tm.Expired() == 0 {
		t.Error("no send was slower than the client waits")
	}
	srv.sim.SetFaults(inboxsim.Faults{SendUnconfirmedRate: 1})
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

// slowPlatform is the simulator's Wait hook for Faults.SendDelay: a send it holds stays in
// flight until the client's attempt has timed out (it expires it) and a retry with the same
// key has been answered 409 sendInProgress; that answer goes out only once the held send has
// finished, so the next retry is answered with the replay. Latency waits pass at once.
type slowPlatform struct {
	tm   *apiclienttest.Timeouts
	stop chan struct{} // closed when the test ends

	mu   sync.Mutex
	held *heldSend // the send in flight, nil when none
}

type heldSend struct {
	conflict chan struct{} // closed when a retry is being answered 409
	finished chan struct{} // closed when the held send's handler has returned
	once     sync.Once
}

func newSlowPlatform(tm *apiclienttest.Timeouts) *slowPlatform {
	return &slowPlatform{tm: tm, stop: make(chan struct{})}
}

type heldKey struct{}

func (p *slowPlatform) wait(w inboxsim.FaultWait) error {
	if !w.Send {
		return nil
	}
	h := &heldSend{conflict: make(chan struct{}), finished: make(chan struct{})}
	if slot, ok := w.Context.Value(heldKey{}).(**heldSend); ok {
		*slot = h
	}
	p.mu.Lock()
	p.held = h
	p.mu.Unlock()
	p.tm.Expire()
	select {
	case <-h.conflict:
	case <-p.stop:
	}
	return nil
}

// handler serves the simulator, marking each send so that the hook can tell when its
// handler returned, and holding a 409 answer until the held send has finished.
func (p *slowPlatform) handler(sim http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var h *heldSend
		r = r.WithContext(context.WithValue(r.Context(), heldKey{}, &h))
		sim.ServeHTTP(&conflictWriter{ResponseWriter: w, p: p}, r)
		if h != nil {
			p.mu.Lock()
			p.held = nil
			p.mu.Unlock()
			close(h.finished)
		}
	})
}

// conflictWriter releases the held send when a 409 is answered, and lets the answer go
// only once the send has finished.
type conflictWriter struct {
	http.ResponseWriter
	p *slowPlatform
}

func (w *conflictWriter) WriteHeader(code int) {
	if code == http.StatusConflict {
		w.p.mu.Lock()
		h := w.p.held
		w.p.mu.Unlock()
		if h != nil {
			h.once.Do(func() { close(h.conflict) })
			select {
			case <-h.finished:
			case <-w.p.stop:
			}
		}
	}
	w.ResponseWriter.WriteHeader(code)
}

// Hijack lets the simulator drop connections through the wrapper.
func (w *conflictWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	return http.NewResponseController(w.ResponseWriter).Hijack()
}

// heldSim is a simulator served through slowPlatform's handler.
type heldSim struct {
	sim *inboxsim.Sim
	URL string
}

func startHeldSim(t *testing.T, opts inboxsim.Options, p *slowPlatform) *heldSim {
	t.Helper()
	opts.Scale = 0.3
	opts.RateLimit.Disabled = true
	sim, err := inboxsim.New(opts)
	if err != nil {
		t.Fatalf("start the simulator: %v", err)
	}
	srv := httptest.NewServer(p.handler(sim))
	t.Cleanup(func() {
		srv.Close()
		_ = sim.Close()
	})
	t.Cleanup(func() { close(p.stop) }) // runs first: nothing stays held while the server closes
	return &heldSim{sim: sim, URL: srv.URL}
}
