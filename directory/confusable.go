package directory

import (
	"fmt"
	"strings"
	"unicode"

	unorm "golang.org/x/text/unicode/norm"
)

// Skeleton reduces a name to how it reads, so that names a person cannot tell apart compare
// equal: compatibility forms folded (fullwidth letters, ligatures), case ignored, invisible
// characters dropped, spaces collapsed, and the Greek and Cyrillic letters that look like
// Latin ones (and 0, 1, I, l, |) mapped to one letter. "Ηot Lead" with a Greek Eta, "Hot
// Lеad" with a Cyrillic e and "ＨＯＴ ＬＥＡＤ" all read as "hot lead".
func Skeleton(name string) string {
	var b strings.Builder
	for _, r := range unorm.NFKC.String(name) {
		if unicode.Is(unicode.Cf, r) || unicode.IsControl(r) {
			continue // invisible: zero-width, joiners, direction marks, controls
		}
		if u, ok := upperLookalike[r]; ok {
			r = u
		}
		r = unicode.ToLower(r)
		if l, ok := lowerLookalike[r]; ok {
			r = l
		}
		b.WriteRune(r)
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// Confusable reports whether two different names read the same (see Skeleton).
func Confusable(a, b string) bool {
	return a != b && Skeleton(a) == Skeleton(b)
}

// LookalikeChars lists, as U+XXXX and name, the characters of s that are not plain ASCII:
// what makes a confusable name differ from the one it imitates.
func LookalikeChars(s string) string {
	var out []string
	seen := map[rune]bool{}
	for _, r := range s {
		if r > unicode.MaxASCII && !seen[r] {
			seen[r] = true
			out = append(out, fmt.Sprintf("U+%04X", r))
		}
	}
	return strings.Join(out, ", ")
}

// upperLookalike maps capitals whose lower case would not look like the Latin letter (a
// Greek capital Eta reads as H, its lower case η as n).
var upperLookalike = map[rune]rune{
	'Α': 'a', 'Β': 'b', 'Ε': 'e', 'Ζ': 'z', 'Η': 'h', 'Ι': 'l', 'Κ': 'k', 'Μ': 'm', 'Ν': 'n',
	'Ο': 'o', 'Ρ': 'p', 'Τ': 't', 'Υ': 'y', 'Χ': 'x',
	'А': 'a', 'В': 'b', 'Е': 'e', 'К': 'k', 'М': 'm', 'Н': 'h', 'О': 'o', 'Р': 'p', 'С': 'c',
	'Т': 't', 'Х': 'x', 'У': 'y', 'І': 'l', 'Ј': 'j', 'Ѕ': 's',
	'I': 'l',
}

// lowerLookalike maps lower-case letters and digits to the Latin letter they look like.
var lowerLookalike = map[rune]rune{
	'α': 'a', 'ε': 'e', 'ι': 'i', 'κ': 'k', 'ν': 'v', 'ο': 'o', 'ρ': 'p', 'υ': 'u', 'χ': 'x',
	'а': 'a', 'е': 'e', 'о': 'o', 'р': 'p', 'с': 'c', 'у': 'y', 'х': 'x', 'і': 'i', 'ј': 'j',
	'ѕ': 's', 'ԁ': 'd', 'һ': 'h', 'ӏ': 'l', 'ԛ': 'q', 'ԝ': 'w',
	'0': 'o', '1': 'l', '|': 'l',
}
