package tools

import (
	"context"
	"errors"
	"testing"
)

// TestProspectLocks: a second change of the same prospect waits (and says so), one of
// another prospect does not, a wait ends with its request, and idle locks are forgotten.
func TestProspectLocks(t *testing.T) {
	t.Parallel()
	var l prospectLocks
	unlock, err := l.lock(context.Background(), "a", func() { t.Fatal("the first change waited") })
	if err != nil {
		t.Fatal(err)
	}
	other, err := l.lock(context.Background(), "b", func() { t.Fatal("a change of another prospect waited") })
	if err != nil {
		t.Fatal(err)
	}
	other()
	ctx, cancel := context.WithCancel(context.Background())
	waited := false
	if _, err := l.lock(ctx, "a", func() { waited = true; cancel() }); !waited || !errors.Is(err, context.Canceled) {
		t.Fatalf("a second change of the same prospect: waited %v, err %v", waited, err)
	}
	unlock()
	again, err := l.lock(context.Background(), "a", func() { t.Fatal("waited for a released lock") })
	if err != nil {
		t.Fatal(err)
	}
	again()
	if len(l.m) != 0 {
		t.Fatalf("%d idle locks kept", len(l.m))
	}
}
