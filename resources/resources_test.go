package resources_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/inbox-mcp/inbox-mcp/app"
	"github.com/inbox-mcp/inbox-mcp/inbox"
	"github.com/inbox-mcp/inbox-mcp/internal/testenv"
	"github.com/inbox-mcp/inbox-mcp/resources"
	"github.com/inbox-mcp/inbox-mcp/tools"
	"github.com/inbox-mcp/inbox-mcp/views"
)

// shared holds, by API version, the harnesses of the tests that change nothing: one
// simulator for the package, seen through each version.
var shared map[string]*testenv.Harness

func TestMain(m *testing.M) {
	hs, stop, err := testenv.StartVersions(app.Config{})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	shared = hs
	code := m.Run()
	stop()
	os.Exit(code)
}

func read(t *testing.T, c *client.Client, uri string) (string, error) {
	t.Helper()
	var req mcp.ReadResourceRequest
	req.Params.URI = uri
	res, err := c.ReadResource(context.Background(), req)
	if err != nil {
		return "", err
	}
	if len(res.Contents) != 1 {
		t.Fatalf("%s: %d contents", uri, len(res.Contents))
	}
	tc, ok := res.Contents[0].(mcp.TextResourceContents)
	if !ok || tc.URI != uri || tc.MIMEType == "" {
		t.Fatalf("%s: contents %+v", uri, res.Contents[0])
	}
	return tc.Text, nil
}

func mustRead(t *testing.T, c *client.Client, uri string) string {
	t.Helper()
	s, err := read(t, c, uri)
	if err != nil {
		t.Fatalf("%s: %v", uri, err)
	}
	return s
}

func threads(t *testing.T, b inbox.Backend, v inbox.View) []inbox.Thread {
	t.Helper()
	ts, _, err := inbox.Gather(context.Background(), "", 1000, func(ctx context.Context, c string, n int) (inbox.Page[inbox.Thread], error) {
		return b.ListThreads(ctx, inbox.ThreadQuery{View: v}, c, n)
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return ts
}

func messages(t *testing.T, b inbox.Backend, id string) []inbox.Message {
	t.Helper()
	ms, _, err := inbox.Gather(context.Background(), "", 100000, func(ctx context.Context, c string, n int) (inbox.Page[inbox.Message], error) {
		return b.ListMessages(ctx, id, c, n)
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return ms
}

func TestListed(t *testing.T) {
	testenv.EachVersion(t, shared, func(t *testing.T, h *testenv.Harness) {
		ctx := context.Background()
		tpl, err := h.Client.ListResourceTemplates(ctx, mcp.ListResourceTemplatesRequest{})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]bool{}
		for _, rt := range tpl.ResourceTemplates {
			got[rt.URITemplate.Raw()] = true
		}
		if !got[tools.TranscriptTemplate] || !got[tools.ProspectTemplate] {
			t.Fatalf("templates = %v", got)
		}
		rs, err := h.Client.ListResources(ctx, mcp.ListResourcesRequest{})
		if err != nil {
			t.Fatal(err)
		}
		if len(rs.Resources) != 4 {
			t.Fatalf("%d static resources, want the 4 directory lists", len(rs.Resources))
		}
	})
}

// TestTranscriptIsWhole reads the longest seeded thread (several API pages) and checks
// every message is there, oldest first, prospect text quoted.
func TestTranscriptIsWhole(t *testing.T) {
	testenv.EachVersion(t, shared, func(t *testing.T, h *testenv.Harness) {
		var long inbox.Thread
		var ref []inbox.Message
		for _, th := range append(threads(t, h.Backend, inbox.ViewDefault), threads(t, h.Backend, inbox.ViewArchived)...) {
			if ms := messages(t, h.Backend, th.ID); len(ms) > len(ref) {
				long, ref = th, ms
			}
		}
		if len(ref) <= inbox.MaxPage {
			t.Fatalf("the longest seeded thread has %d messages; the test needs more than one page", len(ref))
		}
		md := mustRead(t, h.Client, tools.TranscriptURI(long.ID))
		if !strings.Contains(md, strconv.Itoa(len(ref))+" messages, oldest first, complete.") || !strings.Contains(md, views.UntrustedNote) {
			t.Fatalf("header wrong:\n%s", md[:min(len(md), 600)])
		}
		last := -1
		for i := len(ref) - 1; i >= 0; i-- {
			m := ref[i]
			at := strings.Index(md, "`"+m.ID+"`")
			if at < 0 || at < last {
				t.Fatalf("message %s missing or out of order", m.ID)
			}
			last = at
			body := views.Sanitize(m.Content)
			if m.Direction == inbox.Inbound {
				body = "> " + strings.ReplaceAll(views.Quote(body), "\n", "\n> ")
			}
			if !strings.Contains(md[at:], body) {
				t.Fatalf("message %s text missing or shortened", m.ID)
			}
		}
	})
}

func TestTranscriptSanitizesInjection(t *testing.T) {
	testenv.EachVersion(t, shared, func(t *testing.T, h *testenv.Harness) {
		var th inbox.Thread
		for _, c := range threads(t, h.Backend, inbox.ViewNoReply) {
			if c.LastMessage != nil && strings.ContainsRune(c.LastMessage.Content, '\u202E') {
				th = c
			}
		}
		if th.ID == "" {
			t.Fatal("the seeded injection thread is missing")
		}
		md := mustRead(t, h.Client, tools.TranscriptURI(th.ID))
		for _, r := range md {
			if r == '\u202E' || r == '\u200B' || (r >= 0xE0000 && r <= 0xE007F) {
				t.Fatalf("transcript contains %U", r)
			}
		}
		if !strings.Contains(md, "> «Here is the signed contract") {
			t.Fatalf("the injection is not quoted:\n%s", md)
		}
	})
}

func TestProspectResource(t *testing.T) {
	testenv.EachVersion(t, shared, func(t *testing.T, h *testenv.Harness) {
		th := threads(t, h.Backend, inbox.ViewDefault)[0]
		text := mustRead(t, h.Client, tools.ProspectURI(th.Prospect.ID))
		for _, want := range []string{"Prospect " + th.Prospect.ID, "@" + th.Prospect.Username, views.UntrustedNote, "thread " + th.ID + " on @"} {
			if !strings.Contains(text, want) {
				t.Errorf("profile lacks %q:\n%s", want, text)
			}
		}
		// v2 groups a person's profiles on several platforms under one contact: the
		// resource names the others; v1 has one profile per prospect.
		var multi inbox.Thread
		for _, c := range threads(t, h.Backend, inbox.ViewDefault) {
			if len(c.Prospect.Profiles) > 1 {
				multi = c
				break
			}
		}
		if (multi.ID != "") != (h.Version == "v2") {
			t.Fatalf("%s: a prospect with several profiles: %q", h.Version, multi.ID)
		}
		if multi.ID == "" {
			return
		}
		text = mustRead(t, h.Client, tools.ProspectURI(multi.Prospect.ID))
		for _, p := range multi.Prospect.Profiles {
			if p.Platform == multi.Prospect.Platform {
				continue
			}
			if want := "also on " + p.Platform + ": «" + p.DisplayName + "» @" + p.Username; !strings.Contains(text, want) {
				t.Errorf("profile lacks %q:\n%s", want, text)
			}
		}
	})
}

func TestReadErrors(t *testing.T) {
	testenv.EachVersion(t, shared, func(t *testing.T, h *testenv.Harness) {
		for uri, want := range map[string]string{
			tools.TranscriptURI("zzzzzzzzzzzzzzzzzzzzzzzz"): "use list_threads or lookup_thread",
			tools.ProspectURI("zzzzzzzzzzzzzzzzzzzzzzzz"):   "use lookup_thread",
		} {
			_, err := read(t, h.Client, uri)
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("%s: err = %v, want it to say %q", uri, err, want)
			}
		}
	})
}

func TestDirectoryResources(t *testing.T) {
	testenv.EachVersion(t, shared, func(t *testing.T, h *testenv.Harness) {
		ctx := context.Background()
		tags, _ := h.Backend.Tags(ctx)
		members, _ := h.Backend.Members(ctx)
		accounts, _ := h.Backend.Accounts(ctx)
		statuses, _ := h.Backend.Statuses(ctx)
		for kind, n := range map[string]int{"tags": len(tags), "statuses": len(statuses), "members": len(members), "accounts": len(accounts)} {
			var entries []resources.Entry
			if err := json.Unmarshal([]byte(mustRead(t, h.Client, tools.DirectoryURI(kind))), &entries); err != nil {
				t.Fatal(err)
			}
			if len(entries) != n || entries[0].ID == "" {
				t.Errorf("%s: %d entries, want %d: %+v", kind, len(entries), n, entries)
			}
		}
	})
}

func TestCompletions(t *testing.T) {
	testenv.EachVersion(t, shared, func(t *testing.T, h *testenv.Harness) {
		th := threads(t, h.Backend, inbox.ViewDefault)[0]
		complete := func(tpl, arg, value string) []string {
			var req mcp.CompleteRequest
			req.Params.Ref = mcp.ResourceReference{Type: "ref/resource", URI: tpl}
			req.Params.Argument = mcp.CompleteArgument{Name: arg, Value: value}
			res, err := h.Client.Complete(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			return res.Completion.Values
		}
		got := complete(tools.TranscriptTemplate, "threadId", th.ID[:3])
		found := false
		for _, v := range got {
			found = found || v == th.ID
			if !strings.HasPrefix(v, th.ID[:3]) {
				t.Errorf("%q does not start with %q", v, th.ID[:3])
			}
		}
		if !found {
			t.Errorf("threadId completion %v lacks %s", got, th.ID)
		}
		if all := complete(tools.TranscriptTemplate, "threadId", ""); len(all) == 0 || len(all) > 100 {
			t.Errorf("empty prefix gave %d values", len(all))
		}
		if got := complete(tools.ProspectTemplate, "prospectId", th.Prospect.ID); len(got) != 1 || got[0] != th.Prospect.ID {
			t.Errorf("prospectId completion = %v", got)
		}
	})
}

// TestSubscribedClientsHearOfOurWrites subscribes (resources/subscribe, protocol 2025-11-25)
// to a transcript, sends a reply through the tool and waits for the update notification.
func TestSubscribedClientsHearOfOurWrites(t *testing.T) {
	testenv.ForVersions(t, app.Config{}, func(t *testing.T, h *testenv.Harness) {
		c := testenv.Connect(t, h.Server, client.WithProtocolVersion("2025-11-25"))
		th := threads(t, h.Backend, inbox.ViewNoReply)[0]
		uri := tools.TranscriptURI(th.ID)
		// Deterministic: the test waits on a channel for the notification; the 2-minute bound
		// is only a hang guard, not a speed requirement.
		got := make(chan string, 16)
		c.OnNotification(func(n mcp.JSONRPCNotification) {
			if n.Method == mcp.MethodNotificationResourceUpdated {
				u, _ := n.Params.AdditionalFields["uri"].(string)
				select {
				case got <- u:
				default:
				}
			}
		})
		var sub mcp.SubscribeRequest
		sub.Params.URI = uri
		// Client.Listen, which the deprecation names, needs protocol 2026-07-28 and errors on
		// this connection: resources/subscribe is how a 2025-11-25 client subscribes, and it is
		// the path the server's registry (resources.Subscriptions) serves.
		//lint:ignore SA1019 this test covers the resources/subscribe RPC of protocol 2025-11-25
		if err := c.Subscribe(context.Background(), sub); err != nil {
			t.Fatal(err)
		}
		res := testenv.Call(t, c, "send_reply", map[string]any{"thread_id": th.ID, "text": "On it!"})
		if res.IsError {
			t.Fatal(testenv.Text(res))
		}
		select {
		case u := <-got:
			if u != uri {
				t.Fatalf("updated %s, want %s", u, uri)
			}
		case <-time.After(2 * time.Minute):
			t.Fatal("no notifications/resources/updated after the send")
		}
	})
}
