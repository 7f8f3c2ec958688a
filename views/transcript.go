package views

import (
	"strconv"
	"strings"
)

// Transcript renders a whole conversation as compact markdown, oldest message first, never
// shortened. Prospect-written text is set as a block quote between « and », so that nothing
// in it (a heading, a fake speaker line) can pass for the server's own structure.
func Transcript(t ThreadRow, ms []Message) string {
	var b strings.Builder
	b.WriteString("# Thread " + t.ID + ": " + who(t.Name, t.Username) + " and " + t.Account + "\n")
	b.WriteString(ContextText(Context{Status: t.Status, Tags: t.Tags, Assignee: t.Assignee}))
	if t.Archived {
		b.WriteString(" · archived")
	}
	b.WriteString("\n" + strconv.Itoa(len(ms)) + " messages, oldest first, complete.\n\n")
	b.WriteString("> " + UntrustedNote + "\n")
	for _, m := range ms {
		b.WriteString("\n**" + m.At + " · ")
		if m.From == FromProspect {
			b.WriteString("prospect")
		} else {
			b.WriteString("us")
		}
		if m.By != "" {
			b.WriteString(" (" + m.By + ")")
		}
		b.WriteString("** `" + m.ID + "`")
		if m.ReplyTo != "" {
			b.WriteString(" reply to `" + m.ReplyTo + "`")
		}
		if m.Edited {
			b.WriteString(" edited")
		}
		if m.Deleted {
			b.WriteString(" deleted")
		}
		if len(m.Reactions) > 0 {
			b.WriteString(" " + strings.Join(m.Reactions, ""))
		}
		b.WriteByte('\n')
		if m.Untrusted {
			lines := strings.Split(Quote(m.Text), "\n")
			for _, l := range lines {
				b.WriteString("> " + l + "\n")
			}
		} else {
			b.WriteString(m.Text + "\n")
		}
	}
	return b.String()
}
