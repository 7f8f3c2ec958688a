// Package directory caches each team's names — tags, statuses, members and connected
// accounts — so that tools can resolve the names a person uses to the IDs the API wants, and
// render IDs as names, without asking the API every time.
//
// A team's names are held as an immutable [Snapshot] with a time to live. A name or an ID
// the snapshot does not know triggers a refresh, but at most once every few seconds per team
// (a typo must not cost an API call each time). Concurrent refreshes of one team share one
// fetch. Nothing is fetched until a request needs it, so initialize never waits on the API.
// Writes that change the names (a tag created) invalidate the team's snapshot.
package directory

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"
	"golang.org/x/sync/singleflight"

	"github.com/inbox-mcp/inbox-mcp/inbox"
)

// Defaults for the zero fields of [Options].
const (
	DefaultTTL        = 2 * time.Minute
	DefaultMinRefresh = 5 * time.Second
	DefaultMaxTeams   = 256
	// fetchTimeout bounds one refresh, which runs detached from the request that started it
	// so that one caller giving up does not fail the others waiting on the same fetch.
	fetchTimeout = 30 * time.Second
)

// Source yields the Inbox backend for a request plus a key naming the team (a hash of the
// token, never the token), under which the team's names are cached.
type Source interface {
	Backend(ctx context.Context) (b inbox.Backend, key string, err error)
}

// Options configures a [Cache]. Zero values take the defaults.
type Options struct {
	// TTL is how long a snapshot is used before it is fetched again.
	TTL time.Duration
	// MinRefresh is the least time between two refreshes of a team caused by unknown names.
	MinRefresh time.Duration
	// MaxTeams bounds how many teams are cached; the least recently used is dropped.
	MaxTeams int
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Logger receives refresh failures at warn level; nil discards.
	Logger *slog.Logger
}

// Cache holds the names of every team the process serves. It is safe for concurrent use.
type Cache struct {
	opts   Options
	flight singleflight.Group

	mu    sync.Mutex
	teams map[string]*team
	tick  uint64 // use counter for least-recently-used eviction
}

// team is one team's cached state.
type team struct {
	snap     atomic.Pointer[Snapshot]
	stale    atomic.Bool  // set by Invalidate: refetch on next use
	lastTry  atomic.Int64 // unix nanos of the last fetch attempt, successful or not
	lastUsed uint64       // guarded by Cache.mu
}

// NewCache returns an empty cache.
func NewCache(o Options) *Cache {
	if o.TTL <= 0 {
		o.TTL = DefaultTTL
	}
	if o.MinRefresh <= 0 {
		o.MinRefresh = DefaultMinRefresh
	}
	if o.MaxTeams <= 0 {
		o.MaxTeams = DefaultMaxTeams
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return &Cache{opts: o, teams: map[string]*team{}}
}

// For returns the directory of the team behind key, read through b.
func (c *Cache) For(key string, b inbox.Backend) *Directory {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.tick++
	t := c.teams[key]
	if t == nil {
		if len(c.teams) >= c.opts.MaxTeams {
			c.evictLocked()
		}
		t = &team{}
		c.teams[key] = t
	}
	t.lastUsed = c.tick
	return &Directory{c: c, key: key, b: b, t: t}
}

// Open resolves a request's backend through src and returns it with the team's directory.
func (c *Cache) Open(ctx context.Context, src Source) (inbox.Backend, *Directory, error) {
	b, key, err := src.Backend(ctx)
	if err != nil {
		return nil, nil, err
	}
	return b, c.For(key, b), nil
}

func (c *Cache) evictLocked() {
	var oldest string
	var min uint64
	first := true
	for k, t := range c.teams {
		if first || t.lastUsed < min {
			oldest, min, first = k, t.lastUsed, false
		}
	}
	delete(c.teams, oldest)
}

// Directory is one team's view of the cache, bound to the backend that reads it. It is
// cheap: make one per request.
type Directory struct {
	c   *Cache
	key string
	b   inbox.Backend
	t   *team
}

// Snapshot returns the team's names, fetching them when there are none yet, they are older
// than the TTL or were invalidated. When a refresh fails but older names exist, the older
// names are returned (and the failure logged): stale names beat no answer.
func (d *Directory) Snapshot(ctx context.Context) (*Snapshot, error) {
	s := d.t.snap.Load()
	if s != nil && !d.t.stale.Load() && d.c.opts.Now().Sub(s.Fetched) < d.c.opts.TTL {
		return s, nil
	}
	return d.fetch(ctx, s)
}

// Refresh fetches the team's names now, whatever their age.
func (d *Directory) Refresh(ctx context.Context) (*Snapshot, error) {
	return d.fetch(ctx, d.t.snap.Load())
}

// Invalidate marks the team's names as out of date, so the next use fetches them. Call it
// after a write that changes them.
func (d *Directory) Invalidate() { d.t.stale.Store(true) }

// refreshOnMiss fetches again because s lacks something a request needs, unless the last
// fetch attempt was less than MinRefresh ago. It reports whether a newer snapshot came back.
func (d *Directory) refreshOnMiss(ctx context.Context, s *Snapshot) (*Snapshot, bool) {
	last := time.Unix(0, d.t.lastTry.Load())
	if d.c.opts.Now().Sub(last) < d.c.opts.MinRefresh {
		return s, false
	}
	ns, err := d.fetch(ctx, s)
	if err != nil || ns == s {
		return s, false
	}
	return ns, true
}

func (d *Directory) fetch(ctx context.Context, old *Snapshot) (*Snapshot, error) {
	ch := d.c.flight.DoChan(d.key, func() (any, error) {
		// Detached: a caller that gives up must not fail the others sharing this fetch.
		fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), fetchTimeout)
		defer cancel()
		d.t.lastTry.Store(d.c.opts.Now().UnixNano())
		s, err := load(fctx, d.b, d.c.opts.Now)
		if err != nil {
			return nil, err
		}
		d.t.snap.Store(s)
		d.t.stale.Store(false)
		return s, nil
	})
	select {
	case <-ctx.Done():
		if old != nil {
			return old, nil
		}
		return nil, ctx.Err()
	case r := <-ch:
		if r.Err != nil {
			if old != nil {
				d.c.opts.Logger.Warn("directory refresh failed; using older names", "age", d.c.opts.Now().Sub(old.Fetched).Round(time.Second), "err", r.Err)
				return old, nil
			}
			return nil, r.Err
		}
		return r.Val.(*Snapshot), nil
	}
}

// load reads a team's names with one call per list, concurrently.
func load(ctx context.Context, b inbox.Backend, now func() time.Time) (*Snapshot, error) {
	var (
		team     inbox.Team
		tags     []inbox.Label
		statuses []inbox.Label
		members  []inbox.Member
		accounts []inbox.Account
	)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) { team, err = b.Team(gctx); return })
	g.Go(func() (err error) { tags, err = b.Tags(gctx); return })
	g.Go(func() (err error) { statuses, err = b.Statuses(gctx); return })
	g.Go(func() (err error) { members, err = b.Members(gctx); return })
	g.Go(func() (err error) { accounts, err = b.Accounts(gctx); return })
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return NewSnapshot(team, tags, statuses, members, accounts, now()), nil
}

// Tag resolves a tag by name or ID, refreshing the names once when it is unknown.
func (d *Directory) Tag(ctx context.Context, ref string) (inbox.Label, error) {
	return resolve(ctx, d, (*Snapshot).FindTag, ref)
}

// Status resolves a status by name or ID, refreshing the names once when it is unknown.
func (d *Directory) Status(ctx context.Context, ref string) (inbox.Label, error) {
	return resolve(ctx, d, (*Snapshot).FindStatus, ref)
}

// Member resolves a member by name, email or ID, refreshing the names once when unknown.
func (d *Directory) Member(ctx context.Context, ref string) (inbox.Member, error) {
	return resolve(ctx, d, (*Snapshot).FindMember, ref)
}

// Account resolves an account by @username, X user ID or ID, refreshing once when unknown.
func (d *Directory) Account(ctx context.Context, ref string) (inbox.Account, error) {
	return resolve(ctx, d, (*Snapshot).FindAccount, ref)
}

func resolve[T any](ctx context.Context, d *Directory, find func(*Snapshot, string) (T, error), ref string) (T, error) {
	var zero T
	s, err := d.Snapshot(ctx)
	if err != nil {
		return zero, err
	}
	v, err := find(s, ref)
	var nf *NotFoundError
	if err == nil || !errors.As(err, &nf) {
		return v, err
	}
	if ns, ok := d.refreshOnMiss(ctx, s); ok {
		return find(ns, ref)
	}
	return v, err
}

// IDs lists the IDs a rendering is about to name.
type IDs struct {
	Tags, Statuses, Members, Users, Accounts []string
}

// Names returns a snapshot for rendering the given IDs, refreshing once (subject to
// MinRefresh) when it lacks any of them, e.g. a tag a teammate created a moment ago. A failed
// refresh is not an error: unknown IDs are then shown as IDs.
func (d *Directory) Names(ctx context.Context, ids IDs) (*Snapshot, error) {
	s, err := d.Snapshot(ctx)
	if err != nil {
		return nil, err
	}
	if s.covers(ids) {
		return s, nil
	}
	ns, _ := d.refreshOnMiss(ctx, s)
	return ns, nil
}

func (s *Snapshot) covers(ids IDs) bool {
	check := func(list []string, has func(string) bool) bool {
		for _, id := range list {
			if id != "" && !has(id) {
				return false
			}
		}
		return true
	}
	return check(ids.Tags, s.HasTag) && check(ids.Statuses, s.HasStatus) && check(ids.Members, s.HasMember) &&
		check(ids.Users, s.HasUser) && check(ids.Accounts, s.HasAccount)
}
