package v2api

import (
	"slices"
	"strings"

	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/httpx"
	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/store"
)

// v2 event replay. The v2 log holds v1's events (copied as they are written) and the events
// only v2 sees; both are presented in v2's shape: the object that changed, and only the
// values of the change.

var v2EventTypes = []string{"thread.created", "thread.deleted", "thread.assigned", "thread.unassigned",
	"thread.archived", "thread.unarchived", "thread.typing", "message.sent", "message.received",
	"message.edited", "message.deleted", "message.reactionAdded", "message.reactionRemoved",
	"contact.statusChanged", "contact.tagsChanged", "contact.notesChanged", "contact.valuationChanged",
	"contact.assigneeChanged", "tag.created", "tag.updated", "tag.deleted", "status.created",
	"status.updated", "status.deleted", "campaign.created", "campaign.started", "campaign.paused",
	"campaign.resumed", "campaign.completed", "target.contacted", "target.followUpSent", "target.replied"}

func v2ListEvents(c *v2Call) (v2Result, error) {
	q, err := parseV2Query(c.r.URL.RawQuery, "afterSeq", "type", "limit")
	if err != nil {
		return v2Result{}, err
	}
	after, err := q.integer("afterSeq", 0, httpx.MaxAfterSeq, 0)
	if err != nil {
		return v2Result{}, err
	}
	types, err := q.enums("type", v2EventTypes, 0)
	if err != nil {
		return v2Result{}, err
	}
	limit, err := q.integer("limit", 1, 1000, 100)
	if err != nil {
		return v2Result{}, err
	}
	log, more, err := c.sim.store.V2Events(c.ctx, c.team, after, int(limit))
	if err != nil {
		return v2Result{}, err
	}
	out := EventPageJSON{Data: []v2EventJSON{}, HasMore: more}
	for _, e := range log {
		ev, ok := toV2Event(e)
		if ok && (len(types) == 0 || slices.Contains(types, ev.Type)) {
			out.Data = append(out.Data, ev)
		}
	}
	if n := len(log); n > 0 {
		out.LastSeq = &log[n-1].Seq
	}
	return ok200(out)
}

// toV2Event presents one logged event in v2's shape; false for events v2 does not publish
// (v1's prospect.created: v2 has no event for a profile being looked up).
func toV2Event(e store.V2LogEvent) (v2EventJSON, bool) {
	d := e.Data
	ev := v2EventJSON{ID: e.ID, Seq: e.Seq, Type: e.Type, APIVersion: "2", CreatedAt: httpx.FormatTime(store.FromMillis(e.At)), Data: struct{}{}}
	object := func(kind, id string) {
		ev.Object = v2EventObjectJSON{Type: kind, ID: id, URL: Prefix + "/" + kind + "s/" + id}
		if kind == "status" {
			ev.Object.URL = Prefix + "/statuses/" + id
		}
	}
	threadID := func() string {
		if d.Thread != nil {
			return d.Thread.ID
		}
		return d.ThreadID
	}
	switch {
	case strings.HasPrefix(e.Type, "thread."):
		if d.Thread == nil {
			return ev, false
		}
		object("thread", d.Thread.ID)
		switch e.Type {
		case "thread.deleted":
			ev.Data = map[string]string{"accountLinkId": d.Thread.AccountLinkID, "platform": e.Platform}
		case "thread.assigned", "thread.unassigned":
			ev.Data = map[string]*string{"assigneeId": d.Thread.AssigneeID}
		}
	case e.Type == "message.created":
		if d.Message == nil {
			return ev, false
		}
		ev.Type = "message.sent"
		if d.Message.Inbound {
			ev.Type = "message.received"
		}
		object("message", d.Message.ID)
		ev.Data = map[string]string{"threadId": d.Message.ThreadID}
	case e.Type == "message.edited" || e.Type == "message.deleted":
		if d.Message == nil {
			return ev, false
		}
		object("message", d.Message.ID)
		data := map[string]string{"threadId": d.Message.ThreadID}
		if e.Type == "message.deleted" {
			data["scope"] = store.DeletionForAll
			if d.Deletion != nil {
				data["scope"] = d.Deletion.Type
			}
		}
		ev.Data = data
	case e.Type == "message.reactionAdded" || e.Type == "message.reactionRemoved":
		if d.Reaction == nil {
			return ev, false
		}
		object("message", d.MessageID)
		ev.Data = map[string]string{"threadId": threadID(), "emoji": d.Reaction.Emoji, "authorPlatformId": d.Reaction.SenderPlatformID}
	case e.Type == "contact.assigneeChanged":
		object("contact", d.ContactID)
		ev.Data = map[string]*string{"assigneeId": d.AssigneeID}
	case strings.HasPrefix(e.Type, "prospect.") || strings.HasPrefix(e.Type, "contact."):
		if d.Prospect == nil || e.Type == "prospect.created" {
			return ev, false
		}
		// An X prospect is always its contact's primary profile, and LinkedIn contact events
		// are written for the primary profile, so the contact ID follows from the profile.
		object("contact", store.ContactIDOf(d.Prospect.ExternalID))
		ctx := d.Prospect.Context
		field := strings.TrimSuffix(e.Type[strings.IndexByte(e.Type, '.')+1:], "Changed")
		ev.Type = "contact." + field + "Changed"
		switch field {
		case "status":
			ev.Data = map[string]*string{"statusId": ctx.StatusID}
		case "tags":
			tags := ctx.Tags
			if tags == nil {
				tags = []string{}
			}
			ev.Data = map[string][]string{"tagIds": tags}
		case "notes":
			ev.Data = map[string]*string{"notes": ctx.Notes}
		case "valuation":
			ev.Data = map[string]*float64{"valuation": ctx.Valuation}
		default:
			return ev, false
		}
	case strings.HasPrefix(e.Type, "tag."):
		if d.Tag == nil {
			return ev, false
		}
		object("tag", d.Tag.ID)
	case strings.HasPrefix(e.Type, "status."):
		if d.Status == nil {
			return ev, false
		}
		object("status", d.Status.ID)
	default:
		return ev, false
	}
	return ev, true
}
