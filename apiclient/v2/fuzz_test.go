package v2

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

// FuzzDecodeResponses feeds any answer to every read of the v2 backend: it decodes or
// fails with an error, never panics or hangs, and an error status is never a success.
//
//	go test ./apiclient/v2 -run '^$' -fuzz '^FuzzDecodeResponses$' -fuzztime 30s
func FuzzDecodeResponses(f *testing.F) {
	seed := func(status int, v any) {
		b, err := json.Marshal(v)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(status, b)
	}
	seed(200, fxTeam)
	seed(200, page(nil, fxThreadSarah, fxThreadOmar))
	seed(200, page("next-cursor", fxMessageIn, fxMessageOut, fxMessageCampaign))
	seed(200, fxContactSarah)
	seed(200, page(nil, fxAccountX, fxAccountLi))
	seed(200, page(nil, fxPlatformX, fxPlatformLi))
	seed(200, page(nil, fxMember))
	seed(200, fxTags)
	seed(401, apiErr("unauthorized", "Invalid API key", nil))
	seed(404, apiErr("notFound", "Thread not found", nil))
	seed(429, apiErr("rateLimited", "Slow down", map[string]any{"retryAfter": 1}))
	f.Add(200, []byte(`{"data":null,"nextCursor":{}}`))
	f.Add(500, []byte(nil))
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		if status < 100 || status > 599 {
			status = 200
		}
		tr, err := apiclient.New(apiclient.Config{BaseURL: "https://inbox.test/api/v2", Token: "fuzz-token", RatePerMinute: -1,
			Retry: apiclient.RetryPolicy{Attempts: 1, MaxWait: time.Millisecond, MaxRetryAfter: time.Millisecond}, HTTPClient: &http.Client{Transport: answer{status, body}}})
		if err != nil {
			t.Fatal(err)
		}
		b := NewBackend(New(tr, Options{}))
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		errs := map[string]error{}
		_, errs["team"] = b.Team(ctx)
		_, errs["tags"] = b.Tags(ctx)
		_, errs["statuses"] = b.Statuses(ctx)
		_, errs["members"] = b.Members(ctx)
		_, errs["accounts"] = b.Accounts(ctx)
		_, errs["threads"] = b.ListThreads(ctx, inbox.ThreadQuery{View: inbox.ViewDefault}, "", 10)
		_, errs["thread"] = b.GetThread(ctx, thSarahID)
		_, errs["messages"] = b.ListMessages(ctx, thSarahID, "", 10)
		_, errs["prospect"] = b.Prospect(ctx, sarahID)
		b.ThreadsWithUsername(ctx, "sarahchen")
		b.LookupProspect(ctx, sarahXID)
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
