package store

import (
	"context"
	"database/sql"
	"errors"
)

// Team returns the team.
func (s *Store) Team(ctx context.Context, teamID string) (Team, error) {
	var t Team
	var image sql.NullString
	var created int64
	var updated sql.NullInt64
	var support int
	err := s.DB.QueryRowContext(ctx, `SELECT id, name, slug, image, created_at, updated_at, currency,
		allow_support_access FROM teams WHERE id = ?`, teamID).Scan(&t.ID, &t.Name, &t.Slug, &image,
		&created, &updated, &t.Currency, &support)
	if errors.Is(err, sql.ErrNoRows) {
		return t, notFound("team", teamID)
	}
	t.Image, t.CreatedAt, t.UpdatedAt, t.AllowSupportAccess = Strp(image), FromMillis(created), timep(updated), support != 0
	return t, err
}

// FirstTeamID returns the seeded team's ID, or "" in an empty store.
func (s *Store) FirstTeamID(ctx context.Context) (string, error) {
	var id string
	err := s.DB.QueryRowContext(ctx, `SELECT id FROM teams ORDER BY created_at, id LIMIT 1`).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return id, err
}

// Members returns the team's members, owner first.
func (s *Store) Members(ctx context.Context, teamID string) ([]Member, error) {
	return s.queryMembers(ctx, `WHERE team_id = ? ORDER BY rank`, teamID)
}

// Member returns one member.
func (s *Store) Member(ctx context.Context, teamID, id string) (Member, error) {
	members, err := s.queryMembers(ctx, `WHERE team_id = ? AND id = ?`, teamID, id)
	if err != nil {
		return Member{}, err
	}
	if len(members) == 0 {
		return Member{}, notFound("member", id)
	}
	return members[0], nil
}

// ownerUserID is the user ID recorded on messages sent through the API: a token is created
// by a user of the team, and the owner stands in for that user.
func (s *Store) ownerUserID(ctx context.Context, q Querier, teamID string) (*string, error) {
	var id string
	err := q.QueryRowContext(ctx, `SELECT user_id FROM members WHERE team_id = ? ORDER BY rank LIMIT 1`, teamID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return &id, err
}

func (s *Store) queryMembers(ctx context.Context, where string, args ...any) ([]Member, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT id, user_id, name, email, image, role, created_at,
		updated_at FROM members `+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Member{}
	for rows.Next() {
		var m Member
		var name, image sql.NullString
		var created int64
		var updated sql.NullInt64
		if err := rows.Scan(&m.ID, &m.UserID, &name, &m.Email, &image, &m.Role, &created, &updated); err != nil {
			return nil, err
		}
		m.Name, m.Image, m.CreatedAt, m.UpdatedAt = Strp(name), Strp(image), FromMillis(created), timep(updated)
		out = append(out, m)
	}
	return out, rows.Err()
}

// AccountLinks returns the team's connected X accounts.
func (s *Store) AccountLinks(ctx context.Context, teamID string) ([]AccountLink, error) {
	return s.queryLinks(ctx, s.DB, `WHERE team_id = ? ORDER BY rank`, teamID)
}

func (s *Store) queryLinks(ctx context.Context, q Querier, where string, args ...any) ([]AccountLink, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, platform_id, name, username, image, created_at,
		status, synced_at FROM account_links `+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []AccountLink{}
	for rows.Next() {
		var l AccountLink
		var created int64
		var synced sql.NullInt64
		if err := rows.Scan(&l.ID, &l.PlatformID, &l.Name, &l.Username, &l.Image, &created, &l.Status, &synced); err != nil {
			return nil, err
		}
		l.CreatedAt, l.SyncedAt = FromMillis(created), timep(synced)
		out = append(out, l)
	}
	return out, rows.Err()
}

// CampaignIDs returns the IDs of the team's campaigns, oldest first. v1 has no campaign
// endpoints; the IDs appear on campaign messages and are what filters[campaigns] matches.
func (s *Store) CampaignIDs(ctx context.Context, teamID string) ([]string, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT id FROM campaigns WHERE team_id = ? ORDER BY created_at, id`, teamID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}
