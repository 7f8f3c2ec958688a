package store

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
)

// Prospect returns a prospect with its context, including its live threads on every account
// link. The ID is the prospect's Inbox ID (externalId).
func (s *Store) Prospect(ctx context.Context, teamID, id string) (Prospect, error) {
	return s.loadProspect(ctx, s.DB, teamID, id, true)
}

// LookupProspect finds a prospect by X user ID; nil when Inbox does not know it.
func (s *Store) LookupProspect(ctx context.Context, teamID, platformID string) (*Prospect, error) {
	var id string
	err := s.DB.QueryRowContext(ctx, `SELECT id FROM prospects WHERE team_id = ? AND platform_id = ?`, teamID, platformID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	p, err := s.loadProspect(ctx, s.DB, teamID, id, true)
	return &p, err
}

func (s *Store) loadProspect(ctx context.Context, q Querier, teamID, id string, withThreads bool) (Prospect, error) {
	var cs contextScan
	err := s.queryRow(ctx, q, `SELECT `+contextCols+` FROM prospects p WHERE p.id = ? AND p.team_id = ?`, id, teamID).Scan(cs.dests()...)
	if errors.Is(err, sql.ErrNoRows) {
		return Prospect{}, notFound("prospect", id)
	}
	if err != nil {
		return Prospect{}, err
	}
	p := Prospect{ExternalID: cs.id, Context: cs.context()}
	if err := s.withProfiles(ctx, q, []*Prospect{&p}); err != nil {
		return p, err
	}
	if !withThreads {
		return p, nil
	}
	rows, err := q.QueryContext(ctx, `SELECT id, account_link_id, last_message_at, created_at FROM threads
		WHERE prospect_id = ? AND deleted_at IS NULL ORDER BY created_at, id`, id)
	if err != nil {
		return p, err
	}
	defer rows.Close()
	p.Context.Threads = []ProspectThread{}
	for rows.Next() {
		var t ProspectThread
		var last sql.NullInt64
		var created int64
		if err := rows.Scan(&t.ID, &t.AccountLinkID, &last, &created); err != nil {
			return p, err
		}
		t.LastMessageAt, t.CreatedAt = timep(last), FromMillis(created)
		p.Context.Threads = append(p.Context.Threads, t)
	}
	return p, rows.Err()
}

// InsertProspect stores a new prospect with its context (tags in the given order).
func InsertProspect(ctx context.Context, q Querier, teamID string, p Prospect) error {
	_, err := q.ExecContext(ctx, `INSERT INTO prospects (id, team_id, platform_id, document_id,
		display_name, username, image, image_normalized, bio, location, website_url, website_domain,
		verified, profile_type, is_protected, follower_count, following_count, post_count,
		engagement_count, listed_count, platform_created_at, first_seen_at, last_updated_at,
		last_enriched_at, last_active_at, source, confidence, professional_category, banner_url,
		url_entities, status_id, valuation, notes, tags)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		p.ExternalID, teamID, p.PlatformID, Nullable(p.DocumentID), p.DisplayName, p.Username,
		Nullable(p.Image), Nullable(p.ImageNormalized), Nullable(p.Bio), Nullable(p.Location),
		Nullable(p.WebsiteURL), Nullable(p.WebsiteDomain), p.Verified, p.ProfileType,
		BoolInt(p.IsProtected), p.FollowerCount, p.FollowingCount, p.PostCount,
		Nullable(p.EngagementCount), Nullable(p.ListedCount), NullTime(p.PlatformCreatedAt),
		NullTime(p.FirstSeenAt), Millis(p.LastUpdatedAt), NullTime(p.LastEnrichedAt),
		NullTime(p.LastActiveAt), p.Source, p.Confidence, Nullable(p.ProfessionalCategory),
		Nullable(p.BannerURL), EncodeJSON(urlEntitiesOrEmpty(p.URLEntities)),
		Nullable(p.Context.StatusID), Nullable(p.Context.Valuation), Nullable(p.Context.Notes),
		strings.Join(p.Context.Tags, ","))
	if err != nil {
		return err
	}
	for _, tag := range p.Context.Tags {
		if _, err := q.ExecContext(ctx, `INSERT INTO prospect_tags (prospect_id, tag_id) VALUES (?, ?)`, p.ExternalID, tag); err != nil {
			return err
		}
	}
	return nil
}

func urlEntitiesOrEmpty(e []URLEntity) []URLEntity {
	if e == nil {
		return []URLEntity{}
	}
	return e
}

func sameString(a, b *string) bool {
	return (a == nil && b == nil) || (a != nil && b != nil && *a == *b)
}

func sameFloat(a, b *float64) bool {
	return (a == nil && b == nil) || (a != nil && b != nil && *a == *b)
}

// UpdateProspectContext changes a prospect's notes, valuation, status, tags, assignee and/or
// done flag. Every referenced tag, status and member must exist (404 otherwise) and nothing
// changes unless all do. Adding a tag the prospect has, or removing one it lacks, is a no-op.
// The assignee and done flag apply to all the prospect's live threads. Each real change emits
// its event (prospect.*Changed, thread.assigned/unassigned, thread.archived/unarchived).
func (s *Store) UpdateProspectContext(ctx context.Context, teamID, id string, u ContextUpdate) (Prospect, error) {
	var p Prospect
	err := s.Write(ctx, func(tx *sql.Tx) error {
		cur, err := s.loadProspect(ctx, tx, teamID, id, false)
		if err != nil {
			return err
		}
		for _, tag := range append(slices.Clone(u.AddTags), u.RemoveTags...) {
			if err := s.labelExists(ctx, tx, "tags", "tag", teamID, tag); err != nil {
				return err
			}
		}
		if u.SetStatus && u.StatusID != nil {
			if err := s.labelExists(ctx, tx, "statuses", "status", teamID, *u.StatusID); err != nil {
				return err
			}
		}
		if u.SetAssignee && u.AssigneeID != nil {
			if err := s.memberExists(ctx, tx, teamID, *u.AssigneeID); err != nil {
				return err
			}
		}
		var events []string
		if u.SetNotes && !sameString(cur.Context.Notes, u.Notes) {
			if _, err := tx.ExecContext(ctx, `UPDATE prospects SET notes = ? WHERE id = ?`, Nullable(u.Notes), id); err != nil {
				return err
			}
			events = append(events, "prospect.notesChanged")
		}
		if u.SetValuation && !sameFloat(cur.Context.Valuation, u.Valuation) {
			if _, err := tx.ExecContext(ctx, `UPDATE prospects SET valuation = ? WHERE id = ?`, Nullable(u.Valuation), id); err != nil {
				return err
			}
			events = append(events, "prospect.valuationChanged")
		}
		if u.SetStatus && !sameString(cur.Context.StatusID, u.StatusID) {
			if _, err := tx.ExecContext(ctx, `UPDATE prospects SET status_id = ? WHERE id = ?`, Nullable(u.StatusID), id); err != nil {
				return err
			}
			events = append(events, "prospect.statusChanged")
		}
		changed, err := s.changeTags(ctx, tx, id, cur.Context.Tags, u.AddTags, u.RemoveTags)
		if err != nil {
			return err
		}
		if changed {
			events = append(events, "prospect.tagsChanged")
		}
		if u.SetAssignee || u.Done != nil {
			if err := s.applyToThreads(ctx, tx, teamID, id, u); err != nil {
				return err
			}
		}
		if p, err = s.loadProspect(ctx, tx, teamID, id, true); err != nil {
			return err
		}
		snap := p
		snap.Context.Threads = nil
		for _, typ := range events {
			if err := s.appendEvent(ctx, tx, teamID, typ, EventData{Prospect: &snap}); err != nil {
				return err
			}
		}
		return nil
	})
	return p, err
}

// changeTags removes, then adds, tags; added tags go to the end in request order.
func (s *Store) changeTags(ctx context.Context, tx *sql.Tx, id string, have, add, remove []string) (bool, error) {
	tags := slices.Clone(have)
	for _, tag := range remove {
		if i := slices.Index(tags, tag); i >= 0 {
			tags = slices.Delete(tags, i, i+1)
			if _, err := tx.ExecContext(ctx, `DELETE FROM prospect_tags WHERE prospect_id = ? AND tag_id = ?`, id, tag); err != nil {
				return false, err
			}
		}
	}
	for _, tag := range add {
		if !slices.Contains(tags, tag) {
			tags = append(tags, tag)
			if _, err := tx.ExecContext(ctx, `INSERT INTO prospect_tags (prospect_id, tag_id) VALUES (?, ?)`, id, tag); err != nil {
				return false, err
			}
		}
	}
	if slices.Equal(tags, have) {
		return false, nil
	}
	_, err := tx.ExecContext(ctx, `UPDATE prospects SET tags = ? WHERE id = ?`, strings.Join(tags, ","), id)
	return true, err
}

func (s *Store) applyToThreads(ctx context.Context, tx *sql.Tx, teamID, prospectID string, u ContextUpdate) error {
	rows, err := tx.QueryContext(ctx, `SELECT id, done, assignee_id FROM threads WHERE prospect_id = ? AND deleted_at IS NULL ORDER BY created_at, id`, prospectID)
	if err != nil {
		return err
	}
	type row struct {
		id       string
		done     bool
		assignee *string
	}
	var threads []row
	for rows.Next() {
		var r row
		var done int
		var assignee sql.NullString
		if err := rows.Scan(&r.id, &done, &assignee); err != nil {
			rows.Close()
			return err
		}
		r.done, r.assignee = done != 0, Strp(assignee)
		threads = append(threads, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, t := range threads {
		if u.Done != nil {
			if err := s.setThreadDone(ctx, tx, teamID, t.id, t.done, *u.Done); err != nil {
				return err
			}
		}
		if u.SetAssignee {
			if err := s.setThreadAssignee(ctx, tx, teamID, t.id, t.assignee, u.AssigneeID); err != nil {
				return err
			}
		}
	}
	return nil
}
