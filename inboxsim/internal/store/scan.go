package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
)

// Column lists and row scanners shared by every query that returns threads, prospects or
// messages. Each scanner keeps its sql.Null* holders so a page of rows reuses them.

// profileCols are a prospect's X profile. No v1 operation changes a profile once stored, so
// the store caches profiles (see profileCache) and list queries read only contextCols.
const profileCols = `p.id, p.platform_id, p.document_id, p.display_name, p.username, p.image,
	p.image_normalized, p.bio, p.location, p.website_url, p.website_domain, p.verified,
	p.profile_type, p.is_protected, p.follower_count, p.following_count, p.post_count,
	p.engagement_count, p.listed_count, p.platform_created_at, p.first_seen_at,
	p.last_updated_at, p.last_enriched_at, p.last_active_at, p.source, p.confidence,
	p.professional_category, p.banner_url, p.url_entities`

// contextCols are the team's CRM state of a prospect, read fresh every time.
const contextCols = `p.id, p.status_id, p.valuation, p.notes, p.tags`

type profileScan struct {
	p                                                               Prospect
	docID, engagement, listed, created, firstSeen, enriched, active sql.NullInt64
	image, imageNorm, bio, location, website, domain, category      sql.NullString
	banner                                                          sql.NullString
	lastUpdated, protected                                          int64
	urlEntities                                                     string
}

func (s *profileScan) dests() []any {
	p := &s.p
	return []any{&p.ExternalID, &p.PlatformID, &s.docID, &p.DisplayName, &p.Username, &s.image,
		&s.imageNorm, &s.bio, &s.location, &s.website, &s.domain, &p.Verified,
		&p.ProfileType, &s.protected, &p.FollowerCount, &p.FollowingCount, &p.PostCount,
		&s.engagement, &s.listed, &s.created, &s.firstSeen,
		&s.lastUpdated, &s.enriched, &s.active, &p.Source, &p.Confidence,
		&s.category, &s.banner, &s.urlEntities}
}

func (s *profileScan) profile() Prospect {
	p := s.p
	p.DocumentID = int64p(s.docID)
	p.Image = Strp(s.image)
	p.ImageNormalized = Strp(s.imageNorm)
	p.Bio = Strp(s.bio)
	p.Location = Strp(s.location)
	p.WebsiteURL = Strp(s.website)
	p.WebsiteDomain = Strp(s.domain)
	p.IsProtected = s.protected != 0
	p.EngagementCount = int64p(s.engagement)
	p.ListedCount = int64p(s.listed)
	p.PlatformCreatedAt = timep(s.created)
	p.FirstSeenAt = timep(s.firstSeen)
	p.LastUpdatedAt = FromMillis(s.lastUpdated)
	p.LastEnrichedAt = timep(s.enriched)
	p.LastActiveAt = timep(s.active)
	p.ProfessionalCategory = Strp(s.category)
	p.BannerURL = Strp(s.banner)
	p.URLEntities = decodeURLEntities(s.urlEntities)
	return p
}

type contextScan struct {
	id              string
	statusID, notes sql.NullString
	valuation       sql.NullFloat64
	tags            string
}

func (s *contextScan) dests() []any {
	return []any{&s.id, &s.statusID, &s.valuation, &s.notes, &s.tags}
}

func (s *contextScan) context() ProspectContext {
	return ProspectContext{Tags: splitTags(s.tags), StatusID: Strp(s.statusID), Valuation: floatp(s.valuation), Notes: Strp(s.notes)}
}

// profileCache holds prospect profiles by ID. Entries are never invalidated because profiles
// are immutable once stored; a profile read inside a transaction that later rolls back stays
// cached but unreachable, since nothing committed refers to its (never reused) ID.
type profileCache struct {
	mu sync.RWMutex
	m  map[string]*Prospect
}

// withProfiles fills the profile part of each prospect from the cache, loading misses in one
// query. The prospects' ExternalID and Context must be set; Context is kept.
func (s *Store) withProfiles(ctx context.Context, q Querier, ps []*Prospect) error {
	var missing []any
	s.profiles.mu.RLock()
	for _, p := range ps {
		if _, ok := s.profiles.m[p.ExternalID]; !ok {
			missing = append(missing, p.ExternalID)
		}
	}
	s.profiles.mu.RUnlock()
	if len(missing) > 0 {
		rows, err := s.query(ctx, q, `SELECT `+profileCols+` FROM prospects p WHERE p.id IN (`+placeholders(len(missing))+`)`, missing...)
		if err != nil {
			return err
		}
		var sc profileScan
		loaded := map[string]*Prospect{}
		for rows.Next() {
			if err := rows.Scan(sc.dests()...); err != nil {
				rows.Close()
				return err
			}
			p := sc.profile()
			loaded[p.ExternalID] = &p
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		s.profiles.mu.Lock()
		for id, p := range loaded {
			s.profiles.m[id] = p
		}
		s.profiles.mu.Unlock()
	}
	s.profiles.mu.RLock()
	defer s.profiles.mu.RUnlock()
	for _, p := range ps {
		prof, ok := s.profiles.m[p.ExternalID]
		if !ok {
			return fmt.Errorf("prospect %s has no profile row", p.ExternalID)
		}
		c := p.Context
		*p = *prof
		p.Context = c
	}
	return nil
}

func splitTags(s string) []string {
	if s == "" {
		return []string{}
	}
	return strings.Split(s, ",")
}

func decodeURLEntities(s string) []URLEntity {
	if s == "" || s == "[]" {
		return []URLEntity{}
	}
	var out []URLEntity
	if err := json.Unmarshal([]byte(s), &out); err != nil {
		return []URLEntity{}
	}
	return out
}

// EncodeJSON encodes a value kept as JSON text in a column.
func EncodeJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		// Only the store's own plain types are encoded here; they always marshal.
		panic(err)
	}
	return string(b)
}

const threadCols = `t.id, t.platform_id, t.done, t.assignee_id, t.last_message_at, t.sort_at,
	t.created_at, t.status, t.variant, t.account_link_id, t.is_syncing, t.is_request,
	t.typing_enabled, t.campaign_id,
	t.last_message_id, t.lm_content, t.lm_author, t.lm_user, t.lm_campaign, ` + contextCols

const threadFrom = ` FROM threads t JOIN prospects p ON p.id = t.prospect_id`

type threadScan struct {
	t                                                 Thread
	cs                                                contextScan
	assignee, campaign, mID, mContent, mAuthor, mUser sql.NullString
	mCampaign                                         sql.NullString
	lastAt, typing                                    sql.NullInt64
	sortAt, createdAt, done, syncing, request         int64
	dst                                               []any
}

func newThreadScan() *threadScan {
	s := &threadScan{}
	t := &s.t
	s.dst = append([]any{&t.ID, &t.PlatformID, &s.done, &s.assignee, &s.lastAt, &s.sortAt,
		&s.createdAt, &t.Status, &t.Variant, &t.AccountLinkID, &s.syncing, &s.request,
		&s.typing, &s.campaign,
		&s.mID, &s.mContent, &s.mAuthor, &s.mUser, &s.mCampaign}, s.cs.dests()...)
	return s
}

func (s *threadScan) scan(rows interface{ Scan(...any) error }) (Thread, error) {
	if err := rows.Scan(s.dst...); err != nil {
		return Thread{}, err
	}
	t := s.t
	t.Done = s.done != 0
	t.AssigneeID = Strp(s.assignee)
	t.LastMessageAt = timep(s.lastAt)
	t.SortAt = FromMillis(s.sortAt)
	t.CreatedAt = FromMillis(s.createdAt)
	t.IsSyncing = s.syncing != 0
	t.IsRequest = s.request != 0
	t.TypingEnabled = boolp(s.typing)
	t.CampaignID = Strp(s.campaign)
	t.LastMessage = nil
	if s.mID.Valid {
		t.LastMessage = &MessagePreview{
			ID:         s.mID.String,
			Content:    s.mContent.String,
			AuthorID:   s.mAuthor.String,
			CreatedAt:  FromMillis(s.lastAt.Int64),
			UserID:     Strp(s.mUser),
			CampaignID: Strp(s.mCampaign),
		}
	}
	// The profile is filled in by withProfiles.
	t.Prospect = Prospect{ExternalID: s.cs.id, Context: s.cs.context()}
	return t, nil
}

const messageCols = `m.id, m.team_id, m.thread_id, m.user_id, m.created_at, m.updated_at,
	m.platform_id, m.content, m.campaign_id, m.author_id, m.origin, m.reply_to_id, m.reactions,
	m.is_encrypted, m.is_edited, m.deleted_at, m.platform_deleted_at, m.inbound,
	r.platform_id, r.content, r.author_id`

const messageFrom = ` FROM messages m LEFT JOIN messages r ON r.id = m.reply_to_id`

type messageScan struct {
	m                                            Message
	user, platformID, campaign, origin, replyTo  sql.NullString
	rPlatformID, rContent, rAuthor               sql.NullString
	updated, encrypted, deleted, platformDeleted sql.NullInt64
	created, edited, inbound                     int64
	reactions                                    string
	dst                                          []any
}

func newMessageScan() *messageScan {
	s := &messageScan{}
	m := &s.m
	s.dst = []any{&m.ID, &m.TeamID, &m.ThreadID, &s.user, &s.created, &s.updated,
		&s.platformID, &m.Content, &s.campaign, &m.AuthorID, &s.origin, &s.replyTo, &s.reactions,
		&s.encrypted, &s.edited, &s.deleted, &s.platformDeleted, &s.inbound,
		&s.rPlatformID, &s.rContent, &s.rAuthor}
	return s
}

func (s *messageScan) scan(rows interface{ Scan(...any) error }) (Message, error) {
	if err := rows.Scan(s.dst...); err != nil {
		return Message{}, err
	}
	m := s.m
	m.UserID = Strp(s.user)
	m.CreatedAt = FromMillis(s.created)
	m.UpdatedAt = timep(s.updated)
	m.PlatformID = Strp(s.platformID)
	m.CampaignID = Strp(s.campaign)
	m.Origin = Strp(s.origin)
	m.Reply = nil
	if s.replyTo.Valid {
		m.Reply = &ReplyRef{MessageID: s.replyTo.String, PlatformID: Strp(s.rPlatformID),
			Content: s.rContent.String, AuthorID: s.rAuthor.String}
	}
	m.Reactions = decodeReactions(s.reactions)
	m.IsEncrypted = boolp(s.encrypted)
	m.IsEdited = s.edited != 0
	m.DeletedAt = timep(s.deleted)
	m.PlatformDeletedAt = timep(s.platformDeleted)
	m.Inbound = s.inbound != 0
	return m, nil
}

func decodeReactions(s string) []Reaction {
	if s == "" || s == "[]" {
		return []Reaction{}
	}
	var out []Reaction
	if err := json.Unmarshal([]byte(s), &out); err != nil {
		return []Reaction{}
	}
	return out
}
