package seed

import (
	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/store"
	"math"
	"time"
)

var (
	reactionEmoji = []string{"❤️", "👍", "😂", "🔥", "🙌", "👀", "🎉"}
	noteTemplates = []string{
		"Decision maker at {company}. Budget approved for Q{q}.",
		"Met at SaaStr. Most interested in forecasting.",
		"Wants SSO before signing, loop in IT early.",
		"Prefers async, don't call before 10am.",
		"Referred by Brightlane, warm intro.",
		"Asked for the startup discount (50% first year).",
		"Champion is {first}; the CFO signs.",
		"Evaluating {competitor} in parallel. Follow up in {month}.",
	}
)

// pickLink spreads threads over the account links: most on the company account, the rest on
// the founder's and the sales account; campaigns send from the sales account.
func (g *seeder) pickLink(spec convoSpec) int {
	if spec.campaign >= 0 {
		return 2
	}
	switch r := g.rng.Float64(); {
	case r < 0.55:
		return 0
	case r < 0.8:
		return 1
	default:
		return 2
	}
}

// pickProspect returns a new prospect, or (one time in ten) an existing one without a thread on
// this account link: prospects are shared by the team's accounts.
func (g *seeder) pickProspect(spec convoSpec, link string, nullHeavy bool) *seedProspect {
	if spec.lang == "" && !nullHeavy && len(g.prospects) > 20 && chance(g.rng, 0.1) {
		p := g.prospects[g.rng.IntN(len(g.prospects))]
		if !p.links[link] && p.Lang == "" {
			return p
		}
	}
	p := &seedProspect{person: g.people.newPerson(g.id(), spec.lang, nullHeavy), links: map[string]bool{}}
	g.prospects = append(g.prospects, p)
	return p
}

// endTime draws when a thread's last message was sent, by state.
func (g *seeder) endTime(state int) time.Time {
	r := g.rng.Float64()
	var days float64
	switch state {
	case stNoReply:
		switch {
		case r < 0.3:
			days = 0.01 + g.rng.Float64()*0.99
		case r < 0.65:
			days = 1 + g.rng.Float64()*6
		default:
			days = 7 + g.rng.Float64()*53
		}
	case stWaiting:
		switch {
		case r < 0.25:
			days = 0.01 + g.rng.Float64()*0.99
		case r < 0.6:
			days = 1 + g.rng.Float64()*6
		default:
			days = 7 + g.rng.Float64()*83
		}
	case stArchived:
		days = 5 + g.rng.Float64()*115
	case stRequest:
		days = 0.01 + g.rng.Float64()*20
	default:
		days = 1 + g.rng.Float64()*59
	}
	return g.daysAgo(days)
}

// times spreads a conversation backwards from its last message: minutes between the messages
// of an exchange, hours to days between exchanges (longer threads span months).
func (g *seeder) times(turns []turn, end time.Time, long bool) []time.Time {
	out := make([]time.Time, len(turns))
	if len(turns) == 0 {
		return out
	}
	out[len(turns)-1] = end
	between := 3 * 24 * time.Hour
	if long {
		between = 14 * time.Hour
	}
	for i := len(turns) - 1; i > 0; i-- {
		var gap time.Duration
		switch {
		case turns[i].segStart:
			gap = time.Duration((0.05 + g.rng.ExpFloat64()) * float64(between))
		case turns[i].who == turns[i-1].who:
			gap = time.Duration(10+g.rng.IntN(170)) * time.Second
		default:
			gap = time.Duration(math.Min(g.rng.ExpFloat64()*25, 600)*float64(time.Minute)) + 20*time.Second
		}
		out[i-1] = store.TruncMillis(out[i].Add(-gap))
		if !out[i-1].Before(out[i]) {
			out[i-1] = out[i].Add(-time.Millisecond)
		}
	}
	return out
}

// sender picks the member who wrote the team's messages of a thread: the assignee when there
// is one, the owner on the owner's own account, else anyone with a name.
func (g *seeder) sender(link int, assignee *store.Member) store.Member {
	if assignee != nil && assignee.Name != nil {
		return *assignee
	}
	if link == 1 {
		return g.members[0]
	}
	return g.members[g.rng.IntN(len(g.members)-1)]
}

// thread seeds one thread and its messages, and notes what the conversation says about the
// prospect for its context.
func (g *seeder) thread(spec convoSpec) error {
	li := g.pickLink(spec)
	link := g.links[li]
	nullHeavy := spec.state == stRequest && !g.haveNullHeavy()
	p := g.pickProspect(spec, link.ID, nullHeavy)
	if spec.injection != "" && spec.injection == injectionTexts[0] {
		p.Bio = new(injectionBio)
	}
	p.links[link.ID] = true
	var assignee *store.Member
	if spec.state != stIdle && spec.state != stRequest && chance(g.rng, 0.4) {
		m := g.members[1+g.rng.IntN(len(g.members)-1)]
		assignee = &m
	}
	from := g.sender(li, assignee)
	end := g.endTime(spec.state)
	if spec.state == stNoReply && spec.injection == "" && spec.lang == "" && g.now.Sub(end) < 7*24*time.Hour && chance(g.rng, 0.55) {
		spec.pricingEnd = true
	}
	turns := g.corpus.build(g.rng, spec, newSlots(g.rng, p.person, firstName(from), g.now))
	at := g.times(turns, end, spec.long)
	threadID := g.id()
	created := end
	if len(at) > 0 {
		created = store.TruncMillis(at[0].Add(-time.Duration(g.rng.IntN(90)) * time.Minute))
		if spec.campaign >= 0 {
			created = at[0]
		}
	}
	if p.firstSeen.IsZero() || created.Before(p.firstSeen) {
		p.firstSeen = created
	}
	// The variant flips to xChat when both sides have written, except in legacy conversations
	// that began before X Chat existed.
	both, hasP, hasU := -1, false, false
	for i, t := range turns {
		hasP, hasU = hasP || t.who == 'P', hasU || t.who != 'P'
		if both < 0 && hasP && hasU {
			both = i
		}
	}
	legacy := both >= 0 && len(at) > 0 && g.now.Sub(at[0]) > 120*24*time.Hour
	variant := store.VariantPlain
	if both >= 0 && !legacy {
		variant = store.VariantXChat
	}
	var lastID string
	for i := range turns {
		id, err := g.message(threadID, link, p, from, spec, variant, legacy, both, turns, at, i)
		if err != nil {
			return err
		}
		lastID = id
	}
	var campaign *string
	if spec.campaign >= 0 {
		campaign = &g.campaigns[spec.campaign]
	}
	var typing *bool
	switch r := g.rng.Float64(); {
	case r < 0.1:
		typing = new(true)
	case r < 0.15:
		typing = new(false)
	}
	status, sortAt := store.ThreadActive, created
	var lastAt *time.Time
	if len(turns) > 0 {
		lastAt, sortAt = &at[len(at)-1], at[len(at)-1]
	}
	if spec.state == stIdle {
		status = store.ThreadIdle
	}
	var assigneeID *string
	if assignee != nil {
		assigneeID = &assignee.ID
	}
	lastInbound := len(turns) > 0 && turns[len(turns)-1].who == 'P'
	var preview seedPreview // NULLs for a thread without messages
	if lastID != "" {
		preview = g.last
	}
	_, err := g.insThread.ExecContext(g.ctx, threadID, g.teamID, link.ID, p.ExternalID,
		store.ConversationID(link.PlatformID, p.PlatformID), store.BoolInt(spec.state == stArchived), store.Nullable(assigneeID),
		store.NullIfEmpty(lastID), store.NullTime(lastAt), preview.content, preview.author, preview.user, preview.campaign,
		store.Millis(sortAt), store.Millis(created), status, variant,
		store.BoolInt(chance(g.rng, 0.01)), store.BoolInt(spec.state == stRequest), store.NullBool(typing), store.Nullable(campaign),
		store.BoolInt(hasP), store.BoolInt(hasU), store.BoolInt(lastInbound))
	if err != nil {
		return err
	}
	g.noteContext(p, spec, turns)
	return nil
}

func firstName(m store.Member) string {
	if m.Name == nil {
		return "the Northwind team"
	}
	for i, r := range *m.Name {
		if r == ' ' {
			return (*m.Name)[:i]
		}
	}
	return *m.Name
}

func (g *seeder) haveNullHeavy() bool {
	for _, p := range g.prospects {
		if p.Bio == nil && p.Image == nil && p.DocumentID == nil {
			return true
		}
	}
	return false
}

// message inserts message i of a conversation, with the occasional reaction, reply, edit or
// deletion real threads accumulate.
func (g *seeder) message(threadID string, link store.AccountLink, p *seedProspect, from store.Member, spec convoSpec,
	variant string, legacy bool, both int, turns []turn, at []time.Time, i int) (string, error) {
	t := turns[i]
	id := g.id()
	g.messages++
	inbound := t.who == 'P'
	author, origin := link.ID, store.OriginInternal
	var user, campaign, replyTo, updated, deleted, platformDeleted, delType, delOrigin, delAuthor any
	switch {
	case inbound:
		author, origin = p.ExternalID, store.OriginExternal
	case t.who == 'C':
		campaign = g.campaigns[max(0, spec.campaign)]
	default:
		switch r := g.rng.Float64(); {
		case r < 0.15:
			origin = store.OriginExternal // sent from the X app
		case r < 0.22 && g.now.Sub(at[i]) < 30*24*time.Hour:
			origin, user = store.OriginAPI, g.members[0].UserID
		default:
			user = from.UserID
		}
	}
	var encrypted any
	switch {
	case legacy:
		encrypted = nil
	case variant == store.VariantXChat:
		encrypted = store.BoolInt(i >= both)
	default:
		encrypted = 0
	}
	reactions := "[]"
	if chance(g.rng, 0.04) {
		sender := p.PlatformID
		if inbound {
			sender = link.PlatformID
		}
		reactions = store.EncodeJSON([]store.Reaction{{Emoji: Pick(g.rng, reactionEmoji), SenderPlatformID: sender,
			CreatedAt: store.TruncMillis(at[i].Add(time.Duration(1+g.rng.IntN(120)) * time.Minute))}})
	}
	if i > 0 && turns[i-1].who != t.who && chance(g.rng, 0.03) {
		replyTo = g.lastID
	}
	edited := false
	mine := variant == store.VariantXChat && i >= both && !inbound && i < len(turns)-1
	if mine && chance(g.rng, 0.03) {
		edited = true
		upd := store.TruncMillis(at[i].Add(time.Duration(30+g.rng.IntN(500)) * time.Second))
		updated = store.Millis(upd)
		if _, err := g.insVer.ExecContext(g.ctx, id, 0, editedDraft(t.text), store.Millis(at[i]), nil); err != nil {
			return "", err
		}
		if _, err := g.insVer.ExecContext(g.ctx, id, 1, t.text, store.Millis(upd), store.OriginInternal); err != nil {
			return "", err
		}
	} else if mine && chance(g.rng, 0.01) {
		d := store.Millis(at[i].Add(time.Duration(1+g.rng.IntN(30)) * time.Minute))
		deleted, platformDeleted, delType, delOrigin, delAuthor = d, d, store.DeletionForAll, store.OriginInternal, link.PlatformID
	}
	_, err := g.insMsg.ExecContext(g.ctx, id, g.teamID, threadID, user, store.Millis(at[i]), updated,
		store.MakeSnowflake(g.rng, at[i]), t.text, campaign, author, origin, replyTo, reactions, encrypted,
		store.BoolInt(edited), deleted, platformDeleted, delType, delOrigin, delAuthor, store.BoolInt(inbound))
	g.lastID = id
	g.last = seedPreview{content: t.text, author: author, user: user, campaign: campaign}
	return id, err
}
