package resources

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"sync"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// Limits of the subscription registry. Every subscription is kept in memory until its session
// ends, so without them one client could fill the process (a subscribe is cheap to send).
const (
	// MaxURILength is the longest URI accepted; the server's own are far shorter.
	MaxURILength = 256
	// MaxPerSession is how many resources one session may follow at once.
	MaxPerSession = 100
	// MaxSessions is how many sessions may hold subscriptions at once.
	MaxSessions = 1000
	// SubscriptionTTL is how long the subscriptions of a session without an open
	// notification stream are kept after its last subscribe: such a session receives
	// nothing, and may never come back.
	SubscriptionTTL = 30 * time.Minute
)

// ourURI matches the resources this server serves, the only ones worth following.
var ourURI = regexp.MustCompile(`^inbox://(threads/[0-9a-z]{1,64}/transcript|prospects/[0-9a-z]{1,64}|directory/(tags|statuses|members|accounts))$`)

// Subscriptions remembers which sessions subscribed to which resources (resources/subscribe)
// and tells them when a write made through this server changes one: a reply sent updates the
// thread's transcript, a context update the prospect, a tag created the tag directory.
// Changes made elsewhere (the Inbox web app, a teammate's own assistant) are not seen: v1 has
// no push channel this server listens to.
//
// The registry is bounded: only the server's own URIs, at most MaxPerSession per session and
// MaxSessions sessions, and the subscriptions of a session without a notification stream
// expire SubscriptionTTL after its last subscribe.
type Subscriptions struct {
	mu  sync.Mutex
	srv *server.MCPServer
	now func() time.Time
	// bySession maps a session ID to the URIs it subscribed to.
	bySession map[string]*sessionSubs
	// streams holds the sessions registered with the server: those with a notification
	// channel (stdio, in-process, an HTTP GET stream), which can be told of updates.
	streams map[string]bool
}

type sessionSubs struct {
	uris      map[string]bool
	last      time.Time // the last subscribe
	streaming bool      // the session has a notification stream open (it is registered)
}

// NewSubscriptions returns an empty registry; now is its clock (nil means time.Now).
func NewSubscriptions(now func() time.Time) *Subscriptions {
	if now == nil {
		now = time.Now
	}
	return &Subscriptions{bySession: map[string]*sessionSubs{}, streams: map[string]bool{}, now: now}
}

// Register adds the hooks that keep the registry up to date and refuse subscriptions beyond
// its limits. The refusal happens before the request is handled; the subscription is
// recorded only once the server accepted it.
func (s *Subscriptions) Register(h *server.Hooks) {
	h.AddOnRequestInitialization(func(ctx context.Context, _ any, message any) error {
		uri, ok := SubscribeURI(message)
		if !ok {
			return nil
		}
		return s.check(sessionID(ctx), uri)
	})
	h.AddAfterSubscribe(func(ctx context.Context, _ any, req *mcp.SubscribeRequest, _ *mcp.EmptyResult) {
		if id := sessionID(ctx); id != "" {
			s.add(id, req.Params.URI)
		}
	})
	h.AddAfterUnsubscribe(func(ctx context.Context, _ any, req *mcp.UnsubscribeRequest, _ *mcp.EmptyResult) {
		if id := sessionID(ctx); id != "" {
			s.mu.Lock()
			if ss := s.bySession[id]; ss != nil {
				delete(ss.uris, req.Params.URI)
				if len(ss.uris) == 0 && !ss.streaming {
					delete(s.bySession, id)
				}
			}
			s.mu.Unlock()
		}
	})
	h.AddOnRegisterSession(func(_ context.Context, session server.ClientSession) {
		s.mu.Lock()
		s.streams[session.SessionID()] = true
		if ss := s.bySession[session.SessionID()]; ss != nil {
			ss.streaming = true
		}
		s.mu.Unlock()
	})
	h.AddOnUnregisterSession(func(_ context.Context, session server.ClientSession) {
		s.mu.Lock()
		delete(s.streams, session.SessionID())
		delete(s.bySession, session.SessionID())
		s.mu.Unlock()
	})
}

// SubscribeURI returns the URI of a resources/subscribe request, given the raw JSON-RPC
// message a request-initialization hook receives; ok is false for any other message.
func SubscribeURI(message any) (uri string, ok bool) {
	raw, isRaw := message.(json.RawMessage)
	if !isRaw || !bytes.Contains(raw, []byte(mcp.MethodResourcesSubscribe)) {
		return "", false
	}
	var req struct {
		Method string `json:"method"`
		Params struct {
			URI string `json:"uri"`
		} `json:"params"`
	}
	if json.Unmarshal(raw, &req) != nil || req.Method != string(mcp.MethodResourcesSubscribe) {
		return "", false
	}
	return req.Params.URI, true
}

// check refuses a subscription beyond the registry's limits, saying what to do instead.
func (s *Subscriptions) check(session, uri string) error {
	if len(uri) > MaxURILength || !ourURI.MatchString(uri) {
		shown := uri
		if len(shown) > 80 {
			shown = shown[:80] + "…"
		}
		return fmt.Errorf("cannot subscribe to %q: only this server's resources can be followed (inbox://threads/{threadId}/transcript, inbox://prospects/{prospectId}, inbox://directory/tags, statuses, members or accounts); resources/templates/list and resources/list give them", shown)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sweep()
	ss := s.bySession[session]
	switch {
	case ss != nil && ss.uris[uri]:
		return nil
	case ss != nil && len(ss.uris) >= MaxPerSession:
		return fmt.Errorf("cannot subscribe to %s: this session already follows %d resources, the most it may; unsubscribe from some first", uri, MaxPerSession)
	case ss == nil && len(s.bySession) >= MaxSessions:
		return fmt.Errorf("cannot subscribe to %s: the server holds subscriptions for as many sessions as it keeps (%d); read the resource when needed instead, or subscribe again later", uri, MaxSessions)
	}
	return nil
}

// add records a subscription the server accepted.
func (s *Subscriptions) add(session, uri string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ss := s.bySession[session]
	if ss == nil {
		ss = &sessionSubs{uris: map[string]bool{}, streaming: s.streams[session]}
		s.bySession[session] = ss
	}
	ss.uris[uri] = true
	ss.last = s.now()
}

// sweep drops the subscriptions that expired. The caller holds s.mu.
func (s *Subscriptions) sweep() {
	cutoff := s.now().Add(-SubscriptionTTL)
	for id, ss := range s.bySession {
		if !ss.streaming && ss.last.Before(cutoff) {
			delete(s.bySession, id)
		}
	}
}

// Attach gives the registry the server it sends notifications through.
func (s *Subscriptions) Attach(srv *server.MCPServer) {
	s.mu.Lock()
	s.srv = srv
	s.mu.Unlock()
}

// Notify sends notifications/resources/updated for each URI to every session subscribed to
// it. Delivery is best effort: a session that went away is skipped.
func (s *Subscriptions) Notify(_ context.Context, uris ...string) {
	type note struct{ session, uri string }
	var notes []note
	s.mu.Lock()
	srv := s.srv
	s.sweep()
	for id, ss := range s.bySession {
		for _, u := range uris {
			if ss.uris[u] {
				notes = append(notes, note{id, u})
			}
		}
	}
	s.mu.Unlock()
	if srv == nil {
		return
	}
	for _, n := range notes {
		_ = srv.SendNotificationToSpecificClient(n.session, mcp.MethodNotificationResourceUpdated, map[string]any{"uri": n.uri})
	}
}

func sessionID(ctx context.Context) string {
	if cs := server.ClientSessionFromContext(ctx); cs != nil {
		return cs.SessionID()
	}
	return ""
}
