package apiclient

import (
	"math/rand/v2"
	"net/http"
	"time"
)

// Backoff bounds: the first retry comes after about a quarter second, so a lone 5xx costs
// little, and no single wait exceeds a few seconds, so an interactive tool call stays
// responsive. MaxRetryWait bounds the sum.
const (
	backoffBase = 250 * time.Millisecond
	backoffCap  = 4 * time.Second
	// max429Attempts bounds answers of 429 in one call even when the server keeps asking
	// for very short waits.
	max429Attempts = 12
)

// backoff returns the wait before retry number n (n >= 1): exponential with "equal
// jitter" (half fixed, half random), so concurrent callers spread out but never retry
// immediately.
func backoff(n int) time.Duration {
	d := backoffBase << min(n-1, 8)
	d = min(d, backoffCap)
	half := d / 2
	return half + rand.N(half+1)
}

// idempotentMethod reports whether repeating a request with this method cannot change the
// outcome (RFC 9110 section 9.2.2, and PATCH as the Inbox API uses it: every PATCH body sets
// absolute values or adds/removes set members).
func idempotentMethod(m string) bool {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodPut, http.MethodDelete, http.MethodPatch:
		return true
	}
	return false
}
