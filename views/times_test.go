package views

import (
	"testing"
	"time"
)

func TestAgo(t *testing.T) {
	now := time.Date(2025, 1, 15, 18, 0, 0, 0, time.UTC)
	tests := []struct {
		d    time.Duration
		want string
	}{
		{0, "just now"},
		{30 * time.Second, "just now"},
		{5 * time.Minute, "5m ago"},
		{90 * time.Minute, "1h 30m ago"},
		{3 * time.Hour, "3h ago"},
		{26 * time.Hour, "1d 2h ago"},
		{4 * 24 * time.Hour, "4d ago"},
		{15 * 24 * time.Hour, "2w ago"},
		{90 * 24 * time.Hour, "3mo ago"},
		{800 * 24 * time.Hour, "2y ago"},
		{-10 * time.Minute, "in 10m"},
	}
	for _, tt := range tests {
		if got := Ago(now.Add(-tt.d), now); got != tt.want {
			t.Errorf("Ago(now-%s) = %q, want %q", tt.d, got, tt.want)
		}
	}
	if got := Ago(time.Time{}, now); got != "" {
		t.Errorf("Ago(zero) = %q, want empty", got)
	}
}

func TestISOAndWhen(t *testing.T) {
	now := time.Date(2025, 1, 15, 18, 0, 0, 0, time.UTC)
	at := time.Date(2025, 1, 15, 15, 0, 0, 0, time.FixedZone("x", 3600))
	if got, want := ISO(at), "2025-01-15T14:00:00Z"; got != want {
		t.Errorf("ISO = %q, want %q", got, want)
	}
	if got, want := When(at, now), "2025-01-15 14:00Z (4h ago)"; got != want {
		t.Errorf("When = %q, want %q", got, want)
	}
	if ISO(time.Time{}) != "" || When(time.Time{}, now) != "never" {
		t.Error("zero time must render as empty / never")
	}
}
