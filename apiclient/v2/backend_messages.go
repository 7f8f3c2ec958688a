package v2

import (
	"context"
	"fmt"
	"strings"

	"github.com/inbox-mcp/inbox-mcp/apiclient"
	"github.com/inbox-mcp/inbox-mcp/inbox"
)

// ListMessages returns one page of a thread's messages, newest first. Reaction authors are
// expanded so each reaction names who made it by platform user ID.
func (b *backend) ListMessages(ctx context.Context, threadID, cursor string, limit int) (inbox.Page[inbox.Message], error) {
	var out inbox.Page[inbox.Message]
	if limit < 1 || limit > MaxLimit {
		return out, errInvalid(fmt.Sprintf("page size %d is out of range: use 1 to %d", limit, MaxLimit))
	}
	p, err := b.c.ListMessages(ctx, threadID, MessageQuery{Expand: []string{ExpandMessageReactionAuthors}, Limit: limit, Cursor: cursor})
	if err != nil {
		return out, err
	}
	out.Items = make([]inbox.Message, 0, len(p.Data))
	for _, m := range p.Data {
		out.Items = append(out.Items, messageFrom(m))
	}
	out.Next = p.NextCursor
	return out, nil
}

// Send sends one message with one Idempotency-Key for all its attempts, so it never sends
// twice, and reports sent, not_sent or unknown. The key is r.IdempotencyKey when the caller
// keeps one (to resume a send after a restart), else a fresh one. A person is addressed by
// contact ID (a contact target), platform user ID (a profile target) or username (resolved
// to a profile through the team's contacts first).
func (b *backend) Send(ctx context.Context, r inbox.SendRequest) inbox.SendResult {
	target, res := b.sendTarget(ctx, r)
	if res != nil {
		return *res
	}
	key := r.IdempotencyKey
	if key == "" {
		key = NewIdempotencyKey()
	}
	o := b.c.SendWithKey(ctx, key, SendRequest{Target: target, Content: r.Content, ReplyToMessageID: r.ReplyToID})
	out := inbox.SendResult{
		Outcome:  outcomeFrom(o.Outcome),
		ThreadID: target.ThreadID,
		Reason:   withoutKeyAdvice(o.Reason),
		Checked:  o.Checked,
		Err:      o.Err,
		Replayed: o.Replayed,
	}
	if o.Result != nil {
		m := messageFrom(o.Result.Message)
		out.Message = &m
		out.ThreadID = o.Result.Thread.ID
	}
	if o.MessageID != "" {
		out.Reason += fmt.Sprintf(" (message %s)", o.MessageID)
	}
	return out
}

// withoutKeyAdvice drops the client's advice to send again with the same Idempotency-Key:
// callers of the Backend see no key (they may keep one through SendRequest.IdempotencyKey,
// but then they know it), so the advice is theirs to give in their own terms.
func withoutKeyAdvice(reason string) string {
	for _, sep := range []string{"; send again with the same Idempotency-Key", ": send again with the same Idempotency-Key"} {
		if i := strings.Index(reason, sep); i >= 0 {
			return reason[:i]
		}
	}
	return reason
}

func outcomeFrom(o apiclient.Outcome) inbox.Outcome {
	switch o {
	case apiclient.Sent:
		return inbox.Sent
	case apiclient.NotSent:
		return inbox.NotSent
	}
	return inbox.Unknown
}

// sendTarget builds the v2 target of a send, or the not-sent result explaining why it
// cannot be built (nothing has been sent then).
func (b *backend) sendTarget(ctx context.Context, r inbox.SendRequest) (SendTarget, *inbox.SendResult) {
	notSent := func(reason string, err error) (SendTarget, *inbox.SendResult) {
		return SendTarget{}, &inbox.SendResult{Outcome: inbox.NotSent, ThreadID: r.ThreadID, Reason: reason, Err: err}
	}
	switch {
	case r.ThreadID != "":
		return ToThread(r.ThreadID), nil
	case r.AccountID == "":
		return notSent("name a thread, or an account to send from and a person to send to", errInvalid("the send has no thread and no account"))
	case r.To.ID != "":
		return ToContact(r.AccountID, r.To.ID), nil
	}
	platform, err := b.accountPlatform(ctx, r.AccountID)
	if err != nil {
		return notSent("could not look up the account to send from", err)
	}
	if r.To.PlatformID != "" {
		return ToProfile(r.AccountID, platform, r.To.PlatformID), nil
	}
	username := strings.TrimPrefix(strings.TrimSpace(r.To.Username), "@")
	if username == "" {
		return notSent("name the person by contact ID, platform user ID or username", errInvalid("the send has no recipient"))
	}
	contacts, err := b.contactsByIdentity(ctx, []string{platform}, "", username)
	if err != nil {
		return notSent("could not look up @"+username, err)
	}
	ids := map[string]bool{}
	for i := range contacts {
		for _, p := range contacts[i].Profiles {
			if p.Platform == platform && strings.EqualFold(p.Username, username) {
				ids[p.PlatformID] = true
			}
		}
	}
	switch len(ids) {
	case 0:
		return notSent(fmt.Sprintf("no one with the username @%s is among the team's contacts on %s: send to their platform user ID instead", username, platform),
			errInvalid("unknown username @"+username))
	case 1:
		for id := range ids {
			return ToProfile(r.AccountID, platform, id), nil
		}
	}
	return notSent(fmt.Sprintf("several people on %s have the username @%s: send to a thread, a contact ID or a platform user ID instead", platform, username),
		errInvalid("ambiguous username @"+username))
}

// EditMessage replaces a message's text. v2 addresses a message by its ID alone, so
// threadID is not needed.
func (b *backend) EditMessage(ctx context.Context, threadID, messageID, content string) error {
	_, err := b.c.EditMessage(ctx, messageID, content)
	return err
}

// DeleteMessage unsends a message for everyone (scope all), as v1's delete does.
func (b *backend) DeleteMessage(ctx context.Context, threadID, messageID string) error {
	_, err := b.c.UnsendMessage(ctx, messageID, ScopeAll)
	return err
}

// React adds or removes the account's emoji reaction on a message.
func (b *backend) React(ctx context.Context, threadID, messageID, emoji string, add bool) error {
	var err error
	if add {
		_, err = b.c.React(ctx, messageID, emoji)
	} else {
		_, err = b.c.Unreact(ctx, messageID, emoji)
	}
	return err
}
