package resources

import (
	"context"
	"sync"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// Subscriptions remembers which sessions subscribed to which resources (resources/subscribe)
// and tells them when a write made through this server changes one: a reply sent updates the
// thread's transcript, a context update the prospect, a tag created the tag directory.
// Changes made elsewhere (the Inbox web app, a teammate's own assistant) are not seen: v1 has
// no push channel this server listens to.
type Subscriptions struct {
	mu  sync.Mutex
	srv *server.MCPServer
	// bySession maps a session ID to the URIs it subscribed to.
	bySession map[string]map[string]bool
}

// NewSubscriptions returns an empty registry.
func NewSubscriptions() *Subscriptions {
	return &Subscriptions{bySession: map[string]map[string]bool{}}
}

// Register adds the hooks that keep the registry up to date.
func (s *Subscriptions) Register(h *server.Hooks) {
	h.AddAfterSubscribe(func(ctx context.Context, _ any, req *mcp.SubscribeRequest, _ *mcp.EmptyResult) {
		if id := sessionID(ctx); id != "" {
			s.mu.Lock()
			if s.bySession[id] == nil {
				s.bySession[id] = map[string]bool{}
			}
			s.bySession[id][req.Params.URI] = true
			s.mu.Unlock()
		}
	})
	h.AddAfterUnsubscribe(func(ctx context.Context, _ any, req *mcp.UnsubscribeRequest, _ *mcp.EmptyResult) {
		if id := sessionID(ctx); id != "" {
			s.mu.Lock()
			delete(s.bySession[id], req.Params.URI)
			s.mu.Unlock()
		}
	})
	h.AddOnUnregisterSession(func(_ context.Context, session server.ClientSession) {
		s.mu.Lock()
		delete(s.bySession, session.SessionID())
		s.mu.Unlock()
	})
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
	for id, subs := range s.bySession {
		for _, u := range uris {
			if subs[u] {
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
