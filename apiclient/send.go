package apiclient

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"
)

// Outcome is the truth about a send, as far as the client could establish it.
type Outcome string

// The three outcomes of [Client.Send].
const (
	// Sent: the server accepted the message (a 2xx answer, or a read-back found it).
	Sent Outcome = "sent"
	// NotSent: the server refused it, or it provably never reached the server, or a
	// read-back after an ambiguous failure showed it is not there.
	NotSent Outcome = "not_sent"
	// Unknown: the request may have reached the server and the read-back could not
	// settle it. Check the thread before sending again.
	Unknown Outcome = "unknown"
)

// VerifyFunc reads back whether a send whose answer was lost landed. It must not write.
// It may return descriptive text of what it looked at via the Checked field of the
// returned [Verification].
type VerifyFunc func(ctx context.Context) (Verification, error)

// Verification is the result of a read-back.
type Verification struct {
	// Landed reports whether the sent item was found.
	Landed bool
	// Checked says what was looked at, for the caller and the user, e.g. "the 12
	// messages newer than the one before the send".
	Checked string
}

// SendOutcome reports how a [Client.Send] ended.
type SendOutcome struct {
	// Outcome is Sent, NotSent or Unknown.
	Outcome Outcome
	// Reason explains a NotSent or Unknown outcome, or how a Sent outcome was confirmed
	// when the answer itself was lost. Empty for a plain success.
	Reason string
	// Checked describes the read-back(s) performed, empty if none was needed.
	Checked string
	// Err is the last failure seen (an *Error for API answers), nil for a plain success.
	Err error
	// Attempts counts the requests written or tried (read-backs excluded).
	Attempts int
	// Decoded reports whether out holds the server's answer. It is false when a send
	// was confirmed by a read-back or its 2xx answer was unreadable.
	Decoded bool
}

// Send performs a request that must not take effect twice (sending a message) and decodes a
// 2xx answer into out. It retries only failures that provably left the server untouched: a
// 429 (after Retry-After, within the retry policy's MaxRetryAfter and MaxWait) and a
// connection that failed before the request was written (up to its Attempts). When the request may have
// reached the server without a usable answer (a 5xx, a time-out or dropped connection
// after writing, an unreadable 2xx), verify reads back to decide:
//
//   - after a 5xx answer (504 aside), found means Sent; not found means the server finished
//     without storing it, so the request is sent again (within the policy's Attempts);
//   - after a lost connection or time-out, found means Sent; not found is read back once
//     more after VerifyDelay (the server may still have been working). Still not found
//     means NotSent when the server closed the connection, and Unknown when the client
//     stopped waiting (time-out or cancellation) or a gateway did (504), since the server
//     may store it later;
//   - a read-back that fails gives Unknown, with what was checked.
//
// The read-back runs even if ctx was cancelled meanwhile (bounded by the Timeout), because
// a caller that gave up still needs to know whether a message went out. verify may be nil
// when no read-back exists; ambiguous failures are then Unknown.
func (c *Client) Send(ctx context.Context, r Request, out any, verify VerifyFunc) SendOutcome {
	if err := c.checkRequest(r); err != nil {
		return SendOutcome{Outcome: NotSent, Reason: "invalid request", Err: err}
	}
	body, err := encodeBody(r)
	if err != nil {
		return SendOutcome{Outcome: NotSent, Reason: "the request could not be encoded", Err: err}
	}
	var (
		retries = c.cfg.Retry.Start()
		checked []string
	)
	so := func(o Outcome, reason string, err error, attempts int) SendOutcome {
		out := SendOutcome{Outcome: o, Reason: reason, Err: err, Attempts: attempts, Checked: joinChecked(checked)}
		lvl := slog.LevelDebug
		if o != Sent || err != nil {
			lvl = slog.LevelWarn
		}
		c.log.LogAttrs(ctx, lvl, "inbox api send", slog.String("path", r.Path), slog.String("outcome", string(o)),
			slog.Int("attempts", attempts), slog.String("reason", reason))
		return out
	}
	for n := 1; ; n++ {
		ticket, err := c.lim.wait(ctx, c.cfg.Retry.MaxRetryAfter)
		if err != nil {
			err = c.waitError(r, err)
			if IsRateLimited(err) {
				return so(NotSent, fmt.Sprintf("rate limited: wait %s before sending; nothing was sent", statusRetry(err).Round(time.Second)), err, n-1)
			}
			return so(NotSent, "cancelled while waiting for a rate-limit slot; nothing was sent", err, n-1)
		}
		res := c.attempt(ctx, r, body, out)
		c.lim.observe(ticket, res.header, res.status, res.retryAfter)
		c.logAttempt(ctx, r, n, &res)
		last := res.failure(r)
		switch {
		case res.ok():
			o := so(Sent, "", nil, n)
			o.Decoded = true
			return o

		case res.apiErr == nil && res.status >= 200 && res.status <= 299:
			// The server said yes; only its answer was lost. Read back to recover the
			// item for the caller, but the outcome is Sent whatever the read-back says.
			reason := "the server accepted the request but its answer was unreadable (" + errText(last) + ")"
			if verify != nil {
				v, verr := c.runVerify(ctx, verify)
				checked = append(checked, v.Checked)
				if verr == nil && v.Landed {
					reason += "; the read-back found it"
				} else {
					reason += "; the read-back did not return it"
				}
			}
			return so(Sent, reason, last, n)

		case res.status == http.StatusTooManyRequests:
			limited := fmt.Sprintf("rate limited: the API asks to wait %s before sending", res.retryAfter.Round(time.Second))
			wait, ok := retries.NextLimited(res.retryAfter)
			if !ok || !retries.Retryable(last) {
				return so(NotSent, limited, last, n)
			}
			if err := retries.Wait(ctx, wait); err != nil {
				if ctx.Err() == nil {
					return so(NotSent, limited, last, n)
				}
				return so(NotSent, "cancelled while waiting out a rate limit; nothing was sent", last, n)
			}

		case res.apiErr != nil && res.status < 500:
			return so(NotSent, "the API refused the request", last, n)

		case res.apiErr == nil && !res.written:
			// The connection failed before the request went out: nothing can have
			// happened on the server.
			if ctx.Err() != nil {
				return so(NotSent, "cancelled before the request was sent", last, n)
			}
			wait, ok := retries.Next(0)
			if !ok || !retries.Retryable(last) {
				return so(NotSent, "could not reach the API; nothing was sent", last, n)
			}
			if err := retries.Wait(ctx, wait); err != nil {
				if ctx.Err() == nil {
					return so(NotSent, "could not reach the API; nothing was sent", last, n)
				}
				return so(NotSent, "cancelled before the request was sent", last, n)
			}

		case res.status == http.StatusGatewayTimeout:
			// A gateway gave up waiting; the API behind it may still be working on
			// the request, exactly as after our own time-out.
			return c.settleLost(ctx, verify, res, last, n, &checked, so)

		case res.apiErr != nil:
			// A 5xx: the server finished with the request. A read-back settles whether
			// it stored the message before failing.
			if verify == nil {
				return so(Unknown, "the API answered "+fmt.Sprint(res.status)+" and no read-back is available", last, n)
			}
			v, verr := c.runVerify(ctx, verify)
			checked = append(checked, v.Checked)
			switch {
			case verr != nil:
				return so(Unknown, fmt.Sprintf("the API answered %d and the read-back failed (%s)", res.status, errText(verr)), last, n)
			case v.Landed:
				return so(Sent, fmt.Sprintf("the API answered %d but the read-back found the message", res.status), last, n)
			}
			wait, ok := retries.Next(res.retryAfter)
			if ctx.Err() != nil || !ok || !retries.Retryable(last) || retries.Wait(ctx, wait) != nil {
				return so(NotSent, fmt.Sprintf("the API answered %d and the read-back confirmed nothing was stored", res.status), last, n)
			}

		default:
			// Written, then no answer: time-out, dropped connection, or the caller
			// cancelled mid-flight. Never repeat; find out.
			return c.settleLost(ctx, verify, res, last, n, &checked, so)
		}
	}
}

// settleLost decides the outcome of a send whose request was written but whose answer
// never came.
func (c *Client) settleLost(ctx context.Context, verify VerifyFunc, res attemptResult, last error, n int, checked *[]string,
	so func(Outcome, string, error, int) SendOutcome) SendOutcome {
	what := "the connection failed after the request was sent"
	// When the server closed the exchange it is done with the request; when someone
	// stopped waiting (our time-out, a cancellation, a gateway's 504) it may still be
	// processing it.
	serverClosed := ctx.Err() == nil && !res.timedOut && res.status != http.StatusGatewayTimeout
	switch {
	case ctx.Err() != nil:
		what = "the call was cancelled after the request was sent"
	case res.timedOut:
		what = fmt.Sprintf("no answer within %s after the request was sent", c.cfg.Timeout)
	case res.status == http.StatusGatewayTimeout:
		what = "a gateway answered 504 (it gave up waiting for the API)"
	}
	if verify == nil {
		return so(Unknown, what+" and no read-back is available", last, n)
	}
	for round := 1; ; round++ {
		v, verr := c.runVerify(ctx, verify)
		*checked = append(*checked, v.Checked)
		switch {
		case verr != nil:
			return so(Unknown, fmt.Sprintf("%s and the read-back failed (%s)", what, errText(verr)), last, n)
		case v.Landed:
			return so(Sent, what+"; the read-back found the message", last, n)
		case round >= 2 || c.cfg.VerifyDelay < 0:
			if serverClosed {
				return so(NotSent, what+"; the read-back did not find the message", last, n)
			}
			// We stopped waiting, not the server: it may still store the message.
			return so(Unknown, what+"; the read-back did not find the message, but the API may still be working on it: check the thread before sending again", last, n)
		}
		if err := sleep(context.WithoutCancel(ctx), c.cfg.VerifyDelay); err != nil {
			return so(Unknown, what+" and the read-back was interrupted", last, n)
		}
	}
}

// runVerify runs a read-back even when ctx is already cancelled: whoever gave up on the
// send still needs to know whether it went out. It is bounded by twice the attempt timeout.
func (c *Client) runVerify(ctx context.Context, verify VerifyFunc) (Verification, error) {
	vctx := ctx
	if ctx.Err() != nil {
		vctx = context.WithoutCancel(ctx)
	}
	vctx, cancel := context.WithTimeout(vctx, 2*c.cfg.Timeout)
	defer cancel()
	return verify(vctx)
}

// statusRetry is the RetryAfter of an *Error, 0 otherwise.
func statusRetry(err error) time.Duration {
	var e *Error
	if errors.As(err, &e) {
		return e.RetryAfter
	}
	return 0
}

func errText(err error) string {
	if err == nil {
		return "no error"
	}
	return err.Error()
}

func joinChecked(parts []string) string {
	var s string
	for _, p := range parts {
		if p == "" {
			continue
		}
		if s != "" {
			s += "; then "
		}
		s += p
	}
	return s
}
