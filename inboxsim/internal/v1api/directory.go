package v1api

import (
	"context"
	"slices"
	"unicode/utf8"

	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/httpx"
	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/store"
)

// v1 handlers for the team, members, account links, prospects, tags, statuses, colors and
// events.

func v1GetTeam(c *call) (any, error) {
	t, err := c.sim.store.Team(c.ctx, c.team)
	if err != nil {
		return nil, err
	}
	return toV1Team(t), nil
}

func v1ListAccountLinks(c *call) (any, error) {
	links, err := c.sim.store.AccountLinks(c.ctx, c.team)
	if err != nil {
		return nil, err
	}
	out := make([]AccountLink, len(links))
	for i, l := range links {
		out[i] = toV1Link(l)
	}
	return out, nil
}

func v1ListMembers(c *call) (any, error) {
	ms, err := c.sim.store.Members(c.ctx, c.team)
	if err != nil {
		return nil, err
	}
	out := make([]Member, len(ms))
	for i, m := range ms {
		out[i] = toV1Member(m)
	}
	return out, nil
}

func v1GetMember(c *call) (any, error) {
	m, err := c.sim.store.Member(c.ctx, c.team, c.param("memberId"))
	if err != nil {
		return nil, err
	}
	return toV1Member(m), nil
}

func v1GetProspect(c *call) (any, error) {
	p, err := c.sim.store.Prospect(c.ctx, c.team, c.param("prospectId"))
	if err != nil {
		return nil, err
	}
	return ToProspectWithContext(p, c.sim.now(), true), nil
}

func v1LookupProspect(c *call) (any, error) {
	q, err := parseQuery(c.r.URL.RawQuery)
	if err != nil {
		return nil, err
	}
	pid, ok, err := q.scalar("platformId")
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, httpx.Invalid("platformId is required (the prospect's numeric X user ID)")
	}
	p, serr := c.sim.store.LookupProspect(c.ctx, c.team, pid)
	if serr != nil || p == nil {
		return nil, serr
	}
	return ToProspectWithContext(*p, c.sim.now(), true), nil
}

func v1UpdateProspect(c *call) (any, error) {
	b, err := httpx.ReadBody(c.r, false)
	if err != nil {
		return nil, err
	}
	var u store.ContextUpdate
	if u.Notes, u.SetNotes, err = b.NullableStr("notes"); err != nil {
		return nil, err
	}
	if u.Valuation, u.SetValuation, err = b.NullableNumber("valuation"); err != nil {
		return nil, err
	}
	if u.StatusID, u.SetStatus, err = b.NullableID("statusId"); err != nil {
		return nil, err
	}
	if u.AddTags, err = b.IDs("addTags"); err != nil {
		return nil, err
	}
	if u.RemoveTags, err = b.IDs("removeTags"); err != nil {
		return nil, err
	}
	for _, t := range u.AddTags {
		if slices.Contains(u.RemoveTags, t) {
			return nil, httpx.Invalid("tag %q is in both addTags and removeTags; send it in one of them", t)
		}
	}
	if u.AssigneeID, u.SetAssignee, err = b.NullableID("assigneeId"); err != nil {
		return nil, err
	}
	if u.Done, err = b.Boolean("done"); err != nil {
		return nil, err
	}
	p, err := c.sim.store.UpdateProspectContext(c.ctx, c.team, c.param("prospectId"), u)
	if err != nil {
		return nil, err
	}
	return ToProspectWithContext(p, c.sim.now(), true), nil
}

// labelInput reads {name, color} for a tag or status; nameRequired on create.
func labelInput(b *httpx.Body, nameRequired bool) (store.LabelInput, error) {
	var in store.LabelInput
	name, set, err := b.NullableStr("name")
	if err != nil {
		return in, err
	}
	switch {
	case !set && nameRequired:
		return in, httpx.Invalid("name is required")
	case set && name == nil:
		return in, httpx.Invalid("name must be a string of 1 to 255 characters, not null")
	case set:
		if n := utf8.RuneCountInString(*name); n == 0 || n > 255 {
			return in, httpx.Invalid("name must be 1 to 255 characters, got %d", n)
		}
		in.Name = name
	}
	color, set, err := b.NullableStr("color")
	if err != nil {
		return in, err
	}
	in.SetColor = set
	if color != nil {
		hex, ok := store.NormalizeColor(*color)
		if !ok {
			return in, httpx.Invalid("color %q is not a predefined color name (see GET /colors) or a hex code like #ef4444", *color)
		}
		in.Color = &hex
	}
	return in, nil
}

// v1Labels serves the v1 CRUD of one label kind: tags and statuses differ only in their store
// calls, path parameter and wire type.
type v1Labels[L, V any] struct {
	param    string
	list     func(*store.Store, context.Context, string) ([]L, error)
	get      func(*store.Store, context.Context, string, string) (L, error)
	create   func(*store.Store, context.Context, string, store.LabelInput) (L, error)
	update   func(*store.Store, context.Context, string, string, store.LabelInput) (L, error)
	remove   func(*store.Store, context.Context, string, string) error
	wireForm func(L) V
}

var (
	v1Tags = v1Labels[store.Tag, Tag]{param: "tagId", list: (*store.Store).Tags, get: (*store.Store).Tag,
		create: (*store.Store).CreateTag, update: (*store.Store).UpdateTag, remove: (*store.Store).DeleteTag, wireForm: toV1Tag}
	v1Statuses = v1Labels[store.Status, Status]{param: "statusId", list: (*store.Store).Statuses, get: (*store.Store).Status,
		create: (*store.Store).CreateStatus, update: (*store.Store).UpdateStatus, remove: (*store.Store).DeleteStatus, wireForm: toV1Status}
)

// List answers GET /tags or /statuses.
func (k v1Labels[L, V]) List(c *call) (any, error) {
	all, err := k.list(c.sim.store, c.ctx, c.team)
	if err != nil {
		return nil, err
	}
	out := make([]V, len(all))
	for i, l := range all {
		out[i] = k.wireForm(l)
	}
	return out, nil
}

// Create answers POST /tags or /statuses.
func (k v1Labels[L, V]) Create(c *call) (any, error) {
	b, err := httpx.ReadBody(c.r, true)
	if err != nil {
		return nil, err
	}
	in, err := labelInput(b, true)
	if err != nil {
		return nil, err
	}
	l, err := k.create(c.sim.store, c.ctx, c.team, in)
	if err != nil {
		return nil, err
	}
	return k.wireForm(l), nil
}

// Get answers GET /tags/{tagId} or /statuses/{statusId}.
func (k v1Labels[L, V]) Get(c *call) (any, error) {
	l, err := k.get(c.sim.store, c.ctx, c.team, c.param(k.param))
	if err != nil {
		return nil, err
	}
	return k.wireForm(l), nil
}

// Update answers PATCH /tags/{tagId} or /statuses/{statusId}.
func (k v1Labels[L, V]) Update(c *call) (any, error) {
	b, err := httpx.ReadBody(c.r, false)
	if err != nil {
		return nil, err
	}
	in, err := labelInput(b, false)
	if err != nil {
		return nil, err
	}
	l, err := k.update(c.sim.store, c.ctx, c.team, c.param(k.param), in)
	if err != nil {
		return nil, err
	}
	return k.wireForm(l), nil
}

// Delete answers DELETE /tags/{tagId} or /statuses/{statusId}.
func (k v1Labels[L, V]) Delete(c *call) (any, error) {
	if _, err := httpx.ReadBody(c.r, false); err != nil {
		return nil, err
	}
	if err := k.remove(c.sim.store, c.ctx, c.team, c.param(k.param)); err != nil {
		return nil, err
	}
	return struct{}{}, nil
}

func v1Colors(c *call) (any, error) { return toV1Colors(store.Colors()), nil }
