package v1

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/inbox-mcp/inbox-mcp/apiclient"
	"github.com/inbox-mcp/inbox-mcp/inbox"
)

// answer is a transport that answers every request with one status and body: what the
// API (or something in front of it) might send, decoded by every read of the backend.
type answer struct {
	status int
	body   []byte
}

func (a answer) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		io.Copy(io.Discard, r.Body)
		r.Body.Close()
	}
	return &http.Response{StatusCode: a.status, Header: http.Header{"Content-Type": {"application/json"}, "Retry-After": {"0"}},
		Body: io.NopCloser(bytes.NewReader(a.body)), ContentLength: int64(len(a.body)), Request: r}, nil
}

// fuzzStatus maps any int onto an HTTP status, mostly 200.
func fuzzStatus(s int) int {
	if s >= 100 && s <= 599 {
		return s
	}
	return 200
}

// FuzzDecodeResponses feeds any answer to every read of the v1 backend: it decodes or
// fails with an error, never panics or hangs, and an error status is never a success.
//
//	go test ./apiclient/v1 -run '^$' -fuzz '^FuzzDecodeResponses$' -fuzztime 30s
func FuzzDecodeResponses(f *testing.F) {
	th, _ := json.Marshal(sampleThread(1))
	for _, s := range []struct {
		status int
		body   []byte
	}{
		{200, samplePageJSON(2)}, {200, th}, {200, []byte(`{"threads":[],"nextCursor":null}`)}, {200, []byte(`{}`)}, {200, []byte(`null`)},
		{200, []byte(`[{"id":"x"}]`)}, {200, []byte(`{"threads":[{"id":"","prospect":null,"lastMessage":{}}]}`)}, {200, []byte(`{"threads":[`)},
		{401, []byte(`{"error":"Unauthorized","message":"Invalid API key"}`)}, {404, []byte(`{"error":"Not Found"}`)},
		{429, []byte(`{}`)}, {500, nil}, {204, nil},
	} {
		f.Add(s.status, s.body)
	}
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		status = fuzzStatus(status)
		c, err := apiclient.New(apiclient.Config{BaseURL: "https://inbox.test/api/v1", Token: "fuzz-token", RatePerMinute: -1,
			Retry: apiclient.RetryPolicy{Attempts: 1, MaxWait: time.Millisecond, MaxRetryAfter: time.Millisecond}, HTTPClient: &http.Client{Transport: answer{status, body}}})
		if err != nil {
			t.Fatal(err)
		}
		b := NewBackend(New(c))
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		errs := map[string]error{}
		_, errs["team"] = b.Team(ctx)
		_, errs["tags"] = b.Tags(ctx)
		_, errs["statuses"] = b.Statuses(ctx)
		_, errs["members"] = b.Members(ctx)
		_, errs["accounts"] = b.Accounts(ctx)
		_, errs["threads"] = b.ListThreads(ctx, inbox.ThreadQuery{View: inbox.ViewNoReply}, "", 10)
		_, errs["thread"] = b.GetThread(ctx, "th1")
		_, errs["messages"] = b.ListMessages(ctx, "th1", "", 10)
		_, errs["prospect"] = b.Prospect(ctx, "p1")
		b.ThreadsWithUsername(ctx, "jordan")
		b.LookupProspect(ctx, "12345")
		if ctx.Err() != nil {
			t.Fatal("a read hung")
		}
		for name, err := range errs {
			if err != nil && err.Error() == "" {
				t.Fatalf("%s: an error without a message", name)
			}
			if status >= 400 && err == nil {
				t.Fatalf("%s: HTTP %d taken for a success", name, status)
			}
		}
	})
}
