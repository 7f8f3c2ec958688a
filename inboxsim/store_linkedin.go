package inboxsim

import (
	"context"
	"strings"
	"time"
)

// liProfile is a LinkedIn profile being seeded or invented.
type liProfile struct {
	id, platformID, displayName, username, first, company string
	image, bio, location, website, domain                 *string
	followers                                             *int64
	firstSeen, updated                                    time.Time
	data                                                  map[string]any
	statusID, notes                                       *string
	valuation                                             *float64
	tags                                                  []string
}

func insertLinkedInProfile(ctx context.Context, q querier, teamID string, p liProfile) error {
	if _, err := q.ExecContext(ctx, `INSERT INTO li_profiles (id, team_id, platform_id, display_name, username, image,
		bio, location, website_url, website_domain, follower_count, first_seen_at, last_updated_at, platform_data,
		status_id, valuation, notes, tags) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		p.id, teamID, p.platformID, p.displayName, p.username, nullable(p.image), nullable(p.bio), nullable(p.location),
		nullable(p.website), nullable(p.domain), nullable(p.followers), ms(p.firstSeen), ms(p.updated),
		encodeJSON(p.data), nullable(p.statusID), nullable(p.valuation), nullable(p.notes), strings.Join(p.tags, ",")); err != nil {
		return err
	}
	for _, t := range p.tags {
		if _, err := q.ExecContext(ctx, `INSERT INTO li_profile_tags (prospect_id, tag_id) VALUES (?, ?)`, p.id, t); err != nil {
			return err
		}
	}
	return nil
}
