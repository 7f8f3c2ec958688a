package inboxsim

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"unicode/utf8"
)

// v2SendInput is a POST /messages request in store terms.
type v2SendInput struct {
	Type                 string // thread | contact | profile
	ThreadID             string
	AccountLinkID        string
	ContactID            string
	Platform, PlatformID string
	Content, ReplyTo     string
	TokenID              string
}

// v2Sent is what a send did.
type v2Sent struct {
	MessageID, ThreadID string
	// X is the message as v1 sees it, for simulated replies; nil on LinkedIn.
	X *Message
}

// v2Send delivers one message: it resolves the target to a thread (creating it for a contact
// or profile target), checks the account link and the thread allow it, stores the message,
// and calls record in the same transaction, so whatever record stores (the Idempotency-Key's
// result) exists exactly when the message does.
func (s *Store) v2Send(ctx context.Context, teamID string, in v2SendInput, record func(tx *sql.Tx, sent v2Sent) error) (v2Sent, error) {
	var sent v2Sent
	err := s.write(ctx, func(tx *sql.Tx) error {
		src, threadID, err := s.v2SendTarget(ctx, tx, teamID, in)
		if err != nil {
			return err
		}
		th, err := s.v2Thread(ctx, tx, teamID, threadID)
		if err != nil {
			return err
		}
		link, err := s.v2AccountLink(ctx, tx, teamID, th.AccountLinkID)
		if err != nil {
			return err
		}
		if err := checkV2Send(ctx, tx, src, th, link, in); err != nil {
			return err
		}
		user, err := s.ownerUserID(ctx, tx, teamID)
		if err != nil {
			return err
		}
		nm := newMessage{Content: in.Content, ReplyTo: in.ReplyTo, Origin: OriginAPI, UserID: user}
		sent.ThreadID = threadID
		if src == srcX {
			st, err := s.threadState(ctx, tx, teamID, threadID)
			if err != nil {
				return err
			}
			m, err := s.addMessage(ctx, tx, teamID, st, nm)
			if err != nil {
				return err
			}
			sent.MessageID, sent.X = m.ID, &m
		} else {
			st, err := s.liThreadState(ctx, tx, threadID)
			if err != nil {
				return err
			}
			if sent.MessageID, err = s.liAddMessage(ctx, tx, teamID, st, nm); err != nil {
				return err
			}
		}
		if in.TokenID != "" {
			if _, err := tx.ExecContext(ctx, `INSERT INTO message_tokens (message_id, token_id) VALUES (?, ?)`, sent.MessageID, in.TokenID); err != nil {
				return err
			}
		}
		if record != nil {
			return record(tx, sent)
		}
		return nil
	})
	return sent, err
}

// checkV2Send refuses a send the account link or the thread does not allow.
func checkV2Send(ctx context.Context, tx *sql.Tx, src *v2Src, th v2ThreadRow, link v2LinkRow, in v2SendInput) error {
	if link.Status != LinkStatusActive {
		e := failf(KindLinkDisconnected, "account link %q is %s and cannot send; reconnect it in Inboxapp, or send from another account link", link.ID, link.Status)
		e.AccountLinkID, e.LinkStatus = link.ID, link.Status
		return e
	}
	restrictions := threadRestrictions(src.platform, th.Variant)
	for _, c := range []string{capSend, capReply} {
		if c == capReply && in.ReplyTo == "" {
			continue
		}
		if !link.can(c) {
			return capabilityNotSupported(c)
		}
		if slices.Contains(restrictions, c) {
			return threadRestricted(c)
		}
	}
	if in.ReplyTo != "" {
		ok, err := exists(ctx, tx, `SELECT 1 FROM `+src.messages+` WHERE id = ? AND thread_id = ?`, in.ReplyTo, th.ID)
		if err != nil {
			return err
		}
		if !ok {
			return invalidField([]any{"replyToMessageId"}, "replyToMessageId %q is not a message of thread %s, where this send lands; reply to a message listed by GET /threads/%s/messages", in.ReplyTo, th.ID, th.ID)
		}
	}
	if limit := platformSpecOf(src.platform).Characters; limit != nil {
		if n := utf8.RuneCountInString(in.Content); n > *limit {
			detail := fmt.Sprintf("the message is %d characters long and %s allows %d; split it into several messages", n, platformSpecOf(src.platform).Name, *limit)
			return failf(KindContentRejected, "%s", detail)
		}
	}
	return nil
}

// v2SendTarget resolves a send's target to a live thread, creating it when a contact or
// profile has none with the account link yet.
func (s *Store) v2SendTarget(ctx context.Context, tx *sql.Tx, teamID string, in v2SendInput) (*v2Src, string, error) {
	if in.Type == "thread" {
		src, err := s.locateThread(ctx, tx, teamID, in.ThreadID)
		return src, in.ThreadID, err
	}
	link, err := s.v2AccountLink(ctx, tx, teamID, in.AccountLinkID)
	if err != nil {
		return nil, "", err
	}
	src := link.src
	var profileID string
	switch in.Type {
	case "contact":
		primary, _, err := s.contactPrimary(ctx, tx, teamID, in.ContactID)
		if err != nil {
			return nil, "", err
		}
		cs, err := s.v2Contacts(ctx, tx, teamID, []string{primary})
		if err != nil {
			return nil, "", err
		}
		var on []string
		for _, p := range cs[primary].Profiles {
			if p.src == src {
				on = append(on, p.ID)
			}
		}
		switch len(on) {
		case 0:
			reason := fmt.Sprintf("the contact has no %s profile; send from an account link on a platform where it has one", platformSpecOf(src.platform).Name)
			return nil, "", failf(KindRecipientUnavailable, "%s", reason)
		case 1:
			profileID = on[0]
		default:
			e := failf(KindProfileAmbiguous, "the contact has %d %s profiles; send to one of them with a profile target", len(on), platformSpecOf(src.platform).Name)
			e.ContactID, e.Platform = in.ContactID, src.platform
			return nil, "", e
		}
	case "profile":
		if platformSpecOf(in.Platform) == nil {
			e := failf(KindPlatformNotAvailable, "the team can't use the platform %q; GET /platforms lists the ones it can", in.Platform)
			e.Platform = in.Platform
			return nil, "", e
		}
		if in.Platform != src.platform {
			e := failf(KindPlatformNotSupported, "account link %s is on %s, not %s; send from an account link on %s", link.ID, src.platform, in.Platform, in.Platform)
			e.Platform, e.Supported = in.Platform, []string{src.platform}
			return nil, "", e
		}
		if src == srcX {
			if !isNumericID(in.PlatformID) {
				return nil, "", invalidField([]any{"target", "platformId"}, "an X platformId is the numeric user ID, such as 1876543210987654321; got %q", in.PlatformID)
			}
			id, _, err := s.openThread(ctx, tx, teamID, link.ID, ProspectRef{PlatformID: in.PlatformID})
			return src, id, err
		}
		if profileID, err = s.liResolveProfile(ctx, tx, teamID, in.PlatformID); err != nil {
			return nil, "", err
		}
	}
	if src == srcX {
		id, _, err := s.openThread(ctx, tx, teamID, link.ID, ProspectRef{ExternalID: profileID})
		return src, id, err
	}
	id, err := s.liOpenThread(ctx, tx, teamID, link.ID, profileID)
	return src, id, err
}
