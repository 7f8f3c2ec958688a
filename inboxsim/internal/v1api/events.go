package v1api

import (
	"time"

	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/httpx"
	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/store"
)

// v1 event replay. Payloads follow the documented webhook shapes: thread events carry
// data.thread, prospect events data.prospect (context after the change), reaction events
// data.messageId / threadId / reaction; the simulator's choices for the rest are in the store's package documentation.

type v1Event struct {
	ID        string `json:"id"`
	Seq       int64  `json:"seq"`
	TeamID    string `json:"teamId"`
	Type      string `json:"type"`
	Timestamp string `json:"timestamp"`
	Version   string `json:"version"`
	Data      any    `json:"data"`
}

// EventPage is the v1 JSON shape of GET /events.
type EventPage struct {
	Events  []v1Event `json:"events"`
	HasMore bool      `json:"hasMore"`
	LastSeq *int64    `json:"lastSeq"`
}

func v1ListEvents(c *call) (any, error) {
	q, err := parseQuery(c.r.URL.RawQuery)
	if err != nil {
		return nil, err
	}
	after, err := q.intRange("afterSeq", 0, httpx.MaxAfterSeq, 0)
	if err != nil {
		return nil, err
	}
	limit, err := q.intRange("limit", 1, 1000, 100)
	if err != nil {
		return nil, err
	}
	page, serr := c.sim.store.Events(c.ctx, c.team, after, int(limit))
	if serr != nil {
		return nil, serr
	}
	now := c.sim.now()
	out := EventPage{Events: make([]v1Event, len(page.Events)), HasMore: page.HasMore}
	for i, e := range page.Events {
		out.Events[i] = v1Event{ID: e.ID, Seq: e.Seq, TeamID: e.TeamID, Type: e.Type,
			Timestamp: httpx.FormatTime(e.Timestamp), Version: "1.0", Data: v1EventData(e.Data, now)}
	}
	if n := len(page.Events); n > 0 {
		last := page.Events[n-1].Seq
		out.LastSeq = &last
	}
	return out, nil
}

func v1EventData(d store.EventData, now time.Time) map[string]any {
	out := map[string]any{}
	if d.Thread != nil {
		out["thread"] = ToThread(*d.Thread, now)
	}
	if d.Message != nil {
		out["message"] = ToMessage(*d.Message)
	}
	if d.Prospect != nil {
		out["prospect"] = ToProspectWithContext(*d.Prospect, now, false)
	}
	if d.Tag != nil {
		out["tag"] = toV1Tag(*d.Tag)
	}
	if d.Status != nil {
		out["status"] = toV1Status(*d.Status)
	}
	if d.MessageID != "" {
		out["messageId"] = d.MessageID
	}
	if d.ThreadID != "" {
		out["threadId"] = d.ThreadID
	}
	if r := d.Reaction; r != nil {
		out["reaction"] = v1Reaction{Emoji: r.Emoji, SenderPlatformID: r.SenderPlatformID, CreatedAt: httpx.FormatTime(r.CreatedAt)}
	}
	if del := d.Deletion; del != nil {
		out["deletion"] = v1Deletion{DeletedAt: httpx.FormatTime(del.DeletedAt), DeletionType: del.Type,
			DeletionAuthorPlatformID: del.AuthorPlatformID, Origin: del.Origin}
	}
	return out
}
