package inboxsim

import (
	"strings"

	"github.com/inbox-mcp/inbox-mcp/inboxsim/internal/v1api"
)

// V2URL is the v2 API base URL of the server (for example http://127.0.0.1:8787/api/v2),
// next to URL, the v1 one. Both answer over the same data.
func (s *Server) V2URL() string { return strings.TrimSuffix(s.URL, v1api.Prefix) + V2Prefix }
