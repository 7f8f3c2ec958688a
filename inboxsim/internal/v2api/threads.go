package v2api

import (
	"encoding/json"
	"net/http"
	"slices"

	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/store"
)

// v2 handlers for threads.

var threadExpansions = []string{"profile", "contact", "accountLink", "assignee"}

func v2ListThreads(c *v2Call) (v2Result, error) {
	q, err := parseV2Query(c.r.URL.RawQuery, "accountLinkId", "platform", "contactId", "folder", "tag", "status",
		"assigneeId", "unassigned", "campaignId", "q", "order", "expand", "limit", "cursor")
	if err != nil {
		return v2Result{}, err
	}
	var tq store.V2ThreadQuery
	if tq.AccountLinkIDs, err = q.ids("accountLinkId"); err != nil {
		return v2Result{}, err
	}
	if tq.Platforms, err = q.list("platform", true); err != nil {
		return v2Result{}, err
	}
	if err := checkPlatforms(tq.Platforms); err != nil {
		return v2Result{}, err
	}
	contacts, err := q.ids("contactId")
	if err != nil {
		return v2Result{}, err
	}
	for _, id := range contacts {
		tq.Primaries = append(tq.Primaries, store.PrimaryOf(id))
	}
	if tq.Folder, err = q.enum("folder", store.V2Folders, store.FolderInbox); err != nil {
		return v2Result{}, err
	}
	tags, err := q.list("tag", false)
	if err != nil {
		return v2Result{}, err
	}
	for i, ref := range tags {
		t, err := c.resolveTag(ref)
		if err != nil {
			return v2Result{}, v2Invalid([]any{"tag", i}, "no tag has the ID or name %q; list tags with GET /tags", ref)
		}
		tq.TagIDs = append(tq.TagIDs, t.ID)
	}
	statuses, err := q.list("status", false)
	if err != nil {
		return v2Result{}, err
	}
	for i, ref := range statuses {
		s, err := c.resolveStatus(ref)
		if err != nil {
			return v2Result{}, v2Invalid([]any{"status", i}, "no status has the ID or name %q; list statuses with GET /statuses", ref)
		}
		tq.StatusIDs = append(tq.StatusIDs, s.ID)
	}
	if tq.AssigneeIDs, err = q.ids("assigneeId"); err != nil {
		return v2Result{}, err
	}
	if tq.Unassigned, err = q.boolean("unassigned"); err != nil {
		return v2Result{}, err
	}
	if tq.Unassigned && len(tq.AssigneeIDs) > 0 {
		return v2Result{}, v2Invalid([]any{"unassigned"}, "unassigned=true cannot be combined with assigneeId; use one of them")
	}
	if tq.CampaignIDs, err = q.ids("campaignId"); err != nil {
		return v2Result{}, err
	}
	if tq.Q, _, err = q.one("q"); err != nil {
		return v2Result{}, err
	}
	order, err := q.enum("order", []string{store.SortDesc, store.SortAsc}, store.SortDesc)
	if err != nil {
		return v2Result{}, err
	}
	tq.Asc = order == store.SortAsc
	expand, err := q.expand(threadExpansions)
	if err != nil {
		return v2Result{}, err
	}
	if tq.Limit, err = q.limit(); err != nil {
		return v2Result{}, err
	}
	cur, err := q.cursor("threads")
	if err != nil {
		return v2Result{}, err
	}
	tq.After = cur.after()
	rows, more, err := c.sim.store.V2ListThreads(c.ctx, c.team, tq)
	if err != nil {
		return v2Result{}, err
	}
	out, err := c.renderer(c.sim.store.DB).threads(rows, expand)
	if err != nil {
		return v2Result{}, err
	}
	page := v2Page{Data: out}
	if more {
		last := rows[len(rows)-1]
		page.NextCursor = q.keysetCursor("threads", last.SortAt, last.ID)
	}
	return ok200(page)
}

// threadJSON renders one thread, freshly read.
func (c *v2Call) threadJSON(id string, expand []string) (ThreadJSON, error) {
	t, err := c.sim.store.V2Thread(c.ctx, c.sim.store.DB, c.team, id)
	if err != nil {
		return ThreadJSON{}, err
	}
	out, err := c.renderer(c.sim.store.DB).threads([]store.V2ThreadRow{t}, expand)
	if err != nil {
		return ThreadJSON{}, err
	}
	return out[0], nil
}

func v2GetThread(c *v2Call) (v2Result, error) {
	q, err := parseV2Query(c.r.URL.RawQuery, "expand")
	if err != nil {
		return v2Result{}, err
	}
	expand, err := q.expand(threadExpansions)
	if err != nil {
		return v2Result{}, err
	}
	out, err := c.threadJSON(c.param("threadId"), expand)
	if err != nil {
		return v2Result{}, err
	}
	return ok200(out)
}

func v2UpdateThread(c *v2Call) (v2Result, error) {
	if _, err := parseV2Query(c.r.URL.RawQuery); err != nil {
		return v2Result{}, err
	}
	b, err := v2Body(c, true, "archived", "unread", "assigneeId", "typingIndicators")
	if err != nil {
		return v2Result{}, err
	}
	var u store.V2ThreadPatch
	if u.Archived, err = b.Boolean("archived"); err != nil {
		return v2Result{}, v2Invalid([]any{"archived"}, "archived must be true or false")
	}
	if u.Unread, err = b.Boolean("unread"); err != nil {
		return v2Result{}, v2Invalid([]any{"unread"}, "unread must be true or false")
	}
	if u.AssigneeID, u.SetAssignee, err = b.NullableID("assigneeId"); err != nil {
		return v2Result{}, v2Invalid([]any{"assigneeId"}, "assigneeId must be a member ID, or null for the contact's default assignee")
	}
	if raw, ok, _ := b.Raw("typingIndicators"); ok {
		var v string
		if json.Unmarshal(raw, &v) != nil || !slices.Contains([]string{store.TypingEnabled, store.TypingDisabled, store.TypingTeamDefault}, v) {
			return v2Result{}, v2Invalid([]any{"typingIndicators"}, "typingIndicators must be enabled, disabled or teamDefault")
		}
		u.Typing = &v
	}
	if err := c.sim.store.V2UpdateThread(c.ctx, c.team, c.param("threadId"), u); err != nil {
		return v2Result{}, err
	}
	out, err := c.threadJSON(c.param("threadId"), nil)
	if err != nil {
		return v2Result{}, err
	}
	return ok200(out)
}

func v2DeleteThread(c *v2Call) (v2Result, error) {
	if _, err := parseV2Query(c.r.URL.RawQuery); err != nil {
		return v2Result{}, err
	}
	scope, err := c.sim.store.V2DeleteThread(c.ctx, c.team, c.param("threadId"))
	if err != nil {
		return v2Result{}, err
	}
	return ok200(map[string]string{"scope": scope})
}

// v2Typing shows the account link typing. A conversation where the platform shows no typing
// indicators (a legacy X DM, listed in the thread's restrictions) or whose account link is
// not active is answered "skipped" with reason "disabled", the document's reason for a
// thread whose indicators are off: typing is best effort and never fails a conversation.
func v2Typing(c *v2Call) (v2Result, error) {
	if _, err := parseV2Query(c.r.URL.RawQuery); err != nil {
		return v2Result{}, err
	}
	if _, err := v2Body(c, false); err != nil {
		return v2Result{}, err
	}
	t, err := c.sim.store.V2Thread(c.ctx, c.sim.store.DB, c.team, c.param("threadId"))
	if err != nil {
		return v2Result{}, err
	}
	link, err := c.sim.store.V2AccountLink(c.ctx, c.sim.store.DB, c.team, t.AccountLinkID)
	if err != nil {
		return v2Result{}, err
	}
	if !link.Can(store.CapTypingSend) {
		return v2Result{}, v2CapabilityNotSupported(store.CapTypingSend)
	}
	type signal struct {
		Status string  `json:"status"`
		Reason *string `json:"reason"`
	}
	if slices.Contains(store.ThreadRestrictions(t.Src.Platform, t.Variant), store.CapTypingSend) || link.Status != store.LinkStatusActive {
		return v2Result{status: http.StatusAccepted, body: signal{Status: store.TypingSkipped, Reason: new("disabled")}}, nil
	}
	status, reason, err := c.sim.store.V2Typing(c.ctx, c.team, t.ID)
	if err != nil {
		return v2Result{}, err
	}
	return v2Result{status: http.StatusAccepted, body: signal{Status: status, Reason: reason}}, nil
}
