package app

import (
	"container/list"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"sync"
	"time"

	"github.com/inbox-mcp/inbox-mcp/inbox"
	"github.com/inbox-mcp/inbox-mcp/inbox/msgcache"
	"github.com/inbox-mcp/inbox-mcp/tools"
)

// BackendSource yields the Inbox backend for a request, plus a cache key identifying the
// team or token (never the token itself; a hash), under which the name directory is cached.
type BackendSource interface {
	Backend(ctx context.Context) (b inbox.Backend, key string, err error)
}

// StaticBackend serves every request with b: the server holds one API key.
func StaticBackend(b inbox.Backend) BackendSource { return static{b} }

type static struct{ b inbox.Backend }

// Backend serves every request with the one backend, under one cache key.
func (s static) Backend(context.Context) (inbox.Backend, string, error) { return s.b, "static", nil }

type tokenKey struct{}

// ContextWithToken returns ctx carrying the Inbox API token of one request (for example from
// its Authorization header), for PerRequestToken to use.
func ContextWithToken(ctx context.Context, token string) context.Context {
	return context.WithValue(ctx, tokenKey{}, token)
}

func tokenFrom(ctx context.Context) string {
	s, _ := ctx.Value(tokenKey{}).(string)
	return strings.TrimSpace(s)
}

// TokenFromContext returns the Inbox API token ContextWithToken put in ctx, or "": for the
// HTTP transport, which lets only requests with a key subscribe to resources.
func TokenFromContext(ctx context.Context) string { return tokenFrom(ctx) }

// MaxCachedTokens bounds how many per-token backends PerRequestToken keeps.
const MaxCachedTokens = 128

// PerRequestToken serves each request with a backend for the token in its context (see
// ContextWithToken), so one deployment can serve a whole team, each person with their own
// key. Backends are made by factory, which is given the request's context and token, and
// kept, least recently used first out, under the SHA-256 of their token: the same token
// reuses its client (and its rate limiter). A request without a token gets an error that
// says how to send one.
func PerRequestToken(factory func(ctx context.Context, token string) (inbox.Backend, error)) BackendSource {
	return &perToken{factory: factory, byKey: map[string]*list.Element{}, order: list.New()}
}

type perToken struct {
	factory func(context.Context, string) (inbox.Backend, error)
	mu      sync.Mutex
	byKey   map[string]*list.Element // key -> element holding *cached
	order   *list.List               // front = most recently used
}

type cached struct {
	key string
	b   inbox.Backend
}

// Backend serves the request with the backend of its token, making it on first use.
func (p *perToken) Backend(ctx context.Context) (inbox.Backend, string, error) {
	tok := tokenFrom(ctx)
	if tok == "" {
		return nil, "", tools.NoBackend("No Inbox API key came with this request. Send the team's Inbox API key as \"Authorization: Bearer <key>\" on the MCP request (as \"X-Inbox-Api-Key: <key>\" when Authorization carries the server's own MCP token), or start the server with INBOX_API_KEY set.")
	}
	sum := sha256.Sum256([]byte(tok))
	key := "token:" + hex.EncodeToString(sum[:])
	p.mu.Lock()
	if e, ok := p.byKey[key]; ok {
		p.order.MoveToFront(e)
		b := e.Value.(*cached).b
		p.mu.Unlock()
		return b, key, nil
	}
	p.mu.Unlock()
	// Built outside the lock: a slow factory must not hold up other teams' requests.
	b, err := p.factory(ctx, tok)
	if err != nil {
		return nil, "", tools.NoBackend("The Inbox API key sent with this request cannot be used: " + err.Error())
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if e, ok := p.byKey[key]; ok {
		p.order.MoveToFront(e)
		return e.Value.(*cached).b, key, nil
	}
	p.byKey[key] = p.order.PushFront(&cached{key: key, b: b})
	for p.order.Len() > MaxCachedTokens {
		last := p.order.Back()
		p.order.Remove(last)
		delete(p.byKey, last.Value.(*cached).key)
	}
	return b, key, nil
}

// cachedMessages serves src's backends with their message reads cached, each team under its
// own key (see inbox/msgcache); ttl < 0 leaves src as it is.
func cachedMessages(src BackendSource, ttl time.Duration, now func() time.Time) BackendSource {
	if ttl < 0 {
		return src
	}
	return messageCache{src: src, c: msgcache.New(msgcache.Options{TTL: ttl, Now: now})}
}

type messageCache struct {
	src BackendSource
	c   *msgcache.Cache
}

// Backend serves the request with its backend, wrapped by the team's message cache.
func (m messageCache) Backend(ctx context.Context) (inbox.Backend, string, error) {
	b, key, err := m.src.Backend(ctx)
	if err != nil {
		return nil, "", err
	}
	return m.c.Wrap(b, key), key, nil
}
