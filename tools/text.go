package tools

import (
	"strconv"
	"strings"
	"unicode"

	"github.com/inbox-mcp/inbox-mcp/views"
)

// maxEcho is how much of an argument an error quotes back: enough to recognize it, never the
// megabyte a client may have sent (it would be repeated into the model's context and the
// logs).
const maxEcho = 80

// quoteShort quotes an argument for an error message, shortened to maxEcho characters.
func quoteShort(s string) string {
	if r := []rune(s); len(r) > maxEcho {
		return strconv.Quote(string(r[:maxEcho])) + "… (" + strconv.Itoa(len(r)) + " characters)"
	}
	return strconv.Quote(s)
}

// checkText refuses a message text that would reach the prospect as nothing (only
// invisible, control or blank characters), one with a NUL (which some systems cut the text
// at), and one over the X limit.
func checkText(text string) error {
	if strings.ContainsRune(text, 0) {
		return badInput("text contains a NUL character (invisible, and some systems cut the text there): remove it, and get the person's approval of the text again")
	}
	if !strings.ContainsFunc(views.Sanitize(text), func(r rune) bool { return !unicode.IsSpace(r) && !unicode.IsControl(r) }) {
		if strings.TrimSpace(text) == "" {
			return badInput("text is empty: give the exact message the person approved")
		}
		return badInput("text has only invisible characters: the prospect would see nothing; give the exact message the person approved")
	}
	if n := len([]rune(text)); n > MaxText {
		return badInput("text has %d characters; X allows %d: shorten it and get the person's approval again", n, MaxText)
	}
	return nil
}
