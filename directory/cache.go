// Package directory caches each team's names — tags, statuses, members and connected
// accounts — so that tools can resolve the names a person uses to the IDs the API wants, and
// render IDs as names, without asking the API every time.
//
// A team's names are held as an immutable [Snapshot] with a time to live. A name or an ID
// the snapshot does not know triggers a refresh, but at most once every few seconds per team
// (a typo must not cost an API call each time). Concurrent refreshes of one team share one
// fetch. Nothing is fetched until a request needs it, so initialize never waits on the API,
// and a request fetches only the parts it needs (a tag name needs the tags, not the
// members), each part by its own request, all of them concurrently. Writes that change the
// names (a tag created) invalidate the team's snapshot.
package directory

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

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
	snap     atomic.Pointer[Snapshot] // the parts read so far; nil before the first
	stale    atomic.Uint32            // parts Invalidate marked: refetch on next use
	lastTry  atomic.Int64             // unix nanos of the last fetch attempt, successful or not
	merge    sync.Mutex               // serializes adding a fetched part to snap
	lastUsed uint64                   // guarded by Cache.mu
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
	return d.SnapshotOf(ctx, AllParts)
}

// SnapshotOf is Snapshot for a request that needs only some parts of the directory: it
// fetches, concurrently, those of parts that are missing, older than the TTL or
// invalidated, and nothing else. The snapshot holds the parts asked for and any others
// read earlier (Snapshot.Has says which).
func (d *Directory) SnapshotOf(ctx context.Context, parts Part) (*Snapshot, error) {
	s := d.t.snap.Load()
	if need := d.due(s, parts); need != 0 {
		return d.fetch(ctx, need, s)
	}
	return s, nil
}

// due returns those of parts that s lacks, or holds older than the TTL, or that were
// invalidated.
func (d *Directory) due(s *Snapshot, parts Part) Part {
	if s == nil {
		return parts
	}
	need := parts & (^s.parts | Part(d.t.stale.Load()))
	now := d.c.opts.Now()
	for i := range numParts {
		p := Part(1) << i
		if parts&p != 0 && s.parts&p != 0 && now.Sub(s.fetched[i]) >= d.c.opts.TTL {
			need |= p
		}
	}
	return need
}

// Refresh fetches the team's names now, whatever their age.
func (d *Directory) Refresh(ctx context.Context) (*Snapshot, error) {
	return d.fetch(ctx, AllParts, d.t.snap.Load())
}

// Invalidate marks the team's names as out of date, so the next use fetches them. Call it
// after a write that changes them.
func (d *Directory) Invalidate() { d.t.stale.Store(uint32(AllParts)) }

// refreshOnMiss fetches parts again because s lacks something a request needs, unless the
// last fetch attempt was less than MinRefresh ago. It reports whether a newer snapshot came
// back.
func (d *Directory) refreshOnMiss(ctx context.Context, s *Snapshot, parts Part) (*Snapshot, bool) {
	last := time.Unix(0, d.t.lastTry.Load())
	if d.c.opts.Now().Sub(last) < d.c.opts.MinRefresh {
		return s, false
	}
	ns, err := d.fetch(ctx, parts, s)
	if err != nil || ns == s {
		return s, false
	}
	return ns, true
}

// fetch reads parts, each by its own request and all at once, and returns the team's
// snapshot with them. Concurrent fetches of one part of a team share one request.
func (d *Directory) fetch(ctx context.Context, parts Part, old *Snapshot) (*Snapshot, error) {
	d.t.lastTry.Store(d.c.opts.Now().UnixNano())
	var chans []<-chan singleflight.Result
	for i := range numParts {
		p := Part(1) << i
		if parts&p == 0 {
			continue
		}
		chans = append(chans, d.c.flight.DoChan(d.key+"\x00"+strconv.Itoa(i), func() (any, error) {
			// Detached: a caller that gives up must not fail the others sharing this fetch.
			fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), fetchTimeout)
			defer cancel()
			v, err := loadPart(fctx, d.b, p)
			if err != nil {
				return nil, err
			}
			d.t.merge.Lock()
			defer d.t.merge.Unlock()
			cur := d.t.snap.Load()
			if cur == nil {
				cur = index(inbox.Team{}, nil, nil, nil, nil)
			}
			d.t.snap.Store(cur.with(p, v, d.c.opts.Now()))
			d.t.stale.And(^uint32(p))
			return nil, nil
		}))
	}
	var failed error
	for _, ch := range chans {
		select {
		case <-ctx.Done():
			if old != nil && old.Has(parts) {
				return old, nil
			}
			return nil, ctx.Err()
		case r := <-ch:
			if r.Err != nil && failed == nil {
				failed = r.Err
			}
		}
	}
	s := d.t.snap.Load()
	if failed != nil {
		if s == nil || !s.Has(parts) {
			return nil, failed
		}
		d.c.opts.Logger.Warn("directory refresh failed; using older names", "age", d.c.opts.Now().Sub(s.Fetched).Round(time.Second), "err", failed)
	}
	return s, nil
}

// loadPart reads one part of a team's names.
func loadPart(ctx context.Context, b inbox.Backend, p Part) (any, error) {
	switch p {
	case PartTeam:
		return b.Team(ctx)
	case PartTags:
		return b.Tags(ctx)
	case PartStatuses:
		return b.Statuses(ctx)
	case PartMembers:
		return b.Members(ctx)
	default:
		return b.Accounts(ctx)
	}
}

// Tag resolves a tag by name or ID, refreshing the names once when it is unknown.
func (d *Directory) Tag(ctx context.Context, ref string) (inbox.Label, error) {
	return resolve(ctx, d, PartTags, (*Snapshot).FindTag, ref)
}

// Status resolves a status by name or ID, refreshing the names once when it is unknown.
func (d *Directory) Status(ctx context.Context, ref string) (inbox.Label, error) {
	return resolve(ctx, d, PartStatuses, (*Snapshot).FindStatus, ref)
}

// Member resolves a member by name, email or ID, refreshing the names once when unknown.
func (d *Directory) Member(ctx context.Context, ref string) (inbox.Member, error) {
	return resolve(ctx, d, PartMembers, (*Snapshot).FindMember, ref)
}

// Account resolves an account by @username, X user ID or ID, refreshing once when unknown.
func (d *Directory) Account(ctx context.Context, ref string) (inbox.Account, error) {
	return resolve(ctx, d, PartAccounts, (*Snapshot).FindAccount, ref)
}

func resolve[T any](ctx context.Context, d *Directory, part Part, find func(*Snapshot, string) (T, error), ref string) (T, error) {
	var zero T
	s, err := d.SnapshotOf(ctx, part)
	if err != nil {
		return zero, err
	}
	v, err := find(s, ref)
	var nf *NotFoundError
	if err == nil || !errors.As(err, &nf) {
		return v, err
	}
	if ns, ok := d.refreshOnMiss(ctx, s, part); ok {
		return find(ns, ref)
	}
	return v, err
}

// IDs lists the IDs a rendering is about to name.
type IDs struct {
	Tags, Statuses, Members, Users, Accounts []string
}

// Names returns a snapshot for rendering the given IDs, with the parts of the directory
// they need (no ID of a kind, no request for its list), refreshing those once (subject to
// MinRefresh) when it lacks any of the IDs, e.g. a tag a teammate created a moment ago. A
// failed refresh is not an error: unknown IDs are then shown as IDs.
func (d *Directory) Names(ctx context.Context, ids IDs) (*Snapshot, error) {
	parts := ids.parts()
	s, err := d.SnapshotOf(ctx, parts)
	if err != nil {
		return nil, err
	}
	if s == nil {
		// Nothing to name and nothing read yet.
		return index(inbox.Team{}, nil, nil, nil, nil), nil
	}
	if s.covers(ids) {
		return s, nil
	}
	ns, _ := d.refreshOnMiss(ctx, s, parts)
	return ns, nil
}

// parts returns the parts of the directory that name ids.
func (ids IDs) parts() Part {
	var p Part
	some := func(list []string) bool { return slices.ContainsFunc(list, func(id string) bool { return id != "" }) }
	if some(ids.Tags) {
		p |= PartTags
	}
	if some(ids.Statuses) {
		p |= PartStatuses
	}
	if some(ids.Members) || some(ids.Users) {
		p |= PartMembers
	}
	if some(ids.Accounts) {
		p |= PartAccounts
	}
	return p
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
