// Package inboxmcp is the root of the inbox-mcp module: an MCP server that lets an AI
// assistant work a sales team's Inbox (X DM threads, prospects, tags, statuses) through the
// Inbox API. The binary lives in cmd/inbox-mcp; the simulator of the API in inboxsim.
package inboxmcp
