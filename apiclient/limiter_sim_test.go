package apiclient_test

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/inbox-mcp/inbox-mcp/apiclient"
	"github.com/inbox-mcp/inbox-mcp/inboxsim"
	"github.com/inbox-mcp/inbox-mcp/internal/testenv"
)

// TestClientKeepsTheReserveBesideAnotherClient runs over real HTTP against the simulator: a
// second client of the same team (another tool, without a limiter) spends most of the
// window, then ours fans out more calls than the window has room for. Ours spends only
// what lies above its reserve, meets no 429, and refuses the rest at once with the wait.
//
// Every verdict holds at any speed: the simulator counts what it allowed, and a refusal is
// the limiter's (RetryAfter up to the window's reset), not a timer's.
func TestClientKeepsTheReserveBesideAnotherClient(t *testing.T) {
	const (
		limit   = 100
		spent   = 65 // by the other client
		reserve = 20 // 20% of the window
	)
	srv := testenv.Sim(t, func(o *inboxsim.Options) { o.RateLimit = inboxsim.RateLimits{PerMinute: limit} })
	url := testenv.APIURL(srv, "v2")
	newClient := func(c apiclient.Config) *apiclient.Client {
		c.BaseURL, c.Token = url, srv.Token
		cl, err := apiclient.New(c)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(cl.Close)
		return cl
	}
	ctx := context.Background()
	team := apiclient.Request{Method: http.MethodGet, Path: "/team"}
	other := newClient(apiclient.Config{RatePerMinute: -1})
	for range spent {
		if err := other.Do(ctx, team, nil); err != nil {
			t.Fatal(err)
		}
	}

	ours := newClient(apiclient.Config{Retry: apiclient.RetryPolicy{MaxRetryAfter: time.Second}})
	var (
		mu               sync.Mutex
		sent, refused    int
		unexpected       []error
		wg               sync.WaitGroup
		workers, perWork = 8, 5
	)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range perWork {
				err := ours.Do(ctx, team, nil)
				var e *apiclient.Error
				mu.Lock()
				switch {
				case err == nil:
					sent++
				case errors.As(err, &e) && apiclient.IsRateLimited(err) && e.RetryAfter > time.Second && e.RetryAfter <= time.Minute:
					refused++
				default:
					unexpected = append(unexpected, err)
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(unexpected) > 0 {
		t.Fatalf("unexpected errors: %v", unexpected)
	}
	st := srv.Sim.Stats()
	if st.RateLimited != 0 {
		t.Fatalf("the simulator answered %d requests with 429", st.RateLimited)
	}
	if sent < 1 || sent > limit-spent-reserve {
		t.Fatalf("our client sent %d requests with %d left in the window and a reserve of %d", sent, limit-spent, reserve)
	}
	t.Logf("sent %d, refused %d", sent, refused)
	if sent+refused != workers*perWork || st.Requests != int64(spent+sent) {
		t.Fatalf("sent %d, refused %d of %d calls; the simulator saw %d requests, want %d", sent, refused, workers*perWork, st.Requests, spent+sent)
	}
}
