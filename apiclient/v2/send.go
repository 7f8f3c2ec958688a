package v2

import (
	"context"
	crand "crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/inbox-mcp/inbox-mcp/apiclient"
)

// Send target types.
const (
	TargetThread  = "thread"
	TargetContact = "contact"
	TargetProfile = "profile"
)

// SendTarget says where a message goes. Build it with [ToThread], [ToContact] or
// [ToProfile].
type SendTarget struct {
	Type          string `json:"type"`
	ThreadID      string `json:"threadId,omitempty"`
	AccountLinkID string `json:"accountLinkId,omitempty"`
	ContactID     string `json:"contactId,omitempty"`
	Platform      string `json:"platform,omitempty"`
	PlatformID    string `json:"platformId,omitempty"`
}

// ToThread targets an existing thread.
func ToThread(threadID string) SendTarget { return SendTarget{Type: TargetThread, ThreadID: threadID} }

// ToContact targets a contact's profile on the account link's platform, in its existing
// thread or a new one.
func ToContact(accountLinkID, contactID string) SendTarget {
	return SendTarget{Type: TargetContact, AccountLinkID: accountLinkID, ContactID: contactID}
}

// ToProfile targets a platform user by platform ID, in their existing thread or a new one.
// platform must be the account link's.
func ToProfile(accountLinkID, platform, platformID string) SendTarget {
	return SendTarget{Type: TargetProfile, AccountLinkID: accountLinkID, Platform: platform, PlatformID: platformID}
}

// SendRequest is the body of POST /messages.
type SendRequest struct {
	Target           SendTarget `json:"target"`
	Content          string     `json:"content"`
	ReplyToMessageID string     `json:"replyToMessageId,omitempty"`
}

func (r SendRequest) validate() error {
	t := r.Target
	switch t.Type {
	case TargetThread:
		if t.ThreadID == "" {
			return errInvalid("a thread target needs the thread ID")
		}
	case TargetContact:
		if t.AccountLinkID == "" || t.ContactID == "" {
			return errInvalid("a contact target needs the account link to send from and the contact ID")
		}
	case TargetProfile:
		if t.AccountLinkID == "" || t.Platform == "" || t.PlatformID == "" {
			return errInvalid("a profile target needs the account link to send from, the platform and the person's platform ID")
		}
	default:
		return errInvalid(fmt.Sprintf("unknown send target type %q: use ToThread, ToContact or ToProfile", t.Type))
	}
	if r.Content == "" {
		return errInvalid("the message text is empty: write the message to send")
	}
	return nil
}

// SendResult is the answer to a send: the message and the thread it landed in (which a
// concurrent send may have created; adopt it).
type SendResult struct {
	Message Message `json:"message"`
	Thread  Thread  `json:"thread"`
}

// SendOutcome is the truth about one logical send, as far as it could be established.
type SendOutcome struct {
	// Outcome is apiclient.Sent, NotSent or Unknown.
	Outcome apiclient.Outcome
	// Result is the API's answer when Outcome is Sent.
	Result *SendResult
	// Replayed is true when the answer was a replay (200) of an earlier attempt of this
	// send that had already landed.
	Replayed bool
	// IdempotencyKey is the key every attempt carried. Sending the same request again
	// with this key can never send twice: it returns the original result.
	IdempotencyKey string
	// MessageID is, for an unknown outcome the API reported as unconfirmed, the message it
	// created; check that message or the thread before sending again.
	MessageID string
	// Attempts counts the calls made (each may include transport-level retries).
	Attempts int
	// Reason explains a NotSent or Unknown outcome, or how a Sent one was reached when
	// it took more than one call.
	Reason string
	// Checked says what was done to establish the outcome beyond the first call.
	Checked string
	// RequestID is the API's request ID of the last answer, for support.
	RequestID string
	// Err is the last failure seen (an *inbox.Error for answers of the API and calls that
	// got none; it unwraps to the transport's *apiclient.Error), nil when the first call
	// succeeded.
	Err error
}

// NewIdempotencyKey returns a fresh random Idempotency-Key (128 bits, printable ASCII).
func NewIdempotencyKey() string {
	var b [16]byte
	_, _ = crand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
	return "inbox-mcp-" + hex.EncodeToString(b[:])
}

// Send sends one message with a fresh Idempotency-Key and reports honestly whether it
// landed; it never sends twice. See [Client.SendWithKey].
func (c *Client) Send(ctx context.Context, r SendRequest) SendOutcome {
	return c.SendWithKey(ctx, NewIdempotencyKey(), r)
}

// SendWithKey sends one message (POST /messages) with the given Idempotency-Key, which
// every attempt carries, so that the API never sends it twice:
//
//   - 201 (sent now) or 200 (a replay of an earlier attempt that landed): Sent;
//   - 5xx without a verdict, a lost connection or a time-out: sent again with the same
//     key, up to Options.SendAttempts, then Unknown;
//   - a 2xx whose answer cannot be read: sent again with the same key to recover the
//     result, and Sent (with no Result) if none comes;
//   - 409 sendInProgress (an earlier attempt is still running): wait, then the same key;
//   - 502 sendUnconfirmed: Unknown at once and never retried (the platform may have
//     delivered it);
//   - 429, 4xx refusals (422 included) and the platform's own failures (502
//     platformError, 503 platformUnavailable, after retries): NotSent, unless an earlier
//     attempt may have landed, which makes it Unknown.
//
// A key may be reused to resume a logical send whose outcome was Unknown.
func (c *Client) SendWithKey(ctx context.Context, key string, r SendRequest) SendOutcome {
	o := SendOutcome{Outcome: apiclient.NotSent, IdempotencyKey: key}
	if !validKey(key) {
		o.Reason, o.Err = "invalid Idempotency-Key", errInvalid("an Idempotency-Key is 1 to 255 printable ASCII characters")
		return o
	}
	if err := r.validate(); err != nil {
		o.Reason, o.Err = "invalid send request", err
		return o
	}
	h := http.Header{}
	h.Set("Idempotency-Key", key)
	req := apiclient.Request{Method: http.MethodPost, Path: "/messages", Body: r}

	var (
		retries = c.sendPolicy().Start() // calls repeated after an ambiguous or a platform failure
		maybe   bool                     // some earlier call may have reached the server without a verdict
		taken   bool                     // some call got a 2xx whose body could not be read
		busy    int                      // 409 sendInProgress answers
		log     []string
	)
	finish := func(out apiclient.Outcome, reason string, err error) SendOutcome {
		o.Outcome, o.Reason, o.Err = out, reason, modelError(err)
		if o.Attempts > 1 {
			o.Checked = fmt.Sprintf("sent %d times with Idempotency-Key %s (%s)", o.Attempts, key, strings.Join(log, "; "))
		}
		return o
	}
	for {
		var res SendResult
		ex, err := c.t.DoWithHeader(ctx, req, h, &res)
		o.Attempts++
		info := parseErrorBody(ex.ErrorBody)
		o.RequestID = ex.Header.Get("X-Request-Id")
		if info.RequestID != "" {
			o.RequestID = info.RequestID
		}
		if err == nil {
			o.Result, o.Replayed = &res, ex.Status == http.StatusOK
			log = append(log, fmt.Sprintf("%d", ex.Status))
			reason := ""
			if o.Attempts > 1 {
				reason = "confirmed by sending again with the same Idempotency-Key"
				if o.Replayed {
					reason = "an earlier attempt had landed: the API replayed its result"
				}
			}
			return finish(apiclient.Sent, reason, nil)
		}
		var ae *apiclient.Error
		isAPI := errors.As(err, &ae)
		if isAPI {
			log = append(log, fmt.Sprintf("%d %s", ae.StatusCode, ae.Code))
		} else {
			log = append(log, "no answer: "+err.Error())
		}
		unknown := func(reason string) SendOutcome {
			if taken {
				return finish(apiclient.Sent, "the API accepted the message but its answer could not be read, so its details are missing", err)
			}
			return finish(apiclient.Unknown, reason, err)
		}
		refused := func(reason string) SendOutcome {
			if taken || maybe {
				return unknown(reason + ", but an earlier attempt may have landed: check the thread, or send again with the same Idempotency-Key")
			}
			return finish(apiclient.NotSent, reason, err)
		}
		var wait time.Duration
		switch {
		case isAPI && ae.Code == "sendUnconfirmed":
			o.MessageID = info.messageID()
			return finish(apiclient.Unknown, "the platform did not confirm the message: it may have been delivered; check the thread before sending again (never resend it blindly)", err)

		case isAPI && ae.StatusCode == http.StatusConflict && ae.Code == "sendInProgress":
			// An attempt with this key is at the server: whatever comes next, it may land.
			maybe = true
			busy++
			wait = ae.RetryAfter
			if wait <= 0 {
				wait = c.busyPolicy().Backoff(busy)
			}
			if !retries.Fits(wait) {
				o.MessageID = info.messageID()
				return unknown("an earlier attempt of this send was still in progress at the API when the wait ran out")
			}

		case isAPI && ae.StatusCode == http.StatusTooManyRequests:
			return refused(fmt.Sprintf("rate limited: the API asks to wait %s before sending", ae.RetryAfter.Round(time.Second)))

		case isAPI && ae.StatusCode < 500:
			return refused(fmt.Sprintf("the API refused the message (%d %s: %s)", ae.StatusCode, ae.Code, ae.Message))

		case isAPI && (ae.Code == "platformError" || ae.Code == "platformUnavailable"):
			// The API says the platform failed or is down: nothing was sent this time,
			// and the same key makes trying again safe.
			var ok bool
			wait, ok = retries.Next(max(ae.RetryAfter, info.retryAfter()))
			if !ok || !retries.Retryable(err) {
				return refused(fmt.Sprintf("the platform failed to take the message (%d %s: %s)", ae.StatusCode, ae.Code, ae.Message))
			}

		default:
			// A 5xx without a verdict, or no usable answer at all.
			taken = taken || (!isAPI && ex.Status >= 200 && ex.Status <= 299)
			if ctx.Err() != nil {
				if !ex.Written && !maybe {
					return finish(apiclient.NotSent, "cancelled before the message was sent", err)
				}
				return unknown("cancelled while the message was on its way: send again with the same Idempotency-Key to find out without sending twice")
			}
			if !isAPI && !ex.Written && !maybe {
				return finish(apiclient.NotSent, "could not reach the API; nothing was sent", err)
			}
			maybe = maybe || isAPI || ex.Written
			var retryAfter time.Duration
			if isAPI {
				retryAfter = ae.RetryAfter
			}
			var ok bool
			wait, ok = retries.Next(retryAfter)
			if !ok || !retries.Retryable(err) {
				return unknown(fmt.Sprintf("no attempt of %d confirmed the message: it may or may not have been sent; send again with the same Idempotency-Key to find out without sending twice", o.Attempts))
			}
		}
		if werr := retries.Wait(ctx, wait); werr != nil {
			if ctx.Err() == nil { // out of time: the wait would pass SendRetryWait or ctx's deadline
				if maybe {
					return unknown("out of time to confirm the message: it may or may not have been sent; send again with the same Idempotency-Key to find out")
				}
				return finish(apiclient.NotSent, "out of time to retry; nothing was sent", err)
			}
			if maybe {
				return unknown("cancelled while confirming the message: send again with the same Idempotency-Key to find out")
			}
			return finish(apiclient.NotSent, "cancelled before trying again; nothing was sent", err)
		}
	}
}

// sendPolicy is the transport's retry policy with the bounds of Options: a logical send
// repeats its calls with the same backoff as every other call, up to SendAttempts and
// SendRetryWait.
func (c *Client) sendPolicy() apiclient.RetryPolicy {
	p := c.t.RetryPolicy()
	if c.opt.SendAttempts > 0 {
		p.Attempts = c.opt.SendAttempts
	}
	if c.opt.SendRetryWait > 0 {
		p.MaxWait = c.opt.SendRetryWait
	}
	return p
}

// busyPolicy spaces the waits for an earlier attempt still in progress (409
// sendInProgress): BusyWait, doubling, at most 64 times BusyWait, without jitter (the
// server, not a crowd of callers, decides when the attempt ends).
func (c *Client) busyPolicy() apiclient.RetryPolicy {
	return apiclient.RetryPolicy{BaseDelay: c.opt.BusyWait, MaxDelay: c.opt.BusyWait << 6, Jitter: -1}
}

func validKey(k string) bool {
	if k == "" || len(k) > 255 {
		return false
	}
	for i := 0; i < len(k); i++ {
		if k[i] < 0x20 || k[i] > 0x7e {
			return false
		}
	}
	return true
}

// errorBody is the v2 error shape: {code, message, details, requestId}.
type errorBody struct {
	Code      string          `json:"code"`
	Message   string          `json:"message"`
	Details   json.RawMessage `json:"details"`
	RequestID string          `json:"requestId"`
}

func parseErrorBody(b []byte) errorBody {
	var e errorBody
	if len(b) > 0 {
		_ = json.Unmarshal(b, &e) // a body that is not the v2 shape leaves e empty
	}
	return e
}

// messageID reads details.messageId (sendUnconfirmed, sendInProgress).
func (e errorBody) messageID() string {
	var d struct {
		MessageID string `json:"messageId"`
	}
	_ = json.Unmarshal(e.Details, &d)
	return d.MessageID
}

// retryAfter reads details.retryAfterSeconds (platformUnavailable, platformRateLimited).
func (e errorBody) retryAfter() time.Duration {
	var d struct {
		RetryAfterSeconds *int64 `json:"retryAfterSeconds"`
	}
	if json.Unmarshal(e.Details, &d) != nil || d.RetryAfterSeconds == nil || *d.RetryAfterSeconds <= 0 {
		return 0
	}
	return min(time.Duration(*d.RetryAfterSeconds)*time.Second, 30*time.Second)
}
