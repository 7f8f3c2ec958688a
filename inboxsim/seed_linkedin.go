package inboxsim

import (
	"context"
	"database/sql"
	"fmt"
	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/store"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"regexp"
	"strings"
	"time"
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
	headline := pick(rng, roles) + " at " + co.Name
	p := store.LinkedInProfile{ID: id, PlatformID: "ACoAA" + strings.ToUpper(store.MakeID(rng)[:6]) + store.MakeID(rng)[:22],
		DisplayName: first + " " + last, Username: vanity, First: first, Company: co.Name,
		FirstSeen: now.Add(-time.Duration(30+rng.IntN(300)) * 24 * time.Hour).Truncate(time.Millisecond),
		Updated:   now.Add(-time.Duration(rng.IntN(20*24)) * time.Hour).Truncate(time.Millisecond),
		Data: map[string]any{"headline": headline, "industry": pick(rng, liIndustries),
			"connectionDegree": pick(rng, liDegrees), "premium": chance(rng, 0.25)},
		Tags: []string{}}
	if chance(rng, 0.9) {
		p.Image = new(fmt.Sprintf("https://media.licdn.com/dms/image/v2/%s/profile-displayphoto-shrink_200_200/0/%d", store.MakeID(rng)[:16], p.FirstSeen.Unix()))
	}
	if chance(rng, 0.7) {
		p.Bio = new(headline + ". " + pick(rng, liAbout))
	}
	if chance(rng, 0.85) {
		p.Location = new(pick(rng, locations))
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
	p := newLinkedInProfile(rng, id, pick(rng, firstNames), pick(rng, lastNames), pick(rng, companies).Name, now)
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

func seedV2(ctx context.Context, tx *sql.Tx, seed int64, scale float64, now time.Time) error {
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
		company := pick(g.rng, companies).Name
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

// liState is where a seeded LinkedIn thread ends up.
type liState int

const (
	liWaiting liState = iota // the team wrote last
	liNoReply                // the person wrote last
	liRequest
	liArchived
)

// injectionThread is the LinkedIn thread whose person attempts prompt injection.
const injectionThread = 5

func (g *v2Seeder) linkedInThreads() error {
	n := max(8, int(math.Round(20*g.scale)))
	twins, primaries, err := g.twins(max(3, int(math.Round(4*g.scale))))
	if err != nil {
		return err
	}
	for i := range n {
		state := []liState{liWaiting, liWaiting, liNoReply, liNoReply, liNoReply, liRequest, liArchived, liArchived}[g.rng.IntN(8)]
		if i == injectionThread {
			state = liNoReply
		}
		var p store.LinkedInProfile
		if i < len(twins) {
			p = twins[i]
			if state == liRequest {
				state = liNoReply
			}
			if err := g.exec(`INSERT INTO contact_links (profile_id, primary_id, linked_at) VALUES (?, ?, ?)`,
				p.ID, primaries[i], store.Millis(g.link.CreatedAt.Add(time.Duration(i)*time.Hour))); err != nil {
				return err
			}
		} else {
			p = newLinkedInProfile(g.rng, store.MakeID(g.rng), pick(g.rng, firstNames), pick(g.rng, lastNames), pick(g.rng, companies).Name, g.now)
			g.crm(&p, state)
		}
		if err := store.InsertLinkedInProfile(g.ctx, g.tx, g.teamID, p); err != nil {
			return err
		}
		if err := g.linkedInThread(i, p, state); err != nil {
			return err
		}
	}
	return nil
}

// crm gives a LinkedIn-only contact the CRM state its conversation suggests.
func (g *v2Seeder) crm(p *store.LinkedInProfile, state liState) {
	pipeline := map[liState][]string{liWaiting: {"Contacted", "Qualified"}, liNoReply: {"New Lead", "Qualified", "Demo Scheduled"},
		liRequest: {"New Lead"}, liArchived: {"Closed Won", "Closed Lost"}}[state]
	if id, ok := g.statuses[pick(g.rng, pipeline)]; ok && chance(g.rng, 0.7) {
		p.StatusID = &id
	}
	for _, name := range []string{"Hot Lead", "Partner", "Agency", "Demo Requested", "Enterprise"} {
		if id, ok := g.tags[name]; ok && chance(g.rng, 0.18) {
			p.Tags = append(p.Tags, id)
		}
	}
	if chance(g.rng, 0.35) {
		p.Notes = new(pick(g.rng, []string{"Met on LinkedIn after the webinar.", "Prefers LinkedIn over email.",
			"Asked for a proposal for the whole team.", "Decision in Q1; budget owner is the COO."}))
	}
	if chance(g.rng, 0.3) {
		p.Valuation = new(float64(1+g.rng.IntN(40)) * 500)
	}
}

// script picks a conversation for a state and cuts it where the state says who wrote last.
func (g *v2Seeder) script(state liState) []liTurn {
	want := map[liState]byte{liWaiting: 'U', liNoReply: 'P'}[state]
	for {
		s := liScripts[g.rng.IntN(len(liScripts)-1)] // the last one, the injection, is placed on purpose
		if s.request != (state == liRequest) {
			continue
		}
		if want == 0 {
			return s.turns
		}
		var ends []int
		for k, t := range s.turns {
			if t.who == want {
				ends = append(ends, k)
			}
		}
		if len(ends) > 0 {
			return s.turns[:ends[g.rng.IntN(len(ends))]+1]
		}
	}
}

// liSlots fills a conversation's placeholders, the same way in every message of it.
func liSlots(p store.LinkedInProfile, me string, rng *rand.Rand) *strings.Replacer {
	return strings.NewReplacer("{first}", p.First, "{me}", me, "{company}", p.Company,
		"{competitor}", pick(rng, liCompetitors), "{event}", pick(rng, liEvents), "{referrer}", pick(rng, liReferrers))
}

func (g *v2Seeder) linkedInThread(i int, p store.LinkedInProfile, state liState) error {
	turns := g.script(state)
	if i == injectionThread {
		turns = liScripts[len(liScripts)-1].turns
	}
	var end time.Time
	switch state {
	case liArchived:
		end = g.now.Add(-time.Duration(10*24+g.rng.IntN(100*24)) * time.Hour)
	case liRequest:
		end = g.now.Add(-time.Duration(2+g.rng.IntN(14*24)) * time.Hour)
	default:
		end = g.now.Add(-time.Duration(20+g.rng.IntN(30*24*60)) * time.Minute)
	}
	at := make([]time.Time, len(turns))
	at[len(at)-1] = end.Truncate(time.Millisecond)
	for k := len(turns) - 2; k >= 0; k-- {
		gap := time.Duration(3+g.rng.IntN(600)) * time.Minute
		if g.rng.IntN(3) == 0 {
			gap += time.Duration(g.rng.IntN(72)) * time.Hour
		}
		at[k] = at[k+1].Add(-gap).Truncate(time.Millisecond)
	}
	owner := g.members[0]
	fill := liSlots(p, firstName(owner), g.rng)
	threadID := store.MakeID(g.rng)
	var lastID string
	for k, t := range turns {
		id := store.MakeID(g.rng)
		inbound := t.who == 'P'
		author, origin := g.link.ID, store.OriginInternal
		var user any = owner.UserID
		if inbound {
			author, origin, user = p.ID, store.OriginExternal, nil
		}
		if err := g.exec(`INSERT INTO li_messages (id, team_id, thread_id, user_id, created_at, platform_id, content,
			author_id, origin, inbound) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, g.teamID, threadID, user, store.Millis(at[k]),
			"urn:li:msg_message:"+store.MakeID(g.rng), fill.Replace(t.text), author, origin, store.BoolInt(inbound)); err != nil {
			return err
		}
		if err := g.attach(id, t.attach, at[k]); err != nil {
			return err
		}
		lastID = id
	}
	var assignee any
	if state != liRequest && chance(g.rng, 0.3) {
		assignee = g.members[1+g.rng.IntN(len(g.members)-1)].ID
	}
	hasP, hasU := false, false
	for _, t := range turns {
		hasP, hasU = hasP || t.who == 'P', hasU || t.who == 'U'
	}
	last := turns[len(turns)-1].who == 'P'
	created := at[0].Add(-time.Duration(g.rng.IntN(90)) * time.Minute)
	if err := g.exec(`INSERT INTO li_threads (id, team_id, account_link_id, prospect_id, platform_id, done, assignee_id,
		last_message_id, last_message_at, sort_at, created_at, status, variant, is_request, has_inbound, has_outbound,
		last_inbound) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'active', 'unencrypted', ?, ?, ?, ?)`,
		threadID, g.teamID, g.link.ID, p.ID, "urn:li:msg_conversation:"+store.MakeID(g.rng), store.BoolInt(state == liArchived), assignee,
		lastID, store.Millis(end), store.Millis(end), store.Millis(created), store.BoolInt(state == liRequest), store.BoolInt(hasP), store.BoolInt(hasU), store.BoolInt(last)); err != nil {
		return err
	}
	if state == liNoReply && chance(g.rng, 0.3) {
		return g.exec(`INSERT INTO thread_marks (thread_id, unread) VALUES (?, 1)`, threadID)
	}
	return nil
}

// attach adds the attachment a scripted message carries.
func (g *v2Seeder) attach(messageID, kind string, at time.Time) error {
	base := "https://media.inboxapp.example/" + g.teamID + "/" + messageID
	switch kind {
	case "deck":
		return g.exec(`INSERT INTO attachments (message_id, idx, kind, filename, content_type, size_bytes, status, url)
			VALUES (?, 0, 'file', 'Northwind pricing 2026.pdf', 'application/pdf', ?, 'ready', ?)`, messageID, 380_000+g.rng.IntN(90_000), base+"/pricing.pdf")
	case "photo":
		return g.exec(`INSERT INTO attachments (message_id, idx, kind, filename, content_type, size_bytes, width, height, status, url)
			VALUES (?, 0, 'image', 'screenshot.png', 'image/png', ?, 1440, 900, 'ready', ?)`, messageID, 210_000+g.rng.IntN(90_000), base+"/screenshot.png")
	}
	return nil
}

// xExtras seeds what only v2 shows on the X conversations: unread marks on a share of the
// threads awaiting a reply, and a default assignee on a share of the contacts.
func (g *v2Seeder) xExtras() error {
	waiting, err := g.strings(`SELECT id FROM threads WHERE team_id = ? AND status = 'active' AND done = 0
		AND last_inbound = 1 ORDER BY id`, g.teamID)
	if err != nil {
		return err
	}
	for _, id := range waiting {
		if chance(g.rng, 0.15) {
			if err := g.exec(`INSERT INTO thread_marks (thread_id, unread) VALUES (?, 1)`, id); err != nil {
				return err
			}
		}
	}
	people, err := g.strings(`SELECT DISTINCT prospect_id FROM threads WHERE team_id = ? AND status = 'active'
		AND assignee_id IS NULL ORDER BY prospect_id`, g.teamID)
	if err != nil {
		return err
	}
	for _, id := range people {
		if chance(g.rng, 0.08) {
			m := g.members[1+g.rng.IntN(len(g.members)-1)]
			if err := g.exec(`INSERT INTO contacts_v2 (primary_id, assignee_id, updated_at) VALUES (?, ?, ?)`,
				id, m.ID, store.Millis(g.now.Add(-time.Duration(1+g.rng.IntN(30*24))*time.Hour))); err != nil {
				return err
			}
		}
	}
	return nil
}

// attachments puts media on about one X message in 36 (those whose ID has a 7 in second
// place, a cheap deterministic sample), or a link card when the message has a link. The
// first video is still being processed, so its attachment answers 202.
func (g *v2Seeder) attachments() error {
	rows, err := g.tx.QueryContext(g.ctx, `SELECT id, content FROM messages WHERE team_id = ? AND id LIKE '_7%' ORDER BY id`, g.teamID)
	if err != nil {
		return err
	}
	type msg struct{ id, content string }
	var msgs []msg
	for rows.Next() {
		var m msg
		if err := rows.Scan(&m.id, &m.content); err != nil {
			rows.Close()
			return err
		}
		msgs = append(msgs, m)
	}
	rows.Close()
	pending := false
	for _, m := range msgs {
		base := "https://media.inboxapp.example/" + g.teamID + "/" + m.id
		if u := store.LinkPattern.FindString(m.content); u != "" {
			domain := strings.TrimPrefix(strings.TrimPrefix(u, "https://"), "http://")
			domain, _, _ = strings.Cut(domain, "/")
			if err := g.exec(`INSERT INTO attachments (message_id, idx, kind, status, url, title, description, domain)
				VALUES (?, 0, 'card', 'ready', ?, ?, NULL, ?)`, m.id, u, strings.TrimPrefix(domain, "www."), domain); err != nil {
				return err
			}
			continue
		}
		switch r := g.rng.Float64(); {
		case r < 0.7:
			w, h := []int64{1200, 1080, 1600, 750}[g.rng.IntN(4)], []int64{800, 1080, 900, 1334}[g.rng.IntN(4)]
			err = g.exec(`INSERT INTO attachments (message_id, idx, kind, filename, content_type, size_bytes, width, height, status, url)
				VALUES (?, 0, 'image', ?, 'image/jpeg', ?, ?, ?, 'ready', ?)`, m.id, "IMG_"+m.id[:6]+".jpg", 90_000+g.rng.IntN(900_000), w, h, base+"/image.jpg")
		case r < 0.85:
			err = g.exec(`INSERT INTO attachments (message_id, idx, kind, content_type, size_bytes, width, height, status, url)
				VALUES (?, 0, 'gif', 'image/gif', ?, 480, 270, 'ready', ?)`, m.id, 300_000+g.rng.IntN(2_000_000), base+"/anim.gif")
		default:
			status := "ready"
			if !pending {
				status, pending = "processing", true
			}
			err = g.exec(`INSERT INTO attachments (message_id, idx, kind, filename, content_type, size_bytes, width, height,
				duration_seconds, status, url) VALUES (?, 0, 'video', ?, 'video/mp4', ?, 1280, 720, ?, ?, ?)`,
				m.id, "clip_"+m.id[:6]+".mp4", 2_000_000+g.rng.IntN(20_000_000), float64(5+g.rng.IntN(90)), status, base+"/clip.mp4")
		}
		if err != nil {
			return err
		}
	}
	return nil
}
