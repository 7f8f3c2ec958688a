package v2api

import (
	"net/http"
	"slices"
	"sort"
	"strings"
	"unicode"

	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/httpx"
	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/store"
	"golang.org/x/text/unicode/norm"
)

// v2 handlers for platforms, the team, members, account links, colors and events.

func v2ListPlatforms(c *v2Call) (v2Result, error) {
	if _, err := parseV2Query(c.r.URL.RawQuery); err != nil {
		return v2Result{}, err
	}
	out := make([]PlatformJSON, len(store.PlatformSpecs))
	for i, p := range store.PlatformSpecs {
		out[i] = PlatformJSON{Platform: p.Platform, Name: p.Name, UsernamePrefix: p.UsernamePrefix,
			Capabilities:    store.LinkCapabilities(p.Platform, nil),
			Limits:          v2LimitsJSON{Characters: p.Characters, MediaCount: p.MediaCount, MediaBytes: p.MediaBytes, MediaTypes: p.MediaTypes},
			MutationWindows: p.MutationWindows, ThreadState: v2ThreadStateJSON{Archive: p.Archive, Read: p.Read}}
	}
	return ok200(out)
}

func v2GetTeam(c *v2Call) (v2Result, error) {
	if _, err := parseV2Query(c.r.URL.RawQuery); err != nil {
		return v2Result{}, err
	}
	t, err := c.sim.store.Team(c.ctx, c.team)
	if err != nil {
		return v2Result{}, err
	}
	return ok200(v2TeamJSON{ID: t.ID, Name: t.Name, Slug: t.Slug, ImageURL: t.Image, Currency: t.Currency,
		AllowSupportAccess: t.AllowSupportAccess, CreatedAt: httpx.FormatTime(t.CreatedAt)})
}

// offsetPage cuts one page out of a short collection that is read whole (members, account
// links, contacts found by identity), with an offset cursor.
func offsetPage[T any](q *v2Query, kind string, items []T) (v2Page, error) {
	limit, err := q.limit()
	if err != nil {
		return v2Page{}, err
	}
	cur, err := q.cursor(kind)
	if err != nil {
		return v2Page{}, err
	}
	from := min(cur.offset(), len(items))
	to := min(from+limit, len(items))
	page := v2Page{Data: items[from:to]}
	if to < len(items) {
		page.NextCursor = q.offsetCursor(kind, to)
	}
	return page, nil
}

func v2ListMembers(c *v2Call) (v2Result, error) {
	q, err := parseV2Query(c.r.URL.RawQuery, "limit", "cursor")
	if err != nil {
		return v2Result{}, err
	}
	ms, err := c.sim.store.Members(c.ctx, c.team)
	if err != nil {
		return v2Result{}, err
	}
	sort.SliceStable(ms, func(i, j int) bool { return ms[i].CreatedAt.Before(ms[j].CreatedAt) })
	out := make([]MemberJSON, len(ms))
	for i, m := range ms {
		out[i] = toV2Member(m)
	}
	page, err := offsetPage(q, "members", out)
	if err != nil {
		return v2Result{}, err
	}
	return ok200(page)
}

func v2GetMember(c *v2Call) (v2Result, error) {
	if _, err := parseV2Query(c.r.URL.RawQuery); err != nil {
		return v2Result{}, err
	}
	m, err := c.sim.store.Member(c.ctx, c.team, c.param("memberId"))
	if err != nil {
		return v2Result{}, err
	}
	return ok200(toV2Member(m))
}

var linkStatuses = []string{"active", "offline", "paused"}

// checkPlatforms refuses platforms the team cannot use (403 platformNotAvailable).
func checkPlatforms(ps []string) error {
	for _, p := range ps {
		if store.PlatformSpecOf(p) == nil {
			return v2Errorf(http.StatusForbidden, "platformNotAvailable", map[string]string{"platform": p},
				"the team can't use the platform %q; GET /platforms lists the ones it can (%s)", p, strings.Join(store.PlatformNames(), ", "))
		}
	}
	return nil
}

func v2ListAccountLinks(c *v2Call) (v2Result, error) {
	q, err := parseV2Query(c.r.URL.RawQuery, "platform", "status", "limit", "cursor")
	if err != nil {
		return v2Result{}, err
	}
	platforms, err := q.list("platform", true)
	if err != nil {
		return v2Result{}, err
	}
	if err := checkPlatforms(platforms); err != nil {
		return v2Result{}, err
	}
	statuses, err := q.enums("status", linkStatuses, 0)
	if err != nil {
		return v2Result{}, err
	}
	links, err := c.sim.store.V2AccountLinks(c.ctx, c.sim.store.DB, c.team)
	if err != nil {
		return v2Result{}, err
	}
	out := []LinkJSON{}
	for _, l := range links {
		if (len(platforms) == 0 || slices.Contains(platforms, l.Src.Platform)) && (len(statuses) == 0 || slices.Contains(statuses, l.Status)) {
			out = append(out, toV2Link(l))
		}
	}
	page, err := offsetPage(q, "accountLinks", out)
	if err != nil {
		return v2Result{}, err
	}
	return ok200(page)
}

func v2GetAccountLink(c *v2Call) (v2Result, error) {
	if _, err := parseV2Query(c.r.URL.RawQuery); err != nil {
		return v2Result{}, err
	}
	l, err := c.sim.store.V2AccountLink(c.ctx, c.sim.store.DB, c.team, c.param("accountLinkId"))
	if err != nil {
		return v2Result{}, err
	}
	return ok200(toV2Link(l))
}

func v2ListColors(c *v2Call) (v2Result, error) {
	if _, err := parseV2Query(c.r.URL.RawQuery); err != nil {
		return v2Result{}, err
	}
	type color struct {
		Name string `json:"name"`
		Hex  string `json:"hex"`
	}
	colors := make([]color, len(store.Palette))
	for i, p := range store.Palette {
		colors[i] = color(p)
	}
	return ok200(colors)
}

// foldName is how names are compared: ignoring case and accents ("Démo" matches "demo").
func foldName(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(strings.TrimSpace(s)) {
		if !unicode.Is(unicode.Mn, r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}
