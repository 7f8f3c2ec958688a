package store

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
)

// V2ContactPatch is a change of a contact's CRM state; unset fields are left unchanged. Tags
// and statuses are IDs, already resolved from names.
type V2ContactPatch struct {
	SetStatus    bool
	StatusID     *string
	SetNotes     bool
	Notes        *string
	SetValuation bool
	Valuation    *float64
	SetAssignee  bool
	AssigneeID   *string
	AddTags      []string
	RemoveTags   []string
}

func (u V2ContactPatch) crm() bool {
	return u.SetStatus || u.SetNotes || u.SetValuation || len(u.AddTags) > 0 || len(u.RemoveTags) > 0
}

// V2UpdateContact changes a contact. The CRM state of a contact whose primary profile is an X
// prospect is the prospect's v1 context, changed through v1's UpdateProspectContext (so v1
// sees it and its event log records it); a LinkedIn contact's is changed here. The default
// assignee is v2's own.
func (s *Store) V2UpdateContact(ctx context.Context, teamID, primary string, src *V2Src, u V2ContactPatch) error {
	if u.SetAssignee && u.AssigneeID != nil {
		if err := s.memberExists(ctx, s.DB, teamID, *u.AssigneeID); err != nil {
			return invalidField([]any{"assigneeId"}, "assigneeId %q is not a member of the team; list members with GET /members", *u.AssigneeID)
		}
	}
	if src == SrcX && u.crm() {
		if _, err := s.UpdateProspectContext(ctx, teamID, primary, ContextUpdate{
			SetNotes: u.SetNotes, Notes: u.Notes, SetValuation: u.SetValuation, Valuation: u.Valuation,
			SetStatus: u.SetStatus, StatusID: u.StatusID, AddTags: u.AddTags, RemoveTags: u.RemoveTags,
		}); err != nil {
			return err
		}
	}
	return s.Write(ctx, func(tx *sql.Tx) error {
		if src == SrcLI && u.crm() {
			if err := s.liUpdateCRM(ctx, tx, teamID, primary, u); err != nil {
				return err
			}
		}
		var cur sql.NullString
		err := tx.QueryRowContext(ctx, `SELECT assignee_id FROM contacts_v2 WHERE primary_id = ?`, primary).Scan(&cur)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		assignee := Strp(cur)
		if u.SetAssignee {
			assignee = u.AssigneeID
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO contacts_v2 (primary_id, assignee_id, updated_at) VALUES (?, ?, ?)
			ON CONFLICT (primary_id) DO UPDATE SET assignee_id = excluded.assignee_id, updated_at = excluded.updated_at`,
			primary, Nullable(assignee), Millis(s.Clock())); err != nil {
			return err
		}
		if u.SetAssignee && !sameString(Strp(cur), u.AssigneeID) {
			return s.appendV2Event(ctx, tx, teamID, src.Platform, "contact.assigneeChanged",
				v2StoredEvent{ContactID: ContactIDOf(primary), AssigneeID: u.AssigneeID})
		}
		return nil
	})
}

// liUpdateCRM changes the CRM state kept on a LinkedIn profile row and records one event per
// field that changed, as v1 does for prospects.
func (s *Store) liUpdateCRM(ctx context.Context, tx *sql.Tx, teamID, id string, u V2ContactPatch) error {
	var status, notes sql.NullString
	var valuation sql.NullFloat64
	var tags string
	if err := tx.QueryRowContext(ctx, `SELECT status_id, notes, valuation, tags FROM li_profiles WHERE id = ?`, id).Scan(
		&status, &notes, &valuation, &tags); err != nil {
		return err
	}
	var events []string
	if u.SetNotes && !sameString(Strp(notes), u.Notes) {
		if _, err := tx.ExecContext(ctx, `UPDATE li_profiles SET notes = ? WHERE id = ?`, Nullable(u.Notes), id); err != nil {
			return err
		}
		events = append(events, "contact.notesChanged")
	}
	if u.SetValuation && !sameFloat(floatp(valuation), u.Valuation) {
		if _, err := tx.ExecContext(ctx, `UPDATE li_profiles SET valuation = ? WHERE id = ?`, Nullable(u.Valuation), id); err != nil {
			return err
		}
		events = append(events, "contact.valuationChanged")
	}
	if u.SetStatus && !sameString(Strp(status), u.StatusID) {
		if _, err := tx.ExecContext(ctx, `UPDATE li_profiles SET status_id = ? WHERE id = ?`, Nullable(u.StatusID), id); err != nil {
			return err
		}
		events = append(events, "contact.statusChanged")
	}
	have := splitTags(tags)
	next := slices.Clone(have)
	for _, t := range u.RemoveTags {
		if i := slices.Index(next, t); i >= 0 {
			next = slices.Delete(next, i, i+1)
			if _, err := tx.ExecContext(ctx, `DELETE FROM li_profile_tags WHERE prospect_id = ? AND tag_id = ?`, id, t); err != nil {
				return err
			}
		}
	}
	for _, t := range u.AddTags {
		if !slices.Contains(next, t) {
			next = append(next, t)
			if _, err := tx.ExecContext(ctx, `INSERT INTO li_profile_tags (prospect_id, tag_id) VALUES (?, ?)`, id, t); err != nil {
				return err
			}
		}
	}
	if !slices.Equal(next, have) {
		if _, err := tx.ExecContext(ctx, `UPDATE li_profiles SET tags = ? WHERE id = ?`, strings.Join(next, ","), id); err != nil {
			return err
		}
		events = append(events, "contact.tagsChanged")
	}
	if len(events) == 0 {
		return nil
	}
	if err := tx.QueryRowContext(ctx, `SELECT status_id, notes, valuation, tags FROM li_profiles WHERE id = ?`, id).Scan(
		&status, &notes, &valuation, &tags); err != nil {
		return err
	}
	snap := Prospect{ExternalID: id, Context: ProspectContext{Tags: splitTags(tags), StatusID: Strp(status), Valuation: floatp(valuation), Notes: Strp(notes)}}
	for _, typ := range events {
		if err := s.appendV2Event(ctx, tx, teamID, PlatformLinkedIn, typ, v2StoredEvent{EventData: EventData{Prospect: &snap}}); err != nil {
			return err
		}
	}
	return nil
}
