package v2api

import (
	"context"
	"log/slog"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/httpx"
	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/store"
)

// Prefix is where the Inbox API v2 is served.
const Prefix = "/api/v2"

// API serves the Inbox API v2 over the store: its routes, the Idempotency-Keys in flight
// and the names of the accepted tokens.
type API struct {
	store *store.Store
	log   *slog.Logger
	now   func() time.Time
	front *httpx.Front
	reply func(team string, m store.Message)
	// SendFaults are the faults in force for sends: the share answered sendUnconfirmed and
	// how long a send stays in flight.
	SendFaults func() (unconfirmedRate float64, delay time.Duration)
	// WaitSend waits out a send's delay (see Options.Wait).
	WaitSend func(r *http.Request, d time.Duration) error

	routes     []v2Route
	idem       *idempotency
	tokenNames map[string]string
}

// v2Call is one v2 request as a handler sees it.
type v2Call struct {
	ctx       context.Context
	r         *http.Request
	sim       *API
	team      string
	token     string
	requestID string
	params    map[string]string
}

func (c *v2Call) param(name string) string { return c.params[name] }

// v2Result is a handler's answer: a status and a body to encode as JSON (none for 204), or a
// body already encoded (a stored result replayed).
type v2Result struct {
	status int
	body   any
	raw    []byte
	header http.Header
}

func ok200(v any) (v2Result, error) { return v2Result{status: http.StatusOK, body: v}, nil }

type v2Handler func(c *v2Call) (v2Result, error)

type v2Route struct {
	method, op string
	segs       []string
	h          v2Handler
	// platform is set for operations that reach the platform, which document 502
	// platformError and 503 platformUnavailable; the others answer an injected failure 500.
	platform bool
}

func (st *API) add(method, pattern, op string, h v2Handler) {
	st.routes = append(st.routes, v2Route{method: method, op: op, segs: strings.Split(strings.Trim(pattern, "/"), "/"), h: h})
}

func (st *API) addPlatform(method, pattern, op string, h v2Handler) {
	st.add(method, pattern, op, h)
	st.routes[len(st.routes)-1].platform = true
}

// newV2State lists the 37 operations of the v2 document.
func New(st0 *store.Store, log *slog.Logger, fr *httpx.Front, reply func(team string, m store.Message), seed int64, demoToken string) *API {
	st := &API{store: st0, log: log, now: fr.Now, front: fr, reply: reply,
		idem: newIdempotency(seed), tokenNames: tokenNamesFor(fr.Tokens, demoToken)}
	st.add("GET", "/platforms", "platforms.list", v2ListPlatforms)
	st.add("GET", "/team", "team.get", v2GetTeam)
	st.add("GET", "/members", "team.listMembers", v2ListMembers)
	st.add("GET", "/members/{memberId}", "team.getMember", v2GetMember)
	st.add("GET", "/account-links", "accountLinks.list", v2ListAccountLinks)
	st.add("GET", "/account-links/{accountLinkId}", "accountLinks.get", v2GetAccountLink)
	st.add("GET", "/contacts", "contacts.list", v2FindContacts)
	st.add("GET", "/contacts/{contactId}", "contacts.get", v2GetContact)
	st.add("PATCH", "/contacts/{contactId}", "contacts.update", v2UpdateContact)
	st.add("PUT", "/contacts/{contactId}/tags/{tagRef}", "contacts.addTag", v2AddContactTag)
	st.add("DELETE", "/contacts/{contactId}/tags/{tagRef}", "contacts.removeTag", v2RemoveContactTag)
	st.add("GET", "/threads", "threads.list", v2ListThreads)
	st.add("GET", "/threads/{threadId}", "threads.get", v2GetThread)
	st.add("PATCH", "/threads/{threadId}", "threads.update", v2UpdateThread)
	st.addPlatform("DELETE", "/threads/{threadId}", "threads.delete", v2DeleteThread)
	st.add("POST", "/threads/{threadId}/typing", "threads.typing", v2Typing)
	st.add("GET", "/threads/{threadId}/messages", "messages.list", v2ListMessages)
	st.add("GET", "/messages/{messageId}", "messages.get", v2GetMessage)
	st.addPlatform("PATCH", "/messages/{messageId}", "messages.edit", v2EditMessage)
	st.addPlatform("DELETE", "/messages/{messageId}", "messages.unsend", v2UnsendMessage)
	st.addPlatform("POST", "/messages", "messages.send", v2SendMessage)
	st.add("GET", "/messages/{messageId}/history", "messages.history", v2MessageHistory)
	st.addPlatform("POST", "/messages/{messageId}/reactions", "messages.react", v2React)
	st.addPlatform("DELETE", "/messages/{messageId}/reactions", "messages.unreact", v2Unreact)
	st.add("GET", "/messages/{messageId}/attachments/{index}", "messages.attachment", v2GetAttachment)
	st.add("GET", "/tags", "tags.list", v2Tags.List)
	st.add("POST", "/tags", "tags.create", v2Tags.Create)
	st.add("GET", "/tags/{tagRef}", "tags.get", v2Tags.Get)
	st.add("PATCH", "/tags/{tagRef}", "tags.update", v2Tags.Update)
	st.add("DELETE", "/tags/{tagRef}", "tags.delete", v2Tags.Delete)
	st.add("GET", "/statuses", "statuses.list", v2Statuses.List)
	st.add("POST", "/statuses", "statuses.create", v2Statuses.Create)
	st.add("GET", "/statuses/{statusRef}", "statuses.get", v2Statuses.Get)
	st.add("PATCH", "/statuses/{statusRef}", "statuses.update", v2Statuses.Update)
	st.add("DELETE", "/statuses/{statusRef}", "statuses.delete", v2Statuses.Delete)
	st.add("GET", "/colors", "colors.list", v2ListColors)
	st.add("GET", "/events", "events.list", v2ListEvents)
	return st
}

// match finds the route of a request; the error is a 404 or 405 when there is none, and
// allowed lists the methods the path takes.
func (st *API) match(r *http.Request) (route *v2Route, params map[string]string, allowed []string, e *v2Error) {
	rest := strings.TrimPrefix(r.URL.EscapedPath(), Prefix)
	raw := strings.Split(strings.Trim(rest, "/"), "/")
	segs := make([]string, len(raw))
	for i, s := range raw {
		u, err := url.PathUnescape(s)
		if err != nil {
			return nil, nil, nil, v2Invalid(nil, "the path segment %q is not valid percent-encoding", s)
		}
		segs[i] = u
	}
	for i := range st.routes {
		ro := &st.routes[i]
		ps, ok := ro.match(segs)
		if !ok {
			continue
		}
		if ro.method != r.Method {
			allowed = append(allowed, ro.method)
			continue
		}
		return ro, ps, nil, nil
	}
	if len(allowed) > 0 {
		slices.Sort(allowed)
		return nil, nil, allowed, v2Errorf(http.StatusMethodNotAllowed, "methodNotAllowed", nil, "%s is not allowed on %s; allowed: %s", r.Method, r.URL.Path, strings.Join(allowed, ", "))
	}
	return nil, nil, nil, v2Errorf(http.StatusNotFound, "notFound", nil, "no such endpoint %s %s; see the Inbox API v2 reference for the paths", r.Method, r.URL.Path)
}

// match matches path segments; literal segments come before parameters in every v2 path, so
// the first route that matches is the only one.
func (ro *v2Route) match(segs []string) (map[string]string, bool) {
	if len(segs) != len(ro.segs) {
		return nil, false
	}
	var params map[string]string
	for i, p := range ro.segs {
		if strings.HasPrefix(p, "{") {
			if segs[i] == "" {
				return nil, false
			}
			if params == nil {
				params = map[string]string{}
			}
			params[strings.Trim(p, "{}")] = segs[i]
			continue
		}
		if p != segs[i] {
			return nil, false
		}
	}
	return params, true
}

// checkParams validates path parameters: IDs must look like Inboxapp IDs and an attachment
// index must be a non-negative integer; tag and status references may be names.
func checkParams(params map[string]string) *v2Error {
	for name, v := range params {
		switch name {
		case "tagRef", "statusRef":
		case "index":
			if n, err := strconv.Atoi(v); err != nil || n < 0 {
				return v2Invalid([]any{name}, "the attachment index must be an integer from 0, got %q", v)
			}
		default:
			if !store.IsInboxID(v) {
				return v2Invalid([]any{name}, "path parameter %s must be an Inboxapp ID (lowercase letters and digits), got %q", name, v)
			}
		}
	}
	return nil
}

func v2ErrorResponse(e *v2Error, requestID string) httpx.Response {
	return httpx.Response{Status: e.Status, Header: http.Header{},
		Body: httpx.JSONBody(ErrorBody{Code: e.Code, Message: e.Message, Details: e.Details, RequestID: requestID})}
}

var limitWindowNames = []string{"minute", "hour", "day"}

type rateLimitedDetails struct {
	Window  string `json:"window"`
	Limit   int    `json:"limit"`
	ResetAt string `json:"resetAt"`
}

func (s *API) v2RateLimited(limit int, reset time.Time, retry int, requestID string) httpx.Response {
	window := limitWindowNames[0]
	for i, w := range s.front.Limiter.Windows {
		if w.Limit == limit && i < len(limitWindowNames) {
			window = limitWindowNames[i]
			break
		}
	}
	resp := v2ErrorResponse(v2Errorf(http.StatusTooManyRequests, "rateLimited",
		rateLimitedDetails{Window: window, Limit: limit, ResetAt: httpx.FormatTime(reset)},
		"rate limit of %d requests per %s exceeded; retry after %d seconds", limit, window, retry), requestID)
	resp.Header.Set("Retry-After", strconv.Itoa(retry))
	return resp
}

// respondV2 answers a request under /api/v2 through the same layers as v1 (authentication,
// injected errors, the shared rate limiter) with v2's error bodies, and an X-Request-Id on
// every response.
func (s *API) Respond(r *http.Request, plan httpx.Injected) (httpx.Response, string) {
	requestID := newRequestID()
	resp, op := s.respondInner(r, plan, requestID)
	resp.Header.Set("X-Request-Id", requestID)
	return resp, op
}

func (s *API) respondInner(r *http.Request, plan httpx.Injected, requestID string) (httpx.Response, string) {
	team, authErr := s.front.Authenticate(r)
	if authErr != nil {
		resp := v2ErrorResponse(v2Errorf(http.StatusUnauthorized, "unauthorized", nil, "%s", authErr.Message), requestID)
		resp.Header.Set("WWW-Authenticate", `Bearer realm="inbox"`)
		return resp, ""
	}
	route, params, allowed, routeErr := s.match(r)
	if plan.Status != 0 {
		s.front.Counter.InjectedError()
		e := v2Errorf(http.StatusInternalServerError, "internal", nil, "the Inbox API failed; retry with backoff")
		if route != nil && route.platform {
			switch plan.Status {
			case http.StatusBadGateway:
				e = v2Errorf(plan.Status, "platformError", nil, "the platform answered with an error; retry with backoff")
			case http.StatusServiceUnavailable:
				e = v2Errorf(plan.Status, "platformUnavailable", map[string]*int{"retryAfterSeconds": nil}, "the platform is unavailable; retry with backoff")
			}
		}
		return v2ErrorResponse(e, requestID), ""
	}
	if plan.Burst {
		s.front.Counter.InjectedBurst()
		resp := s.v2RateLimited(s.front.Limiter.Windows[0].Limit, s.now().Add(time.Second), 1, requestID)
		resp.Header.Set("X-RateLimit-Limit", strconv.Itoa(s.front.Limiter.Windows[0].Limit))
		resp.Header.Set("X-RateLimit-Remaining", "0")
		resp.Header.Set("X-RateLimit-Reset", strconv.FormatInt(s.now().Add(time.Second).Unix(), 10))
		return resp, ""
	}
	lr := s.front.Limiter.Take(team)
	var resp httpx.Response
	op := ""
	switch {
	case !lr.Allowed:
		s.front.Counter.RateLimited()
		resp = s.v2RateLimited(lr.Limit, lr.Reset, max(1, int(math.Ceil(lr.RetryAfter.Seconds()))), requestID)
	case routeErr != nil:
		resp = v2ErrorResponse(routeErr, requestID)
		if len(allowed) > 0 {
			resp.Header.Set("Allow", strings.Join(allowed, ", "))
		}
	default:
		resp, op = s.v2Dispatch(r, team, route, params, requestID)
	}
	if !s.front.Limiter.Disabled {
		resp.Header.Set("X-RateLimit-Limit", strconv.Itoa(lr.Limit))
		resp.Header.Set("X-RateLimit-Remaining", strconv.Itoa(lr.Remaining))
		resp.Header.Set("X-RateLimit-Reset", strconv.FormatInt(int64(math.Ceil(float64(lr.Reset.UnixMilli())/1000)), 10))
	}
	return resp, op
}

func (s *API) v2Dispatch(r *http.Request, team string, route *v2Route, params map[string]string, requestID string) (httpx.Response, string) {
	if e := checkParams(params); e != nil {
		return v2ErrorResponse(e, requestID), ""
	}
	_, token, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	c := &v2Call{ctx: r.Context(), r: r, sim: s, team: team, token: strings.TrimSpace(token), requestID: requestID, params: params}
	res, err := route.h(c)
	if err != nil {
		e := asV2Error(err)
		if e.Status >= 500 && e.Code == "internal" {
			s.log.Error("request failed", "op", route.op, "err", err)
		}
		return v2ErrorResponse(e, requestID), route.op
	}
	resp := httpx.Response{Status: res.status, Header: res.header, Body: res.raw}
	if resp.Header == nil {
		resp.Header = http.Header{}
	}
	if res.raw == nil && res.status != http.StatusNoContent {
		resp.Body = httpx.JSONBody(res.body)
	}
	return resp, route.op
}
