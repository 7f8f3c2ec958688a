package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
)

// V2Src is where one platform's account links, profiles, threads and messages live: the v1
// tables for X, the li_* tables (same column names) for LinkedIn. Every v2 query is written
// once and runs against each source with its table names.
type V2Src struct {
	Platform                                        string
	links, threads, messages, profiles, profileTags string
}

// The sources of the two platforms: X in the tables v1 shares, LinkedIn in its own.
var (
	SrcX = &V2Src{Platform: PlatformTwitter, links: "account_links", threads: "threads",
		messages: "messages", profiles: "prospects", profileTags: "prospect_tags"}
	SrcLI = &V2Src{Platform: PlatformLinkedIn, links: "li_account_links", threads: "li_threads",
		messages: "li_messages", profiles: "li_profiles", profileTags: "li_profile_tags"}
	v2Sources = []*V2Src{SrcX, SrcLI}
)

func sourceOf(platform string) *V2Src {
	for _, s := range v2Sources {
		if s.Platform == platform {
			return s
		}
	}
	return nil
}

// primaryExpr is the SQL for the primary profile (the contact) of thread t. X prospects are
// always their contact's primary profile; a LinkedIn profile may be linked to an X one.
func (src *V2Src) primaryExpr() string {
	if src == SrcX {
		return "t.prospect_id"
	}
	return "coalesce(cl.primary_id, t.prospect_id)"
}

// contactJoin joins contact_links as cl where the source needs it.
func (src *V2Src) contactJoin() string {
	if src == SrcX {
		return ""
	}
	return ` LEFT JOIN contact_links cl ON cl.profile_id = t.prospect_id`
}

// statusExpr is the SQL for the status of thread t's contact (p is the thread's profile).
func (src *V2Src) statusExpr() string {
	if src == SrcX {
		return "p.status_id"
	}
	return `CASE WHEN cl.primary_id IS NULL THEN p.status_id
		ELSE (SELECT xp.status_id FROM prospects xp WHERE xp.id = cl.primary_id) END`
}

// tagCondition is the SQL that thread t's contact has one of n tags, and how many times the
// tag arguments must be repeated.
func (src *V2Src) tagCondition(n int) (string, int) {
	in := ""
	if n > 0 {
		in = ` AND pt.tag_id IN (` + placeholders(n) + `)`
	}
	x := `EXISTS (SELECT 1 FROM prospect_tags pt WHERE pt.prospect_id = ` + src.primaryExpr() + in + `)`
	if src == SrcX {
		return x, 1
	}
	li := `EXISTS (SELECT 1 FROM li_profile_tags pt WHERE pt.prospect_id = t.prospect_id` + in + `)`
	return `(CASE WHEN cl.primary_id IS NULL THEN ` + li + ` ELSE ` + x + ` END)`, 2
}

// v2Resolved says where a message lives: its platform's tables and its thread.
type v2Resolved struct {
	src      *V2Src
	threadID string
}

// locateThread finds which source holds a live thread of the team.
func (s *Store) locateThread(ctx context.Context, q Querier, teamID, id string) (*V2Src, error) {
	for _, src := range v2Sources {
		ok, err := exists(ctx, q, `SELECT 1 FROM `+src.threads+` WHERE id = ? AND team_id = ? AND deleted_at IS NULL`, id, teamID)
		if err != nil {
			return nil, err
		}
		if ok {
			return src, nil
		}
	}
	return nil, notFoundV2("thread", id)
}

// locateMessage finds the source and live thread of a message of the team.
func (s *Store) locateMessage(ctx context.Context, q Querier, teamID, id string) (v2Resolved, error) {
	for _, src := range v2Sources {
		var thread string
		err := q.QueryRowContext(ctx, `SELECT m.thread_id FROM `+src.messages+` m JOIN `+src.threads+` t ON t.id = m.thread_id
			WHERE m.id = ? AND t.team_id = ? AND t.deleted_at IS NULL`, id, teamID).Scan(&thread)
		if err == nil {
			return v2Resolved{src: src, threadID: thread}, nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return v2Resolved{}, err
		}
	}
	return v2Resolved{}, notFoundV2("message", id)
}

// ContactIDOf turns a contact's primary profile ID into the contact's ID, and primaryOf turns
// it back. The mapping is a fixed bijection on lowercase IDs (reverse, then shift each
// character by an amount that depends on its position), so every v1 prospect has its contact
// without a stored row per contact, and a contact ID never equals a profile ID.
func ContactIDOf(primary string) string {
	b := []byte(primary)
	n := len(b)
	out := make([]byte, n)
	for i := range b {
		c := b[n-1-i]
		out[i] = idAlphabet[(strings.IndexByte(idAlphabet, c)+7+11*i)%len(idAlphabet)]
	}
	return string(out)
}

// PrimaryOf returns the ID of the primary profile a contact ID derives from.
func PrimaryOf(contactID string) string {
	n := len(contactID)
	out := make([]byte, n)
	for i := 0; i < n; i++ {
		k := strings.IndexByte(idAlphabet, contactID[i])
		if k < 0 {
			return ""
		}
		v := (k - 7 - 11*i) % len(idAlphabet)
		if v < 0 {
			v += len(idAlphabet)
		}
		out[n-1-i] = idAlphabet[v]
	}
	return string(out)
}

// profileSource finds the source of a profile of the team ("" for none).
func (s *Store) profileSource(ctx context.Context, q Querier, teamID, id string) (*V2Src, error) {
	for _, src := range v2Sources {
		ok, err := exists(ctx, q, `SELECT 1 FROM `+src.profiles+` WHERE id = ? AND team_id = ?`, id, teamID)
		if err != nil || ok {
			if ok {
				return src, nil
			}
			return nil, err
		}
	}
	return nil, nil
}

// ContactPrimary validates a contact ID and returns its primary profile and that profile's
// source: the ID must decode to a profile of the team that is no other contact's member.
func (s *Store) ContactPrimary(ctx context.Context, q Querier, teamID, contactID string) (string, *V2Src, error) {
	primary := PrimaryOf(contactID)
	if primary == "" {
		return "", nil, notFoundV2("contact", contactID)
	}
	src, err := s.profileSource(ctx, q, teamID, primary)
	if err != nil {
		return "", nil, err
	}
	if src == nil {
		return "", nil, notFoundV2("contact", contactID)
	}
	linked, err := exists(ctx, q, `SELECT 1 FROM contact_links WHERE profile_id = ?`, primary)
	if err != nil {
		return "", nil, err
	}
	if linked {
		return "", nil, notFoundV2("contact", contactID)
	}
	return primary, src, nil
}
