package v2api

import (
	"context"
	"database/sql"
	"fmt"
	"hash/fnv"
	"slices"
	"sort"
	"time"

	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/httpx"
	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/store"
)

// v2Renderer turns store rows into v2 wire objects, loading what expansions need in batches.
// It reads through q, so it also works inside a write transaction (a send renders the result
// it stores for its Idempotency-Key before committing).
type v2Renderer struct {
	ctx    context.Context
	s      *store.Store
	q      store.Querier
	team   string
	now    time.Time
	tokens map[string]string // token ID -> name

	members map[string]store.Member
	byUser  map[string]string // user ID -> member ID
	links   map[string]store.V2LinkRow
}

func (c *v2Call) renderer(q store.Querier) *v2Renderer {
	return &v2Renderer{ctx: c.ctx, s: c.sim.store, q: q, team: c.team, now: c.sim.now(), tokens: c.sim.tokenNames}
}

// directory loads the team's members and account links once.
func (r *v2Renderer) directory() error {
	if r.members != nil {
		return nil
	}
	r.members, r.byUser, r.links = map[string]store.Member{}, map[string]string{}, map[string]store.V2LinkRow{}
	rows, err := r.q.QueryContext(r.ctx, `SELECT id, user_id, name, email, image, role, created_at FROM members WHERE team_id = ?`, r.team)
	if err != nil {
		return err
	}
	for rows.Next() {
		var m store.Member
		var name, image sql.NullString
		var created int64
		if err := rows.Scan(&m.ID, &m.UserID, &name, &m.Email, &image, &m.Role, &created); err != nil {
			rows.Close()
			return err
		}
		m.Name, m.Image, m.CreatedAt = store.Strp(name), store.Strp(image), store.FromMillis(created)
		r.members[m.ID], r.byUser[m.UserID] = m, m.ID
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	links, err := r.s.V2AccountLinks(r.ctx, r.q, r.team)
	if err != nil {
		return err
	}
	for _, l := range links {
		r.links[l.ID] = l
	}
	return nil
}

func toV2Member(m store.Member) MemberJSON {
	return MemberJSON{ID: m.ID, Name: m.Name, Email: m.Email, ImageURL: m.Image, Role: m.Role, CreatedAt: httpx.FormatTime(m.CreatedAt)}
}

func (r *v2Renderer) member(id *string) *MemberJSON {
	if id == nil {
		return nil
	}
	m, ok := r.members[*id]
	if !ok {
		return nil
	}
	out := toV2Member(m)
	return &out
}

func toV2Link(l store.V2LinkRow) LinkJSON {
	var avatar *string
	if l.Image != "" {
		avatar = &l.Image
	}
	username, name := l.Username, l.Name
	return LinkJSON{ID: l.ID, Platform: l.Src.Platform, PlatformID: l.PlatformID, Username: &username,
		DisplayName: &name, AvatarURL: avatar, Status: l.Status, PauseReasons: []string{},
		Capabilities: l.Capabilities(), SyncedAt: httpx.FormatTimePtr(l.SyncedAt), CreatedAt: httpx.FormatTime(l.CreatedAt)}
}

func (r *v2Renderer) link(id string) *LinkJSON {
	l, ok := r.links[id]
	if !ok {
		return nil
	}
	out := toV2Link(l)
	return &out
}

func toV2Profile(p *store.V2ProfileRow) v2ProfileJSON {
	spec := store.PlatformSpecOf(p.Src.Platform)
	url := spec.ProfileURL + p.Username
	out := v2ProfileJSON{ID: p.ID, Platform: p.Src.Platform, PlatformID: p.PlatformID, Username: p.Username,
		Handle: spec.UsernamePrefix + p.Username, DisplayName: p.DisplayName, AvatarURL: p.Image, Bio: p.Bio,
		Location: p.Location, WebsiteURL: p.WebsiteURL, WebsiteDomain: p.WebsiteDomain,
		Verified: p.Verified != "none", IsOrganization: p.ProfileType == "business", IsProtected: p.IsProtected,
		FollowerCount: p.Followers, FollowingCount: p.Following, PostCount: p.Posts, EngagementCount: p.Engagement,
		ListedCount: p.Listed, AccountStatus: "active", PlatformCreatedAt: httpx.FormatTimePtr(p.PlatformCreatedAt),
		ProfileURL: &url, UpdatedAt: httpx.FormatTime(p.LastUpdatedAt)}
	if p.Src != store.SrcX {
		data := map[string]any{"_tag": p.Src.Platform}
		for k, v := range p.PlatformData {
			data[k] = v
		}
		out.PlatformData = data
		return out
	}
	badge := map[string]string{"verified": "blue", "business": "gold", "government": "gray"}[p.Verified]
	d := v2XProfileData{Tag: store.PlatformTwitter, ProfileType: p.ProfileType, ProfessionalCategory: p.ProfessionalCategory,
		URLEntities: make([]v2XURLEntity, len(p.URLEntities)), BannerURL: p.BannerURL}
	if badge != "" {
		d.Badge = &badge
	}
	for i, e := range p.URLEntities {
		d.URLEntities[i] = v2XURLEntity{URL: e.URL, ExpandedURL: e.ExpandedURL, DisplayURL: e.DisplayURL, Indices: [2]int{e.Start, e.End}}
	}
	out.PlatformData = d
	return out
}

// contacts renders contacts, with the expansions asked for (status, tags, assignee).
func (r *v2Renderer) contacts(cs []*store.V2ContactRow, expand []string) ([]ContactJSON, error) {
	out := make([]ContactJSON, len(cs))
	var tags map[string]store.Tag
	var statuses map[string]store.Status
	if slices.Contains(expand, "tags") {
		list, err := r.s.QueryTags(r.ctx, r.q, `WHERE team_id = ?`, r.team)
		if err != nil {
			return nil, err
		}
		tags = map[string]store.Tag{}
		for _, t := range list {
			tags[t.ID] = t
		}
	}
	if slices.Contains(expand, "status") {
		list, err := r.s.QueryStatuses(r.ctx, r.q, `WHERE team_id = ?`, r.team)
		if err != nil {
			return nil, err
		}
		statuses = map[string]store.Status{}
		for _, st := range list {
			statuses[st.ID] = st
		}
	}
	if slices.Contains(expand, "assignee") {
		if err := r.directory(); err != nil {
			return nil, err
		}
	}
	for i, c := range cs {
		p := c.PrimaryProfile()
		o := ContactJSON{ID: c.ID(), Profiles: make([]v2ProfileJSON, len(c.Profiles)), StatusID: p.StatusID,
			TagIDs: p.Tags, Notes: p.Notes, Valuation: p.Valuation, AssigneeID: c.AssigneeID,
			CreatedAt: httpx.FormatTime(c.CreatedAt), UpdatedAt: httpx.FormatTime(c.UpdatedAt)}
		if o.TagIDs == nil {
			o.TagIDs = []string{}
		}
		for j, prof := range c.Profiles {
			o.Profiles[j] = toV2Profile(prof)
		}
		if statuses != nil && p.StatusID != nil {
			if st, ok := statuses[*p.StatusID]; ok {
				sj := toV2Status(st)
				o.Status = &sj
			}
		}
		if tags != nil {
			list := []TagJSON{}
			for _, id := range o.TagIDs {
				if t, ok := tags[id]; ok {
					list = append(list, toV2Tag(t))
				}
			}
			o.Tags = &list
		}
		if slices.Contains(expand, "assignee") {
			o.Assignee = r.member(c.AssigneeID)
		}
		out[i] = o
	}
	return out, nil
}

func toV2Tag(t store.Tag) TagJSON { return TagJSON{ID: t.ID, Name: t.Name, Color: t.Color} }

func toV2Status(s store.Status) StatusJSON {
	return StatusJSON{ID: s.ID, Name: s.Name, Color: s.Color, CreatedAt: httpx.FormatTime(s.CreatedAt)}
}

// threads renders threads with the expansions asked for (profile, contact, accountLink,
// assignee).
func (r *v2Renderer) threads(rows []store.V2ThreadRow, expand []string) ([]ThreadJSON, error) {
	if err := r.directory(); err != nil {
		return nil, err
	}
	profiles := map[string]*store.V2ProfileRow{}
	var contacts map[string]ContactJSON
	if slices.Contains(expand, "contact") {
		primaries := make([]string, len(rows))
		for i, t := range rows {
			primaries[i] = t.Primary
		}
		cs, err := r.s.V2Contacts(r.ctx, r.q, r.team, primaries)
		if err != nil {
			return nil, err
		}
		list := make([]*store.V2ContactRow, 0, len(cs))
		for _, c := range cs {
			list = append(list, c)
			// A thread's profile is one of its contact's: no need to read it again.
			for _, p := range c.Profiles {
				profiles[p.ID] = p
			}
		}
		rendered, err := r.contacts(list, nil)
		if err != nil {
			return nil, err
		}
		contacts = map[string]ContactJSON{}
		for i, c := range list {
			contacts[c.Primary] = rendered[i]
		}
	}
	if slices.Contains(expand, "profile") {
		var missing []string
		for _, t := range rows {
			if profiles[t.ProfileID] == nil {
				missing = append(missing, t.ProfileID)
			}
		}
		more, err := r.s.V2Profiles(r.ctx, r.q, r.team, missing)
		if err != nil {
			return nil, err
		}
		for id, p := range more {
			profiles[id] = p
		}
	}
	out := make([]ThreadJSON, len(rows))
	for i, t := range rows {
		out[i] = r.thread(t)
		if p, ok := profiles[t.ProfileID]; ok && slices.Contains(expand, "profile") {
			pj := toV2Profile(p)
			out[i].Profile = &pj
		}
		if c, ok := contacts[t.Primary]; ok {
			out[i].Contact = &c
		}
		if slices.Contains(expand, "accountLink") {
			out[i].AccountLink = r.link(t.AccountLinkID)
		}
		if slices.Contains(expand, "assignee") {
			out[i].Assignee = r.member(t.Assignee())
		}
	}
	return out, nil
}

func direction(inbound bool) string {
	if inbound {
		return "inbound"
	}
	return "outbound"
}

// thread renders one thread without expansions; the directory must be loaded.
func (r *v2Renderer) thread(t store.V2ThreadRow) ThreadJSON {
	pid := t.PlatformID
	out := ThreadJSON{ID: t.ID, Platform: t.Src.Platform, PlatformID: &pid, AccountLinkID: t.AccountLinkID,
		ProfileID: t.ProfileID, ContactID: store.ContactIDOf(t.Primary), AssigneeID: t.Assignee(), IsRequest: t.IsRequest,
		AcceptanceState: "notRequired", Archived: t.Done, Unread: t.Unread,
		Restrictions: store.ThreadRestrictions(t.Src.Platform, t.Variant), Syncing: t.Syncing,
		TypingIndicators: store.TypingTeamDefault, CreatedAt: httpx.FormatTime(t.CreatedAt)}
	if t.Src == store.SrcLI && t.IsRequest {
		// A LinkedIn message request (InMail) is accepted before replying normally.
		out.AcceptanceState = "required"
	}
	if t.TypingEnabled != nil {
		out.TypingIndicators = store.TypingDisabled
		if *t.TypingEnabled {
			out.TypingIndicators = store.TypingEnabled
		}
	}
	if t.LastMessageID == nil || t.LastMessageAt == nil {
		return out
	}
	out.LastMessage = &v2LastMessageJSON{ID: *t.LastMessageID, Direction: direction(t.LastInbound), CreatedAt: httpx.FormatTime(*t.LastMessageAt)}
	out.Activity = &v2ActivityJSON{Preview: t.LastContent, Direction: direction(t.LastInbound), At: httpx.FormatTime(*t.LastMessageAt)}
	if t.LastDeleted {
		out.Activity.Preview = new("This message was deleted")
	}
	// A reaction on the last message, after it was sent, is the thread's latest activity.
	var latest *store.Reaction
	for i := range t.LastReactions {
		rx := &t.LastReactions[i]
		if rx.CreatedAt.After(*t.LastMessageAt) && (latest == nil || rx.CreatedAt.After(latest.CreatedAt)) {
			latest = rx
		}
	}
	if latest != nil {
		link := r.links[t.AccountLinkID]
		preview, dir := "Reacted "+latest.Emoji+" to your message", "inbound"
		if latest.SenderPlatformID == link.PlatformID {
			preview, dir = "You reacted with "+latest.Emoji, "outbound"
		}
		out.Activity = &v2ActivityJSON{Preview: &preview, Direction: dir, At: httpx.FormatTime(store.TruncMillis(latest.CreatedAt))}
	}
	return out
}

// TokenID is the ID under which the API reports a token, derived from the token so it is
// stable across restarts and never reveals it.
func TokenID(token string) string {
	h := fnv.New128a()
	h.Write([]byte("inbox-token:" + token))
	return fmt.Sprintf("tok%x", h.Sum(nil))[:24]
}

// tokenNamesFor names the accepted tokens for sentBy.token; demoToken is the simulator's
// demo token, named as such.
func tokenNamesFor(tokens map[string]string, demoToken string) map[string]string {
	var list []string
	for t := range tokens {
		list = append(list, t)
	}
	sort.Strings(list)
	out := map[string]string{}
	for i, t := range list {
		name := "API token"
		if t == demoToken {
			name = "Demo token"
		} else if len(list) > 1 {
			name = fmt.Sprintf("API token %d", i+1)
		}
		out[TokenID(t)] = name
	}
	return out
}
