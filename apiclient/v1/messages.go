package v1

import (
	"context"
	"encoding/json"
	"iter"
	"net/url"
	"time"

	"github.com/inbox-mcp/inbox-mcp/apiclient"
)

// Message is one DM in a thread.
type Message struct {
	Platform   Platform       `json:"platform"`
	TeamID     string         `json:"teamId"`
	ThreadID   string         `json:"threadId"`
	ID         string         `json:"id"`
	UserID     *string        `json:"userId"` // Inbox user (not member) who sent it from Inbox
	CreatedAt  time.Time      `json:"createdAt"`
	UpdatedAt  *time.Time     `json:"updatedAt"`
	PlatformID *string        `json:"platformId"` // X message ID
	Content    string         `json:"content"`
	CampaignID *string        `json:"campaignId"`
	AuthorID   string         `json:"authorId"` // account link ID (outbound) or prospect ID; opaque
	Origin     *MessageOrigin `json:"origin"`
	// ReplyData, ForwardData, Entities and Attachment have no documented shape; they are
	// kept raw (nil or "null" when absent).
	ReplyData         json.RawMessage `json:"replyData"`
	ForwardData       json.RawMessage `json:"forwardData"`
	Entities          json.RawMessage `json:"entities"`
	Attachment        json.RawMessage `json:"attachment"`
	Reactions         []Reaction      `json:"reactions"`
	IsEncrypted       *bool           `json:"isEncrypted"`
	IsEdited          bool            `json:"isEdited"`
	DeletedAt         *time.Time      `json:"deletedAt"`
	PlatformDeletedAt *time.Time      `json:"platformDeletedAt"`
	// Failed appears only in some renderings; nil when absent.
	Failed *bool `json:"failed,omitempty"`
}

// MessagePage is one page of a thread's messages, newest first. NextCursor is nil on the
// last page; IsSyncing means older messages are still being imported from X.
type MessagePage struct {
	TeamID     string    `json:"teamId"`
	ThreadID   string    `json:"threadId"`
	Messages   []Message `json:"messages"`
	NextCursor *Cursor   `json:"nextCursor"`
	IsSyncing  bool      `json:"isSyncing"`
}

// MessageListParams selects a page of messages.
type MessageListParams struct {
	Limit  int     // 1–100; 0 = API default (50)
	Cursor *Cursor // nil = newest page
}

// ListMessages returns one page of a thread's messages (threads.thread.messages.list).
func (c *Client) ListMessages(ctx context.Context, threadID string, p MessageListParams) (*MessagePage, error) {
	if err := checkID("threadId", threadID); err != nil {
		return nil, err
	}
	q := url.Values{}
	if err := setLimit(q, p.Limit); err != nil {
		return nil, err
	}
	if err := p.Cursor.check(); err != nil {
		return nil, err
	}
	p.Cursor.encode(q)
	return get[MessagePage](ctx, c, path("threads", threadID, "messages"), q)
}

// Messages walks a thread's messages, newest first, in pages of up to 100, and stops
// fetching as soon as max messages were yielded (max <= 0: no cap).
func (c *Client) Messages(ctx context.Context, threadID string, max int) iter.Seq2[Message, error] {
	return c.MessagesFrom(ctx, threadID, nil, max)
}

// MessagesFrom is [Client.Messages] resuming at a cursor from an earlier page.
func (c *Client) MessagesFrom(ctx context.Context, threadID string, from *Cursor, max int) iter.Seq2[Message, error] {
	fetched := 0
	fetch := func(ctx context.Context, cursor string) ([]Message, string, error) {
		cur, err := ParseCursor(cursor)
		if err != nil {
			return nil, "", err
		}
		page, err := c.ListMessages(ctx, threadID, MessageListParams{Limit: pageLimit(max, fetched), Cursor: cur})
		if err != nil {
			return nil, "", err
		}
		fetched += len(page.Messages)
		return page.Messages, page.NextCursor.token(), nil
	}
	return apiclient.Paginate(ctx, from.token(), fetch, max)
}

func checkContent(content string) error {
	if content == "" {
		return invalid("content is empty: write the message text")
	}
	if n := len([]rune(content)); n > MaxContentLength {
		return invalidf("content is %d characters long: X direct messages hold at most 10,000; shorten it or split it into several messages", n)
	}
	return nil
}

// MaxContentLength is X's limit on a direct message, in characters. The API document sets
// no maximum; longer text would be refused by X after the API accepted it.
const MaxContentLength = 10000

// EditResult is the answer to an edit.
type EditResult struct {
	Success   bool      `json:"success"`
	MessageID string    `json:"messageId"`
	Content   string    `json:"content"`
	EditedAt  time.Time `json:"editedAt"`
}

// EditMessage replaces a message's text (threads.thread.messages.message.edit). Only X Chat
// threads (Thread.Variant == xChat) support it.
func (c *Client) EditMessage(ctx context.Context, threadID, messageID, content string) (*EditResult, error) {
	if err := checkID("threadId", threadID); err != nil {
		return nil, err
	}
	if err := checkID("messageId", messageID); err != nil {
		return nil, err
	}
	if err := checkContent(content); err != nil {
		return nil, err
	}
	body := struct {
		Content string `json:"content"`
	}{content}
	return call[EditResult](ctx, c, "PATCH", path("threads", threadID, "messages", messageID), body)
}

// DeleteResult is the answer to a message deletion.
type DeleteResult struct {
	Success   bool      `json:"success"`
	MessageID string    `json:"messageId"`
	DeletedAt time.Time `json:"deletedAt"`
}

// DeleteMessageParams tunes a deletion; the zero value deletes for every participant (the
// API default).
type DeleteMessageParams struct {
	// OnlyForMe deletes the message only on the team's side (deleteForAll=false).
	OnlyForMe bool
}

// DeleteMessage deletes a message (threads.thread.messages.message.delete). Only X Chat
// threads support it.
func (c *Client) DeleteMessage(ctx context.Context, threadID, messageID string, p DeleteMessageParams) (*DeleteResult, error) {
	if err := checkID("threadId", threadID); err != nil {
		return nil, err
	}
	if err := checkID("messageId", messageID); err != nil {
		return nil, err
	}
	body := struct {
		DeleteForAll bool `json:"deleteForAll"`
	}{!p.OnlyForMe}
	return call[DeleteResult](ctx, c, "DELETE", path("threads", threadID, "messages", messageID), body)
}

// MessageHistory is a message's versions (original first, then each edit) and deletion.
type MessageHistory struct {
	Versions []MessageVersion `json:"versions"`
	Deletion *MessageDeletion `json:"deletion"`
}

// MessageVersion is one version of a message.
type MessageVersion struct {
	ID             string          `json:"id"`
	PlatformID     *string         `json:"platformId"`
	Platform       Platform        `json:"platform"`
	Content        string          `json:"content"`
	AuthorID       string          `json:"authorId"`
	UserID         *string         `json:"userId"`
	TeamID         string          `json:"teamId"`
	ThreadID       string          `json:"threadId"`
	CampaignID     *string         `json:"campaignId"`
	CampaignStepID *string         `json:"campaignStepId"`
	Origin         *MessageOrigin  `json:"origin"`
	EditOrigin     *MessageOrigin  `json:"editOrigin"` // nil for the original
	ReplyData      json.RawMessage `json:"replyData"`
	ForwardData    json.RawMessage `json:"forwardData"`
	CreatedAt      time.Time       `json:"createdAt"` // original time or edit time
	IsEncrypted    *bool           `json:"isEncrypted"`
	ExpandedData   json.RawMessage `json:"expandedData"`
	Entities       json.RawMessage `json:"entities"`
	Attachment     json.RawMessage `json:"attachment"`
	Reactions      []Reaction      `json:"reactions"`
}

// MessageDeletion records how a message was deleted.
type MessageDeletion struct {
	DeletedAt                time.Time      `json:"deletedAt"`
	DeletionType             DeletionType   `json:"deletionType"`
	DeletionAuthorPlatformID *string        `json:"deletionAuthorPlatformId"`
	Origin                   *MessageOrigin `json:"origin"`
}

// MessageHistory returns a message's edit and deletion history
// (threads.thread.messages.message.history).
func (c *Client) MessageHistory(ctx context.Context, threadID, messageID string) (*MessageHistory, error) {
	if err := checkID("threadId", threadID); err != nil {
		return nil, err
	}
	if err := checkID("messageId", messageID); err != nil {
		return nil, err
	}
	return get[MessageHistory](ctx, c, path("threads", threadID, "messages", messageID, "history"), nil)
}

// ReactionResult is the answer to adding or removing a reaction.
type ReactionResult struct {
	Success   bool   `json:"success"`
	MessageID string `json:"messageId"`
}

type emojiBody struct {
	Emoji string `json:"emoji"`
}

func checkEmoji(emoji string) error {
	if emoji == "" {
		return invalid("emoji is empty: pass one emoji, e.g. 👍")
	}
	if len([]rune(emoji)) > 16 {
		return invalid("emoji is too long: pass a single emoji, e.g. ❤️")
	}
	return nil
}

// AddReaction reacts to a message with an emoji
// (threads.thread.messages.message.reactions.add). Reacting twice with the same emoji
// leaves one reaction, so the request is safe to repeat.
func (c *Client) AddReaction(ctx context.Context, threadID, messageID, emoji string) (*ReactionResult, error) {
	if err := checkID("threadId", threadID); err != nil {
		return nil, err
	}
	if err := checkID("messageId", messageID); err != nil {
		return nil, err
	}
	if err := checkEmoji(emoji); err != nil {
		return nil, err
	}
	out := new(ReactionResult)
	err := c.do(ctx, apiclient.Request{Method: "POST", Path: reactionsPath(threadID, messageID), Body: emojiBody{emoji}, Idempotent: true}, out)
	if err != nil {
		return nil, err
	}
	return out, nil
}

// RemoveReaction removes an emoji reaction (threads.thread.messages.message.reactions.remove).
func (c *Client) RemoveReaction(ctx context.Context, threadID, messageID, emoji string) (*ReactionResult, error) {
	if err := checkID("threadId", threadID); err != nil {
		return nil, err
	}
	if err := checkID("messageId", messageID); err != nil {
		return nil, err
	}
	if err := checkEmoji(emoji); err != nil {
		return nil, err
	}
	return call[ReactionResult](ctx, c, "DELETE", reactionsPath(threadID, messageID), emojiBody{emoji})
}

// reactionsPath really ends in reactions/reactions: that is the documented path.
func reactionsPath(threadID, messageID string) string {
	return path("threads", threadID, "messages", messageID, "reactions", "reactions")
}
