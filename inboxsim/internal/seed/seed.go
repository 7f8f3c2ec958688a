package seed

import (
	"context"
	"database/sql"
	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/store"
	"math"
	"math/rand/v2"
	"strconv"
	"time"
)

// Seed shape per unit of scale (see the package documentation): 200 threads holding ~3,000 messages.
const threadsPerScale = 200

// IfEmpty fills an empty store with the deterministic data set for (seed, scale). A store
// that already holds data is left alone; it reports whether it seeded.
func IfEmpty(ctx context.Context, s *store.Store, seed int64, scale float64) (bool, error) {
	if v, err := s.Meta(ctx, "seeded"); err != nil || v != "" {
		return false, err
	}
	err := s.Write(ctx, func(tx *sql.Tx) error {
		g, err := newSeeder(ctx, tx, seed, scale, s.Clock())
		if err != nil {
			return err
		}
		defer g.close()
		if err := g.run(); err != nil {
			return err
		}
		for k, v := range map[string]string{"seeded": "1", "seed": strconv.FormatInt(seed, 10),
			"scale": strconv.FormatFloat(scale, 'g', -1, 64), "seededAt": g.now.Format(time.RFC3339Nano)} {
			if _, err := tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES (?, ?)`, k, v); err != nil {
				return err
			}
		}
		return nil
	})
	return err == nil, err
}

// seedProspect is a prospect being built, with the CRM context its conversations suggest.
type seedProspect struct {
	person
	links     map[string]bool
	tags      []string
	status    string
	firstSeen time.Time
}

func (p *seedProspect) tag(name string) {
	for _, t := range p.tags {
		if t == name {
			return
		}
	}
	p.tags = append(p.tags, name)
}

type seeder struct {
	ctx       context.Context
	tx        *sql.Tx
	rng       *rand.Rand
	now       time.Time
	scale     float64
	corpus    *corpus
	people    *personGen
	teamID    string
	members   []store.Member
	links     []store.AccountLink
	tags      map[string]string
	statuses  map[string]string
	campaigns []string
	prospects []*seedProspect
	insMsg    *sql.Stmt
	insThread *sql.Stmt
	insVer    *sql.Stmt
	messages  int
	lastID    string
	last      seedPreview
}

// seedPreview is the last message written, for the thread's preview columns.
type seedPreview struct {
	content, author, user, campaign any
}

func newSeeder(ctx context.Context, tx *sql.Tx, seed int64, scale float64, now time.Time) (*seeder, error) {
	rng := rand.New(rand.NewPCG(uint64(seed), 0x9e3779b97f4a7c15))
	g := &seeder{ctx: ctx, tx: tx, rng: rng, now: now, scale: scale, corpus: newCorpus(),
		people: &personGen{rng: rng, now: now, taken: map[string]bool{}},
		tags:   map[string]string{}, statuses: map[string]string{}}
	var err error
	if g.insMsg, err = tx.PrepareContext(ctx, `INSERT INTO messages (id, team_id, thread_id, user_id,
		created_at, updated_at, platform_id, content, campaign_id, author_id, origin, reply_to_id,
		reactions, is_encrypted, is_edited, deleted_at, platform_deleted_at, deletion_type,
		deletion_origin, deletion_author, inbound)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`); err != nil {
		return nil, err
	}
	if g.insThread, err = tx.PrepareContext(ctx, `INSERT INTO threads (id, team_id, account_link_id,
		prospect_id, platform_id, done, assignee_id, last_message_id, last_message_at, lm_content,
		lm_author, lm_user, lm_campaign, sort_at, created_at, status, variant, is_syncing, is_request,
		typing_enabled, campaign_id, has_inbound, has_outbound, last_inbound)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`); err != nil {
		return nil, err
	}
	if g.insVer, err = tx.PrepareContext(ctx, `INSERT INTO message_versions (message_id, n, content,
		created_at, edit_origin) VALUES (?, ?, ?, ?, ?)`); err != nil {
		return nil, err
	}
	return g, nil
}

func (g *seeder) close() {
	for _, st := range []*sql.Stmt{g.insMsg, g.insThread, g.insVer} {
		if st != nil {
			st.Close()
		}
	}
}

func (g *seeder) id() string { return store.MakeID(g.rng) }

func (g *seeder) exec(query string, args ...any) error {
	_, err := g.tx.ExecContext(g.ctx, query, args...)
	return err
}

func (g *seeder) daysAgo(d float64) time.Time {
	return store.TruncMillis(g.now.Add(-time.Duration(d * float64(24*time.Hour))))
}

// run seeds everything: the team and its directory, then threads with their conversations,
// then the prospects (whose context depends on their conversations).
func (g *seeder) run() error {
	if err := g.directory(); err != nil {
		return err
	}
	for _, spec := range g.plan() {
		if err := g.thread(spec); err != nil {
			return err
		}
	}
	for i := 0; i < int(math.Round(float64(threadsPerScale)*g.scale*0.05)); i++ {
		// Prospects Inbox knows without a conversation (looked up, imported).
		p := &seedProspect{person: g.people.newPerson(g.id(), "", false), links: map[string]bool{}}
		p.firstSeen = g.daysAgo(1 + g.rng.Float64()*200)
		g.prospects = append(g.prospects, p)
	}
	for _, p := range g.prospects {
		if err := g.insertProspect(p); err != nil {
			return err
		}
	}
	return nil
}

// directory seeds the team, members, account links, tags, statuses and campaigns.
func (g *seeder) directory() error {
	g.teamID = g.id()
	created := g.daysAgo(420)
	if err := g.exec(`INSERT INTO teams (id, name, slug, image, created_at, updated_at, currency,
		allow_support_access) VALUES (?, 'Northwind Labs', 'northwind-labs', ?, ?, ?, 'USD', 0)`,
		g.teamID, "https://fiber.inboxapp.com/avatars/teams/"+g.id(), store.Millis(created), store.Millis(g.daysAgo(21))); err != nil {
		return err
	}
	people := []struct {
		name, email, role string
		image             bool
	}{
		{"Sarah Lindgren", "sarah@northwind.app", "owner", true},
		{"Dev Patel", "dev@northwind.app", "admin", true},
		{"Marco Bianchi", "marco@northwind.app", "admin", false},
		{"Aiko Mori", "aiko@northwind.app", "user", true},
		{"Chris Doyle", "chris@northwind.app", "user", true},
		{"", "ops@northwind.app", "user", false},
	}
	for i, p := range people {
		m := store.Member{ID: g.id(), UserID: g.id(), Email: p.email, Role: p.role, CreatedAt: created.Add(time.Duration(i*9) * 24 * time.Hour)}
		if p.name != "" {
			m.Name = new(p.name)
		}
		if p.image {
			m.Image = new("https://lh3.googleusercontent.com/a/" + g.id())
		}
		if i%2 == 1 {
			m.UpdatedAt = new(g.daysAgo(float64(3 + i*7)))
		}
		g.members = append(g.members, m)
		if err := g.exec(`INSERT INTO members (id, team_id, user_id, name, email, image, role, created_at, updated_at, rank)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, m.ID, g.teamID, m.UserID, store.Nullable(m.Name), m.Email,
			store.Nullable(m.Image), m.Role, store.Millis(m.CreatedAt), store.NullTime(m.UpdatedAt), i); err != nil {
			return err
		}
	}
	links := []struct{ name, username string }{
		{"Northwind", "northwindhq"}, {"Sarah Lindgren", "sarahlindgren"}, {"Northwind Sales", "northwind_sales"},
	}
	for i, l := range links {
		lc := created.Add(time.Duration(i*30) * 24 * time.Hour)
		link := store.AccountLink{ID: g.id(), PlatformID: store.MakeSnowflake(g.rng, time.Date(2019+i, 3, 14, 9, 0, 0, 0, time.UTC)),
			Name: l.name, Username: l.username, CreatedAt: lc, Status: store.LinkStatusActive,
			Image: "https://pbs.twimg.com/profile_images/" + store.MakeSnowflake(g.rng, lc) + "/" + g.id()[:8] + "_normal.jpg"}
		if i < 2 {
			// The newest account is still on its first sync.
			link.SyncedAt = new(lc.Add(40 * time.Minute))
		}
		g.links = append(g.links, link)
		if err := g.exec(`INSERT INTO account_links (id, team_id, platform_id, name, username, image, created_at, status, synced_at, rank)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, link.ID, g.teamID, link.PlatformID, link.Name, link.Username,
			link.Image, store.Millis(link.CreatedAt), link.Status, store.NullTime(link.SyncedAt), i); err != nil {
			return err
		}
	}
	tags := [][2]string{{"Hot Lead", "#ef4444"}, {"Pricing", "#f59e0b"}, {"Demo Requested", "#3b82f6"},
		{"Enterprise", "#8b5cf6"}, {"Follow Up", "#14b8a6"}, {"Partner", "#22c55e"}, {"Agency", "#ec4899"},
		{"Churn Risk", "#f97316"}, {"Investor", "#6366f1"}, {"Not Interested", "#6b7280"}}
	for i, t := range tags {
		id := g.id()
		g.tags[t[0]] = id
		if err := g.exec(`INSERT INTO tags (id, team_id, name, color, created_at) VALUES (?, ?, ?, ?, ?)`,
			id, g.teamID, t[0], t[1], store.Millis(created.Add(time.Duration(i)*time.Hour))); err != nil {
			return err
		}
	}
	statuses := [][2]string{{"New Lead", "#3b82f6"}, {"Contacted", "#06b6d4"}, {"Qualified", "#f59e0b"},
		{"Demo Scheduled", "#8b5cf6"}, {"Closed Won", "#22c55e"}, {"Closed Lost", ""}}
	for i, st := range statuses {
		id := g.id()
		g.statuses[st[0]] = id
		var color any
		if st[1] != "" {
			color = st[1]
		}
		if err := g.exec(`INSERT INTO statuses (id, team_id, name, color, created_at, rank) VALUES (?, ?, ?, ?, ?, ?)`,
			id, g.teamID, st[0], color, store.Millis(created.Add(time.Duration(i)*time.Hour)), i+1); err != nil {
			return err
		}
	}
	for i, name := range []string{"Q3 Founder Outreach", "Agency Free Month", "Forecasting Webinar Follow-up"} {
		id := g.id()
		g.campaigns = append(g.campaigns, id)
		if err := g.exec(`INSERT INTO campaigns (id, team_id, name, created_at) VALUES (?, ?, ?, ?)`,
			id, g.teamID, name, store.Millis(g.daysAgo(float64(150-i*40)))); err != nil {
			return err
		}
	}
	return nil
}

// plan decides every thread's state and conversation, in a shuffled but deterministic order.
func (g *seeder) plan() []convoSpec {
	n := max(20, int(math.Round(threadsPerScale*g.scale)))
	count := func(share float64) int { return int(math.Round(float64(n) * share)) }
	idle, requests, archived, noReply := count(0.05), count(0.075), count(0.2), count(0.3)
	waiting := n - idle - requests - archived - noReply
	long, medium := max(1, int(math.Round(g.scale))), int(math.Round(3*g.scale))
	var specs []convoSpec
	add := func(state, k int) {
		for i := 0; i < k; i++ {
			specs = append(specs, convoSpec{state: state, campaign: -1, n: 3 + g.rng.IntN(26)})
		}
	}
	add(stIdle, idle)
	add(stRequest, requests)
	add(stArchived, archived)
	add(stNoReply, noReply)
	add(stWaiting, waiting)
	g.rng.Shuffle(len(specs), func(i, j int) { specs[i], specs[j] = specs[j], specs[i] })
	langs := []string{"es", "pt", "de", "fr", "ja"}
	injections, foreign := 0, 0
	for i := range specs {
		sp := &specs[i]
		switch sp.state {
		case stIdle:
			sp.n = 0
			continue
		case stRequest:
			sp.n = 1 + g.rng.IntN(3)
			continue
		case stArchived:
			sp.won = chance(g.rng, 0.45)
		case stNoReply:
			if injections < len(injectionTexts) {
				sp.injection = injectionTexts[injections]
				injections++
			}
		}
		switch r := g.rng.Float64(); {
		case r < 0.06:
			sp.lang = langs[foreign%len(langs)]
			foreign++
		case r < 0.19:
			sp.campaign = g.rng.IntN(len(g.campaigns))
			if sp.state == stWaiting && chance(g.rng, 0.5) {
				sp.n = 1 + g.rng.IntN(2)
			}
		}
	}
	// Long threads: the first in the no-reply view (so "read a 200-message thread" finds one
	// where a reply is due), the rest wherever they fall.
	for i, placed := 0, 0; i < len(specs) && placed < long+medium; i++ {
		sp := &specs[i]
		if sp.state == stIdle || sp.state == stRequest || sp.lang != "" || sp.injection != "" {
			continue
		}
		if placed == 0 && sp.state != stNoReply {
			continue
		}
		if placed < long {
			sp.n, sp.long = 200+g.rng.IntN(60), true
		} else {
			sp.n, sp.long = 40+g.rng.IntN(60), true
		}
		sp.campaign = -1
		placed++
	}
	return specs
}
