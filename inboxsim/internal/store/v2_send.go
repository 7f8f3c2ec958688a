package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"unicode/utf8"
)

// V2SendInput is a POST /messages request in store terms.
type V2SendInput struct {
	Type                 string // thread | contact | profile
	ThreadID             string
	AccountLinkID        string
	ContactID            string
	Platform, PlatformID string
	Content, ReplyTo     string
	TokenID              string
}

// V2Sent is what a send did.
type V2Sent struct {
	MessageID, ThreadID string
	// X is the message as v1 sees it, for simulated replies; nil on LinkedIn.
	X *Message
}

// V2Send delivers one message: it resolves the target to a thread (creating it for a contact
// or profile target), checks the account link and the thread allow it, stores the message,
// and calls record in the same transaction, so whatever record stores (the Idempotency-Key's
// result) exists exactly when the message does.
func (s *Store) V2Send(ctx context.Context, teamID string, in V2SendInput, record func(tx *sql.Tx, sent V2Sent) error) (V2Sent, error) {
	var sent V2Sent
	err := s.Write(ctx, func(tx *sql.Tx) error {
		src, threadID, err := s.v2SendTarget(ctx, tx, teamID, in)
		if err != nil {
			return err
		}
		th, err := s.V2Thread(ctx, tx, teamID, threadID)
		if err != nil {
			return err
		}
		link, err := s.V2AccountLink(ctx, tx, teamID, th.AccountLinkID)
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
		if src == SrcX {
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
func checkV2Send(ctx context.Context, tx *sql.Tx, src *V2Src, th V2ThreadRow, link V2LinkRow, in V2SendInput) error {
	if link.Status != LinkStatusActive {
		e := failf(KindLinkDisconnected, "account link %q is %s and cannot send; reconnect it in Inboxapp, or send from another account link", link.ID, link.Status)
		e.AccountLinkID, e.LinkStatus = link.ID, link.Status
		return e
	}
	restrictions := ThreadRestrictions(src.Platform, th.Variant)
	for _, c := range []string{CapSend, capReply} {
		if c == capReply && in.ReplyTo == "" {
			continue
		}
		if !link.Can(c) {
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
	if limit := PlatformSpecOf(src.Platform).Characters; limit != nil {
		if n := utf8.RuneCountInString(in.Content); n > *limit {
			detail := fmt.Sprintf("the message is %d characters long and %s allows %d; split it into several messages", n, PlatformSpecOf(src.Platform).Name, *limit)
			return failf(KindContentRejected, "%s", detail)
		}
	}
	return nil
}

// v2SendTarget resolves a send's target to a live thread, creating it when a contact or
// profile has none with the account link yet.
func (s *Store) v2SendTarget(ctx context.Context, tx *sql.Tx, teamID string, in V2SendInput) (*V2Src, string, error) {
	if in.Type == "thread" {
		src, err := s.locateThread(ctx, tx, teamID, in.ThreadID)
		return src, in.ThreadID, err
	}
	link, err := s.V2AccountLink(ctx, tx, teamID, in.AccountLinkID)
	if err != nil {
		return nil, "", err
	}
	src := link.Src
	var profileID string
	switch in.Type {
	case "contact":
		primary, _, err := s.ContactPrimary(ctx, tx, teamID, in.ContactID)
		if err != nil {
			return nil, "", err
		}
		cs, err := s.V2Contacts(ctx, tx, teamID, []string{primary})
		if err != nil {
			return nil, "", err
		}
		var on []string
		for _, p := range cs[primary].Profiles {
			if p.Src == src {
				on = append(on, p.ID)
			}
		}
		switch len(on) {
		case 0:
			reason := fmt.Sprintf("the contact has no %s profile; send from an account link on a platform where it has one", PlatformSpecOf(src.Platform).Name)
			return nil, "", failf(KindRecipientUnavailable, "%s", reason)
		case 1:
			profileID = on[0]
		default:
			e := failf(KindProfileAmbiguous, "the contact has %d %s profiles; send to one of them with a profile target", len(on), PlatformSpecOf(src.Platform).Name)
			e.ContactID, e.Platform = in.ContactID, src.Platform
			return nil, "", e
		}
	case "profile":
		if PlatformSpecOf(in.Platform) == nil {
			e := failf(KindPlatformNotAvailable, "the team can't use the platform %q; GET /platforms lists the ones it can", in.Platform)
			e.Platform = in.Platform
			return nil, "", e
		}
		if in.Platform != src.Platform {
			e := failf(KindPlatformNotSupported, "account link %s is on %s, not %s; send from an account link on %s", link.ID, src.Platform, in.Platform, in.Platform)
			e.Platform, e.Supported = in.Platform, []string{src.Platform}
			return nil, "", e
		}
		if src == SrcX {
			if !IsNumericID(in.PlatformID) {
				return nil, "", invalidField([]any{"target", "platformId"}, "an X platformId is the numeric user ID, such as 1876543210987654321; got %q", in.PlatformID)
			}
			id, _, err := s.openThread(ctx, tx, teamID, link.ID, ProspectRef{PlatformID: in.PlatformID})
			return src, id, err
		}
		if profileID, err = s.liResolveProfile(ctx, tx, teamID, in.PlatformID); err != nil {
			return nil, "", err
		}
	}
	if src == SrcX {
		id, _, err := s.openThread(ctx, tx, teamID, link.ID, ProspectRef{ExternalID: profileID})
		return src, id, err
	}
	id, err := s.liOpenThread(ctx, tx, teamID, link.ID, profileID)
	return src, id, err
}
