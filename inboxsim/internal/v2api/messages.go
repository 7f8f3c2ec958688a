package v2api

import (
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/httpx"
	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/store"
)

// v2 handlers for messages (sending is in send.go).

var messageExpansions = []string{"sentBy", "reactions.author", "thread", "accountLink", "replyTo.message"}

func v2ListMessages(c *v2Call) (v2Result, error) {
	q, err := parseV2Query(c.r.URL.RawQuery, "order", "expand", "limit", "cursor")
	if err != nil {
		return v2Result{}, err
	}
	order, err := q.enum("order", []string{store.SortDesc, store.SortAsc}, store.SortDesc)
	if err != nil {
		return v2Result{}, err
	}
	expand, err := q.expand(messageExpansions)
	if err != nil {
		return v2Result{}, err
	}
	limit, err := q.limit()
	if err != nil {
		return v2Result{}, err
	}
	cur, err := q.cursor("messages")
	if err != nil {
		return v2Result{}, err
	}
	t, err := c.sim.store.V2Thread(c.ctx, c.sim.store.DB, c.team, c.param("threadId"))
	if err != nil {
		return v2Result{}, err
	}
	rows, more, err := c.sim.store.V2ListMessages(c.ctx, t.Src, t.ID, order == store.SortAsc, limit, cur.after())
	if err != nil {
		return v2Result{}, err
	}
	out, err := c.renderer(c.sim.store.DB).messages(rows, expand)
	if err != nil {
		return v2Result{}, err
	}
	page := v2Page{Data: out}
	if more {
		last := rows[len(rows)-1]
		page.NextCursor = q.keysetCursor("messages", last.CreatedAt, last.ID)
	}
	return ok200(page)
}

// messageJSON renders one message, freshly read.
func (c *v2Call) messageJSON(id string, expand []string) (MessageJSON, error) {
	m, err := c.sim.store.V2Message(c.ctx, c.sim.store.DB, c.team, id)
	if err != nil {
		return MessageJSON{}, err
	}
	out, err := c.renderer(c.sim.store.DB).messages([]store.V2MessageRow{m}, expand)
	if err != nil {
		return MessageJSON{}, err
	}
	return out[0], nil
}

func v2GetMessage(c *v2Call) (v2Result, error) {
	q, err := parseV2Query(c.r.URL.RawQuery, "expand")
	if err != nil {
		return v2Result{}, err
	}
	expand, err := q.expand(messageExpansions)
	if err != nil {
		return v2Result{}, err
	}
	out, err := c.messageJSON(c.param("messageId"), expand)
	if err != nil {
		return v2Result{}, err
	}
	return ok200(out)
}

// mutable is a message with the thread and account link a change of it depends on.
type mutable struct {
	m    store.V2MessageRow
	t    store.V2ThreadRow
	link store.V2LinkRow
}

// mutableMessage loads a message and checks that its account link may use capability on it
// in its thread, within the platform's time window for it.
func (c *v2Call) mutableMessage(capability string) (mutable, error) {
	var mu mutable
	var err error
	if mu.m, err = c.sim.store.V2Message(c.ctx, c.sim.store.DB, c.team, c.param("messageId")); err != nil {
		return mu, err
	}
	if mu.t, err = c.sim.store.V2Thread(c.ctx, c.sim.store.DB, c.team, mu.m.ThreadID); err != nil {
		return mu, err
	}
	if mu.link, err = c.sim.store.V2AccountLink(c.ctx, c.sim.store.DB, c.team, mu.t.AccountLinkID); err != nil {
		return mu, err
	}
	if mu.link.Status != store.LinkStatusActive {
		return mu, v2Errorf(http.StatusConflict, "accountLinkDisconnected", linkStateDetails{AccountLinkID: mu.link.ID, Status: mu.link.Status},
			"account link %q is %s; reconnect it in Inboxapp first", mu.link.ID, mu.link.Status)
	}
	if !mu.link.Can(capability) {
		return mu, v2CapabilityNotSupported(capability)
	}
	if slices.Contains(store.ThreadRestrictions(mu.t.Src.Platform, mu.t.Variant), capability) {
		return mu, v2ThreadRestricted(capability)
	}
	if mu.m.DeletedAt != nil {
		return mu, v2NotModifiable("message %s was deleted and can no longer be changed", mu.m.ID)
	}
	if secs, ok := store.PlatformSpecOf(mu.t.Src.Platform).MutationWindows[capability]; ok {
		closed := mu.m.CreatedAt.Add(time.Duration(secs) * time.Second)
		if c.sim.now().After(closed) {
			return mu, v2Errorf(http.StatusUnprocessableEntity, "mutationWindowClosed",
				map[string]any{"capability": capability, "closedAt": httpx.FormatTime(closed)},
				"%s is possible for %d minutes after a message is sent; message %s was sent at %s", capability, secs/60, mu.m.ID, httpx.FormatTime(mu.m.CreatedAt))
		}
	}
	return mu, nil
}

func v2EditMessage(c *v2Call) (v2Result, error) {
	if _, err := parseV2Query(c.r.URL.RawQuery); err != nil {
		return v2Result{}, err
	}
	b, err := v2Body(c, true, "content")
	if err != nil {
		return v2Result{}, err
	}
	content, err := b.Text("content", true)
	if err != nil {
		return v2Result{}, v2Invalid([]any{"content"}, "content is required: the new text of the message, at least one character")
	}
	mu, err := c.mutableMessage(store.CapEdit)
	if err != nil {
		return v2Result{}, err
	}
	if mu.m.Inbound {
		return v2Result{}, v2NotModifiable("message %s was written by the other side; only messages the account link sent can be edited", mu.m.ID)
	}
	if limit := store.PlatformSpecOf(mu.t.Src.Platform).Characters; limit != nil && utf8.RuneCountInString(content) > *limit {
		detail := "the new text is longer than the platform allows (" + strconv.Itoa(*limit) + " characters)"
		return v2Result{}, v2Errorf(http.StatusUnprocessableEntity, "contentRejected", map[string]string{"detail": detail}, "%s", detail)
	}
	if _, err := c.sim.store.EditMessage(c.ctx, c.team, mu.t.ID, mu.m.ID, content); err != nil {
		return v2Result{}, err
	}
	out, err := c.messageJSON(mu.m.ID, nil)
	if err != nil {
		return v2Result{}, err
	}
	return ok200(out)
}

func v2UnsendMessage(c *v2Call) (v2Result, error) {
	q, err := parseV2Query(c.r.URL.RawQuery, "scope")
	if err != nil {
		return v2Result{}, err
	}
	scope, ok, err := q.one("scope")
	if err != nil {
		return v2Result{}, err
	}
	if !ok || (scope != store.DeletionForSelf && scope != store.DeletionForAll) {
		return v2Result{}, v2Invalid([]any{"scope"}, "scope is required: self deletes the message for the account link only, all unsends it for everyone")
	}
	capability := store.CapDeleteSelf
	if scope == store.DeletionForAll {
		capability = store.CapUnsend
	}
	mu, err := c.mutableMessage(capability)
	if err != nil {
		return v2Result{}, err
	}
	if scope == store.DeletionForAll && mu.m.Inbound {
		return v2Result{}, v2NotModifiable("message %s was written by the other side; it can only be deleted for the account link (scope=self)", mu.m.ID)
	}
	m, err := c.sim.store.DeleteMessage(c.ctx, c.team, mu.t.ID, mu.m.ID, scope == store.DeletionForAll)
	if err != nil {
		return v2Result{}, err
	}
	return ok200(map[string]string{"messageId": m.ID, "scope": scope, "deletedAt": httpx.FormatTime(*m.DeletedAt)})
}

// editOrigin maps the store's origins to the document's: the app, the API or the platform.
func editOrigin(o *string) *string {
	if o == nil {
		return nil
	}
	switch *o {
	case store.OriginAPI:
		return new("api")
	case store.OriginExternal:
		return new("platform")
	}
	return new("inbox")
}

func v2MessageHistory(c *v2Call) (v2Result, error) {
	if _, err := parseV2Query(c.r.URL.RawQuery); err != nil {
		return v2Result{}, err
	}
	m, err := c.sim.store.V2Message(c.ctx, c.sim.store.DB, c.team, c.param("messageId"))
	if err != nil {
		return v2Result{}, err
	}
	versions, err := c.sim.store.V2History(c.ctx, m)
	if err != nil {
		return v2Result{}, err
	}
	out := v2HistoryJSON{Versions: make([]v2HistoryVersionJSON, len(versions)), Times: "platform"}
	for i, v := range versions {
		out.Versions[i] = v2HistoryVersionJSON{Content: v.Content, CreatedAt: httpx.FormatTime(v.CreatedAt), Origin: editOrigin(v.EditOrigin)}
	}
	if m.DeletedAt != nil {
		scope := store.DeletionForAll
		if m.DeletionType != nil {
			scope = *m.DeletionType
		}
		out.Deletion = &v2DeletionJSON{DeletedAt: httpx.FormatTime(*m.DeletedAt), Scope: scope, Origin: editOrigin(m.DeletionOrigin)}
	}
	return ok200(out)
}

// emojiPattern is the document's "exactly one emoji" pattern in RE2 terms: a flag, a keycap,
// a subdivision flag, or a pictograph with an optional skin tone, joined into a sequence by
// zero-width joiners. Extended_Pictographic is approximated by the emoji blocks.
var emojiPattern = func() *regexp.Regexp {
	ep := `[\x{00A9}\x{00AE}\x{203C}\x{2049}\x{2122}\x{2139}\x{2194}-\x{2199}\x{21A9}\x{21AA}\x{231A}\x{231B}\x{2328}\x{23CF}\x{23E9}-\x{23F3}\x{23F8}-\x{23FA}\x{24C2}\x{25AA}\x{25AB}\x{25B6}\x{25C0}\x{25FB}-\x{25FE}\x{2600}-\x{27BF}\x{2934}\x{2935}\x{2B05}-\x{2B07}\x{2B1B}\x{2B1C}\x{2B50}\x{2B55}\x{3030}\x{303D}\x{3297}\x{3299}\x{1F000}-\x{1FAFF}\x{1FC00}-\x{1FFFD}]`
	mod := `[\x{1F3FB}-\x{1F3FF}]`
	pict := ep + `\x{FE0F}?` + mod + `?`
	return regexp.MustCompile(`^(?:[\x{1F1E6}-\x{1F1FF}]{2}|[#*0-9]\x{FE0F}?\x{20E3}|\x{1F3F4}[\x{E0020}-\x{E007E}]+\x{E007F}|` +
		pict + `(?:\x{200D}` + pict + `)*)$`)
}()

func v2ReactionChange(c *v2Call, emoji string, add bool) (v2Result, error) {
	if !emojiPattern.MatchString(emoji) {
		return v2Result{}, v2Invalid([]any{"emoji"}, "emoji must be exactly one emoji, such as 👍, got %q", emoji)
	}
	mu, err := c.mutableMessage(store.CapReact)
	if err != nil {
		return v2Result{}, err
	}
	m, err := c.sim.store.React(c.ctx, c.team, mu.t.ID, mu.m.ID, emoji, add)
	if err != nil {
		return v2Result{}, err
	}
	if store.EncodeJSON(m.Reactions) != store.EncodeJSON(mu.m.Reactions) {
		if err := c.sim.store.BumpReactionVersion(c.ctx, m.ID); err != nil {
			return v2Result{}, err
		}
	}
	fresh, err := c.sim.store.V2Message(c.ctx, c.sim.store.DB, c.team, m.ID)
	if err != nil {
		return v2Result{}, err
	}
	out, err := c.renderer(c.sim.store.DB).messages([]store.V2MessageRow{fresh}, nil)
	if err != nil {
		return v2Result{}, err
	}
	return ok200(v2ReactionsJSON{Reactions: out[0].Reactions, Version: fresh.ReactionVersion})
}

func v2React(c *v2Call) (v2Result, error) {
	if _, err := parseV2Query(c.r.URL.RawQuery); err != nil {
		return v2Result{}, err
	}
	b, err := v2Body(c, true, "emoji")
	if err != nil {
		return v2Result{}, err
	}
	emoji, err := b.Text("emoji", true)
	if err != nil {
		return v2Result{}, v2Invalid([]any{"emoji"}, "emoji is required: exactly one emoji, such as 👍")
	}
	return v2ReactionChange(c, emoji, true)
}

func v2Unreact(c *v2Call) (v2Result, error) {
	q, err := parseV2Query(c.r.URL.RawQuery, "emoji")
	if err != nil {
		return v2Result{}, err
	}
	emoji, ok, err := q.one("emoji")
	if err != nil {
		return v2Result{}, err
	}
	if !ok {
		return v2Result{}, v2Invalid([]any{"emoji"}, "emoji is required: the reaction to remove, percent-encoded, such as ?emoji=%%F0%%9F%%91%%8D")
	}
	return v2ReactionChange(c, emoji, false)
}

func v2GetAttachment(c *v2Call) (v2Result, error) {
	if _, err := parseV2Query(c.r.URL.RawQuery); err != nil {
		return v2Result{}, err
	}
	m, err := c.sim.store.V2Message(c.ctx, c.sim.store.DB, c.team, c.param("messageId"))
	if err != nil {
		return v2Result{}, err
	}
	idx, _ := strconv.Atoi(c.param("index"))
	for _, a := range m.Attachments {
		if a.Index != idx {
			continue
		}
		if a.Kind == "card" {
			return v2Result{}, v2Invalid([]any{"index"}, "attachment %d of message %s is a link card, which has no media to fetch; its URL is in the message", idx, m.ID)
		}
		status := http.StatusOK
		if a.Status == "pending" || a.Status == "processing" {
			status = http.StatusAccepted
		}
		return v2Result{status: status, body: c.renderer(c.sim.store.DB).attachment(a)}, nil
	}
	return v2Result{}, v2Invalid([]any{"index"}, "message %s has %d attachments; there is none at index %d", m.ID, len(m.Attachments), idx)
}
