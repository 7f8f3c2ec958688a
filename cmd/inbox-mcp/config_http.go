package main

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"strings"
)

// minMCPTokenLen is the shortest MCP endpoint token accepted: a guessable token on an open
// port is no protection.
const minMCPTokenLen = 16

// loadMCPToken takes the HTTP endpoint's own bearer token from --mcp-token-file when given,
// else from INBOX_MCP_TOKEN.
func (c *config) loadMCPToken(getenv func(string) string) error {
	if c.mcpTokenFile != "" {
		b, err := os.ReadFile(c.mcpTokenFile)
		if err != nil {
			return fmt.Errorf("--mcp-token-file: cannot read the token: %v: check the path, or set %sMCP_TOKEN instead", err, envPrefix)
		}
		c.mcpToken = strings.TrimSpace(string(b))
		c.warnReadableByOthers("--mcp-token-file", c.mcpTokenFile)
		if c.mcpToken == "" {
			return fmt.Errorf("--mcp-token-file %s is empty: put a long random token in it (e.g. openssl rand -hex 32 > %s)", c.mcpTokenFile, c.mcpTokenFile)
		}
	} else {
		c.mcpToken = strings.TrimSpace(getenv(envPrefix + "MCP_TOKEN"))
	}
	if c.mcpToken == "" {
		return nil
	}
	if len(c.mcpToken) < minMCPTokenLen {
		return fmt.Errorf("the MCP token is shorter than %d characters: use a long random one, e.g. openssl rand -hex 32", minMCPTokenLen)
	}
	if strings.ContainsFunc(c.mcpToken, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		return fmt.Errorf("the MCP token contains spaces or control characters: give the token alone, on one line")
	}
	return nil
}

// validateHTTP checks the HTTP-only settings: they are refused on stdio (where they would
// protect nothing, silently), and an address beyond loopback needs a token or an explicit
// --allow-remote.
func (c *config) validateHTTP() error {
	if c.transport != transportHTTP {
		switch {
		case c.mcpToken != "":
			return fmt.Errorf("an MCP token (%sMCP_TOKEN or --mcp-token-file) only applies with --transport http: unset it, or add --transport http", envPrefix)
		case c.allowRemote:
			return errors.New("--allow-remote only applies with --transport http: drop it, or add --transport http")
		case len(c.allowedOrigins) > 0:
			return errors.New("--allowed-origins only applies with --transport http: drop it, or add --transport http")
		}
		return nil
	}
	host, _, err := net.SplitHostPort(c.addr)
	if err != nil {
		return fmt.Errorf("--addr %q is not host:port: use e.g. %s", c.addr, defaultAddr)
	}
	if !isLoopback(host) && c.mcpToken == "" && !c.allowRemote {
		return fmt.Errorf("--addr %s listens beyond this machine, and the MCP endpoint has no token: set %sMCP_TOKEN (or --mcp-token-file) so that only clients with it get in, or add --allow-remote if an authenticating proxy stands in front; for this machine only, use 127.0.0.1", c.addr, envPrefix)
	}
	for _, o := range c.allowedOrigins {
		u, err := url.Parse(o)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" {
			return fmt.Errorf("--allowed-origins: %q is not an origin: give scheme and host (and port), e.g. https://app.example.com", o)
		}
	}
	return nil
}
