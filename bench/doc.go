// Package bench measures what each user task costs when an assistant works the Inbox
// through inbox-mcp: MCP tool calls, Inbox API requests, wall time, response bytes and
// tokens, and memory.
//
// A Scenario is one task a person asks for ("summarize the no-reply inbox", "tag these 500
// prospects"). Run plays it against the real server object (app.New) through a real MCP
// client, on a fresh simulator at a fixed seed and scale, with simulated API latency and
// the real rate limit on both sides of the wire, and returns a Result. The simulator can
// run in a child process (SimProcess), so that the server's memory is measured without the
// simulator's. Scenarios with Stdio set run the built inbox-mcp binary instead, over stdio,
// and ColdStart times the binary from spawn to its tools/list answer.
//
// cmd/inbox-bench runs the suite and writes the table, benchstat lines and BENCHMARKS.md;
// the micro-benchmarks of the hot paths (views, names, stdio) are go test benchmarks in
// this package.
package bench
