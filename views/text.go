package views

import (
	"strconv"
	"strings"
)

// The text renderings below are what clients without structured-content support show the
// model, and what resources return. They are dense on purpose (one line per thread) and put
// every prospect-written string in «…» under UntrustedNote.

// who renders a prospect's name and @username as «Name» @username.
func who(name, username string) string {
	var parts []string
	if name != "" {
		parts = append(parts, Quote(name))
	}
	if username != "" {
		parts = append(parts, "@"+username)
	}
	if len(parts) == 0 {
		return "(unknown person)"
	}
	return strings.Join(parts, " ")
}

// excerptLine renders a last-message excerpt on one line.
func excerptLine(e *Excerpt) string {
	var b strings.Builder
	b.WriteString("last ")
	b.WriteString(shortISO(e.At))
	if e.Ago != "" {
		b.WriteString(" (" + e.Ago + ")")
	}
	b.WriteString(", ")
	if e.From == FromProspect {
		b.WriteString("prospect: ")
		b.WriteString(Quote(e.Text))
	} else {
		b.WriteString("us")
		if e.By != "" {
			b.WriteString(" (" + e.By + ")")
		}
		b.WriteString(": ")
		b.WriteString(e.Text)
	}
	if e.Truncated {
		b.WriteString(" [shortened]")
	}
	return b.String()
}

// shortISO drops the seconds of an ISO timestamp for text output: "2025-01-15T15:30Z".
func shortISO(iso string) string {
	if len(iso) == len("2006-01-02T15:04:05Z") && iso[len(iso)-1] == 'Z' {
		return iso[:16] + "Z"
	}
	return iso
}

// ThreadLine renders one thread of a listing as one or two lines.
func ThreadLine(t ThreadRow) string {
	var b strings.Builder
	b.WriteString(t.ID)
	b.WriteString(" · ")
	b.WriteString(who(t.Name, t.Username))
	b.WriteString(" · on " + t.Account)
	if t.Platform != "" {
		b.WriteString(" (" + t.Platform + ")")
	}
	if t.Unread {
		b.WriteString(" · unread")
	}
	if t.Status != "" {
		b.WriteString(" · status " + t.Status)
	}
	if len(t.Tags) > 0 {
		b.WriteString(" · tags " + strings.Join(t.Tags, ", "))
	}
	if t.Assignee != "" {
		b.WriteString(" · assigned " + t.Assignee)
	}
	if t.Archived {
		b.WriteString(" · archived")
	}
	if t.Request {
		b.WriteString(" · request")
	}
	if t.Waiting != "" {
		b.WriteString(" · waiting " + t.Waiting)
	}
	if t.Last != nil {
		b.WriteString("\n  ")
		b.WriteString(excerptLine(t.Last))
	}
	return b.String()
}

// ThreadList renders a listing: a header line, the untrusted-text note, one entry per thread
// and, when more exist, how to get them.
func ThreadList(header string, rows []ThreadRow, hasMore bool, nextCursor string) string {
	var b strings.Builder
	b.WriteString(header)
	b.WriteByte('\n')
	if len(rows) > 0 {
		b.WriteString(UntrustedNote)
		b.WriteByte('\n')
	}
	for i, r := range rows {
		b.WriteString(strconv.Itoa(i + 1))
		b.WriteString(". ")
		b.WriteString(ThreadLine(r))
		b.WriteByte('\n')
	}
	if hasMore {
		b.WriteString("More exist: call again with the same filters and cursor=\"" + nextCursor + "\".\n")
	}
	return strings.TrimRight(b.String(), "\n")
}

// MessageLine renders one message; prospect text is quoted, on as many lines as it has.
func MessageLine(m Message) string {
	var b strings.Builder
	b.WriteString("[" + m.At)
	if m.Ago != "" {
		b.WriteString(", " + m.Ago)
	}
	b.WriteString("] ")
	if m.From == FromProspect {
		b.WriteString("prospect")
	} else {
		b.WriteString("us")
	}
	if m.By != "" {
		b.WriteString(" (" + m.By + ")")
	}
	b.WriteString(" id " + m.ID)
	if m.ReplyTo != "" {
		b.WriteString(" reply to " + m.ReplyTo)
	}
	if m.Edited {
		b.WriteString(" edited")
	}
	if m.Deleted {
		b.WriteString(" deleted")
	}
	if len(m.Reactions) > 0 {
		b.WriteString(" reactions " + strings.Join(m.Reactions, ""))
	}
	b.WriteString(": ")
	if m.Untrusted {
		b.WriteString(Quote(m.Text))
	} else {
		b.WriteString(m.Text)
	}
	return b.String()
}

// MessageList renders messages under a header and the untrusted-text note.
func MessageList(header string, ms []Message) string {
	var b strings.Builder
	b.WriteString(header)
	b.WriteByte('\n')
	b.WriteString(UntrustedNote)
	for _, m := range ms {
		b.WriteByte('\n')
		b.WriteString(MessageLine(m))
	}
	return b.String()
}

// ContextText renders the team's record of a prospect on one line.
func ContextText(c Context) string {
	parts := []string{"status " + orNone(c.Status), "tags " + orNone(strings.Join(c.Tags, ", ")),
		"assigned " + orNone(c.Assignee)}
	if c.Valuation != nil {
		parts = append(parts, "valuation "+strconv.FormatFloat(*c.Valuation, 'f', -1, 64))
	}
	s := strings.Join(parts, " · ")
	if c.Notes != "" {
		s += "\nnotes: " + c.Notes
	}
	return s
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// ProfileText renders a prospect: identity (quoted, the person's own words), then the team's
// record, then the threads.
func ProfileText(p Profile) string { return profileText(p, true) }

func profileText(p Profile, note bool) string {
	var b strings.Builder
	b.WriteString("Prospect ")
	if p.ID != "" {
		b.WriteString(p.ID + " ")
	}
	b.WriteString(who(p.Name, p.Username))
	switch {
	case p.XID != "":
		b.WriteString(" (X user " + p.XID + ")")
	case p.Platform != "":
		b.WriteString(" (" + p.Platform + " user " + p.PlatformID + ")")
	}
	b.WriteString(" · " + strconv.FormatInt(p.Followers, 10) + " followers")
	if p.Following > 0 {
		b.WriteString(", following " + strconv.FormatInt(p.Following, 10))
	}
	if p.Verified != "" {
		b.WriteString(" · " + p.Verified)
	}
	if p.Protected {
		b.WriteString(" · protected")
	}
	if note {
		b.WriteByte('\n')
		b.WriteString(UntrustedNote)
	}
	if p.Bio != "" {
		b.WriteString("\nbio: " + Quote(p.Bio))
		if p.BioTruncated {
			b.WriteString(" [shortened]")
		}
	}
	if p.Location != "" {
		b.WriteString("\nlocation: " + Quote(p.Location))
	}
	if p.Website != "" {
		b.WriteString("\nwebsite: " + Quote(p.Website))
	}
	for _, o := range p.Profiles {
		b.WriteString("\nalso on " + o.Platform + ": " + who(o.Name, o.Username))
	}
	b.WriteByte('\n')
	b.WriteString(ContextText(p.Context))
	for _, t := range p.Threads {
		b.WriteString("\nthread " + t.ID + " on " + t.Account)
		if t.LastAt != "" {
			b.WriteString(", last message " + t.LastAt)
		}
	}
	return b.String()
}

// ThreadDetailText renders one thread with its prospect.
func ThreadDetailText(t ThreadDetail) string {
	var b strings.Builder
	b.WriteString("Thread " + t.ID + " on " + t.Account)
	if t.Platform != "" {
		b.WriteString(" (" + t.Platform + ")")
	}
	b.WriteString(", created " + t.Created)
	if t.Unread {
		b.WriteString(" · unread")
	}
	if len(t.Cannot) > 0 {
		b.WriteString(" · cannot " + strings.Join(t.Cannot, "/") + " messages here")
	}
	if t.Assignee != "" {
		b.WriteString(" · assigned " + t.Assignee)
	}
	if t.Archived {
		b.WriteString(" · archived")
	}
	if t.Request {
		b.WriteString(" · request")
	}
	if t.Waiting != "" {
		b.WriteString(" · prospect waiting " + t.Waiting)
	}
	b.WriteString("\n" + UntrustedNote + "\n")
	if t.Last != nil {
		b.WriteString(excerptLine(t.Last) + "\n")
	}
	b.WriteString(profileText(t.Prospect, false))
	return b.String()
}
