package v1api

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/httpx"
	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/store"
)

// v1 message handlers.

// MessagePage is the v1 JSON shape of a page of messages.
type MessagePage struct {
	TeamID     string    `json:"teamId"`
	ThreadID   string    `json:"threadId"`
	Messages   []Message `json:"messages"`
	NextCursor *Cursor   `json:"nextCursor"`
	IsSyncing  bool      `json:"isSyncing"`
}

func v1ListMessages(c *call) (any, error) {
	q, err := parseQuery(c.r.URL.RawQuery)
	if err != nil {
		return nil, err
	}
	limit, err := q.intRange("limit", 1, 100, 50)
	if err != nil {
		return nil, err
	}
	after, err := q.cursor()
	if err != nil {
		return nil, err
	}
	page, serr := c.sim.store.ListMessages(c.ctx, c.team, c.param("threadId"), int(limit), after)
	if serr != nil {
		return nil, serr
	}
	return MessagePageJSON(c.team, page), nil
}

func v1SendMessage(c *call) (any, error) {
	b, err := httpx.ReadBody(c.r, true)
	if err != nil {
		return nil, err
	}
	content, err := b.Content("content")
	if err != nil {
		return nil, err
	}
	replyTo, err := b.ID("replyToMessageId", false)
	if err != nil {
		return nil, err
	}
	m, err := c.sim.store.SendMessage(c.ctx, c.team, c.param("threadId"), content, replyTo)
	if err != nil {
		return nil, err
	}
	c.sim.reply(c.team, m)
	return ToMessage(m), nil
}

type v1QuickSendThread struct {
	ID         string  `json:"id"`
	PlatformID *string `json:"platformId"`
}

// QuickSendResult is the v1 JSON shape of a quick send's answer.
type QuickSendResult struct {
	Message Message           `json:"message"`
	Thread  v1QuickSendThread `json:"thread"`
}

func v1QuickSend(c *call) (any, error) {
	b, err := httpx.ReadBody(c.r, true)
	if err != nil {
		return nil, err
	}
	link, err := b.ID("accountLinkId", true)
	if err != nil {
		return nil, err
	}
	content, err := b.Content("content")
	if err != nil {
		return nil, err
	}
	ref, err := prospectRefFromBody(b)
	if err != nil {
		return nil, err
	}
	m, t, err := c.sim.store.QuickSend(c.ctx, c.team, link, ref, content)
	if err != nil {
		return nil, err
	}
	c.sim.reply(c.team, m)
	pid := t.PlatformID
	return QuickSendResult{Message: ToMessage(m), Thread: v1QuickSendThread{ID: t.ID, PlatformID: &pid}}, nil
}

// EditResult is the v1 JSON shape of an edit's answer.
type EditResult struct {
	Success   bool   `json:"success"`
	MessageID string `json:"messageId"`
	Content   string `json:"content"`
	EditedAt  string `json:"editedAt"`
}

func v1EditMessage(c *call) (any, error) {
	b, err := httpx.ReadBody(c.r, true)
	if err != nil {
		return nil, err
	}
	content, err := b.Content("content")
	if err != nil {
		return nil, err
	}
	m, err := c.sim.store.EditMessage(c.ctx, c.team, c.param("threadId"), c.param("messageId"), content)
	if err != nil {
		return nil, err
	}
	return EditResult{Success: true, MessageID: m.ID, Content: m.Content, EditedAt: httpx.FormatTime(*m.UpdatedAt)}, nil
}

// DeleteResult is the v1 JSON shape of a delete's answer.
type DeleteResult struct {
	Success   bool   `json:"success"`
	MessageID string `json:"messageId"`
	DeletedAt string `json:"deletedAt"`
}

func v1DeleteMessage(c *call) (any, error) {
	b, err := httpx.ReadBody(c.r, false)
	if err != nil {
		return nil, err
	}
	forAll, err := b.Boolean("deleteForAll")
	if err != nil {
		return nil, err
	}
	m, err := c.sim.store.DeleteMessage(c.ctx, c.team, c.param("threadId"), c.param("messageId"), forAll == nil || *forAll)
	if err != nil {
		return nil, err
	}
	return DeleteResult{Success: true, MessageID: m.ID, DeletedAt: httpx.FormatTime(*m.DeletedAt)}, nil
}

type v1HistoryVersion struct {
	ID             string       `json:"id"`
	PlatformID     *string      `json:"platformId"`
	Platform       string       `json:"platform"`
	Content        string       `json:"content"`
	AuthorID       string       `json:"authorId"`
	UserID         *string      `json:"userId"`
	TeamID         string       `json:"teamId"`
	ThreadID       string       `json:"threadId"`
	CampaignID     *string      `json:"campaignId"`
	CampaignStepID *string      `json:"campaignStepId"`
	Origin         *string      `json:"origin"`
	EditOrigin     *string      `json:"editOrigin"`
	ReplyData      *v1ReplyData `json:"replyData"`
	ForwardData    *struct{}    `json:"forwardData"`
	CreatedAt      string       `json:"createdAt"`
	IsEncrypted    *bool        `json:"isEncrypted"`
	ExpandedData   *struct{}    `json:"expandedData"`
	Entities       *struct{}    `json:"entities"`
	Attachment     *struct{}    `json:"attachment"`
	Reactions      []v1Reaction `json:"reactions"`
}

type v1Deletion struct {
	DeletedAt                string  `json:"deletedAt"`
	DeletionType             string  `json:"deletionType"`
	DeletionAuthorPlatformID *string `json:"deletionAuthorPlatformId"`
	Origin                   *string `json:"origin"`
}

// History is the v1 JSON shape of a message's edit history.
type History struct {
	Versions []v1HistoryVersion `json:"versions"`
	Deletion *v1Deletion        `json:"deletion"`
}

func v1MessageHistory(c *call) (any, error) {
	h, err := c.sim.store.MessageHistory(c.ctx, c.team, c.param("threadId"), c.param("messageId"))
	if err != nil {
		return nil, err
	}
	m := ToMessage(h.Message)
	out := History{Versions: make([]v1HistoryVersion, len(h.Versions))}
	for i, v := range h.Versions {
		out.Versions[i] = v1HistoryVersion{ID: m.ID, PlatformID: m.PlatformID, Platform: store.PlatformTwitter,
			Content: v.Content, AuthorID: m.AuthorID, UserID: m.UserID, TeamID: m.TeamID, ThreadID: m.ThreadID,
			CampaignID: m.CampaignID, Origin: m.Origin, EditOrigin: v.EditOrigin, ReplyData: m.ReplyData,
			CreatedAt: httpx.FormatTime(v.CreatedAt), IsEncrypted: m.IsEncrypted, Reactions: []v1Reaction{}}
	}
	if d := h.Deletion; d != nil {
		out.Deletion = &v1Deletion{DeletedAt: httpx.FormatTime(d.DeletedAt), DeletionType: d.Type, DeletionAuthorPlatformID: d.AuthorPlatformID, Origin: d.Origin}
	}
	return out, nil
}

type v1ReactionResult struct {
	Success   bool   `json:"success"`
	MessageID string `json:"messageId"`
}

// reactionEmojiArg reads the emoji of a reaction request: one emoji (a short sequence with no
// letters or digits, so ZWJ sequences and flags pass).
func reactionEmojiArg(b *httpx.Body) (string, error) {
	e, err := b.Text("emoji", true)
	if err != nil {
		return "", err
	}
	bad := utf8.RuneCountInString(e) > 10 || strings.ContainsFunc(e, func(r rune) bool {
		return r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsSpace(r))
	})
	if bad {
		return "", httpx.Invalid("emoji must be a single emoji such as ❤️, 😂 or 👍, got %q", e)
	}
	return e, nil
}

func v1React(c *call, add bool) (any, error) {
	b, err := httpx.ReadBody(c.r, true)
	if err != nil {
		return nil, err
	}
	emoji, err := reactionEmojiArg(b)
	if err != nil {
		return nil, err
	}
	m, err := c.sim.store.React(c.ctx, c.team, c.param("threadId"), c.param("messageId"), emoji, add)
	if err != nil {
		return nil, err
	}
	return v1ReactionResult{Success: true, MessageID: m.ID}, nil
}

func v1AddReaction(c *call) (any, error)    { return v1React(c, true) }
func v1RemoveReaction(c *call) (any, error) { return v1React(c, false) }
