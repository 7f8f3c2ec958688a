package v1

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/inbox-mcp/inbox-mcp/apiclient"
	"github.com/inbox-mcp/inbox-mcp/apiclient/apiclienttest"
	"github.com/inbox-mcp/inbox-mcp/inboxsim"
)

// sendsOnly limits faults to the send endpoints, so read-backs see a healthy API.
func sendsOnly(f inboxsim.Faults) inboxsim.Faults {
	f.Methods, f.PathContains = []string{"POST"}, "/messages"
	return f
}

// TestSendsUnderFaults sends N messages under each fault mode of the simulator and checks
// that every call told the truth (sent: the message is there once; not sent: it is not;
// unknown: at most once), that nothing was ever sent twice, and that after resending what
// was reported not sent the thread holds exactly N new messages.
func TestSendsUnderFaults(t *testing.T) {
	modes := []struct {
		name    string
		faults  inboxsim.Faults
		timeout time.Duration
		fired   func(inboxsim.FaultCounts) bool
	}{
		{"connections dropped after the send", sendsOnly(inboxsim.Faults{DropAfterProcessRate: 0.5}), 0,
			func(c inboxsim.FaultCounts) bool { return c.Dropped > 0 }},
		{"5xx answers", sendsOnly(inboxsim.Faults{ErrorRate: 0.5}), 0,
			func(c inboxsim.FaultCounts) bool { return c.Errors > 0 }},
		{"truncated answers", sendsOnly(inboxsim.Faults{TruncateRate: 0.5}), 0,
			func(c inboxsim.FaultCounts) bool { return c.Truncated > 0 }},
		{"429 storm", inboxsim.Faults{RateLimitBurst: 3}, 0,
			func(c inboxsim.FaultCounts) bool { return c.RateLimitBursts == 3 }},
		{"latency past the client time-out", sendsOnly(inboxsim.Faults{Latency: 250 * time.Millisecond, Jitter: 500 * time.Millisecond}), 500 * time.Millisecond,
			func(c inboxsim.FaultCounts) bool { return c.Delayed > 0 }},
		{"everything, on every request", inboxsim.Faults{ErrorRate: 0.15, DropAfterProcessRate: 0.15, TruncateRate: 0.1, Jitter: 30 * time.Millisecond}, 0,
			func(c inboxsim.FaultCounts) bool { return c.Errors > 0 && c.Dropped > 0 }},
	}
	const n = 8
	for _, mode := range modes {
		t.Run(mode.name, func(t *testing.T) {
			t.Parallel()
			// Controlled delays: the simulator's Wait hook lets a drawn latency within the
			// client's time-out pass at once, and for a longer one times the client's
			// attempt out and abandons the request once the client left. The seeded dice
			// alone decide which sends time out, and none lands after its read-backs.
			opts := small
			tm := &apiclienttest.Timeouts{}
			opts.Wait = func(w inboxsim.FaultWait) error {
				if mode.timeout == 0 || w.Duration <= mode.timeout {
					return nil
				}
				tm.Expire()
				return untilClientLeaves(w)
			}
			env := startSim(t, opts, func(c *apiclient.Config) {
				c.Retry.Attempts = 5
				c.AttemptContext = tm.Context
				if mode.timeout > 0 {
					c.Timeout = mode.timeout
				}
			})
			c, ctx := env.c, testCtx(t)
			th := sendableThread(t, c, "")
			before := contents(t, c, th.ID)
			env.srv.Sim.SetFaults(mode.faults)

			texts := make([]string, n)
			results := make([]SendResult, n)
			for i := range n {
				texts[i] = fmt.Sprintf("%s: follow-up %d on the pricing sheet", mode.name, i)
				results[i] = c.SendMessage(ctx, th.ID, SendMessageParams{Content: texts[i]})
			}
			fired := env.srv.Sim.Stats().Faults
			env.srv.Sim.SetFaults(inboxsim.Faults{})
			if !mode.fired(fired) {
				t.Fatalf("the faults did not fire: %+v", fired)
			}

			after := contents(t, c, th.ID)
			outcomes := map[apiclient.Outcome]int{}
			for i, r := range results {
				outcomes[r.Outcome]++
				got := after[texts[i]]
				switch r.Outcome {
				case apiclient.Sent:
					if got != 1 || (r.Message != nil && r.Message.Content != texts[i]) {
						t.Errorf("send %d reported sent; the thread has it %d times (message %+v)", i, got, r.Message)
					}
					if r.Message == nil && r.Reason == "" {
						t.Errorf("send %d: sent without message or reason", i)
					}
				case apiclient.NotSent:
					if got != 0 || r.Reason == "" || r.Err == nil {
						t.Errorf("send %d reported not sent (%s); the thread has it %d times", i, r.Reason, got)
					}
				case apiclient.Unknown:
					if got > 1 || r.Checked == "" {
						t.Errorf("send %d unknown (%s, checked %q); the thread has it %d times", i, r.Reason, r.Checked, got)
					}
				default:
					t.Errorf("send %d: outcome %q", i, r.Outcome)
				}
			}
			t.Logf("outcomes %v, faults %+v", outcomes, fired)

			// What was not sent (or unknown and absent) is sent again, as a user would.
			for i, r := range results {
				if r.Outcome != apiclient.Sent && after[texts[i]] == 0 {
					if again := c.SendMessage(ctx, th.ID, SendMessageParams{Content: texts[i]}); again.Outcome != apiclient.Sent {
						t.Fatalf("resend %d without faults: %+v", i, again)
					}
				}
			}
			final := contents(t, c, th.ID)
			added := 0
			for text, k := range final {
				added += k - before[text]
			}
			for i, text := range texts {
				if final[text] != 1 {
					t.Errorf("message %d is in the thread %d times", i, final[text])
				}
			}
			if added != n {
				t.Errorf("the thread gained %d messages, want exactly %d", added, n)
			}
			env.spec.check(t)
		})
	}
}

// TestConcurrentIdenticalSends sends the same text concurrently while answers get lost: each
// call must report its own message, never one another call produced.
func TestConcurrentIdenticalSends(t *testing.T) {
	env := startSim(t, small, func(c *apiclient.Config) { c.Retry.Attempts = 6 })
	c, ctx := env.c, testCtx(t)
	th := sendableThread(t, c, "")
	env.srv.Sim.SetFaults(sendsOnly(inboxsim.Faults{ErrorRate: 0.3, DropAfterProcessRate: 0.3}))
	const n = 6
	results := make([]SendResult, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			results[i] = c.SendMessage(ctx, th.ID, SendMessageParams{Content: "Sounds good, talk Tuesday!"})
		})
	}
	wg.Wait()
	env.srv.Sim.SetFaults(inboxsim.Faults{})
	ids := map[string]bool{}
	sent := 0
	for i, r := range results {
		switch r.Outcome {
		case apiclient.Sent:
			sent++
			if r.Message == nil {
				t.Fatalf("send %d: sent without a message (%s)", i, r.Reason)
			}
			if ids[r.Message.ID] {
				t.Fatalf("two calls reported the same message %s", r.Message.ID)
			}
			ids[r.Message.ID] = true
		case apiclient.Unknown:
			t.Fatalf("send %d unknown with healthy read-backs: %+v", i, r)
		}
	}
	if got := contents(t, c, th.ID)["Sounds good, talk Tuesday!"]; got != sent {
		t.Fatalf("%d calls reported sent, the thread has the text %d times", sent, got)
	}
}

// TestSameTextSentEarlierIsNotMistaken: a message with the same text sent before must not
// make a failed send look sent.
func TestSameTextSentEarlierIsNotMistaken(t *testing.T) {
	env := startSim(t, small, func(c *apiclient.Config) { c.Retry.Attempts = 2 })
	c, ctx := env.c, testCtx(t)
	th := sendableThread(t, c, "")
	const text = "Thanks!"
	if r := c.SendMessage(ctx, th.ID, SendMessageParams{Content: text}); r.Outcome != apiclient.Sent {
		t.Fatalf("first send: %+v", r)
	}
	env.srv.Sim.SetFaults(sendsOnly(inboxsim.Faults{ErrorRate: 1}))
	r := c.SendMessage(ctx, th.ID, SendMessageParams{Content: text})
	env.srv.Sim.SetFaults(inboxsim.Faults{})
	if r.Outcome != apiclient.NotSent || !isServer(r.Err) {
		t.Fatalf("second send under 5xx: %+v, want not sent", r)
	}
	if got := contents(t, c, th.ID)[text]; got != 1 {
		t.Fatalf("the text is there %d times, want 1", got)
	}
}

func TestQuickSendUnderFaults(t *testing.T) {
	env := startSim(t, small, func(c *apiclient.Config) { c.Retry.Attempts = 5 })
	c, ctx := env.c, testCtx(t)
	th := sendableThread(t, c, "")
	// A prospect with no thread yet on another active account link: the quick send
	// creates it, and the answer is lost.
	var other string
	for _, l := range ok(c.AccountLinks(ctx))(t) {
		if l.ID != th.AccountLinkID && l.Status == AccountActive {
			if hit := ok(c.LookupThread(ctx, l.ID, ProspectRef{ExternalPlatformID: th.Prospect.PlatformID}))(t); hit == nil {
				other = l.ID
				break
			}
		}
	}
	if other == "" {
		t.Skip("seeded data: every active account already talks to this prospect")
	}
	env.srv.Sim.SetFaults(sendsOnly(inboxsim.Faults{DropAfterProcessRate: 1}))
	r := c.QuickSend(ctx, QuickSendParams{AccountLinkID: other, ProspectRef: ProspectRef{ExternalPlatformID: th.Prospect.PlatformID}, Content: "Hi from our other account!"})
	env.srv.Sim.SetFaults(inboxsim.Faults{})
	if r.Outcome != apiclient.Sent || r.Message == nil || r.ThreadID == "" || r.Checked == "" {
		t.Fatalf("quick send with a lost answer: %+v", r)
	}
	created := ok(c.LookupThread(ctx, other, ProspectRef{ExternalPlatformID: th.Prospect.PlatformID}))(t)
	if created == nil || created.ID != r.ThreadID || contents(t, c, created.ID)["Hi from our other account!"] != 1 {
		t.Fatalf("thread %+v, result thread %s", created, r.ThreadID)
	}

	// Into the existing thread, 5xx before processing: verified absent, sent again, once.
	env.srv.Sim.SetFaults(sendsOnly(inboxsim.Faults{ErrorRate: 0.6}))
	for i := range 5 {
		text := fmt.Sprintf("Quick note %d", i)
		r := c.QuickSend(ctx, QuickSendParams{AccountLinkID: th.AccountLinkID, ProspectRef: ProspectRef{ExternalID: *th.Prospect.ExternalID}, Content: text})
		want := 0
		if r.Outcome == apiclient.Sent {
			want = 1
		}
		if got := contents(t, c, th.ID)[text]; got != want || r.Outcome == apiclient.Unknown {
			t.Fatalf("quick send %d: %s (%s); the thread has it %d times", i, r.Outcome, r.Reason, got)
		}
	}
	env.srv.Sim.SetFaults(inboxsim.Faults{})
	env.spec.check(t)
}
