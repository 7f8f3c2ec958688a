package v1api

import (
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/httpx"
	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/store"
)

// Prefix is where the v1 API is served.
const Prefix = "/api/v1"

// API serves the Inbox API v1 over the store.
type API struct {
	store  *store.Store
	log    *slog.Logger
	now    func() time.Time
	front  *httpx.Front
	reply  func(team string, m store.Message)
	router *router
}

// New builds the v1 API; reply is told of each message sent, for simulated replies.
func New(st *store.Store, log *slog.Logger, fr *httpx.Front, reply func(team string, m store.Message)) *API {
	a := &API{store: st, log: log, now: fr.Now, front: fr, reply: reply}
	a.router = newV1Router(a)
	return a
}

// Respond builds the response and names the operation that processed the request ("" when
// none did: auth failure, injected error, rate limit, unknown route).
func (s *API) Respond(r *http.Request, plan httpx.Injected) (httpx.Response, string) {
	path := r.URL.Path
	if path != Prefix && !strings.HasPrefix(path, Prefix+"/") {
		return errorResponse(httpx.Errorf(http.StatusNotFound, httpx.CodeNotFound, "no such endpoint %s; the Inbox API v1 is served under %s", path, Prefix)), ""
	}
	team, authErr := s.front.Authenticate(r)
	if authErr != nil {
		resp := errorResponse(authErr)
		resp.Header.Set("WWW-Authenticate", `Bearer realm="inbox"`)
		return resp, ""
	}
	if plan.Status != 0 {
		s.front.Counter.InjectedError()
		code := map[int]string{500: httpx.CodeInternal, 502: httpx.CodeBadGateway, 503: httpx.CodeUnavailable}[plan.Status]
		return errorResponse(httpx.Errorf(plan.Status, code, "the Inbox API is temporarily unavailable; retry with backoff")), ""
	}
	if plan.Burst {
		s.front.Counter.InjectedBurst()
		resp := errorResponse(httpx.Errorf(http.StatusTooManyRequests, httpx.CodeRateLimited, httpx.RateLimitedMessage, 1))
		resp.Header.Set("Retry-After", "1")
		resp.Header.Set("X-RateLimit-Limit", strconv.Itoa(s.front.Limiter.Windows[0].Limit))
		resp.Header.Set("X-RateLimit-Remaining", "0")
		resp.Header.Set("X-RateLimit-Reset", strconv.FormatInt(s.front.Now().Add(time.Second).Unix(), 10))
		return resp, ""
	}
	lr := s.front.Limiter.Take(team)
	var resp httpx.Response
	op := ""
	if !lr.Allowed {
		s.front.Counter.RateLimited()
		secs := int(math.Ceil(lr.RetryAfter.Seconds()))
		secs = max(secs, 1)
		resp = errorResponse(httpx.Errorf(http.StatusTooManyRequests, httpx.CodeRateLimited, httpx.RateLimitedMessage, secs))
		resp.Header.Set("Retry-After", strconv.Itoa(secs))
	} else {
		resp, op = s.router.dispatch(r, team, strings.TrimPrefix(path, Prefix))
	}
	if !s.front.Limiter.Disabled {
		resp.Header.Set("X-RateLimit-Limit", strconv.Itoa(lr.Limit))
		resp.Header.Set("X-RateLimit-Remaining", strconv.Itoa(lr.Remaining))
		resp.Header.Set("X-RateLimit-Reset", strconv.FormatInt(int64(math.Ceil(float64(lr.Reset.UnixMilli())/1000)), 10))
	}
	return resp, op
}
