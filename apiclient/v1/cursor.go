package v1

import (
	"encoding/base64"
	"net/url"
	"strings"
	"time"
)

// Cursor is the v1 pagination cursor, as the API returns it in nextCursor. Treat it as
// opaque: pass it back unchanged (Timestamp is kept as the exact string the API sent).
type Cursor struct {
	Timestamp string `json:"timestamp"`
	ID        string `json:"id"`
}

// String encodes the cursor as one opaque URL-safe token, for callers that carry cursors
// as strings (e.g. an MCP next_cursor). [ParseCursor] reverses it.
func (c Cursor) String() string {
	return base64.RawURLEncoding.EncodeToString([]byte(c.Timestamp + "|" + c.ID))
}

// ParseCursor decodes a token made by [Cursor.String]. "" gives nil (the first page).
func ParseCursor(s string) (*Cursor, error) {
	if s == "" {
		return nil, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	ts, id, ok := strings.Cut(string(b), "|")
	if err != nil || !ok || !idPattern.MatchString(id) {
		return nil, invalidf("cursor %q is not a cursor of this API: pass next_cursor exactly as it was returned, or omit it to start from the first page", truncate(s, 60))
	}
	if _, err := time.Parse(time.RFC3339Nano, ts); err != nil {
		return nil, invalidf("cursor %q is not a cursor of this API: pass next_cursor exactly as it was returned, or omit it to start from the first page", truncate(s, 60))
	}
	return &Cursor{Timestamp: ts, ID: id}, nil
}

// encode adds the cursor to q in the flat form (cursorId + cursorTimestamp), which the
// API prefers over the deprecated cursor[id]/cursor[timestamp] bracket form.
func (c *Cursor) encode(q url.Values) {
	if c == nil {
		return
	}
	q.Set("cursorId", c.ID)
	q.Set("cursorTimestamp", c.Timestamp)
}

func (c *Cursor) check() error {
	if c == nil {
		return nil
	}
	if !idPattern.MatchString(c.ID) {
		return invalidf("cursor id %q is not an Inbox ID: pass nextCursor exactly as the API returned it", truncate(c.ID, 40))
	}
	if _, err := time.Parse(time.RFC3339Nano, c.Timestamp); err != nil {
		return invalidf("cursor timestamp %q is not an ISO 8601 time: pass nextCursor exactly as the API returned it", truncate(c.Timestamp, 40))
	}
	return nil
}

// token is String for a non-nil cursor and "" for nil (no next page).
func (c *Cursor) token() string {
	if c == nil {
		return ""
	}
	return c.String()
}
