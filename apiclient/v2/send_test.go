package v2

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/inbox-mcp/inbox-mcp/apiclient"
)

// sendOpts keeps send tests fast: few attempts, short waits.
var sendOpts = Options{SendAttempts: 3, BusyWait: 20 * time.Millisecond, SendRetryWait: 10 * time.Second}

func sendCfg() apiclient.Config {
	return apiclient.Config{Timeout: 300 * time.Millisecond, Retry: apiclient.RetryPolicy{MaxRetryAfter: 2 * time.Second, Attempts: 2}}
}

func errReply(status int, code string, details any) reply {
	return reply{status: status, body: apiErr(code, "scripted "+code, details)}
}

var (
	created  = reply{status: http.StatusCreated, body: sendResult(msgNewID)}
	replayed = reply{status: http.StatusOK, body: sendResult(msgNewID)}
	internal = errReply(http.StatusInternalServerError, "internal", nil)
)

// TestSendSequences drives one logical send through scripted answers of POST /messages and
// checks the reported outcome, how many requests reached the server, and that every one of
// them carried the same Idempotency-Key and body. A time-out is a stalled reply that expires
// the attempt (a controlled delay); no other attempt can time out, however slow the machine.
func TestSendSequences(t *testing.T) {
	for _, tc := range []struct {
		name     string
		replies  []reply
		want     apiclient.Outcome
		requests int
		replay   bool
		reason   string // part of the reason, when it matters
	}{
		{"first send", []reply{created}, apiclient.Sent, 1, false, ""},
		{"5xx then replay", []reply{internal, replayed}, apiclient.Sent, 2, true, "replayed"},
		{"5xx then first landing", []reply{internal, created}, apiclient.Sent, 2, false, "confirmed"},
		{"dropped connection then replay", []reply{{drop: true}, replayed}, apiclient.Sent, 2, true, ""},
		{"time-out then replay", []reply{{stall: true}, replayed}, apiclient.Sent, 2, true, ""},
		{"in progress then replay", []reply{errReply(http.StatusConflict, "sendInProgress", map[string]any{"messageId": msgNewID}), replayed}, apiclient.Sent, 2, true, ""},
		{"in progress twice then replay", []reply{errReply(http.StatusConflict, "sendInProgress", map[string]any{"messageId": msgNewID}),
			errReply(http.StatusConflict, "sendInProgress", map[string]any{"messageId": msgNewID}), replayed}, apiclient.Sent, 3, true, ""},
		{"unconfirmed is never retried", []reply{errReply(http.StatusBadGateway, "sendUnconfirmed", map[string]any{"messageId": msgNewID}), created},
			apiclient.Unknown, 1, false, "did not confirm"},
		{"5xx then unconfirmed", []reply{internal, errReply(http.StatusBadGateway, "sendUnconfirmed", map[string]any{"messageId": msgNewID})},
			apiclient.Unknown, 2, false, "did not confirm"},
		{"422 content rejected", []reply{errReply(http.StatusUnprocessableEntity, "contentRejected", map[string]any{"detail": "too long"})},
			apiclient.NotSent, 1, false, "contentRejected"},
		{"422 key reused", []reply{errReply(http.StatusUnprocessableEntity, "idempotencyKeyReused", nil)}, apiclient.NotSent, 1, false, "idempotencyKeyReused"},
		{"404 thread", []reply{errReply(http.StatusNotFound, "threadNotFound", nil)}, apiclient.NotSent, 1, false, "threadNotFound"},
		{"account disconnected", []reply{errReply(http.StatusConflict, "accountLinkDisconnected", map[string]any{"accountLinkId": xAccountID, "status": "offline"})},
			apiclient.NotSent, 1, false, "accountLinkDisconnected"},
		{"5xx then refused", []reply{internal, errReply(http.StatusUnprocessableEntity, "threadRestricted", map[string]any{"capability": "message:send"})},
			apiclient.Unknown, 2, false, "earlier attempt may have landed"},
		{"5xx every time", []reply{internal}, apiclient.Unknown, 3, false, "may or may not"},
		{"platform down then sent", []reply{errReply(http.StatusServiceUnavailable, "platformUnavailable", map[string]any{"retryAfterSeconds": nil}), created},
			apiclient.Sent, 2, false, ""},
		{"platform error every time", []reply{errReply(http.StatusBadGateway, "platformError", nil)}, apiclient.NotSent, 3, false, "platformError"},
		{"unreadable answer then replay", []reply{{cut: true, status: http.StatusCreated, body: sendResult(msgNewID)}, replayed}, apiclient.Sent, 2, true, ""},
		{"unreadable answers only", []reply{{cut: true, status: http.StatusCreated, body: sendResult(msgNewID)}}, apiclient.Sent, 3, false, "could not be read"},
		{"rate limited briefly", []reply{{status: http.StatusTooManyRequests, header: map[string]string{"Retry-After": "0.05"},
			body: apiErr("rateLimited", "slow down", map[string]any{"window": "minute", "limit": 300, "resetAt": at})}, created}, apiclient.Sent, 2, false, ""},
		{"rate limited for long", []reply{{status: http.StatusTooManyRequests, header: map[string]string{"Retry-After": "120"},
			body: apiErr("rateLimited", "slow down", map[string]any{"window": "hour", "limit": 10000, "resetAt": at})}}, apiclient.NotSent, 1, false, "rate limited"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, s, _ := scriptedClient(t, sendOpts, sendCfg())
			s.script("POST /messages", tc.replies...)
			o := c.Send(testCtx(t), SendRequest{Target: ToThread(thSarahID), Content: "Thanks, talk soon!"})
			if o.Outcome != tc.want || o.Replayed != tc.replay || !strings.Contains(o.Reason, tc.reason) {
				t.Errorf("outcome %s replayed %v reason %q (err %v); want %s replayed %v reason with %q", o.Outcome, o.Replayed, o.Reason, o.Err, tc.want, tc.replay, tc.reason)
			}
			reqs := s.requests("POST /messages")
			if len(reqs) != tc.requests {
				t.Errorf("the server got %d sends, want %d", len(reqs), tc.requests)
			}
			for i, r := range reqs {
				if r.idem == "" || r.idem != o.IdempotencyKey || r.body != reqs[0].body {
					t.Errorf("request %d: key %q body %s; want key %q and the first body %s", i, r.idem, r.body, o.IdempotencyKey, reqs[0].body)
				}
			}
			switch {
			case strings.Contains(tc.name, "unreadable answers only"):
				if o.Result != nil || o.Err == nil {
					t.Errorf("a send accepted without a readable answer has no result, and says why: %+v", o)
				}
			case o.Outcome == apiclient.Sent:
				if o.Result == nil || o.Result.Message.ID != msgNewID || o.Result.Thread.ID != thSarahID || o.Err != nil {
					t.Errorf("sent without its result: %+v", o)
				}
			default:
				if o.Result != nil || o.Err == nil {
					t.Errorf("%s outcome must carry the error and no result: %+v", o.Outcome, o)
				}
			}
			if strings.Contains(tc.name, "unconfirmed") && o.MessageID != msgNewID {
				t.Errorf("unconfirmed send lost the message ID from details: %+v", o)
			}
			if o.Attempts > 1 && !strings.Contains(o.Checked, o.IdempotencyKey) {
				t.Errorf("Checked %q does not say what was done", o.Checked)
			}
		})
	}
}

// TestSendKeys checks that each logical send gets its own key and that a caller-supplied
// key is used as given.
func TestSendKeys(t *testing.T) {
	c, s, _ := scriptedClient(t, sendOpts, sendCfg())
	ctx := testCtx(t)
	a := c.Send(ctx, SendRequest{Target: ToThread(thSarahID), Content: "one"})
	b := c.Send(ctx, SendRequest{Target: ToContact(xAccountID, sarahID), Content: "two"})
	k := c.SendWithKey(ctx, "order-4821-followup", SendRequest{Target: ToProfile(xAccountID, "twitter", sarahXID), Content: "three", ReplyToMessageID: msgInID})
	reqs := s.requests("POST /messages")
	if len(reqs) != 3 || a.Outcome != apiclient.Sent || b.Outcome != apiclient.Sent || k.Outcome != apiclient.Sent {
		t.Fatalf("outcomes %s %s %s, %d requests", a.Outcome, b.Outcome, k.Outcome, len(reqs))
	}
	if reqs[0].idem == reqs[1].idem || !strings.HasPrefix(reqs[0].idem, "inbox-mcp-") || reqs[2].idem != "order-4821-followup" {
		t.Errorf("keys %q %q %q", reqs[0].idem, reqs[1].idem, reqs[2].idem)
	}
	for i, want := range []string{
		`{"target":{"type":"thread","threadId":"` + thSarahID + `"},"content":"one"}`,
		`{"target":{"type":"contact","accountLinkId":"` + xAccountID + `","contactId":"` + sarahID + `"},"content":"two"}`,
		`{"target":{"type":"profile","accountLinkId":"` + xAccountID + `","platform":"twitter","platformId":"` + sarahXID + `"},"content":"three","replyToMessageId":"` + msgInID + `"}`,
	} {
		if reqs[i].body != want {
			t.Errorf("body %d = %s, want %s", i, reqs[i].body, want)
		}
	}
}

// TestSendRefusedBeforeSending covers sends that never reach the wire.
func TestSendRefusedBeforeSending(t *testing.T) {
	c, s, _ := scriptedClient(t, sendOpts, sendCfg())
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	for _, tc := range []struct {
		name string
		ctx  context.Context
		key  string
		r    SendRequest
	}{
		{"empty content", testCtx(t), "k", SendRequest{Target: ToThread(thSarahID)}},
		{"no target", testCtx(t), "k", SendRequest{Content: "hi"}},
		{"contact target without account", testCtx(t), "k", SendRequest{Target: ToContact("", sarahID), Content: "hi"}},
		{"profile target without platform", testCtx(t), "k", SendRequest{Target: ToProfile(xAccountID, "", sarahXID), Content: "hi"}},
		{"key with a line break", testCtx(t), "a\nb", SendRequest{Target: ToThread(thSarahID), Content: "hi"}},
		{"empty key", testCtx(t), "", SendRequest{Target: ToThread(thSarahID), Content: "hi"}},
		{"cancelled context", cancelled, "k", SendRequest{Target: ToThread(thSarahID), Content: "hi"}},
	} {
		o := c.SendWithKey(tc.ctx, tc.key, tc.r)
		if o.Outcome != apiclient.NotSent || o.Err == nil || o.Reason == "" {
			t.Errorf("%s: %+v, want not sent with a reason and an error", tc.name, o)
		}
	}
	if n := len(s.requests("POST /messages")); n != 0 {
		t.Errorf("%d sends reached the server", n)
	}
}

// TestSendUnreachable: nothing listens, so provably nothing was sent.
func TestSendUnreachable(t *testing.T) {
	_, srv := newScripted(t)
	url := srv.URL
	srv.Close()
	c, _ := newClient(t, target{name: "closed", baseURL: url + "/api/v2", token: "test-token"}, sendOpts, sendCfg())
	o := c.Send(testCtx(t), SendRequest{Target: ToThread(thSarahID), Content: "hi"})
	if o.Outcome != apiclient.NotSent || o.Err == nil {
		t.Errorf("send to a closed port: %+v, want not sent", o)
	}
}

// TestSendCancelledInFlight: the caller gives up while the request is at the server, so
// whether it landed is unknown, and the key to find out is reported.
// A controlled trigger, not a 150ms deadline: the server cancels the call once it holds the
// request, so the cancellation comes mid-flight at any machine speed.
func TestSendCancelledInFlight(t *testing.T) {
	c, s, _ := scriptedClient(t, sendOpts, apiclient.Config{Timeout: 5 * time.Second})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s.script("POST /messages", reply{arrive: cancel, hold: true})
	o := c.Send(ctx, SendRequest{Target: ToThread(thSarahID), Content: "hi"})
	if o.Outcome != apiclient.Unknown || !strings.Contains(o.Reason, "Idempotency-Key") || o.IdempotencyKey == "" {
		t.Errorf("cancelled in flight: %+v, want unknown naming the key", o)
	}
	if n := len(s.requests("POST /messages")); n != 1 {
		t.Errorf("%d sends reached the server, want 1", n)
	}
}
