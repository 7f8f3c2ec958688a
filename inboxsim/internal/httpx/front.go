package httpx

import (
	"crypto/subtle"
	"net/http"
	"strings"
	"time"
)

// Front is what the simulator puts in front of both API versions: the accepted tokens, the
// rate limiter they share (the limits are per team, whatever the version), the counters of
// what the front refused or injected, and the clock.
type Front struct {
	Tokens  map[string]string // token -> team
	Limiter *RateLimiter
	Counter Counter
	Now     func() time.Time
}

// Counter counts, for Sim.Stats, the answers the front gave instead of the API.
type Counter interface {
	InjectedError()
	InjectedBurst()
	RateLimited()
}

// Injected is what the faults planned for a request that the API answers itself: an error
// status (500, 502 or 503) before any processing, or a 429 burst.
type Injected struct {
	Status int
	Burst  bool
}

// Authenticate returns the team of the request's bearer token.
func (f *Front) Authenticate(r *http.Request) (string, *Error) {
	h := r.Header.Get("Authorization")
	if h == "" {
		return "", Errorf(http.StatusUnauthorized, CodeUnauthorized, "missing Authorization header; send Authorization: Bearer <API token> (create tokens in Inbox under Settings -> API)")
	}
	scheme, token, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
		return "", Errorf(http.StatusUnauthorized, CodeUnauthorized, "malformed Authorization header; use the form: Bearer <API token>")
	}
	token = strings.TrimSpace(token)
	for t, team := range f.Tokens {
		if subtle.ConstantTimeCompare([]byte(t), []byte(token)) == 1 {
			return team, nil
		}
	}
	return "", Errorf(http.StatusUnauthorized, CodeUnauthorized, "invalid or missing authentication token; check the API token (it may have been revoked)")
}
