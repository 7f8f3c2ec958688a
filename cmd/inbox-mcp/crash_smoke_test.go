package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/inbox-mcp/inbox-mcp/inbox"
	"github.com/inbox-mcp/inbox-mcp/internal/testenv"
	"github.com/inbox-mcp/inbox-mcp/views"
)

// The tests of this file kill the server in the middle of a send and restart it, as a crash
// or a killed terminal does, and send the same text to the same thread again, as a model
// retrying a call that never answered does. Nothing may arrive twice without the person
// being told.

// holdingAPI serves the simulator, except that one armed send (a POST to .../messages) is
// processed in full (the message is stored) and then its answer is held back until the
// client goes away: the server is killed while its send is in flight, after the API has
// done its part. stored is told when the held send has been processed.
type holdingAPI struct {
	next   http.Handler
	armed  atomic.Bool
	stored chan struct{}
}

func (h *holdingAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || !strings.HasSuffix(r.URL.Path, "/messages") || !h.armed.CompareAndSwap(true, false) {
		h.next.ServeHTTP(w, r)
		return
	}
	// The API finishes the send whatever happens to its caller; the answer never leaves.
	h.next.ServeHTTP(httptest.NewRecorder(), r.WithContext(context.WithoutCancel(r.Context())))
	h.stored <- struct{}{}
	<-r.Context().Done()
}

// mcpProcess is the binary serving MCP over stdio, driven line by line as a client does.
type mcpProcess struct {
	t       *testing.T
	cmd     *exec.Cmd
	stdin   io.WriteCloser
	answers chan rpcMsg
	stderr  *syncBuffer
	nextID  int
}

// startMCP starts the binary with args and env (beside cleanEnv) and initializes a session.
func startMCP(t *testing.T, args, env []string) *mcpProcess {
	t.Helper()
	cmd := exec.Command(binary(t), args...)
	cmd.Env = cleanEnv(t, env...)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	p := &mcpProcess{t: t, cmd: cmd, stdin: stdin, answers: make(chan rpcMsg, 64), stderr: &syncBuffer{}}
	cmd.Stderr = p.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		defer close(p.answers)
		sc := bufio.NewScanner(stdout)
		sc.Buffer(make([]byte, 0, 1<<20), 16<<20)
		for sc.Scan() {
			var m rpcMsg
			if json.Unmarshal(sc.Bytes(), &m) == nil && len(m.ID) > 0 {
				p.answers <- m
			}
		}
	}()
	t.Cleanup(p.kill)
	p.write(request(p.id(), "initialize", initializeParams()))
	if m := p.await(fmt.Sprint(p.nextID)); m.Error != nil {
		t.Fatalf("initialize: %+v", m.Error)
	}
	p.write(`{"jsonrpc":"2.0","method":"notifications/initialized"}`)
	return p
}

func (p *mcpProcess) id() int { p.nextID++; return p.nextID }

func (p *mcpProcess) write(line string) {
	p.t.Helper()
	if _, err := io.WriteString(p.stdin, line+"\n"); err != nil {
		p.t.Fatalf("writing to the server: %v; stderr:\n%s", err, p.stderr.String())
	}
}

// await returns the answer to request id. The bound only stops a hung test.
func (p *mcpProcess) await(id string) rpcMsg {
	p.t.Helper()
	timeout := time.After(2 * time.Minute)
	for {
		select {
		case m, ok := <-p.answers:
			if !ok {
				p.t.Fatalf("the server closed stdout before answering %s; stderr:\n%s", id, p.stderr.String())
			}
			if string(m.ID) == id {
				return m
			}
		case <-timeout:
			p.t.Fatalf("no answer to request %s; stderr:\n%s", id, p.stderr.String())
		}
	}
}

// start sends a tools/call without waiting for its answer and returns its request ID.
func (p *mcpProcess) start(tool string, args map[string]any) string {
	p.t.Helper()
	id := p.id()
	p.write(request(id, "tools/call", map[string]any{"name": tool, "arguments": args}))
	return fmt.Sprint(id)
}

// call makes a tools/call and returns its result.
func (p *mcpProcess) call(tool string, args map[string]any) toolResult {
	p.t.Helper()
	m := p.await(p.start(tool, args))
	var tr toolResult
	if m.Error != nil || json.Unmarshal(m.Result, &tr) != nil {
		p.t.Fatalf("%s: %s %+v", tool, m.Result, m.Error)
	}
	return tr
}

// kill ends the process at once (SIGKILL: no shutdown code runs) and reaps it.
func (p *mcpProcess) kill() {
	if p.cmd.ProcessState != nil {
		return
	}
	p.cmd.Process.Kill()
	for range p.answers {
		// Read stdout to its end before Wait closes it.
	}
	p.cmd.Wait()
}

// crashOutcome is the part of send_reply's answer these tests read.
type crashOutcome struct {
	Outcome      string `json:"outcome"`
	MessageID    string `json:"message_id"`
	ConfirmToken string `json:"confirm_token"`
	DuplicateOf  string `json:"duplicate_of"`
	DuplicateAt  string `json:"duplicate_at"`
	// EarlierAttempt is when the interrupted attempt began, when the send resumed it.
	EarlierAttempt string `json:"earlier_attempt"`
}

func (tr toolResult) outcome(t *testing.T) crashOutcome {
	t.Helper()
	var o crashOutcome
	if err := json.Unmarshal(tr.StructuredContent, &o); err != nil {
		t.Fatalf("send_reply answered %s: %v", tr.StructuredContent, err)
	}
	return o
}

func (tr toolResult) text() string {
	var parts []string
	for _, c := range tr.Content {
		parts = append(parts, c.Text)
	}
	return strings.Join(parts, "\n")
}

// TestSmokeSendRetriedAfterCrash kills the server (SIGKILL) while its send is in flight, after
// the API stored the message, restarts it on the same cache directory and retries the same
// send, with confirmations off and by token, on API v1 and v2:
//
//   - v2 resumes the send under the Idempotency-Key journaled before the first attempt: the
//     API replays the first result, and the one message is reported sent;
//   - v1 has no such key: the retry sends nothing and shows the identical message already in
//     the thread and when it was sent (mode off: in the answer, with a confirm_token for a
//     deliberate second copy; token mode: in the confirmation).
func TestSmokeSendRetriedAfterCrash(t *testing.T) {
	for _, version := range []string{"v1", "v2"} {
		for _, mode := range []string{"off", "token"} {
			t.Run(version+"/"+mode, func(t *testing.T) {
				sim := testenv.Sim(t)
				api := &holdingAPI{next: sim.Sim, stored: make(chan struct{}, 1)}
				front := httptest.NewServer(api)
				t.Cleanup(front.Close)
				backend := testenv.VersionBackend(t, sim, version)
				threads, err := backend.ListThreads(context.Background(), inbox.ThreadQuery{View: inbox.ViewNoReply}, "", 1)
				if err != nil || len(threads.Items) == 0 {
					t.Fatalf("no thread to send to: %v", err)
				}
				thread := threads.Items[0].ID
				text := "Great talking today: the proposal follows by Friday. (" + version + ", " + mode + ")"
				landed := func() []inbox.Message {
					t.Helper()
					page, err := backend.ListMessages(context.Background(), thread, "", 50)
					if err != nil {
						t.Fatal(err)
					}
					var out []inbox.Message
					for _, m := range page.Items {
						if m.Content == text {
							out = append(out, m)
						}
					}
					return out
				}
				cache := t.TempDir()
				args := []string{"--api-url", front.URL, "--api-version", version, "--confirm-sends", mode, "--log-level", "debug"}
				env := []string{"INBOX_API_KEY=" + sim.Token, "XDG_CACHE_HOME=" + cache, "HOME=" + cache}
				send := map[string]any{"thread_id": thread, "text": text}

				first := startMCP(t, args, env)
				withToken := func(tok string) map[string]any {
					return map[string]any{"thread_id": thread, "text": text, "confirm_token": tok}
				}
				retry := send
				if mode == "token" {
					ask := first.call("send_reply", send).outcome(t)
					if ask.Outcome != "needs_confirmation" || ask.ConfirmToken == "" {
						t.Fatalf("the first call: %+v", ask)
					}
					retry = withToken(ask.ConfirmToken)
				}
				api.armed.Store(true)
				first.start("send_reply", retry)
				select {
				case <-api.stored:
				case <-time.After(2 * time.Minute):
					t.Fatalf("the send never reached the API; stderr:\n%s", first.stderr.String())
				}
				first.kill()
				sent := landed()
				if len(sent) != 1 {
					t.Fatalf("%d message(s) landed before the crash; want 1", len(sent))
				}

				second := startMCP(t, args, env)
				res := second.call("send_reply", retry)
				out := res.outcome(t)
				if version == "v2" && mode == "token" {
					// The old token died with the process: the person is asked again, and
					// their yes completes the send that was in flight.
					if out.Outcome != "needs_confirmation" || out.ConfirmToken == "" || out.EarlierAttempt == "" || !strings.Contains(res.text(), "earlier attempt") {
						t.Fatalf("the retry with the old token: %+v: %s", out, res.text())
					}
					res = second.call("send_reply", withToken(out.ConfirmToken))
					out = res.outcome(t)
				}
				got := landed()
				switch version {
				case "v2":
					if len(got) != 1 || out.Outcome != "sent" || out.MessageID != sent[0].ID || res.IsError || out.EarlierAttempt == "" {
						t.Fatalf("after the restart: %d message(s) landed; answer %+v: %s", len(got), out, res.text())
					}
				case "v1":
					want := "needs_confirmation"
					if mode == "off" {
						want = "duplicate"
					}
					at := views.ISO(sent[0].CreatedAt)
					if len(got) != 1 || out.Outcome != want || out.DuplicateOf != sent[0].ID || out.DuplicateAt != at ||
						!strings.Contains(res.text(), at) || out.ConfirmToken == "" {
						t.Fatalf("after the restart: %d message(s) landed; answer %+v: %s", len(got), out, res.text())
					}
					// A second copy stays possible, deliberately.
					again := second.call("send_reply", withToken(out.ConfirmToken)).outcome(t)
					if got := landed(); again.Outcome != "sent" || len(got) != 2 {
						t.Fatalf("a deliberate second copy: %+v, %d message(s)", again, len(got))
					}
				}
			})
		}
	}
}
