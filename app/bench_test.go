package app_test

import (
	"context"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/inbox-mcp/inbox-mcp/app"
	"github.com/inbox-mcp/inbox-mcp/inbox"
	"github.com/inbox-mcp/inbox-mcp/internal/testenv"
)

// BenchmarkToolOverhead measures what the MCP layer adds to a read: each iteration makes the
// same Inbox API calls directly through the backend and through the tool, via the in-process
// MCP client, against the simulator over HTTP. It reports the median of each and the median
// of the per-iteration difference (target: at most 1 ms). "server-overhead" is the same
// difference for the tool called through MCPServer.HandleMessage with a ready JSON-RPC
// request, without the client's decoding of the answer.
//
//	go test ./app -run '^$' -bench ToolOverhead -benchtime 2000x
func BenchmarkToolOverhead(b *testing.B) {
	h := testenv.New(b, app.Config{})
	ctx := context.Background()
	page, err := h.Backend.ListThreads(ctx, inbox.ThreadQuery{View: inbox.ViewDefault}, "", 1)
	if err != nil || len(page.Items) == 0 {
		b.Fatal("no thread", err)
	}
	id := page.Items[0].ID
	cases := []struct {
		name   string
		direct func() error
		tool   string
		args   map[string]any
	}{
		{"get_thread", func() error {
			_, err := h.Backend.GetThread(ctx, id)
			return err
		}, "get_thread", map[string]any{"thread_id": id}},
		{"list_threads_20", func() error {
			_, err := h.Backend.ListThreads(ctx, inbox.ThreadQuery{View: inbox.ViewDefault}, "", 20)
			return err
		}, "list_threads", map[string]any{"limit": 20}},
		{"read_messages_50", func() error {
			if _, err := h.Backend.GetThread(ctx, id); err != nil {
				return err
			}
			_, err := h.Backend.ListMessages(ctx, id, "", 50)
			return err
		}, "read_messages", map[string]any{"thread_id": id, "limit": 50}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			// Warm both paths: connections, the directory cache, compiled schemas.
			if err := c.direct(); err != nil {
				b.Fatal(err)
			}
			h.CallOK(b, c.tool, c.args)
			raw, err := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": 1, "method": "tools/call",
				"params": map[string]any{"name": c.tool, "arguments": c.args}})
			if err != nil {
				b.Fatal(err)
			}
			var direct, viaMCP, diff, serverDiff []time.Duration
			for b.Loop() {
				t0 := time.Now()
				if err := c.direct(); err != nil {
					b.Fatal(err)
				}
				d := time.Since(t0)
				t1 := time.Now()
				if res := h.Call(b, c.tool, c.args); res.IsError {
					b.Fatal(testenv.Text(res))
				}
				m := time.Since(t1)
				t2 := time.Now()
				if err := c.direct(); err != nil {
					b.Fatal(err)
				}
				d2 := time.Since(t2)
				t3 := time.Now()
				h.Server.HandleMessage(ctx, raw)
				s := time.Since(t3)
				direct, viaMCP, diff = append(direct, d), append(viaMCP, m), append(diff, m-d)
				serverDiff = append(serverDiff, s-d2)
			}
			b.ReportMetric(micros(median(direct)), "direct-p50-µs")
			b.ReportMetric(micros(median(viaMCP)), "mcp-p50-µs")
			b.ReportMetric(micros(median(diff)), "overhead-p50-µs")
			b.ReportMetric(micros(median(serverDiff)), "server-overhead-p50-µs")
		})
	}
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

func micros(d time.Duration) float64 { return float64(d) / float64(time.Microsecond) }
