package tools

import (
	"context"
	"sync"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// progressKey carries a call's progress token in its context.
type progressKey struct{}

// withProgress passes the client's progress token, when it gave one, to the handler through
// the context: long calls report progress only to clients that asked for it.
func withProgress(next server.ToolHandlerFunc) server.ToolHandlerFunc {
	return func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		if m := req.Params.Meta; m != nil && m.ProgressToken != nil {
			ctx = context.WithValue(ctx, progressKey{}, m.ProgressToken)
		}
		return next(ctx, req)
	}
}

// maxProgressNotes bounds the notifications of one call: enough to move a progress bar
// smoothly, few enough never to fill the session's notification queue.
const maxProgressNotes = 50

// progress sends notifications/progress for one call. Its zero value and a call without a
// token send nothing. Safe for concurrent use; progress only ever increases.
type progress struct {
	ctx   context.Context
	srv   *server.MCPServer
	token mcp.ProgressToken

	mu   sync.Mutex
	sent float64 // last progress sent
	step float64 // least advance worth a notification
}

// newProgress returns the progress reporter of the call behind ctx, for a job of total
// units.
func newProgress(ctx context.Context, total int) *progress {
	p := &progress{ctx: ctx, token: ctx.Value(progressKey{}), srv: server.ServerFromContext(ctx), sent: -1}
	p.resize(total)
	return p
}

// resize sets the job's size, when it becomes known.
func (p *progress) resize(total int) {
	p.mu.Lock()
	p.step = max(1, float64(total)/maxProgressNotes)
	p.mu.Unlock()
}

// report says done of total units are finished; msg says what is going on. It sends only
// when the advance since the last notification is worth one, or the job is complete.
func (p *progress) report(done, total int, msg string) {
	if p == nil || p.token == nil || p.srv == nil {
		return
	}
	p.mu.Lock()
	d := float64(done)
	if d <= p.sent || (d-p.sent < p.step && done < total) {
		p.mu.Unlock()
		return
	}
	p.sent = d
	// Sent under the lock (the send never blocks), so notifications leave in order.
	defer p.mu.Unlock()
	params := map[string]any{"progressToken": p.token, "progress": done, "message": msg}
	if total > 0 {
		params["total"] = total
	}
	// A client that went away cannot be told; the work itself goes on and reports at the end.
	_ = p.srv.SendNotificationToClient(p.ctx, "notifications/progress", params)
}
