package v2

import (
	"context"
	"iter"
	"net/http"
	"strings"

	"github.com/inbox-mcp/inbox-mcp/apiclient"
)

// Thread folders (the folder= filter of GET /threads).
const (
	FolderInbox    = "inbox"    // neither archived nor requests (the API's default)
	FolderNoReply  = "noReply"  // inbox threads whose latest activity is inbound
	FolderRequests = "requests" // unarchived message requests
	FolderArchived = "archived" // archived, requests included
	FolderAll      = "all"
)

// Thread expansions (at most 4 per request).
const (
	ExpandThreadProfile     = "profile"
	ExpandThreadContact     = "contact"
	ExpandThreadAccountLink = "accountLink"
	ExpandThreadAssignee    = "assignee"
)

// ThreadFilter selects threads for GET /threads. Empty fields do not filter; a list matches
// any of its values. Tags and Statuses take IDs or names.
type ThreadFilter struct {
	AccountLinkIDs []string
	Platforms      []string
	ContactIDs     []string
	Folder         string // one of the Folder constants; "" = the API default (inbox)
	Tags           []string
	Statuses       []string
	AssigneeIDs    []string
	Unassigned     bool // not combinable with AssigneeIDs
	CampaignIDs    []string
	// Q searches profile display names, usernames and the activity preview; results keep
	// inbox order, not relevance.
	Q      string
	Order  string // desc (default) | asc
	Expand []string
	Limit  int
	Cursor string
}

// ListThreads returns one page of threads in inbox order (GET /threads).
func (c *Client) ListThreads(ctx context.Context, f ThreadFilter) (Page[Thread], error) {
	var out Page[Thread]
	if f.Unassigned && len(f.AssigneeIDs) > 0 {
		return out, errInvalid("filter by assignees or by unassigned threads, not both")
	}
	if len(f.Expand) > 4 {
		return out, errInvalid("expand at most 4 related resources per request")
	}
	q := query{}
	q.add("accountLinkId", f.AccountLinkIDs...)
	q.add("platform", f.Platforms...)
	q.add("contactId", f.ContactIDs...)
	q.add("folder", f.Folder)
	q.add("tag", f.Tags...)
	q.add("status", f.Statuses...)
	q.add("assigneeId", f.AssigneeIDs...)
	if f.Unassigned {
		q.add("unassigned", "true")
	}
	q.add("campaignId", f.CampaignIDs...)
	q.add("q", strings.TrimSpace(f.Q))
	q.add("order", f.Order)
	q.add("expand", f.Expand...)
	q.page(f.Limit, f.Cursor)
	return out, c.get(ctx, "/threads", q.values(), &out)
}

// AllThreads iterates over the threads matching f, starting at f.Cursor, stopping after max
// items (max <= 0: no cap). Pages are as large as f.Limit (default 100).
func (c *Client) AllThreads(ctx context.Context, f ThreadFilter, max int) iter.Seq2[Thread, error] {
	if f.Limit <= 0 {
		f.Limit = MaxLimit
	}
	return apiclient.Paginate(ctx, f.Cursor, func(ctx context.Context, cursor string) ([]Thread, string, error) {
		f.Cursor = cursor
		p, err := c.ListThreads(ctx, f)
		return p.Data, p.NextCursor, err
	}, max)
}

// GetThread returns one thread (GET /threads/{threadId}).
func (c *Client) GetThread(ctx context.Context, id string, expand ...string) (Thread, error) {
	var out Thread
	s, err := idSeg("thread ID", id)
	if err != nil {
		return out, err
	}
	q := query{}
	q.add("expand", expand...)
	return out, c.get(ctx, "/threads/"+s, q.values(), &out)
}

// ThreadPatch changes a thread; nil and zero fields are left unchanged.
type ThreadPatch struct {
	Archived *bool `json:"archived,omitempty"`
	Unread   *bool `json:"unread,omitempty"`
	// AssigneeID sets the thread's own assignee; apiclient.Null falls back to the
	// contact's default assignee.
	AssigneeID       apiclient.Nullable[string] `json:"assigneeId,omitzero"`
	TypingIndicators string                     `json:"typingIndicators,omitempty"` // enabled | disabled | teamDefault
}

// UpdateThread changes a thread and returns it (PATCH /threads/{threadId}). The answer
// carries no expansions.
func (c *Client) UpdateThread(ctx context.Context, id string, p ThreadPatch) (Thread, error) {
	var out Thread
	s, err := idSeg("thread ID", id)
	if err != nil {
		return out, err
	}
	return out, c.do(ctx, http.MethodPatch, "/threads/"+s, nil, p, &out)
}

// DeleteThread deletes a conversation, on the platform when it can and always in Inboxapp
// (DELETE /threads/{threadId}); the answer's Scope says which happened.
func (c *Client) DeleteThread(ctx context.Context, id string) (ThreadDeletion, error) {
	var out ThreadDeletion
	s, err := idSeg("thread ID", id)
	if err != nil {
		return out, err
	}
	return out, c.do(ctx, http.MethodDelete, "/threads/"+s, nil, nil, &out)
}

// SendTyping shows the account link as typing in a thread (POST
// /threads/{threadId}/typing). Extra calls within 2.5 seconds come back skipped.
func (c *Client) SendTyping(ctx context.Context, threadID string) (TypingSignal, error) {
	var out TypingSignal
	s, err := idSeg("thread ID", threadID)
	if err != nil {
		return out, err
	}
	// Repeating a typing signal is harmless (the API skips extras), so the transport may
	// retry it like a read.
	return out, c.call(ctx, apiclient.Request{Method: http.MethodPost, Path: "/threads/" + s + "/typing", Idempotent: true}, &out)
}
