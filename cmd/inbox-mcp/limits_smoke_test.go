package main

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

// These tests send the built binary what a careless or hostile client could, and measure
// what it costs the process in memory (from /proc, so Linux only). The limits hold at any
// speed: every request is answered before memory is read.

// procMemory reads a process's resident memory now and at its peak, in bytes.
func procMemory(t *testing.T, pid int) (rss, peak int64) {
	t.Helper()
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		t.Skipf("memory is read from /proc: %v", err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok || (k != "VmRSS" && k != "VmHWM") {
			continue
		}
		kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		if err != nil {
			t.Fatalf("%s: %v", line, err)
		}
		if k == "VmRSS" {
			rss = kb << 10
		} else {
			peak = kb << 10
		}
	}
	if rss == 0 || peak == 0 {
		t.Skip("/proc reports no VmRSS or VmHWM")
	}
	return rss, peak
}

// memoryBudget is how much a stream of oversized or refused requests may add to the
// server's memory: far below what keeping or buffering them costs (hundreds of MB), far
// above what answering them does.
const memoryBudget = 64 << 20

// stdioProcess is the binary on stdio, with its answers collected by id.
type stdioProcess struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	stderr *syncBuffer
	answer chan rpcMsg
}

func startStdio(t *testing.T, args ...string) *stdioProcess {
	t.Helper()
	p := &stdioProcess{cmd: exec.Command(binary(t), args...), stderr: &syncBuffer{}, answer: make(chan rpcMsg, 16)}
	p.cmd.Env = cleanEnv(t)
	var err error
	if p.stdin, err = p.cmd.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	stdout, err := p.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	p.cmd.Stderr = p.stderr
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		p.stdin.Close()
		p.cmd.Process.Kill()
		p.cmd.Wait()
	})
	go func() {
		sc := bufio.NewScanner(stdout)
		sc.Buffer(make([]byte, 0, 1<<20), 16<<20)
		for sc.Scan() {
			var m rpcMsg
			if json.Unmarshal(sc.Bytes(), &m) == nil {
				p.answer <- m
			}
		}
		close(p.answer)
	}()
	return p
}

// await returns the answer to request id; the deadline only stops a hung test.
func (p *stdioProcess) await(t *testing.T, id string) rpcMsg {
	t.Helper()
	timeout := time.After(2 * time.Minute)
	for {
		select {
		case m, ok := <-p.answer:
			if !ok {
				t.Fatalf("stdout closed before the answer to %s; stderr:\n%.4000s", id, p.stderr.String())
			}
			if string(m.ID) == id {
				return m
			}
		case <-timeout:
			t.Fatalf("no answer to %s; stderr:\n%.4000s", id, p.stderr.String())
		}
	}
}

// TestSmokeStdioOversizedLine sends a 60 MB line (the id at its end, as the TypeScript SDK
// writes it): the server must refuse it with an error for that id, without buffering it,
// and go on serving.
func TestSmokeStdioOversizedLine(t *testing.T) {
	t.Parallel()
	p := startStdio(t, "--demo")
	io.WriteString(p.stdin, request(1, "initialize", initializeParams())+"\n")
	if m := p.await(t, "1"); m.Error != nil {
		t.Fatalf("initialize: %+v", m.Error)
	}
	base, _ := procMemory(t, p.cmd.Process.Pid)

	const size = 60 << 20
	head := `{"method":"tools/call","params":{"name":"send_reply","arguments":{"thread_id":"x","text":"`
	tail := `"}},"jsonrpc":"2.0","id":7}` + "\n"
	go func() {
		io.WriteString(p.stdin, head)
		chunk := bytes.Repeat([]byte("a"), 1<<20)
		for n := 0; n < size; n += len(chunk) {
			if _, err := p.stdin.Write(chunk); err != nil {
				return
			}
		}
		io.WriteString(p.stdin, tail)
		io.WriteString(p.stdin, request(8, "ping", map[string]any{})+"\n")
	}()
	m := p.await(t, "7")
	if m.Error == nil || !strings.Contains(m.Error.Message, "MiB") {
		t.Errorf("answer to the oversized line: error %+v, result %.200s; want an error naming the limit", m.Error, m.Result)
	}
	if m := p.await(t, "8"); m.Error != nil {
		t.Errorf("ping after the oversized line: %+v", m.Error)
	}
	_, peak := procMemory(t, p.cmd.Process.Pid)
	t.Logf("resident memory: %d MB at start, %d MB at peak", base>>20, peak>>20)
	if peak-base > memoryBudget {
		t.Errorf("a 60 MB line raised the peak memory by %d MB, over the budget of %d MB", (peak-base)>>20, memoryBudget>>20)
	}
}

// TestSmokeHTTPSubscribeBounded sends 100 resources/subscribe requests with 900 KB URIs, each
// from a well-formed session ID that was never initialized: each is refused, and none is
// kept.
func TestSmokeHTTPSubscribeBounded(t *testing.T) {
	t.Parallel()
	srv := startHTTPBinary(t, "--demo")
	base, _ := procMemory(t, srv.cmd.Process.Pid)
	uri := "inbox://threads/" + strings.Repeat("a", 900<<10) + "/transcript"
	// 100 URIs of 900 KB: kept, they would hold 90 MB, over the budget.
	for i := range 100 {
		hs := &httpSession{url: srv.url, id: randomSessionID()}
		code, m := hs.post(t, request(i+10, "resources/subscribe", map[string]any{"uri": uri}))
		if code == http.StatusOK && m.Error == nil {
			t.Fatalf("subscribe %d from an uninitialized session with a 900 KB URI was accepted", i)
		}
	}
	rss, peak := procMemory(t, srv.cmd.Process.Pid)
	t.Logf("resident memory: %d MB at start, %d MB after, %d MB at peak", base>>20, rss>>20, peak>>20)
	if rss-base > memoryBudget {
		t.Errorf("100 refused subscriptions left %d MB more memory in use, over the budget of %d MB", (rss-base)>>20, memoryBudget>>20)
	}
}

// binaryServer is the binary serving streamable HTTP.
type binaryServer struct {
	url  string
	cmd  *exec.Cmd
	logs *syncBuffer
}

// startHTTPBinary is httpServer for tests that need the process itself (its memory).
func startHTTPBinary(t *testing.T, args ...string) *binaryServer {
	t.Helper()
	args = append(args, "--transport", "http", "--addr", "127.0.0.1:0", "--log-format", "json")
	s := &binaryServer{cmd: exec.Command(binary(t), args...), logs: &syncBuffer{}}
	s.cmd.Env = cleanEnv(t)
	stderr, err := s.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		s.cmd.Process.Kill()
		s.cmd.Wait()
	})
	urlc := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			s.logs.Write(append(sc.Bytes(), '\n'))
			var rec struct{ Msg, URL string }
			if json.Unmarshal(sc.Bytes(), &rec) == nil && rec.URL != "" && strings.HasPrefix(rec.Msg, "serving MCP over streamable HTTP") {
				urlc <- rec.URL
			}
		}
	}()
	select {
	case s.url = <-urlc:
	case <-time.After(2 * time.Minute):
		t.Fatalf("the server did not report its URL; stderr:\n%s", s.logs.String())
	}
	return s
}

// randomSessionID is a well-formed session ID (the library checks only the form) that no
// initialize handed out.
func randomSessionID() string {
	b := make([]byte, 16)
	rand.Read(b)
	return fmt.Sprintf("mcp-session-%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}
