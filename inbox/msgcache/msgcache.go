// Package msgcache keeps, for a short time, the message pages a process has read, so that
// a thread whose messages have not changed is read from the API once: a bulk change's dry
// run and the run that follows, or two digests a minute apart.
//
// A page is cached under the thread's last message as a thread listing reported it (its ID
// and time): the [Backend] wrapper notes that key from every listing, thread read and
// lookup it passes through, and a listing that shows another last message drops the
// thread's pages. A thread no listing has shown within the TTL, or one without a last
// message, is read from the API, never from the cache. Every write of this server to a
// thread's messages (send, edit, delete, react) drops the thread's pages and, for a send,
// the key too. Memory is bounded by entries and bytes (least recently used out) and every
// entry expires after the TTL, a safety net for changes no listing shows (a message edited
// by another client).
//
// One [Cache] serves every team of a process; [Cache.Wrap] binds it to one team's backend
// under the team's key, and entries are stored under that key, so no team ever reads
// another's pages.
package msgcache

import (
	"container/list"
	"context"
	"slices"
	"sync"
	"time"

	"github.com/inbox-mcp/inbox-mcp/inbox"
)

// Defaults for the zero fields of [Options].
const (
	DefaultTTL        = 3 * time.Minute
	DefaultMaxEntries = 4096
	DefaultMaxBytes   = 32 << 20
	// maxThreads bounds the last-message keys kept; beyond it, keys with no pages go first.
	maxThreads = 50_000
)

// Options configures a [Cache]. Zero values take the defaults.
type Options struct {
	// TTL is how long a page is served, and how long a listing's last-message key is
	// trusted, after it was read.
	TTL time.Duration
	// MaxEntries bounds the pages kept, over every team.
	MaxEntries int
	// MaxBytes bounds the estimated size of the pages kept, over every team.
	MaxBytes int
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Cache holds message pages for every team of a process. It is safe for concurrent use.
type Cache struct {
	o Options

	mu      sync.Mutex
	threads map[threadKey]*thread
	lru     *list.List // of *entry, front = most recently used
	bytes   int
}

// threadKey names a thread of a team.
type threadKey struct{ team, id string }

// lastKey is a thread's last message as a listing reported it.
type lastKey struct {
	id string
	at time.Time
}

// pageKey names one page of a thread's messages as of its last message.
type pageKey struct {
	last   lastKey
	cursor string
	limit  int
}

// thread is what the cache knows of one thread.
type thread struct {
	last  lastKey
	seen  time.Time // when a listing last reported last; zero: not known
	gen   uint64    // bumped by every invalidation, so a read that overlapped one is not stored
	pages map[pageKey]*list.Element
}

type entry struct {
	tk     threadKey
	pk     pageKey
	page   inbox.Page[inbox.Message]
	size   int
	stored time.Time
}

// New returns an empty cache.
func New(o Options) *Cache {
	if o.TTL <= 0 {
		o.TTL = DefaultTTL
	}
	if o.MaxEntries <= 0 {
		o.MaxEntries = DefaultMaxEntries
	}
	if o.MaxBytes <= 0 {
		o.MaxBytes = DefaultMaxBytes
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Cache{o: o, threads: map[threadKey]*thread{}, lru: list.New()}
}

// Wrap returns b with its message reads cached under team, the key of the team (or token)
// b serves. Everything else passes through.
func (c *Cache) Wrap(b inbox.Backend, team string) inbox.Backend {
	return &Backend{Backend: b, c: c, team: team}
}

// observe notes the last message a listing reported for t, dropping the thread's pages when
// it changed.
func (c *Cache) observe(team string, t inbox.Thread) {
	if t.ID == "" {
		return
	}
	k := lastKey{at: t.LastMessageAt}
	if t.LastMessage != nil {
		k.id = t.LastMessage.ID
	}
	now := c.o.Now()
	c.mu.Lock()
	defer c.mu.Unlock()
	tk := threadKey{team, t.ID}
	th := c.threads[tk]
	if th == nil {
		if len(c.threads) >= maxThreads {
			c.pruneLocked(now)
		}
		th = &thread{}
		c.threads[tk] = th
	}
	if th.last != k {
		c.dropPagesLocked(th)
		th.last = k
	}
	th.seen = now
}

// invalidate drops a thread's pages; forget also drops its last-message key, so that reads
// go to the API until a listing shows the thread again.
func (c *Cache) invalidate(team, id string, forget bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	th := c.threads[threadKey{team, id}]
	if th == nil {
		return
	}
	c.dropPagesLocked(th)
	th.gen++
	if forget {
		th.seen = time.Time{}
	}
}

// invalidateTeam drops every page and key of a team: after a write whose thread is unknown.
func (c *Cache) invalidateTeam(team string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for tk, th := range c.threads {
		if tk.team == team {
			c.dropPagesLocked(th)
			th.gen++
			th.seen = time.Time{}
		}
	}
}

// lookup returns a cached page, or the key and generation to store a fetched page under;
// ok is false when the thread's last message is not known well enough to cache at all.
func (c *Cache) lookup(team, id, cursor string, limit int) (page inbox.Page[inbox.Message], hit bool, pk pageKey, gen uint64, ok bool) {
	now := c.o.Now()
	c.mu.Lock()
	defer c.mu.Unlock()
	th := c.threads[threadKey{team, id}]
	if th == nil || th.seen.IsZero() || now.Sub(th.seen) >= c.o.TTL || th.last.id == "" {
		return page, false, pk, 0, false
	}
	pk = pageKey{last: th.last, cursor: cursor, limit: limit}
	if el, found := th.pages[pk]; found {
		e := el.Value.(*entry)
		if now.Sub(e.stored) < c.o.TTL {
			c.lru.MoveToFront(el)
			return clonePage(e.page), true, pk, th.gen, true
		}
		c.removeLocked(el)
	}
	return page, false, pk, th.gen, true
}

// store keeps a page read from the API, unless the thread changed meanwhile (a listing
// showed another last message, or a write invalidated it).
func (c *Cache) store(team, id string, pk pageKey, gen uint64, page inbox.Page[inbox.Message]) {
	// A first page whose newest message is not the listing's last one was read after the
	// thread changed (or the listing counts messages differently): not tied to the key.
	if pk.cursor == "" && (len(page.Items) == 0 || page.Items[0].ID != pk.last.id) {
		return
	}
	size := pageSize(page)
	if size > c.o.MaxBytes {
		return
	}
	now := c.o.Now()
	c.mu.Lock()
	defer c.mu.Unlock()
	tk := threadKey{team, id}
	th := c.threads[tk]
	if th == nil || th.gen != gen || th.last != pk.last {
		return
	}
	if el, found := th.pages[pk]; found {
		c.removeLocked(el)
	}
	if th.pages == nil {
		th.pages = map[pageKey]*list.Element{}
	}
	th.pages[pk] = c.lru.PushFront(&entry{tk: tk, pk: pk, page: clonePage(page), size: size, stored: now})
	c.bytes += size
	for c.lru.Len() > c.o.MaxEntries || c.bytes > c.o.MaxBytes {
		c.removeLocked(c.lru.Back())
	}
}

func (c *Cache) dropPagesLocked(th *thread) {
	for _, el := range th.pages {
		c.removeLocked(el)
	}
}

func (c *Cache) removeLocked(el *list.Element) {
	e := el.Value.(*entry)
	c.lru.Remove(el)
	c.bytes -= e.size
	if th := c.threads[e.tk]; th != nil {
		delete(th.pages, e.pk)
	}
}

// pruneLocked forgets the keys of threads without pages: first those older than the TTL,
// then, when that was not enough, all of them.
func (c *Cache) pruneLocked(now time.Time) {
	for tk, th := range c.threads {
		if len(th.pages) == 0 && now.Sub(th.seen) >= c.o.TTL {
			delete(c.threads, tk)
		}
	}
	if len(c.threads) < maxThreads {
		return
	}
	for tk, th := range c.threads {
		if len(th.pages) == 0 {
			delete(c.threads, tk)
		}
	}
}

// Len reports how many pages the cache holds and their estimated size in bytes.
func (c *Cache) Len() (entries, bytes int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lru.Len(), c.bytes
}

// clonePage copies a page, so that callers never share the cached slices.
func clonePage(p inbox.Page[inbox.Message]) inbox.Page[inbox.Message] {
	out := inbox.Page[inbox.Message]{Items: slices.Clone(p.Items), Next: p.Next}
	for i := range out.Items {
		out.Items[i].Reactions = slices.Clone(out.Items[i].Reactions)
	}
	return out
}

// pageSize estimates the memory a page holds.
func pageSize(p inbox.Page[inbox.Message]) int {
	n := 64 + len(p.Next)
	for _, m := range p.Items {
		n += 256 + len(m.ID) + len(m.ThreadID) + len(m.Content) + len(m.AccountID) + len(m.UserID) +
			len(m.CampaignID) + len(m.Origin) + len(m.ReplyToID)
		for _, r := range m.Reactions {
			n += 32 + len(r.Emoji) + len(r.By)
		}
	}
	return n
}

// bypassKey marks a context whose message reads must go to the API.
type bypassKey struct{}

// Bypass returns ctx with message reads going to the API rather than the cache (and the
// pages read not stored): for checks before a write, which must see the thread as it is.
func Bypass(ctx context.Context) context.Context { return context.WithValue(ctx, bypassKey{}, true) }

func bypassed(ctx context.Context) bool { v, _ := ctx.Value(bypassKey{}).(bool); return v }
