package main

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/inbox-mcp/inbox-mcp/bench"
	"github.com/inbox-mcp/inbox-mcp/inbox"
	"github.com/inbox-mcp/inbox-mcp/internal/testenv"
)

// loadSessions is how many MCP sessions BenchmarkHTTPLoad keeps busy at once.
const loadSessions = 200

// BenchmarkHTTPLoad drives the HTTP transport, on loopback, with 200 concurrent sessions
// (session-era clients, as the TypeScript SDK is) that list threads, read messages and get
// threads against the simulator, b.N calls in all. Before that, the same reads are made
// straight through the API client with the same concurrency: the difference is what MCP over
// HTTP costs per call. Any failed call fails the benchmark.
//
//	go test ./cmd/inbox-mcp -run '^$' -bench HTTPLoad -benchtime 4000x
//
// Metrics: p50-ms and p99-ms of a call through MCP, direct-p50-ms and direct-p99-ms of the
// same read straight to the API, overhead-p50-ms and overhead-p99-ms (the differences), and
// peak-heap-MB of the whole test process (server, simulator and clients) during the MCP run.
func BenchmarkHTTPLoad(b *testing.B) {
	e := startHTTP(b, config{apiKey: "sim"}, defaultHTTPLimits)
	threads, _, err := inbox.Gather(context.Background(), "", 50, func(ctx context.Context, c string, n int) (inbox.Page[inbox.Thread], error) {
		return testenv.BackendFor(b, e.sim).ListThreads(ctx, inbox.ThreadQuery{View: inbox.ViewDefault}, c, n)
	}, nil)
	if err != nil || len(threads) == 0 {
		b.Fatalf("threads: %v", err)
	}
	ids := make([]string, len(threads))
	for i, th := range threads {
		ids[i] = th.ID
	}
	direct := testenv.BackendFor(b, e.sim)

	// Each session connects first: the run measures calls, not handshakes.
	sessions := make([]*client.Client, loadSessions)
	var wg sync.WaitGroup
	var connectErr atomic.Value
	for i := range sessions {
		wg.Go(func() {
			tr, err := transport.NewStreamableHTTP(e.url)
			if err != nil {
				connectErr.Store(err)
				return
			}
			c := client.NewClient(tr, client.WithProtocolVersion(legacyProtocol))
			ctx := context.Background()
			req := mcp.InitializeRequest{}
			req.Params.ProtocolVersion = legacyProtocol
			if err := c.Start(ctx); err != nil {
				connectErr.Store(err)
				return
			}
			if _, err := c.Initialize(ctx, req); err != nil {
				connectErr.Store(err)
				return
			}
			sessions[i] = c
		})
	}
	wg.Wait()
	if err, _ := connectErr.Load().(error); err != nil {
		b.Fatalf("connecting %d sessions: %v", loadSessions, err)
	}
	b.Cleanup(func() {
		for _, c := range sessions {
			c.Close()
		}
	})

	// op i is the i-th call: a listing, a thread's messages or a thread, in turn.
	mcpCall := func(ctx context.Context, c *client.Client, i int) error {
		id := ids[i%len(ids)]
		var p mcp.CallToolParams
		switch i % 3 {
		case 0:
			p = mcp.CallToolParams{Name: "list_threads", Arguments: map[string]any{"limit": 20}}
		case 1:
			p = mcp.CallToolParams{Name: "read_messages", Arguments: map[string]any{"thread_id": id, "limit": 20}}
		default:
			p = mcp.CallToolParams{Name: "get_thread", Arguments: map[string]any{"thread_id": id}}
		}
		res, err := c.CallTool(ctx, mcp.CallToolRequest{Params: p})
		if err != nil {
			return err
		}
		if res.IsError {
			return fmt.Errorf("%s: %s", p.Name, testenv.Text(res))
		}
		return nil
	}
	directCall := func(ctx context.Context, i int) error {
		id := ids[i%len(ids)]
		var err error
		switch i % 3 {
		case 0:
			_, err = direct.ListThreads(ctx, inbox.ThreadQuery{View: inbox.ViewDefault}, "", 20)
		case 1:
			_, err = direct.ListMessages(ctx, id, "", 20)
		default:
			_, err = direct.GetThread(ctx, id)
		}
		return err
	}

	b.StopTimer()
	directLat, directErrs, directFirst := drive(b.N, func(ctx context.Context, worker, i int) error { return directCall(ctx, i) })
	b.StartTimer()
	heap := bench.StartHeapSampler(0)
	lat, errs, first := drive(b.N, func(ctx context.Context, worker, i int) error { return mcpCall(ctx, sessions[worker], i) })
	use := heap.Stop()
	b.StopTimer()

	if errs > 0 || directErrs > 0 {
		b.Fatalf("%d of %d calls through MCP failed (%d straight to the API); first: %v %v", errs, b.N, directErrs, first, directFirst)
	}
	p50, p99 := pct(lat, 50), pct(lat, 99)
	d50, d99 := pct(directLat, 50), pct(directLat, 99)
	b.ReportMetric(ms(p50), "p50-ms")
	b.ReportMetric(ms(p99), "p99-ms")
	b.ReportMetric(ms(d50), "direct-p50-ms")
	b.ReportMetric(ms(d99), "direct-p99-ms")
	b.ReportMetric(ms(p50-d50), "overhead-p50-ms")
	b.ReportMetric(ms(p99-d99), "overhead-p99-ms")
	b.ReportMetric(float64(use.Peak)/(1<<20), "peak-heap-MB")
	b.ReportMetric(0, "errors")
}

// drive makes n calls with loadSessions workers and returns each call's latency, how many
// failed and the first failure.
func drive(n int, call func(ctx context.Context, worker, i int) error) ([]time.Duration, int, error) {
	lat := make([]time.Duration, n)
	var next, failed atomic.Int64
	var first atomic.Value
	var wg sync.WaitGroup
	ctx := context.Background()
	for w := range loadSessions {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				start := time.Now()
				if err := call(ctx, w, i); err != nil {
					if failed.Add(1) == 1 {
						first.Store(err)
					}
				}
				lat[i] = time.Since(start)
			}
		})
	}
	wg.Wait()
	err, _ := first.Load().(error)
	return lat, int(failed.Load()), err
}

func pct(ds []time.Duration, p int) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[min(len(s)-1, len(s)*p/100)]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
