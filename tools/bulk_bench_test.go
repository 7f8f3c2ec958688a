package tools_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/inbox-mcp/inbox-mcp/apiclient"
	"github.com/inbox-mcp/inbox-mcp/inboxsim"
	"github.com/inbox-mcp/inbox-mcp/internal/server"
	"github.com/inbox-mcp/inbox-mcp/internal/testenv"
	"github.com/inbox-mcp/inbox-mcp/tools"
)

// BenchmarkBulkTag500 tags every prospect of the default view (over 500 at scale 4) in one
// bulk_update_prospects call, with the simulator enforcing the documented limits (300
// requests a minute per team) and the client at its default budget of 300 a minute. It
// reports the API requests the call made (selection reads included), the wall time, the
// time the rate limit alone imposes on that many requests, and the share of that bound
// achieved (1 = as fast as the limit allows). It takes about two minutes per iteration:
//
//	go test ./tools -run '^$' -bench BulkTag500 -benchtime 1x
func BenchmarkBulkTag500(b *testing.B) {
	srv, err := inboxsim.Start(context.Background(), "", inboxsim.Options{Seed: 1, Scale: 4})
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	// The server as the binary builds it, on API v1 (srv.URL is its root) with the client's
	// default rate limit.
	s, err := server.New(context.Background(), server.Config{API: server.API{URL: srv.URL}, Key: srv.Token})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	h := &testenv.Harness{Sim: srv, Server: s.MCP, Client: testenv.Connect(b, s.MCP)}
	const perMinute = apiclient.DefaultRatePerMinute
	b.ResetTimer()
	for i := range b.N {
		b.StopTimer()
		tag := "Bench " + strconv.Itoa(i)
		h.CallOK(b, tools.NameManageLabels, map[string]any{"kind": "tag", "action": "create", "name": tag})
		before := srv.Sim.Stats()
		start := time.Now()
		b.StartTimer()
		res := h.CallOK(b, tools.NameBulkUpdate, map[string]any{"where": map[string]any{"inbox": "default"}, "add_tags": []any{tag}})
		b.StopTimer()
		wall := time.Since(start)
		after := srv.Sim.Stats()
		r := testenv.Decode[tools.BulkResult](b, res)
		if r.Failed != 0 || r.Changed < 500 {
			b.Fatalf("changed %d, failed %d: %+v", r.Changed, r.Failed, r.Failures)
		}
		requests := after.Requests - before.Requests
		bound := time.Duration(float64(requests) / perMinute * float64(time.Minute))
		b.ReportMetric(float64(r.Changed), "prospects")
		b.ReportMetric(float64(requests), "requests")
		b.ReportMetric(wall.Seconds(), "wall-s")
		b.ReportMetric(bound.Seconds(), "bound-s")
		b.ReportMetric(bound.Seconds()/wall.Seconds(), "of-bound")
		b.ReportMetric(float64(after.RateLimited-before.RateLimited), "429s")
		b.Logf("tagged %d prospects with %d requests in %s; the rate limit allows that many in %s (%.1f%% of the bound); %d answers of 429",
			r.Changed, requests, wall.Round(100*time.Millisecond), bound.Round(100*time.Millisecond), 100*bound.Seconds()/wall.Seconds(), after.RateLimited-before.RateLimited)
	}
}
