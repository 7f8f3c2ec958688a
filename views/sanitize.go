package views

import (
	"strings"
	"unicode/utf8"
)

// Sanitize makes text written by a prospect (or anyone outside the team) safe to show a model
// and a person: it removes the characters that can hide or reorder text so what is read differs
// from what is there. Removed are C0 and C1 control characters except newline and tab (a
// carriage return becomes a newline), bidirectional embeddings, overrides and isolates
// (U+202A–U+202E, U+2066–U+2069, U+061C), zero-width and invisible characters (U+200B–U+200F,
// U+2060–U+2065, U+FEFF, U+180E, U+00AD, U+FFF9–U+FFFB) and Unicode tag characters
// (U+E0000–U+E007F, which can smuggle invisible ASCII). Line and paragraph separators become
// newlines and invalid UTF-8 becomes U+FFFD. Everything else, emoji included, is kept.
func Sanitize(s string) string {
	if isClean(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == utf8.RuneError && size <= 1:
			b.WriteRune(utf8.RuneError)
		case r == '\r':
			// \r\n is one line break; a lone \r is one too.
			if i < len(s) && s[i] == '\n' {
				continue
			}
			b.WriteByte('\n')
		case r == '\u2028' || r == '\u2029':
			b.WriteByte('\n')
		case dropped(r):
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// isClean reports whether Sanitize would return s unchanged, so the common case of plain text
// costs no allocation.
func isClean(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			return cleanSlow(s[i:])
		}
		if (c < 0x20 && c != '\n' && c != '\t') || c == 0x7f {
			return false
		}
	}
	return true
}

func cleanSlow(s string) bool {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size <= 1) || r == '\r' || r == '\u2028' || r == '\u2029' || dropped(r) {
			return false
		}
		i += size
	}
	return true
}

// dropped reports whether r is removed by Sanitize.
func dropped(r rune) bool {
	switch {
	case r < 0x20:
		return r != '\n' && r != '\t'
	case r >= 0x7f && r <= 0x9f: // DEL and C1 controls
		return true
	case r == 0xad, r == 0x61c, r == 0x180e:
		return true
	case r >= 0x200b && r <= 0x200f: // zero-width space/joiners, LRM, RLM
		return true
	case r >= 0x202a && r <= 0x202e: // bidi embeddings and overrides
		return true
	case r >= 0x2060 && r <= 0x2069: // word joiner, invisible operators, bidi isolates
		return true
	case r == 0xfeff:
		return true
	case r >= 0xfff9 && r <= 0xfffb: // interlinear annotation controls
		return true
	case r >= 0xe0000 && r <= 0xe007f: // tag characters
		return true
	}
	return false
}

// SanitizeLine is Sanitize for one-line fields (names, locations, excerpts): every run of
// whitespace, newlines included, becomes one space and the ends are trimmed, so a name cannot
// start a line of its own that imitates the server's output.
func SanitizeLine(s string) string {
	s = Sanitize(s)
	if !needsFolding(s) {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

func needsFolding(s string) bool {
	if s == "" {
		return false
	}
	if s[0] == ' ' || s[len(s)-1] == ' ' {
		return true
	}
	prevSpace := false
	for _, r := range s {
		switch r {
		case '\n', '\t', '\v', '\f', '\u0085', '\u00a0', '\u1680', '\u3000':
			return true
		case ' ':
			if prevSpace {
				return true
			}
			prevSpace = true
		default:
			if r >= '\u2000' && r <= '\u200a' || r == '\u202f' || r == '\u205f' {
				return true
			}
			prevSpace = false
		}
	}
	return false
}

// Open and Close delimit prospect-written text in text renderings.
const (
	Open  = "«"
	Close = "»"
)

// guillemets replaces the delimiters inside quoted text with look-alikes, so text written by
// a prospect cannot close its own quotation and continue as if the server had written it.
var guillemets = strings.NewReplacer("«", "‹", "»", "›")

// Quote wraps already sanitized prospect-written text in «…» for a text rendering, replacing
// any « or » inside with ‹ or › so the quotation cannot be closed from within, and rewriting
// markdown links, images and HTML as plain text that shows their targets (see neutralize).
func Quote(s string) string {
	return Open + guillemets.Replace(neutralize(s)) + Close
}

// Shorten shortens one-line text to at most max runes, cutting at a word boundary when one is
// near, and reports whether it cut anything. A cut excerpt ends with "…".
func Shorten(s string, max int) (string, bool) {
	s = SanitizeLine(s)
	if max <= 0 || utf8.RuneCountInString(s) <= max {
		return s, false
	}
	cut := 0
	for i := range s {
		if max == 0 {
			cut = i
			break
		}
		max--
	}
	head := s[:cut]
	// Prefer ending at a space, unless that would throw away more than half.
	if sp := strings.LastIndexByte(head, ' '); sp > len(head)/2 {
		head = head[:sp]
	}
	return strings.TrimRight(head, " ") + "…", true
}
