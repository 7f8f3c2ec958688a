// Package inboxsim simulates the Inbox API v1 (the vendor's "Inbox Enterprise API") closely
// enough that clients, servers, tests and benchmarks can run against it instead of the real
// service. The contract is api/inbox-v1.openapi.json (all 38 operations) plus the reference
// notes in the project's API docs; where those leave behaviour open, the choices below apply.
//
// # Use
//
// New returns a Sim, an http.Handler serving /api/v1/... over an SQLite store (in memory, or
// a file that persists across restarts). Start runs one on a loopback listener and returns its
// base URL and token; cmd/inbox-sim runs one as a standalone server.
//
//	srv, err := inboxsim.Start(ctx, "", inboxsim.Options{})
//	// srv.URL = "http://127.0.0.1:PORT/api/v1", srv.Token = inboxsim.DemoToken
//
// The Store (Sim.Store) holds the domain operations independently of HTTP and of API
// versions; the v1_*.go files are the thin mapping between v1 JSON and the store.
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
//

package inboxsim
