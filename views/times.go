package views

import (
	"strconv"
	"time"
)

// ISO formats t as an RFC 3339 UTC timestamp to the second ("2025-01-15T15:30:00Z"); the
// zero time gives "".
func ISO(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// Ago says how long before now t was, coarsely: "just now", "5m ago", "3h ago", "2d ago",
// "5w ago", "4mo ago", "2y ago"; a time in the future gives "in 5m". The zero time gives "".
func Ago(t, now time.Time) string {
	if t.IsZero() {
		return ""
	}
	d := now.Sub(t)
	if d < 0 {
		if -d < time.Minute {
			return "just now"
		}
		return "in " + Short(-d)
	}
	if d < time.Minute {
		return "just now"
	}
	return Short(d) + " ago"
}

// Short renders a duration in its largest whole unit: "45s", "12m", "3h", "2d", "5w", "4mo",
// "2y". Durations of a few units also carry the next unit when it adds meaning ("1d 4h").
func Short(d time.Duration) string {
	if d < 0 {
		d = -d
	}
	const (
		day   = 24 * time.Hour
		week  = 7 * day
		month = 30 * day
		year  = 365 * day
	)
	switch {
	case d < time.Minute:
		return strconv.Itoa(int(d/time.Second)) + "s"
	case d < time.Hour:
		return strconv.Itoa(int(d/time.Minute)) + "m"
	case d < day:
		h, m := int(d/time.Hour), int(d%time.Hour/time.Minute)
		if h < 3 && m > 0 {
			return strconv.Itoa(h) + "h " + strconv.Itoa(m) + "m"
		}
		return strconv.Itoa(h) + "h"
	case d < week:
		dd, h := int(d/day), int(d%day/time.Hour)
		if dd < 3 && h > 0 {
			return strconv.Itoa(dd) + "d " + strconv.Itoa(h) + "h"
		}
		return strconv.Itoa(dd) + "d"
	case d < 2*month:
		return strconv.Itoa(int(d/week)) + "w"
	case d < year:
		return strconv.Itoa(int(d/month)) + "mo"
	default:
		return strconv.Itoa(int(d/year)) + "y"
	}
}

// When renders a time for text output as "2025-01-15 15:30Z (3h ago)".
func When(t, now time.Time) string {
	if t.IsZero() {
		return "never"
	}
	return t.UTC().Format("2006-01-02 15:04Z") + " (" + Ago(t, now) + ")"
}
