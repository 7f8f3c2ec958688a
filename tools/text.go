package tools

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

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

// maxMessage bounds an error message a model or a log sees, whatever it quotes.
const maxMessage = 2000

// CapEcho shortens what a message quotes back of the arguments: every quoted value longer
// than maxEcho characters, then the whole message to maxMessage characters (keeping its end,
// which says what to do). Errors quote what they refuse so the model can recognize it; a
// client that sent a megabyte must not get it back, nor fill the logs with it.
func CapEcho(msg string) string {
	if len(msg) <= maxEcho {
		return msg
	}
	msg = shortenQuoted(msg)
	if r := []rune(msg); len(r) > maxMessage {
		msg = string(r[:maxMessage-500]) + " … (" + strconv.Itoa(len(r)-maxMessage) + " characters left out) … " + string(r[len(r)-500:])
	}
	return msg
}

// shortenQuoted replaces every Go-quoted string in msg (as strconv.Quote and %q write
// them) longer than maxEcho characters with its shortened quotation. It scans once: a
// regular expression over a quoted megabyte is slow.
func shortenQuoted(msg string) string {
	var b strings.Builder
	rest := msg
	for {
		open := strings.IndexByte(rest, '"')
		if open < 0 {
			break
		}
		end := -1
		for i := open + 1; i < len(rest); i++ {
			if rest[i] == '\\' {
				i++
			} else if rest[i] == '"' {
				end = i
				break
			}
		}
		if end < 0 {
			break
		}
		q := rest[open : end+1]
		b.WriteString(rest[:open])
		if s, err := strconv.Unquote(q); err == nil && utf8.RuneCountInString(s) > maxEcho {
			b.WriteString(quoteShort(s))
		} else {
			b.WriteString(q)
		}
		rest = rest[end+1:]
	}
	if b.Len() == 0 {
		return msg
	}
	b.WriteString(rest)
	return b.String()
}

// shortRef shortens a reference given by the model (a prospect, a name) for a result row.
func shortRef(s string) string {
	if r := []rune(s); len(r) > maxEcho {
		return string(r[:maxEcho]) + "…"
	}
	return s
}
