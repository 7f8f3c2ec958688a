package v1

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/inbox-mcp/inbox-mcp/apiclient"
	"github.com/inbox-mcp/inbox-mcp/inboxsim"
)

// TestReadsUnderFaults walks every thread and reads a thread's messages under each fault
// mode: the retries must make the faults invisible.
func TestReadsUnderFaults(t *testing.T) {
	env := startSim(t, inboxsim.Options{}, func(c *apiclient.Config) { c.Retry.Attempts = 8 })
	c := env.c
	want := threadIDs(allThreads(t, c, ThreadListParams{}))
	th := ok(c.ListThreads(testCtx(t), ThreadListParams{Limit: 1}))(t).Threads[0]
	wantMsgs := len(ok(apiclient.Collect(c.Messages(testCtx(t), th.ID, 0)))(t))
	// A slice, not a map: the simulator's fault dice are seeded, so a fixed order makes
	// every run see the same faults.
	modes := []struct {
		name string
		f    inboxsim.Faults
	}{
		{"5xx", inboxsim.Faults{ErrorRate: 0.3}},
		{"truncated", inboxsim.Faults{TruncateRate: 0.3}},
		{"dropped", inboxsim.Faults{DropAfterProcessRate: 0.3}},
		{"latency", inboxsim.Faults{Latency: 5 * time.Millisecond, Jitter: 20 * time.Millisecond}},
		{"429 burst", inboxsim.Faults{RateLimitBurst: 2}},
		{"all of them", inboxsim.Faults{ErrorRate: 0.25, TruncateRate: 0.2, DropAfterProcessRate: 0.2, Jitter: 10 * time.Millisecond}},
		{"PATCH and GET", inboxsim.Faults{ErrorRate: 0.3, DropAfterProcessRate: 0.2, Methods: []string{"GET", "PATCH"}}},
	}
	for _, m := range modes {
		f := m.f
		t.Run(m.name, func(t *testing.T) {
			start := env.srv.Sim.Stats().Faults.Total()
			env.srv.Sim.SetFaults(f)
			defer env.srv.Sim.SetFaults(inboxsim.Faults{})
			got := threadIDs(allThreads(t, c, ThreadListParams{}))
			if !slices.Equal(got, want) {
				t.Fatalf("walk under faults saw %d threads, want the same %d", len(got), len(want))
			}
			msgs := ok(apiclient.Collect(c.Messages(testCtx(t), th.ID, 0)))(t)
			if len(msgs) != wantMsgs {
				t.Fatalf("%d messages, want %d", len(msgs), wantMsgs)
			}
			// A PATCH is repeatable: marking done twice is the same as once.
			upd := ok(c.UpdateThread(testCtx(t), th.ID, ThreadUpdate{Done: ptr(!th.Done)}))(t)
			back := ok(c.UpdateThread(testCtx(t), th.ID, ThreadUpdate{Done: ptr(th.Done)}))(t)
			if upd.Done == th.Done || back.Done != th.Done {
				t.Fatal("updates under faults did not take")
			}
			if f.Latency == 0 && env.srv.Sim.Stats().Faults.Total() == start {
				t.Fatal("no fault fired")
			}
		})
	}
	env.spec.check(t)
}

func TestCancellation(t *testing.T) {
	t.Run("during server latency", func(t *testing.T) {
		// A controlled delay: the simulator holds the request until the client leaves and
		// cancels the call once it holds it, so the cancellation always meets the latency;
		// a call that outlived it could only end by the client's time-out, another error.
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		opts := small
		opts.Wait = cancelThenHold(cancel)
		env := startSim(t, opts, func(c *apiclient.Config) { c.AttemptContext = nil })
		env.srv.Sim.SetFaults(inboxsim.Faults{Latency: 10 * time.Second})
		_, err := env.c.Team(ctx)
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
	})

	t.Run("while waiting for a rate-limit slot", func(t *testing.T) {
		env := startSim(t, small, func(c *apiclient.Config) { c.RatePerMinute = 1; c.Retry.MaxRetryAfter = 2 * time.Minute })
		th := ok(env.c.ListThreads(testCtx(t), ThreadListParams{Limit: 1}))(t).Threads[0]
		requests := env.srv.Sim.Stats().Requests

		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(50*time.Millisecond, cancel)
		if _, err := env.c.Team(ctx); !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "rate-limit slot") {
			t.Fatalf("read: err = %v, want a cancelled wait for a slot", err)
		}
		ctx2, cancel2 := context.WithCancel(context.Background())
		time.AfterFunc(50*time.Millisecond, cancel2)
		r := env.c.SendMessage(ctx2, th.ID, SendMessageParams{Content: "never goes out"})
		if r.Outcome != apiclient.NotSent || !errors.Is(r.Err, context.Canceled) {
			t.Fatalf("send: %+v, want not sent", r)
		}
		// A deadline no loaded machine reaches in one call, still short of the slot.
		dctx, dcancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer dcancel()
		if _, err := env.c.Team(dctx); !errors.Is(err, context.DeadlineExceeded) || dctx.Err() != nil {
			t.Fatalf("err = %v: a slot a minute away must fail at once on a short deadline", err)
		}
		if got := env.srv.Sim.Stats().Requests; got != requests {
			t.Fatalf("the simulator saw %d more requests", got-requests)
		}
	})

	t.Run("mid-send", func(t *testing.T) {
		// A controlled delay: the simulator cancels the send once it holds it in its
		// latency, and abandons it when the client leaves, so no timer orders the events
		// and nothing can land after the check.
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		opts := small
		opts.Wait = cancelThenHold(cancel)
		env := startSim(t, opts, nil)
		th := sendableThread(t, env.c, "")
		env.srv.Sim.SetFaults(sendsOnly(inboxsim.Faults{Latency: 400 * time.Millisecond}))
		r := env.c.SendMessage(ctx, th.ID, SendMessageParams{Content: "Cancelled on its way"})
		if r.Outcome != apiclient.Unknown || !errors.Is(r.Err, context.Canceled) || r.Checked == "" {
			t.Fatalf("send cancelled in flight: %+v, want unknown with what was checked", r)
		}
		env.srv.Sim.SetFaults(inboxsim.Faults{})
		if n := contents(t, env.c, th.ID)["Cancelled on its way"]; n > 1 {
			t.Fatalf("the message is there %d times", n)
		}
	})
}

// cancelThenHold is a simulator Wait hook for injected latency: it cancels the call whose
// request it holds, then holds the request until the client has left (the request is then
// abandoned unprocessed).
func cancelThenHold(cancel context.CancelFunc) func(inboxsim.FaultWait) error {
	return func(w inboxsim.FaultWait) error {
		cancel()
		return untilClientLeaves(w)
	}
}

func TestServerRateLimit(t *testing.T) {
	t.Run("the client holds requests when the window is used up", func(t *testing.T) {
		// No reserve: the window is the client's to use up (the reserve has its own tests).
		env := startSim(t, inboxsim.Options{Scale: 0.3, RateLimit: inboxsim.RateLimits{PerMinute: 5}}, func(c *apiclient.Config) {
			c.RatePerMinute, c.Retry.MaxRetryAfter, c.RateReserve = 300, 2*time.Minute, -1
		})
		for range 5 {
			ok(env.c.Team(testCtx(t)))(t)
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		if _, err := env.c.Team(ctx); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("err = %v, want the client to hold the request until the window resets", err)
		}
		// A hold longer than MaxRetryAfter is reported at once as a rate limit.
		env2 := startSim(t, inboxsim.Options{Scale: 0.3, RateLimit: inboxsim.RateLimits{PerMinute: 5}}, func(c *apiclient.Config) { c.RatePerMinute, c.RateReserve = 300, -1 })
		for range 5 {
			ok(env2.c.Team(testCtx(t)))(t)
		}
		_, err := env2.c.Tags(testCtx(t))
		var e *apiclient.Error
		if !errors.As(err, &e) || !apiclient.IsRateLimited(err) || e.RetryAfter <= apiclient.DefaultMaxRetryAfter || e.Path != "/tags" {
			t.Fatalf("err = %v, want a rate-limit error naming the wait", err)
		}
		for _, env := range []*simEnv{env, env2} {
			if st := env.srv.Sim.Stats(); st.Requests != 5 || st.RateLimited != 0 {
				t.Fatalf("simulator saw %d requests, %d rate limited; want 5 and none", st.Requests, st.RateLimited)
			}
		}
	})
	t.Run("a long Retry-After surfaces as a rate-limit error", func(t *testing.T) {
		env := startSim(t, inboxsim.Options{Scale: 0.3, RateLimit: inboxsim.RateLimits{PerMinute: 2}}, func(c *apiclient.Config) { c.Retry.MaxRetryAfter = 2 * time.Second })
		for range 2 {
			ok(env.c.Team(testCtx(t)))(t)
		}
		_, err := env.c.Team(testCtx(t))
		var e *apiclient.Error
		if !apiclient.IsRateLimited(err) || !errors.As(err, &e) || e.Code != "RATE_LIMITED" || e.RetryAfter < 2*time.Second {
			t.Fatalf("err = %v, want RATE_LIMITED with a Retry-After", err)
		}
	})
}

func TestBadTokenIsAuthError(t *testing.T) {
	srv, err := inboxsim.Start(context.Background(), "", inboxsim.Options{Scale: 0.3, RateLimit: inboxsim.RateLimits{Disabled: true}})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	const secret = "sk_live_wrong_4b1d2c9e"
	ac, err := apiclient.New(apiclient.Config{BaseURL: srv.URL, Token: secret, RatePerMinute: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer ac.Close()
	_, err = New(ac).Team(testCtx(t))
	if !apiclient.IsAuth(err) || strings.Contains(err.Error(), secret) {
		t.Fatalf("err = %v, want a 401 without the token in it", err)
	}
}
