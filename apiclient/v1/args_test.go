package v1

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/inbox-mcp/inbox-mcp/apiclient"
	"github.com/inbox-mcp/inbox-mcp/apiclient/apiclienttest"
)

// stubClient is a client for a server that answers every request with body, behind the
// OpenAPI-validating transport; it counts requests.
func stubClient(t *testing.T, body string) (*Client, *specTransport, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	st := newSpecTransport(t, tr)
	ac, err := apiclient.New(apiclient.Config{BaseURL: srv.URL + "/api/v1", Token: "test-token", RatePerMinute: -1,
		HTTPClient: &http.Client{Transport: st}})
	if err != nil {
		t.Fatal(err)
	}
	return New(ac), st, &n
}

func TestBadArgumentsFailBeforeAnyRequest(t *testing.T) {
	c, _, n := stubClient(t, `{}`)
	ctx := context.Background()
	bad := "Not-An-ID"
	tests := []struct {
		name string
		call func() error
		want string
	}{
		{"member id", func() error { _, err := c.Member(ctx, bad); return err }, `memberId "Not-An-ID" is not an Inbox ID`},
		{"empty thread id", func() error { _, err := c.GetThread(ctx, ""); return err }, "threadId is empty"},
		{"thread id with slash", func() error { _, err := c.GetThread(ctx, "abc/../team"); return err }, "is not an Inbox ID"},
		{"inbox view", func() error { _, err := c.ListThreads(ctx, ThreadListParams{Inbox: "unread"}); return err }, "use default, no-reply, requests or archived"},
		{"limit", func() error { _, err := c.ListThreads(ctx, ThreadListParams{Limit: 500}); return err }, "limit 500 is out of range: use 1 to 100"},
		{"sort order", func() error {
			_, err := c.ListThreads(ctx, ThreadListParams{Filters: ThreadFilters{SortOrder: "newest"}})
			return err
		}, "sortOrder \"newest\" is invalid"},
		{"tag filter id", func() error {
			_, err := c.ListThreads(ctx, ThreadListParams{Filters: ThreadFilters{Tags: IDFilter{SelectedIDs: []string{"Hot Lead"}}}})
			return err
		}, `filters.tags id "Hot Lead" is not an Inbox ID`},
		{"account filter", func() error {
			_, err := c.ListThreads(ctx, ThreadListParams{AccountLinkIDs: []string{"@acme"}})
			return err
		}, "accountLinkIds entry"},
		{"forged cursor", func() error {
			_, err := c.ListThreads(ctx, ThreadListParams{Cursor: &Cursor{ID: "abc", Timestamp: "yesterday"}})
			return err
		}, "cursor timestamp"},
		{"message limit", func() error { _, err := c.ListMessages(ctx, "abc", MessageListParams{Limit: -1}); return err }, "limit -1"},
		{"no prospect", func() error { _, err := c.CreateThread(ctx, "abc", ProspectRef{}); return err }, "no prospect given"},
		{"two prospects", func() error {
			_, err := c.LookupThread(ctx, "abc", ProspectRef{ExternalID: "abc", ExternalPlatformID: "123"})
			return err
		}, "pass only one"},
		{"username", func() error { _, err := c.LookupThreadsByUsername(ctx, " @ ", nil); return err }, "username is empty"},
		{"platform id", func() error { _, err := c.LookupProspect(ctx, ""); return err }, "platformId is empty"},
		{"assignee", func() error {
			_, err := c.UpdateThread(ctx, "abc", ThreadUpdate{AssigneeID: apiclient.Value("Dana")})
			return err
		}, `assigneeId "Dana"`},
		{"add tag", func() error {
			_, err := c.UpdateProspectContext(ctx, "abc", ProspectContextUpdate{AddTags: []string{"VIP"}})
			return err
		}, `addTags entry "VIP"`},
		{"tag name", func() error { _, err := c.CreateTag(ctx, LabelCreate{}); return err }, "name is empty"},
		{"long tag name", func() error {
			_, err := c.CreateStatus(ctx, LabelCreate{Name: strings.Repeat("x", 256)})
			return err
		}, "256 characters long"},
		{"null name", func() error {
			_, err := c.UpdateTag(ctx, "abc", LabelUpdate{Name: apiclient.Null[string]()})
			return err
		}, "name cannot be cleared"},
		{"edit content", func() error { _, err := c.EditMessage(ctx, "abc", "def", ""); return err }, "content is empty"},
		{"emoji", func() error { _, err := c.AddReaction(ctx, "abc", "def", ""); return err }, "emoji is empty"},
		{"events limit", func() error { _, err := c.Events(ctx, EventParams{Limit: 5000}); return err }, "use 1 to 1000"},
		{"send content", func() error { return c.SendMessage(ctx, "abc", SendMessageParams{}).Err }, "content is empty"},
		{"send too long", func() error {
			return c.SendMessage(ctx, "abc", SendMessageParams{Content: strings.Repeat("é", 10001)}).Err
		}, "10001 characters long"},
		{"send reply id", func() error {
			return c.SendMessage(ctx, "abc", SendMessageParams{Content: "hi", ReplyToMessageID: "x y"}).Err
		}, "replyToMessageId"},
		{"quick send prospect", func() error {
			return c.QuickSend(ctx, QuickSendParams{AccountLinkID: "abc", Content: "hi"}).Err
		}, "no prospect given"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.want)
			}
		})
	}
	if n.Load() != 0 {
		t.Fatalf("%d requests went out for invalid arguments", n.Load())
	}
	if r := c.SendMessage(ctx, "abc", SendMessageParams{}); r.Outcome != apiclient.NotSent {
		t.Fatalf("invalid send outcome = %s", r.Outcome)
	}
}

// TestThreadQueryEncoding checks the wire form of every thread-list parameter and that the
// result validates against the document (deepObject arrays in the indexed bracket form).
func TestThreadQueryEncoding(t *testing.T) {
	c, st, _ := stubClient(t, `{"threads":[],"nextCursor":null}`)
	p := ThreadListParams{
		Inbox:          InboxNoReply,
		AccountLinkIDs: []string{"alaaa", "albbb"},
		Filters: ThreadFilters{
			Tags:      IDFilter{SelectedIDs: []string{"tg1", "tg2"}},
			Statuses:  IDFilter{None: true},
			Assignees: IDFilter{SelectedIDs: []string{"mb1"}, None: true},
			Campaigns: IDFilter{None: true},
			SortOrder: SortAsc,
		},
		Limit:  100,
		Cursor: &Cursor{Timestamp: "2025-11-10T18:03:16.000Z", ID: "th9"},
	}
	q, err := p.query()
	if err != nil {
		t.Fatal(err)
	}
	want := "accountLinkIds[0]=alaaa&accountLinkIds[1]=albbb&cursorId=th9&cursorTimestamp=2025-11-10T18:03:16.000Z" +
		"&filters[assignees][noAssignee]=true&filters[assignees][selectedIds][0]=mb1&filters[campaigns][noCampaign]=true" +
		"&filters[sortOrder]=asc&filters[statuses][noStatus]=true&filters[tags][selectedIds][0]=tg1&filters[tags][selectedIds][1]=tg2" +
		"&inbox=no-reply&limit=100"
	if got := unescape(q.Encode()); got != want {
		t.Fatalf("query\n got %s\nwant %s", got, want)
	}
	if _, err := c.ListThreads(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	st.check(t)
	c2, st2, _ := stubClient(t, `[]`)
	if _, err := c2.LookupThreadsByUsername(context.Background(), "@JordanRivera", []string{"alaaa"}); err != nil {
		t.Fatal(err)
	}
	st2.check(t)
}

func unescape(s string) string {
	return strings.NewReplacer("%5B", "[", "%5D", "]", "%3A", ":").Replace(s)
}

func TestCursorTokenResumesIterator(t *testing.T) {
	var gotQuery atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotQuery.Store(r.URL.RawQuery)
		_, _ = w.Write([]byte(`{"threads":[],"nextCursor":null}`))
	}))
	defer srv.Close()
	// No wall-clock time-out (a loaded machine can outrun a short one): attempts end only
	// if the test expires them, which it never does.
	ac, err := apiclient.New(apiclient.Config{BaseURL: srv.URL, Token: "t", RatePerMinute: -1, AttemptContext: new(apiclienttest.Timeouts).Context})
	if err != nil {
		t.Fatal(err)
	}
	defer ac.Close()
	c := New(ac)
	from := &Cursor{Timestamp: "2025-11-10T18:03:16.000Z", ID: "th9"}
	for _, err := range c.Threads(context.Background(), ThreadListParams{Cursor: from, Limit: 5}, 30) {
		if err != nil {
			t.Fatal(err)
		}
	}
	if got := unescape(gotQuery.Load().(string)); got != "cursorId=th9&cursorTimestamp=2025-11-10T18:03:16.000Z&limit=30" {
		t.Fatalf("query = %s, want the resume cursor and a limit of the cap", got)
	}
}
