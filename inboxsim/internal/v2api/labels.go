package v2api

import (
	"context"
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

// conflictAsNameTaken turns the store's name conflict into v2's nameTaken.
func conflictAsNameTaken(err error, name string) error {
	var e *store.Error
	if errors.As(err, &e) && e.Kind == store.KindConflict {
		return nameTaken(name)
	}
	return err
}

// v2Labels are the handlers of one kind of label, tags or statuses, which v2 treats alike:
// listed in one page, addressed by ID or by name, names unique ignoring case and accents. L
// is the store's type of the label.
type v2Labels[L any] struct {
	kind, param string // "tag", "tagRef"
	// nullColor says whether a label may have no color (statuses may, tags may not).
	nullColor bool
	// limit is how many labels a team may have (0: no limit).
	limit int
	// sorted orders a listing (tags by name; statuses keep board order).
	sorted bool

	list   func(st *store.Store, ctx context.Context, team string) ([]L, error)
	create func(st *store.Store, ctx context.Context, team string, in store.LabelInput) (L, error)
	update func(st *store.Store, ctx context.Context, team, id string, in store.LabelInput) (L, error)
	delete func(st *store.Store, ctx context.Context, team, id string) error
	id     func(L) string
	name   func(L) string
	render func(L) any
}

var v2Tags = v2Labels[store.Tag]{
	kind: "tag", param: "tagRef", limit: MaxTags, sorted: true,
	list: (*store.Store).Tags, create: (*store.Store).CreateTag, update: (*store.Store).UpdateTag, delete: (*store.Store).DeleteTag,
	id: func(t store.Tag) string { return t.ID }, name: func(t store.Tag) string { return t.Name },
	render: func(t store.Tag) any { return toV2Tag(t) },
}

var v2Statuses = v2Labels[store.Status]{
	kind: "status", param: "statusRef", nullColor: true,
	list: (*store.Store).Statuses, create: (*store.Store).CreateStatus, update: (*store.Store).UpdateStatus, delete: (*store.Store).DeleteStatus,
	id: func(s store.Status) string { return s.ID }, name: func(s store.Status) string { return s.Name },
	render: func(s store.Status) any { return toV2Status(s) },
}

// resolve finds a label by ID, else by name ignoring case and accents.
func (ls v2Labels[L]) resolve(c *v2Call, ref string) (L, error) {
	var zero L
	all, err := ls.list(c.sim.store, c.ctx, c.team)
	if err != nil {
		return zero, err
	}
	if i := slices.IndexFunc(all, func(l L) bool { return ls.id(l) == ref }); i >= 0 {
		return all[i], nil
	}
	if i := slices.IndexFunc(all, func(l L) bool { return foldName(ls.name(l)) == foldName(ref) }); i >= 0 {
		return all[i], nil
	}
	return zero, v2NotFound(ls.kind, ref)
}

// resolveTag finds a tag by ID, else by name ignoring case and accents.
func (c *v2Call) resolveTag(ref string) (store.Tag, error) { return v2Tags.resolve(c, ref) }

// resolveStatus finds a status by ID, else by name ignoring case and accents.
func (c *v2Call) resolveStatus(ref string) (store.Status, error) {
	return v2Statuses.resolve(c, ref)
}

// taken refuses a name another label (not the one with ID self) has.
func (ls v2Labels[L]) taken(c *v2Call, name, self string) error {
	all, err := ls.list(c.sim.store, c.ctx, c.team)
	if err != nil {
		return err
	}
	for _, other := range all {
		if ls.id(other) != self && foldName(ls.name(other)) == foldName(name) {
			return nameTaken(ls.name(other))
		}
	}
	return nil
}

// List answers GET /tags or /statuses: every label, in one page.
func (ls v2Labels[L]) List(c *v2Call) (v2Result, error) {
	if _, err := parseV2Query(c.r.URL.RawQuery); err != nil {
		return v2Result{}, err
	}
	all, err := ls.list(c.sim.store, c.ctx, c.team)
	if err != nil {
		return v2Result{}, err
	}
	if ls.sorted {
		sort.SliceStable(all, func(i, j int) bool { return foldName(ls.name(all[i])) < foldName(ls.name(all[j])) })
	}
	out := make([]any, len(all))
	for i, l := range all {
		out[i] = ls.render(l)
	}
	return ok200(v2Page{Data: out})
}

// Create answers POST /tags or /statuses.
func (ls v2Labels[L]) Create(c *v2Call) (v2Result, error) {
	b, err := v2Body(c, true, "name", "color")
	if err != nil {
		return v2Result{}, err
	}
	name, err := nameField(b, true)
	if err != nil {
		return v2Result{}, err
	}
	_, color, err := colorField(b, ls.nullColor)
	if err != nil {
		return v2Result{}, err
	}
	if ls.limit > 0 {
		all, err := ls.list(c.sim.store, c.ctx, c.team)
		if err != nil {
			return v2Result{}, err
		}
		if len(all) >= ls.limit {
			return v2Result{}, v2Errorf(http.StatusUnprocessableEntity, "tagLimitReached", map[string]int{"max": ls.limit},
				"the team has %d %ss, the most it can have; delete %ss it no longer uses first", len(all), ls.kind, ls.kind)
		}
	}
	if err := ls.taken(c, *name, ""); err != nil {
		return v2Result{}, err
	}
	in := store.LabelInput{Name: name, SetColor: color != nil, Color: color}
	if !ls.nullColor {
		in.SetColor = true
		if color == nil {
			// The document: a tag created without a color gets a random one from the palette.
			in.Color = &store.Palette[c.sim.idem.intN(len(store.Palette))].Hex
		}
	}
	l, err := ls.create(c.sim.store, c.ctx, c.team, in)
	if err != nil {
		return v2Result{}, conflictAsNameTaken(err, *name)
	}
	return v2Result{status: http.StatusCreated, body: ls.render(l)}, nil
}

// Get answers GET /tags/{tagRef} or /statuses/{statusRef}.
func (ls v2Labels[L]) Get(c *v2Call) (v2Result, error) {
	if _, err := parseV2Query(c.r.URL.RawQuery); err != nil {
		return v2Result{}, err
	}
	l, err := ls.resolve(c, c.param(ls.param))
	if err != nil {
		return v2Result{}, err
	}
	return ok200(ls.render(l))
}

// Update answers PATCH /tags/{tagRef} or /statuses/{statusRef}.
func (ls v2Labels[L]) Update(c *v2Call) (v2Result, error) {
	b, err := v2Body(c, true, "name", "color")
	if err != nil {
		return v2Result{}, err
	}
	name, err := nameField(b, false)
	if err != nil {
		return v2Result{}, err
	}
	set, color, err := colorField(b, ls.nullColor)
	if err != nil {
		return v2Result{}, err
	}
	l, err := ls.resolve(c, c.param(ls.param))
	if err != nil {
		return v2Result{}, err
	}
	if name != nil {
		if err := ls.taken(c, *name, ls.id(l)); err != nil {
			return v2Result{}, err
		}
	}
	l, err = ls.update(c.sim.store, c.ctx, c.team, ls.id(l), store.LabelInput{Name: name, SetColor: set, Color: color})
	if err != nil {
		return v2Result{}, conflictAsNameTaken(err, deref(name))
	}
	return ok200(ls.render(l))
}

// Delete answers DELETE /tags/{tagRef} or /statuses/{statusRef}.
func (ls v2Labels[L]) Delete(c *v2Call) (v2Result, error) {
	if _, err := parseV2Query(c.r.URL.RawQuery); err != nil {
		return v2Result{}, err
	}
	l, err := ls.resolve(c, c.param(ls.param))
	if err != nil {
		return v2Result{}, err
	}
	if err := ls.delete(c.sim.store, c.ctx, c.team, ls.id(l)); err != nil {
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
