package apiclient

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestBackoffDoublesUpToMaxDelay(t *testing.T) {
	p := RetryPolicy{BaseDelay: 100 * time.Millisecond, MaxDelay: time.Second, Jitter: -1}
	want := []time.Duration{100, 200, 400, 800, 1000, 1000}
	for n, w := range want {
		if got := p.Backoff(n + 1); got != w*time.Millisecond {
			t.Errorf("Backoff(%d) = %s, want %s", n+1, got, w*time.Millisecond)
		}
	}
	// Equal jitter (the default share): between half the delay and all of it, never zero.
	j := RetryPolicy{}.withDefaults()
	for n := 1; n <= 10; n++ {
		full := min(DefaultRetryBase<<(n-1), DefaultRetryMaxDelay)
		for range 50 {
			if got := j.Backoff(n); got < full/2 || got > full {
				t.Fatalf("Backoff(%d) = %s, want within [%s, %s]", n, got, full/2, full)
			}
		}
	}
}

func TestRetriesCountAttemptsAndFollowRetryAfter(t *testing.T) {
	p := RetryPolicy{Attempts: 3, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond, Jitter: -1, MaxRetryAfter: 5 * time.Second}
	r := p.Start()
	if w, ok := r.Next(0); !ok || w != time.Millisecond {
		t.Fatalf("first retry: %s %v, want the backoff", w, ok)
	}
	if w, ok := r.Next(2 * time.Second); !ok || w != 2*time.Second {
		t.Fatalf("retry with Retry-After 2s: %s %v, want 2s", w, ok)
	}
	if _, ok := r.Next(0); ok {
		t.Fatal("a third failure of 3 attempts allows another")
	}
	r = p.Start()
	if _, ok := r.Next(6 * time.Second); ok {
		t.Fatal("a Retry-After beyond MaxRetryAfter is waited out")
	}
	r = p.Start()
	for i := 1; i < max429Attempts; i++ {
		if _, ok := r.NextLimited(0); !ok {
			t.Fatalf("429 number %d ends the call", i)
		}
	}
	if _, ok := r.NextLimited(0); ok {
		t.Fatalf("more than %d answers of 429 are followed", max429Attempts)
	}
	if _, ok := r.Next(0); !ok {
		t.Fatal("answers of 429 used up the attempts")
	}
}

// Wait refuses, at once and without cancelling anything, a wait the call has no time for.
func TestRetriesWaitStaysWithinMaxWaitAndDeadline(t *testing.T) {
	r := RetryPolicy{MaxWait: time.Hour}.Start()
	if err := r.Wait(context.Background(), 2*time.Hour); err == nil {
		t.Fatal("a wait past MaxWait was accepted")
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
	defer cancel()
	if err := r.Wait(ctx, 90*time.Minute); err == nil || ctx.Err() != nil {
		t.Fatalf("a wait past the deadline: %v (ctx %v), want a refusal with ctx live", err, ctx.Err())
	}
	if !r.Fits(time.Hour) || r.Fits(time.Hour+time.Nanosecond) {
		t.Fatal("Fits does not measure against MaxWait")
	}
	if err := r.Wait(context.Background(), time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if r.Fits(time.Hour) {
		t.Fatal("a wait was not counted toward MaxWait")
	}
	done, stop := context.WithCancel(context.Background())
	stop()
	if err := r.Wait(done, time.Second); !errors.Is(err, context.Canceled) {
		t.Fatalf("Wait on a cancelled context: %v", err)
	}
}

func TestTransient(t *testing.T) {
	for _, tt := range []struct {
		err  error
		want bool
	}{
		{&Error{StatusCode: 500}, true},
		{&Error{StatusCode: 503}, true},
		{&Error{StatusCode: 429}, true},
		{&Error{StatusCode: 404}, false},
		{&Error{StatusCode: 422}, false},
		{&callError{"GET", "/x", errors.New("connection reset")}, true},
		{&callError{"GET", "/x", context.DeadlineExceeded}, true},
		{&callError{"GET", "/x", context.Canceled}, false},
	} {
		if got := Transient(tt.err); got != tt.want {
			t.Errorf("Transient(%v) = %v, want %v", tt.err, got, tt.want)
		}
	}
}

// The policy of Config.Retry decides what Do repeats: here, nothing.
func TestDoFollowsConfiguredRetryPolicy(t *testing.T) {
	e500 := status(500, `{"error":{"code":"INTERNAL","message":"boom","status":500}}`)
	srv := newScripted(t, e500, okJSON(`{}`))
	var asked []error
	c := newTestClient(t, srv.URL, func(c *Config) {
		c.Retry.Retryable = func(err error) bool { asked = append(asked, err); return false }
	})
	err := c.Do(context.Background(), Request{Method: "GET", Path: "/team"}, nil)
	if !isServer(err) || srv.count() != 1 {
		t.Fatalf("err = %v after %d requests, want the 500 after 1", err, srv.count())
	}
	if len(asked) != 1 || !isServer(asked[0]) {
		t.Fatalf("Retryable was asked about %v", asked)
	}
}

func TestNewRejectsBadRetryPolicy(t *testing.T) {
	for _, tt := range []struct {
		p    RetryPolicy
		want string
	}{
		{RetryPolicy{Jitter: 1.5}, "Retry.Jitter 1.5 is invalid"},
		{RetryPolicy{BaseDelay: time.Second, MaxDelay: time.Millisecond}, "Retry.MaxDelay 1ms is shorter than Retry.BaseDelay 1s"},
	} {
		_, err := New(Config{BaseURL: "https://inboxapp.com/api/v1", Token: testToken, Retry: tt.p})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("New(%+v) = %v, want %q", tt.p, err, tt.want)
		}
	}
	c, err := New(Config{BaseURL: "https://inboxapp.com/api/v1", Token: testToken, Retry: RetryPolicy{BaseDelay: 10 * time.Second}})
	if err != nil {
		t.Fatal(err)
	}
	if p := c.RetryPolicy(); p.MaxDelay != 10*time.Second || p.Attempts != DefaultMaxAttempts || p.Retryable == nil {
		t.Fatalf("defaults of a policy with a long base: %+v", p)
	}
}
