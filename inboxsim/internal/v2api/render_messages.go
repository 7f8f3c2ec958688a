package v2api

import (
	"fmt"
	"hash/fnv"
	"math"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/httpx"
	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/store"
)

// attachmentURLLifetime is how long a media URL the API hands out stays valid.
const attachmentURLLifetime = time.Hour

// messages renders messages with the expansions asked for (sentBy, reactions.author, thread,
// accountLink, replyTo.message).
func (r *v2Renderer) messages(msgs []store.V2MessageRow, expand []string) ([]MessageJSON, error) {
	if err := r.directory(); err != nil {
		return nil, err
	}
	var threadIDs []string
	for _, m := range msgs {
		threadIDs = append(threadIDs, m.ThreadID)
	}
	threads, err := r.s.V2ThreadsByIDs(r.ctx, r.q, r.team, store.UniqueStrings(threadIDs))
	if err != nil {
		return nil, err
	}
	var profileIDs, primaries []string
	for _, t := range threads {
		profileIDs, primaries = append(profileIDs, t.ProfileID), append(primaries, t.Primary)
	}
	profiles, err := r.s.V2Profiles(r.ctx, r.q, r.team, profileIDs)
	if err != nil {
		return nil, err
	}
	contacts := map[string]ContactJSON{}
	if slices.Contains(expand, "reactions.author") {
		cs, err := r.s.V2Contacts(r.ctx, r.q, r.team, primaries)
		if err != nil {
			return nil, err
		}
		for _, c := range cs {
			rendered, err := r.contacts([]*store.V2ContactRow{c}, nil)
			if err != nil {
				return nil, err
			}
			contacts[c.Primary] = rendered[0]
		}
	}
	renderedThreads := map[string]ThreadJSON{}
	if slices.Contains(expand, "thread") {
		var rows []store.V2ThreadRow
		for _, t := range threads {
			rows = append(rows, t)
		}
		out, err := r.threads(rows, nil)
		if err != nil {
			return nil, err
		}
		for _, t := range out {
			renderedThreads[t.ID] = t
		}
	}
	replies := map[string]MessageJSON{}
	if slices.Contains(expand, "replyTo.message") {
		bySrc := map[*store.V2Src][]string{}
		for _, m := range msgs {
			if m.ReplyToID != nil {
				bySrc[m.Src] = append(bySrc[m.Src], *m.ReplyToID)
			}
		}
		for src, ids := range bySrc {
			rows, err := r.s.V2MessagesByIDs(r.ctx, r.q, src, store.UniqueStrings(ids))
			if err != nil {
				return nil, err
			}
			var list []store.V2MessageRow
			for _, m := range rows {
				list = append(list, m)
			}
			out, err := r.messages(list, nil)
			if err != nil {
				return nil, err
			}
			for _, m := range out {
				replies[m.ID] = m
			}
		}
	}
	out := make([]MessageJSON, len(msgs))
	for i, m := range msgs {
		t := threads[m.ThreadID]
		o := r.message(m, t, profiles[t.ProfileID], expand, contacts[t.Primary])
		if th, ok := renderedThreads[m.ThreadID]; ok {
			o.Thread = &th
		}
		if slices.Contains(expand, "accountLink") {
			o.AccountLink = r.link(t.AccountLinkID)
		}
		if o.ReplyTo != nil && o.ReplyTo.MessageID != nil {
			if rm, ok := replies[*o.ReplyTo.MessageID]; ok {
				o.ReplyTo.Message = &rm
			}
		}
		out[i] = o
	}
	return out, nil
}

// message renders one message of thread t, whose profile is p.
func (r *v2Renderer) message(m store.V2MessageRow, t store.V2ThreadRow, p *store.V2ProfileRow, expand []string, contact ContactJSON) MessageJSON {
	link := r.links[t.AccountLinkID]
	o := MessageJSON{ID: m.ID, ThreadID: m.ThreadID, AccountLinkID: t.AccountLinkID, Platform: m.Src.Platform,
		PlatformID: m.PlatformID, Direction: direction(m.Inbound), SentBy: r.sentBy(m, slices.Contains(expand, "sentBy")),
		Content: m.Content, Entities: ExtractEntities(m.Content, m.Src), Attachments: r.attachments(m.Attachments),
		Reactions: make([]v2ReactionJSON, len(m.Reactions)), EditedAt: httpx.FormatTimePtr(m.EditedAt), DeletedAt: httpx.FormatTimePtr(m.DeletedAt),
		CreatedAt: httpx.FormatTime(m.CreatedAt), PlatformData: map[string]any{"_tag": m.Src.Platform}}
	if m.Src == store.SrcX {
		o.PlatformData = map[string]any{"_tag": store.PlatformTwitter, "encrypted": m.Encrypted != nil && *m.Encrypted}
	}
	withAuthors := slices.Contains(expand, "reactions.author")
	for i, rx := range m.Reactions {
		o.Reactions[i] = v2ReactionJSON{Emoji: rx.Emoji, CreatedAt: new(httpx.FormatTime(store.TruncMillis(rx.CreatedAt))),
			Author: r.reactionAuthor(rx.SenderPlatformID, link, t, p, withAuthors, contact)}
	}
	if m.ReplyToID != nil {
		rt := &v2ReplyToJSON{MessageID: m.ReplyToID, PlatformID: m.ReplyPlatformID}
		if m.ReplyContent != nil {
			rt.Content = *m.ReplyContent
		}
		switch {
		case m.ReplyAuthor != nil && p != nil && *m.ReplyAuthor == p.ID:
			rt.AuthorName = &p.DisplayName
		case m.ReplyAuthor != nil && *m.ReplyAuthor == link.ID:
			rt.AuthorName = &link.Name
		}
		o.ReplyTo = rt
	}
	return o
}

// sentBy says who on the team sent an outbound message: a campaign, an API token, or the
// member who wrote it in Inboxapp; null for inbound messages and for messages sent from the
// platform's own app.
func (r *v2Renderer) sentBy(m store.V2MessageRow, expand bool) any {
	switch {
	case m.Inbound:
		return nil
	case m.Campaign != nil:
		return v2SentByCampaign{Type: "campaign", CampaignID: *m.Campaign}
	case m.Origin != nil && *m.Origin == store.OriginAPI:
		out := v2SentByAPI{Type: "api", TokenID: m.TokenID}
		if m.TokenID != nil {
			if name, ok := r.tokens[*m.TokenID]; ok {
				out.Token = &v2TokenRef{ID: *m.TokenID, Name: name}
			}
		}
		return out
	case m.Origin != nil && *m.Origin == store.OriginExternal, m.UserID == nil:
		return nil
	}
	id, ok := r.byUser[*m.UserID]
	if !ok {
		return nil
	}
	out := v2SentByMember{Type: "member", MemberID: id}
	if expand {
		out.Member = r.member(&id)
	}
	return out
}

func (r *v2Renderer) reactionAuthor(sender string, link store.V2LinkRow, t store.V2ThreadRow, p *store.V2ProfileRow, expand bool, contact ContactJSON) any {
	switch {
	case sender == link.PlatformID:
		a := v2AuthorLink{Type: "accountLink", AccountLinkID: link.ID}
		if expand {
			a.AccountLink = r.link(link.ID)
		}
		return a
	case p != nil && sender == p.PlatformID:
		cid := store.ContactIDOf(t.Primary)
		a := v2AuthorProfile{Type: "profile", ProfileID: p.ID, ContactID: &cid}
		if expand {
			pj := toV2Profile(p)
			a.Profile, a.Contact = &pj, &contact
		}
		return a
	}
	return v2AuthorUnknown{Type: "unknown", PlatformID: sender}
}

// attachments renders media with a fresh URL (valid for an hour) once ready, and link cards.
func (r *v2Renderer) attachments(as []store.V2AttachmentRow) []any {
	out := make([]any, len(as))
	for i, a := range as {
		out[i] = r.attachment(a)
	}
	return out
}

func (r *v2Renderer) attachment(a store.V2AttachmentRow) any {
	if a.Kind == "card" {
		return v2CardJSON{Index: a.Index, Kind: a.Kind, URL: a.URL, Title: a.Title, Description: a.Description, Domain: a.Domain}
	}
	o := v2MediaJSON{Index: a.Index, Kind: a.Kind, Filename: a.Filename, ContentType: a.ContentType,
		SizeBytes: a.SizeBytes, Width: a.Width, Height: a.Height, DurationSeconds: a.DurationSeconds, Status: a.Status}
	if a.Width != nil && a.Height != nil && *a.Height > 0 {
		o.AspectRatio = new(math.Round(float64(*a.Width)/float64(*a.Height)*1000) / 1000)
	}
	if a.Status == "ready" {
		exp := r.now.Add(attachmentURLLifetime).Truncate(time.Second)
		u := signedURL(a.URL, exp)
		o.URL, o.ExpiresAt = &u, new(httpx.FormatTime(exp))
		if a.Kind == "video" {
			o.Poster = &v2PosterJSON{URL: signedURL(a.URL+".poster.jpg", exp), ExpiresAt: new(httpx.FormatTime(exp)), Width: a.Width, Height: a.Height}
		}
	}
	return o
}

// signedURL is a media URL that stops working at exp, like a CDN's signed URL.
func signedURL(u string, exp time.Time) string {
	h := fnv.New64a()
	fmt.Fprintf(h, "%s|%d", u, exp.Unix())
	return fmt.Sprintf("%s?expires=%d&signature=%016x", u, exp.Unix(), h.Sum64())
}

var (
	entityMention = regexp.MustCompile(`(?:^|[^\w@])@(\w{1,15})\b`)
	entityHashtag = regexp.MustCompile(`(?:^|[^\w&#])#(\w*[A-Za-z_]\w*)`)
	entityCashtag = regexp.MustCompile(`(?:^|[^\w$])\$([A-Za-z]{1,6})\b`)
)

// ExtractEntities finds the parts of a message the platform marks up: links everywhere,
// mentions, hashtags and cashtags on X. Offsets count Unicode code points, as documented.
func ExtractEntities(content string, src *store.V2Src) EntitiesJSON {
	e := EntitiesJSON{URLs: []URLJSON{}, PostShares: []struct{}{}, Mentions: []MentionJSON{},
		Hashtags: []HashtagJSON{}, Cashtags: []CashtagJSON{}, Format: []struct{}{}}
	cp := func(byteOff int) int { return utf8.RuneCountInString(content[:byteOff]) }
	span := func(start, end int) *Indices { return &Indices{Start: cp(start), End: cp(end)} }
	// The regular expressions are slow next to a scan; most messages have none of the marks.
	if strings.Contains(content, "http") {
		for _, m := range store.LinkPattern.FindAllStringIndex(content, -1) {
			u := content[m[0]:m[1]]
			display := strings.TrimPrefix(strings.TrimPrefix(u, "https://"), "http://")
			e.URLs = append(e.URLs, URLJSON{URL: u, DisplayURL: display, Indices: span(m[0], m[1])})
		}
	}
	if src != store.SrcX || !strings.ContainsAny(content, "@#$") {
		return e
	}
	for _, m := range entityMention.FindAllStringSubmatchIndex(content, -1) {
		e.Mentions = append(e.Mentions, MentionJSON{Username: content[m[2]:m[3]], Indices: span(m[2]-1, m[3])})
	}
	for _, m := range entityHashtag.FindAllStringSubmatchIndex(content, -1) {
		e.Hashtags = append(e.Hashtags, HashtagJSON{Tag: content[m[2]:m[3]], Indices: span(m[2]-1, m[3])})
	}
	for _, m := range entityCashtag.FindAllStringSubmatchIndex(content, -1) {
		e.Cashtags = append(e.Cashtags, CashtagJSON{Symbol: content[m[2]:m[3]], Indices: span(m[2]-1, m[3])})
	}
	return e
}
