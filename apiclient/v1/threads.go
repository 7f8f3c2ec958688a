package v1

import (
	"context"
	"errors"
	"iter"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/inbox-mcp/inbox-mcp/apiclient"
)

// Thread is a DM conversation between one of the team's account links and a prospect.
type Thread struct {
	ID                      string             `json:"id"`
	Platform                Platform           `json:"platform"`
	PlatformID              string             `json:"platformId"` // X conversation ID "small:large"
	Done                    bool               `json:"done"`       // archived
	AssigneeID              *string            `json:"assigneeId"`
	LastMessageTimestamp    *time.Time         `json:"lastMessageTimestamp"`
	ComputedSortTimestamp   *time.Time         `json:"computedSortTimestamp"`
	CreatedAt               time.Time          `json:"createdAt"`
	Status                  ThreadStatus       `json:"status"`
	Variant                 ThreadVariant      `json:"variant"`
	AccountLinkID           string             `json:"accountLinkId"`
	IsSyncing               bool               `json:"isSyncing"`
	IsRequest               bool               `json:"isRequest"`
	TypingIndicatorsEnabled *bool              `json:"typingIndicatorsEnabled"` // nil = team default
	LastMessage             *ThreadLastMessage `json:"lastMessage"`
	Prospect                Prospect           `json:"prospect"`
}

// ThreadLastMessage previews a thread's newest message.
type ThreadLastMessage struct {
	ID         string    `json:"id"`
	Content    string    `json:"content"`
	AuthorID   string    `json:"authorId"` // account link ID (outbound) or prospect ID; opaque
	CreatedAt  time.Time `json:"createdAt"`
	UserID     *string   `json:"userId"`
	CampaignID *string   `json:"campaignId"`
}

// ThreadPage is one page of threads. NextCursor is nil on the last page.
type ThreadPage struct {
	Threads    []Thread `json:"threads"`
	NextCursor *Cursor  `json:"nextCursor"`
}

// IDFilter keeps threads whose object (tag, status, assignee, campaign) is any of
// SelectedIDs, or, with None, threads that have none (noTags, noStatus, noAssignee,
// noCampaign on the wire).
type IDFilter struct {
	SelectedIDs []string
	None        bool
}

func (f IDFilter) empty() bool { return len(f.SelectedIDs) == 0 && !f.None }

// ThreadFilters narrows a thread listing; zero fields do not filter.
type ThreadFilters struct {
	Tags      IDFilter
	Statuses  IDFilter
	Assignees IDFilter
	Campaigns IDFilter
	SortOrder SortOrder // "" = API default (desc, most recent first)
}

// ThreadListParams selects a page of threads. Keep everything but Cursor identical across
// the pages of one walk.
type ThreadListParams struct {
	Inbox          InboxView // "" = API default
	AccountLinkIDs []string  // restrict to these connected accounts; nil = all
	Filters        ThreadFilters
	Limit          int     // 1–100; 0 = API default (20)
	Cursor         *Cursor // nil = first page
}

func (p ThreadListParams) query() (url.Values, error) {
	q := url.Values{}
	switch p.Inbox {
	case "":
	case InboxDefault, InboxNoReply, InboxRequests, InboxArchived:
		q.Set("inbox", string(p.Inbox))
	default:
		return nil, invalidf("inbox %q is not a view: use default, no-reply, requests or archived", p.Inbox)
	}
	if err := checkIDs("accountLinkIds entry", p.AccountLinkIDs); err != nil {
		return nil, err
	}
	encodeArray(q, "accountLinkIds", p.AccountLinkIDs)
	for _, f := range []struct {
		key, none string
		f         IDFilter
	}{
		{"tags", "noTags", p.Filters.Tags},
		{"statuses", "noStatus", p.Filters.Statuses},
		{"assignees", "noAssignee", p.Filters.Assignees},
		{"campaigns", "noCampaign", p.Filters.Campaigns},
	} {
		if f.f.empty() {
			continue
		}
		if err := checkIDs("filters."+f.key+" id", f.f.SelectedIDs); err != nil {
			return nil, err
		}
		encodeArray(q, "filters["+f.key+"][selectedIds]", f.f.SelectedIDs)
		if f.f.None {
			q.Set("filters["+f.key+"]["+f.none+"]", "true")
		}
	}
	switch p.Filters.SortOrder {
	case "":
	case SortAsc, SortDesc:
		q.Set("filters[sortOrder]", string(p.Filters.SortOrder))
	default:
		return nil, invalidf("sortOrder %q is invalid: use asc or desc", p.Filters.SortOrder)
	}
	if err := setLimit(q, p.Limit); err != nil {
		return nil, err
	}
	if err := p.Cursor.check(); err != nil {
		return nil, err
	}
	p.Cursor.encode(q)
	return q, nil
}

// encodeArray writes an array parameter in the indexed bracket form (name[0]=a&name[1]=b),
// one of the three forms the API accepts and the one that reads unambiguously as a
// deepObject array.
func encodeArray(q url.Values, name string, ids []string) {
	for i, id := range ids {
		q.Set(name+"["+strconv.Itoa(i)+"]", id)
	}
}

func setLimit(q url.Values, limit int) error {
	if limit == 0 {
		return nil
	}
	if limit < 1 || limit > 100 {
		return invalidf("limit %d is out of range: use 1 to 100", limit)
	}
	q.Set("limit", strconv.Itoa(limit))
	return nil
}

// ListThreads returns one page of threads (threads.list).
func (c *Client) ListThreads(ctx context.Context, p ThreadListParams) (*ThreadPage, error) {
	q, err := p.query()
	if err != nil {
		return nil, err
	}
	return get[ThreadPage](ctx, c, "/threads", q)
}

// PageSize is the page size the iterators request: the API's maximum, so a walk costs as
// few requests (and rate-limit budget) as possible.
const PageSize = 100

// Threads walks every thread p selects, starting at p.Cursor, in pages of up to 100, and
// stops fetching as soon as max threads were yielded (max <= 0: no cap). p.Limit is
// ignored. To resume a capped walk exactly, page with [Client.ListThreads] instead.
func (c *Client) Threads(ctx context.Context, p ThreadListParams, max int) iter.Seq2[Thread, error] {
	fetched := 0
	fetch := func(ctx context.Context, cursor string) ([]Thread, string, error) {
		cur, err := ParseCursor(cursor)
		if err != nil {
			return nil, "", err
		}
		p.Cursor, p.Limit = cur, pageLimit(max, fetched)
		page, err := c.ListThreads(ctx, p)
		if err != nil {
			return nil, "", err
		}
		fetched += len(page.Threads)
		return page.Threads, page.NextCursor.token(), nil
	}
	return apiclient.Paginate(ctx, p.Cursor.token(), fetch, max)
}

// pageLimit asks for no more than the cap still needs.
func pageLimit(capped, fetched int) int {
	if capped > 0 {
		return min(PageSize, max(capped-fetched, 1))
	}
	return PageSize
}

// GetThread returns one thread (threads.thread.get).
func (c *Client) GetThread(ctx context.Context, threadID string) (*Thread, error) {
	if err := checkID("threadId", threadID); err != nil {
		return nil, err
	}
	return get[Thread](ctx, c, path("threads", threadID), nil)
}

// ProspectRef names a prospect by X user ID (ExternalPlatformID) or Inbox ID (ExternalID);
// exactly one is needed.
type ProspectRef struct {
	ExternalPlatformID string `json:"externalPlatformId,omitempty"`
	ExternalID         string `json:"externalId,omitempty"`
}

func (r ProspectRef) check() error {
	switch {
	case r.ExternalPlatformID == "" && r.ExternalID == "":
		return errors.New("no prospect given: pass the prospect's X user ID (externalPlatformId) or Inbox ID (externalId)")
	case r.ExternalPlatformID != "" && r.ExternalID != "":
		return errors.New("both externalPlatformId and externalId given: pass only one of them")
	case r.ExternalID != "":
		return checkID("externalId", r.ExternalID)
	}
	return nil
}

func (r ProspectRef) encode(q url.Values) {
	if r.ExternalPlatformID != "" {
		q.Set("externalPlatformId", r.ExternalPlatformID)
	}
	if r.ExternalID != "" {
		q.Set("externalId", r.ExternalID)
	}
}

// CreateThread opens a thread between an account link and a prospect (threads.create). A
// thread is unique per account link and prospect, so the request is safe to repeat.
func (c *Client) CreateThread(ctx context.Context, accountLinkID string, who ProspectRef) (*Thread, error) {
	if err := checkID("accountLinkId", accountLinkID); err != nil {
		return nil, err
	}
	if err := who.check(); err != nil {
		return nil, err
	}
	body := struct {
		AccountLinkID string `json:"accountLinkId"`
		ProspectRef
	}{accountLinkID, who}
	out := new(Thread)
	err := c.do(ctx, apiclient.Request{Method: "POST", Path: "/threads", Body: body, Idempotent: true}, out)
	if err != nil {
		return nil, err
	}
	return out, nil
}

// LookupThread finds the thread between an account link and a prospect (threads.lookup). A
// miss is (nil, nil).
func (c *Client) LookupThread(ctx context.Context, accountLinkID string, who ProspectRef) (*Thread, error) {
	if err := checkID("accountLinkId", accountLinkID); err != nil {
		return nil, err
	}
	if err := who.check(); err != nil {
		return nil, err
	}
	q := url.Values{"accountLinkId": {accountLinkID}}
	who.encode(q)
	var out *Thread
	if err := c.do(ctx, apiclient.Request{Method: "GET", Path: "/threads/lookup", Query: q}, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// LookupThreadsByUsername returns every thread, across account links (or only
// accountLinkIDs), with the prospect whose X username matches exactly
// (threads.lookupByUsername). A leading @ is dropped. A miss is an empty slice.
func (c *Client) LookupThreadsByUsername(ctx context.Context, username string, accountLinkIDs []string) ([]Thread, error) {
	username = strings.TrimPrefix(strings.TrimSpace(username), "@")
	if username == "" {
		return nil, invalid("username is empty: pass the prospect's X username, e.g. jordanrivera")
	}
	if err := checkIDs("accountLinkIds entry", accountLinkIDs); err != nil {
		return nil, err
	}
	q := url.Values{"username": {username}}
	encodeArray(q, "accountLinkIds", accountLinkIDs)
	out := []Thread{}
	if err := c.do(ctx, apiclient.Request{Method: "GET", Path: "/threads/lookup-by-username", Query: q}, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// ThreadUpdate changes a thread: Done archives (true) or reopens (false); AssigneeID sets
// the assignee, or unassigns with apiclient.Null. Zero fields are left alone.
type ThreadUpdate struct {
	Done       *bool                      `json:"done,omitempty"`
	AssigneeID apiclient.Nullable[string] `json:"assigneeId,omitzero"`
}

// UpdateThread marks a thread done or open and/or changes its assignee
// (threads.thread.update).
func (c *Client) UpdateThread(ctx context.Context, threadID string, u ThreadUpdate) (*Thread, error) {
	if err := checkID("threadId", threadID); err != nil {
		return nil, err
	}
	if id, ok := u.AssigneeID.Get(); ok {
		if err := checkID("assigneeId", id); err != nil {
			return nil, err
		}
	}
	return call[Thread](ctx, c, "PATCH", path("threads", threadID), u)
}

// DeleteThread soft-deletes a thread (threads.thread.delete).
func (c *Client) DeleteThread(ctx context.Context, threadID string) error {
	if err := checkID("threadId", threadID); err != nil {
		return err
	}
	return c.do(ctx, apiclient.Request{Method: "DELETE", Path: path("threads", threadID)}, nil)
}

// TypingResult says whether a typing indicator went out; Reason is set when skipped.
type TypingResult struct {
	Status TypingStatus  `json:"status"`
	Reason *TypingReason `json:"reason,omitempty"`
}

// Typing shows a typing indicator to the prospect (threads.thread.typing). Only X Chat
// threads support it; others answer skipped with a reason. Repeating it is harmless.
func (c *Client) Typing(ctx context.Context, threadID string) (*TypingResult, error) {
	if err := checkID("threadId", threadID); err != nil {
		return nil, err
	}
	out := new(TypingResult)
	err := c.do(ctx, apiclient.Request{Method: "POST", Path: path("threads", threadID, "typing"), Idempotent: true}, out)
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ThreadSettings are a thread's own settings.
type ThreadSettings struct {
	ThreadID                string `json:"threadId"`
	TypingIndicatorsEnabled *bool  `json:"typingIndicatorsEnabled"` // nil = team default
}

// ThreadSettingsUpdate changes a thread's settings; apiclient.Null returns a setting to the
// team default, the zero value leaves it alone.
type ThreadSettingsUpdate struct {
	TypingIndicatorsEnabled apiclient.Nullable[bool] `json:"typingIndicatorsEnabled,omitzero"`
}

// UpdateThreadSettings changes a thread's settings (threads.thread.settings).
func (c *Client) UpdateThreadSettings(ctx context.Context, threadID string, u ThreadSettingsUpdate) (*ThreadSettings, error) {
	if err := checkID("threadId", threadID); err != nil {
		return nil, err
	}
	return call[ThreadSettings](ctx, c, "PATCH", path("threads", threadID, "settings"), u)
}
