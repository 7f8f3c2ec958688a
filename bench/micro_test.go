package bench

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/server"

	"github.com/inbox-mcp/inbox-mcp/app"
	"github.com/inbox-mcp/inbox-mcp/directory"
	"github.com/inbox-mcp/inbox-mcp/inbox"
	"github.com/inbox-mcp/inbox-mcp/internal/testenv"
	"github.com/inbox-mcp/inbox-mcp/tools"
	"github.com/inbox-mcp/inbox-mcp/views"
)

// microData is what the view and name benchmarks render: read once from a simulator over
// HTTP, as the tools get it.
type microData struct {
	threads  []inbox.Thread  // a page of 100, newest first
	long     inbox.Thread    // the long no-reply thread
	messages []inbox.Message // its newest 200, oldest first
	names    *directory.Snapshot
	dir      *directory.Directory
}

func loadMicro(b *testing.B) microData {
	b.Helper()
	ctx := context.Background()
	srv := testenv.Sim(b)
	f, err := prepare(ctx, srv.Sim)
	if err != nil {
		b.Fatal(err)
	}
	be := testenv.BackendFor(b, srv)
	var d microData
	page, err := be.ListThreads(ctx, inbox.ThreadQuery{View: inbox.ViewDefault}, "", 100)
	if err != nil || len(page.Items) != 100 {
		b.Fatalf("a page of 100 threads: %d, %v", len(page.Items), err)
	}
	d.threads = page.Items
	if d.long, err = be.GetThread(ctx, f.LongThread); err != nil {
		b.Fatal(err)
	}
	ms, _, err := inbox.Gather(ctx, "", 200, func(ctx context.Context, cur string, n int) (inbox.Page[inbox.Message], error) {
		return be.ListMessages(ctx, f.LongThread, cur, n)
	}, nil)
	if err != nil || len(ms) != 200 {
		b.Fatalf("200 messages: %d, %v", len(ms), err)
	}
	slices.Reverse(ms)
	d.messages = ms
	d.dir = directory.NewCache(directory.Options{}).For("bench", be)
	if d.names, err = d.dir.Snapshot(ctx); err != nil {
		b.Fatal(err)
	}
	return d
}

// BenchmarkView measures the views tools answer with: a 100-row thread listing (rows, text
// and JSON, as list_threads returns them), 200 messages as read_messages returns them, and
// the 200-message transcript resource.
func BenchmarkView(b *testing.B) {
	d := loadMicro(b)
	r := views.Renderer{Names: d.names, Now: time.Now()}
	b.Run("thread-list-100", func(b *testing.B) {
		b.ReportAllocs()
		var size int
		for b.Loop() {
			out := tools.ThreadList{Threads: make([]views.ThreadRow, len(d.threads)), Count: len(d.threads), HasMore: true}
			for i, t := range d.threads {
				out.Threads[i] = r.ThreadRow(t)
			}
			text := views.ThreadList("100 threads, newest first:", out.Threads, out.HasMore, "next")
			raw, err := json.Marshal(out)
			if err != nil {
				b.Fatal(err)
			}
			size = len(text) + len(raw)
		}
		b.ReportMetric(float64(size), "out-bytes")
	})
	b.Run("messages-200", func(b *testing.B) {
		b.ReportAllocs()
		var size int
		for b.Loop() {
			out := tools.MessageList{ThreadID: d.long.ID, Messages: r.Messages(d.messages, d.long.Prospect.Username), Count: len(d.messages)}
			text := views.MessageList("200 messages, oldest first:", out.Messages)
			raw, err := json.Marshal(out)
			if err != nil {
				b.Fatal(err)
			}
			size = len(text) + len(raw)
		}
		b.ReportMetric(float64(size), "out-bytes")
	})
	b.Run("transcript-200", func(b *testing.B) {
		b.ReportAllocs()
		var size int
		for b.Loop() {
			size = len(views.Transcript(r.ThreadRow(d.long), r.Messages(d.messages, d.long.Prospect.Username)))
		}
		b.ReportMetric(float64(size), "out-bytes")
	})
}

// BenchmarkNames measures name resolution: exact lookups in a snapshot, a lookup through
// the per-request directory (cached), and the fuzzy suggestions a misspelt name gets.
func BenchmarkNames(b *testing.B) {
	d := loadMicro(b)
	ctx := context.Background()
	var tagNames []string
	for _, t := range d.names.Tags {
		tagNames = append(tagNames, t.Name)
	}
	cases := []struct {
		name string
		fn   func() error
	}{
		{"tag", func() error { _, err := d.names.FindTag("hot lead"); return err }},
		{"status", func() error { _, err := d.names.FindStatus("Qualified"); return err }},
		{"member", func() error { _, err := d.names.FindMember("Aiko Mori"); return err }},
		{"account", func() error { _, err := d.names.FindAccount("@northwind_sales"); return err }},
		{"directory-tag", func() error { _, err := d.dir.Tag(ctx, "Pricing"); return err }},
		{"suggest", func() error {
			if s := directory.Suggest("Hot Leed", tagNames, 3); len(s) == 0 || s[0] != "Hot Lead" {
				return fmt.Errorf("suggestions for Hot Leed: %v", s)
			}
			return nil
		}},
		{"miss-with-suggestions", func() error {
			_, err := d.names.FindTag("Pricng")
			var nf *directory.NotFoundError
			if !errors.As(err, &nf) || len(nf.Suggestions) == 0 {
				return fmt.Errorf("a misspelt tag: %v", err)
			}
			return nil
		}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := c.fn(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkStdio measures JSON-RPC round trips through the stdio transport in process
// (server.NewStdioServer over pipes): a ping, a tools/call of get_directory (whose names are
// cached, so no API request is timed), and the server's per-call overhead. For the last,
// each iteration makes a tool's API calls directly through the backend, then calls the tool
// over stdio, against the simulator over HTTP; stdio-overhead-p50-µs is the median of the
// difference: decoding the request, the MCP layer, rendering and encoding the answer. Unlike
// app's BenchmarkToolOverhead, no MCP client decodes the answer: the raw line is read.
func BenchmarkStdio(b *testing.B) {
	h := testenv.New(b, app.Config{})
	rt := startStdio(b, h.Server)
	call := map[string]any{"name": tools.NameGetDirectory, "arguments": map[string]any{}}
	if err := rt.do("tools/call", call); err != nil { // warms the names
		b.Fatal(err)
	}
	b.Run("ping", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := rt.do("ping", map[string]any{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("tools-call-get_directory", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := rt.do("tools/call", call); err != nil {
				b.Fatal(err)
			}
		}
	})
	ctx := context.Background()
	page, err := h.Backend.ListThreads(ctx, inbox.ThreadQuery{View: inbox.ViewDefault}, "", 1)
	if err != nil || len(page.Items) == 0 {
		b.Fatal("no thread", err)
	}
	id := page.Items[0].ID
	for _, c := range []struct {
		name, tool string
		args       map[string]any
		direct     func() error
	}{
		{"get_thread", tools.NameGetThread, map[string]any{"thread_id": id}, func() error {
			_, err := h.Backend.GetThread(ctx, id)
			return err
		}},
		{"list_threads_20", tools.NameListThreads, map[string]any{"limit": 20}, func() error {
			_, err := h.Backend.ListThreads(ctx, inbox.ThreadQuery{View: inbox.ViewDefault}, "", 20)
			return err
		}},
		{"read_messages_50", tools.NameReadMessages, map[string]any{"thread_id": id, "limit": 50}, func() error {
			if _, err := h.Backend.GetThread(ctx, id); err != nil {
				return err
			}
			_, err := h.Backend.ListMessages(ctx, id, "", 50)
			return err
		}},
	} {
		b.Run("overhead-"+c.name, func(b *testing.B) {
			params := map[string]any{"name": c.tool, "arguments": c.args}
			if err := rt.do("tools/call", params); err != nil {
				b.Fatal(err)
			}
			var direct, viaStdio, diff []time.Duration
			for b.Loop() {
				t0 := time.Now()
				if err := c.direct(); err != nil {
					b.Fatal(err)
				}
				d := time.Since(t0)
				t1 := time.Now()
				if err := rt.do("tools/call", params); err != nil {
					b.Fatal(err)
				}
				s := time.Since(t1)
				direct, viaStdio, diff = append(direct, d), append(viaStdio, s), append(diff, s-d)
			}
			b.ReportMetric(p50micros(direct), "direct-p50-µs")
			b.ReportMetric(p50micros(viaStdio), "stdio-p50-µs")
			b.ReportMetric(p50micros(diff), "stdio-overhead-p50-µs")
		})
	}
}

func p50micros(ds []time.Duration) float64 {
	s := slices.Clone(ds)
	slices.Sort(s)
	return float64(s[len(s)/2]) / float64(time.Microsecond)
}

// stdioPipe is an in-process stdio server and the client end of its pipes.
type stdioPipe struct {
	in  *io.PipeWriter
	out *bufio.Reader
	id  int
}

// startStdio serves s over pipes and initializes the session; all stops when b ends.
func startStdio(b *testing.B, s *server.MCPServer) *stdioPipe {
	b.Helper()
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- server.NewStdioServer(s).Listen(ctx, inR, outW) }()
	b.Cleanup(func() {
		cancel()
		inW.Close()
		outR.Close()
		<-done
	})
	rt := &stdioPipe{in: inW, out: bufio.NewReader(outR)}
	if err := rt.do("initialize", map[string]any{"protocolVersion": "2025-11-25", "capabilities": map[string]any{},
		"clientInfo": map[string]any{"name": "bench", "version": "1"}}); err != nil {
		b.Fatal(err)
	}
	if _, err := inW.Write([]byte(`{"jsonrpc":"2.0","method":"notifications/initialized"}` + "\n")); err != nil {
		b.Fatal(err)
	}
	return rt
}

// do sends one request and reads its answer line, checking only that it is a result (not
// an error, nor a tool error) for this request: the answer is not decoded.
func (p *stdioPipe) do(method string, params any) error {
	p.id++
	raw, err := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": p.id, "method": method, "params": params})
	if err != nil {
		return err
	}
	if _, err := p.in.Write(append(raw, '\n')); err != nil {
		return err
	}
	line, err := p.out.ReadBytes('\n')
	if err != nil {
		return err
	}
	if !bytes.HasPrefix(line, fmt.Appendf(nil, `{"jsonrpc":"2.0","id":%d,"result":`, p.id)) || bytes.Contains(line, []byte(`"isError":true`)) {
		return fmt.Errorf("%s: unexpected answer %.300s", method, line)
	}
	return nil
}

// BenchmarkColdStart builds the server and times spawns to the tools/list answer, plain
// (against a simulator) and with --demo, reporting the median; inbox-bench measures the
// same with more spawns.
//
//	go test -run '^$' -bench ColdStart -benchtime 20x ./bench
func BenchmarkColdStart(b *testing.B) {
	ctx := context.Background()
	bin := buildServer(b)
	srv := testenv.Sim(b)
	for _, c := range []struct {
		name string
		args []string
		env  []string
	}{
		{"stdio", nil, []string{"INBOX_API_URL=" + srv.URL, "INBOX_API_KEY=" + srv.Token}},
		{"demo", []string{"--demo"}, nil},
	} {
		b.Run(c.name, func(b *testing.B) {
			cs, err := MeasureColdStart(ctx, c.name, bin, c.args, c.env, b.N)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(cs.P50())/float64(time.Millisecond), "p50-ms")
		})
	}
}

// buildServer builds cmd/inbox-mcp once for the test process, into a folder TestMain
// removes, with the race detector when the test has it (the build then shares the test's
// compiled packages instead of compiling every dependency once more).
func buildServer(tb testing.TB) string {
	tb.Helper()
	built.once.Do(func() {
		ctx := context.Background()
		root, err := ModuleRoot(ctx, ".")
		if err == nil {
			built.bin, err = BuildServer(ctx, root, binDir, buildFlags...)
		}
		built.err = err
	})
	if built.err != nil {
		tb.Fatal(built.err)
	}
	return built.bin
}

// built is the one build of cmd/inbox-mcp of the test process.
var built struct {
	once sync.Once
	bin  string
	err  error
}
