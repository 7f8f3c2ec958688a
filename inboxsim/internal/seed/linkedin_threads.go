package seed

import (
	"math"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/store"
)

// The LinkedIn conversations of the v2 seed, and what it adds to the X ones.

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
			p = newLinkedInProfile(g.rng, store.MakeID(g.rng), Pick(g.rng, firstNames), Pick(g.rng, lastNames), Pick(g.rng, companies).Name, g.now)
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
	if id, ok := g.statuses[Pick(g.rng, pipeline)]; ok && chance(g.rng, 0.7) {
		p.StatusID = &id
	}
	for _, name := range []string{"Hot Lead", "Partner", "Agency", "Demo Requested", "Enterprise"} {
		if id, ok := g.tags[name]; ok && chance(g.rng, 0.18) {
			p.Tags = append(p.Tags, id)
		}
	}
	if chance(g.rng, 0.35) {
		p.Notes = new(Pick(g.rng, []string{"Met on LinkedIn after the webinar.", "Prefers LinkedIn over email.",
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
		"{competitor}", Pick(rng, liCompetitors), "{event}", Pick(rng, liEvents), "{referrer}", Pick(rng, liReferrers))
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
