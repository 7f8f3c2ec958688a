// Package apiclient is the HTTP transport shared by every version of the Inbox API client:
// authentication, a rate limiter that spends what the server's X-RateLimit-* headers allow
// down to a reserve left for the team's other tools (and lets calls a person waits for go
// before [inbox.Background] work), one [RetryPolicy] for every retry loop (exponential
// backoff with jitter, Retry-After, a bound on attempts and on the total wait), error
// decoding, send safety and cursor pagination plumbing. It knows nothing about resources:
// the typed clients live in apiclient/v1 and apiclient/v2, which also give the transport's
// errors in the model's kinds through [ModelError], so nothing above them needs this
// package's *[Error].
//
// Two entry points carry every request:
//
//   - [Client.Do] for requests that may be repeated (GET, PATCH, PUT, DELETE, and POSTs the
//     caller marks [Request.Idempotent]): 5xx answers and network errors are retried with
//     backoff, a 429 waits for Retry-After, as the policy of [Config].Retry allows.
//   - [Client.Send] for requests that must never happen twice (sending a message). Only
//     failures that provably left the server untouched are retried (a 429; a connection that
//     failed before the request was written). Any ambiguous failure is settled by a caller
//     supplied read-back, and the caller learns one of three outcomes: sent, not sent or
//     unknown, each with the reason and what was checked.
//
// The API token is kept in an unexported field, sent only in the Authorization header, and
// never appears in errors, logs or the printed form of any value of this package.
package apiclient
