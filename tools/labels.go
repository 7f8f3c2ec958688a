package tools

import (
	"context"
	"strconv"
	"strings"
	"sync"

	"github.com/inbox-mcp/inbox-mcp/directory"
	"github.com/inbox-mcp/inbox-mcp/inbox"
	"github.com/inbox-mcp/inbox-mcp/views"
)

// NameManageLabels is the name of the manage_labels tool.
const NameManageLabels = "manage_labels"

// countPerView bounds the threads read per inbox view to count who loses a deleted tag or
// status: a handful of requests, enough for most teams; beyond it the count is a floor.
const countPerView = 300

// ManageLabelsArgs are the arguments of manage_labels.
type ManageLabelsArgs struct {
	Kind    string `json:"kind" jsonschema:"enum=tag,enum=status" jsonschema_description:"Tag or status."`
	Action  string `json:"action" jsonschema:"enum=create,enum=rename,enum=recolor,enum=delete" jsonschema_description:"What to do."`
	Name    string `json:"name" jsonschema_description:"Name or ID (create: the new name)."`
	NewName string `json:"new_name,omitempty" jsonschema_description:"For rename."`
	Color   string `json:"color,omitempty" jsonschema_description:"create/recolor: #rrggbb, a color name, or none."`
	// ConfirmToken is the second step of confirming a delete by token.
	ConfirmToken string `json:"confirm_token,omitempty" jsonschema_description:"delete: from needs_confirmation, once the person said yes."`
}

// LabelResult is the result of manage_labels.
type LabelResult struct {
	Kind  string `json:"kind" jsonschema:"enum=tag,enum=status"`
	Name  string `json:"name"`
	Color string `json:"color,omitempty"`
	Done  string `json:"done"`
	// Affected is, for delete, how many prospects had it ("300+" when counting stopped).
	Affected string `json:"affected,omitempty"`
	// Status is needs_confirmation (nothing deleted: the person must approve, then the call
	// is repeated with ConfirmToken) or declined; empty once done.
	Status       string `json:"status,omitempty"`
	ConfirmToken string `json:"confirm_token,omitempty"`
}

// manageLabelsTool is manage_labels. Destructive: delete removes a tag or status from every
// prospect that has it.
var manageLabelsTool = declare(Spec[ManageLabelsArgs, LabelResult]{
	Name:         NameManageLabels,
	Toolset:      "labels",
	Description:  "Create, rename, recolor or delete a tag or status. Delete removes it from every prospect: the person confirms.",
	Instructions: "manage_labels creates, renames, recolors or deletes tags and statuses (confirm deletes).",
	Hints:        hints{destructive: true},
	Handle:       manageLabels,
	Unanswered:   labelUnanswered,
})

// labelKind binds the backend and directory operations of tags or of statuses.
type labelKind struct {
	name   string
	plural string
	find   func(*directory.Directory, context.Context, string) (inbox.Label, error)
	all    func(*directory.Snapshot) []inbox.Label
	create func(inbox.Backend, context.Context, string, string) (inbox.Label, error)
	update func(inbox.Backend, context.Context, string, inbox.LabelUpdate) (inbox.Label, error)
	remove func(inbox.Backend, context.Context, string) error
	filter func(*inbox.ThreadQuery, string)
}

var labelKinds = map[string]labelKind{
	"tag": {name: "tag", plural: "tags",
		find: (*directory.Directory).Tag, all: func(s *directory.Snapshot) []inbox.Label { return s.Tags },
		create: inbox.Backend.CreateTag, update: inbox.Backend.UpdateTag, remove: inbox.Backend.DeleteTag,
		filter: func(q *inbox.ThreadQuery, id string) { q.TagIDs = []string{id} }},
	"status": {name: "status", plural: "statuses",
		find: (*directory.Directory).Status, all: func(s *directory.Snapshot) []inbox.Label { return s.Statuses },
		create: inbox.Backend.CreateStatus, update: inbox.Backend.UpdateStatus, remove: inbox.Backend.DeleteStatus,
		filter: func(q *inbox.ThreadQuery, id string) { q.StatusIDs = []string{id} }},
}

func manageLabels(c *Call, a ManageLabelsArgs) (*Answer[LabelResult], error) {
	call := c.req
	k, ok := labelKinds[a.Kind]
	if !ok {
		return nil, badInput("kind %q is unknown: use tag or status", a.Kind)
	}
	name := views.SanitizeLine(a.Name)
	newName := views.SanitizeLine(a.NewName)
	color := strings.TrimSpace(a.Color)
	if name == "" {
		return nil, badInput("name is empty: give the %s's name (for create, the new name)", k.name)
	}
	if err := checkLabelArgs(a.Action, newName, color); err != nil {
		return nil, err
	}
	if a.Action != "delete" && strings.TrimSpace(a.ConfirmToken) != "" {
		return nil, badInput("confirm_token is only for action delete")
	}
	var (
		l   inbox.Label
		err error
		out = LabelResult{Kind: k.name}
	)
	switch a.Action {
	case "create":
		if err := c.nameFree(k, name, ""); err != nil {
			return nil, err
		}
		l, err = k.create(c.B, c.Ctx, name, colorValue(color))
		out.Done = "created"
	case "rename", "recolor":
		cur, ferr := k.find(c.Dir, c.Ctx, name)
		if ferr != nil {
			return nil, ferr
		}
		var u inbox.LabelUpdate
		if a.Action == "rename" {
			if err := c.nameFree(k, newName, cur.ID); err != nil {
				return nil, err
			}
			u.Name = inbox.Set(newName)
			out.Done = "renamed from " + strconv.Quote(cur.Name)
		} else {
			u.Color = inbox.Set(color)
			if strings.EqualFold(color, "none") {
				u.Color = inbox.Clear[string]()
			}
			out.Done = "recolored"
		}
		l, err = k.update(c.B, c.Ctx, cur.ID, u)
	case "delete":
		cur, ferr := k.find(c.Dir, c.Ctx, name)
		if ferr != nil {
			return nil, ferr
		}
		out.Affected = c.countHolders(k, cur.ID)
		if gate, err := c.confirmLabelDelete(call, a, k, cur, out.Affected); gate != nil || err != nil {
			return gate, err
		}
		l, err, out.Done = cur, k.remove(c.B, c.Ctx, cur.ID), "deleted"
	default:
		return nil, badInput("action %q is unknown: use create, rename, recolor or delete", a.Action)
	}
	if e, ok := errorsAs[*inbox.Error](err); ok && e.Kind == inbox.ErrConflict {
		return nil, badInput("the Inbox refused the name (%d: %s): a %s by that name already exists; use it, or pick another name", e.Status, views.SanitizeLine(e.Message), k.name)
	}
	if err != nil {
		return nil, explainNotFound(err, "The "+k.name+" "+strconv.Quote(name)+" no longer exists: call get_directory with refresh for the current "+k.plural+".")
	}
	c.Dir.Invalidate()
	c.Env.changed(c.Ctx, DirectoryURI(k.plural))
	out.Name, out.Color = views.SanitizeLine(l.Name), l.Color
	text := strings.ToUpper(k.name[:1]) + k.name[1:] + " " + strconv.Quote(out.Name) + " " + out.Done
	if out.Color != "" && a.Action != "delete" {
		text += " (color " + out.Color + ")"
	}
	if out.Affected != "" {
		text += "; " + out.Affected + " prospect(s) had it and no longer do"
	}
	return result(out, text+"."), nil
}

// checkLabelArgs refuses arguments the action does not use, so nothing is silently ignored.
func checkLabelArgs(action, newName, color string) error {
	switch {
	case action == "rename" && newName == "":
		return badInput("action rename needs new_name")
	case action != "rename" && newName != "":
		return badInput("new_name is only for action rename")
	case action == "recolor" && color == "":
		return badInput("action recolor needs color: #rrggbb, a color name such as Blue, or none")
	case (action == "rename" || action == "delete") && color != "":
		return badInput("color is only for create and recolor")
	case action == "create" && strings.EqualFold(color, "none"):
		return badInput("color none is only for recolor; leave color out to get the default")
	}
	return nil
}

func colorValue(c string) string {
	if strings.EqualFold(c, "none") {
		return ""
	}
	return c
}

// nameFree checks that no tag or status other than except is already called name (names
// are unique per team, ignoring case). It reads the cached names: one a teammate created a
// moment ago is refused by the API instead (409), which says the same.
func (c *Call) nameFree(k labelKind, name, except string) error {
	s, err := c.Dir.Snapshot(c.Ctx)
	if err != nil {
		return err
	}
	for _, l := range k.all(s) {
		if l.ID == except {
			continue
		}
		if strings.EqualFold(strings.Join(strings.Fields(l.Name), " "), name) {
			return badInput("a %s named %q already exists: use it, or pick another name", k.name, l.Name)
		}
		if directory.Confusable(l.Name, name) {
			return badInput("%s looks the same as the existing %s %q (it differs only in look-alike characters: %s): use %q, or pick a name that reads differently",
				quoteShort(name), k.name, l.Name, directory.LookalikeChars(name), l.Name)
		}
	}
	return nil
}

// countHolders counts the prospects that have a tag or status, reading at most
// countPerView threads of each inbox view, concurrently. "" when it could not be counted.
func (c *Call) countHolders(k labelKind, id string) string {
	vs := []inbox.View{inbox.ViewDefault, inbox.ViewRequests, inbox.ViewArchived}
	var (
		mu      sync.Mutex
		holders = map[string]bool{}
		more    bool
		failed  bool
	)
	parallel(c.Ctx, len(vs), len(vs), func(ctx context.Context, i int) {
		q := inbox.ThreadQuery{View: vs[i]}
		k.filter(&q, id)
		ts, next, err := inbox.Gather(ctx, "", countPerView, func(ctx context.Context, cur string, n int) (inbox.Page[inbox.Thread], error) {
			return c.B.ListThreads(ctx, q, cur, n)
		}, nil)
		mu.Lock()
		defer mu.Unlock()
		failed = failed || err != nil
		more = more || next != ""
		for _, t := range ts {
			holders[t.Prospect.ID] = true
		}
	})
	if failed {
		return ""
	}
	n := strconv.Itoa(len(holders))
	if more {
		n += "+"
	}
	return n
}
