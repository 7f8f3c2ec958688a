package inboxsim

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

// V2Prefix is where the Inbox API v2 is served, next to v1's /api/v1, over the same store: a
// message sent or a tag changed through one version is seen by the other. The contract is
// api/inbox-v2.openapi.json (37 operations); where it leaves behaviour open, the choices below
// apply.
//
// # Model
//
// A v1 prospect is a v2 profile (same ID). A contact is identified by its primary profile and
// its ID derives from that profile's ID (see contactIDOf); an X prospect's contact keeps its
// CRM state (status, tags, notes, valuation) where v1 keeps it, so v1's prospect context and
// v2's contact are one record. A contact's default assignee is v2's own (v1 does not have it);
// a thread's assigneeId is its own assignee, else its contact's. Contacts' updatedAt moves
// with changes made through v2.
//
// LinkedIn is the second platform: one account link, about 20 threads per unit of scale,
// LinkedIn-only contacts with their own CRM state, and a few contacts that group an X and a
// LinkedIn profile of one person (see seedV2). It lives in tables v1 never reads, so v1 shows
// no LinkedIn account link, thread, profile or event, and the v1 data set of a seed is the
// same as before v2 existed.
//
// # Platforms, capabilities, restrictions
//
// GET /platforms lists X and LinkedIn (platformSpecs). The sales X account lacks message:edit
// (not on X Premium); the others have their platform's capabilities. A legacy (non X Chat) X
// conversation restricts message:edit, message:delete:self, message:unsend and
// thread:typing:send. X edits close 15 minutes after a message was sent
// (mutationWindowClosed). LinkedIn cannot edit, unsend or react (capabilityNotSupported).
// Typing where the platform shows no indicator, or from an account link that is not active, is
// 202 skipped with reason "disabled" (the operation documents no other refusal); one
// indicator per thread every 2.5 s, then "rateLimited".
//
// # Threads
//
// Folders as documented: inbox, requests and archived partition the threads and "all" spans
// them; v1's idle quick-peek threads are in none (readable by ID only). unread is a mark set
// and cleared by PATCH (a thread nobody marked is not unread); the seed marks some threads
// awaiting a reply. q matches display names, usernames and the latest message's text,
// ignoring case. A tag or status filter naming nothing is a 400. activity is the latest
// message, or a reaction on it made later. acceptanceState is "required" for a LinkedIn message
// request and "notRequired" otherwise; replying accepts a request, as in v1. Deleting an X
// thread is local (X cannot delete conversations through the API); a LinkedIn one is also
// deleted on the platform.
//
// # Requests and answers
//
// Several values only by repeating a key; brackets, comma-separated values, unknown keys,
// unknown body fields and a repeated single-valued key are 400 invalidRequest, whose
// details.issues name the input. Cursors are opaque (base64 of the position and a fingerprint
// of the filters): another collection's cursor, or one used with other filters, is 400
// invalidCursor; changing limit or expand between pages is allowed. Members, account links
// and contacts found by identity page by offset (they are short); threads and messages are
// keyset walks like v1's, stable while messages arrive. Tags are listed by name, statuses in
// board order, each in one page. Names match ignoring case and accents; a tag created without
// a color gets a random palette color; a team has at most 100 tags (tagLimitReached).
//
// Every answer carries X-Request-Id; errors are {code, message, details, requestId} with the
// document's codes. Paths outside the document answer 404 notFound or 405 methodNotAllowed in
// the same shape. The rate limits are v1's, per team and shared by both versions; 429
// rateLimited names the window. An injected failure (Faults.ErrorRate) is 500 internal, or
// 502 platformError / 503 platformUnavailable on the operations that reach the platform.
//
// # Sending
//
// POST /messages resolves a thread, contact or profile target (creating the thread, and for
// an unknown platform ID the profile and contact, as v1 does for X). Checks, in order:
// account link active (409 accountLinkDisconnected), message:send and message:reply,
// replyToMessageId in that thread (400), the platform's character limit (422
// contentRejected). Idempotency-Key semantics are in idempotency.go;
// Faults.SendUnconfirmedRate and Faults.SendDelay inject 502 sendUnconfirmed and a slow
// platform. A send's sentBy is the API token that made it.
//
// # Events
//
// GET /events replays the v2 log: v1's events as they happen (in v2's shape: message.created
// becomes message.sent or message.received, prospect.* becomes contact.*, prospect.created is
// not published) and the changes only v2 sees (LinkedIn, a contact's default assignee). The
// v2 sequence is its own; the events before a store first served v2 keep their numbers.
//
// Not simulated: campaign and target events, forwarded messages, rich-text format entities,
// posts shared in messages, profile:follow, WorkspaceLocked, PlanRequired (the team has
// the Advanced API add-on) and platformRateLimited; simulated replies (Options.Replies)
// answer X sends only.
const V2Prefix = "/api/v2"

// v2Service serves the Inbox API v2 over the store: its routes, the Idempotency-Keys in flight
// and the names of the accepted tokens.
type v2Service struct {
	store *store.Store
	log   *slog.Logger
	now   func() time.Time
	front *httpx.Front
	reply func(team string, m store.Message)
	// sendFaults are the faults in force for sends: the share answered sendUnconfirmed and
	// how long a send stays in flight.
	sendFaults func() (unconfirmedRate float64, delay time.Duration)
	// waitSend waits out a send's delay (see Options.Wait).
	waitSend func(r *http.Request, d time.Duration) error

	routes     []v2Route
	idem       *idempotency
	tokenNames map[string]string
}

// v2Call is one v2 request as a handler sees it.
type v2Call struct {
	ctx       context.Context
	r         *http.Request
	sim       *v2Service
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

func (st *v2Service) add(method, pattern, op string, h v2Handler) {
	st.routes = append(st.routes, v2Route{method: method, op: op, segs: strings.Split(strings.Trim(pattern, "/"), "/"), h: h})
}

func (st *v2Service) addPlatform(method, pattern, op string, h v2Handler) {
	st.add(method, pattern, op, h)
	st.routes[len(st.routes)-1].platform = true
}

// newV2State lists the 37 operations of the v2 document.
func newV2Service(st0 *store.Store, log *slog.Logger, fr *httpx.Front, reply func(team string, m store.Message), seed int64, demoToken string) *v2Service {
	st := &v2Service{store: st0, log: log, now: fr.Now, front: fr, reply: reply,
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
	st.add("GET", "/tags", "tags.list", v2ListTags)
	st.add("POST", "/tags", "tags.create", v2CreateTag)
	st.add("GET", "/tags/{tagRef}", "tags.get", v2GetTag)
	st.add("PATCH", "/tags/{tagRef}", "tags.update", v2UpdateTag)
	st.add("DELETE", "/tags/{tagRef}", "tags.delete", v2DeleteTag)
	st.add("GET", "/statuses", "statuses.list", v2ListStatuses)
	st.add("POST", "/statuses", "statuses.create", v2CreateStatus)
	st.add("GET", "/statuses/{statusRef}", "statuses.get", v2GetStatus)
	st.add("PATCH", "/statuses/{statusRef}", "statuses.update", v2UpdateStatus)
	st.add("DELETE", "/statuses/{statusRef}", "statuses.delete", v2DeleteStatus)
	st.add("GET", "/colors", "colors.list", v2ListColors)
	st.add("GET", "/events", "events.list", v2ListEvents)
	return st
}

// match finds the route of a request; the error is a 404 or 405 when there is none, and
// allowed lists the methods the path takes.
func (st *v2Service) match(r *http.Request) (route *v2Route, params map[string]string, allowed []string, e *v2Error) {
	rest := strings.TrimPrefix(r.URL.EscapedPath(), V2Prefix)
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
		Body: httpx.JSONBody(v2ErrorBody{Code: e.Code, Message: e.Message, Details: e.Details, RequestID: requestID})}
}

var limitWindowNames = []string{"minute", "hour", "day"}

type rateLimitedDetails struct {
	Window  string `json:"window"`
	Limit   int    `json:"limit"`
	ResetAt string `json:"resetAt"`
}

func (s *v2Service) v2RateLimited(limit int, reset time.Time, retry int, requestID string) httpx.Response {
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
func (s *v2Service) respond(r *http.Request, plan httpx.Injected) (httpx.Response, string) {
	requestID := newRequestID()
	resp, op := s.respondInner(r, plan, requestID)
	resp.Header.Set("X-Request-Id", requestID)
	return resp, op
}

func (s *v2Service) respondInner(r *http.Request, plan httpx.Injected, requestID string) (httpx.Response, string) {
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

func (s *v2Service) v2Dispatch(r *http.Request, team string, route *v2Route, params map[string]string, requestID string) (httpx.Response, string) {
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
