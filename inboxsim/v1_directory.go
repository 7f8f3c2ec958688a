package inboxsim

import (
	"slices"
	"unicode/utf8"
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
	out := make([]v1AccountLink, len(links))
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
	out := make([]v1Member, len(ms))
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
	return toV1ProspectWithContext(p, c.sim.now(), true), nil
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
		return nil, invalid("platformId is required (the prospect's numeric X user ID)")
	}
	p, serr := c.sim.store.LookupProspect(c.ctx, c.team, pid)
	if serr != nil || p == nil {
		return nil, serr
	}
	return toV1ProspectWithContext(*p, c.sim.now(), true), nil
}

func v1UpdateProspect(c *call) (any, error) {
	b, err := readBody(c.r, false)
	if err != nil {
		return nil, err
	}
	var u ContextUpdate
	if u.Notes, u.SetNotes, err = b.nullableStr("notes"); err != nil {
		return nil, err
	}
	if u.Valuation, u.SetValuation, err = b.nullableNumber("valuation"); err != nil {
		return nil, err
	}
	if u.StatusID, u.SetStatus, err = b.nullableID("statusId"); err != nil {
		return nil, err
	}
	if u.AddTags, err = b.ids("addTags"); err != nil {
		return nil, err
	}
	if u.RemoveTags, err = b.ids("removeTags"); err != nil {
		return nil, err
	}
	for _, t := range u.AddTags {
		if slices.Contains(u.RemoveTags, t) {
			return nil, invalid("tag %q is in both addTags and removeTags; send it in one of them", t)
		}
	}
	if u.AssigneeID, u.SetAssignee, err = b.nullableID("assigneeId"); err != nil {
		return nil, err
	}
	if u.Done, err = b.boolean("done"); err != nil {
		return nil, err
	}
	p, err := c.sim.store.UpdateProspectContext(c.ctx, c.team, c.param("prospectId"), u)
	if err != nil {
		return nil, err
	}
	return toV1ProspectWithContext(p, c.sim.now(), true), nil
}

// labelInput reads {name, color} for a tag or status; nameRequired on create.
func labelInput(b *body, nameRequired bool) (LabelInput, error) {
	var in LabelInput
	name, set, err := b.nullableStr("name")
	if err != nil {
		return in, err
	}
	switch {
	case !set && nameRequired:
		return in, invalid("name is required")
	case set && name == nil:
		return in, invalid("name must be a string of 1 to 255 characters, not null")
	case set:
		if n := utf8.RuneCountInString(*name); n == 0 || n > 255 {
			return in, invalid("name must be 1 to 255 characters, got %d", n)
		}
		in.Name = name
	}
	color, set, err := b.nullableStr("color")
	if err != nil {
		return in, err
	}
	in.SetColor = set
	if color != nil {
		hex, ok := normalizeColor(*color)
		if !ok {
			return in, invalid("color %q is not a predefined color name (see GET /colors) or a hex code like #ef4444", *color)
		}
		in.Color = &hex
	}
	return in, nil
}

func v1ListTags(c *call) (any, error) {
	tags, err := c.sim.store.Tags(c.ctx, c.team)
	if err != nil {
		return nil, err
	}
	out := make([]v1Tag, len(tags))
	for i, t := range tags {
		out[i] = toV1Tag(t)
	}
	return out, nil
}

func v1CreateTag(c *call) (any, error) {
	b, err := readBody(c.r, true)
	if err != nil {
		return nil, err
	}
	in, err := labelInput(b, true)
	if err != nil {
		return nil, err
	}
	t, err := c.sim.store.CreateTag(c.ctx, c.team, in)
	if err != nil {
		return nil, err
	}
	return toV1Tag(t), nil
}

func v1GetTag(c *call) (any, error) {
	t, err := c.sim.store.Tag(c.ctx, c.team, c.param("tagId"))
	if err != nil {
		return nil, err
	}
	return toV1Tag(t), nil
}

func v1UpdateTag(c *call) (any, error) {
	b, err := readBody(c.r, false)
	if err != nil {
		return nil, err
	}
	in, err := labelInput(b, false)
	if err != nil {
		return nil, err
	}
	t, err := c.sim.store.UpdateTag(c.ctx, c.team, c.param("tagId"), in)
	if err != nil {
		return nil, err
	}
	return toV1Tag(t), nil
}

func v1DeleteTag(c *call) (any, error) {
	if _, err := readBody(c.r, false); err != nil {
		return nil, err
	}
	if err := c.sim.store.DeleteTag(c.ctx, c.team, c.param("tagId")); err != nil {
		return nil, err
	}
	return struct{}{}, nil
}

func v1ListStatuses(c *call) (any, error) {
	sts, err := c.sim.store.Statuses(c.ctx, c.team)
	if err != nil {
		return nil, err
	}
	out := make([]v1Status, len(sts))
	for i, s := range sts {
		out[i] = toV1Status(s)
	}
	return out, nil
}

func v1CreateStatus(c *call) (any, error) {
	b, err := readBody(c.r, true)
	if err != nil {
		return nil, err
	}
	in, err := labelInput(b, true)
	if err != nil {
		return nil, err
	}
	s, err := c.sim.store.CreateStatus(c.ctx, c.team, in)
	if err != nil {
		return nil, err
	}
	return toV1Status(s), nil
}

func v1GetStatus(c *call) (any, error) {
	s, err := c.sim.store.Status(c.ctx, c.team, c.param("statusId"))
	if err != nil {
		return nil, err
	}
	return toV1Status(s), nil
}

func v1UpdateStatus(c *call) (any, error) {
	b, err := readBody(c.r, false)
	if err != nil {
		return nil, err
	}
	in, err := labelInput(b, false)
	if err != nil {
		return nil, err
	}
	s, err := c.sim.store.UpdateStatus(c.ctx, c.team, c.param("statusId"), in)
	if err != nil {
		return nil, err
	}
	return toV1Status(s), nil
}

func v1DeleteStatus(c *call) (any, error) {
	if _, err := readBody(c.r, false); err != nil {
		return nil, err
	}
	if err := c.sim.store.DeleteStatus(c.ctx, c.team, c.param("statusId")); err != nil {
		return nil, err
	}
	return struct{}{}, nil
}

func v1Colors(c *call) (any, error) { return toV1Colors(Colors()), nil }
