package inboxsim

import (
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/store"
)

// v1Service serves the Inbox API v1 over the store.
type v1Service struct {
	store  *store.Store
	log    *slog.Logger
	now    func() time.Time
	front  *front
	reply  func(team string, m store.Message)
	router *router
}

// newV1Service builds the v1 API; reply is told of each message sent, for simulated replies.
func newV1Service(st *store.Store, log *slog.Logger, fr *front, reply func(team string, m store.Message)) *v1Service {
	a := &v1Service{store: st, log: log, now: fr.now, front: fr, reply: reply}
	a.router = newV1Router(a)
	return a
}

// respond builds the response and names the operation that processed the request ("" when
// none did: auth failure, injected error, rate limit, unknown route).
func (s *v1Service) respond(r *http.Request, plan injected) (response, string) {
	path := r.URL.Path
	if path != apiPrefix && !strings.HasPrefix(path, apiPrefix+"/") {
		return errorResponse(errorf(http.StatusNotFound, CodeNotFound, "no such endpoint %s; the Inbox API v1 is served under %s", path, apiPrefix)), ""
	}
	team, authErr := s.front.authenticate(r)
	if authErr != nil {
		resp := errorResponse(authErr)
		resp.header.Set("WWW-Authenticate", `Bearer realm="inbox"`)
		return resp, ""
	}
	if plan.status != 0 {
		s.front.counter.injectedError()
		code := map[int]string{500: CodeInternal, 502: CodeBadGateway, 503: CodeUnavailable}[plan.status]
		return errorResponse(errorf(plan.status, code, "the Inbox API is temporarily unavailable; retry with backoff")), ""
	}
	if plan.burst {
		s.front.counter.injectedBurst()
		resp := errorResponse(errorf(http.StatusTooManyRequests, CodeRateLimited, rateLimitedMessageFmt, 1))
		resp.header.Set("Retry-After", "1")
		resp.header.Set("X-RateLimit-Limit", strconv.Itoa(s.front.limiter.windows[0].limit))
		resp.header.Set("X-RateLimit-Remaining", "0")
		resp.header.Set("X-RateLimit-Reset", strconv.FormatInt(s.front.now().Add(time.Second).Unix(), 10))
		return resp, ""
	}
	lr := s.front.limiter.take(team)
	var resp response
	op := ""
	if !lr.allowed {
		s.front.counter.rateLimited()
		secs := int(math.Ceil(lr.retryAfter.Seconds()))
		secs = max(secs, 1)
		resp = errorResponse(errorf(http.StatusTooManyRequests, CodeRateLimited, rateLimitedMessageFmt, secs))
		resp.header.Set("Retry-After", strconv.Itoa(secs))
	} else {
		resp, op = s.router.dispatch(r, team, strings.TrimPrefix(path, apiPrefix))
	}
	if !s.front.limiter.disabled {
		resp.header.Set("X-RateLimit-Limit", strconv.Itoa(lr.limit))
		resp.header.Set("X-RateLimit-Remaining", strconv.Itoa(lr.remaining))
		resp.header.Set("X-RateLimit-Reset", strconv.FormatInt(int64(math.Ceil(float64(lr.reset.UnixMilli())/1000)), 10))
	}
	return resp, op
}
