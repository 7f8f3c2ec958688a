package seed

import (
	"context"
	"database/sql"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"regexp"
	"strings"
	"time"

	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/store"
)

// The v2 seed runs after the v1 seed, from its own random stream, so the v1 data set of a
// seed is exactly what it was before v2 existed. It adds:
//
//   - one LinkedIn account link (the owner's own profile) with about 20 threads per unit of
//     scale, across the folders, with a few attachments;
//   - LinkedIn profiles, some of them linked to the contact of an X prospect with the same
//     name (one person, two platforms, one CRM record), the rest LinkedIn-only contacts with
//     their own CRM state;
//   - what only v2 shows on X data: an account link without message:edit, unread marks,
//     contacts' default assignees, and attachments on a share of messages.

// newLinkedInProfile makes a LinkedIn profile for a person.
func newLinkedInProfile(rng *rand.Rand, id, first, last, company string, now time.Time) store.LinkedInProfile {
	vanity := asciiFold(first) + "-" + asciiFold(last)
	if chance(rng, 0.6) {
		vanity += fmt.Sprintf("-%x", rng.IntN(0xfffff))
	}
	co := companies[0]
	for _, c := range companies {
		if c.Name == company {
			co = c
		}
	}
	headline := Pick(rng, roles) + " at " + co.Name
	p := store.LinkedInProfile{ID: id, PlatformID: "ACoAA" + strings.ToUpper(store.MakeID(rng)[:6]) + store.MakeID(rng)[:22],
		DisplayName: first + " " + last, Username: vanity, First: first, Company: co.Name,
		FirstSeen: now.Add(-time.Duration(30+rng.IntN(300)) * 24 * time.Hour).Truncate(time.Millisecond),
		Updated:   now.Add(-time.Duration(rng.IntN(20*24)) * time.Hour).Truncate(time.Millisecond),
		Data: map[string]any{"headline": headline, "industry": Pick(rng, liIndustries),
			"connectionDegree": Pick(rng, liDegrees), "premium": chance(rng, 0.25)},
		Tags: []string{}}
	if chance(rng, 0.9) {
		p.Image = new(fmt.Sprintf("https://media.licdn.com/dms/image/v2/%s/profile-displayphoto-shrink_200_200/0/%d", store.MakeID(rng)[:16], p.FirstSeen.Unix()))
	}
	if chance(rng, 0.7) {
		p.Bio = new(headline + ". " + Pick(rng, liAbout))
	}
	if chance(rng, 0.85) {
		p.Location = new(Pick(rng, locations))
	}
	if chance(rng, 0.5) {
		p.Website, p.Domain = new("https://"+co.Domain), new(co.Domain)
	}
	if chance(rng, 0.8) {
		p.Followers = new(logNormal(rng, 900, 1.2, 15, 250_000))
	}
	return p
}

// syntheticLinkedInProfile invents the profile of a LinkedIn member Inboxapp has never seen,
// deterministically from the member ID, as syntheticProspect does for X.
func syntheticLinkedInProfile(platformID, id string, now time.Time) store.LinkedInProfile {
	h := fnv.New64a()
	h.Write([]byte(platformID))
	rng := rand.New(rand.NewPCG(h.Sum64(), 11))
	p := newLinkedInProfile(rng, id, Pick(rng, firstNames), Pick(rng, lastNames), Pick(rng, companies).Name, now)
	p.PlatformID = platformID
	p.Username += fmt.Sprintf("-%x", h.Sum64()&0xffff)
	p.FirstSeen, p.Updated = now, now
	return p
}

// v2Seeder seeds the v2 data of a store.
type v2Seeder struct {
	ctx      context.Context
	tx       *sql.Tx
	rng      *rand.Rand
	now      time.Time
	scale    float64
	teamID   string
	created  time.Time
	members  []store.Member
	tags     map[string]string
	statuses map[string]string
	link     store.AccountLink
}

// V2 seeds the v2 data of a store (see the package documentation), in the transaction tx.
func V2(ctx context.Context, tx *sql.Tx, seed int64, scale float64, now time.Time) error {
	g := &v2Seeder{ctx: ctx, tx: tx, rng: rand.New(rand.NewPCG(uint64(seed), 0x11d1ea5e)), now: store.TruncMillis(now), scale: scale,
		tags: map[string]string{}, statuses: map[string]string{}}
	if err := g.directory(); err != nil {
		return err
	}
	if g.teamID == "" {
		return nil
	}
	for _, step := range []func() error{g.linkedInLink, g.linkedInThreads, g.xExtras, g.attachments} {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

func (g *v2Seeder) exec(query string, args ...any) error {
	_, err := g.tx.ExecContext(g.ctx, query, args...)
	return err
}

func (g *v2Seeder) strings(query string, args ...any) ([]string, error) {
	rows, err := g.tx.QueryContext(g.ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// directory reads what the v1 seed made: the team, its members, tags and statuses.
func (g *v2Seeder) directory() error {
	var created int64
	err := g.tx.QueryRowContext(g.ctx, `SELECT id, created_at FROM teams ORDER BY created_at, id LIMIT 1`).Scan(&g.teamID, &created)
	if err == sql.ErrNoRows {
		return nil
	}
	if err != nil {
		return err
	}
	g.created = store.FromMillis(created)
	rows, err := g.tx.QueryContext(g.ctx, `SELECT id, user_id, name FROM members WHERE team_id = ? ORDER BY rank`, g.teamID)
	if err != nil {
		return err
	}
	for rows.Next() {
		var m store.Member
		var name sql.NullString
		if err := rows.Scan(&m.ID, &m.UserID, &name); err != nil {
			rows.Close()
			return err
		}
		m.Name = store.Strp(name)
		g.members = append(g.members, m)
	}
	rows.Close()
	for table, dst := range map[string]map[string]string{"tags": g.tags, "statuses": g.statuses} {
		rows, err := g.tx.QueryContext(g.ctx, `SELECT id, name FROM `+table+` WHERE team_id = ?`, g.teamID)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id, name string
			if err := rows.Scan(&id, &name); err != nil {
				rows.Close()
				return err
			}
			dst[name] = id
		}
		rows.Close()
	}
	return nil
}

// linkedInLink seeds the owner's LinkedIn account, and narrows the newest X account: it is not
// on X Premium, so it cannot edit messages.
func (g *v2Seeder) linkedInLink() error {
	xLinks, err := g.strings(`SELECT id FROM account_links WHERE team_id = ? ORDER BY rank`, g.teamID)
	if err != nil {
		return err
	}
	if len(xLinks) > 0 {
		if err := g.exec(`INSERT INTO link_capabilities (link_id, removed) VALUES (?, ?)`, xLinks[len(xLinks)-1], store.CapEdit); err != nil {
			return err
		}
	}
	owner := "Sarah Lindgren"
	if len(g.members) > 0 && g.members[0].Name != nil {
		owner = *g.members[0].Name
	}
	at := g.created.Add(200 * 24 * time.Hour)
	g.link = store.AccountLink{ID: store.MakeID(g.rng), PlatformID: "ACoAA" + strings.ToUpper(store.MakeID(g.rng)[:6]) + store.MakeID(g.rng)[:22],
		Name: owner, Username: strings.ReplaceAll(strings.ToLower(owner), " ", "-"), CreatedAt: at, Status: store.LinkStatusActive,
		Image:    "https://media.licdn.com/dms/image/v2/" + store.MakeID(g.rng)[:16] + "/profile-displayphoto-shrink_200_200/0/1",
		SyncedAt: new(at.Add(25 * time.Minute))}
	return g.exec(`INSERT INTO li_account_links (id, team_id, platform_id, name, username, image, created_at, status, synced_at, rank)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0)`, g.link.ID, g.teamID, g.link.PlatformID, g.link.Name, g.link.Username,
		g.link.Image, store.Millis(g.link.CreatedAt), g.link.Status, store.NullTime(g.link.SyncedAt))
}

var bioCompany = regexp.MustCompile(`@([A-Za-z&]+)`)

// twins picks X prospects who are also on LinkedIn: people (not brands) with a conversation.
func (g *v2Seeder) twins(n int) ([]store.LinkedInProfile, []string, error) {
	rows, err := g.tx.QueryContext(g.ctx, `SELECT p.id, p.display_name, coalesce(p.bio, ''), p.location FROM prospects p
		WHERE p.team_id = ? AND p.profile_type = 'personal' AND p.display_name LIKE '% %'
		AND EXISTS (SELECT 1 FROM threads t WHERE t.prospect_id = p.id AND t.status = 'active') ORDER BY p.id`, g.teamID)
	if err != nil {
		return nil, nil, err
	}
	type cand struct {
		id, name, bio string
		location      sql.NullString
	}
	var cands []cand
	for rows.Next() {
		var c cand
		if err := rows.Scan(&c.id, &c.name, &c.bio, &c.location); err != nil {
			rows.Close()
			return nil, nil, err
		}
		cands = append(cands, c)
	}
	rows.Close()
	g.rng.Shuffle(len(cands), func(i, j int) { cands[i], cands[j] = cands[j], cands[i] })
	var out []store.LinkedInProfile
	var primaries []string
	for _, c := range cands[:min(n, len(cands))] {
		first, last, _ := strings.Cut(c.name, " ")
		company := Pick(g.rng, companies).Name
		if m := bioCompany.FindStringSubmatch(c.bio); m != nil {
			for _, co := range companies {
				if strings.ReplaceAll(co.Name, " ", "") == m[1] {
					company = co.Name
				}
			}
		}
		p := newLinkedInProfile(g.rng, store.MakeID(g.rng), first, last, company, g.now)
		p.Location = store.Strp(c.location) // one person: the same city on both platforms
		out = append(out, p)
		primaries = append(primaries, c.id)
	}
	return out, primaries, nil
}
