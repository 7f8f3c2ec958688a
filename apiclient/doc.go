// Package apiclient is the HTTP transport shared by every version of the Inbox API client:
// authentication, a rate limiter that spends what the server's X-RateLimit-* headers allow
// down to a reserve left for the team's other tools (and lets calls a person waits for go
// before [Background] work), retries with exponential backoff and jitter, error decoding,
// send safety and cursor pagination plumbing. It knows nothing about resources; the typed v1 client lives in
// apiclient/v1 and a later API version reuses this package unchanged.
//
// Two entry points carry every request:
//
//   - [Client.Do] for requests that may be repeated (GET, PATCH, PUT, DELETE, and POSTs the
//     caller marks [Request.Idempotent]): 5xx answers and network errors are retried with
//     backoff, a 429 waits for Retry-After.
//   - [Client.Send] for requests that must never happen twice (sending a message). Only
//     failures that provably left the server untouched are retried (a 429; a connection that
//     failed before the request was written). Any ambiguous failure is settled by a caller
//     supplied read-back, and the caller learns one of three outcomes: sent, not sent or
//     unknown, each with the reason and what was checked.
//
// The API token is kept in an unexported field, sent only in the Authorization header, and
// never appears in errors, logs or the printed form of any value of this package.
package apiclient
