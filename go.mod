module github.com/inbox-mcp/inbox-mcp

go 1.26.8
