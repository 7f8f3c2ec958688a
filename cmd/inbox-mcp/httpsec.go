package main

import (
	"bytes"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	inboxserver "github.com/inbox-mcp/inbox-mcp/internal/server"
)

// httpLimits are the size limit and time-outs of the HTTP transport. A tool call may run for
// minutes (a bulk change of 1,000 prospects at the API's 300 requests a minute, reporting
// progress on the way), so a call's answer gets a long write deadline of its own (net/http
// already lifts the read deadline once a body is read); the GET notification stream has no
// write deadline and ends when its session is swept. Everything else is short.
type httpLimits struct {
	maxBody                       int64
	readHeader, read, write, idle time.Duration
	call                          time.Duration // write deadline of a POST's answer
}

// defaultHTTPLimits are the limits of the binary. The largest tool call (1,000 IDs, or a
// 10,000-character DM) is far below the body limit.
var defaultHTTPLimits = httpLimits{
	maxBody:    1 << 20,
	readHeader: 10 * time.Second,
	read:       30 * time.Second,
	write:      60 * time.Second,
	idle:       2 * time.Minute,
	call:       15 * time.Minute,
}

// maxHeaderBytes bounds a request's headers.
const maxHeaderBytes = 64 << 10

// inboxKeyHeader carries a request's own Inbox API key when the Authorization header holds
// the MCP endpoint's token (and may carry it otherwise too).
const inboxKeyHeader = inboxserver.InboxKeyHeader

// httpGuard is what every request to /mcp passes before MCP sees it: its browser origin (if
// any) must be one the server trusts, it must bring the endpoint's bearer token when one is
// set, and its body must fit maxRequestBytes.
type httpGuard struct {
	next     http.Handler
	token    [sha256.Size]byte // SHA-256 of the MCP token
	hasToken bool
	origins  map[string]bool // extra allowed origins, lower case, no trailing slash
	lim      httpLimits
	log      *slog.Logger
	// precheck answers a message in place of the server when its parameters are invalid
	// (app.Precheck); nil checks nothing.
	precheck func(msg []byte) *mcp.JSONRPCError
}

func newHTTPGuard(next http.Handler, cfg config, lim httpLimits, logger *slog.Logger) *httpGuard {
	g := &httpGuard{next: next, origins: map[string]bool{}, lim: lim, log: logger}
	if cfg.mcpToken != "" {
		g.token, g.hasToken = sha256.Sum256([]byte(cfg.mcpToken)), true
	}
	for _, o := range cfg.allowedOrigins {
		g.origins[normalizeOrigin(o)] = true
	}
	return g
}

// ServeHTTP checks the request and passes it on.
func (g *httpGuard) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if origin := r.Header.Get("Origin"); origin != "" && !g.originAllowed(origin, r.Host) {
		// A web page's request: refused whatever it carries, so that a site open in the
		// person's browser cannot drive the server.
		g.log.Warn("refused a request from a browser origin that is not allowed (add it with --allowed-origins if it is yours)", "origin", origin)
		http.Error(w, "Forbidden: origin "+origin+" is not allowed", http.StatusForbidden)
		return
	}
	if g.hasToken && !g.authorized(r) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="inbox-mcp"`)
		http.Error(w, "Unauthorized: send the MCP endpoint's token as \"Authorization: Bearer <token>\" (and an Inbox API key, if the server holds none, as \""+inboxKeyHeader+": <key>\")", http.StatusUnauthorized)
		return
	}
	rc := http.NewResponseController(w)
	switch r.Method {
	case http.MethodPost:
		body, ok := g.readBody(w, r)
		if !ok || !g.checkMessage(w, r, body) {
			return
		}
		_ = rc.SetWriteDeadline(time.Now().Add(g.lim.call))
	case http.MethodGet:
		// The notification stream stays open; idle sessions are swept.
		_ = rc.SetWriteDeadline(time.Time{})
	}
	g.next.ServeHTTP(w, r)
}

// readBody reads the whole body within the limit and hands MCP a copy; an oversized body is
// answered 413 and never reaches it.
func (g *httpGuard) readBody(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	if r.ContentLength > g.lim.maxBody {
		http.Error(w, "Request Entity Too Large: at most "+strconv.FormatInt(g.lim.maxBody, 10)+" bytes", http.StatusRequestEntityTooLarge)
		return nil, false
	}
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, g.lim.maxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			http.Error(w, "Request Entity Too Large: at most "+strconv.FormatInt(g.lim.maxBody, 10)+" bytes", http.StatusRequestEntityTooLarge)
		} else {
			http.Error(w, "Bad Request: the body could not be read", http.StatusBadRequest)
		}
		return nil, false
	}
	r.Body = io.NopCloser(bytes.NewReader(b))
	return b, true
}

// checkMessage answers, in place of MCP, a message that lacks its session header or whose
// parameters are invalid (see app.Precheck), and reports whether the message goes on.
func (g *httpGuard) checkMessage(w http.ResponseWriter, r *http.Request, body []byte) bool {
	if sessionHeaderMissing(r.Header, body) {
		// The library answers 404 "Invalid session ID", which the transport specification
		// reserves for a session that ended: a client would start over instead of fixing
		// its request.
		http.Error(w, "Bad Request: the "+server.HeaderKeySessionID+" header is missing: send the session ID the initialize response gave (or initialize first)", http.StatusBadRequest)
		return false
	}
	if g.precheck == nil {
		return true
	}
	if e := g.precheck(body); e != nil {
		b, _ := json.Marshal(e)
		w.Header().Set("Content-Type", "application/json")
		w.Write(b)
		return false
	}
	return true
}

// sessionHeaderMissing reports whether a session-era request or notification other than
// initialize comes without the Mcp-Session-Id header. Messages of protocol 2026-07-28,
// which has no sessions, and responses are left to the library.
func sessionHeaderMissing(h http.Header, body []byte) bool {
	if h.Get(server.HeaderKeySessionID) != "" || mcp.IsModernProtocol(h.Get(mcp.HeaderProtocolVersion)) {
		return false
	}
	var m struct {
		Method string `json:"method"`
		Params struct {
			Meta map[string]any `json:"_meta"`
		} `json:"params"`
	}
	if json.Unmarshal(body, &m) != nil || m.Method == "" || m.Method == string(mcp.MethodInitialize) {
		return false
	}
	v, _ := m.Params.Meta[mcp.MetaKeyProtocolVersion].(string)
	return !mcp.IsModernProtocol(v)
}

// authorized compares the request's bearer token with the endpoint's in constant time (on
// digests, so that not even the length leaks).
func (g *httpGuard) authorized(r *http.Request) bool {
	tok := bearerToken(r.Header.Get("Authorization"))
	if tok == "" {
		return false
	}
	sum := sha256.Sum256([]byte(tok))
	return subtle.ConstantTimeCompare(sum[:], g.token[:]) == 1
}

// originAllowed trusts the origins of this machine (local tools such as the MCP Inspector),
// the server's own origin (the request's Host), and those the operator listed. Loopback
// servers get mcp-go's Host check on top, which stops DNS rebinding.
func (g *httpGuard) originAllowed(origin, host string) bool {
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return false // "null" (sandboxed frames, files) and anything malformed
	}
	if isLoopback(u.Hostname()) || strings.EqualFold(u.Host, host) {
		return true
	}
	return g.origins[normalizeOrigin(origin)]
}

func normalizeOrigin(o string) string {
	return strings.TrimSuffix(strings.ToLower(strings.TrimSpace(o)), "/")
}

// inboxKey is the Inbox API key a request brings: the X-Inbox-Api-Key header, or, when the
// Authorization header is not taken by the MCP token, its bearer token.
func inboxKey(r *http.Request, mcpTokenSet bool) string {
	if k := strings.TrimSpace(r.Header.Get(inboxKeyHeader)); k != "" {
		return k
	}
	if mcpTokenSet {
		return ""
	}
	return bearerToken(r.Header.Get("Authorization"))
}

// listenLoopback reports whether the listener only accepts connections from this machine.
func listenLoopback(ln net.Listener) bool {
	host, _, _ := net.SplitHostPort(ln.Addr().String())
	return isLoopback(host)
}
