package bench

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
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

// BenchmarkStdio measures a JSON-RPC round trip through the stdio transport in process
// (server.NewStdioServer over pipes): a ping, and a tools/call of get_directory, whose
// names are cached, so no API request is timed.
func BenchmarkStdio(b *testing.B) {
	h := testenv.New(b, app.Config{})
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- server.NewStdioServer(h.Server).Listen(ctx, inR, outW) }()
	b.Cleanup(func() {
		cancel()
		inW.Close()
		outR.Close()
		<-done
	})
	out := bufio.NewReader(outR)
	id := 0
	roundTrip := func(method string, params any) error {
		id++
		raw, err := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": id, "method": method, "params": params})
		if err != nil {
			return err
		}
		if _, err := inW.Write(append(raw, '\n')); err != nil {
			return err
		}
		line, err := out.ReadBytes('\n')
		if err != nil {
			return err
		}
		if !strings.Contains(string(line), fmt.Sprintf(`"id":%d,`, id)) || strings.Contains(string(line), `"error"`) {
			return fmt.Errorf("%s: unexpected answer %s", method, line)
		}
		return nil
	}
	if err := roundTrip("initialize", map[string]any{"protocolVersion": "2025-11-25", "capabilities": map[string]any{},
		"clientInfo": map[string]any{"name": "bench", "version": "1"}}); err != nil {
		b.Fatal(err)
	}
	if _, err := inW.Write([]byte(`{"jsonrpc":"2.0","method":"notifications/initialized"}` + "\n")); err != nil {
		b.Fatal(err)
	}
	call := map[string]any{"name": tools.NameGetDirectory, "arguments": map[string]any{}}
	if err := roundTrip("tools/call", call); err != nil { // warms the names
		b.Fatal(err)
	}
	b.Run("ping", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := roundTrip("ping", map[string]any{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("tools-call-get_directory", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := roundTrip("tools/call", call); err != nil {
				b.Fatal(err)
			}
		}
	})
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

// buildServer builds cmd/inbox-mcp into the test's temporary directory.
func buildServer(tb testing.TB) string {
	tb.Helper()
	ctx := context.Background()
	root, err := ModuleRoot(ctx, ".")
	if err != nil {
		tb.Fatal(err)
	}
	bin, err := BuildServer(ctx, root, tb.TempDir())
	if err != nil {
		tb.Fatal(err)
	}
	return bin
}
