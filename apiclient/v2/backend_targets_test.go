package v2

import (
	"context"
	"slices"
	"testing"

	"github.com/inbox-mcp/inbox-mcp/apiclient"
	"github.com/inbox-mcp/inbox-mcp/inbox"
)

// TestBackendReads runs the backend's reads on every target and checks what must hold
// whatever the data: people found by one route are found by the others, and everything v2
// reports (unread, restrictions, capabilities) is set, never left for a fallback.
func TestBackendReads(t *testing.T) {
	for _, tg := range targets(t) {
		t.Run(tg.name, func(t *testing.T) {
			c, _ := newClient(t, tg, Options{}, apiclient.Config{})
			b := NewBackend(c)
			ctx := testCtx(t)
			f := b.Features()
			if !slices.Contains(f.Platforms, "twitter") {
				t.Errorf("platforms %v lack twitter, which every team has", f.Platforms)
			}
			accs, err := b.Accounts(ctx)
			if err != nil || len(accs) == 0 {
				t.Fatalf("Accounts = %v, %v", accs, err)
			}
			for _, a := range accs {
				if a.Capabilities == nil {
					t.Errorf("account %s: capabilities unknown", a.ID)
				}
			}
			for _, call := range []func() error{
				func() error { _, err := b.Team(ctx); return err },
				func() error { _, err := b.Members(ctx); return err },
				func() error { _, err := b.Tags(ctx); return err },
				func() error { _, err := b.Statuses(ctx); return err },
			} {
				if err := call(); err != nil {
					t.Error(err)
				}
			}
			threads, _, err := inbox.Gather(ctx, "", 300, func(ctx context.Context, cursor string, limit int) (inbox.Page[inbox.Thread], error) {
				return b.ListThreads(ctx, inbox.ThreadQuery{}, cursor, limit)
			}, nil)
			if err != nil || len(threads) == 0 {
				t.Fatalf("threads: %d, %v", len(threads), err)
			}
			for i, th := range threads {
				if th.Unread == nil || th.Restrictions == nil || th.Prospect.ID == "" || th.Prospect.Username == "" {
					t.Errorf("thread %s lacks what v2 always reports: %+v", th.ID, th)
				}
				if i > 0 && th.SortAt.After(threads[i-1].SortAt) {
					t.Errorf("thread %s is out of inbox order", th.ID)
				}
			}
			th := threads[0]
			got, err := b.GetThread(ctx, th.ID)
			if err != nil || got.ID != th.ID || got.Prospect.ID != th.Prospect.ID {
				t.Errorf("GetThread = %+v, %v", got, err)
			}
			if _, err := b.ListMessages(ctx, th.ID, "", 20); err != nil {
				t.Error(err)
			}
			p, err := b.Prospect(ctx, th.Prospect.ID)
			if err != nil || !slices.ContainsFunc(p.Threads, func(r inbox.ThreadRef) bool { return r.ID == th.ID }) {
				t.Errorf("Prospect(%s) = %+v, %v; want it to list thread %s", th.Prospect.ID, p, err, th.ID)
			}
			lp, err := b.LookupProspect(ctx, th.Prospect.PlatformID)
			if err != nil || lp == nil || lp.ID != th.Prospect.ID {
				t.Errorf("LookupProspect(%s) = %+v, %v", th.Prospect.PlatformID, lp, err)
			}
			byName, err := b.ThreadsWithUsername(ctx, th.Prospect.Username)
			if err != nil || !slices.ContainsFunc(byName, func(x inbox.Thread) bool { return x.ID == th.ID }) {
				t.Errorf("ThreadsWithUsername(%s) = %d threads, %v; want thread %s among them", th.Prospect.Username, len(byName), err, th.ID)
			}
			for _, who := range []inbox.PersonRef{{ID: th.Prospect.ID}, {PlatformID: th.Prospect.PlatformID}, {Username: th.Prospect.Username}} {
				ft, err := b.FindThread(ctx, th.AccountID, who)
				if err != nil || ft == nil || ft.Prospect.ID != th.Prospect.ID {
					t.Errorf("FindThread(%+v) = %+v, %v", who, ft, err)
				}
			}
			search, err := b.ListThreads(ctx, inbox.ThreadQuery{Text: th.Prospect.Username}, "", 20)
			if err != nil || !slices.ContainsFunc(search.Items, func(x inbox.Thread) bool { return x.ID == th.ID }) {
				t.Errorf("search for %q misses thread %s: %v", th.Prospect.Username, th.ID, err)
			}
		})
	}
}
