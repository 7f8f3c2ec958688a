package v1

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/inbox-mcp/inbox-mcp/apiclient"
	"github.com/inbox-mcp/inbox-mcp/inbox"
)

// ListMessages returns one page of a thread's messages, newest first. The thread is read
// once (then remembered) to know its account and prospect, which the messages' direction
// and AccountID come from.
func (b *backend) ListMessages(ctx context.Context, threadID, cursor string, limit int) (inbox.Page[inbox.Message], error) {
	var out inbox.Page[inbox.Message]
	if err := checkLimit(limit); err != nil {
		return out, err
	}
	cur, err := ParseCursor(cursor)
	if err != nil {
		return out, err
	}
	ti, err := b.threadInfoOf(ctx, threadID)
	if err != nil {
		return out, err
	}
	page, err := b.c.ListMessages(ctx, threadID, MessageListParams{Limit: limit, Cursor: cur})
	if err != nil {
		return out, err
	}
	out.Items = make([]inbox.Message, 0, len(page.Messages))
	for i := range page.Messages {
		m := &page.Messages[i]
		dir, err := b.direction(ctx, ti, m.AuthorID, m.UserID, m.CampaignID)
		if err != nil {
			return inbox.Page[inbox.Message]{}, err
		}
		out.Items = append(out.Items, messageFrom(m, dir, ti.accountID))
	}
	out.Next = page.NextCursor.token()
	return out, nil
}

func messageFrom(m *Message, dir inbox.Direction, accountID string) inbox.Message {
	out := inbox.Message{
		ID:         m.ID,
		ThreadID:   m.ThreadID,
		CreatedAt:  m.CreatedAt,
		Content:    m.Content,
		Direction:  dir,
		AccountID:  accountID,
		UserID:     deref(m.UserID),
		CampaignID: deref(m.CampaignID),
		ReplyToID:  replyToID(m.ReplyData),
		Edited:     m.IsEdited,
		DeletedAt:  m.DeletedAt,
	}
	if m.Origin != nil {
		out.Origin = string(*m.Origin)
	}
	for _, r := range m.Reactions {
		if r.Emoji != "" {
			out.Reactions = append(out.Reactions, inbox.Reaction{Emoji: r.Emoji, By: r.SenderPlatformID})
		}
	}
	return out
}

// replyToID reads the replied-to message ID out of replyData, whose shape v1 leaves open:
// the forms seen name it messageId, replyToMessageId or id.
func replyToID(raw json.RawMessage) string {
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	var r struct {
		MessageID        string `json:"messageId"`
		ReplyToMessageID string `json:"replyToMessageId"`
		ID               string `json:"id"`
	}
	if json.Unmarshal(raw, &r) != nil {
		return ""
	}
	return firstNonEmpty(r.MessageID, r.ReplyToMessageID, r.ID)
}

// Send sends one message and never twice. To a thread, it posts in it; to an account and a
// person, it quick-sends by prospect ID or X user ID (the API finds or creates the thread),
// or finds the thread by username. A reply-to needs an existing thread, which is looked up.
func (b *backend) Send(ctx context.Context, r inbox.SendRequest) inbox.SendResult {
	notSent := func(reason string, err error) inbox.SendResult {
		return inbox.SendResult{Outcome: inbox.NotSent, ThreadID: r.ThreadID, Reason: reason, Err: err}
	}
	if r.ThreadID != "" {
		return b.sendInThread(ctx, r.ThreadID, r)
	}
	if r.AccountID == "" {
		return notSent("nothing was sent: name a thread, or an account to send from and a person to send to",
			errInvalid("the send has neither a thread nor an account"))
	}
	if r.To.Username != "" && r.To.ID == "" && r.To.PlatformID == "" || r.ReplyToID != "" {
		t, err := b.FindThread(ctx, r.AccountID, r.To)
		if err != nil {
			return notSent("nothing was sent: could not look up the thread with that person", err)
		}
		if t != nil {
			return b.sendInThread(ctx, t.ID, r)
		}
		if r.ReplyToID != "" {
			return notSent("nothing was sent: a reply needs an existing thread, and this account has none with that person",
				errInvalid("no thread to reply in"))
		}
		// No thread from this account yet: find who the username is through the team's
		// other threads, then quick-send to them.
		ts, err := b.threadsWithUsername(ctx, r.To.Username, nil)
		if err != nil {
			return notSent("nothing was sent: could not look up @"+strings.TrimPrefix(r.To.Username, "@"), err)
		}
		if len(ts) == 0 {
			return notSent(fmt.Sprintf("nothing was sent: no one with the username @%s is known to this Inbox; Inbox API v1 can start a conversation only by X user ID: send to their X user ID instead",
				strings.TrimPrefix(strings.TrimSpace(r.To.Username), "@")), errInvalid("unknown username"))
		}
		r.To = inbox.PersonRef{ID: deref(ts[0].Prospect.ExternalID), PlatformID: ts[0].Prospect.PlatformID}
	}
	ref := ProspectRef{ExternalID: r.To.ID}
	if ref.ExternalID == "" {
		ref.ExternalPlatformID = r.To.PlatformID
	}
	res := b.c.QuickSend(ctx, QuickSendParams{AccountLinkID: r.AccountID, ProspectRef: ref, Content: r.Content})
	return sendResultFrom(res, r.AccountID)
}

func (b *backend) sendInThread(ctx context.Context, threadID string, r inbox.SendRequest) inbox.SendResult {
	res := b.c.SendMessage(ctx, threadID, SendMessageParams{Content: r.Content, ReplyToMessageID: r.ReplyToID})
	accountID := r.AccountID
	b.mu.Lock()
	if ti, ok := b.threads[threadID]; ok {
		accountID = ti.accountID
	}
	b.mu.Unlock()
	out := sendResultFrom(res, accountID)
	if out.ThreadID == "" {
		out.ThreadID = threadID
	}
	return out
}

// sendResultFrom maps the client's honest outcome one to one; the message is ours, so
// outbound, and authored by the sending account.
func sendResultFrom(r SendResult, accountID string) inbox.SendResult {
	out := inbox.SendResult{ThreadID: r.ThreadID, Reason: r.Reason, Checked: r.Checked, Err: r.Err}
	switch r.Outcome {
	case apiclient.Sent:
		out.Outcome = inbox.Sent
	case apiclient.NotSent:
		out.Outcome = inbox.NotSent
	default:
		out.Outcome = inbox.Unknown
	}
	if r.Message != nil {
		m := messageFrom(r.Message, inbox.Outbound, firstNonEmpty(accountID, r.Message.AuthorID))
		out.Message = &m
		if out.ThreadID == "" {
			out.ThreadID = m.ThreadID
		}
	}
	return out
}

// EditMessage replaces a message's text (X Chat threads only).
func (b *backend) EditMessage(ctx context.Context, threadID, messageID, content string) error {
	_, err := b.c.EditMessage(ctx, threadID, messageID, content)
	return err
}

// DeleteMessage deletes a message for everyone (X Chat threads only).
func (b *backend) DeleteMessage(ctx context.Context, threadID, messageID string) error {
	_, err := b.c.DeleteMessage(ctx, threadID, messageID, DeleteMessageParams{})
	return err
}

// React adds or removes an emoji reaction.
func (b *backend) React(ctx context.Context, threadID, messageID, emoji string, add bool) error {
	var err error
	if add {
		_, err = b.c.AddReaction(ctx, threadID, messageID, emoji)
	} else {
		_, err = b.c.RemoveReaction(ctx, threadID, messageID, emoji)
	}
	return err
}
