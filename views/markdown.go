package views

import (
	"regexp"
	"strings"
)

// Prospect text is shown in markdown (transcripts) and in text that clients often render as
// markdown. A link there could show words that hide where it goes, an image would be fetched
// by the client as soon as it is shown (telling the sender the message was read, or worse),
// and HTML could do either. neutralize rewrites them as plain text that keeps every word and
// shows every target.
var (
	// ![alt](target "title") and [text](target "title"); text without nested brackets.
	mdImage = regexp.MustCompile(`!\[([^\[\]\n]*)\]\(\s*<?([^()\s<>]*)>?(?:\s+(?:"[^"\n]*"|'[^'\n]*'|\([^()\n]*\)))?\s*\)`)
	mdLink  = regexp.MustCompile(`\[([^\[\]\n]*)\]\(\s*<?([^()\s<>]*)>?(?:\s+(?:"[^"\n]*"|'[^'\n]*'|\([^()\n]*\)))?\s*\)`)
	// [label]: target, a reference definition that would turn [text][label] into a link.
	mdRefDef = regexp.MustCompile(`(?m)^( {0,3})\[([^\]\n]+)\]:`)
	// An HTML tag, comment or declaration, or an autolink: < followed by a letter, /, ! or ?.
	htmlOpen = regexp.MustCompile(`<([A-Za-z/!?])`)
)

// neutralize rewrites markdown links, images, reference definitions and HTML in s as text:
// [words](url) becomes "words (link: url)", ![alt](url) becomes "(image not shown: alt,
// url)", and a < that would open a tag is followed by a space. Any "](" left (nested
// brackets) is split, so no inline link or image survives.
func neutralize(s string) string {
	if !strings.ContainsAny(s, "[<") {
		return s
	}
	s = mdImage.ReplaceAllString(s, "(image not shown: $1, $2)")
	s = mdLink.ReplaceAllString(s, "$1 (link: $2)")
	s = strings.ReplaceAll(s, "](", "] (")
	s = strings.ReplaceAll(s, "![", "! [")
	s = mdRefDef.ReplaceAllString(s, "$1$2:")
	return htmlOpen.ReplaceAllString(s, "< $1")
}
