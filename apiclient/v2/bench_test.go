package v2

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/inbox-mcp/inbox-mcp/apiclient"
	"github.com/inbox-mcp/inbox-mcp/inbox"
)

// benchPage is a page of 100 threads with their profile and contact expanded, the largest
// answer the backend asks for.
func benchPage(b *testing.B) []byte {
	items := make([]any, 0, MaxLimit)
	for i := range MaxLimit {
		th := with(fxThreadSarah, "id", fmt.Sprintf("th%022d", i),
			"profile", fxProfileSarah, "contact", with(fxContactSarah, "profiles", []any{fxProfileSarah}))
		items = append(items, th)
	}
	body, err := json.Marshal(page("next", items...))
	if err != nil {
		b.Fatal(err)
	}
	return body
}

func benchServer(b *testing.B) *httptest.Server {
	body := benchPage(b)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	}))
	b.Cleanup(srv.Close)
	return srv
}

func benchClient(b *testing.B, srv *httptest.Server) *Client {
	tr, err := apiclient.New(apiclient.Config{BaseURL: srv.URL + "/api/v2", Token: "bench", RatePerMinute: -1})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(tr.Close)
	return New(tr, Options{})
}

// BenchmarkThreadPage compares one page of 100 expanded threads through the client with a
// bare net/http request decoded into the same types.
func BenchmarkThreadPage(b *testing.B) {
	srv := benchServer(b)
	ctx := context.Background()
	f := ThreadFilter{Expand: threadExpand, Limit: MaxLimit}
	b.Run("client", func(b *testing.B) {
		c := benchClient(b, srv)
		b.ReportAllocs()
		for b.Loop() {
			p, err := c.ListThreads(ctx, f)
			if err != nil || len(p.Data) != MaxLimit {
				b.Fatal(err)
			}
		}
	})
	b.Run("bare", func(b *testing.B) {
		hc := &http.Client{}
		b.Cleanup(hc.CloseIdleConnections)
		url := srv.URL + "/api/v2/threads?expand=profile&expand=contact&limit=100"
		b.ReportAllocs()
		for b.Loop() {
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
			req.Header.Set("Authorization", "Bearer bench")
			resp, err := hc.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			var p Page[Thread]
			err = json.NewDecoder(resp.Body).Decode(&p)
			resp.Body.Close()
			if err != nil || len(p.Data) != MaxLimit {
				b.Fatal(err)
			}
		}
	})
	b.Run("backend", func(b *testing.B) {
		be := NewBackend(benchClient(b, srv))
		b.ReportAllocs()
		for b.Loop() {
			p, err := be.ListThreads(ctx, inbox.ThreadQuery{}, "", MaxLimit)
			if err != nil || len(p.Items) != MaxLimit {
				b.Fatal(err)
			}
		}
	})
}
