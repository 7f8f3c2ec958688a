package tools

import (
	"strconv"
	"strings"

	"github.com/inbox-mcp/inbox-mcp/directory"
	"github.com/inbox-mcp/inbox-mcp/inbox"
	"github.com/inbox-mcp/inbox-mcp/views"
)

// partialUpdate answers an update_prospect_context that the API applied in part: exactly
// what was applied, what was not and why, and the call that does only the rest. appended
// says the notes change was an append_notes line.
func (c *Call) partialUpdate(p inbox.Prospect, pe *inbox.PartialUpdateError, created []string, appended bool) *Answer[ContextResult] {
	c.Env.changed(c.Ctx, ProspectURI(p.ID))
	s, err := c.Dir.Snapshot(c.Ctx)
	if err != nil {
		s = nil // the answer names IDs instead
	}
	who := quotedProspect(views.SanitizeLine(p.DisplayName), views.SanitizeLine(p.Username)) + " (prospect " + p.ID + ")"
	done := updateParts(pe.Applied, s, appended)
	if len(created) > 0 {
		done = append(done, "tags created: "+strings.Join(created, ", "))
	}
	if pe.Rest.IsEmpty() {
		return failedText[ContextResult]("Applied to " + who + ": " + strings.Join(done, "; ") +
			". The record could not be read back afterwards (" + Explain(pe.Err) + "): call lookup_thread to see it; do not repeat the update.")
	}
	var rest, args []string
	if len(pe.Rest.AddTags) > 0 {
		names := tagNames(s, pe.Rest.AddTags)
		rest = append(rest, "add tag "+strings.Join(names, ", "))
		args = append(args, "add_tags "+jsonList(names))
	}
	if len(pe.Rest.RemoveTags) > 0 {
		names := tagNames(s, pe.Rest.RemoveTags)
		rest = append(rest, "remove tag "+strings.Join(names, ", "))
		args = append(args, "remove_tags "+jsonList(names))
	}
	return failedText[ContextResult]("PARTLY applied to " + who + ". Applied: " + strings.Join(done, "; ") +
		". NOT applied: " + strings.Join(rest, "; ") + ", because: " + Explain(pe.Err) +
		" To finish, call update_prospect_context again with only prospect " + strconv.Quote(p.ID) + ", " + strings.Join(args, ", ") +
		"; the rest is done, do not repeat it.")
}

// updateParts words the changes of u, by name where the directory knows them.
func updateParts(u inbox.ContextUpdate, s *directory.Snapshot, appended bool) []string {
	var out []string
	if v, ok := u.Status.Value(); ok {
		out = append(out, "status set to "+nameOr(labelName(s, v, true), v))
	} else if u.Status.Cleared() {
		out = append(out, "status cleared")
	}
	switch {
	case u.Notes.Changed() && appended:
		out = append(out, "note line appended")
	case u.Notes.Cleared():
		out = append(out, "notes cleared")
	case u.Notes.Changed():
		out = append(out, "notes replaced")
	}
	if v, ok := u.Valuation.Value(); ok {
		out = append(out, "valuation set to "+strconv.FormatFloat(v, 'f', -1, 64))
	} else if u.Valuation.Cleared() {
		out = append(out, "valuation cleared")
	}
	if v, ok := u.Assignee.Value(); ok {
		name := v
		if s != nil {
			name = nameOr(s.MemberName(v), v)
		}
		out = append(out, "assignee set to "+name)
	} else if u.Assignee.Cleared() {
		out = append(out, "assignee cleared")
	}
	for _, n := range tagNames(s, u.AddTags) {
		out = append(out, "tag "+n+" added")
	}
	for _, n := range tagNames(s, u.RemoveTags) {
		out = append(out, "tag "+n+" removed")
	}
	if len(out) == 0 {
		out = append(out, "nothing")
	}
	return out
}

// labelName is the name of a tag (status false) or status, or "" without a directory.
func labelName(s *directory.Snapshot, id string, status bool) string {
	switch {
	case s == nil:
		return ""
	case status:
		return s.StatusName(id)
	}
	return s.TagName(id)
}

// tagNames names tag IDs, keeping an ID the directory does not know.
func tagNames(s *directory.Snapshot, ids []string) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = nameOr(labelName(s, id, false), id)
	}
	return out
}

// jsonList writes names as a JSON array of strings, as the arguments take them.
func jsonList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = strconv.Quote(n)
	}
	return "[" + strings.Join(q, ", ") + "]"
}
