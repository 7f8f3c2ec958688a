package v2api

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/store"
)

// v2Query is a v2 query string. v2 takes several values only by repeating a key: brackets
// (ids[]=…) and comma-separated values are refused with invalidRequest, as are unknown keys
// and a repeated key that takes one value, so a mistyped request fails loudly instead of
// being read as something else.
type v2Query struct {
	vals url.Values
}

func parseV2Query(raw string, allowed ...string) (*v2Query, error) {
	vals, err := url.ParseQuery(raw)
	if err != nil {
		return nil, v2Invalid(nil, "the query string is malformed (%v); percent-encode the values", err)
	}
	keys := make([]string, 0, len(vals))
	for k := range vals {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if strings.ContainsAny(k, "[]") {
			base, _, _ := strings.Cut(k, "[")
			return nil, v2Invalid([]any{k}, "query key %q uses brackets, which v2 does not accept: repeat the key for several values (?%s=a&%s=b)", k, base, base)
		}
		if !slices.Contains(allowed, k) {
			if len(allowed) == 0 {
				return nil, v2Invalid([]any{k}, "unknown query parameter %q; this operation takes none", k)
			}
			return nil, v2Invalid([]any{k}, "unknown query parameter %q; this operation takes: %s", k, strings.Join(allowed, ", "))
		}
	}
	return &v2Query{vals: vals}, nil
}

// one returns the value of a key that takes a single value.
func (q *v2Query) one(name string) (string, bool, error) {
	vs := q.vals[name]
	switch {
	case len(vs) == 0:
		return "", false, nil
	case len(vs) > 1:
		return "", false, v2Invalid([]any{name}, "query parameter %s takes one value but was given %d; give it once", name, len(vs))
	case vs[0] == "":
		return "", false, v2Invalid([]any{name}, "query parameter %s is empty; give a value or leave it out", name)
	}
	return vs[0], true, nil
}

// list returns the values of a repeatable key. With noCommas, a value with a comma is
// refused: it is almost certainly a comma-separated list, which v2 does not take.
func (q *v2Query) list(name string, noCommas bool) ([]string, error) {
	vs := q.vals[name]
	for i, v := range vs {
		if v == "" {
			return nil, v2Invalid([]any{name, i}, "query parameter %s has an empty value; give a value or leave it out", name)
		}
		if noCommas && strings.Contains(v, ",") {
			return nil, v2Invalid([]any{name, i}, "query parameter %s=%q looks comma-separated, which v2 does not accept: repeat the key for each value (?%s=a&%s=b)", name, v, name, name)
		}
	}
	return vs, nil
}

// ids returns the values of a repeatable key of Inbox IDs.
func (q *v2Query) ids(name string) ([]string, error) {
	vs, err := q.list(name, true)
	if err != nil {
		return nil, err
	}
	for i, v := range vs {
		if !store.IsInboxID(v) {
			return nil, v2Invalid([]any{name, i}, "query parameter %s=%q is not an Inboxapp ID (lowercase letters and digits)", name, v)
		}
	}
	return vs, nil
}

// enums returns the values of a repeatable key whose values come from a fixed list.
func (q *v2Query) enums(name string, allowed []string, maxItems int) ([]string, error) {
	vs, err := q.list(name, true)
	if err != nil {
		return nil, err
	}
	if maxItems > 0 && len(vs) > maxItems {
		return nil, v2Invalid([]any{name}, "query parameter %s is given %d times; at most %d are allowed", name, len(vs), maxItems)
	}
	for i, v := range vs {
		if !slices.Contains(allowed, v) {
			return nil, v2Invalid([]any{name, i}, "query parameter %s=%q is not one of %s", name, v, strings.Join(allowed, ", "))
		}
	}
	return store.UniqueStrings(vs), nil
}

// enum returns the value of a single-valued key from a fixed list, def when absent.
func (q *v2Query) enum(name string, allowed []string, def string) (string, error) {
	v, ok, err := q.one(name)
	if err != nil || !ok {
		return def, err
	}
	if !slices.Contains(allowed, v) {
		return "", v2Invalid([]any{name}, "query parameter %s must be one of %s, got %q", name, strings.Join(allowed, ", "), v)
	}
	return v, nil
}

func (q *v2Query) boolean(name string) (bool, error) {
	v, ok, err := q.one(name)
	if err != nil || !ok {
		return false, err
	}
	switch v {
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return false, v2Invalid([]any{name}, "query parameter %s must be true or false, got %q", name, v)
}

// integer reads an integer key within [lo, hi]; def when absent.
func (q *v2Query) integer(name string, lo, hi, def int64) (int64, error) {
	v, ok, err := q.one(name)
	if err != nil || !ok {
		return def, err
	}
	n, perr := strconv.ParseInt(v, 10, 64)
	if perr != nil || n < lo || n > hi {
		return 0, v2Invalid([]any{name}, "query parameter %s must be an integer from %d to %d, got %q", name, lo, hi, v)
	}
	return n, nil
}

// limit reads the page size: 1 to 100, 50 by default.
func (q *v2Query) limit() (int, error) {
	n, err := q.integer("limit", 1, 100, 50)
	return int(n), err
}

// expand reads the expansions: paths from the operation's list, at most 4.
func (q *v2Query) expand(allowed []string) ([]string, error) {
	return q.enums("expand", allowed, 4)
}

// fingerprint identifies the filters of a list request: every key but the page size, the
// cursor and the expansions, which may change from one page to the next.
func (q *v2Query) fingerprint() string {
	var keys []string
	for k := range q.vals {
		if k != "cursor" && k != "limit" && k != "expand" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	h := fnv.New64a()
	for _, k := range keys {
		vs := append([]string(nil), q.vals[k]...)
		sort.Strings(vs)
		fmt.Fprintf(h, "%s=%q;", k, vs)
	}
	return fmt.Sprintf("%016x", h.Sum64())
}

// v2CursorData is what an opaque v2 cursor holds: the collection it pages, the filters it
// was issued for, and a keyset position (sort time and ID) or an offset.
type v2CursorData struct {
	Kind   string `json:"k"`
	Filter string `json:"f"`
	At     int64  `json:"a,omitempty"`
	ID     string `json:"i,omitempty"`
	Offset int    `json:"o,omitempty"`
}

func encodeV2Cursor(c v2CursorData) *string {
	raw, _ := json.Marshal(c) // plain fields always marshal
	s := base64.RawURLEncoding.EncodeToString(raw)
	return &s
}

// keysetCursor is the cursor after an item at (at, id).
func (q *v2Query) keysetCursor(kind string, at time.Time, id string) *string {
	return encodeV2Cursor(v2CursorData{Kind: kind, Filter: q.fingerprint(), At: store.Millis(at), ID: id})
}

// offsetCursor is the cursor of the page starting at offset.
func (q *v2Query) offsetCursor(kind string, offset int) *string {
	return encodeV2Cursor(v2CursorData{Kind: kind, Filter: q.fingerprint(), Offset: offset})
}

// cursor decodes the cursor parameter, which must be one this API issued for the same kind
// of collection and the same filters; nil when absent.
func (q *v2Query) cursor(kind string) (*v2CursorData, error) {
	v, ok, err := q.one("cursor")
	if err != nil || !ok {
		return nil, err
	}
	raw, derr := base64.RawURLEncoding.DecodeString(v)
	var c v2CursorData
	if derr != nil || json.Unmarshal(raw, &c) != nil || c.Kind == "" {
		return nil, v2InvalidCursor("cursor %q is not one this API issued; pass back a page's nextCursor unchanged", v)
	}
	if c.Kind != kind || c.Filter != q.fingerprint() {
		return nil, v2InvalidCursor("this cursor belongs to another list or other filters; a cursor is valid only with the filters it was issued for, so repeat them unchanged or start again without a cursor")
	}
	if c.Offset < 0 || (c.ID != "" && !store.IsInboxID(c.ID)) {
		return nil, v2InvalidCursor("cursor %q is damaged; start again without a cursor", v)
	}
	return &c, nil
}

// after is a keyset cursor's position, nil for none.
func (c *v2CursorData) after() *store.Cursor {
	if c == nil || c.ID == "" {
		return nil
	}
	return &store.Cursor{At: store.FromMillis(c.At), ID: c.ID}
}

// offset is an offset cursor's position, 0 for none.
func (c *v2CursorData) offset() int {
	if c == nil {
		return 0
	}
	return c.Offset
}
