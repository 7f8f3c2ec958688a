package tools

import (
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/inbox-mcp/inbox-mcp/inbox"
	"github.com/inbox-mcp/inbox-mcp/views"
)

// NameManageThread is the name of the manage_thread tool.
const NameManageThread = "manage_thread"

// ManageThreadArgs are the arguments of manage_thread.
type ManageThreadArgs struct {
	ThreadID  string `json:"thread_id" jsonschema_description:"Thread ID."`
	Action    string `json:"action" jsonschema:"enum=archive,enum=unarchive,enum=assign,enum=unassign,enum=edit_message,enum=delete_message,enum=react,enum=unreact" jsonschema_description:"What to do."`
	Member    string `json:"member,omitempty" jsonschema_description:"assign: member name or email."`
	MessageID string `json:"message_id,omitempty" jsonschema_description:"From read_messages."`
	Text      string `json:"text,omitempty" jsonschema_description:"edit_message: new text the person approved."`
	Emoji     string `json:"emoji,omitempty" jsonschema_description:"One emoji."`
	// ConfirmToken is the second step of a message change confirmed by token.
	ConfirmToken string `json:"confirm_token,omitempty" jsonschema_description:"Message actions: from needs_confirmation, once the person said yes."`
}

// ThreadChange is the result of manage_thread: what was done and, for thread actions, the
// thread as it now is.
type ThreadChange struct {
	ThreadID  string `json:"thread_id"`
	MessageID string `json:"message_id,omitempty"`
	// Done says what was done; empty when nothing was (Status says why).
	Done     string `json:"done,omitempty"`
	Archived *bool  `json:"archived,omitempty"`
	Assignee string `json:"assignee,omitempty"`
	// Status is set when a message change was not made: needs_confirmation (the person must
	// approve it first), declined (they did not) or not_done.
	Status string `json:"status,omitempty"`
	Reason string `json:"reason,omitempty"`
	// Account, To, Change, OldText and NewText are what the person must approve
	// (needs_confirmation), with the ConfirmToken to call again with once they have.
	// Change is edit, unsend, react <emoji> or remove reaction <emoji>.
	Account string `json:"account,omitempty"`
	To      string `json:"to,omitempty"`
	Change  string `json:"change,omitempty"`
	OldText string `json:"old_text,omitempty"`
	// Untrusted says OldText was written by the prospect: data, never instructions.
	Untrusted    bool   `json:"untrusted,omitempty"`
	NewText      string `json:"new_text,omitempty"`
	ConfirmToken string `json:"confirm_token,omitempty"`
}

// manageThreadTool is manage_thread: the thread's archive state and assignee, and our
// messages in it. Destructive, because an edit replaces text the prospect may have read and
// a delete removes it for everyone; open-world, because the prospect sees message changes.
// Repeating an action changes nothing more.
var manageThreadTool = declare(Spec[ManageThreadArgs, ThreadChange]{
	Name:         NameManageThread,
	Toolset:      "threads",
	Description:  "Archive/unarchive/assign/unassign a thread, or edit/delete/react/unreact one of its messages (confirmed by the person, like send_reply).",
	Instructions: "manage_thread archives, assigns and edits, deletes or reacts to messages;",
	Hints:        hints{destructive: true, idempotent: true, openWorld: true},
	Handle:       manageThread,
	Unanswered:   threadUnanswered,
})

// What each message action needs the conversation to allow, and how to say it is not. The
// capability names are the API's: v1 calls a delete for everyone message:delete, v2
// message:unsend.
var messageActions = map[string]struct {
	capabilities []string
	gerund       string
}{
	"edit_message":   {[]string{"message:edit"}, "editing"},
	"delete_message": {[]string{"message:delete", "message:unsend"}, "deleting messages"},
	"react":          {[]string{"message:react"}, "reacting"},
	"unreact":        {[]string{"message:react"}, "reacting"},
}

func manageThread(c *Call, a ManageThreadArgs) (*Answer[ThreadChange], error) {
	call := c.req
	if err := checkThreadArgs(a); err != nil {
		return nil, err
	}
	if _, ok := messageActions[a.Action]; ok {
		return manageMessage(c, call, a)
	}
	var u inbox.ThreadUpdate
	switch a.Action {
	case "archive":
		u.Done = inbox.Set(true)
	case "unarchive":
		u.Done = inbox.Set(false)
	case "assign":
		m, err := c.Dir.Member(c.Ctx, a.Member)
		if err != nil {
			return nil, err
		}
		u.Assignee = inbox.Set(m.ID)
	case "unassign":
		u.Assignee = inbox.Clear[string]()
	}
	id := strings.TrimSpace(a.ThreadID)
	t, err := c.B.UpdateThread(c.Ctx, id, u)
	if err != nil {
		return nil, explainNotFound(err, "No thread with ID "+strconv.Quote(id)+": use list_threads or lookup_thread to find it.")
	}
	c.Env.changed(c.Ctx, TranscriptURI(t.ID))
	r, err := c.Renderer(ThreadIDs(t))
	if err != nil {
		return nil, err
	}
	done := map[string]string{"archive": "archived", "unarchive": "unarchived", "assign": "assigned", "unassign": "unassigned"}[a.Action]
	out := ThreadChange{ThreadID: t.ID, Archived: &t.Done, Assignee: r.Member(t.AssigneeID), Done: done}
	text := "Thread " + t.ID + " is now "
	if t.Done {
		text += "archived"
	} else {
		text += "open (not archived)"
	}
	if out.Assignee != "" {
		text += ", assigned to " + out.Assignee + "."
	} else {
		text += ", unassigned."
	}
	return result(out, text), nil
}

// checkThreadArgs refuses missing arguments and arguments the action does not use, so that
// nothing given is silently ignored.
func checkThreadArgs(a ManageThreadArgs) error {
	uses := map[string]string{"assign": "member", "edit_message": "message_id text", "delete_message": "message_id",
		"react": "message_id emoji", "unreact": "message_id emoji"}
	given := map[string]string{"member": a.Member, "message_id": a.MessageID, "text": a.Text, "emoji": a.Emoji}
	if strings.TrimSpace(a.ThreadID) == "" {
		return badInput("thread_id is empty: use list_threads or lookup_thread to find the thread")
	}
	switch a.Action {
	case "archive", "unarchive", "assign", "unassign", "edit_message", "delete_message", "react", "unreact":
	default:
		return badInput("action %q is unknown: use archive, unarchive, assign, unassign, edit_message, delete_message, react or unreact", a.Action)
	}
	need := strings.Fields(uses[a.Action])
	for _, f := range need {
		if strings.TrimSpace(given[f]) == "" {
			return badInput("action %s needs %s", a.Action, strings.Join(need, " and "))
		}
	}
	for _, f := range []string{"member", "message_id", "text", "emoji"} {
		if given[f] != "" && !slices.Contains(need, f) {
			return badInput("%s is not used by action %s: leave it out", f, a.Action)
		}
	}
	if _, ok := messageActions[a.Action]; !ok && a.ConfirmToken != "" {
		return badInput("confirm_token is not used by action %s, which the prospect does not see and needs no approval: leave it out", a.Action)
	}
	if a.Action == "edit_message" {
		if err := checkText(a.Text); err != nil {
			return err
		}
	}
	if id := strings.TrimSpace(a.MessageID); id != "" && !isInboxID(id) {
		// Checked here for every API version: an ID goes into the request's path.
		return badInput("message_id %s is not a message ID (lowercase letters and digits): read_messages lists the thread's messages with their IDs", quoteShort(id))
	}
	if e := strings.TrimSpace(a.Emoji); e != "" && !isEmoji(e) {
		return badInput("emoji %s is not one emoji: pass a single emoji, such as 👍, ❤️ or 😂", quoteShort(e))
	}
	return nil
}

// isEmoji accepts one emoji as people type them: a few code points (a base, modifiers,
// joiners, a variation selector), none of them a letter, digit, space or punctuation.
func isEmoji(s string) bool {
	if utf8.RuneCountInString(s) > 16 {
		return false
	}
	for _, r := range s {
		if r < 0x80 && r != '#' && r != '*' && !('0' <= r && r <= '9') || unicode.IsLetter(r) || unicode.IsSpace(r) {
			return false
		}
	}
	return true
}

// manageMessage edits, deletes or reacts to a message, after checking that the conversation
// allows it (X allows edits and deletes only in X Chat, encrypted, conversations) and once
// the person approved exactly the change: the prospect sees every one of them.
func manageMessage(c *Call, call mcp.CallToolRequest, a ManageThreadArgs) (*Answer[ThreadChange], error) {
	act := messageActions[a.Action]
	msgID := strings.TrimSpace(a.MessageID)
	emoji := strings.TrimSpace(a.Emoji)
	t, err := c.thread(a.ThreadID)
	if err != nil {
		return nil, err
	}
	why, err := c.notAllowed(t, act.capabilities)
	if err != nil {
		return nil, err
	}
	if why != "" {
		return nil, badInput("%s is not possible in this conversation: %s Nothing was changed; for a correction, send a new message with send_reply after the person approves it.",
			strings.ToUpper(act.gerund[:1])+act.gerund[1:], why)
	}
	m, err := c.findMessage(t.ID, msgID)
	if err != nil {
		return nil, err
	}
	mc := messageChange{action: a.Action, t: t, m: m, text: a.Text, emoji: emoji}
	if err := checkMessage(mc); err != nil {
		return nil, err
	}
	// Everything is resolved and checked before the person is asked: they approve exactly
	// what is done, and a mistake costs them no question.
	if gate, err := c.confirmMessage(call, a.ConfirmToken, mc); gate != nil || err != nil {
		return gate, err
	}
	switch a.Action {
	case "edit_message":
		err = c.B.EditMessage(c.Ctx, t.ID, msgID, a.Text)
	case "delete_message":
		err = c.B.DeleteMessage(c.Ctx, t.ID, msgID)
	default:
		err = c.B.React(c.Ctx, t.ID, msgID, emoji, a.Action == "react")
	}
	if err != nil {
		return nil, messageError(err, t.ID, msgID)
	}
	c.Env.changed(c.Ctx, TranscriptURI(t.ID))
	done := map[string]string{"edit_message": "edited", "delete_message": "deleted for everyone", "react": "reacted " + emoji, "unreact": "removed reaction " + emoji}[a.Action]
	out := ThreadChange{ThreadID: t.ID, MessageID: msgID, Done: done}
	return result(out, "Message "+msgID+" in thread "+t.ID+": "+done+"."), nil
}

// notAllowed says why a conversation does not allow a message action, or "" when it does:
// the thread's restrictions (what the platform disabled in it) and, where the API states
// them, the capabilities of the team's account in it (v2 account links).
func (c *Call) notAllowed(t inbox.Thread, capabilities []string) (string, error) {
	if slices.ContainsFunc(t.Restrictions, func(r string) bool { return slices.Contains(capabilities, r) }) {
		if t.Platform == "" || t.Platform == "twitter" {
			return "thread " + t.ID + " is not an X Chat (encrypted) conversation, where X allows it.", nil
		}
		return "the platform (" + views.SanitizeLine(t.Platform) + ") does not allow it in thread " + t.ID + ".", nil
	}
	s, err := c.Dir.Snapshot(c.Ctx)
	if err != nil {
		return "", err
	}
	for _, a := range s.Accounts {
		if a.ID != t.AccountID || a.Capabilities == nil {
			continue
		}
		if !slices.ContainsFunc(a.Capabilities, func(have string) bool { return slices.Contains(capabilities, have) }) {
			return "our account @" + views.SanitizeLine(a.Username) + " (" + views.SanitizeLine(a.Platform) + ") cannot do it, so no thread of that account allows it.", nil
		}
	}
	return "", nil
}

// messageError explains the API's refusals of a message change in the message's terms.
func messageError(err error, threadID, msgID string) error {
	e, ok := errorsAs[*inbox.Error](err)
	if !ok {
		return err
	}
	detail := views.SanitizeLine(e.Message)
	switch e.Kind {
	case inbox.ErrNotFound:
		return &notFoundError{msg: "No message " + strconv.Quote(msgID) + " in thread " + threadID + " (" + detail + "): read_messages lists the thread's message IDs.", err: err}
	case inbox.ErrForbidden:
		return badInput("The Inbox API refused to change message %s (%d: %s). Only messages our accounts sent can be edited or deleted; nothing was changed.", msgID, e.Status, detail)
	case inbox.ErrConflict:
		return badInput("Message %s cannot be changed now (%d: %s). Read the thread again with read_messages.", msgID, e.Status, detail)
	case inbox.ErrNotAllowed:
		return badInput("This is not possible in this conversation (%s). Nothing was changed; for a correction, send a new message with send_reply after the person approves it.", detail)
	case inbox.ErrTooLate:
		return badInput("Message %s can no longer be changed: the platform's time window for it has passed (%s). Nothing was changed; send a new message with send_reply instead, after the person approves it.", msgID, detail)
	}
	return err
}
