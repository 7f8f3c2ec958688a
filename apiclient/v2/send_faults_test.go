package v2

import (
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/inbox-mcp/inbox-mcp/apiclient"
	"github.com/inbox-mcp/inbox-mcp/apiclient/apiclienttest"
)

// idemServer implements POST /messages with the document's Idempotency-Key semantics (201
// for a new send, 200 replaying the stored result, 422 for the same key with another body,
// 409 sendInProgress while the first attempt is still being processed) and injects faults
// around storing the message, so that tests can count the messages that really exist.
type idemServer struct {
	mu       sync.Mutex
	rng      *rand.Rand
	sends    map[string]*idemSend
	messages map[string]int // key -> messages created with it
	requests int
	busy     int            // 409 sendInProgress answers
	faults   map[string]int // faults injected so far per key
	maxFault int            // at most this many faulted requests per key
	// tm times the client's attempt out when a send is slower than the client waits.
	tm apiclienttest.Timeouts
}

type idemSend struct {
	body   string
	result map[string]any
	// inProgress: the send is still being processed. A slow send stays so until a retry
	// has been answered 409 sendInProgress, then finishes (a controlled delay: the next
	// retry gets the replay, whatever the machine's speed).
	inProgress bool
}

const (
	faultNone        = iota
	faultBefore      // 500 before anything is stored
	faultAfter       // store the message, then answer 500
	faultDropAfter   // store the message, then drop the connection
	faultSlowAfter   // store the message, answer only after the client's time-out
	faultUnavailable // 503 platformUnavailable, nothing stored
	faultKinds
)

func (s *idemServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	key := r.Header.Get("Idempotency-Key")
	s.mu.Lock()
	s.requests++
	fault := faultNone
	if s.faults[key] < s.maxFault && s.rng.IntN(2) == 0 {
		fault = 1 + s.rng.IntN(faultKinds-1)
		s.faults[key]++
	}
	if prev, ok := s.sends[key]; ok {
		inProgress := prev.inProgress && prev.body == string(body)
		if inProgress {
			s.busy++
			prev.inProgress = false
		}
		s.mu.Unlock()
		switch {
		case prev.body != string(body):
			write(w, r, errReply(http.StatusUnprocessableEntity, "idempotencyKeyReused", nil))
		case inProgress:
			write(w, r, errReply(http.StatusConflict, "sendInProgress", map[string]any{"messageId": prev.result["message"].(map[string]any)["id"]}))
		default:
			write(w, r, reply{status: http.StatusOK, body: prev.result})
		}
		return
	}
	if fault == faultBefore || fault == faultUnavailable {
		s.mu.Unlock()
		if fault == faultBefore {
			write(w, r, internal)
		} else {
			write(w, r, errReply(http.StatusServiceUnavailable, "platformUnavailable", map[string]any{"retryAfterSeconds": nil}))
		}
		return
	}
	s.messages[key]++
	id := fmt.Sprintf("msg%021d", len(s.sends))
	var req SendRequest
	_ = json.Unmarshal(body, &req)
	res := sendResult(id)
	res["message"].(map[string]any)["content"] = req.Content
	sent := &idemSend{body: string(body), result: res}
	s.sends[key] = sent
	sent.inProgress = fault == faultSlowAfter
	s.mu.Unlock()
	switch fault {
	case faultAfter:
		write(w, r, internal)
	case faultDropAfter:
		write(w, r, reply{drop: true})
	case faultSlowAfter:
		s.tm.Expire()
		write(w, r, reply{stall: true})
	default:
		write(w, r, reply{status: http.StatusCreated, body: res})
	}
}

// TestSendExactlyOnceUnderFaults sends N messages while the server fails around storing
// them (5xx before or after storing, dropped connections, answers slower than the client
// waits, which makes retries meet 409 sendInProgress). Every logical send must end sent,
// with exactly one message per send on the server and the right content in each result.
//
// Deterministic at any machine speed: a slow answer expires the client's attempt and stays
// in progress until a retry met it (controlled delays); no attempt times out on a clock.
func TestSendExactlyOnceUnderFaults(t *testing.T) {
	srvState := &idemServer{
		rng:      rand.New(rand.NewPCG(7, 21)),
		sends:    map[string]*idemSend{},
		messages: map[string]int{},
		faults:   map[string]int{},
		maxFault: 2,
	}
	mux := http.NewServeMux()
	mux.Handle("POST /api/v2/messages", srvState)
	srv := httptest.NewServer(mux)
	defer srv.Close()
	c, _ := newClient(t, target{name: "idempotent", baseURL: srv.URL + "/api/v2", token: "test-token"},
		Options{SendAttempts: 4, BusyWait: 100 * time.Millisecond, SendRetryWait: 20 * time.Second},
		apiclient.Config{Timeout: 200 * time.Millisecond, Retry: apiclient.RetryPolicy{Attempts: 2}, AttemptContext: srvState.tm.Context})

	const n = 24
	ctx := testCtx(t)
	for i := range n {
		content := fmt.Sprintf("Follow-up %d", i)
		o := c.Send(ctx, SendRequest{Target: ToThread(thSarahID), Content: content})
		if o.Outcome != apiclient.Sent || o.Result == nil || o.Result.Message.Content != content {
			t.Fatalf("send %d: %s (%s, %v); every send must land once", i, o.Outcome, o.Reason, o.Err)
		}
		srvState.mu.Lock()
		got := srvState.messages[o.IdempotencyKey]
		srvState.mu.Unlock()
		if got != 1 {
			t.Fatalf("send %d created %d messages, want exactly 1", i, got)
		}
	}
	srvState.mu.Lock()
	defer srvState.mu.Unlock()
	total := 0
	for _, m := range srvState.messages {
		total += m
	}
	faulted := 0
	for _, f := range srvState.faults {
		faulted += f
	}
	if total != n || len(srvState.messages) != n {
		t.Errorf("%d messages under %d keys for %d sends", total, len(srvState.messages), n)
	}
	if faulted == 0 || srvState.busy == 0 {
		t.Errorf("%d faults injected, %d sendInProgress answers: the faults did not cover retries and replays", faulted, srvState.busy)
	}
	t.Logf("%d sends, %d requests, %d injected faults, %d sendInProgress answers, %d messages", n, srvState.requests, faulted, srvState.busy, total)
}
