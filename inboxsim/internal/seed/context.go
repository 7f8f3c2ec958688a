package seed

import (
	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/store"
	"math"
	"time"
)

// noteContext derives the CRM context a team would have recorded from a conversation: tags
// for what was discussed, a pipeline status for where it ended, sometimes a deal value and
// notes. Prospects with threads on several account links accumulate context from all.
func (g *seeder) noteContext(p *seedProspect, spec convoSpec, turns []turn) {
	rng := g.rng
	tp := topics(turns)
	if tp["pricing"] && chance(rng, 0.55) {
		p.tag("Pricing")
	}
	if tp["demo"] && chance(rng, 0.6) {
		p.tag("Demo Requested")
	}
	if (tp["pricing"] || tp["demo"]) && spec.state != stArchived && chance(rng, 0.25) {
		p.tag("Hot Lead")
	}
	if tp["security"] && chance(rng, 0.6) {
		p.tag("Enterprise")
	}
	if tp["partner"] && chance(rng, 0.7) {
		p.tag(Pick(rng, []string{"Partner", "Agency"}))
	}
	if tp["onboarding"] && chance(rng, 0.1) {
		p.tag("Churn Risk")
	}
	if spec.state == stWaiting && chance(rng, 0.2) {
		p.tag("Follow Up")
	}
	if spec.state == stArchived && !spec.won && chance(rng, 0.5) {
		p.tag("Not Interested")
	}
	if chance(rng, 0.02) {
		p.tag("Investor")
	}
	if len(p.tags) == 0 && spec.state != stIdle && chance(rng, 0.12) {
		p.tag(Pick(rng, []string{"Hot Lead", "Follow Up", "Agency", "Enterprise"}))
	}
	status := ""
	switch {
	case spec.state == stArchived && spec.won:
		status = "Closed Won"
	case spec.state == stArchived && chance(rng, 0.6):
		status = "Closed Lost"
	case tp["demo"] && chance(rng, 0.5):
		status = "Demo Scheduled"
	case tp["pricing"] && chance(rng, 0.4):
		status = "Qualified"
	case spec.state == stWaiting && chance(rng, 0.35):
		status = "Contacted"
	case spec.state == stNoReply && chance(rng, 0.25):
		status = "New Lead"
	}
	if status != "" {
		p.status = status
	}
	if p.Context.Valuation == nil && (status == "Qualified" || status == "Demo Scheduled" || status == "Closed Won") && chance(rng, 0.6) {
		v := math.Round((500+rng.Float64()*rng.Float64()*60000)/100) * 100
		p.Context.Valuation = &v
	}
	if p.Context.Notes == nil && spec.state != stIdle && spec.state != stRequest && chance(rng, 0.15) {
		sl := newSlots(rng, p.person, "", g.now)
		p.Context.Notes = new(sl.fill(Pick(rng, noteTemplates)))
	}
}

// insertProspect stores a seeded prospect with its context.
func (g *seeder) insertProspect(p *seedProspect) error {
	pr := p.Prospect
	if p.Bio != nil || p.Image != nil {
		// Everyone but the deliberately bare profile has been seen in Inbox at some point.
		first := p.firstSeen
		if first.IsZero() {
			first = g.now.Add(-24 * time.Hour)
		}
		pr.FirstSeenAt = new(store.TruncMillis(first))
	}
	pr.Context.Tags = make([]string, 0, len(p.tags))
	for _, name := range p.tags {
		pr.Context.Tags = append(pr.Context.Tags, g.tags[name])
	}
	if p.status != "" {
		pr.Context.StatusID = new(g.statuses[p.status])
	}
	return store.InsertProspect(g.ctx, g.tx, g.teamID, pr)
}
