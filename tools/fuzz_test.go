package tools

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// Fuzz targets for what tools decode from a model's arguments: times, person references,
// cursors, filters and confirmation tokens. Run one with
//
//	go test ./tools -run '^$' -fuzz '^FuzzParseSince$' -fuzztime 30s

var fuzzNow = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

func FuzzParseSince(f *testing.F) {
	for _, s := range []string{"", "24h", "7d", "2w", "30m", "1.5d", "2025-01-15", "2025-01-15T09:00:00Z", "2025-01-15T09:00", "-1d", "9999d", "1e9h", "NaNd", "d", "💥"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := parseSince(s, fuzzNow)
		if err != nil {
			if _, ok := err.(*inputError); !ok || !strings.Contains(err.Error(), "RFC 3339") {
				t.Fatalf("parseSince(%q): %T %v is not an error that says what to give", s, err, err)
			}
			return
		}
		if strings.TrimSpace(s) == "" {
			if !got.IsZero() {
				t.Fatalf("parseSince(%q) = %v, want no bound", s, got)
			}
			return
		}
		if d, ok := parseAgo(strings.TrimSpace(s)); ok && (d < 0 || got.After(fuzzNow)) {
			t.Fatalf("parseSince(%q) = %v: a duration back from now lies in the future", s, got)
		}
	})
}

func FuzzClassify(f *testing.F) {
	for _, s := range []string{"@jordan", "jordan", "1234567890", "abcdefghij0123456789xyz", " @x ", "", "@", "ÄÖÜ", "12 34"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		kind, ref := classify(s)
		switch kind {
		case byXID:
			if ref == "" || strings.Trim(ref, "0123456789") != "" {
				t.Fatalf("classify(%q) = X ID %q", s, ref)
			}
		case byInboxID:
			if len(ref) < 20 || strings.Trim(ref, "0123456789abcdefghijklmnopqrstuvwxyz") != "" {
				t.Fatalf("classify(%q) = Inbox ID %q", s, ref)
			}
		case byUsername:
			if strings.HasPrefix(strings.TrimSpace(s), "@") && strings.HasPrefix(ref, "@") && !strings.HasPrefix(strings.TrimSpace(s), "@@") {
				t.Fatalf("classify(%q) kept the @: %q", s, ref)
			}
		}
		if k2, r2 := classify(ref); kind == byUsername && k2 != byUsername && !strings.HasPrefix(strings.TrimSpace(s), "@") {
			t.Fatalf("classify is not stable: %q -> %v %q -> %v %q", s, kind, ref, k2, r2)
		}
	})
}

func FuzzCursor(f *testing.F) {
	f.Add("abc123", "no-reply", "")
	f.Add("eyJpZCI6InRoMSJ9", "default", "0123abcd.xyz")
	f.Add("", "archived", ".")
	f.Fuzz(func(t *testing.T, apiCursor, view, tok string) {
		q := ListThreadsArgs{Filters: Filters{Inbox: view}}
		enc := encodeCursor(apiCursor, q)
		got, err := decodeCursor(enc, q, NameListThreads)
		if strings.TrimSpace(apiCursor) == apiCursor && (err != nil || got != apiCursor) {
			t.Fatalf("cursor %q did not round-trip: %q, %v", apiCursor, got, err)
		}
		if enc != "" {
			if _, err := decodeCursor(enc, ListThreadsArgs{Filters: Filters{Inbox: view + "x"}}, NameListThreads); err == nil {
				t.Fatalf("cursor of %q accepted for another query", view)
			}
		}
		// Anything a model makes up decodes or is refused with advice; it never panics.
		if _, err := decodeCursor(tok, q, NameListThreads); err != nil && !strings.Contains(err.Error(), "cursor") {
			t.Fatalf("decodeCursor(%q): %v", tok, err)
		}
	})
}

func FuzzDecodeFilters(f *testing.F) {
	for _, s := range []string{`{}`, `{"inbox":"no-reply","tags":["Hot Lead"],"since":"7d"}`, `{"inbox":"spam"}`, `{"tagz":["x"]}`, `{"tags":"Hot Lead"}`, `{"untagged":1}`, `{"assignees":[null]}`, `{"inBoX":""}`, `{"inbox":"all","INBOX":"spam"}`, `{"Tags":["x"]}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		var where map[string]any
		if json.Unmarshal(raw, &where) != nil {
			return
		}
		got, err := decodeFilters(where)
		if err != nil {
			if _, ok := err.(*inputError); !ok || !strings.Contains(err.Error(), "where") {
				t.Fatalf("decodeFilters(%s): %T %v", raw, err, err)
			}
			return
		}
		switch got.Inbox {
		case "", "default", "no-reply", "requests", "archived", "all":
		default:
			t.Fatalf("decodeFilters(%s) accepted view %q", raw, got.Inbox)
		}
		// A filter given is a filter kept: nothing misspelt widens the selection.
		for k := range where {
			switch k {
			case "inbox", "account", "tags", "untagged", "statuses", "assignees", "unassigned", "since":
			default:
				t.Fatalf("decodeFilters(%s) accepted unknown filter %q", raw, k)
			}
		}
	})
}

// FuzzConfirmToken: no made-up token opens, a sealed one opens once and only for exactly
// the action it was sealed for, and nothing panics.
func FuzzConfirmToken(f *testing.F) {
	cf, err := NewConfirmer(ConfirmAuto)
	if err != nil {
		f.Fatal(err)
	}
	cf.Now = func() time.Time { return fuzzNow }
	real, _, _ := cf.seal(kindSend, binding("x"), nil)
	for _, s := range []string{"", "c1.", "c1.AAAA", real, real[:len(real)-1], strings.ToUpper(real), "c1." + strings.Repeat("A", 64)} {
		f.Add(s, "Hello there")
	}
	f.Fuzz(func(t *testing.T, tok, text string) {
		bind := binding("send", "team", "thread", text)
		if _, _, err := cf.open(tok, kindSend, bind); err == nil {
			t.Fatalf("a made-up token %q opened", tok)
		}
		sealed, _, _ := cf.seal(kindSend, bind, []byte(text[:min(len(text), 32)]))
		if !utf8.ValidString(sealed) || strings.ContainsAny(sealed, " \n\"\\") {
			t.Fatalf("a token a model must copy has awkward characters: %q", sealed)
		}
		if _, _, err := cf.open(sealed, kindSend, binding("send", "team", "thread", text+"!")); !errors.Is(err, errSealMismatch) {
			t.Fatalf("a token opened for other text: %v", err)
		}
		if _, extra, err := cf.open(sealed, kindSend, bind); err != nil || string(extra) != text[:min(len(text), 32)] {
			t.Fatalf("the sealed token did not open: %v", err)
		}
		if _, _, err := cf.open(sealed, kindSend, bind); !errors.Is(err, errSealUsed) {
			t.Fatalf("the token opened twice: %v", err)
		}
	})
}
