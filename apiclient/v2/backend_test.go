package v2

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/inbox-mcp/inbox-mcp/inbox"
)

func scriptedBackend(t *testing.T) (inbox.Backend, *scripted) {
	t.Helper()
	c, s, _ := scriptedClient(t, sendOpts, sendCfg())
	return NewBackend(c), s
}

func encoded(r seen) string { return url.Values(r.query).Encode() }

// calls lists the requests as "METHOD /path?query".
func calls(s *scripted) []string {
	var out []string
	for _, r := range s.requests("") {
		m, _, _ := strings.Cut(r.op, " ")
		line := m + " " + strings.TrimPrefix(r.path, "/api/v2")
		if q := encoded(r); q != "" {
			line += "?" + q
		}
		out = append(out, line)
	}
	return out
}

func TestBackendDirectory(t *testing.T) {
	b, s := scriptedBackend(t)
	ctx := testCtx(t)
	if b.APIVersion() != "v2" {
		t.Errorf("APIVersion = %q", b.APIVersion())
	}
	f := b.Features()
	if !f.ThreadSearch || !f.Unread || !f.Capabilities || !slices.Equal(f.Platforms, []string{"twitter", "linkedin"}) {
		t.Errorf("Features = %+v", f)
	}
	b.Features()
	if n := len(s.requests("GET /platforms")); n != 1 {
		t.Errorf("GET /platforms asked %d times, want once", n)
	}
	down, s2 := scriptedBackend(t)
	s2.script("GET /platforms", reply{status: http.StatusUnauthorized, body: apiErr("unauthorized", "bad token", nil)})
	for range 2 {
		if f := down.Features(); !slices.Equal(f.Platforms, []string{"twitter"}) {
			t.Errorf("platforms while GET /platforms fails = %v, want twitter", f.Platforms)
		}
	}
	if n := len(s2.requests("GET /platforms")); n != 1 {
		t.Errorf("a failing GET /platforms was asked %d times in a row, want once", n)
	}
	team, err := b.Team(ctx)
	if err != nil || team != (inbox.Team{ID: teamID, Name: "Acme Growth", Slug: "acme-growth", Currency: "USD"}) {
		t.Errorf("Team = %+v, %v", team, err)
	}
	accs, err := b.Accounts(ctx)
	if err != nil || len(accs) != 2 {
		t.Fatalf("Accounts = %+v, %v", accs, err)
	}
	x, li := accs[0], accs[1]
	if x.ID != xAccountID || x.Platform != "twitter" || x.Username != "jane" || x.Name != "Jane at Acme" || x.Status != "active" ||
		!slices.Equal(x.Capabilities, []string{"message:send", "message:edit", "message:react", "message:reply"}) {
		t.Errorf("X account = %+v", x)
	}
	if li.Platform != "linkedin" || li.Username != "" || li.Status != "paused" || li.Capabilities == nil || len(li.Capabilities) != 0 {
		t.Errorf("LinkedIn account = %+v (capabilities must be known and empty, not nil)", li)
	}
	ms, err := b.Members(ctx)
	if err != nil || len(ms) != 2 || ms[0] != (inbox.Member{ID: memberID, UserID: memberID, Name: "Jane Doe", Email: "jane@example.com", Role: "owner"}) || ms[1].Name != "" {
		t.Errorf("Members = %+v, %v", ms, err)
	}
}

func TestBackendLabels(t *testing.T) {
	b, s := scriptedBackend(t)
	ctx := testCtx(t)
	tags, err := b.Tags(ctx)
	if err != nil || len(tags) != 2 || tags[0] != (inbox.Label{ID: hotLeadID, Name: "Hot Lead", Color: "#ef4444"}) {
		t.Errorf("Tags = %+v, %v", tags, err)
	}
	sts, err := b.Statuses(ctx)
	if err != nil || len(sts) != 2 || sts[1] != (inbox.Label{ID: newStatusID, Name: "New"}) {
		t.Errorf("Statuses = %+v, %v", sts, err)
	}
	if _, err := b.UpdateTag(ctx, hotLeadID, inbox.LabelUpdate{Color: inbox.Clear[string]()}); !errors.Is(err, inbox.ErrUnsupported) {
		t.Errorf("clearing a tag color: %v, want ErrUnsupported", err)
	}
	if _, err := b.UpdateTag(ctx, hotLeadID, inbox.LabelUpdate{Name: inbox.Set(" ")}); err == nil {
		t.Error("renaming a tag to blank must fail")
	}
	steps := []struct {
		call func() error
		want string // "METHOD /path body"
	}{
		{func() error { _, err := b.CreateTag(ctx, "Pricing", "blue"); return err }, `POST /tags {"name":"Pricing","color":"blue"}`},
		{func() error { _, err := b.CreateTag(ctx, "Pricing", ""); return err }, `POST /tags {"name":"Pricing"}`},
		{func() error {
			_, err := b.UpdateTag(ctx, hotLeadID, inbox.LabelUpdate{Name: inbox.Set("Hot"), Color: inbox.Set("#ff0000")})
			return err
		}, `PATCH /tags/` + hotLeadID + ` {"name":"Hot","color":"#ff0000"}`},
		{func() error { _, err := b.UpdateTag(ctx, hotLeadID, inbox.LabelUpdate{}); return err }, `GET /tags/` + hotLeadID + ` `},
		{func() error { return b.DeleteTag(ctx, pricingID) }, `DELETE /tags/` + pricingID + ` `},
		{func() error { _, err := b.CreateStatus(ctx, "New", ""); return err }, `POST /statuses {"name":"New"}`},
		{func() error { _, err := b.CreateStatus(ctx, "New", "red"); return err }, `POST /statuses {"name":"New","color":"red"}`},
		{func() error {
			_, err := b.UpdateStatus(ctx, newStatusID, inbox.LabelUpdate{Color: inbox.Clear[string]()})
			return err
		}, `PATCH /statuses/` + newStatusID + ` {"color":null}`},
		{func() error {
			_, err := b.UpdateStatus(ctx, newStatusID, inbox.LabelUpdate{Name: inbox.Set("Fresh")})
			return err
		}, `PATCH /statuses/` + newStatusID + ` {"name":"Fresh"}`},
		{func() error { return b.DeleteStatus(ctx, newStatusID) }, `DELETE /statuses/` + newStatusID + ` `},
	}
	for _, st := range steps {
		before := len(s.requests(""))
		if err := st.call(); err != nil {
			t.Errorf("%s: %v", st.want, err)
			continue
		}
		reqs := s.requests("")
		if len(reqs) != before+1 {
			t.Errorf("%s: %d requests, want 1", st.want, len(reqs)-before)
			continue
		}
		r := reqs[len(reqs)-1]
		method, _, _ := strings.Cut(r.op, " ")
		if got := method + " " + strings.TrimPrefix(r.path, "/api/v2") + " " + r.body; got != st.want {
			t.Errorf("sent %s, want %s", got, st.want)
		}
	}
}

func TestBackendListThreads(t *testing.T) {
	yes, no := true, false
	for _, tc := range []struct {
		name  string
		q     inbox.ThreadQuery
		query string   // the GET /threads query sent
		ids   []string // threads returned (the fixture page holds Sarah's and Omar's)
	}{
		{"no filter", inbox.ThreadQuery{}, "expand=profile&expand=contact&limit=20", []string{thSarahID, thOmarID}},
		{"every server filter", inbox.ThreadQuery{View: inbox.ViewNoReply, AccountIDs: []string{xAccountID, liAccountID}, TagIDs: []string{hotLeadID, pricingID},
			StatusIDs: []string{qualifiedID}, AssigneeIDs: []string{memberID}, CampaignIDs: []string{"cmp4821followupx0n4wq7yb"}, Ascending: true, Text: " demo "},
			"accountLinkId=" + xAccountID + "&accountLinkId=" + liAccountID + "&assigneeId=" + memberID + "&campaignId=cmp4821followupx0n4wq7yb&expand=profile&expand=contact&folder=noReply&limit=20&order=asc&q=demo&status=" + qualifiedID + "&tag=" + hotLeadID + "&tag=" + pricingID,
			[]string{thSarahID, thOmarID}},
		{"default view", inbox.ThreadQuery{View: inbox.ViewDefault}, "expand=profile&expand=contact&folder=inbox&limit=20", []string{thSarahID, thOmarID}},
		{"archived view", inbox.ThreadQuery{View: inbox.ViewArchived}, "expand=profile&expand=contact&folder=archived&limit=20", []string{thSarahID, thOmarID}},
		{"requests view", inbox.ThreadQuery{View: inbox.ViewRequests}, "expand=profile&expand=contact&folder=requests&limit=20", []string{thSarahID, thOmarID}},
		{"unassigned", inbox.ThreadQuery{NoAssignee: true}, "expand=profile&expand=contact&limit=20&unassigned=true", []string{thSarahID, thOmarID}},
		{"assignee or no one", inbox.ThreadQuery{NoAssignee: true, AssigneeIDs: []string{member2ID}}, "expand=profile&expand=contact&limit=20", []string{thSarahID}},
		{"unread", inbox.ThreadQuery{Unread: &yes}, "expand=profile&expand=contact&limit=20", []string{thOmarID}},
		{"read", inbox.ThreadQuery{Unread: &no}, "expand=profile&expand=contact&limit=20", []string{thSarahID}},
		{"no tags", inbox.ThreadQuery{NoTags: true}, "expand=profile&expand=contact&limit=20", []string{thOmarID}},
		{"these tags or none", inbox.ThreadQuery{NoTags: true, TagIDs: []string{hotLeadID}}, "expand=profile&expand=contact&limit=20", []string{thSarahID, thOmarID}},
		{"no status", inbox.ThreadQuery{NoStatus: true}, "expand=profile&expand=contact&limit=20", []string{thOmarID}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, s := scriptedBackend(t)
			p, err := b.ListThreads(testCtx(t), tc.q, "", 20)
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, th := range p.Items {
				ids = append(ids, th.ID)
			}
			if !slices.Equal(ids, tc.ids) || p.Next != "" {
				t.Errorf("threads %v next %q, want %v", ids, p.Next, tc.ids)
			}
			reqs := s.requests("GET /threads")
			if len(reqs) != 1 || encoded(reqs[0]) != tc.query {
				t.Errorf("query %q, want %q", encoded(reqs[0]), tc.query)
			}
		})
	}

	b, _ := scriptedBackend(t)
	ctx := testCtx(t)
	for name, q := range map[string]inbox.ThreadQuery{"no campaign": {NoCampaign: true}} {
		if _, err := b.ListThreads(ctx, q, "", 20); !errors.Is(err, inbox.ErrUnsupported) {
			t.Errorf("%s: %v, want ErrUnsupported", name, err)
		}
	}
	if _, err := b.ListThreads(ctx, inbox.ThreadQuery{View: "done"}, "", 20); err == nil || !strings.Contains(err.Error(), "no-reply") {
		t.Errorf("unknown view: %v, want an error listing the views", err)
	}
	for _, limit := range []int{0, 101} {
		if _, err := b.ListThreads(ctx, inbox.ThreadQuery{}, "", limit); err == nil {
			t.Errorf("limit %d accepted", limit)
		}
	}
}

// TestBackendListThreadsScans: a filter v2 lacks skips pages without a match, resumes with
// the server's cursor, and gives up with a clear error rather than a silent end.
func TestBackendListThreadsScans(t *testing.T) {
	yes := true
	b, s := scriptedBackend(t)
	s.script("GET /threads",
		reply{status: http.StatusOK, body: page("c1", fxThreadSarah)},
		reply{status: http.StatusOK, body: page("c2", fxThreadOmar)})
	p, err := b.ListThreads(testCtx(t), inbox.ThreadQuery{Unread: &yes}, "c0", 1)
	if err != nil || len(p.Items) != 1 || p.Items[0].ID != thOmarID || p.Next != "c2" {
		t.Fatalf("page = %+v, %v", p, err)
	}
	reqs := s.requests("GET /threads")
	if len(reqs) != 2 || reqs[0].query["cursor"][0] != "c0" || reqs[1].query["cursor"][0] != "c1" || reqs[1].query["limit"][0] != "1" {
		t.Errorf("requests %v", calls(s))
	}

	b, s = scriptedBackend(t)
	s.script("GET /threads", reply{status: http.StatusOK, body: page("c1", fxThreadSarah)})
	if _, err := b.ListThreads(testCtx(t), inbox.ThreadQuery{Unread: &yes}, "", 10); err == nil || !strings.Contains(err.Error(), "narrow") {
		t.Errorf("endless scan: %v, want an error asking to narrow the query", err)
	}
	if n := len(s.requests("GET /threads")); n != maxScanPages {
		t.Errorf("scanned %d pages, want %d", n, maxScanPages)
	}
}

func TestBackendThreadConversion(t *testing.T) {
	b, s := scriptedBackend(t)
	ctx := testCtx(t)
	th, err := b.GetThread(ctx, thSarahID)
	if err != nil {
		t.Fatal(err)
	}
	if q := encoded(s.requests("GET /threads/{threadId}")[0]); q != "expand=profile&expand=contact" {
		t.Errorf("GetThread query %q", q)
	}
	p := th.Prospect
	val := 12000.0
	want := inbox.Prospect{ID: sarahID, ProfileID: sarahProfID, Platform: "twitter", PlatformID: sarahXID, Username: "sarahchen",
		DisplayName: "Sarah Chen", Bio: "Building reporting tools.", Location: "Berlin", WebsiteURL: "https://sarah.example.com",
		Followers: 1200, Following: 310, Verified: "business", ProfileType: "business",
		Context: inbox.Context{TagIDs: []string{hotLeadID}, StatusID: qualifiedID, Notes: "Asked for a demo of the reporting API.", Valuation: &val}}
	if p.ID != want.ID || p.ProfileID != want.ProfileID || p.Username != want.Username || p.DisplayName != want.DisplayName || p.Bio != want.Bio ||
		p.Location != want.Location || p.WebsiteURL != want.WebsiteURL || p.Followers != want.Followers || p.Following != want.Following ||
		p.Verified != want.Verified || p.ProfileType != want.ProfileType || p.Platform != want.Platform || p.PlatformID != want.PlatformID ||
		!slices.Equal(p.Context.TagIDs, want.Context.TagIDs) || p.Context.StatusID != want.Context.StatusID || p.Context.Notes != want.Context.Notes ||
		p.Context.Valuation == nil || *p.Context.Valuation != val || p.Context.AssigneeID != "" {
		t.Errorf("prospect =\n%+v\nwant\n%+v", p, want)
	}
	if th.ID != thSarahID || th.AccountID != xAccountID || th.Platform != "twitter" || th.PlatformID != "1566123362161725440:"+sarahXID ||
		th.Done || th.IsRequest || th.Unread == nil || *th.Unread || !slices.Equal(th.Restrictions, []string{"message:edit"}) ||
		th.LastMessage == nil || th.LastMessage.ID != msgInID || th.LastMessage.Direction != inbox.Inbound ||
		th.LastMessage.Content != "Sounds great, let's schedule a call!" || th.LastMessageAt.IsZero() || !th.SortAt.Equal(th.LastMessageAt) {
		t.Errorf("thread = %+v", th)
	}

	om, err := b.GetThread(ctx, thOmarID)
	if err != nil {
		t.Fatal(err)
	}
	if om.Platform != "linkedin" || !*om.Unread || !om.IsRequest || om.LastMessage != nil || !om.SortAt.Equal(om.CreatedAt) ||
		om.AssigneeID != memberID || om.Restrictions == nil || om.Prospect.Verified != "none" || om.Prospect.ProfileType != "personal" ||
		om.Prospect.Followers != 0 || om.Prospect.Context.Valuation != nil || om.Prospect.Context.TagIDs == nil || om.Prospect.Context.AssigneeID != memberID {
		t.Errorf("linkedin thread = %+v", om)
	}
}

func TestBackendUpdateThread(t *testing.T) {
	b, s := scriptedBackend(t)
	ctx := testCtx(t)
	if _, err := b.UpdateThread(ctx, thSarahID, inbox.ThreadUpdate{Done: inbox.Set(true), Assignee: inbox.Clear[string]()}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.UpdateThread(ctx, thSarahID, inbox.ThreadUpdate{Assignee: inbox.Set(member2ID)}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.UpdateThread(ctx, thSarahID, inbox.ThreadUpdate{}); err != nil {
		t.Fatal(err)
	}
	patches := s.requests("PATCH /threads/{threadId}")
	if len(patches) != 2 || patches[0].body != `{"archived":true,"assigneeId":null}` || patches[1].body != `{"assigneeId":"`+member2ID+`"}` {
		t.Errorf("patches %+v", patches)
	}
	if n := len(s.requests("GET /threads/{threadId}")); n != 3 {
		t.Errorf("%d reads back, want one per update", n)
	}
}

func TestBackendMessages(t *testing.T) {
	b, s := scriptedBackend(t)
	ctx := testCtx(t)
	p, err := b.ListMessages(ctx, thSarahID, "cur", 50)
	if err != nil {
		t.Fatal(err)
	}
	if q := encoded(s.requests("GET /threads/{threadId}/messages")[0]); q != "cursor=cur&expand=reactions.author&limit=50" {
		t.Errorf("query %q", q)
	}
	if len(p.Items) != 3 {
		t.Fatalf("%d messages", len(p.Items))
	}
	in, out, camp := p.Items[0], p.Items[1], p.Items[2]
	if in.Direction != inbox.Inbound || in.Origin != "external" || in.UserID != "" || in.AccountID != xAccountID || in.ThreadID != thSarahID ||
		len(in.Reactions) != 1 || in.Reactions[0] != (inbox.Reaction{Emoji: "👍", By: "1566123362161725440"}) {
		t.Errorf("inbound = %+v", in)
	}
	if out.Direction != inbox.Outbound || out.Origin != "internal" || out.UserID != memberID || !out.Edited || out.ReplyToID != msgInID ||
		out.DeletedAt != nil || len(out.Reactions) != 2 || out.Reactions[0].By != sarahXID || out.Reactions[1].By != "99887766" {
		t.Errorf("outbound = %+v", out)
	}
	if camp.CampaignID != "cmp4821followupx0n4wq7yb" || camp.Origin != "internal" || camp.DeletedAt == nil || camp.Edited {
		t.Errorf("campaign message = %+v", camp)
	}

	if err := b.EditMessage(ctx, thSarahID, msgOutID, "Edited text"); err != nil {
		t.Error(err)
	}
	if err := b.DeleteMessage(ctx, thSarahID, msgOutID); err != nil {
		t.Error(err)
	}
	if err := b.React(ctx, thSarahID, msgInID, "🔥", true); err != nil {
		t.Error(err)
	}
	if err := b.React(ctx, thSarahID, msgInID, "🔥", false); err != nil {
		t.Error(err)
	}
	got := calls(s)[1:]
	want := []string{
		"PATCH /messages/" + msgOutID,
		"DELETE /messages/" + msgOutID + "?scope=all",
		"POST /messages/" + msgInID + "/reactions",
		"DELETE /messages/" + msgInID + "/reactions?emoji=%F0%9F%94%A5",
	}
	if !slices.Equal(got, want) {
		t.Errorf("calls %v, want %v", got, want)
	}
	if e := s.requests("PATCH /messages/{messageId}")[0].body; e != `{"content":"Edited text"}` {
		t.Errorf("edit body %s", e)
	}
	if e := s.requests("POST /messages/{messageId}/reactions")[0].body; e != `{"emoji":"🔥"}` {
		t.Errorf("react body %s", e)
	}
}

func TestBackendSend(t *testing.T) {
	for _, tc := range []struct {
		name   string
		r      inbox.SendRequest
		want   inbox.Outcome
		target string // the "target" of the POST /messages body, "" when none may be sent
	}{
		{"thread", inbox.SendRequest{ThreadID: thSarahID, Content: "hi", ReplyToID: msgInID}, inbox.Sent,
			`{"type":"thread","threadId":"` + thSarahID + `"}`},
		{"contact", inbox.SendRequest{AccountID: xAccountID, To: inbox.PersonRef{ID: sarahID, Username: "ignored"}, Content: "hi"}, inbox.Sent,
			`{"type":"contact","accountLinkId":"` + xAccountID + `","contactId":"` + sarahID + `"}`},
		{"platform ID", inbox.SendRequest{AccountID: xAccountID, To: inbox.PersonRef{PlatformID: sarahXID}, Content: "hi"}, inbox.Sent,
			`{"type":"profile","accountLinkId":"` + xAccountID + `","platform":"twitter","platformId":"` + sarahXID + `"}`},
		{"username any case", inbox.SendRequest{AccountID: xAccountID, To: inbox.PersonRef{Username: "@SarahChen"}, Content: "hi"}, inbox.Sent,
			`{"type":"profile","accountLinkId":"` + xAccountID + `","platform":"twitter","platformId":"` + sarahXID + `"}`},
		{"linkedin username", inbox.SendRequest{AccountID: liAccountID, To: inbox.PersonRef{Username: "omar-haddad"}, Content: "hi"}, inbox.Sent,
			`{"type":"profile","accountLinkId":"` + liAccountID + `","platform":"linkedin","platformId":"` + omarLiID + `"}`},
		{"unknown username", inbox.SendRequest{AccountID: xAccountID, To: inbox.PersonRef{Username: "nobody"}, Content: "hi"}, inbox.NotSent, ""},
		{"username on another platform", inbox.SendRequest{AccountID: liAccountID, To: inbox.PersonRef{Username: "sarahchen"}, Content: "hi"}, inbox.NotSent, ""},
		{"no account", inbox.SendRequest{To: inbox.PersonRef{ID: sarahID}, Content: "hi"}, inbox.NotSent, ""},
		{"no person", inbox.SendRequest{AccountID: xAccountID, Content: "hi"}, inbox.NotSent, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, s := scriptedBackend(t)
			res := b.Send(testCtx(t), tc.r)
			if res.Outcome != tc.want || res.Reason == "" && tc.want != inbox.Sent {
				t.Fatalf("result %+v, want %s with a reason", res, tc.want)
			}
			posts := s.requests("POST /messages")
			if tc.target == "" {
				if len(posts) != 0 || res.Err == nil {
					t.Errorf("%d sends made, error %v; want none and an error", len(posts), res.Err)
				}
				return
			}
			if len(posts) != 1 || !strings.Contains(posts[0].body, `"target":`+tc.target) {
				t.Fatalf("sent %v, want target %s", posts, tc.target)
			}
			if res.Message == nil || res.Message.ID != msgNewID || res.Message.Origin != "api" || res.ThreadID != thSarahID {
				t.Errorf("result %+v", res)
			}
		})
	}

	b, s := scriptedBackend(t)
	s.script("POST /messages", errReply(http.StatusBadGateway, "sendUnconfirmed", map[string]any{"messageId": msgNewID}))
	res := b.Send(testCtx(t), inbox.SendRequest{ThreadID: thSarahID, Content: "hi"})
	if res.Outcome != inbox.Unknown || !strings.Contains(res.Reason, msgNewID) || res.ThreadID != thSarahID || !isServer(res.Err) {
		t.Errorf("unconfirmed: %+v", res)
	}
}

func mustTime(s string) time.Time {
	tm, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return tm
}
