package v1

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/inbox-mcp/inbox-mcp/apiclient"
)

// How sends stay honest without an idempotency key (v1 has none).
//
// Before sending, the client reads the thread (one GET): its lastMessage is the "before"
// marker, and it gives the account link that outbound messages are authored by. The send
// itself goes through apiclient.Client.Send, which retries only failures that provably left
// the server untouched. When a failure is ambiguous, the read-back lists the thread's newest
// messages and looks, among those newer than the marker, for an outbound message with
// exactly the same text. Marker-bounded means the same text sent earlier cannot be mistaken
// for this send; a message already claimed by another send of this client (same text, same
// thread, at the same moment) is skipped, and sends of identical text by this client run one
// after another (each takes its marker after the previous one finished), so two sends can
// never both claim one message. The cost is one extra GET per send, which buys a truthful
// answer. Another program sending the very same text to the same thread within the same
// seconds could still be mistaken for a lost send; nothing short of an idempotency key (v2)
// rules that out.

// SendMessageParams is one message to send in an existing thread.
type SendMessageParams struct {
	Content          string `json:"content"`
	ReplyToMessageID string `json:"replyToMessageId,omitempty"`
}

// SendResult reports a send honestly. Message is set when Outcome is Sent (it can be nil
// only if the server accepted the message, its answer was lost and the read-back failed).
type SendResult struct {
	Outcome  apiclient.Outcome
	Message  *Message
	ThreadID string
	// Reason explains NotSent and Unknown, or how Sent was established after a failure.
	Reason string
	// Checked says what was read back, if anything.
	Checked string
	// Err is the underlying error, if any: an *inbox.Error for answers of the API and
	// calls that got none.
	Err error
}

// SendMessage sends a message in a thread (threads.thread.messages.create) and never sends
// it twice; see SendResult for what is reported. The message text is never logged.
func (c *Client) SendMessage(ctx context.Context, threadID string, p SendMessageParams) SendResult {
	if err := checkID("threadId", threadID); err != nil {
		return SendResult{Outcome: apiclient.NotSent, ThreadID: threadID, Reason: "invalid request; nothing was sent", Err: err}
	}
	if err := checkContent(p.Content); err != nil {
		return SendResult{Outcome: apiclient.NotSent, ThreadID: threadID, Reason: "invalid request; nothing was sent", Err: err}
	}
	if p.ReplyToMessageID != "" {
		if err := checkID("replyToMessageId", p.ReplyToMessageID); err != nil {
			return SendResult{Outcome: apiclient.NotSent, ThreadID: threadID, Reason: "invalid request; nothing was sent", Err: err}
		}
	}
	unlock, err := c.sending.lock(ctx, p.Content)
	if err != nil {
		return SendResult{Outcome: apiclient.NotSent, ThreadID: threadID, Reason: "cancelled while an identical message was being sent; nothing was sent", Err: err}
	}
	defer unlock()
	th, err := c.GetThread(ctx, threadID)
	if err != nil {
		return SendResult{Outcome: apiclient.NotSent, ThreadID: threadID, Reason: "could not read the thread before sending; nothing was sent", Err: err}
	}
	mk := markerOf(th)
	var found *Message
	verify := func(vctx context.Context) (apiclient.Verification, error) {
		m, checked, err := c.findSent(vctx, threadID, mk, p.Content)
		if m != nil {
			found = m
		}
		return apiclient.Verification{Landed: m != nil, Checked: checked}, err
	}
	var msg Message
	so := c.c.Send(ctx, apiclient.Request{Method: "POST", Path: path("threads", threadID, "messages"), Body: p}, &msg, verify)
	r := c.result(so, &msg, found)
	r.ThreadID = threadID
	return r
}

// QuickSendParams sends a message from an account link to a prospect without knowing the
// thread; the API finds or creates it. Set one of ExternalPlatformID or ExternalID.
type QuickSendParams struct {
	AccountLinkID string `json:"accountLinkId"`
	ProspectRef
	Content string `json:"content"`
}

// QuickSendResult is the API's answer to a quick send.
type QuickSendResult struct {
	Message Message         `json:"message"`
	Thread  QuickSendThread `json:"thread"`
}

// QuickSendThread identifies the thread a quick send used (older renderings returned the
// full thread; extra fields are ignored).
type QuickSendThread struct {
	ID         string  `json:"id"`
	PlatformID *string `json:"platformId"`
}

// QuickSend sends a message to a prospect from an account link, finding or creating the
// thread (threads.messages.quickSend), with the same guarantee as SendMessage: the thread is
// looked up first (the marker), and an ambiguous failure is settled by looking the thread
// up again and reading it back. ThreadID in the result is set whenever the thread is known.
func (c *Client) QuickSend(ctx context.Context, p QuickSendParams) SendResult {
	invalid := func(err error) SendResult {
		return SendResult{Outcome: apiclient.NotSent, Reason: "invalid request; nothing was sent", Err: err}
	}
	if err := checkID("accountLinkId", p.AccountLinkID); err != nil {
		return invalid(err)
	}
	if err := p.ProspectRef.check(); err != nil {
		return invalid(err)
	}
	if err := checkContent(p.Content); err != nil {
		return invalid(err)
	}
	unlock, err := c.sending.lock(ctx, p.Content)
	if err != nil {
		return SendResult{Outcome: apiclient.NotSent, Reason: "cancelled while an identical message was being sent; nothing was sent", Err: err}
	}
	defer unlock()
	th, err := c.LookupThread(ctx, p.AccountLinkID, p.ProspectRef)
	if err != nil {
		return SendResult{Outcome: apiclient.NotSent, Reason: "could not look up the thread before sending; nothing was sent", Err: err}
	}
	mk := marker{accountLinkID: p.AccountLinkID, prospectID: p.ExternalID}
	threadID := ""
	if th != nil {
		mk, threadID = markerOf(th), th.ID
	}
	var found *Message
	verify := func(vctx context.Context) (apiclient.Verification, error) {
		tid := threadID
		if tid == "" {
			t2, err := c.LookupThread(vctx, p.AccountLinkID, p.ProspectRef)
			const what = "looked up the thread between the account link and the prospect"
			if err != nil {
				return apiclient.Verification{Checked: what}, err
			}
			if t2 == nil {
				return apiclient.Verification{Checked: what + ": there is still none, so no message was stored"}, nil
			}
			tid = t2.ID
		}
		m, checked, err := c.findSent(vctx, tid, mk, p.Content)
		if m != nil {
			found = m
		}
		return apiclient.Verification{Landed: m != nil, Checked: checked}, err
	}
	var ans QuickSendResult
	so := c.c.Send(ctx, apiclient.Request{Method: "POST", Path: "/threads/messages", Body: p}, &ans, verify)
	r := c.result(so, &ans.Message, found)
	switch {
	case so.Decoded:
		r.ThreadID = ans.Thread.ID
	case r.Message != nil:
		r.ThreadID = r.Message.ThreadID
	default:
		r.ThreadID = threadID
	}
	return r
}

// result turns a transport outcome into a SendResult and claims the message.
func (c *Client) result(so apiclient.SendOutcome, decoded, found *Message) SendResult {
	r := SendResult{Outcome: so.Outcome, Reason: so.Reason, Checked: so.Checked, Err: apiclient.ModelError(so.Err, nil)}
	if so.Outcome != apiclient.Sent {
		return r
	}
	if so.Decoded {
		r.Message = decoded
	} else {
		r.Message = found
	}
	if r.Message != nil {
		c.claims.claim(r.Message.ID)
	}
	return r
}

// marker is what a thread looked like just before a send.
type marker struct {
	accountLinkID string
	prospectID    string // the prospect's Inbox ID, when known
	lastID        string // newest message before the send; "" if the thread was empty
	lastAt        time.Time
}

func markerOf(th *Thread) marker {
	m := marker{accountLinkID: th.AccountLinkID}
	if th.Prospect.ExternalID != nil {
		m.prospectID = *th.Prospect.ExternalID
	}
	if th.LastMessage != nil {
		m.lastID, m.lastAt = th.LastMessage.ID, th.LastMessage.CreatedAt
	}
	return m
}

// outbound reports whether m was written by the team's side of the thread.
func (mk marker) outbound(m *Message) bool {
	if m.AuthorID == mk.accountLinkID {
		return true
	}
	return m.Origin != nil && *m.Origin == OriginAPI && (mk.prospectID == "" || m.AuthorID != mk.prospectID)
}

// Read-back bounds: a message sent a moment ago is on the first page unless the thread got
// more than a page of other messages in the meantime.
const (
	readBackPageSize = 50
	readBackMaxPages = 3
)

// findSent reads a thread's newest messages back to the marker and claims and returns the
// oldest unclaimed outbound message newer than the marker with exactly content, or nil. It errs
// (so the outcome becomes unknown) when it could not read back as far as the marker.
func (c *Client) findSent(ctx context.Context, threadID string, mk marker, content string) (*Message, string, error) {
	scanned, reached := 0, false
	var (
		cursor     *Cursor
		match      *Message
		candidates []Message // newest first
	)
	describe := func() string {
		since := "(the thread was empty before the send)"
		if mk.lastID != "" {
			since = "newer than message " + mk.lastID + " (the newest before the send)"
		}
		verdict := "no outbound message with the same text"
		if match != nil {
			verdict = "found it as message " + match.ID
		}
		return fmt.Sprintf("read back the %d message(s) of thread %s %s: %s", scanned, threadID, since, verdict)
	}
	for pages := 0; pages < readBackMaxPages && !reached; pages++ {
		page, err := c.ListMessages(ctx, threadID, MessageListParams{Limit: readBackPageSize, Cursor: cursor})
		if err != nil {
			return nil, describe(), err
		}
		for i := range page.Messages {
			m := &page.Messages[i]
			if mk.lastID != "" && (m.ID == mk.lastID || m.CreatedAt.Before(mk.lastAt)) {
				reached = true
				break
			}
			scanned++
			if m.Content == content && mk.outbound(m) {
				candidates = append(candidates, *m)
			}
		}
		if page.NextCursor == nil {
			reached = true
		}
		cursor = page.NextCursor
	}
	// The oldest match after the marker that no other send has claimed is this one.
	for i := len(candidates) - 1; i >= 0; i-- {
		if c.claims.claim(candidates[i].ID) {
			match = &candidates[i]
			break
		}
	}
	if match == nil && !reached {
		return nil, describe(), fmt.Errorf("the read-back stopped after %d messages without reaching the messages from before the send", scanned)
	}
	return match, describe(), nil
}

// claimSet remembers the IDs of messages recent sends of this client produced, so a
// read-back never hands one message to two sends. It is bounded: old claims age out.
type claimSet struct {
	mu    sync.Mutex
	ids   map[string]struct{}
	order []string
}

const maxClaims = 4096

// claim records id and reports whether it was free (false: another send has it).
func (s *claimSet) claim(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ids == nil {
		s.ids = make(map[string]struct{})
	}
	if _, ok := s.ids[id]; ok {
		return false
	}
	s.ids[id] = struct{}{}
	s.order = append(s.order, id)
	if len(s.order) > maxClaims {
		delete(s.ids, s.order[0])
		s.order = s.order[1:]
	}
	return true
}

// keyedLock serializes sends of identical text within one client. Entries live only while
// a send holds or waits for them.
type keyedLock struct {
	mu   sync.Mutex
	keys map[string]*keyEntry
}

type keyEntry struct {
	sem  chan struct{}
	refs int
}

// lock waits for key (or ctx) and returns the release function.
func (k *keyedLock) lock(ctx context.Context, key string) (func(), error) {
	k.mu.Lock()
	if k.keys == nil {
		k.keys = make(map[string]*keyEntry)
	}
	e := k.keys[key]
	if e == nil {
		e = &keyEntry{sem: make(chan struct{}, 1)}
		k.keys[key] = e
	}
	e.refs++
	k.mu.Unlock()
	release := func() {
		k.mu.Lock()
		e.refs--
		if e.refs == 0 {
			delete(k.keys, key)
		}
		k.mu.Unlock()
	}
	select {
	case e.sem <- struct{}{}:
		return func() { <-e.sem; release() }, nil
	case <-ctx.Done():
		release()
		return nil, ctx.Err()
	}
}
