package directory

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/inbox-mcp/inbox-mcp/inbox"
)

// barrier is a backend that holds each directory request until as many as the test expects
// have arrived: requests made one after another never get there, and fail when the guard
// runs out (a guard against a hang, never a verdict on speed).
type barrier struct {
	*fakeBackend
	mu    sync.Mutex
	want  int
	calls []string
	all   chan struct{}
}

func (b *barrier) expect(n int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.want, b.calls, b.all = n, nil, make(chan struct{})
}

func (b *barrier) arrive(ctx context.Context, name string) error {
	b.mu.Lock()
	b.calls = append(b.calls, name)
	all := b.all
	if len(b.calls) == b.want {
		close(all)
	}
	b.mu.Unlock()
	select {
	case <-all:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(time.Minute):
		return errors.New(name + " waited for the other expected requests, which never came while it was held")
	}
}

func (b *barrier) made() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := slices.Clone(b.calls)
	slices.Sort(out)
	return out
}

func (b *barrier) Team(ctx context.Context) (inbox.Team, error) {
	if err := b.arrive(ctx, "team"); err != nil {
		return inbox.Team{}, err
	}
	return b.fakeBackend.Team(ctx)
}

func (b *barrier) Tags(ctx context.Context) ([]inbox.Label, error) {
	if err := b.arrive(ctx, "tags"); err != nil {
		return nil, err
	}
	return b.fakeBackend.Tags(ctx)
}

func (b *barrier) Statuses(ctx context.Context) ([]inbox.Label, error) {
	if err := b.arrive(ctx, "statuses"); err != nil {
		return nil, err
	}
	return b.fakeBackend.Statuses(ctx)
}

func (b *barrier) Members(ctx context.Context) ([]inbox.Member, error) {
	if err := b.arrive(ctx, "members"); err != nil {
		return nil, err
	}
	return b.fakeBackend.Members(ctx)
}

func (b *barrier) Accounts(ctx context.Context) ([]inbox.Account, error) {
	if err := b.arrive(ctx, "accounts"); err != nil {
		return nil, err
	}
	return b.fakeBackend.Accounts(ctx)
}

// TestFetchesOnlyTheParts: a request fetches the parts of the directory it needs and no
// others, all of them at once; parts read earlier are reused within the TTL.
func TestFetchesOnlyTheParts(t *testing.T) {
	ctx := context.Background()
	clk := &clock{t: time.Unix(1_700_000_000, 0)}
	b := &barrier{fakeBackend: newFake()}
	d := newCache(clk).For("k", b)
	steps := []struct {
		name string
		call func() error
		want []string
	}{
		{"a tag name", func() error {
			l, err := d.Tag(ctx, "hot lead")
			if err == nil && l.ID != "t1" {
				t.Errorf("tag %+v", l)
			}
			return err
		}, []string{"tags"}},
		{"rendering tags, members and accounts", func() error {
			s, err := d.Names(ctx, IDs{Tags: []string{"t2"}, Users: []string{"u1"}, Accounts: []string{"a1"}})
			if err == nil && (s.TagName("t2") != "VIP" || s.UserName("u1") != "Alex Chen" || s.AccountName("a1") != "@acmecorp") {
				t.Errorf("names %q %q %q", s.TagName("t2"), s.UserName("u1"), s.AccountName("a1"))
			}
			return err
		}, []string{"accounts", "members"}},
		{"nothing to name", func() error { _, err := d.Names(ctx, IDs{Statuses: []string{""}}); return err }, nil},
		{"the whole directory", func() error {
			s, err := d.Snapshot(ctx)
			if err == nil && (!s.Has(AllParts) || s.Team.Name != "Acme" || s.StatusName("s2") != "Qualified") {
				t.Errorf("snapshot %+v", s)
			}
			return err
		}, []string{"statuses", "team"}},
		{"after the TTL", func() error {
			clk.Add(2 * time.Minute)
			_, err := d.Snapshot(ctx)
			return err
		}, []string{"accounts", "members", "statuses", "tags", "team"}},
		{"an unknown status refreshes the statuses alone", func() error {
			clk.Add(6 * time.Second)
			b.set(func(f *fakeBackend) { f.statuses = append(f.statuses, inbox.Label{ID: "s9", Name: "Lost"}) })
			l, err := d.Status(ctx, "lost")
			if err == nil && l.ID != "s9" {
				t.Errorf("status %+v", l)
			}
			return err
		}, []string{"statuses"}},
	}
	for _, st := range steps {
		b.expect(len(st.want))
		if err := st.call(); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		if got := b.made(); !slices.Equal(got, st.want) {
			t.Errorf("%s: requests %v; want %v", st.name, got, st.want)
		}
	}
}
