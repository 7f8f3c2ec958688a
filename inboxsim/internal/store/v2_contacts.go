package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"sort"
	"strings"
	"time"
)

// V2ProfileRow is a profile (a v1 prospect, or a LinkedIn profile) with the CRM state its row
// holds, which is its contact's when it is the contact's primary profile.
type V2ProfileRow struct {
	Src                                             *V2Src
	ID, PlatformID, DisplayName, Username           string
	Image, Bio, Location, WebsiteURL, WebsiteDomain *string
	Verified, ProfileType                           string
	IsProtected                                     bool
	Followers, Following, Posts, Engagement, Listed *int64
	PlatformCreatedAt, FirstSeenAt                  *time.Time
	LastUpdatedAt                                   time.Time
	ProfessionalCategory, BannerURL                 *string
	URLEntities                                     []URLEntity
	PlatformData                                    map[string]any
	StatusID, Notes                                 *string
	Valuation                                       *float64
	Tags                                            []string
}

func (src *V2Src) profileSelect() string {
	extra := `'{}'`
	if src != SrcX {
		extra = `p.platform_data`
	}
	return `SELECT p.id, p.platform_id, p.display_name, p.username, p.image, p.bio, p.location,
		p.website_url, p.website_domain, p.verified, p.profile_type, p.is_protected, p.follower_count,
		p.following_count, p.post_count, p.engagement_count, p.listed_count, p.platform_created_at,
		p.first_seen_at, p.last_updated_at, p.professional_category, p.banner_url, p.url_entities, ` + extra + `,
		p.status_id, p.notes, p.valuation, p.tags FROM ` + src.profiles + ` p`
}

// V2Profiles loads profiles of the team by ID from every source.
func (s *Store) V2Profiles(ctx context.Context, q Querier, teamID string, ids []string) (map[string]*V2ProfileRow, error) {
	out := map[string]*V2ProfileRow{}
	if len(ids) == 0 {
		return out, nil
	}
	for _, src := range v2Sources {
		args := []any{teamID}
		for _, id := range ids {
			args = append(args, id)
		}
		// +p.team_id keeps SQLite on the primary key: the (team, platform ID) index would read
		// every profile of the team.
		rows, err := s.query(ctx, q, src.profileSelect()+` WHERE +p.team_id = ? AND p.id IN (`+placeholders(len(ids))+`)`, args...)
		if err != nil {
			return nil, err
		}
		if err := src.scanProfiles(rows, out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (src *V2Src) scanProfiles(rows *sql.Rows, out map[string]*V2ProfileRow) error {
	defer rows.Close()
	for rows.Next() {
		p := &V2ProfileRow{Src: src}
		var image, bio, loc, web, domain, category, banner, status, notes sql.NullString
		var followers, following, posts, engagement, listed, created, firstSeen sql.NullInt64
		var valuation sql.NullFloat64
		var protected, updated int64
		var entities, data, tags string
		if err := rows.Scan(&p.ID, &p.PlatformID, &p.DisplayName, &p.Username, &image, &bio, &loc, &web, &domain,
			&p.Verified, &p.ProfileType, &protected, &followers, &following, &posts, &engagement, &listed, &created,
			&firstSeen, &updated, &category, &banner, &entities, &data, &status, &notes, &valuation, &tags); err != nil {
			return err
		}
		p.Image, p.Bio, p.Location, p.WebsiteURL, p.WebsiteDomain = Strp(image), Strp(bio), Strp(loc), Strp(web), Strp(domain)
		p.IsProtected = protected != 0
		p.Followers, p.Following, p.Posts, p.Engagement, p.Listed = int64p(followers), int64p(following), int64p(posts), int64p(engagement), int64p(listed)
		p.PlatformCreatedAt, p.FirstSeenAt, p.LastUpdatedAt = timep(created), timep(firstSeen), FromMillis(updated)
		p.ProfessionalCategory, p.BannerURL = Strp(category), Strp(banner)
		p.URLEntities = decodeURLEntities(entities)
		if err := json.Unmarshal([]byte(data), &p.PlatformData); err != nil || p.PlatformData == nil {
			p.PlatformData = map[string]any{}
		}
		p.StatusID, p.Notes, p.Valuation, p.Tags = Strp(status), Strp(notes), floatp(valuation), splitTags(tags)
		out[p.ID] = p
	}
	return rows.Err()
}

// V2ContactRow is a contact: its profiles (the primary first, then the linked ones in the order
// they were linked) and the team's CRM state about the person.
type V2ContactRow struct {
	Primary    string
	Profiles   []*V2ProfileRow
	AssigneeID *string
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// PrimaryProfile is the contact's primary profile, which names the contact.
func (c *V2ContactRow) PrimaryProfile() *V2ProfileRow { return c.Profiles[0] }

// ID is the contact's ID.
func (c *V2ContactRow) ID() string { return ContactIDOf(c.Primary) }

// V2Contacts loads contacts by their primary profiles; unknown primaries are left out.
func (s *Store) V2Contacts(ctx context.Context, q Querier, teamID string, primaries []string) (map[string]*V2ContactRow, error) {
	out := map[string]*V2ContactRow{}
	primaries = UniqueStrings(primaries)
	if len(primaries) == 0 {
		return out, nil
	}
	args := make([]any, len(primaries))
	for i, p := range primaries {
		args[i] = p
	}
	type link struct{ profile, primary string }
	var links []link
	rows, err := s.query(ctx, q, `SELECT profile_id, primary_id FROM contact_links WHERE primary_id IN (`+
		placeholders(len(primaries))+`) ORDER BY linked_at, profile_id`, args...)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var l link
		if err := rows.Scan(&l.profile, &l.primary); err != nil {
			rows.Close()
			return nil, err
		}
		links = append(links, l)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	ids := slicesClone(primaries)
	for _, l := range links {
		ids = append(ids, l.profile)
	}
	profiles, err := s.V2Profiles(ctx, q, teamID, ids)
	if err != nil {
		return nil, err
	}
	for _, p := range primaries {
		prof, ok := profiles[p]
		if !ok {
			continue
		}
		created := prof.LastUpdatedAt
		if prof.FirstSeenAt != nil {
			created = *prof.FirstSeenAt
		}
		out[p] = &V2ContactRow{Primary: p, Profiles: []*V2ProfileRow{prof}, CreatedAt: created, UpdatedAt: created}
	}
	for _, l := range links {
		if c, ok := out[l.primary]; ok && profiles[l.profile] != nil {
			c.Profiles = append(c.Profiles, profiles[l.profile])
		}
	}
	rows, err = s.query(ctx, q, `SELECT primary_id, assignee_id, updated_at FROM contacts_v2 WHERE primary_id IN (`+
		placeholders(len(primaries))+`)`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var p string
		var assignee sql.NullString
		var updated sql.NullInt64
		if err := rows.Scan(&p, &assignee, &updated); err != nil {
			return nil, err
		}
		if c, ok := out[p]; ok {
			c.AssigneeID = Strp(assignee)
			if updated.Valid && FromMillis(updated.Int64).After(c.UpdatedAt) {
				c.UpdatedAt = FromMillis(updated.Int64)
			}
		}
	}
	return out, rows.Err()
}

// V2Contact loads one contact by ID.
func (s *Store) V2Contact(ctx context.Context, q Querier, teamID, contactID string) (*V2ContactRow, error) {
	primary, _, err := s.ContactPrimary(ctx, q, teamID, contactID)
	if err != nil {
		return nil, err
	}
	cs, err := s.V2Contacts(ctx, q, teamID, []string{primary})
	if err != nil {
		return nil, err
	}
	c, ok := cs[primary]
	if !ok {
		return nil, notFoundV2("contact", contactID)
	}
	return c, nil
}

// V2FindContacts finds the contacts with a profile on a platform whose platform ID or username
// is one of the given ones (usernames ignore case, as platforms do), oldest contact first.
func (s *Store) V2FindContacts(ctx context.Context, teamID, platform string, platformIDs, usernames []string) ([]*V2ContactRow, error) {
	src := sourceOf(platform)
	if src == nil {
		return nil, nil
	}
	where, args := []string{`p.team_id = ?`}, []any{teamID}
	var parts []string
	if len(platformIDs) > 0 {
		parts = append(parts, `p.platform_id IN (`+placeholders(len(platformIDs))+`)`)
		for _, v := range platformIDs {
			args = append(args, v)
		}
	}
	if len(usernames) > 0 {
		parts = append(parts, `p.username COLLATE NOCASE IN (`+placeholders(len(usernames))+`)`)
		for _, v := range usernames {
			args = append(args, v)
		}
	}
	where = append(where, "("+strings.Join(parts, " OR ")+")")
	rows, err := s.query(ctx, s.DB, `SELECT coalesce(cl.primary_id, p.id) FROM `+src.profiles+` p
		LEFT JOIN contact_links cl ON cl.profile_id = p.id WHERE `+strings.Join(where, " AND "), args...)
	if err != nil {
		return nil, err
	}
	var primaries []string
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			rows.Close()
			return nil, err
		}
		primaries = append(primaries, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	cs, err := s.V2Contacts(ctx, s.DB, teamID, primaries)
	if err != nil {
		return nil, err
	}
	out := make([]*V2ContactRow, 0, len(cs))
	for _, c := range cs {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].CreatedAt.Equal(out[j].CreatedAt) {
			return out[i].CreatedAt.Before(out[j].CreatedAt)
		}
		return out[i].Primary < out[j].Primary
	})
	return out, nil
}

// UniqueStrings returns xs without repeats, in first-seen order.
func UniqueStrings(xs []string) []string {
	seen := map[string]bool{}
	out := xs[:0:0]
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

func slicesClone(xs []string) []string { return append([]string(nil), xs...) }
