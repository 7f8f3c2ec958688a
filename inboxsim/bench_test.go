package inboxsim

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/store"
	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/v1api"
)

// benchScale is the smallest scale with at least 100,000 messages (doc.go).
const benchScale = 34

var (
	bigOnce sync.Once
	bigSim  *Sim
	bigErr  error
)

// bigSimulator builds the 100,000-message store once per benchmark run.
func bigSimulator(b *testing.B) *Sim {
	b.Helper()
	bigOnce.Do(func() {
		bigSim, bigErr = New(Options{Scale: benchScale, RateLimit: RateLimits{Disabled: true}})
	})
	if bigErr != nil {
		b.Fatal(bigErr)
	}
	var n int
	if err := bigSim.store.DB.QueryRow(`SELECT count(*) FROM messages`).Scan(&n); err != nil || n < 100_000 {
		b.Fatalf("the store has %d messages (err %v), want at least 100,000", n, err)
	}
	return bigSim
}

// discardWriter is a ResponseWriter that keeps the status and counts the body, so the
// benchmarks measure the handler rather than a recorder buffering 200 KB per request.
type discardWriter struct {
	h    http.Header
	code int
	n    int
}

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) WriteHeader(code int)        { w.code = code }
func (w *discardWriter) Write(p []byte) (int, error) { w.n += len(p); return len(p), nil }

// get serves one request in process and returns the body (for setting up the walks).
func get(b *testing.B, s *Sim, path string) []byte {
	req := httptest.NewRequest("GET", v1api.Prefix+path, nil)
	req.Header.Set("Authorization", "Bearer "+DemoToken)
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		b.Fatalf("GET %s: %d %s", path, rec.Code, rec.Body.Bytes())
	}
	return rec.Body.Bytes()
}

// serveDiscard serves one request in process, as the benchmarks measure it.
func serveDiscard(b *testing.B, s *Sim, req *http.Request) int {
	w := &discardWriter{h: http.Header{}}
	s.ServeHTTP(w, req)
	if w.code != http.StatusOK || w.n == 0 {
		b.Fatalf("GET %s: %d", req.URL, w.code)
	}
	return w.n
}

func requests(paths []string) []*http.Request {
	reqs := make([]*http.Request, len(paths))
	for i, p := range paths {
		reqs[i] = httptest.NewRequest("GET", v1api.Prefix+p, nil)
		reqs[i].Header.Set("Authorization", "Bearer "+DemoToken)
	}
	return reqs
}

// cpuTime is the CPU time the process has used (user + system). On a machine shared with
// other work, CPU time per operation is steadier than wall time, so the benchmarks report both.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// loop runs fn in the benchmark loop and reports CPU time per operation.
func loop(b *testing.B, fn func(i int)) {
	b.ReportAllocs()
	start := cpuTime()
	n := 0
	for i := 0; b.Loop(); i++ {
		fn(i)
		n++
	}
	b.ReportMetric(float64(cpuTime()-start)/float64(n), "cpu-ns/op")
}

// reportMemory reports the Go heap in use and the size of the SQLite database (kept by the
// driver outside the Go heap).
func reportMemory(b *testing.B, s *Sim) {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	b.ReportMetric(float64(m.HeapInuse)/(1<<20), "heap-MB")
	var pages, size int
	s.store.DB.QueryRow(`PRAGMA page_count`).Scan(&pages)
	s.store.DB.QueryRow(`PRAGMA page_size`).Scan(&size)
	b.ReportMetric(float64(pages*size)/(1<<20), "db-MB")
}

// BenchmarkPageThreads100 measures one page of 100 threads (default view, newest first) at
// 100,000 messages, through the full handler: auth, query parsing, SQL, JSON. Each iteration
// fetches the next page of a walk, so deep pages count as much as the first.
func BenchmarkPageThreads100(b *testing.B) {
	s := bigSimulator(b)
	var paths []string
	path := "/threads?limit=100"
	for {
		paths = append(paths, path)
		var p v1api.ThreadPage
		if err := json.Unmarshal(get(b, s, path), &p); err != nil {
			b.Fatal(err)
		}
		if p.NextCursor == nil {
			break
		}
		path = "/threads?limit=100&cursorId=" + p.NextCursor.ID + "&cursorTimestamp=" + url.QueryEscape(p.NextCursor.Timestamp)
	}
	reqs := requests(paths)
	bytes := 0
	loop(b, func(i int) { bytes += serveDiscard(b, s, reqs[i%len(reqs)]) })
	b.ReportMetric(float64(bytes)/float64(b.N), "body-B/op")
	b.ReportMetric(float64(len(paths)), "pages")
	reportMemory(b, s)
}

// BenchmarkPageMessages100 measures one page of 100 messages at 100,000 messages: the pages of
// every thread with at least 200 messages, in turn.
func BenchmarkPageMessages100(b *testing.B) {
	s := bigSimulator(b)
	rows, err := s.store.DB.Query(`SELECT thread_id FROM messages GROUP BY thread_id HAVING count(*) >= 200`)
	if err != nil {
		b.Fatal(err)
	}
	var threads []string
	for rows.Next() {
		var id string
		rows.Scan(&id)
		threads = append(threads, id)
	}
	rows.Close()
	var paths []string
	for _, id := range threads {
		path := "/threads/" + id + "/messages?limit=100"
		for {
			var p v1api.MessagePage
			if err := json.Unmarshal(get(b, s, path), &p); err != nil {
				b.Fatal(err)
			}
			if len(p.Messages) == 100 {
				paths = append(paths, path)
			}
			if p.NextCursor == nil {
				break
			}
			path = "/threads/" + id + "/messages?limit=100&cursorId=" + p.NextCursor.ID + "&cursorTimestamp=" + url.QueryEscape(p.NextCursor.Timestamp)
		}
	}
	if len(paths) == 0 {
		b.Fatal("no full page of 100 messages")
	}
	reqs := requests(paths)
	bytes := 0
	loop(b, func(i int) { bytes += serveDiscard(b, s, reqs[i%len(reqs)]) })
	b.ReportMetric(float64(bytes)/float64(b.N), "body-B/op")
	b.ReportMetric(float64(len(paths)), "pages")
	reportMemory(b, s)
}

// BenchmarkStoreListThreads100 isolates the store (SQL and row scanning) from the JSON layer.
func BenchmarkStoreListThreads100(b *testing.B) {
	s := bigSimulator(b)
	loop(b, func(int) {
		if _, err := s.store.ListThreads(b.Context(), s.teamID, store.ThreadQuery{View: store.ViewDefault, Limit: 100}); err != nil {
			b.Fatal(err)
		}
	})
}
