package tools

import (
	"errors"
	"strings"
	"time"

	"github.com/inbox-mcp/inbox-mcp/inbox"
	"github.com/inbox-mcp/inbox-mcp/inbox/msgcache"
	"github.com/inbox-mcp/inbox-mcp/sendjournal"
	"github.com/inbox-mcp/inbox-mcp/views"
)

// A send retried after an interruption (the server crashed or was killed mid-send, or its
// answer never reached the model) must not arrive twice unnoticed. send_reply guards it two
// ways:
//
//   - where the API takes an Idempotency-Key (v2) and the server keeps a send journal, the
//     key of each send is journaled before its first attempt and reused by every attempt of
//     the same send (same team, thread or recipient, reply-to and text) until its outcome is
//     known: resuming it cannot deliver a second copy;
//   - otherwise (v1, no journal, no unfinished entry, or one too old to trust), send_reply
//     looks in the thread for an identical message the team sent in the last RepeatWindow
//     and shows it: in the confirmation the person sees, or, with confirmations off, instead
//     of sending, with a confirm_token for a deliberate second copy.

// RepeatWindow is how far back send_reply looks for an identical message already in the
// thread: far longer than a restart and a retry take, short enough that a greeting used
// again next week is not questioned.
const RepeatWindow = 24 * time.Hour

// repeatScan is how many of the thread's newest messages are read for an identical one: a
// retry follows its first attempt closely, so a few replies at most come between them.
const repeatScan = 20

// OutcomeDuplicate: nothing was sent because an identical message is already in the thread
// (confirmations off); a confirm_token sends a second copy deliberately.
const OutcomeDuplicate = "duplicate"

// sendHistory is what is known of earlier attempts of a send.
type sendHistory struct {
	// resumed is the journal's unfinished entry of this very send: sending resumes it under
	// its key.
	resumed *sendjournal.Entry
	// earlier is an identical message the team sent in the thread within RepeatWindow.
	earlier *inbox.Message
	// threadID is the thread that was looked in ("" when the send starts a conversation).
	threadID string
}

// journal is the send journal, when the API honours the keys it keeps.
func (c *Call) journal() *sendjournal.Journal {
	if c.Env.Journal == nil || !c.B.Features().IdempotentSends {
		return nil
	}
	return c.Env.Journal
}

// sendHistory finds what came before a send: its unfinished journal entry, or else an
// identical message already in the thread (read from the API, never from the message
// cache). A thread that cannot be read leaves the history empty: the send itself will meet
// the same failure and say so.
func (c *Call) sendHistory(req inbox.SendRequest) sendHistory {
	if j := c.journal(); j != nil {
		if e, ok := j.Pending(c.sendBinding(req)); ok {
			return sendHistory{resumed: &e, threadID: req.ThreadID}
		}
	}
	h := sendHistory{threadID: req.ThreadID}
	if h.threadID == "" {
		t, err := c.B.FindThread(c.Ctx, req.AccountID, req.To)
		if err != nil || t == nil {
			if err != nil {
				c.Env.logger().Warn("could not look for an identical earlier message", "err", err)
			}
			return h
		}
		h.threadID = t.ID
	}
	page, err := c.B.ListMessages(msgcache.Bypass(c.Ctx), h.threadID, "", repeatScan)
	if err != nil {
		c.Env.logger().Warn("could not look for an identical earlier message", "thread", h.threadID, "err", err)
		return h
	}
	since := c.Now.Add(-RepeatWindow)
	want := strings.TrimSpace(req.Content)
	for _, m := range page.Items {
		if m.Direction == inbox.Outbound && m.DeletedAt == nil && !m.CreatedAt.Before(since) && strings.TrimSpace(m.Content) == want {
			h.earlier = &m
			break
		}
	}
	return h
}

// note is what the person must know of the history before approving the send.
func (h sendHistory) note(now time.Time) string {
	switch {
	case h.resumed != nil:
		return "NOTE: an earlier attempt of this exact send started at " + views.ISO(h.resumed.Started) +
			" and its outcome is not known (the server was interrupted, or the answer never came). Approving completes it under the same Idempotency-Key: the API delivers the message at most once."
	case h.earlier != nil:
		return "WARNING: an identical message is already in this thread: message " + h.earlier.ID + ", sent at " +
			views.ISO(h.earlier.CreatedAt) + " (" + views.Ago(h.earlier.CreatedAt, now) + "). Approving sends a second copy."
	}
	return ""
}

// describe puts the history in a send_reply answer.
func (h sendHistory) describe(out *SendOutcome) {
	if h.resumed != nil {
		out.EarlierAttempt = views.ISO(h.resumed.Started)
	}
	if h.earlier != nil {
		out.DuplicateOf, out.DuplicateAt = h.earlier.ID, views.ISO(h.earlier.CreatedAt)
	}
}

// guardRepeat stands in for the person when confirmations are off: nothing else would stop
// a retried send from arriving twice where the journal cannot tell, so an identical message
// in the thread stops it, and the answer shows that message and when it was sent. A
// confirm_token from that answer sends the second copy. It returns nil to let the send go.
func (c *Call) guardRepeat(a SendReplyArgs, req inbox.SendRequest) *Answer[SendOutcome] {
	cf := c.Env.confirmer()
	if cf.mode(c.Ctx) != modeNone {
		return nil // the person approved with the history in front of them
	}
	bind := c.sendBinding(req)
	if tok := strings.TrimSpace(a.ConfirmToken); tok != "" {
		_, _, err := cf.open(tok, kindSend, bind)
		switch {
		case err == nil:
			return nil
		case errors.Is(err, errSealUsed):
			return c.stale(SendOutcome{ThreadID: req.ThreadID}, err, "confirm_token")
		}
		// Expired or for another send: look again, as without a token.
	}
	h := c.sendHistory(req)
	if h.earlier == nil {
		return nil
	}
	tok, _, exp := cf.seal(kindSend, bind, nil)
	out := SendOutcome{Outcome: OutcomeDuplicate, ThreadID: h.threadID, Text: req.Content, ConfirmToken: tok}
	h.describe(&out)
	c.Env.logger().Info("send held back: an identical message is already in the thread", "thread", h.threadID, "message", h.earlier.ID)
	text := "NOT SENT: an identical message is already in this thread (" + h.threadID + "): message " + h.earlier.ID + ", sent at " +
		out.DuplicateAt + " (" + views.Ago(h.earlier.CreatedAt, c.Now) + "). It is most likely this same send, made before an interruption " +
		"(the server restarted, or its answer was lost). Check read_messages and tell the person. Only if they want a second copy, call send_reply " +
		"again with the same arguments plus confirm_token \"" + tok + "\" (valid until " + views.ISO(exp) + ", once)."
	return result(out, text)
}

// sendJournaled sends req under the journaled Idempotency-Key of this send where there is a
// journal, and returns the entry used (nil without one). The entry is finished once the
// outcome is known; an unknown outcome keeps it, so that the next attempt resumes the send.
func (c *Call) sendJournaled(req inbox.SendRequest) (inbox.SendResult, *sendjournal.Entry) {
	j := c.journal()
	if j == nil {
		return c.B.Send(c.Ctx, req), nil
	}
	e, err := j.Begin(c.sendBinding(req), sendjournal.NewKey)
	if err != nil {
		// The send goes out under a fresh key: the thread check already ran, as for v1.
		c.Env.logger().Warn("send journal unavailable for this send", "err", err)
		return c.B.Send(c.Ctx, req), nil
	}
	req.IdempotencyKey = e.Key
	res := c.B.Send(c.Ctx, req)
	if res.Outcome != inbox.Unknown {
		if err := j.Finish(e); err != nil {
			c.Env.logger().Warn("could not clear a finished send from the journal", "err", err)
		}
	}
	return res, &e
}
