package inboxsim

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
)

// v2Get serves one v2 request in process and returns the body (for setting up the walks).
func v2Get(b *testing.B, s *Sim, path string) []byte {
	req := httptest.NewRequest("GET", V2Prefix+path, nil)
	req.Header.Set("Authorization", "Bearer "+DemoToken)
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		b.Fatalf("GET %s: %d %s", path, rec.Code, rec.Body.Bytes())
	}
	return rec.Body.Bytes()
}

// v2WalkPaths lists the paths of every page of a v2 collection.
func v2WalkPaths(b *testing.B, s *Sim, path string, full func(n int) bool) []string {
	var paths []string
	next := path
	for {
		var p v2PageOf[json.RawMessage]
		if err := json.Unmarshal(v2Get(b, s, next), &p); err != nil {
			b.Fatal(err)
		}
		if full(len(p.Data)) {
			paths = append(paths, next)
		}
		if p.NextCursor == nil {
			return paths
		}
		next = path + "&cursor=" + url.QueryEscape(*p.NextCursor)
	}
}

func benchV2Pages(b *testing.B, s *Sim, paths []string) {
	if len(paths) == 0 {
		b.Fatal("no full page")
	}
	reqs := make([]*http.Request, len(paths))
	for i, p := range paths {
		reqs[i] = httptest.NewRequest("GET", V2Prefix+p, nil)
		reqs[i].Header.Set("Authorization", "Bearer "+DemoToken)
	}
	bytes := 0
	loop(b, func(i int) { bytes += serveDiscard(b, s, reqs[i%len(reqs)]) })
	b.ReportMetric(float64(bytes)/float64(b.N), "body-B/op")
	b.ReportMetric(float64(len(paths)), "pages")
	reportMemory(b, s)
}

// BenchmarkV2PageThreads100 measures one v2 page of 100 threads of the inbox folder at
// 100,000 messages, both platforms merged, through the full handler; each iteration fetches
// the next page of a walk.
func BenchmarkV2PageThreads100(b *testing.B) {
	s := bigSimulator(b)
	benchV2Pages(b, s, v2WalkPaths(b, s, "/threads?limit=100", func(n int) bool { return n > 0 }))
}

// BenchmarkV2PageThreads100Expanded is the same walk with each thread's profile and contact
// embedded.
func BenchmarkV2PageThreads100Expanded(b *testing.B) {
	s := bigSimulator(b)
	benchV2Pages(b, s, v2WalkPaths(b, s, "/threads?limit=100&expand=profile&expand=contact", func(n int) bool { return n > 0 }))
}

// BenchmarkV2PageMessages100 measures one v2 page of 100 messages (with sentBy expanded) of
// the threads with at least 200 messages, in turn.
func BenchmarkV2PageMessages100(b *testing.B) {
	s := bigSimulator(b)
	var paths []string
	for _, id := range dbStringsB(b, s, `SELECT thread_id FROM messages GROUP BY thread_id HAVING count(*) >= 200`) {
		paths = append(paths, v2WalkPaths(b, s, "/threads/"+id+"/messages?limit=100&expand=sentBy", func(n int) bool { return n == 100 })...)
	}
	benchV2Pages(b, s, paths)
}

func dbStringsB(b *testing.B, s *Sim, query string) []string {
	rows, err := s.store.DB.Query(query)
	if err != nil {
		b.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			b.Fatal(err)
		}
		out = append(out, v)
	}
	return out
}
