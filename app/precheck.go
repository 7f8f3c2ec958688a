package app

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// Precheck answers, in place of the server, a request whose parameters are invalid in a
// way the MCP library would report with the wrong JSON-RPC code: prompts/get without a
// required argument (the library reports any refusal of a prompt handler as -32603, an
// internal error; the protocol says -32602, invalid params). It returns the error to send,
// or nil to let the server handle msg. The transports call it on every message they read.
func Precheck(s *server.MCPServer, msg []byte) *mcp.JSONRPCError {
	var req struct {
		ID     any    `json:"id"`
		Method string `json:"method"`
		Params struct {
			Name      string         `json:"name"`
			Arguments map[string]any `json:"arguments"`
		} `json:"params"`
	}
	if !bytes.Contains(msg, []byte(mcp.MethodPromptsGet)) || json.Unmarshal(msg, &req) != nil ||
		req.Method != string(mcp.MethodPromptsGet) || req.ID == nil {
		return nil
	}
	p, ok := s.ListPrompts()[req.Params.Name]
	if !ok {
		return nil // the server says which prompts exist
	}
	var missing []string
	for _, a := range p.Prompt.Arguments {
		v, _ := req.Params.Arguments[a.Name].(string)
		if a.Required && strings.TrimSpace(v) == "" {
			missing = append(missing, fmt.Sprintf("%q (%s)", a.Name, strings.TrimSuffix(a.Description, ".")))
		}
	}
	if len(missing) == 0 {
		return nil
	}
	msgText := fmt.Sprintf("prompt %s needs the argument %s: ask the person for it, then get the prompt again with it in arguments",
		p.Prompt.Name, strings.Join(missing, " and "))
	return &mcp.JSONRPCError{JSONRPC: mcp.JSONRPC_VERSION, ID: mcp.NewRequestId(req.ID),
		Error: mcp.NewJSONRPCErrorDetails(mcp.INVALID_PARAMS, msgText, nil)}
}
