package v1api

import (
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/httpx"
	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/store"
)

// queryArgs is a query string parsed with the API's bracket notation: "a[b][0]=v" is the path
// [a b 0]. Empty values count as absent (the document marks every parameter allowEmptyValue),
// and unknown parameters are ignored, as the real API ignores them.
type queryArgs struct {
	entries []queryEntry
}

type queryEntry struct {
	path  []string
	value string
	order int
}

func parseQuery(raw string) (*queryArgs, *httpx.Error) {
	vals, err := url.ParseQuery(raw)
	if err != nil {
		return nil, httpx.Invalid("the query string is malformed: %v; encode values with percent-encoding", err)
	}
	q := &queryArgs{}
	keys := make([]string, 0, len(vals))
	for k := range vals {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	n := 0
	for _, k := range keys {
		path, ok := splitBrackets(k)
		if !ok {
			return nil, httpx.Invalid("query parameter %q has unbalanced brackets; use forms like cursor[id]=… or ids[]=…", k)
		}
		for _, v := range vals[k] {
			if v == "" {
				continue
			}
			q.entries = append(q.entries, queryEntry{path: path, value: v, order: n})
			n++
		}
	}
	return q, nil
}

// splitBrackets turns "a[b][c]" into [a b c].
func splitBrackets(k string) ([]string, bool) {
	i := strings.IndexByte(k, '[')
	if i < 0 {
		return []string{k}, !strings.Contains(k, "]")
	}
	path := []string{k[:i]}
	rest := k[i:]
	for rest != "" {
		if rest[0] != '[' {
			return nil, false
		}
		j := strings.IndexByte(rest, ']')
		if j < 0 {
			return nil, false
		}
		path = append(path, rest[1:j])
		rest = rest[j+1:]
	}
	return path, true
}

func hasPrefix(path, prefix []string) bool {
	if len(path) < len(prefix) {
		return false
	}
	for i := range prefix {
		if path[i] != prefix[i] {
			return false
		}
	}
	return true
}

func display(path []string) string {
	if len(path) == 0 {
		return ""
	}
	return path[0] + "[" + strings.Join(path[1:], "][") + "]"
}

func displayName(path []string) string {
	if len(path) == 1 {
		return path[0]
	}
	return display(path)
}

// has reports whether any parameter starts with the path.
func (q *queryArgs) has(path ...string) bool {
	for _, e := range q.entries {
		if hasPrefix(e.path, path) {
			return true
		}
	}
	return false
}

// scalar returns the single value of a parameter.
func (q *queryArgs) scalar(path ...string) (string, bool, *httpx.Error) {
	var vals []string
	for _, e := range q.entries {
		if len(e.path) == len(path) && hasPrefix(e.path, path) {
			vals = append(vals, e.value)
		} else if len(e.path) > len(path) && hasPrefix(e.path, path) {
			return "", false, httpx.Invalid("query parameter %s must be a single value, not an object or array", displayName(path))
		}
	}
	switch len(vals) {
	case 0:
		return "", false, nil
	case 1:
		return vals[0], true, nil
	}
	return "", false, httpx.Invalid("query parameter %s was given %d times; give it once", displayName(path), len(vals))
}

// array collects an array parameter in any of the three encodings: repeated (ids=1&ids=2),
// empty brackets (ids[]=1) and indexed (ids[0]=1). Indexed items come in index order.
func (q *queryArgs) array(path ...string) ([]string, bool, *httpx.Error) {
	type item struct {
		idx   int
		order int
		value string
	}
	var items []item
	for _, e := range q.entries {
		if !hasPrefix(e.path, path) {
			continue
		}
		switch extra := e.path[len(path):]; {
		case len(extra) == 0:
			items = append(items, item{idx: -1, order: e.order, value: e.value})
		case len(extra) == 1 && extra[0] == "":
			items = append(items, item{idx: -1, order: e.order, value: e.value})
		case len(extra) == 1:
			n, err := strconv.Atoi(extra[0])
			if err != nil || n < 0 {
				return nil, false, httpx.Invalid("query parameter %s: %q is not an array index; use %s[0]=…, %s[]=… or repeat %s=…",
					display(e.path), extra[0], displayName(path), displayName(path), displayName(path))
			}
			items = append(items, item{idx: n, order: e.order, value: e.value})
		default:
			return nil, false, httpx.Invalid("query parameter %s is nested too deeply; %s is an array of strings", display(e.path), displayName(path))
		}
	}
	sort.SliceStable(items, func(i, j int) bool {
		if items[i].idx != items[j].idx {
			return items[i].idx < items[j].idx
		}
		return items[i].order < items[j].order
	})
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.value
	}
	return out, len(out) > 0, nil
}

func (q *queryArgs) boolean(path ...string) (bool, *httpx.Error) {
	v, ok, err := q.scalar(path...)
	if err != nil || !ok {
		return false, err
	}
	switch v {
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return false, httpx.Invalid("query parameter %s must be true or false, got %q", displayName(path), v)
}

// intRange parses an integer parameter within [lo, hi]; def when absent.
func (q *queryArgs) intRange(name string, lo, hi, def int64) (int64, *httpx.Error) {
	v, ok, err := q.scalar(name)
	if err != nil || !ok {
		return def, err
	}
	n, perr := strconv.ParseInt(v, 10, 64)
	if perr != nil || n < lo || n > hi {
		return 0, httpx.Invalid("query parameter %s must be an integer from %d to %d, got %q", name, lo, hi, v)
	}
	return n, nil
}

func parseTimestamp(name, v string) (time.Time, *httpx.Error) {
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return time.Time{}, httpx.Invalid("%s must be an ISO 8601 date-time such as 2025-11-10T18:03:16.000Z, got %q", name, v)
	}
	return store.TruncMillis(t), nil
}

// cursor reads the pagination cursor in either form: the flat cursorId + cursorTimestamp pair
// (preferred) or the deprecated cursor[id] + cursor[timestamp] object. Each form needs both
// halves, and the two forms cannot be mixed.
func (q *queryArgs) cursor() (*store.Cursor, *httpx.Error) {
	id, hasID, err := q.scalar("cursorId")
	if err != nil {
		return nil, err
	}
	at, hasAt, err := q.scalar("cursorTimestamp")
	if err != nil {
		return nil, err
	}
	bid, hasBID, err := q.scalar("cursor", "id")
	if err != nil {
		return nil, err
	}
	bat, hasBAt, err := q.scalar("cursor", "timestamp")
	if err != nil {
		return nil, err
	}
	if _, ok, _ := q.scalar("cursor"); ok {
		return nil, httpx.Invalid("cursor must be an object: send cursor[id]=…&cursor[timestamp]=…, or better cursorId=…&cursorTimestamp=…")
	}
	flat, bracket := hasID || hasAt, hasBID || hasBAt
	switch {
	case flat && bracket:
		return nil, httpx.Invalid("use either cursorId + cursorTimestamp or the deprecated cursor[id] + cursor[timestamp], not both")
	case flat && !(hasID && hasAt):
		missing := "cursorTimestamp"
		if !hasID {
			missing = "cursorId"
		}
		return nil, httpx.Invalid("%s is missing: cursorId and cursorTimestamp must be sent together (copy both from nextCursor)", missing)
	case bracket && !(hasBID && hasBAt):
		missing := "cursor[timestamp]"
		if !hasBID {
			missing = "cursor[id]"
		}
		return nil, httpx.Invalid("%s is missing: cursor[id] and cursor[timestamp] must be sent together (prefer cursorId and cursorTimestamp)", missing)
	case !flat && !bracket:
		return nil, nil
	}
	idName, atName := "cursorId", "cursorTimestamp"
	if bracket {
		id, at, idName, atName = bid, bat, "cursor[id]", "cursor[timestamp]"
	}
	if !store.IsInboxID(id) {
		return nil, httpx.Invalid("%s must be an Inbox ID (lowercase letters and digits), got %q; copy it from nextCursor.id", idName, id)
	}
	t, terr := parseTimestamp(atName, at)
	if terr != nil {
		return nil, terr
	}
	return &store.Cursor{At: t, ID: id}, nil
}

// filter reads filters[<name>] with its selectedIds and no<flag>.
func (q *queryArgs) filter(name, flag string) (*store.Filter, *httpx.Error) {
	if !q.has("filters", name) {
		return nil, nil
	}
	if _, ok, _ := q.scalar("filters", name); ok {
		return nil, httpx.Invalid("filters[%s] must be an object: use filters[%s][selectedIds][]=… and/or filters[%s][%s]=true", name, name, name, flag)
	}
	ids, _, err := q.array("filters", name, "selectedIds")
	if err != nil {
		return nil, err
	}
	none, err := q.boolean("filters", name, flag)
	if err != nil {
		return nil, err
	}
	return &store.Filter{IDs: ids, None: none}, nil
}
