package bench

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"sync"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// Session is an initialized MCP client, in process or over stdio, that records every
// answer a scenario receives, so that the scenario's tool calls, bytes and tokens are
// counted from what the model would really be handed.
type Session struct {
	c   *client.Client
	cmd *exec.Cmd // the server process, over stdio

	mu            sync.Mutex
	calls         int
	confirmations int
	answers       []answer
}

// Elicit is the person behind the client: they approve each confirmation the server asks
// for (a large bulk change, a send), as after reading it. Each one is counted.
func (s *Session) Elicit(context.Context, mcp.ElicitationRequest) (*mcp.ElicitationResult, error) {
	s.mu.Lock()
	s.confirmations++
	s.mu.Unlock()
	return &mcp.ElicitationResult{ElicitationResponse: mcp.ElicitationResponse{
		Action: mcp.ElicitationResponseActionAccept, Content: map[string]any{"confirm": true}}}, nil
}

// Confirmations is how many times the server asked the person to confirm.
func (s *Session) Confirmations() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.confirmations
}

// answer is one response as a client receives it.
type answer struct {
	wire       int    // bytes of the result as JSON
	text       string // what a model reads: the text content (tools/list: the tool list JSON)
	structured string // the structured content as JSON, "" when none
}

// NewInProcessSession connects an in-process MCP client to s and initializes it. Like
// the desktop clients, it can ask the person to confirm (elicitation); see Elicit.
func NewInProcessSession(ctx context.Context, s *server.MCPServer) (*Session, error) {
	sess := &Session{}
	c, err := client.NewInProcessClientWithOptions(s, client.WithElicitationHandler(sess))
	if err != nil {
		return nil, err
	}
	sess.c = c
	return start(ctx, sess)
}

// NewStdioSession starts the server binary bin with args and env (added to this process's
// environment) and connects an MCP client to it over stdio. Its stderr is discarded.
func NewStdioSession(ctx context.Context, bin string, args, env []string) (*Session, error) {
	sess := &Session{}
	spawn := func(ctx context.Context, command string, env, args []string) (*exec.Cmd, error) {
		cmd := exec.CommandContext(ctx, command, args...)
		cmd.Env = append(cmd.Environ(), env...)
		sess.cmd = cmd
		return cmd, nil
	}
	// The client starts the transport, which spawns the process.
	sess.c = client.NewClient(transport.NewStdioWithOptions(bin, env, args, transport.WithCommandFunc(spawn)),
		client.WithElicitationHandler(sess))
	s, err := start(ctx, sess)
	if err != nil {
		return nil, fmt.Errorf("start %s: %w", bin, err)
	}
	return s, nil
}

func start(ctx context.Context, s *Session) (*Session, error) {
	if err := s.c.Start(ctx); err != nil {
		s.c.Close()
		return nil, err
	}
	req := mcp.InitializeRequest{}
	req.Params.ProtocolVersion = mcp.LATEST_PROTOCOL_VERSION
	req.Params.ClientInfo = mcp.Implementation{Name: "inbox-bench", Version: "1"}
	if _, err := s.c.Initialize(ctx, req); err != nil {
		s.c.Close()
		return nil, fmt.Errorf("initialize: %w", err)
	}
	return s, nil
}

// Close disconnects the client (and, over stdio, waits for the server process to end).
func (s *Session) Close() error { return s.c.Close() }

// PID is the server process over stdio, 0 in process.
func (s *Session) PID() int {
	if s.cmd == nil || s.cmd.Process == nil {
		return 0
	}
	return s.cmd.Process.Pid
}

// ListTools asks for the tool list; its JSON counts as one answer (not a tool call): every
// conversation carries it in the model's context.
func (s *Session) ListTools(ctx context.Context) ([]mcp.Tool, error) {
	res, err := s.c.ListTools(ctx, mcp.ListToolsRequest{})
	if err != nil {
		return nil, fmt.Errorf("tools/list: %w", err)
	}
	raw, err := json.Marshal(mcp.ListToolsResult{Tools: res.Tools})
	if err != nil {
		return nil, err
	}
	s.record(answer{wire: len(raw), text: string(raw)}, false)
	return res.Tools, nil
}

// Call calls a tool and records its answer. A protocol error or an IsError result is an
// error: a scenario measures a task that succeeds.
func (s *Session) Call(ctx context.Context, tool string, args map[string]any) (*mcp.CallToolResult, error) {
	var req mcp.CallToolRequest
	req.Params.Name = tool
	req.Params.Arguments = args
	res, err := s.c.CallTool(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", tool, err)
	}
	raw, err := json.Marshal(res)
	if err != nil {
		return nil, err
	}
	a := answer{wire: len(raw), text: textOf(res)}
	if res.StructuredContent != nil {
		sc, err := json.Marshal(res.StructuredContent)
		if err != nil {
			return nil, err
		}
		a.structured = string(sc)
	}
	s.record(a, true)
	if res.IsError {
		return res, fmt.Errorf("%s answered with an error: %s", tool, a.text)
	}
	return res, nil
}

// CallInto calls a tool and decodes its structured content into out.
func (s *Session) CallInto(ctx context.Context, tool string, args map[string]any, out any) error {
	res, err := s.Call(ctx, tool, args)
	if err != nil {
		return err
	}
	if res.StructuredContent == nil {
		return errors.New(tool + " returned no structured content")
	}
	raw, err := json.Marshal(res.StructuredContent)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return fmt.Errorf("%s: decode the structured content: %w", tool, err)
	}
	return nil
}

func (s *Session) record(a answer, call bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if call {
		s.calls++
	}
	s.answers = append(s.answers, a)
}

func textOf(r *mcp.CallToolResult) string {
	var b strings.Builder
	for _, c := range r.Content {
		if tc, ok := c.(mcp.TextContent); ok {
			b.WriteString(tc.Text)
		}
	}
	return b.String()
}

// Usage is what a session's answers added up to.
type Usage struct {
	// ToolCalls counts tools/call requests (tools/list is not one).
	ToolCalls int
	// Bytes is the size of every answer as JSON.
	Bytes int
	// TextTokens counts the tokens of what a model reads: each tool result's text content,
	// and the tool list JSON.
	TextTokens int
	// StructuredTokens counts the tokens of the structured content, for clients that hand
	// the model that instead.
	StructuredTokens int
}

// Usage counts the recorded answers with tok.
func (s *Session) Usage(tok *Tokenizer) Usage {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := Usage{ToolCalls: s.calls}
	for _, a := range s.answers {
		u.Bytes += a.wire
		u.TextTokens += tok.Count(a.text)
		u.StructuredTokens += tok.Count(a.structured)
	}
	return u
}
