package tools

import (
	"strconv"
	"strings"

	"github.com/inbox-mcp/inbox-mcp/inbox"
	"github.com/inbox-mcp/inbox-mcp/views"
)

// appendTries is how many times an appended note line is written in all, when another
// writer keeps replacing the notes, before the tool says it could not verify it.
const appendTries = 3

// lockProspect serializes this process's changes of prospect id: see prospectLocks.
func (c *Call) lockProspect(id string) (unlock func(), err error) {
	return c.Env.locks.lock(c.Ctx, c.teamKey()+"\x00"+id, func() {
		c.Env.logger().Debug("update waits for another change of the same prospect", "prospect", id)
	})
}

// withLine returns notes with line appended, or unchanged when they already end with it
// (a repeated call appends nothing: the tool is idempotent).
func withLine(notes, line string) (string, bool) {
	notes = strings.TrimRight(notes, "\n")
	if notes == line || strings.HasSuffix(notes, "\n"+line) {
		return notes, false
	}
	if notes != "" {
		notes += "\n"
	}
	return notes + line, true
}

// hasLine reports whether notes hold line as whole lines.
func hasLine(notes, line string) bool {
	return strings.Contains("\n"+notes+"\n", "\n"+line+"\n")
}

// verifyAppend reads the notes back after line was appended to prospect id: another
// process (or another client of the API) may have written the notes it read before our
// write, without our line. A missing line is appended again to the notes as they are
// now, up to appendTries writes in all. It returns the record as read, and whether the line
// was seen.
func (c *Call) verifyAppend(id, line string) (inbox.Prospect, bool, error) {
	for try := 1; ; try++ {
		p, err := c.B.Prospect(c.Ctx, id)
		if err != nil {
			return p, false, err
		}
		if hasLine(p.Context.Notes, line) {
			return p, true, nil
		}
		if try >= appendTries {
			return p, false, nil
		}
		notes, _ := withLine(p.Context.Notes, line)
		c.Env.logger().Info("a note line was overwritten by another writer; appending it again", "prospect", id, "try", try+1)
		if _, err := c.B.UpdateProspect(c.Ctx, p, inbox.ContextUpdate{Notes: inbox.Set(notes)}); err != nil {
			return p, false, err
		}
	}
}

// unverifiedAppend answers an update whose note line could not be seen in the notes
// afterwards: never "Updated".
func unverifiedAppend(p inbox.Prospect, err error) *Answer[ContextResult] {
	who := quotedProspect(views.SanitizeLine(p.DisplayName), views.SanitizeLine(p.Username)) + " (prospect " + p.ID + ")"
	why := "another writer replaced the notes each time they were read back (" + strconv.Itoa(appendTries) + " writes)"
	if err != nil {
		why = "reading the notes back, or appending the line again, failed: " + Explain(err)
	}
	return failedText[ContextResult]("NOT verified: the note line was written to " + who + " and the rest of the change was applied, but the line could not be seen in the notes afterwards (" +
		why + "), so it may be missing. Call lookup_thread to read the notes, and call update_prospect_context with append_notes again only if the line is missing.")
}
