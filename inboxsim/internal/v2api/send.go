package v2api

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/httpx"
	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/store"
)

// POST /messages: one send for thread, contact and profile targets, with the Idempotency-Key
// semantics described in idempotency.go.

// v2SendBody reads and checks a send request. It returns the raw body too, whose JSON value
// identifies the request for its Idempotency-Key.
func v2SendBody(c *v2Call) (store.V2SendInput, []byte, error) {
	var in store.V2SendInput
	raw, err := io.ReadAll(http.MaxBytesReader(nil, c.r.Body, httpx.MaxBodyBytes))
	if err != nil {
		return in, nil, v2Invalid(nil, "could not read the request body: %v", err)
	}
	c.r.Body = io.NopCloser(bytes.NewReader(raw))
	b, err := v2Body(c, true, "target", "content", "replyToMessageId")
	if err != nil {
		return in, nil, err
	}
	targetRaw, ok, isNull := b.Raw("target")
	if !ok || isNull {
		return in, nil, v2Invalid([]any{"target"}, `target is required: {"type":"thread","threadId":…}, {"type":"contact","accountLinkId":…,"contactId":…} or {"type":"profile","accountLinkId":…,"platform":…,"platformId":…}`)
	}
	var target map[string]json.RawMessage
	if json.Unmarshal(targetRaw, &target) != nil {
		return in, nil, v2Invalid([]any{"target"}, "target must be an object with a type")
	}
	str := func(name string) (string, error) {
		v, ok := target[name]
		var s string
		if !ok || json.Unmarshal(v, &s) != nil || s == "" {
			return "", v2Invalid([]any{"target", name}, "target.%s is required for a %s target and must be a non-empty string", name, in.Type)
		}
		return s, nil
	}
	if in.Type, err = str("type"); err != nil {
		return in, nil, v2Invalid([]any{"target", "type"}, "target.type is required: thread, contact or profile")
	}
	fields := map[string][]string{"thread": {"threadId"}, "contact": {"accountLinkId", "contactId"}, "profile": {"accountLinkId", "platform", "platformId"}}
	want, known := fields[in.Type]
	if !known {
		return in, nil, v2Invalid([]any{"target", "type"}, "target.type must be thread, contact or profile, got %q", in.Type)
	}
	var keys []string
	for k := range target {
		if k != "type" && !slices.Contains(want, k) {
			keys = append(keys, k)
		}
	}
	if len(keys) > 0 {
		sort.Strings(keys)
		return in, nil, v2Invalid([]any{"target", keys[0]}, "a %s target takes %s, not %s", in.Type, strings.Join(want, ", "), keys[0])
	}
	vals := map[string]string{}
	for _, f := range want {
		if vals[f], err = str(f); err != nil {
			return in, nil, err
		}
		if f != "platform" && f != "platformId" && !store.IsInboxID(vals[f]) {
			return in, nil, v2Invalid([]any{"target", f}, "target.%s must be an Inboxapp ID (lowercase letters and digits), got %q", f, vals[f])
		}
	}
	in.ThreadID, in.AccountLinkID, in.ContactID = vals["threadId"], vals["accountLinkId"], vals["contactId"]
	in.Platform, in.PlatformID = vals["platform"], vals["platformId"]
	if in.Content, err = b.Text("content", true); err != nil {
		return in, nil, v2Invalid([]any{"content"}, "content is required: the message text, at least one character")
	}
	if in.ReplyTo, err = b.ID("replyToMessageId", false); err != nil {
		return in, nil, v2Invalid([]any{"replyToMessageId"}, "replyToMessageId must be the Inboxapp ID of a message in the thread")
	}
	in.TokenID = TokenID(c.token)
	return in, raw, nil
}

func v2SendMessage(c *v2Call) (v2Result, error) {
	if _, err := parseV2Query(c.r.URL.RawQuery); err != nil {
		return v2Result{}, err
	}
	key := c.r.Header.Get("Idempotency-Key")
	if _, present := c.r.Header["Idempotency-Key"]; present && !validIdempotencyKey(key) {
		return v2Result{}, v2Invalid([]any{"Idempotency-Key"}, "the Idempotency-Key header must be 1 to 255 printable ASCII characters, such as order-4821-followup")
	}
	in, raw, err := v2SendBody(c)
	if err != nil {
		return v2Result{}, err
	}
	rate, delay := c.sim.SendFaults()
	unconfirmed := c.sim.idem.unconfirmed(rate)
	if key == "" {
		res, sent, err := c.send(in, unconfirmed, nil)
		if err != nil {
			return v2Result{}, err
		}
		c.delivered(sent, delay)
		return res, nil
	}
	im := c.sim.idem
	k, hash := idemKey{c.team, key}, bodyHash(raw)
	im.mu.Lock()
	if fl, busy := im.inflight[k]; busy {
		im.mu.Unlock()
		if fl.hash != hash {
			return v2Result{}, keyReused(key)
		}
		return v2Result{}, v2Errorf(http.StatusConflict, "sendInProgress", map[string]string{"messageId": fl.messageID},
			"a send with this Idempotency-Key is still in progress (message %s); wait a moment and retry with the same key", fl.messageID)
	}
	rec, err := c.sim.store.LookupIdempotencyKey(c.ctx, c.team, key)
	if err != nil || rec != nil {
		im.mu.Unlock()
		if err != nil {
			return v2Result{}, err
		}
		if rec.Hash != hash {
			return v2Result{}, keyReused(key)
		}
		return replay(*rec)
	}
	res, sent, err := c.send(in, unconfirmed, func(tx *sql.Tx, r store.IdempotencyRecord) error {
		r.Hash = hash
		return c.sim.store.StoreIdempotencyKey(c.ctx, tx, c.team, key, r)
	})
	if err != nil {
		im.mu.Unlock()
		return v2Result{}, err
	}
	im.inflight[k] = idemFlight{hash: hash, messageID: sent.MessageID}
	im.mu.Unlock()
	c.delivered(sent, delay)
	im.mu.Lock()
	delete(im.inflight, k)
	im.mu.Unlock()
	return res, nil
}

func keyReused(key string) *v2Error {
	return v2Errorf(http.StatusUnprocessableEntity, "idempotencyKeyReused", nil,
		"the Idempotency-Key %q was used for a different request; use a new key for a new message", key)
}

// replay answers a stored result again: a send's result with 200, an unconfirmed send's
// error as it was (with this request's ID).
func replay(r store.IdempotencyRecord) (v2Result, error) {
	if r.Status < 300 {
		return v2Result{status: http.StatusOK, raw: r.Body}, nil
	}
	var e ErrorBody
	if err := json.Unmarshal(r.Body, &e); err != nil {
		return v2Result{}, err
	}
	return v2Result{}, &v2Error{Status: r.Status, Code: e.Code, Message: e.Message, Details: e.Details}
}

// send stores the message and renders its result inside the send's transaction, and hands
// the result to record (for the Idempotency-Key) in that transaction too. With unconfirmed,
// the message is stored (the platform may have delivered it) but the answer is 502
// sendUnconfirmed.
func (c *v2Call) send(in store.V2SendInput, unconfirmed bool, record func(tx *sql.Tx, r store.IdempotencyRecord) error) (v2Result, store.V2Sent, error) {
	var res v2Result
	sent, err := c.sim.store.V2Send(c.ctx, c.team, in, func(tx *sql.Tx, sent store.V2Sent) error {
		r := c.renderer(tx)
		m, err := c.sim.store.V2Message(c.ctx, tx, c.team, sent.MessageID)
		if err != nil {
			return err
		}
		msgs, err := r.messages([]store.V2MessageRow{m}, nil)
		if err != nil {
			return err
		}
		th, err := c.sim.store.V2Thread(c.ctx, tx, c.team, sent.ThreadID)
		if err != nil {
			return err
		}
		threads, err := r.threads([]store.V2ThreadRow{th}, nil)
		if err != nil {
			return err
		}
		rec := store.IdempotencyRecord{Status: http.StatusCreated, MessageID: sent.MessageID,
			Body: httpx.JSONBody(SendResultJSON{Message: msgs[0], Thread: threads[0]})}
		res = v2Result{status: http.StatusCreated, raw: rec.Body}
		if unconfirmed {
			e := v2Errorf(http.StatusBadGateway, "sendUnconfirmed", map[string]string{"messageId": sent.MessageID},
				"the platform did not confirm message %s; it may have been delivered, so check the thread before sending again, and do not retry", sent.MessageID)
			rec.Status, rec.Body = e.Status, httpx.JSONBody(ErrorBody{Code: e.Code, Message: e.Message, Details: e.Details})
			res = v2Result{status: e.Status, raw: httpx.JSONBody(ErrorBody{Code: e.Code, Message: e.Message, Details: e.Details, RequestID: c.requestID})}
		}
		if record != nil {
			return record(tx, rec)
		}
		return nil
	})
	return res, sent, err
}

// delivered waits while the platform takes the message (Faults.SendDelay), whatever the
// client does meanwhile, and lets a simulated prospect answer a message sent on X.
func (c *v2Call) delivered(sent store.V2Sent, delay time.Duration) {
	if delay > 0 {
		_ = c.sim.WaitSend(c.r, delay)
	}
	if sent.X != nil {
		c.sim.reply(c.team, *sent.X)
	}
}
