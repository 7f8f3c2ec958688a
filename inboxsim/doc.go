// Package inboxsim simulates the Inbox API, v1 under /api/v1 and v2 under /api/v2 over one
// store (a send through one version shows in the other), closely enough that clients,
// servers, tests and benchmarks can run against it instead of the real service. The
// contracts are api/inbox-v1.openapi.json and api/inbox-v2.openapi.json.
//
// # Use
//
// New returns a Sim, an http.Handler serving both versions over an SQLite store (in memory,
// or a file that persists across restarts). Start runs one on a loopback listener and returns
// its base URLs and token; cmd/inbox-sim runs one as a standalone server.
//
//	srv, err := inboxsim.Start(ctx, "", inboxsim.Options{})
//	// srv.URL = "http://127.0.0.1:PORT/api/v1", srv.V2URL() = ".../api/v2",
//	// srv.Token = inboxsim.DemoToken
//
// Tests and benchmarks choose their fixtures from the seeded data through Sim.Threads and
// Sim.MessageCount, and prepare state with Sim.CreateTag and Sim.ReceiveMessage; everything
// else goes through the HTTP API, which is the contract.
//
// # Layers
//
// This package is the simulator's public face: options, faults, rate limits, the server and
// its counters. It serves a request through the layers every request meets (the injected
// latency, the version's answer, then the delivery faults: a dropped connection or a body cut
// short) and hands it by prefix to one of the packages below it, which depend only downward:
//
//	internal/store   SQLite and the domain operations, with domain errors (no HTTP)
//	internal/seed    the deterministic data set, over the store
//	internal/httpx   what both versions share over HTTP: the front (tokens, the rate limiter
//	                 shared by both, counters), whole responses, request bodies
//	internal/v1api   v1's routes, JSON shapes and error body
//	internal/v2api   v2's routes, JSON shapes, error body and Idempotency-Keys
//
// Each package's documentation holds the choices it makes where the API documents are
// silent: the store's (views, state, pagination, events) are shared by both versions.
//
// # Faults
//
// Options.Faults (or SetFaults at run time) injects, per request and optionally only for some
// methods or paths: latency plus jitter; 5xx answers before any processing (rotating 500, 502,
// 503); 429 bursts with Retry-After: 1 that do not use the real quota; a dropped connection
// after the request was fully processed (its changes are committed, the client gets no
// response); and truncated bodies (the connection closes partway, Content-Length stays full).
// Write transactions ignore the client's cancellation, so a client that gives up mid-request
// can also leave a committed change behind, as with a real server.
package inboxsim
