package v2

import (
	"context"
	"iter"
	"net/http"
	"strconv"
	"strings"

	"github.com/inbox-mcp/inbox-mcp/apiclient"
)

// Message expansions (at most 4 per request).
const (
	ExpandMessageSentBy          = "sentBy"
	ExpandMessageReactionAuthors = "reactions.author"
	ExpandMessageThread          = "thread"
	ExpandMessageAccountLink     = "accountLink"
	ExpandMessageReplyTo         = "replyTo.message"
)

// Unsend scopes (DELETE /messages/{messageId}?scope=).
const (
	ScopeSelf = "self" // delete for the account link only (message:delete:self)
	ScopeAll  = "all"  // unsend for every participant (message:unsend)
)

// MessageQuery pages through a thread's messages.
type MessageQuery struct {
	Order  string // desc (default, newest first) | asc
	Expand []string
	Limit  int
	Cursor string
}

// ListMessages returns one page of a thread's messages (GET /threads/{threadId}/messages).
func (c *Client) ListMessages(ctx context.Context, threadID string, p MessageQuery) (Page[Message], error) {
	var out Page[Message]
	s, err := idSeg("thread ID", threadID)
	if err != nil {
		return out, err
	}
	if len(p.Expand) > 4 {
		return out, errInvalid("expand at most 4 related resources per request")
	}
	q := query{}
	q.add("order", p.Order)
	q.add("expand", p.Expand...)
	q.page(p.Limit, p.Cursor)
	return out, c.get(ctx, "/threads/"+s+"/messages", q.values(), &out)
}

// AllMessages iterates over a thread's messages from p.Cursor, stopping after max items
// (max <= 0: no cap).
func (c *Client) AllMessages(ctx context.Context, threadID string, p MessageQuery, max int) iter.Seq2[Message, error] {
	if p.Limit <= 0 {
		p.Limit = MaxLimit
	}
	return apiclient.Paginate(ctx, p.Cursor, func(ctx context.Context, cursor string) ([]Message, string, error) {
		p.Cursor = cursor
		pg, err := c.ListMessages(ctx, threadID, p)
		return pg.Data, pg.NextCursor, err
	}, max)
}

// GetMessage returns one message (GET /messages/{messageId}).
func (c *Client) GetMessage(ctx context.Context, id string, expand ...string) (Message, error) {
	var out Message
	s, err := idSeg("message ID", id)
	if err != nil {
		return out, err
	}
	q := query{}
	q.add("expand", expand...)
	return out, c.get(ctx, "/messages/"+s, q.values(), &out)
}

// EditMessage replaces a message's text on the platform (PATCH /messages/{messageId}). It
// needs message:edit and the platform's edit window.
func (c *Client) EditMessage(ctx context.Context, id, content string) (Message, error) {
	var out Message
	s, err := idSeg("message ID", id)
	if err != nil {
		return out, err
	}
	if content == "" {
		return out, errInvalid("the new message text is empty: pass the full edited text")
	}
	body := struct {
		Content string `json:"content"`
	}{content}
	return out, c.do(ctx, http.MethodPatch, "/messages/"+s, nil, body, &out)
}

// UnsendMessage deletes a message for the account link (ScopeSelf) or unsends it for
// everyone (ScopeAll) (DELETE /messages/{messageId}).
func (c *Client) UnsendMessage(ctx context.Context, id, scope string) (MessageDeletion, error) {
	var out MessageDeletion
	s, err := idSeg("message ID", id)
	if err != nil {
		return out, err
	}
	if scope != ScopeSelf && scope != ScopeAll {
		return out, errInvalid("the deletion scope must be \"self\" (only for this account) or \"all\" (unsend for everyone)")
	}
	q := query{}
	q.add("scope", scope)
	return out, c.do(ctx, http.MethodDelete, "/messages/"+s, q.values(), nil, &out)
}

// GetMessageHistory returns every version of a message's content (GET
// /messages/{messageId}/history).
func (c *Client) GetMessageHistory(ctx context.Context, id string) (MessageHistory, error) {
	var out MessageHistory
	s, err := idSeg("message ID", id)
	if err != nil {
		return out, err
	}
	return out, c.get(ctx, "/messages/"+s+"/history", nil, &out)
}

// React adds an emoji reaction from the account link (POST /messages/{messageId}/reactions)
// and returns the message's reactions.
func (c *Client) React(ctx context.Context, id, emoji string) (Reactions, error) {
	var out Reactions
	s, err := idSeg("message ID", id)
	if err != nil {
		return out, err
	}
	if strings.TrimSpace(emoji) == "" {
		return out, errInvalid("the reaction is empty: pass exactly one emoji, such as 👍")
	}
	body := struct {
		Emoji string `json:"emoji"`
	}{emoji}
	// Adding a reaction the account already made changes nothing (the document marks the
	// operation idempotent), so the transport may retry it.
	return out, c.call(ctx, apiclient.Request{Method: http.MethodPost, Path: "/messages/" + s + "/reactions", Body: body, Idempotent: true}, &out)
}

// Unreact removes the account link's emoji reaction (DELETE
// /messages/{messageId}/reactions?emoji=) and returns the message's reactions.
func (c *Client) Unreact(ctx context.Context, id, emoji string) (Reactions, error) {
	var out Reactions
	s, err := idSeg("message ID", id)
	if err != nil {
		return out, err
	}
	if strings.TrimSpace(emoji) == "" {
		return out, errInvalid("the reaction is empty: pass the emoji to remove, such as 👍")
	}
	q := query{}
	q.add("emoji", emoji)
	return out, c.do(ctx, http.MethodDelete, "/messages/"+s+"/reactions", q.values(), nil, &out)
}

// GetAttachment resolves a message's media attachment to a fresh URL (GET
// /messages/{messageId}/attachments/{index}). Status pending or processing means "ask
// again later"; URL is set once Status is ready.
func (c *Client) GetAttachment(ctx context.Context, messageID string, index int) (Attachment, error) {
	var out Attachment
	s, err := idSeg("message ID", messageID)
	if err != nil {
		return out, err
	}
	if index < 0 {
		return out, errInvalid("the attachment index must be 0 or more")
	}
	return out, c.get(ctx, "/messages/"+s+"/attachments/"+strconv.Itoa(index), nil, &out)
}
