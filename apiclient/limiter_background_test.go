package apiclient

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/inbox-mcp/inbox-mcp/inbox"
)

// Background work keeps to its share of the hour and day windows, counted over this
// client's own requests; requests a person waits for are not held by it.
func TestLimiterBackgroundShares(t *testing.T) {
	fg := context.Background()
	bg := inbox.Background(fg)
	for _, tc := range []struct {
		name       string
		hour, day  int
		share      int // requests background work may send
		roomWithin time.Duration
	}{
		{name: "hour", hour: 100, day: 100_000, share: 50, roomWithin: time.Hour + time.Minute},
		{name: "day", hour: 10_000, day: 200, share: 100, roomWithin: 24*time.Hour + 5*time.Minute},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clk := newFakeClock()
			l := testLimiter(clk, func(c *limiterConfig) { c.hourLimit, c.dayLim, c.perMinute = tc.hour, tc.day, 100_000 })
			l.observe(mustAdmit(t, l, bg), window(clk, 100_000, 99_999, time.Minute), 200, 0)
			for i := 1; i < tc.share; i++ {
				if d := heldFor(t, l, bg); d != 0 {
					t.Fatalf("background request %d held %s, below its share of %d", i, d, tc.share)
				}
			}
			_, err := l.wait(bg, time.Minute)
			var e *Error
			if !errors.As(err, &e) || !strings.Contains(e.Message, tc.name+" window") || e.RetryAfter <= time.Minute || e.RetryAfter > tc.roomWithin {
				t.Fatalf("err = %v, want a refusal naming the %s window with the wait until it has room", err, tc.name)
			}
			mustAdmit(t, l, fg) // interactive work is not held by background's share
			clk.advance(e.RetryAfter)
			mustAdmit(t, l, bg)
		})
	}
}

// When both wait for budget, a request a person waits for goes first, even if background
// work was waiting before it.
func TestLimiterInteractiveOvertakesBackground(t *testing.T) {
	clk := newFakeClock()
	l := testLimiter(clk) // no headers yet: 5 a second after a burst of 15
	fg := context.Background()
	for range 15 {
		mustAdmit(t, l, fg)
	}
	bgDone := goWait(inbox.Background(fg), l, time.Minute)
	waitUntil(l, func() bool { return l.waiters == 1 })
	fgDone := goWait(fg, l, time.Minute)
	waitUntil(l, func() bool { return l.waiters == 2 && l.fgWait == 1 })
	clk.waitTimers(2)
	clk.advance(200 * time.Millisecond) // one slot
	if r := <-fgDone; r.err != nil {
		t.Fatal(r.err)
	}
	// The background request looked again and waits for the next slot.
	waitUntil(l, func() bool { return l.fgWait == 0 && l.waiters == 1 })
	if len(bgDone) != 0 {
		t.Fatal("the background request took the slot too")
	}
	clk.waitTimers(1)
	clk.advance(200 * time.Millisecond)
	if r := <-bgDone; r.err != nil {
		t.Fatal(r.err)
	}
}

// A background caller does not hold up an interactive one that has budget: it waits only
// while one is waiting.
func TestLimiterBackgroundGoesWhenNobodyWaits(t *testing.T) {
	clk := newFakeClock()
	l := testLimiter(clk)
	bg := inbox.Background(context.Background())
	for range 15 {
		mustAdmit(t, l, bg)
	}
	if d := heldFor(t, l, bg); d != 200*time.Millisecond {
		t.Fatalf("background request past the burst held %s, want 200ms", d)
	}
}
