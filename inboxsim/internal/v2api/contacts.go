package v2api

import (
	"net/http"

	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/store"
)

// v2 handlers for contacts: the team's record of a person, grouping their profiles.

var contactExpansions = []string{"status", "tags", "assignee"}

func v2FindContacts(c *v2Call) (v2Result, error) {
	q, err := parseV2Query(c.r.URL.RawQuery, "platform", "platformId", "username", "expand", "limit", "cursor")
	if err != nil {
		return v2Result{}, err
	}
	platform, ok, err := q.one("platform")
	if err != nil {
		return v2Result{}, err
	}
	if !ok {
		return v2Result{}, v2Invalid([]any{"platform"}, "platform is required: contacts are found by the identity of one of their profiles, a platform with platformId or username")
	}
	if err := checkPlatforms([]string{platform}); err != nil {
		return v2Result{}, err
	}
	ids, err := q.list("platformId", true)
	if err != nil {
		return v2Result{}, err
	}
	names, err := q.list("username", true)
	if err != nil {
		return v2Result{}, err
	}
	switch {
	case len(ids) == 0 && len(names) == 0:
		return v2Result{}, v2Invalid([]any{"platformId"}, "give platformId or username (repeat the key for several, up to 100)")
	case len(ids) > 100 || len(names) > 100:
		return v2Result{}, v2Invalid([]any{"platformId"}, "at most 100 platformId and 100 username values per request")
	}
	spec := store.PlatformSpecOf(platform)
	for i, n := range names {
		if spec.UsernamePrefix != "" && len(n) > len(spec.UsernamePrefix) && n[:len(spec.UsernamePrefix)] == spec.UsernamePrefix {
			return v2Result{}, v2Invalid([]any{"username", i}, "username %q has the display prefix %q; give the username without it", n, spec.UsernamePrefix)
		}
	}
	expand, err := q.expand(contactExpansions)
	if err != nil {
		return v2Result{}, err
	}
	found, err := c.sim.store.V2FindContacts(c.ctx, c.team, platform, ids, names)
	if err != nil {
		return v2Result{}, err
	}
	rendered, err := c.renderer(c.sim.store.DB).contacts(found, expand)
	if err != nil {
		return v2Result{}, err
	}
	page, err := offsetPage(q, "contacts", rendered)
	if err != nil {
		return v2Result{}, err
	}
	return ok200(page)
}

// contactJSON renders one contact, freshly read.
func (c *v2Call) contactJSON(id string, expand []string) (ContactJSON, error) {
	ct, err := c.sim.store.V2Contact(c.ctx, c.sim.store.DB, c.team, id)
	if err != nil {
		return ContactJSON{}, err
	}
	out, err := c.renderer(c.sim.store.DB).contacts([]*store.V2ContactRow{ct}, expand)
	if err != nil {
		return ContactJSON{}, err
	}
	return out[0], nil
}

func v2GetContact(c *v2Call) (v2Result, error) {
	q, err := parseV2Query(c.r.URL.RawQuery, "expand")
	if err != nil {
		return v2Result{}, err
	}
	expand, err := q.expand(contactExpansions)
	if err != nil {
		return v2Result{}, err
	}
	out, err := c.contactJSON(c.param("contactId"), expand)
	if err != nil {
		return v2Result{}, err
	}
	return ok200(out)
}

func v2UpdateContact(c *v2Call) (v2Result, error) {
	if _, err := parseV2Query(c.r.URL.RawQuery); err != nil {
		return v2Result{}, err
	}
	b, err := v2Body(c, true, "status", "notes", "valuation", "assigneeId")
	if err != nil {
		return v2Result{}, err
	}
	var u store.V2ContactPatch
	status, setStatus, err := b.NullableStr("status")
	if err != nil {
		return v2Result{}, v2Invalid([]any{"status"}, "status must be a status ID or name, or null")
	}
	if u.Notes, u.SetNotes, err = b.NullableStr("notes"); err != nil {
		return v2Result{}, v2Invalid([]any{"notes"}, "notes must be a string or null")
	}
	if u.Valuation, u.SetValuation, err = b.NullableNumber("valuation"); err != nil {
		return v2Result{}, v2Invalid([]any{"valuation"}, "valuation must be a number or null")
	}
	if u.AssigneeID, u.SetAssignee, err = b.NullableID("assigneeId"); err != nil {
		return v2Result{}, v2Invalid([]any{"assigneeId"}, "assigneeId must be a member ID or null")
	}
	primary, src, err := c.sim.store.ContactPrimary(c.ctx, c.sim.store.DB, c.team, c.param("contactId"))
	if err != nil {
		return v2Result{}, err
	}
	if setStatus {
		u.SetStatus = true
		if status != nil {
			st, err := c.resolveStatus(*status)
			if err != nil {
				return v2Result{}, v2Invalid([]any{"status"}, "no status has the ID or name %q; list statuses with GET /statuses", *status)
			}
			u.StatusID = &st.ID
		}
	}
	if err := c.sim.store.V2UpdateContact(c.ctx, c.team, primary, src, u); err != nil {
		return v2Result{}, err
	}
	out, err := c.contactJSON(c.param("contactId"), nil)
	if err != nil {
		return v2Result{}, err
	}
	return ok200(out)
}

func v2ContactTag(c *v2Call, add bool) (v2Result, error) {
	if _, err := parseV2Query(c.r.URL.RawQuery); err != nil {
		return v2Result{}, err
	}
	primary, src, err := c.sim.store.ContactPrimary(c.ctx, c.sim.store.DB, c.team, c.param("contactId"))
	if err != nil {
		return v2Result{}, err
	}
	t, err := c.resolveTag(c.param("tagRef"))
	if err != nil {
		return v2Result{}, err
	}
	u := store.V2ContactPatch{RemoveTags: []string{t.ID}}
	if add {
		u = store.V2ContactPatch{AddTags: []string{t.ID}}
	}
	if err := c.sim.store.V2UpdateContact(c.ctx, c.team, primary, src, u); err != nil {
		return v2Result{}, err
	}
	return v2Result{status: http.StatusNoContent}, nil
}

func v2AddContactTag(c *v2Call) (v2Result, error)    { return v2ContactTag(c, true) }
func v2RemoveContactTag(c *v2Call) (v2Result, error) { return v2ContactTag(c, false) }
