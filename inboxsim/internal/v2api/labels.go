package v2api

import (
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/httpx"
	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/store"
)

// v2 handlers for tags and statuses, which v2 addresses by ID or by name.

// MaxTags is how many tags a team may have; the document names the limit (422
// tagLimitReached) without its value.
const MaxTags = 100

// v2Body reads a JSON object body that may hold only the given fields: v2's schemas refuse
// unknown properties, and a misspelt field should not be silently ignored.
func v2Body(c *v2Call, required bool, allowed ...string) (*httpx.Body, error) {
	b, err := httpx.ReadBody(c.r, required)
	if err != nil {
		return nil, err
	}
	var extra []string
	for k := range b.Fields {
		if !slices.Contains(allowed, k) {
			extra = append(extra, k)
		}
	}
	if len(extra) > 0 {
		sort.Strings(extra)
		return nil, v2Invalid([]any{extra[0]}, "unknown field %q in the request body; this operation takes: %s", extra[0], strings.Join(allowed, ", "))
	}
	return b, nil
}

// nameField reads a tag or status name: a non-empty string of at most 255 characters.
func nameField(b *httpx.Body, required bool) (*string, error) {
	v, ok, isNull := b.Raw("name")
	if !ok {
		if required {
			return nil, v2Invalid([]any{"name"}, "name is required")
		}
		return nil, nil
	}
	var s string
	if isNull || json.Unmarshal(v, &s) != nil {
		return nil, v2Invalid([]any{"name"}, "name must be a string")
	}
	s = strings.TrimSpace(s)
	if n := utf8.RuneCountInString(s); n == 0 || n > 255 {
		return nil, v2Invalid([]any{"name"}, "name must be 1 to 255 characters, got %d", n)
	}
	return &s, nil
}

// colorField reads a color: a palette name (any case) or a 6-digit hex code, stored as hex.
// nullable says whether null (no color) is allowed.
func colorField(b *httpx.Body, nullable bool) (set bool, color *string, err error) {
	v, ok, isNull := b.Raw("color")
	if !ok {
		return false, nil, nil
	}
	if isNull {
		if !nullable {
			return false, nil, v2Invalid([]any{"color"}, "a tag always has a color: give a color name from GET /colors or a hex code like #3b82f6")
		}
		return true, nil, nil
	}
	var s string
	if json.Unmarshal(v, &s) != nil {
		return false, nil, v2Invalid([]any{"color"}, "color must be a string")
	}
	hex, valid := store.NormalizeColor(s)
	if !valid {
		return false, nil, v2Invalid([]any{"color"}, "color %q is neither a color name from GET /colors nor a 6-digit hex code like #3b82f6", s)
	}
	return true, &hex, nil
}

func nameTaken(name string) *v2Error {
	return v2Errorf(http.StatusConflict, "nameTaken", map[string]string{"name": name},
		"the name %q is taken (names are unique ignoring case and accents); use that one or choose another name", name)
}

// resolveTag finds a tag by ID, else by name ignoring case and accents.
func (c *v2Call) resolveTag(ref string) (store.Tag, error) {
	tags, err := c.sim.store.Tags(c.ctx, c.team)
	if err != nil {
		return store.Tag{}, err
	}
	if i := slices.IndexFunc(tags, func(t store.Tag) bool { return t.ID == ref }); i >= 0 {
		return tags[i], nil
	}
	if i := slices.IndexFunc(tags, func(t store.Tag) bool { return foldName(t.Name) == foldName(ref) }); i >= 0 {
		return tags[i], nil
	}
	return store.Tag{}, v2NotFound("tag", ref)
}

// resolveStatus finds a status by ID, else by name ignoring case and accents.
func (c *v2Call) resolveStatus(ref string) (store.Status, error) {
	sts, err := c.sim.store.Statuses(c.ctx, c.team)
	if err != nil {
		return store.Status{}, err
	}
	if i := slices.IndexFunc(sts, func(s store.Status) bool { return s.ID == ref }); i >= 0 {
		return sts[i], nil
	}
	if i := slices.IndexFunc(sts, func(s store.Status) bool { return foldName(s.Name) == foldName(ref) }); i >= 0 {
		return sts[i], nil
	}
	return store.Status{}, v2NotFound("status", ref)
}

// conflictAsNameTaken turns the store's name conflict into v2's nameTaken.
func conflictAsNameTaken(err error, name string) error {
	var e *store.Error
	if errors.As(err, &e) && e.Kind == store.KindConflict {
		return nameTaken(name)
	}
	return err
}

func v2ListTags(c *v2Call) (v2Result, error) {
	if _, err := parseV2Query(c.r.URL.RawQuery); err != nil {
		return v2Result{}, err
	}
	tags, err := c.sim.store.Tags(c.ctx, c.team)
	if err != nil {
		return v2Result{}, err
	}
	sort.SliceStable(tags, func(i, j int) bool { return foldName(tags[i].Name) < foldName(tags[j].Name) })
	out := make([]TagJSON, len(tags))
	for i, t := range tags {
		out[i] = toV2Tag(t)
	}
	return ok200(v2Page{Data: out})
}

func v2CreateTag(c *v2Call) (v2Result, error) {
	b, err := v2Body(c, true, "name", "color")
	if err != nil {
		return v2Result{}, err
	}
	name, err := nameField(b, true)
	if err != nil {
		return v2Result{}, err
	}
	_, color, err := colorField(b, false)
	if err != nil {
		return v2Result{}, err
	}
	tags, err := c.sim.store.Tags(c.ctx, c.team)
	if err != nil {
		return v2Result{}, err
	}
	if len(tags) >= MaxTags {
		return v2Result{}, v2Errorf(http.StatusUnprocessableEntity, "tagLimitReached", map[string]int{"max": MaxTags},
			"the team has %d tags, the most it can have; delete tags it no longer uses first", len(tags))
	}
	for _, t := range tags {
		if foldName(t.Name) == foldName(*name) {
			return v2Result{}, nameTaken(t.Name)
		}
	}
	if color == nil {
		// The document: a tag created without a color gets a random one from the palette.
		color = &store.Palette[c.sim.idem.intN(len(store.Palette))].Hex
	}
	t, err := c.sim.store.CreateTag(c.ctx, c.team, store.LabelInput{Name: name, SetColor: true, Color: color})
	if err != nil {
		return v2Result{}, conflictAsNameTaken(err, *name)
	}
	return v2Result{status: http.StatusCreated, body: toV2Tag(t)}, nil
}

func v2GetTag(c *v2Call) (v2Result, error) {
	if _, err := parseV2Query(c.r.URL.RawQuery); err != nil {
		return v2Result{}, err
	}
	t, err := c.resolveTag(c.param("tagRef"))
	if err != nil {
		return v2Result{}, err
	}
	return ok200(toV2Tag(t))
}

func v2UpdateTag(c *v2Call) (v2Result, error) {
	b, err := v2Body(c, true, "name", "color")
	if err != nil {
		return v2Result{}, err
	}
	name, err := nameField(b, false)
	if err != nil {
		return v2Result{}, err
	}
	set, color, err := colorField(b, false)
	if err != nil {
		return v2Result{}, err
	}
	t, err := c.resolveTag(c.param("tagRef"))
	if err != nil {
		return v2Result{}, err
	}
	if name != nil {
		tags, err := c.sim.store.Tags(c.ctx, c.team)
		if err != nil {
			return v2Result{}, err
		}
		for _, other := range tags {
			if other.ID != t.ID && foldName(other.Name) == foldName(*name) {
				return v2Result{}, nameTaken(other.Name)
			}
		}
	}
	t, err = c.sim.store.UpdateTag(c.ctx, c.team, t.ID, store.LabelInput{Name: name, SetColor: set, Color: color})
	if err != nil {
		return v2Result{}, conflictAsNameTaken(err, deref(name))
	}
	return ok200(toV2Tag(t))
}

func v2DeleteTag(c *v2Call) (v2Result, error) {
	if _, err := parseV2Query(c.r.URL.RawQuery); err != nil {
		return v2Result{}, err
	}
	t, err := c.resolveTag(c.param("tagRef"))
	if err != nil {
		return v2Result{}, err
	}
	if err := c.sim.store.DeleteTag(c.ctx, c.team, t.ID); err != nil {
		return v2Result{}, err
	}
	return v2Result{status: http.StatusNoContent}, nil
}

func v2ListStatuses(c *v2Call) (v2Result, error) {
	if _, err := parseV2Query(c.r.URL.RawQuery); err != nil {
		return v2Result{}, err
	}
	sts, err := c.sim.store.Statuses(c.ctx, c.team)
	if err != nil {
		return v2Result{}, err
	}
	out := make([]StatusJSON, len(sts))
	for i, s := range sts {
		out[i] = toV2Status(s)
	}
	return ok200(v2Page{Data: out})
}

func v2CreateStatus(c *v2Call) (v2Result, error) {
	b, err := v2Body(c, true, "name", "color")
	if err != nil {
		return v2Result{}, err
	}
	name, err := nameField(b, true)
	if err != nil {
		return v2Result{}, err
	}
	_, color, err := colorField(b, true)
	if err != nil {
		return v2Result{}, err
	}
	sts, err := c.sim.store.Statuses(c.ctx, c.team)
	if err != nil {
		return v2Result{}, err
	}
	for _, s := range sts {
		if foldName(s.Name) == foldName(*name) {
			return v2Result{}, nameTaken(s.Name)
		}
	}
	s, err := c.sim.store.CreateStatus(c.ctx, c.team, store.LabelInput{Name: name, SetColor: color != nil, Color: color})
	if err != nil {
		return v2Result{}, conflictAsNameTaken(err, *name)
	}
	return v2Result{status: http.StatusCreated, body: toV2Status(s)}, nil
}

func v2GetStatus(c *v2Call) (v2Result, error) {
	if _, err := parseV2Query(c.r.URL.RawQuery); err != nil {
		return v2Result{}, err
	}
	s, err := c.resolveStatus(c.param("statusRef"))
	if err != nil {
		return v2Result{}, err
	}
	return ok200(toV2Status(s))
}

func v2UpdateStatus(c *v2Call) (v2Result, error) {
	b, err := v2Body(c, true, "name", "color")
	if err != nil {
		return v2Result{}, err
	}
	name, err := nameField(b, false)
	if err != nil {
		return v2Result{}, err
	}
	set, color, err := colorField(b, true)
	if err != nil {
		return v2Result{}, err
	}
	s, err := c.resolveStatus(c.param("statusRef"))
	if err != nil {
		return v2Result{}, err
	}
	if name != nil {
		sts, err := c.sim.store.Statuses(c.ctx, c.team)
		if err != nil {
			return v2Result{}, err
		}
		for _, other := range sts {
			if other.ID != s.ID && foldName(other.Name) == foldName(*name) {
				return v2Result{}, nameTaken(other.Name)
			}
		}
	}
	s, err = c.sim.store.UpdateStatus(c.ctx, c.team, s.ID, store.LabelInput{Name: name, SetColor: set, Color: color})
	if err != nil {
		return v2Result{}, conflictAsNameTaken(err, deref(name))
	}
	return ok200(toV2Status(s))
}

func v2DeleteStatus(c *v2Call) (v2Result, error) {
	if _, err := parseV2Query(c.r.URL.RawQuery); err != nil {
		return v2Result{}, err
	}
	s, err := c.resolveStatus(c.param("statusRef"))
	if err != nil {
		return v2Result{}, err
	}
	if err := c.sim.store.DeleteStatus(c.ctx, c.team, s.ID); err != nil {
		return v2Result{}, err
	}
	return v2Result{status: http.StatusNoContent}, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
