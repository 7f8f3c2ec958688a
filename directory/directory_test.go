package directory

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/inbox-mcp/inbox-mcp/inbox"
)

// fakeBackend serves the five directory lists from memory and counts the fetches. Only the
// directory's methods are implemented; the embedded nil interface makes any other call panic,
// which these tests must never cause.
type fakeBackend struct {
	inbox.Backend
	mu       sync.Mutex
	tags     []inbox.Label
	statuses []inbox.Label
	members  []inbox.Member
	accounts []inbox.Account
	fail     error
	gate     chan struct{} // when non-nil, Tags blocks until it is closed
	tagCalls atomic.Int32
}

func (f *fakeBackend) Team(context.Context) (inbox.Team, error) {
	return inbox.Team{ID: "team1", Name: "Acme", Currency: "USD"}, f.err()
}
func (f *fakeBackend) Tags(ctx context.Context) ([]inbox.Label, error) {
	f.tagCalls.Add(1)
	if f.gate != nil {
		select {
		case <-f.gate:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]inbox.Label(nil), f.tags...), f.fail
}
func (f *fakeBackend) Statuses(context.Context) ([]inbox.Label, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]inbox.Label(nil), f.statuses...), f.fail
}
func (f *fakeBackend) Members(context.Context) ([]inbox.Member, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]inbox.Member(nil), f.members...), f.fail
}
func (f *fakeBackend) Accounts(context.Context) ([]inbox.Account, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]inbox.Account(nil), f.accounts...), f.fail
}
func (f *fakeBackend) err() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.fail
}
func (f *fakeBackend) set(fn func(*fakeBackend)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	fn(f)
}

func newFake() *fakeBackend {
	return &fakeBackend{
		tags:     []inbox.Label{{ID: "t1", Name: "Hot Lead"}, {ID: "t2", Name: "VIP"}, {ID: "t3", Name: "Pricing question"}},
		statuses: []inbox.Label{{ID: "s1", Name: "New"}, {ID: "s2", Name: "Qualified"}, {ID: "s3", Name: "Won"}},
		members: []inbox.Member{
			{ID: "m1", UserID: "u1", Name: "Alex Chen", Email: "alex@acme.com"},
			{ID: "m2", UserID: "u2", Name: "Sam Lee", Email: "sam@acme.com"},
			{ID: "m3", UserID: "u3", Name: "Sam Lee", Email: "sam.lee@acme.com"},
			{ID: "m4", UserID: "u4", Email: "ops@acme.com"},
		},
		accounts: []inbox.Account{{ID: "a1", Username: "acmecorp", PlatformID: "1566"}, {ID: "a2", Username: "AcmeSupport", PlatformID: "1567"}},
	}
}

// clock is a settable clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func newCache(clk *clock) *Cache {
	return NewCache(Options{TTL: time.Minute, MinRefresh: 5 * time.Second, Now: clk.Now})
}

func TestResolve(t *testing.T) {
	s, err := NewCache(Options{}).For("k", newFake()).Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		find    func(string) (string, error)
		ref     string
		want    string
		wantErr string
	}{
		{"tag by name any case", tagID(s), "hot lead", "t1", ""},
		{"tag by name extra spaces", tagID(s), "  Hot   Lead ", "t1", ""},
		{"tag by ID", tagID(s), "t2", "t2", ""},
		{"tag typo suggests", tagID(s), "hot leed", "", `no tag named "hot leed"; did you mean "Hot Lead"?`},
		{"tag prefix suggests", tagID(s), "pricing", "", `did you mean "Pricing question"?`},
		{"tag far off lists all", tagID(s), "zzzzzz", "", `the tags are "Hot Lead", "VIP", "Pricing question"`},
		{"status by name", statusID(s), "QUALIFIED", "s2", ""},
		{"status typo", statusID(s), "Qualifed", "", `did you mean "Qualified"?`},
		{"member by name", memberID(s), "alex chen", "m1", ""},
		{"member by email", memberID(s), "SAM.LEE@acme.com", "m3", ""},
		{"member by ID", memberID(s), "m2", "m2", ""},
		{"member nameless by email", memberID(s), "ops@acme.com", "m4", ""},
		{"member ambiguous name", memberID(s), "Sam Lee", "", `2 members are named "Sam Lee"; use one of "sam@acme.com", "sam.lee@acme.com"`},
		{"member typo", memberID(s), "Alex Chan", "", `did you mean "Alex Chen"?`},
		{"account with @", accountID(s), "@AcmeCorp", "a1", ""},
		{"account without @", accountID(s), "acmesupport", "a2", ""},
		{"account by X ID", accountID(s), "1567", "a2", ""},
		{"account by ID", accountID(s), "a1", "a1", ""},
		{"account unknown", accountID(s), "@nobody", "", `no account named "@nobody"; the accounts are "@acmecorp", "@AcmeSupport"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.find(tt.ref)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want it to contain %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("got %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func tagID(s *Snapshot) func(string) (string, error) {
	return func(r string) (string, error) { l, err := s.FindTag(r); return l.ID, err }
}
func statusID(s *Snapshot) func(string) (string, error) {
	return func(r string) (string, error) { l, err := s.FindStatus(r); return l.ID, err }
}
func memberID(s *Snapshot) func(string) (string, error) {
	return func(r string) (string, error) { m, err := s.FindMember(r); return m.ID, err }
}
func accountID(s *Snapshot) func(string) (string, error) {
	return func(r string) (string, error) { a, err := s.FindAccount(r); return a.ID, err }
}

func TestNames(t *testing.T) {
	s, _ := NewCache(Options{}).For("k", newFake()).Snapshot(context.Background())
	got := []string{s.TagName("t1"), s.StatusName("s3"), s.MemberName("m1"), s.MemberName("m4"), s.UserName("u2"), s.AccountName("a2"), s.TagName("nope")}
	want := []string{"Hot Lead", "Won", "Alex Chen", "ops@acme.com", "Sam Lee", "@AcmeSupport", ""}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("names = %q, want %q", got, want)
	}
}

func TestSuggest(t *testing.T) {
	cands := []string{"Hot Lead", "Cold Lead", "VIP", "Pricing question", "Partner"}
	tests := []struct {
		ref  string
		want []string
	}{
		{"hot", []string{"Hot Lead"}},
		{"Hot Leads", []string{"Hot Lead"}},
		{"lead", []string{"Hot Lead", "Cold Lead"}},
		{"vpi", []string{"VIP"}},
		{"partnr", []string{"Partner"}},
		{"xyz", nil},
		{"", nil},
	}
	for _, tt := range tests {
		got := Suggest(tt.ref, cands, 3)
		if len(got) == 0 && len(tt.want) == 0 {
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Suggest(%q) = %q, want %q", tt.ref, got, tt.want)
		}
	}
}

func TestSnapshotTTLAndInvalidate(t *testing.T) {
	clk := &clock{t: time.Unix(1_700_000_000, 0)}
	c, fb := newCache(clk), newFake()
	d := c.For("k", fb)
	ctx := context.Background()
	s1, err := d.Snapshot(ctx)
	if err != nil || fb.tagCalls.Load() != 1 {
		t.Fatalf("first snapshot: %v, calls %d", err, fb.tagCalls.Load())
	}
	if s2, _ := c.For("k", fb).Snapshot(ctx); s2 != s1 || fb.tagCalls.Load() != 1 {
		t.Fatalf("within TTL the snapshot must be reused (calls %d)", fb.tagCalls.Load())
	}
	clk.Add(61 * time.Second)
	if s3, _ := d.Snapshot(ctx); s3 == s1 || fb.tagCalls.Load() != 2 {
		t.Fatalf("after TTL a new snapshot must be fetched (calls %d)", fb.tagCalls.Load())
	}
	d.Invalidate()
	if _, err := d.Snapshot(ctx); err != nil || fb.tagCalls.Load() != 3 {
		t.Fatalf("after Invalidate the snapshot must be fetched (calls %d)", fb.tagCalls.Load())
	}
	if _, _ = d.Snapshot(ctx); fb.tagCalls.Load() != 3 {
		t.Fatalf("a fresh snapshot must be reused after an invalidation refetch (calls %d)", fb.tagCalls.Load())
	}
}

func TestRefreshOnMissAtMostEveryMinRefresh(t *testing.T) {
	clk := &clock{t: time.Unix(1_700_000_000, 0)}
	c, fb := newCache(clk), newFake()
	d := c.For("k", fb)
	ctx := context.Background()
	if _, err := d.Snapshot(ctx); err != nil {
		t.Fatal(err)
	}
	fb.set(func(f *fakeBackend) { f.tags = append(f.tags, inbox.Label{ID: "t9", Name: "Churned"}) })

	// Within MinRefresh of the last fetch: no new fetch, the name stays unknown.
	if _, err := d.Tag(ctx, "churned"); !IsNotFound(err) || fb.tagCalls.Load() != 1 {
		t.Fatalf("err = %v, calls = %d; want not found without a fetch", err, fb.tagCalls.Load())
	}
	clk.Add(6 * time.Second)
	l, err := d.Tag(ctx, "churned")
	if err != nil || l.ID != "t9" || fb.tagCalls.Load() != 2 {
		t.Fatalf("got %v, %v (calls %d); want the refreshed tag", l, err, fb.tagCalls.Load())
	}
	// A typo right after does not fetch again.
	if _, err := d.Tag(ctx, "churnd"); !IsNotFound(err) || fb.tagCalls.Load() != 2 {
		t.Fatalf("err = %v, calls = %d", err, fb.tagCalls.Load())
	}
	// Rendering an unknown ID refreshes too, under the same bound.
	fb.set(func(f *fakeBackend) { f.statuses = append(f.statuses, inbox.Label{ID: "s9", Name: "Lost"}) })
	s, _ := d.Names(ctx, IDs{Statuses: []string{"s9"}})
	if s.StatusName("s9") != "" {
		t.Fatal("refreshed within MinRefresh")
	}
	clk.Add(6 * time.Second)
	s, _ = d.Names(ctx, IDs{Statuses: []string{"s9"}, Tags: []string{"t1"}})
	if s.StatusName("s9") != "Lost" || fb.tagCalls.Load() != 3 {
		t.Fatalf("Names did not refresh for an unknown ID (calls %d)", fb.tagCalls.Load())
	}
	s2, _ := d.Names(ctx, IDs{Statuses: []string{"s9"}})
	if s2 != s || fb.tagCalls.Load() != 3 {
		t.Fatal("Names refetched although every ID is known")
	}
}

func TestConcurrentMissesShareOneFetch(t *testing.T) {
	clk := &clock{t: time.Unix(1_700_000_000, 0)}
	c, fb := newCache(clk), newFake()
	fb.gate = make(chan struct{})
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := c.For("k", fb).Snapshot(context.Background())
			errs <- err
		}()
	}
	// Let the callers pile up on the one in-flight fetch, then release it.
	for fb.tagCalls.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(20 * time.Millisecond)
	close(fb.gate)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := fb.tagCalls.Load(); n != 1 {
		t.Fatalf("%d fetches for 20 concurrent callers, want 1", n)
	}
}

func TestCallerCancelDoesNotFailOthers(t *testing.T) {
	clk := &clock{t: time.Unix(1_700_000_000, 0)}
	c, fb := newCache(clk), newFake()
	fb.gate = make(chan struct{})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { _, err := c.For("k", fb).Snapshot(ctx); done <- err }()
	for fb.tagCalls.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	other := make(chan error, 1)
	go func() { _, err := c.For("k", fb).Snapshot(context.Background()); other <- err }()
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("canceled caller got %v", err)
	}
	close(fb.gate)
	if err := <-other; err != nil {
		t.Fatalf("the other caller failed: %v", err)
	}
}

func TestStaleNamesOnRefreshFailure(t *testing.T) {
	clk := &clock{t: time.Unix(1_700_000_000, 0)}
	c, fb := newCache(clk), newFake()
	d := c.For("k", fb)
	ctx := context.Background()
	s1, _ := d.Snapshot(ctx)
	fb.set(func(f *fakeBackend) { f.fail = errors.New("boom") })
	clk.Add(2 * time.Minute)
	s2, err := d.Snapshot(ctx)
	if err != nil || s2 != s1 {
		t.Fatalf("got %v, %v; want the older snapshot", s2, err)
	}
	if _, err := c.For("other", fb).Snapshot(ctx); err == nil {
		t.Fatal("a team with no names yet must see the error")
	}
}

func TestTeamsAreSeparateAndBounded(t *testing.T) {
	clk := &clock{t: time.Unix(1_700_000_000, 0)}
	c := NewCache(Options{MaxTeams: 2, Now: clk.Now})
	a, b := newFake(), newFake()
	b.set(func(f *fakeBackend) { f.tags = []inbox.Label{{ID: "x1", Name: "Other team tag"}} })
	ctx := context.Background()
	sa, _ := c.For("a", a).Snapshot(ctx)
	sb, _ := c.For("b", b).Snapshot(ctx)
	if sa.TagName("t1") != "Hot Lead" || sb.TagName("t1") != "" || sb.TagName("x1") == "" {
		t.Fatal("teams share names")
	}
	c.For("a", a)
	c.For("c", newFake()) // evicts b, the least recently used
	c.mu.Lock()
	_, hasB := c.teams["b"]
	_, hasA := c.teams["a"]
	c.mu.Unlock()
	if hasB || !hasA || len(c.teams) != 2 {
		t.Fatalf("eviction kept b=%v a=%v (n=%d)", hasB, hasA, len(c.teams))
	}
}

func FuzzFindTag(f *testing.F) {
	f.Add("Hot Lead", "hot lead")
	f.Add("VIP", "vpi")
	f.Add("Ünïcode  Tag", "ünïcode tag")
	f.Fuzz(func(t *testing.T, name, ref string) {
		s := newSnapshot(inbox.Team{}, []inbox.Label{{ID: "t1", Name: name}, {ID: "t2", Name: "Other"}}, nil, nil, nil, time.Time{})
		if n := norm(name); n != "" && n != "other" && strings.TrimSpace(name) != "t2" {
			if l, err := s.FindTag(name); err != nil || l.ID != "t1" {
				t.Fatalf("FindTag(%q) = %v, %v; want t1", name, l, err)
			}
		}
		l, err := s.FindTag(ref)
		if err == nil {
			if l.ID != "t1" && l.ID != "t2" {
				t.Fatalf("resolved to %v", l)
			}
			return
		}
		var nf *NotFoundError
		if !errors.As(err, &nf) {
			t.Fatalf("err %T %v", err, err)
		}
		for _, sg := range nf.Suggestions {
			if sg != name && sg != "Other" {
				t.Fatalf("suggested %q, not a candidate", sg)
			}
		}
	})
}
