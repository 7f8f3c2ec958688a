package v1

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/inbox-mcp/inbox-mcp/apiclient"
	"github.com/inbox-mcp/inbox-mcp/inboxsim"
)

// BenchmarkClientVsBare compares a client call with a bare net/http call (same connection
// pool, same decoding into the same type) to the same simulator endpoint. The two are
// interleaved in each iteration, alternating which goes first, so drift in the simulator
// affects both alike; the ratio metric is client time / bare time (target <= 1.10).
func BenchmarkClientVsBare(b *testing.B) {
	srv, err := inboxsim.Start(context.Background(), "", inboxsim.Options{Seed: 7, RateLimit: inboxsim.RateLimits{Disabled: true}})
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	tr := &http.Transport{MaxIdleConnsPerHost: 4}
	defer tr.CloseIdleConnections()
	hc := &http.Client{Transport: tr}
	// The limiter is on (a rate it never reaches), so its cost is part of the measure.
	ac, err := apiclient.New(apiclient.Config{BaseURL: srv.URL, Token: srv.Token, HTTPClient: hc, RatePerMinute: 1 << 30})
	if err != nil {
		b.Fatal(err)
	}
	c := New(ac)
	ctx := context.Background()

	bare := func(url string, out any) error {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return err
		}
		req.Header.Set("Authorization", "Bearer "+srv.Token)
		resp, err := hc.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("status %d", resp.StatusCode)
		}
		err = json.NewDecoder(resp.Body).Decode(out)
		_, _ = io.Copy(io.Discard, resp.Body)
		return err
	}
	endpoints := []struct {
		name   string
		bare   func() error
		client func() error
	}{
		{"team",
			func() error { var t Team; return bare(srv.URL+"/team", &t) },
			func() error { _, err := c.Team(ctx); return err }},
		{"threads_page_100",
			func() error { var p ThreadPage; return bare(srv.URL+"/threads?limit=100", &p) },
			func() error { _, err := c.ListThreads(ctx, ThreadListParams{Limit: 100}); return err }},
	}
	for _, ep := range endpoints {
		b.Run(ep.name, func(b *testing.B) {
			for range 20 { // warm the pool and the simulator's caches
				if err := ep.bare(); err != nil {
					b.Fatal(err)
				}
				if err := ep.client(); err != nil {
					b.Fatal(err)
				}
			}
			var tBare, tClient time.Duration
			i := 0
			for b.Loop() {
				first, second, t1, t2 := ep.bare, ep.client, &tBare, &tClient
				if i%2 == 1 {
					first, second, t1, t2 = ep.client, ep.bare, &tClient, &tBare
				}
				i++
				s := time.Now()
				if err := first(); err != nil {
					b.Fatal(err)
				}
				m := time.Now()
				if err := second(); err != nil {
					b.Fatal(err)
				}
				*t1 += m.Sub(s)
				*t2 += time.Since(m)
			}
			b.ReportMetric(float64(tBare.Microseconds())/float64(i), "bare-µs/call")
			b.ReportMetric(float64(tClient.Microseconds())/float64(i), "client-µs/call")
			b.ReportMetric(float64(tClient)/float64(tBare), "ratio")
		})
	}
}
