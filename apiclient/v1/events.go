package v1

import (
	"context"
	"encoding/json"
	"net/url"
	"strconv"
	"time"
)

// EventType is "resource.action", e.g. "message.created". Unknown types decode as-is.
type EventType string

// Some event types callers branch on (the document lists 32; later docs add
// prospect.assigneeChanged).
const (
	EventThreadCreated           EventType = "thread.created"
	EventThreadArchived          EventType = "thread.archived"
	EventThreadUnarchived        EventType = "thread.unarchived"
	EventMessageCreated          EventType = "message.created"
	EventMessageEdited           EventType = "message.edited"
	EventMessageDeleted          EventType = "message.deleted"
	EventProspectStatusChanged   EventType = "prospect.statusChanged"
	EventProspectTagsChanged     EventType = "prospect.tagsChanged"
	EventProspectAssigneeChanged EventType = "prospect.assigneeChanged"
)

// Event is one replayable webhook event. Data's shape depends on Type.
type Event struct {
	ID        string          `json:"id"`
	Seq       Count           `json:"seq"` // increasing per team
	TeamID    string          `json:"teamId"`
	Type      EventType       `json:"type"`
	Timestamp time.Time       `json:"timestamp"`
	Version   string          `json:"version"`
	Data      json.RawMessage `json:"data,omitempty"`
}

// EventPage is one page of the event replay. Pass LastSeq as the next AfterSeq.
type EventPage struct {
	Events  []Event `json:"events"`
	HasMore bool    `json:"hasMore"`
	LastSeq *Count  `json:"lastSeq"`
}

// EventParams selects events: those with seq > AfterSeq (nil = from the start of the 7-day
// retention), at most Limit (1–1000; 0 = the API default of 100).
type EventParams struct {
	AfterSeq *int64
	Limit    int
}

// Events replays the team's events (events.list).
func (c *Client) Events(ctx context.Context, p EventParams) (*EventPage, error) {
	q := url.Values{}
	if p.AfterSeq != nil {
		if *p.AfterSeq < 0 {
			return nil, invalidf("afterSeq %d is negative: pass 0 or the lastSeq of the previous page", *p.AfterSeq)
		}
		q.Set("afterSeq", strconv.FormatInt(*p.AfterSeq, 10))
	}
	if p.Limit != 0 {
		if p.Limit < 1 || p.Limit > 1000 {
			return nil, invalidf("limit %d is out of range: use 1 to 1000", p.Limit)
		}
		q.Set("limit", strconv.Itoa(p.Limit))
	}
	return get[EventPage](ctx, c, "/events", q)
}
