package tools

import (
	"strconv"
	"strings"

	"github.com/inbox-mcp/inbox-mcp/directory"
	"github.com/inbox-mcp/inbox-mcp/inbox"
	"github.com/inbox-mcp/inbox-mcp/views"
)

// UpdateContextArgs are the arguments of update_prospect_context.
type UpdateContextArgs struct {
	Prospect          string   `json:"prospect" jsonschema_description:"Prospect ID, @username or thread ID."`
	AddTags           []string `json:"add_tags,omitempty" jsonschema_description:"Tags to add."`
	RemoveTags        []string `json:"remove_tags,omitempty" jsonschema_description:"Tags to remove."`
	CreateMissingTags bool     `json:"create_missing_tags,omitempty" jsonschema_description:"Create unknown add_tags."`
	Status            string   `json:"status,omitempty" jsonschema_description:"Status to set."`
	Notes             *string  `json:"notes,omitempty" jsonschema_description:"Replace the notes."`
	AppendNotes       string   `json:"append_notes,omitempty" jsonschema_description:"Add a line to the notes (once)."`
	Valuation         *float64 `json:"valuation,omitempty" jsonschema:"minimum=0" jsonschema_description:"Deal value, team currency."`
	Assignee          string   `json:"assignee,omitempty" jsonschema_description:"Member name or email."`
	Clear             []string `json:"clear,omitempty" jsonschema:"enum=status,enum=notes,enum=valuation,enum=assignee" jsonschema_description:"Fields to empty."`
}

// ContextResult is the result of update_prospect_context: the prospect's record as it now is.
type ContextResult struct {
	ProspectID string `json:"prospect_id"`
	Name       string `json:"name,omitempty"`
	Username   string `json:"username,omitempty"`
	views.Context
	CreatedTags []string `json:"created_tags,omitempty"`
}

// NameUpdateProspect is the name of the update_prospect_context tool.
const NameUpdateProspect = "update_prospect_context"

// updateProspectTool is update_prospect_context. Destructive: it can replace the notes, clear
// fields and remove tags, and MCP reserves destructiveHint false for tools that only add.
// Idempotent (adding a tag twice leaves one tag).
var updateProspectTool = declare(Spec[UpdateContextArgs, ContextResult]{
	Name:         NameUpdateProspect,
	Toolset:      "prospects",
	Description:  "Change a prospect's tags, status, notes, valuation or assignee; returns the record.",
	Instructions: "update_prospect_context changes tags, status, notes, valuation and assignee.",
	Hints:        hints{destructive: true, idempotent: true, openWorld: false},
	Handle:       updateContext,
})

func updateContext(c *Call, a UpdateContextArgs) (*Answer[ContextResult], error) {
	clear := map[string]bool{}
	for _, f := range a.Clear {
		clear[f] = true
	}
	switch {
	case clear["status"] && a.Status != "":
		return nil, badInput("give status or clear status, not both")
	case clear["assignee"] && a.Assignee != "":
		return nil, badInput("give assignee or clear assignee, not both")
	case clear["valuation"] && a.Valuation != nil:
		return nil, badInput("give valuation or clear valuation, not both")
	case clear["notes"] && (a.Notes != nil || a.AppendNotes != ""):
		return nil, badInput("give notes, append_notes or clear notes, only one")
	case a.Notes != nil && a.AppendNotes != "":
		return nil, badInput("give notes (replace) or append_notes (add), not both")
	}
	var u inbox.ContextUpdate
	// Resolve every name before changing anything, so a typo leaves the record untouched.
	for _, ref := range a.RemoveTags {
		l, err := c.Dir.Tag(c.Ctx, ref)
		if err != nil {
			return nil, err
		}
		u.RemoveTags = append(u.RemoveTags, l.ID)
	}
	var missing []string
	for _, ref := range a.AddTags {
		l, err := c.Dir.Tag(c.Ctx, ref)
		switch {
		case err == nil:
			u.AddTags = append(u.AddTags, l.ID)
		case directory.IsNotFound(err) && a.CreateMissingTags:
			missing = append(missing, strings.TrimSpace(ref))
		case directory.IsNotFound(err):
			return nil, badInput("%s. Use an existing tag, or set create_missing_tags to create %q.", err.Error(), strings.TrimSpace(ref))
		default:
			return nil, err
		}
	}
	if a.Status != "" {
		l, err := c.Dir.Status(c.Ctx, a.Status)
		if err != nil {
			return nil, err
		}
		u.Status = inbox.Set(l.ID)
	} else if clear["status"] {
		u.Status = inbox.Clear[string]()
	}
	if a.Assignee != "" {
		m, err := c.Dir.Member(c.Ctx, a.Assignee)
		if err != nil {
			return nil, err
		}
		u.Assignee = inbox.Set(m.ID)
	} else if clear["assignee"] {
		u.Assignee = inbox.Clear[string]()
	}
	if a.Valuation != nil {
		u.Valuation = inbox.Set(*a.Valuation)
	} else if clear["valuation"] {
		u.Valuation = inbox.Clear[float64]()
	}
	if a.Notes != nil {
		u.Notes = inbox.Set(*a.Notes)
	} else if clear["notes"] {
		u.Notes = inbox.Clear[string]()
	}
	if u.IsEmpty() && len(missing) == 0 && strings.TrimSpace(a.AppendNotes) == "" {
		return nil, badInput("nothing to change: give add_tags, remove_tags, status, notes, append_notes, valuation, assignee or clear")
	}
	p, err := c.prospect(a.Prospect)
	if err != nil {
		return nil, err
	}
	// One change of a prospect at a time in this process: an append reads the notes and
	// writes them whole, and must not race another change's write.
	unlock, err := c.lockProspect(p.ID)
	if err != nil {
		return nil, err
	}
	defer unlock()
	add := strings.TrimSpace(a.AppendNotes)
	appended := false
	if add != "" {
		// The notes as they are now, after any change that held the lock before us.
		if p, err = c.B.Prospect(c.Ctx, p.ID); err != nil {
			return nil, explainNotFound(err, "No prospect with ID "+strconv.Quote(p.ID)+": use lookup_thread to find the person.")
		}
		// Appending the line the notes already end with changes nothing: the tool stays
		// idempotent when a call is repeated.
		var notes string
		if notes, appended = withLine(p.Context.Notes, add); appended {
			u.Notes = inbox.Set(notes)
		}
	}
	if err := c.refuseLookalikeTags(missing); err != nil {
		return nil, err
	}
	var created []string
	for _, name := range missing {
		l, err := c.B.CreateTag(c.Ctx, name, "")
		if err != nil {
			return nil, err
		}
		c.Dir.Invalidate()
		created = append(created, l.Name)
		u.AddTags = append(u.AddTags, l.ID)
	}
	if len(created) > 0 {
		c.Env.changed(c.Ctx, DirectoryURI("tags"))
	}
	np, err := c.B.UpdateProspect(c.Ctx, p, u)
	if pe, ok := errorsAs[*inbox.PartialUpdateError](err); ok {
		return c.partialUpdate(p, pe, created, strings.TrimSpace(a.AppendNotes) != ""), nil
	}
	if err != nil {
		return nil, explainNotFound(err, "No prospect with ID "+strconv.Quote(p.ID)+": use lookup_thread to find the person.")
	}
	if appended {
		// Another process may have replaced the notes right after our write.
		var seen bool
		np, seen, err = c.verifyAppend(p.ID, add)
		if !seen {
			c.Env.changed(c.Ctx, ProspectURI(p.ID))
			return unverifiedAppend(p, err), nil
		}
	}
	c.Env.changed(c.Ctx, ProspectURI(np.ID))
	r, err := c.Renderer(directory.IDs{Tags: np.Context.TagIDs, Statuses: []string{np.Context.StatusID}, Members: []string{np.Context.AssigneeID}})
	if err != nil {
		return nil, err
	}
	out := ContextResult{ProspectID: np.ID, Name: views.SanitizeLine(np.DisplayName), Username: views.SanitizeLine(np.Username),
		Context: r.Context(np.Context), CreatedTags: created}
	text := "Updated " + quotedProspect(out.Name, out.Username) + " (prospect " + out.ProspectID + ")"
	if len(created) > 0 {
		text += "; created tags " + strings.Join(created, ", ")
	}
	text += ".\nNow: " + views.ContextText(out.Context)
	return result(out, text), nil
}

func quotedProspect(name, username string) string {
	s := "@" + username
	if name != "" {
		s = views.Quote(name) + " " + s
	}
	return s
}

// prospect finds a person's record by prospect ID, @username or thread ID.
func (c *Call) prospect(ref string) (inbox.Prospect, error) {
	kind, id := classify(ref)
	switch {
	case id == "":
		return inbox.Prospect{}, badInput("prospect is empty: give a prospect ID, @username or thread ID")
	case kind == byXID:
		p, err := c.B.LookupProspect(c.Ctx, id)
		if err != nil {
			return inbox.Prospect{}, err
		}
		if p == nil {
			return inbox.Prospect{}, badInput("no prospect with X user ID %s in the team's Inbox: use lookup_thread to find the person", id)
		}
		return *p, nil
	case kind == byInboxID:
		p, err := c.B.Prospect(c.Ctx, id)
		if !IsNotFound(err) {
			return p, err
		}
		t, terr := c.B.GetThread(c.Ctx, id)
		if terr != nil {
			return inbox.Prospect{}, explainNotFound(terr, "No prospect or thread with ID "+strconv.Quote(id)+": use lookup_thread or list_threads to find the person.")
		}
		if t.Prospect.ID == "" {
			return inbox.Prospect{}, badInput("thread %s has no prospect record yet", id)
		}
		return t.Prospect, nil
	}
	threads, err := c.B.ThreadsWithUsername(c.Ctx, id)
	if err != nil {
		return inbox.Prospect{}, err
	}
	for _, t := range threads {
		if t.Prospect.ID != "" {
			return t.Prospect, nil
		}
	}
	return inbox.Prospect{}, badInput("@%s is not in the team's Inbox: use lookup_thread or list_threads to find the person", id)
}

// refuseLookalikeTags refuses, before anything changes, to create a tag whose name reads the
// same as an existing one (a Greek Eta for an H): the team would have two tags nobody can
// tell apart.
func (c *Call) refuseLookalikeTags(names []string) error {
	if len(names) == 0 {
		return nil
	}
	s, err := c.Dir.Snapshot(c.Ctx)
	if err != nil {
		return err
	}
	for _, name := range names {
		for _, l := range s.Tags {
			if directory.Confusable(l.Name, name) {
				return badInput("tag %s looks the same as the existing tag %q (it differs only in look-alike characters: %s): add %q instead, or pick a name that reads differently. Nothing was changed.",
					quoteShort(name), l.Name, directory.LookalikeChars(name), l.Name)
			}
		}
	}
	return nil
}
