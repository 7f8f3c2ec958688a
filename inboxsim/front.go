package inboxsim

import (
	"crypto/subtle"
	"net/http"
	"strings"
	"time"
)

// front is what the simulator puts in front of both API versions: the accepted tokens, the
// rate limiter they share (the limits are per team, whatever the version), the counters of
// what the front refused or injected, and the clock.
type front struct {
	tokens  map[string]string // token -> team
	limiter *rateLimiter
	counter counter
	now     func() time.Time
}

// counter counts, for Sim.Stats, the answers the front gave instead of the API.
type counter interface {
	injectedError()
	injectedBurst()
	rateLimited()
}

// injected is what the faults planned for a request that the API answers itself: an error
// status (500, 502 or 503) before any processing, or a 429 burst.
type injected struct {
	status int
	burst  bool
}

// authenticate returns the team of the request's bearer token.
func (f *front) authenticate(r *http.Request) (string, *Error) {
	h := r.Header.Get("Authorization")
	if h == "" {
		return "", errorf(http.StatusUnauthorized, CodeUnauthorized, "missing Authorization header; send Authorization: Bearer <API token> (create tokens in Inbox under Settings -> API)")
	}
	scheme, token, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
		return "", errorf(http.StatusUnauthorized, CodeUnauthorized, "malformed Authorization header; use the form: Bearer <API token>")
	}
	token = strings.TrimSpace(token)
	for t, team := range f.tokens {
		if subtle.ConstantTimeCompare([]byte(t), []byte(token)) == 1 {
			return team, nil
		}
	}
	return "", errorf(http.StatusUnauthorized, CodeUnauthorized, "invalid or missing authentication token; check the API token (it may have been revoked)")
}
