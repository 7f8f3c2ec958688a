package v1_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/inbox-mcp/inbox-mcp/apiclient"
	v1 "github.com/inbox-mcp/inbox-mcp/apiclient/v1"
	"github.com/inbox-mcp/inbox-mcp/inbox"
	"github.com/inbox-mcp/inbox-mcp/inboxsim"
	"github.com/inbox-mcp/inbox-mcp/internal/testenv"
)

// The backend is tested against the simulator over real HTTP: the seeded data set (seed 1)
// is the fixture, and what the simulator defines (e.g. the no-reply view: the prospect
// wrote last) checks what the adapter derives (the direction of the last message).

// simBackend starts a simulator without rate limits and returns the backend on it.
func simBackend(t *testing.T, cfg ...func(*apiclient.Config)) (inbox.Backend, *inboxsim.Server) {
	t.Helper()
	srv, err := inboxsim.Start(context.Background(), "", inboxsim.Options{Seed: 1, RateLimit: inboxsim.RateLimits{Disabled: true}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return backendOn(t, srv.URL, srv.Token, cfg...), srv
}

func backendOn(t *testing.T, url, token string, cfg ...func(*apiclient.Config)) inbox.Backend {
	t.Helper()
	c := apiclient.Config{BaseURL: url, Token: token, RatePerMinute: -1}
	for _, f := range cfg {
		f(&c)
	}
	tc, err := apiclient.New(c)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(tc.Close)
	return v1.NewBackend(v1.New(tc))
}

// TestBackendReads runs the tests that change nothing on one simulator, which keeps the
// package fast under the race detector (seeding is most of a small test's time).
func TestBackendReads(t *testing.T) {
	b, srv := simBackend(t)
	for _, tt := range []struct {
		name string
		test func(*testing.T, inbox.Backend)
	}{
		{"VersionAndFeatures", testBackendVersionAndFeatures},
		{"TeamAccountsMembers", testBackendTeamAccountsMembers},
		{"ListThreadsViews", testBackendListThreadsViews},
		{"ListThreadsPagination", testBackendListThreadsPagination},
		{"ListThreadsFilters", testBackendListThreadsFilters},
		{"ListThreadsBadInput", testBackendListThreadsBadInput},
		{"ListThreadsAll", testBackendListThreadsAll},
		{"ThreadsWithUsername", testBackendThreadsWithUsername},
		{"FindThread", testBackendFindThread},
		{"ListMessages", testBackendListMessages},
		{"LegacyAuthors", func(t *testing.T, b inbox.Backend) { testBackendLegacyAuthors(t, b, srv) }},
	} {
		t.Run(tt.name, func(t *testing.T) { tt.test(t, b) })
	}
}

func testBackendVersionAndFeatures(t *testing.T, b inbox.Backend) {
	if b.APIVersion() != "v1" {
		t.Errorf("APIVersion = %q", b.APIVersion())
	}
	f := b.Features()
	if f.ThreadSearch || f.Unread || f.Capabilities || !slices.Equal(f.Platforms, []string{"twitter"}) {
		t.Errorf("Features = %+v, want none but platforms [twitter]", f)
	}
}

func testBackendTeamAccountsMembers(t *testing.T, b inbox.Backend) {
	ctx := context.Background()
	team, err := b.Team(ctx)
	if err != nil || team.ID == "" || team.Name == "" || len(team.Currency) != 3 {
		t.Fatalf("Team = %+v, %v", team, err)
	}
	accounts, err := b.Accounts(ctx)
	if err != nil || len(accounts) < 2 {
		t.Fatalf("Accounts = %+v, %v", accounts, err)
	}
	for _, a := range accounts {
		if a.ID == "" || a.Platform != "twitter" || a.PlatformID == "" || a.Username == "" || a.Status == "" || a.Capabilities != nil {
			t.Errorf("account %+v", a)
		}
	}
	members, err := b.Members(ctx)
	if err != nil || len(members) < 2 {
		t.Fatalf("Members = %+v, %v", members, err)
	}
	for _, m := range members {
		if m.ID == "" || m.UserID == "" || m.Email == "" || m.Role == "" || m.ID == m.UserID {
			t.Errorf("member %+v", m)
		}
	}
}

func TestBackendTags(t *testing.T) {
	b, _ := simBackend(t)
	ctx := context.Background()
	tags, err := b.Tags(ctx)
	if err != nil || len(tags) == 0 {
		t.Fatalf("Tags = %v, %v", tags, err)
	}
	created, err := b.CreateTag(ctx, "Backend test", "#112233")
	if err != nil || created.ID == "" || created.Name != "Backend test" || created.Color != "#112233" {
		t.Fatalf("CreateTag = %+v, %v", created, err)
	}
	if _, err := b.CreateTag(ctx, "Backend test", ""); !errors.Is(err, inbox.ErrConflict) {
		t.Errorf("duplicate tag: err = %v, want a conflict", err)
	}
	renamed, err := b.UpdateTag(ctx, created.ID, inbox.LabelUpdate{Name: inbox.Set("Backend test 2")})
	if err != nil || renamed.Name != "Backend test 2" || renamed.Color != "#112233" {
		t.Fatalf("rename = %+v, %v", renamed, err)
	}
	same, err := b.UpdateTag(ctx, created.ID, inbox.LabelUpdate{})
	if err != nil || same != renamed {
		t.Errorf("empty update = %+v, %v; want %+v", same, err, renamed)
	}
	if err := b.DeleteTag(ctx, created.ID); err != nil {
		t.Fatal(err)
	}
	after, _ := b.Tags(ctx)
	if slices.ContainsFunc(after, func(l inbox.Label) bool { return l.ID == created.ID }) || len(after) != len(tags) {
		t.Errorf("tag still listed after delete")
	}
	if _, err := b.UpdateTag(ctx, created.ID, inbox.LabelUpdate{}); !errors.Is(err, inbox.ErrNotFound) {
		t.Errorf("deleted tag: err = %v, want not found", err)
	}
}

func TestBackendStatuses(t *testing.T) {
	b, _ := simBackend(t)
	ctx := context.Background()
	statuses, err := b.Statuses(ctx)
	if err != nil || len(statuses) == 0 {
		t.Fatalf("Statuses = %v, %v", statuses, err)
	}
	plain, err := b.CreateStatus(ctx, "No color", "")
	if err != nil || plain.Color != "" {
		t.Fatalf("CreateStatus without color = %+v, %v", plain, err)
	}
	s, err := b.CreateStatus(ctx, "Negotiating terms", "#22c55e")
	if err != nil || s.Color != "#22c55e" {
		t.Fatalf("CreateStatus = %+v, %v", s, err)
	}
	cleared, err := b.UpdateStatus(ctx, s.ID, inbox.LabelUpdate{Color: inbox.Clear[string]()})
	if err != nil || cleared.Color != "" || cleared.Name != "Negotiating terms" {
		t.Fatalf("clear color = %+v, %v", cleared, err)
	}
	recolored, err := b.UpdateStatus(ctx, s.ID, inbox.LabelUpdate{Color: inbox.Set("#ef4444"), Name: inbox.Set("Negotiating")})
	if err != nil || recolored.Color != "#ef4444" || recolored.Name != "Negotiating" {
		t.Fatalf("recolor = %+v, %v", recolored, err)
	}
	if same, err := b.UpdateStatus(ctx, s.ID, inbox.LabelUpdate{}); err != nil || same != recolored {
		t.Errorf("empty update = %+v, %v", same, err)
	}
	for _, id := range []string{s.ID, plain.ID} {
		if err := b.DeleteStatus(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	if after, _ := b.Statuses(ctx); len(after) != len(statuses) {
		t.Errorf("%d statuses after deleting, want %d", len(after), len(statuses))
	}
}

func TestBackendGetAndUpdateThread(t *testing.T) {
	b, _ := simBackend(t)
	ctx := context.Background()
	page, err := b.ListThreads(ctx, inbox.ThreadQuery{View: inbox.ViewNoReply}, "", 1)
	if err != nil || len(page.Items) != 1 {
		t.Fatal(err)
	}
	listed := page.Items[0]
	got, err := b.GetThread(ctx, listed.ID)
	if err != nil || got.ID != listed.ID || got.AccountID != listed.AccountID || got.Prospect.ID != listed.Prospect.ID ||
		*got.LastMessage != *listed.LastMessage || !slices.Equal(got.Restrictions, listed.Restrictions) {
		t.Fatalf("GetThread = %+v, %v; listed %+v", got, err, listed)
	}
	members, _ := b.Members(ctx)

	done, err := b.UpdateThread(ctx, listed.ID, inbox.ThreadUpdate{Done: inbox.Set(true), Assignee: inbox.Set(members[0].ID)})
	if err != nil || !done.Done || done.AssigneeID != members[0].ID {
		t.Fatalf("archive + assign = %+v, %v", done, err)
	}
	archived := testenv.AllThreads(t, b, inbox.ThreadQuery{View: inbox.ViewArchived}, 100)
	if !slices.ContainsFunc(archived, func(th inbox.Thread) bool { return th.ID == listed.ID }) {
		t.Errorf("archived thread not in the archived view")
	}
	same, err := b.UpdateThread(ctx, listed.ID, inbox.ThreadUpdate{})
	if err != nil || !same.Done || same.AssigneeID != members[0].ID {
		t.Errorf("empty update = %+v, %v", same, err)
	}
	reopened, err := b.UpdateThread(ctx, listed.ID, inbox.ThreadUpdate{Done: inbox.Set(false), Assignee: inbox.Clear[string]()})
	if err != nil || reopened.Done || reopened.AssigneeID != "" {
		t.Fatalf("reopen + unassign = %+v, %v", reopened, err)
	}

	if _, err := b.GetThread(ctx, "zzzzzzzzzzzzzzzzzzzzzzzz"); !errors.Is(err, inbox.ErrNotFound) {
		t.Errorf("unknown thread: err = %v, want not found", err)
	}
	if _, err := b.GetThread(ctx, "Not An ID"); err == nil || !strings.Contains(err.Error(), "not an Inbox ID") {
		t.Errorf("malformed thread ID: err = %v", err)
	}
}

// threadOnOneAccount returns a thread whose prospect has no thread on some other account,
// and that account.
func threadOnOneAccount(t *testing.T, b inbox.Backend) (inbox.Thread, string) {
	t.Helper()
	ctx := context.Background()
	accounts, _ := b.Accounts(ctx)
	for _, th := range testenv.AllThreads(t, b, inbox.ThreadQuery{}, 100) {
		ts, err := b.ThreadsWithUsername(ctx, th.Prospect.Username)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range accounts {
			if !slices.ContainsFunc(ts, func(x inbox.Thread) bool { return x.AccountID == a.ID }) {
				return th, a.ID
			}
		}
	}
	t.Fatal("every prospect has a thread on every account")
	return inbox.Thread{}, ""
}

func testBackendThreadsWithUsername(t *testing.T, b inbox.Backend) {
	ctx := context.Background()
	th, _ := threadOnOneAccount(t, b)
	for _, name := range []string{th.Prospect.Username, "@" + th.Prospect.Username, " @" + strings.ToUpper(th.Prospect.Username) + " "} {
		ts, err := b.ThreadsWithUsername(ctx, name)
		if err != nil || !slices.ContainsFunc(ts, func(x inbox.Thread) bool { return x.ID == th.ID }) {
			t.Errorf("ThreadsWithUsername(%q) = %d threads, %v; want one of them %s", name, len(ts), err, th.ID)
		}
		for _, x := range ts {
			if !strings.EqualFold(x.Prospect.Username, th.Prospect.Username) {
				t.Errorf("ThreadsWithUsername(%q) returned @%s", name, x.Prospect.Username)
			}
		}
	}
	if ts, err := b.ThreadsWithUsername(ctx, "nobody_by_this_name"); err != nil || len(ts) != 0 {
		t.Errorf("miss = %v, %v; want empty", ts, err)
	}
	if _, err := b.ThreadsWithUsername(ctx, " @ "); err == nil || !strings.Contains(err.Error(), "username is empty") {
		t.Errorf("empty username: err = %v", err)
	}
}

func testBackendFindThread(t *testing.T, b inbox.Backend) {
	ctx := context.Background()
	th, otherAccount := threadOnOneAccount(t, b)
	for _, who := range []inbox.PersonRef{
		{ID: th.Prospect.ID},
		{PlatformID: th.Prospect.PlatformID},
		{Username: "@" + strings.ToUpper(th.Prospect.Username)},
	} {
		got, err := b.FindThread(ctx, th.AccountID, who)
		if err != nil || got == nil || got.ID != th.ID {
			t.Errorf("FindThread(%+v) = %+v, %v; want %s", who, got, err, th.ID)
		}
		miss, err := b.FindThread(ctx, otherAccount, who)
		if err != nil || miss != nil {
			t.Errorf("FindThread on another account (%+v) = %+v, %v; want nil", who, miss, err)
		}
	}
	if _, err := b.FindThread(ctx, th.AccountID, inbox.PersonRef{}); err == nil || !strings.Contains(err.Error(), "no person given") {
		t.Errorf("empty person: err = %v", err)
	}
}

func TestBackendProspects(t *testing.T) {
	b, _ := simBackend(t)
	ctx := context.Background()
	th, _ := threadOnOneAccount(t, b)
	p, err := b.Prospect(ctx, th.Prospect.ID)
	if err != nil || p.ID != th.Prospect.ID || p.PlatformID == "" || p.Username != th.Prospect.Username || p.DisplayName == "" ||
		p.Platform != "twitter" || p.Verified == "" || p.ProfileType == "" || p.Context.TagIDs == nil {
		t.Fatalf("Prospect = %+v, %v", p, err)
	}
	if !slices.ContainsFunc(p.Threads, func(r inbox.ThreadRef) bool { return r.ID == th.ID && r.AccountID == th.AccountID }) {
		t.Errorf("Prospect.Threads %+v lacks %s", p.Threads, th.ID)
	}
	found, err := b.LookupProspect(ctx, " "+p.PlatformID+" ")
	if err != nil || found == nil || found.ID != p.ID {
		t.Errorf("LookupProspect = %+v, %v", found, err)
	}
	if miss, err := b.LookupProspect(ctx, "1"); err != nil || miss != nil {
		t.Errorf("LookupProspect miss = %+v, %v", miss, err)
	}
	if _, err := b.Prospect(ctx, "zzzzzzzzzzzzzzzzzzzzzzzz"); !errors.Is(err, inbox.ErrNotFound) {
		t.Errorf("unknown prospect: err = %v, want not found", err)
	}

	tags, _ := b.Tags(ctx)
	statuses, _ := b.Statuses(ctx)
	members, _ := b.Members(ctx)
	var add string
	for _, tg := range tags {
		if !slices.Contains(p.Context.TagIDs, tg.ID) {
			add = tg.ID
			break
		}
	}
	u, err := b.UpdateProspect(ctx, p, inbox.ContextUpdate{
		AddTags:   []string{add},
		Status:    inbox.Set(statuses[len(statuses)-1].ID),
		Notes:     inbox.Set("Wants a demo on Tuesday"),
		Valuation: inbox.Set(12500.5),
		Assignee:  inbox.Set(members[1].ID),
	})
	if err != nil || !slices.Contains(u.Context.TagIDs, add) || u.Context.StatusID != statuses[len(statuses)-1].ID ||
		u.Context.Notes != "Wants a demo on Tuesday" || u.Context.Valuation == nil || *u.Context.Valuation != 12500.5 ||
		u.Context.AssigneeID != members[1].ID {
		t.Fatalf("UpdateProspect = %+v, %v", u.Context, err)
	}
	// v1 assigns a prospect by assigning their threads.
	if got, _ := b.GetThread(ctx, th.ID); got.AssigneeID != members[1].ID || !slices.Contains(got.Prospect.Context.TagIDs, add) {
		t.Errorf("thread after assigning the prospect: assignee %q, tags %v", got.AssigneeID, got.Prospect.Context.TagIDs)
	}
	read, err := b.UpdateProspect(ctx, p, inbox.ContextUpdate{})
	if err != nil || !slices.Equal(read.Context.TagIDs, u.Context.TagIDs) || read.Context.Notes != u.Context.Notes {
		t.Errorf("empty update = %+v, %v", read.Context, err)
	}
	c, err := b.UpdateProspect(ctx, p, inbox.ContextUpdate{
		RemoveTags: []string{add},
		Status:     inbox.Clear[string](),
		Notes:      inbox.Clear[string](),
		Valuation:  inbox.Clear[float64](),
		Assignee:   inbox.Clear[string](),
	})
	if err != nil || slices.Contains(c.Context.TagIDs, add) || c.Context.StatusID != "" || c.Context.Notes != "" ||
		c.Context.Valuation != nil || c.Context.AssigneeID != "" {
		t.Fatalf("clearing UpdateProspect = %+v, %v", c.Context, err)
	}
	if got, _ := b.GetThread(ctx, th.ID); got.AssigneeID != "" {
		t.Errorf("thread after unassigning the prospect: assignee %q", got.AssigneeID)
	}
	if _, err := b.UpdateProspect(ctx, p, inbox.ContextUpdate{AddTags: []string{"Hot Lead"}}); err == nil || !strings.Contains(err.Error(), "not an Inbox ID") {
		t.Errorf("tag name instead of ID: err = %v", err)
	}
}
