package v1api

import (
	"slices"
	"strings"

	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/httpx"
	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/store"
)

// v1 thread handlers: a thin mapping between HTTP and the store.

// ThreadPage is the v1 JSON shape of a page of threads.
type ThreadPage struct {
	Threads    []Thread `json:"threads"`
	NextCursor *Cursor  `json:"nextCursor"`
}

// Views are the views of the v1 thread listing.
var Views = []string{store.ViewDefault, store.ViewNoReply, store.ViewRequests, store.ViewArchived}

func v1ListThreads(c *call) (any, error) {
	q, err := parseQuery(c.r.URL.RawQuery)
	if err != nil {
		return nil, err
	}
	tq := store.ThreadQuery{View: store.ViewDefault, Order: store.SortDesc}
	if tq.AccountLinkIDs, _, err = q.array("accountLinkIds"); err != nil {
		return nil, err
	}
	if err := httpx.InboxIDs("accountLinkIds", tq.AccountLinkIDs); err != nil {
		return nil, err
	}
	if v, ok, err := q.scalar("inbox"); err != nil {
		return nil, err
	} else if ok {
		if !slices.Contains(Views, v) {
			return nil, httpx.Invalid("inbox must be one of %s, got %q", strings.Join(Views, ", "), v)
		}
		tq.View = v
	}
	for _, f := range []struct {
		name, flag string
		dst        **store.Filter
	}{{"tags", "noTags", &tq.Tags}, {"statuses", "noStatus", &tq.Statuses}, {"assignees", "noAssignee", &tq.Assignees}, {"campaigns", "noCampaign", &tq.Campaigns}} {
		if *f.dst, err = q.filter(f.name, f.flag); err != nil {
			return nil, err
		}
	}
	if v, ok, err := q.scalar("filters", "sortOrder"); err != nil {
		return nil, err
	} else if ok {
		if v != store.SortAsc && v != store.SortDesc {
			return nil, httpx.Invalid("filters[sortOrder] must be asc or desc, got %q", v)
		}
		tq.Order = v
	}
	limit, err := q.intRange("limit", 1, 100, 20)
	if err != nil {
		return nil, err
	}
	tq.Limit = int(limit)
	if tq.After, err = q.cursor(); err != nil {
		return nil, err
	}
	page, serr := c.sim.store.ListThreads(c.ctx, c.team, tq)
	if serr != nil {
		return nil, serr
	}
	return ThreadPageJSON(page, c.sim.now()), nil
}

// prospectRef reads externalPlatformId / externalId (one is required) from a body.
func prospectRefFromBody(b *httpx.Body) (store.ProspectRef, error) {
	pid, err := b.Text("externalPlatformId", false)
	if err != nil {
		return store.ProspectRef{}, err
	}
	eid, err := b.ID("externalId", false)
	if err != nil {
		return store.ProspectRef{}, err
	}
	return checkProspectRef(store.ProspectRef{ExternalID: eid, PlatformID: pid})
}

func checkProspectRef(ref store.ProspectRef) (store.ProspectRef, error) {
	if ref.ExternalID == "" && ref.PlatformID == "" {
		return ref, httpx.Invalid("externalPlatformId (the prospect's X user ID) or externalId (its Inbox ID) is required")
	}
	if ref.PlatformID != "" && !store.IsNumericID(ref.PlatformID) {
		return ref, httpx.Invalid("externalPlatformId must be a numeric X user ID such as 1876543210987654321, got %q; for an Inbox ID use externalId", ref.PlatformID)
	}
	return ref, nil
}

func v1CreateThread(c *call) (any, error) {
	b, err := httpx.ReadBody(c.r, true)
	if err != nil {
		return nil, err
	}
	link, err := b.ID("accountLinkId", true)
	if err != nil {
		return nil, err
	}
	ref, err := prospectRefFromBody(b)
	if err != nil {
		return nil, err
	}
	t, _, err := c.sim.store.CreateThread(c.ctx, c.team, link, ref)
	if err != nil {
		return nil, err
	}
	return ToThread(t, c.sim.now()), nil
}

func v1LookupThread(c *call) (any, error) {
	q, err := parseQuery(c.r.URL.RawQuery)
	if err != nil {
		return nil, err
	}
	link, ok, err := q.scalar("accountLinkId")
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, httpx.Invalid("accountLinkId is required; list account links with GET /account-links")
	}
	if !store.IsInboxID(link) {
		return nil, httpx.Invalid("accountLinkId must be an Inbox ID (lowercase letters and digits), got %q", link)
	}
	pid, _, err := q.scalar("externalPlatformId")
	if err != nil {
		return nil, err
	}
	eid, _, err := q.scalar("externalId")
	if err != nil {
		return nil, err
	}
	if eid != "" && !store.IsInboxID(eid) {
		return nil, httpx.Invalid("externalId must be an Inbox ID (lowercase letters and digits), got %q", eid)
	}
	ref, rerr := checkProspectRef(store.ProspectRef{ExternalID: eid, PlatformID: pid})
	if rerr != nil {
		return nil, rerr
	}
	t, serr := c.sim.store.LookupThread(c.ctx, c.team, link, ref)
	if serr != nil || t == nil {
		return nil, serr
	}
	return ToThread(*t, c.sim.now()), nil
}

func v1LookupByUsername(c *call) (any, error) {
	q, err := parseQuery(c.r.URL.RawQuery)
	if err != nil {
		return nil, err
	}
	name, ok, err := q.scalar("username")
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, httpx.Invalid("username is required (the X username without @)")
	}
	name = strings.TrimPrefix(name, "@")
	links, _, err := q.array("accountLinkIds")
	if err != nil {
		return nil, err
	}
	if err := httpx.InboxIDs("accountLinkIds", links); err != nil {
		return nil, err
	}
	threads, serr := c.sim.store.ThreadsByUsername(c.ctx, c.team, name, links)
	if serr != nil {
		return nil, serr
	}
	return ThreadsJSON(threads, c.sim.now()), nil
}

func v1GetThread(c *call) (any, error) {
	t, err := c.sim.store.Thread(c.ctx, c.team, c.param("threadId"))
	if err != nil {
		return nil, err
	}
	return ToThread(t, c.sim.now()), nil
}

func v1UpdateThread(c *call) (any, error) {
	b, err := httpx.ReadBody(c.r, false)
	if err != nil {
		return nil, err
	}
	var u store.ThreadUpdate
	if u.Done, err = b.Boolean("done"); err != nil {
		return nil, err
	}
	if u.AssigneeID, u.SetAssignee, err = b.NullableID("assigneeId"); err != nil {
		return nil, err
	}
	t, err := c.sim.store.UpdateThread(c.ctx, c.team, c.param("threadId"), u)
	if err != nil {
		return nil, err
	}
	return ToThread(t, c.sim.now()), nil
}

// v1DeleteThread answers {} (the document leaves the body unspecified).
func v1DeleteThread(c *call) (any, error) {
	if _, err := httpx.ReadBody(c.r, false); err != nil {
		return nil, err
	}
	if err := c.sim.store.DeleteThread(c.ctx, c.team, c.param("threadId")); err != nil {
		return nil, err
	}
	return struct{}{}, nil
}

// TypingResult is the v1 JSON shape of a typing indicator's answer.
type TypingResult struct {
	Status string `json:"status"`
	Reason string `json:"reason,omitempty"`
}

func v1Typing(c *call) (any, error) {
	if _, err := httpx.ReadBody(c.r, false); err != nil {
		return nil, err
	}
	res, err := c.sim.store.Typing(c.ctx, c.team, c.param("threadId"))
	if err != nil {
		return nil, err
	}
	return TypingResult(res), nil
}

type v1ThreadSettingsResult struct {
	ThreadID                string `json:"threadId"`
	TypingIndicatorsEnabled *bool  `json:"typingIndicatorsEnabled"`
}

func v1ThreadSettings(c *call) (any, error) {
	b, err := httpx.ReadBody(c.r, false)
	if err != nil {
		return nil, err
	}
	var u store.ThreadUpdate
	if u.TypingEnabled, u.SetTyping, err = b.NullableBool("typingIndicatorsEnabled"); err != nil {
		return nil, err
	}
	t, err := c.sim.store.UpdateThread(c.ctx, c.team, c.param("threadId"), u)
	if err != nil {
		return nil, err
	}
	return v1ThreadSettingsResult{ThreadID: t.ID, TypingIndicatorsEnabled: t.TypingEnabled}, nil
}
