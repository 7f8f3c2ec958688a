package resources

import (
	"fmt"
	"testing"
	"time"
)

// TestSubscriptionsExpire: a session without a notification stream loses its subscriptions
// SubscriptionTTL after its last subscribe, one with a stream keeps them, and the number of
// sessions is capped.
func TestSubscriptionsExpire(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	s := NewSubscriptions(func() time.Time { return now })
	uri := "inbox://directory/tags"
	s.streams["streaming"] = true
	s.add("streaming", uri)
	s.add("silent", uri)
	now = now.Add(SubscriptionTTL - time.Second)
	s.add("recent", uri)
	if err := s.check("new", uri); err != nil {
		t.Fatal(err)
	}
	if len(s.bySession) != 3 {
		t.Fatalf("%d sessions before expiry, want 3", len(s.bySession))
	}
	now = now.Add(2 * time.Second)
	if err := s.check("new", uri); err != nil {
		t.Fatal(err)
	}
	if s.bySession["silent"] != nil || s.bySession["streaming"] == nil || s.bySession["recent"] == nil {
		t.Errorf("after the TTL: silent kept %v, streaming kept %v, recent kept %v; want false, true, true",
			s.bySession["silent"] != nil, s.bySession["streaming"] != nil, s.bySession["recent"] != nil)
	}

	for i := len(s.bySession); i < MaxSessions; i++ {
		s.add(fmt.Sprint("s", i), uri)
	}
	if err := s.check("one-too-many", uri); err == nil {
		t.Errorf("session %d was admitted", MaxSessions+1)
	}
	if err := s.check("recent", uri); err != nil {
		t.Errorf("a session already holding subscriptions was refused: %v", err)
	}
	now = now.Add(SubscriptionTTL + time.Second)
	if err := s.check("one-too-many", uri); err != nil {
		t.Errorf("after the others expired: %v", err)
	}
}
