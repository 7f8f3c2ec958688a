package tools

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/inbox-mcp/inbox-mcp/inbox"
)

// parseSince reads a point in time given as RFC 3339 (or a bare date) or as a duration back
// from now: "90m", "24h", "7d", "2w". "" is the zero time (no bound).
func parseSince(s string, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	if d, ok := parseAgo(s); ok {
		return now.Add(-d), nil
	}
	return time.Time{}, badInput("since %q is not a time: give RFC 3339 (2025-01-15T09:00:00Z), a date (2025-01-15) or a duration back from now (30m, 24h, 7d, 2w)", s)
}

// parseAgo reads durations with the units people use for "the last …": m, h, d, w.
func parseAgo(s string) (time.Duration, bool) {
	if len(s) < 2 {
		return 0, false
	}
	unit := map[byte]time.Duration{'m': time.Minute, 'h': time.Hour, 'd': 24 * time.Hour, 'w': 7 * 24 * time.Hour}[s[len(s)-1]]
	n, err := strconv.ParseFloat(s[:len(s)-1], 64)
	// !(n >= 0) also refuses NaN, which ParseFloat accepts ("NaNd").
	if unit == 0 || err != nil || !(n >= 0) || n > 3650 {
		if d, err := time.ParseDuration(s); err == nil && d >= 0 {
			return d, true
		}
		return 0, false
	}
	return time.Duration(n * float64(unit)), true
}

// person is how a tool argument names someone.
type personKind int

const (
	byUsername personKind = iota // @username or a bare handle
	byXID                        // an X user ID (digits)
	byInboxID                    // an Inbox ID: a prospect or thread ID
)

// classify tells an @username, an X user ID and an Inbox ID apart. X handles are at most 15
// characters of letters, digits and underscore; Inbox IDs are 20 or more lowercase letters
// and digits; X user IDs are digits only.
func classify(ref string) (personKind, string) {
	ref = strings.TrimSpace(ref)
	if strings.HasPrefix(ref, "@") {
		return byUsername, strings.TrimPrefix(ref, "@")
	}
	if ref != "" && strings.Trim(ref, "0123456789") == "" {
		return byXID, ref
	}
	if len(ref) >= 20 && strings.Trim(ref, "0123456789abcdefghijklmnopqrstuvwxyz") == "" {
		return byInboxID, ref
	}
	return byUsername, ref
}

// isInboxID reports whether s has the form of an Inbox ID in every API version: lowercase
// letters and digits. Anything else is a name or a typo; the tools refuse it with advice
// before the API client refuses it with an error meant for programmers.
func isInboxID(s string) bool {
	return s != "" && strings.Trim(s, "0123456789abcdefghijklmnopqrstuvwxyz") == ""
}

// The next_cursor handed to the model is a fingerprint of the query it belongs to, a dot and
// the API's own cursor, so that a cursor reused with other filters is refused instead of
// silently mixing two listings.

func fingerprint(query any) string {
	b, _ := json.Marshal(query)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:4])
}

func encodeCursor(apiCursor string, query any) string {
	if apiCursor == "" {
		return ""
	}
	return fingerprint(query) + "." + apiCursor
}

func decodeCursor(tok string, query any, tool string) (string, error) {
	tok = strings.TrimSpace(tok)
	if tok == "" {
		return "", nil
	}
	fp, c, ok := strings.Cut(tok, ".")
	if !ok || c == "" || len(fp) != 8 {
		return "", badInput("cursor is not a next_cursor from %s: pass next_cursor exactly as returned, or leave cursor out to start over", tool)
	}
	if fp != fingerprint(query) {
		return "", badInput("cursor belongs to a %s call with other arguments: repeat that call's arguments with it (only limit may change), or leave cursor out to start over", tool)
	}
	return c, nil
}

// cursorRefused words, in the tool's terms, the refusal of a listing that started from a
// cursor whose API part the client or the API did not accept (altered, or from another
// listing): either API version may refuse it, before the request (v1) or with a 400 (v2).
func cursorRefused(err error, apiCursor, tool string) error {
	if apiCursor == "" {
		return err
	}
	if errors.Is(err, inbox.ErrInvalidArgument) {
		return badInput("cursor is not a next_cursor from %s, or no longer valid: pass next_cursor exactly as returned, or leave cursor out to start over", tool)
	}
	return err
}

// limitOr applies a default to an optional limit.
func limitOr(n, def int) int {
	if n <= 0 {
		return def
	}
	return n
}
