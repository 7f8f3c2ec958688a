package tools_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/inbox-mcp/inbox-mcp/app"
	"github.com/inbox-mcp/inbox-mcp/inbox"
	"github.com/inbox-mcp/inbox-mcp/inboxsim"
	"github.com/inbox-mcp/inbox-mcp/internal/testenv"
	"github.com/inbox-mcp/inbox-mcp/tools"
)

// The tests of this file send through send_reply on API v2 while the network or the API
// fails, and count what landed: every logical send is one message or none, never two,
// whatever its attempts met. v2 makes retries safe with one Idempotency-Key per logical
// send; the API answers a repeated key with the first send's result.

// lossyTransport loses the answers of the first attempts of v2 sends (POST /messages): the
// request reaches the API and is processed, the answer never comes back, as when a
// connection breaks. It records the Idempotency-Key of every send attempt.
type lossyTransport struct {
	base http.RoundTripper
	// early makes a lost attempt fail at once, while the API is still processing it (the
	// retry then finds the send in progress); otherwise the answer is read and dropped.
	early bool

	mu   sync.Mutex
	lose int // attempts whose answer is still to be lost
	keys []string
	wg   sync.WaitGroup
}

func isV2Send(r *http.Request) bool {
	return r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/api/v2/messages")
}

var errLost = errors.New("connection reset by peer (injected)")

func (l *lossyTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if !isV2Send(r) {
		return l.base.RoundTrip(r)
	}
	l.mu.Lock()
	l.keys = append(l.keys, r.Header.Get("Idempotency-Key"))
	lose := l.lose > 0
	if lose {
		l.lose--
	}
	l.mu.Unlock()
	if !lose {
		return l.base.RoundTrip(r)
	}
	if l.early {
		// The request goes on without its caller, who hears of a broken connection now.
		bg := r.Clone(context.WithoutCancel(r.Context()))
		l.wg.Add(1)
		go func() {
			defer l.wg.Done()
			if resp, err := l.base.RoundTrip(bg); err == nil {
				resp.Body.Close()
			}
		}()
		return nil, errLost
	}
	resp, err := l.base.RoundTrip(r)
	if err == nil {
		resp.Body.Close()
	}
	return nil, errLost
}

func (l *lossyTransport) sendKeys() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.keys...)
}

// landed counts the messages of a thread whose text is text.
func landed(t *testing.T, h *testenv.Harness, threadID, text string) []inbox.Message {
	t.Helper()
	var out []inbox.Message
	for _, m := range testenv.AllMessages(t, h.Backend, threadID, 0) {
		if m.Content == text {
			out = append(out, m)
		}
	}
	return out
}

// TestSendReplyV2LostAnswers: the answer of a send is lost (after the API stored the
// message, or while it is still sending it); the retry carries the same Idempotency-Key,
// gets the first send's result (a replay, or 409 sendInProgress and then the replay), and
// the tool reports the one message as sent.
func TestSendReplyV2LostAnswers(t *testing.T) {
	// Its own simulator, and waits between retries: it runs beside the others.
	t.Parallel()
	for _, tt := range []struct {
		name  string
		early bool
		delay time.Duration
	}{
		{"answer lost after the send", false, 0},
		{"connection lost while sending", true, 300 * time.Millisecond},
	} {
		t.Run(tt.name, func(t *testing.T) {
			lossy := &lossyTransport{early: tt.early, lose: 1}
			h := testenv.New(t, app.Config{}, testenv.WithAPIVersion("v2"),
				testenv.WithSim(func(o *inboxsim.Options) { o.Faults.SendDelay = tt.delay }),
				testenv.WithTransport(func(rt http.RoundTripper) http.RoundTripper { lossy.base = rt; return lossy }))
			t.Cleanup(lossy.wg.Wait)
			th := noReplyThread(t, h)
			text := "Following up: " + tt.name + "."
			busy := h.Sim.Sim.Stats().ByStatus[http.StatusConflict]
			out := sendReply(t, h, map[string]any{"thread_id": th.ID, "text": text})
			lossy.wg.Wait()
			if busy = h.Sim.Sim.Stats().ByStatus[http.StatusConflict] - busy; tt.early && busy == 0 {
				t.Fatal("the retry never found the first attempt in progress (409 sendInProgress): the test proves less than it says")
			}
			got := landed(t, h, th.ID, text)
			if len(got) != 1 || out.Outcome != "sent" || out.MessageID != got[0].ID {
				t.Fatalf("%d message(s) landed, outcome %+v", len(got), out)
			}
			keys := lossy.sendKeys()
			if len(keys) < 2 || keys[0] == "" || slices.ContainsFunc(keys, func(k string) bool { return k != keys[0] }) {
				t.Fatalf("the attempts carried the keys %q; want one key on every attempt (at least two)", keys)
			}
			// A new logical send is a new message, under a new key.
			again := sendReply(t, h, map[string]any{"thread_id": th.ID, "text": text})
			if got := landed(t, h, th.ID, text); len(got) != 2 || again.MessageID == out.MessageID {
				t.Fatalf("a second send of the same text: %d message(s), %+v", len(got), again)
			}
			if keys := lossy.sendKeys(); keys[len(keys)-1] == keys[0] {
				t.Fatal("the second logical send reused the first one's Idempotency-Key")
			}
		})
	}
}

// TestSendReplyV2Unconfirmed: the platform took the message without confirming it (502
// sendUnconfirmed). The message exists, so the send must not be retried; the tool reports
// the outcome as unknown and says to check, without suggesting to send again.
func TestSendReplyV2Unconfirmed(t *testing.T) {
	// Its own simulator, and waits between retries: it runs beside the others.
	t.Parallel()
	h := testenv.New(t, app.Config{}, testenv.WithAPIVersion("v2"))
	th := noReplyThread(t, h)
	text := "Unconfirmed, but there."
	h.Sim.Sim.SetFaults(inboxsim.Faults{SendUnconfirmedRate: 1})
	before := h.Sim.Sim.Stats().ByStatus[http.StatusBadGateway]
	res := h.Call(t, tools.NameSendReply, map[string]any{"thread_id": th.ID, "text": text})
	after := h.Sim.Sim.Stats().ByStatus[http.StatusBadGateway]
	h.Sim.Sim.SetFaults(inboxsim.Faults{})
	out := testenv.Decode[tools.SendOutcome](t, res)
	got := landed(t, h, th.ID, text)
	if len(got) != 1 || after-before != 1 {
		t.Fatalf("%d message(s) landed after %d sendUnconfirmed answer(s); want 1 and 1 (no retry)", len(got), after-before)
	}
	text2 := testenv.Text(res)
	if !res.IsError || out.Outcome != "unknown" || !strings.Contains(text2, "read_messages") || strings.Contains(text2, "send again with the same") {
		t.Fatalf("unconfirmed: IsError %v, %+v, %q", res.IsError, out, text2)
	}
}

// TestSendReplyExactlyOnceUnderFaults sends a series of messages while the API fails at
// random, before processing (5xx) and after it (the connection drops with the answer): a
// send reported sent landed exactly once, with the ID reported; one reported not sent did
// not land; one reported unknown landed at most once.
func TestSendReplyExactlyOnceUnderFaults(t *testing.T) {
	// Its own simulator, and waits between retries: it runs beside the others.
	t.Parallel()
	testenv.ForVersions(t, app.Config{}, func(t *testing.T, h *testenv.Harness) {
		th := noReplyThread(t, h)
		h.Sim.Sim.SetFaults(inboxsim.Faults{ErrorRate: 0.3, DropAfterProcessRate: 0.3, Methods: []string{http.MethodPost},
			PathContains: sendPath(h, th.ID)})
		outcomes := map[string]int{}
		for i := range 8 {
			text := "Faulty network, message " + itoa(i+1) + "."
			res := h.Call(t, tools.NameSendReply, map[string]any{"thread_id": th.ID, "text": text})
			out := testenv.Decode[tools.SendOutcome](t, res)
			outcomes[out.Outcome]++
			h.Sim.Sim.SetFaults(inboxsim.Faults{})
			got := landed(t, h, th.ID, text)
			h.Sim.Sim.SetFaults(inboxsim.Faults{ErrorRate: 0.3, DropAfterProcessRate: 0.3, Methods: []string{http.MethodPost},
				PathContains: sendPath(h, th.ID)})
			switch out.Outcome {
			case "sent":
				if len(got) != 1 || got[0].ID != out.MessageID || res.IsError {
					t.Errorf("send %d reported sent (%s): %d message(s) landed", i+1, out.MessageID, len(got))
				}
			case "not_sent":
				if len(got) != 0 {
					t.Errorf("send %d reported not sent, but %d message(s) landed", i+1, len(got))
				}
			case "unknown":
				if len(got) > 1 || !res.IsError {
					t.Errorf("send %d reported unknown: %d message(s) landed, IsError %v", i+1, len(got), res.IsError)
				}
			default:
				t.Errorf("send %d: outcome %+v", i+1, out)
			}
		}
		h.Sim.Sim.SetFaults(inboxsim.Faults{})
		if outcomes["sent"] == 0 {
			t.Fatalf("no send got through the faults (%v): the test proves little", outcomes)
		}
		t.Logf("%s: outcomes %v, faults %+v", h.Version, outcomes, h.Sim.Sim.Stats().Faults)
	})
}
