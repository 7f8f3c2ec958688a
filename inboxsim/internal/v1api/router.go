package v1api

import (
	"context"
	"net/http"
	"slices"
	"strings"

	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/httpx"
	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/store"
)

// call is one request as a handler sees it.
type call struct {
	ctx    context.Context
	r      *http.Request
	sim    *API
	team   string
	params map[string]string
}

// param returns a path parameter (already validated as an Inbox ID).
func (c *call) param(name string) string { return c.params[name] }

// handlerFunc answers a request with a value to encode as the 200 JSON body (nil encodes as
// null) or an error (an *Error, or anything else, which becomes a 500).
type handlerFunc func(c *call) (any, error)

type route struct {
	method string
	segs   []string
	op     string
	h      handlerFunc
}

type router struct {
	sim    *API
	routes []route
}

func (rt *router) add(method, pattern, op string, h handlerFunc) {
	rt.routes = append(rt.routes, route{method: method, segs: strings.Split(strings.Trim(pattern, "/"), "/"), op: op, h: h})
}

// match reports whether the route's pattern matches the path segments, and how many literal
// segments matched (more literal = more specific: /threads/lookup beats /threads/{threadId}).
func (rt route) match(segs []string) (bool, int) {
	if len(segs) != len(rt.segs) {
		return false, 0
	}
	literal := 0
	for i, p := range rt.segs {
		if strings.HasPrefix(p, "{") {
			if segs[i] == "" {
				return false, 0
			}
			continue
		}
		if p != segs[i] {
			return false, 0
		}
		literal++
	}
	return true, literal
}

// dispatch finds the route for a path below /api/v1, validates its path parameters and runs
// the handler.
func (rt *router) dispatch(r *http.Request, team, path string) (httpx.Response, string) {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	var best *route
	bestLiteral := -1
	var allowed []string
	for i := range rt.routes {
		ro := &rt.routes[i]
		ok, literal := ro.match(segs)
		if !ok {
			continue
		}
		if ro.method != r.Method {
			if !slices.Contains(allowed, ro.method) {
				allowed = append(allowed, ro.method)
			}
			continue
		}
		if literal > bestLiteral {
			best, bestLiteral = ro, literal
		}
	}
	if best == nil {
		if len(allowed) > 0 {
			resp := errorResponse(httpx.Errorf(http.StatusMethodNotAllowed, httpx.CodeMethodNotAllowed,
				"%s is not allowed on %s%s; allowed: %s", r.Method, Prefix, path, strings.Join(allowed, ", ")))
			resp.Header.Set("Allow", strings.Join(allowed, ", "))
			return resp, ""
		}
		return errorResponse(httpx.Errorf(http.StatusNotFound, httpx.CodeNotFound, "no such endpoint %s %s%s; see the Inbox API reference for the v1 paths", r.Method, Prefix, path)), ""
	}
	c := &call{ctx: r.Context(), r: r, sim: rt.sim, team: team, params: map[string]string{}}
	for i, p := range best.segs {
		if !strings.HasPrefix(p, "{") {
			continue
		}
		name := strings.Trim(p, "{}")
		if !store.IsInboxID(segs[i]) {
			return errorResponse(httpx.Invalid("path parameter %s must be an Inbox ID (lowercase letters and digits), got %q", name, segs[i])), ""
		}
		c.params[name] = segs[i]
	}
	v, err := best.h(c)
	if err != nil {
		e := asError(err)
		if e.Status >= 500 {
			rt.sim.log.Error("request failed", "op", best.op, "err", err)
		}
		return errorResponse(e), best.op
	}
	if raw, ok := v.(httpx.PooledJSON); ok {
		// Written by the hand-made encoder (fastjson.go); re-encoding would only re-scan it.
		return httpx.Response{Status: http.StatusOK, Header: http.Header{}, Body: raw, Pooled: true}, best.op
	}
	return httpx.Response{Status: http.StatusOK, Header: http.Header{}, Body: httpx.JSONBody(v)}, best.op
}

// newV1Router lists the 38 operations of the v1 OpenAPI document.
func newV1Router(s *API) *router {
	rt := &router{sim: s}
	rt.add("GET", "/team", "team.get", v1GetTeam)
	rt.add("GET", "/threads", "threads.list", v1ListThreads)
	rt.add("POST", "/threads", "threads.create", v1CreateThread)
	rt.add("GET", "/threads/lookup", "threads.lookup", v1LookupThread)
	rt.add("GET", "/threads/lookup-by-username", "threads.lookupByUsername", v1LookupByUsername)
	rt.add("GET", "/threads/{threadId}", "threads.thread.get", v1GetThread)
	rt.add("PATCH", "/threads/{threadId}", "threads.thread.update", v1UpdateThread)
	rt.add("DELETE", "/threads/{threadId}", "threads.thread.delete", v1DeleteThread)
	rt.add("POST", "/threads/{threadId}/typing", "threads.thread.typing", v1Typing)
	rt.add("PATCH", "/threads/{threadId}/settings", "threads.thread.settings", v1ThreadSettings)
	rt.add("GET", "/threads/{threadId}/messages", "threads.thread.messages.list", v1ListMessages)
	rt.add("POST", "/threads/{threadId}/messages", "threads.thread.messages.create", v1SendMessage)
	rt.add("PATCH", "/threads/{threadId}/messages/{messageId}", "threads.thread.messages.message.edit", v1EditMessage)
	rt.add("DELETE", "/threads/{threadId}/messages/{messageId}", "threads.thread.messages.message.delete", v1DeleteMessage)
	rt.add("GET", "/threads/{threadId}/messages/{messageId}/history", "threads.thread.messages.message.history", v1MessageHistory)
	rt.add("POST", "/threads/{threadId}/messages/{messageId}/reactions/reactions", "threads.thread.messages.message.reactions.add", v1AddReaction)
	rt.add("DELETE", "/threads/{threadId}/messages/{messageId}/reactions/reactions", "threads.thread.messages.message.reactions.remove", v1RemoveReaction)
	rt.add("POST", "/threads/messages", "threads.messages.quickSend", v1QuickSend)
	rt.add("GET", "/account-links", "accountLinks.list", v1ListAccountLinks)
	rt.add("GET", "/members", "members.list", v1ListMembers)
	rt.add("GET", "/members/{memberId}", "members.get", v1GetMember)
	rt.add("GET", "/prospects/lookup", "prospects.lookup", v1LookupProspect)
	rt.add("GET", "/prospects/{prospectId}", "prospects.get", v1GetProspect)
	rt.add("PATCH", "/prospects/{prospectId}/context", "prospects.update", v1UpdateProspect)
	rt.add("GET", "/tags", "tags.list", v1Tags.List)
	rt.add("POST", "/tags", "tags.create", v1Tags.Create)
	rt.add("GET", "/tags/colors", "tags.colors", v1Colors)
	rt.add("GET", "/tags/{tagId}", "tags.get", v1Tags.Get)
	rt.add("PATCH", "/tags/{tagId}", "tags.update", v1Tags.Update)
	rt.add("DELETE", "/tags/{tagId}", "tags.delete", v1Tags.Delete)
	rt.add("GET", "/statuses", "statuses.list", v1Statuses.List)
	rt.add("POST", "/statuses", "statuses.create", v1Statuses.Create)
	rt.add("GET", "/statuses/colors", "statuses.colors", v1Colors)
	rt.add("GET", "/statuses/{statusId}", "statuses.get", v1Statuses.Get)
	rt.add("PATCH", "/statuses/{statusId}", "statuses.update", v1Statuses.Update)
	rt.add("DELETE", "/statuses/{statusId}", "statuses.delete", v1Statuses.Delete)
	rt.add("GET", "/colors", "colors.list", v1Colors)
	rt.add("GET", "/events", "events.list", v1ListEvents)
	return rt
}
