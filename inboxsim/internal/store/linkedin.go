package store

import (
	"context"
	"strings"
	"time"
)

// LinkedInProfile is a LinkedIn profile being seeded or invented.
type LinkedInProfile struct {
	ID, PlatformID, DisplayName, Username, First, Company string
	Image, Bio, Location, Website, Domain                 *string
	Followers                                             *int64
	FirstSeen, Updated                                    time.Time
	Data                                                  map[string]any
	StatusID, Notes                                       *string
	Valuation                                             *float64
	Tags                                                  []string
}

// InsertLinkedInProfile stores a LinkedIn profile and its tags.
func InsertLinkedInProfile(ctx context.Context, q Querier, teamID string, p LinkedInProfile) error {
	if _, err := q.ExecContext(ctx, `INSERT INTO li_profiles (id, team_id, platform_id, display_name, username, image,
		bio, location, website_url, website_domain, follower_count, first_seen_at, last_updated_at, platform_data,
		status_id, valuation, notes, tags) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		p.ID, teamID, p.PlatformID, p.DisplayName, p.Username, Nullable(p.Image), Nullable(p.Bio), Nullable(p.Location),
		Nullable(p.Website), Nullable(p.Domain), Nullable(p.Followers), Millis(p.FirstSeen), Millis(p.Updated),
		EncodeJSON(p.Data), Nullable(p.StatusID), Nullable(p.Valuation), Nullable(p.Notes), strings.Join(p.Tags, ",")); err != nil {
		return err
	}
	for _, t := range p.Tags {
		if _, err := q.ExecContext(ctx, `INSERT INTO li_profile_tags (prospect_id, tag_id) VALUES (?, ?)`, p.ID, t); err != nil {
			return err
		}
	}
	return nil
}
