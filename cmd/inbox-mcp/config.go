package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net"
	"os"
	"strconv"
	"strings"

	inboxserver "github.com/inbox-mcp/inbox-mcp/internal/server"
	"github.com/inbox-mcp/inbox-mcp/tools"
)

// envPrefix is the one prefix of every environment variable the server reads.
const envPrefix = "INBOX_"

// Defaults of the flags that have one.
const (
	defaultAddr      = "127.0.0.1:8080"
	defaultRateLimit = 300 // the documented per-team limit, requests per minute
	// defaultRateReserve is the percentage of the team's rate-limit window left to the
	// team's other tools.
	defaultRateReserve = 20
)

// Transports the server speaks.
const (
	transportStdio = "stdio"
	transportHTTP  = "http"
)

// config is everything the server needs to start, read from flags with environment
// fallbacks and checked by validate before anything is started.
type config struct {
	apiKey     string // from INBOX_API_KEY or the file; never printed
	apiKeyFile string
	apiURL     string
	apiURLFrom string // the flag or variable that set apiURL; "" when it is the default
	apiVersion string // v1, v2 or auto ("" is auto)
	demo       bool
	dbPath     string
	transport  string
	addr       string
	readOnly   bool
	logLevel   slog.Level
	logFormat  string
	rateLimit  int
	// rateReserve is the share (0 to 0.9) of the team's rate-limit window left to the
	// team's other tools.
	rateReserve float64
	// warnings are logged at start: settings that work but put something at risk.
	warnings []string

	// The tools offered, and how sends are confirmed.
	toolsets, tools, excludeTools []string
	confirmSends                  tools.ConfirmPolicy

	// HTTP mode: the bearer token of the MCP endpoint itself (from INBOX_MCP_TOKEN or the
	// file; never printed), listening beyond loopback without one, extra browser origins.
	mcpToken       string
	mcpTokenFile   string
	allowRemote    bool
	allowedOrigins []string

	showVersion bool
	// apiKeyFromEnv records where the key came from, for the start-up log line.
	apiKeyFromEnv bool
}

// usageText heads the --help output.
const usageText = `inbox-mcp: an MCP server that lets an AI assistant work your team's Inbox
(X DM threads, prospects, tags and statuses).

Usage:
  inbox-mcp --demo                          try it on the built-in simulator
  INBOX_API_KEY=... inbox-mcp               your team's Inbox over stdio
  inbox-mcp --api-key-file ~/.inbox-key     the key read from a file
  inbox-mcp --transport http --addr 127.0.0.1:8080
                                            streamable HTTP on /mcp; without a key,
                                            each request brings its own
                                            "Authorization: Bearer <Inbox API key>"

Every flag can also be set in the environment: --log-level is INBOX_LOG_LEVEL, and so on.
A flag given on the command line wins over the environment.

The API key is never taken on the command line (other users of the machine can read
command lines): set INBOX_API_KEY or point --api-key-file at a file holding it. The same
goes for the HTTP endpoint's own token: INBOX_MCP_TOKEN or --mcp-token-file.

Flags:
`

// flagEnv names the environment variable behind each flag.
func flagEnv(name string) string {
	return envPrefix + strings.ToUpper(strings.ReplaceAll(name, "-", "_"))
}

// parseConfig reads the command line args (without the program name), filling what is not
// given from the environment through getenv, and validates the result. Usage and flag errors
// are written to usage. It returns flag.ErrHelp after printing help.
func parseConfig(args []string, getenv func(string) string, usage io.Writer) (config, error) {
	if err := rejectKeyOnCommandLine(args); err != nil {
		return config{}, err
	}
	var c config
	var logLevel, rateLimit, rateReserve, toolsets, toolNames, exclude, confirm, origins string
	fs := flag.NewFlagSet("inbox-mcp", flag.ContinueOnError)
	fs.SetOutput(usage)
	fs.StringVar(&c.apiKeyFile, "api-key-file", "", "read the Inbox API key from this `file` (env "+flagEnv("api-key-file")+"; or set "+envPrefix+"API_KEY)")
	fs.StringVar(&c.apiURL, "api-url", inboxserver.DefaultAPIURL, "Inbox host `URL`; /api/<version> is added, unless the URL ends in /api/v1 or /api/v2 (env "+flagEnv("api-url")+")")
	fs.StringVar(&c.apiVersion, "api-version", inboxserver.APIAuto, "Inbox API `version`: v2, v1 (reported to stop answering on 2026-12-03) or auto (ask the API at start; with --demo, v2) (env "+flagEnv("api-version")+")")
	fs.Var(boolValue{&c.demo}, "demo", "run on the built-in Inbox simulator with sample data; no key needed (env "+flagEnv("demo")+")")
	fs.StringVar(&c.dbPath, "db", "", "with --demo: keep the simulator's data in this SQLite `file` across runs (env "+flagEnv("db")+"; default in memory)")
	fs.StringVar(&c.transport, "transport", transportStdio, "`mode`: stdio or http (env "+flagEnv("transport")+")")
	fs.StringVar(&c.addr, "addr", defaultAddr, "with --transport http: listen on this `host:port` (env "+flagEnv("addr")+")")
	fs.Var(boolValue{&c.readOnly}, "read-only", "offer only tools that change nothing: no sends, no edits (env "+flagEnv("read-only")+")")
	fs.StringVar(&logLevel, "log-level", "info", "`level`: debug, info, warn or error (env "+flagEnv("log-level")+")")
	fs.StringVar(&c.logFormat, "log-format", "text", "`format` of the logs on stderr: text or json (env "+flagEnv("log-format")+")")
	fs.StringVar(&rateLimit, "rate-limit", strconv.Itoa(defaultRateLimit), "client-side budget of Inbox API `requests` per minute (env "+flagEnv("rate-limit")+")")
	fs.StringVar(&rateReserve, "rate-reserve", strconv.Itoa(defaultRateReserve)+"%", "`percentage` of the team's API rate-limit window left to the team's other tools: requests slow down near it and never spend it (env "+flagEnv("rate-reserve")+")")
	fs.StringVar(&toolsets, "toolsets", "", "offer only these comma-separated `toolsets`: "+strings.Join(tools.ToolsetNames(), ", ")+" (env "+flagEnv("toolsets")+"; default all)")
	fs.StringVar(&toolNames, "tools", "", "offer these comma-separated `tools` (with --toolsets: as well) (env "+flagEnv("tools")+")")
	fs.StringVar(&exclude, "exclude-tools", "", "leave out these comma-separated `tools` (env "+flagEnv("exclude-tools")+")")
	fs.StringVar(&confirm, "confirm-sends", string(tools.ConfirmAuto), "how the person confirms sends, changes to sent messages (edits, unsends, reactions) and bulk changes of over 25 prospects: auto (in the client where it can ask, else a confirm_token), elicit, token or off; `mode` (env "+flagEnv("confirm-sends")+")")
	fs.StringVar(&c.mcpTokenFile, "mcp-token-file", "", "with --transport http: require \"Authorization: Bearer <token>\" on /mcp, the token read from this `file` (env "+flagEnv("mcp-token-file")+"; or set "+envPrefix+"MCP_TOKEN)")
	fs.Var(boolValue{&c.allowRemote}, "allow-remote", "with --transport http: allow an --addr beyond loopback without an MCP token (behind an authenticating proxy) (env "+flagEnv("allow-remote")+")")
	fs.StringVar(&origins, "allowed-origins", "", "with --transport http: browser `origins` allowed besides loopback ones, comma-separated, e.g. https://app.example.com (env "+flagEnv("allowed-origins")+")")
	fs.Var(boolValue{&c.showVersion}, "version", "print the version and exit")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usageText)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return config{}, err
	}
	if fs.NArg() > 0 {
		return config{}, fmt.Errorf("unexpected argument %q: inbox-mcp takes only flags (see --help)", fs.Arg(0))
	}
	if c.showVersion {
		return c, nil
	}

	// Fill every flag that was not given from its environment variable.
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	var envErr error
	fs.VisitAll(func(f *flag.Flag) {
		if given[f.Name] || f.Name == "version" || envErr != nil {
			return
		}
		if v := getenv(flagEnv(f.Name)); v != "" {
			if err := f.Value.Set(v); err != nil {
				envErr = fmt.Errorf("%s=%q is invalid: %v", flagEnv(f.Name), v, err)
			}
		}
	})
	if envErr != nil {
		return config{}, envErr
	}
	switch {
	case given["api-url"]:
		c.apiURLFrom = "--api-url"
	case getenv(flagEnv("api-url")) != "":
		c.apiURLFrom = flagEnv("api-url")
	}

	var err error
	if c.logLevel, err = parseLevel(logLevel); err != nil {
		return config{}, err
	}
	if c.rateLimit, err = strconv.Atoi(strings.TrimSpace(rateLimit)); err != nil {
		return config{}, fmt.Errorf("--rate-limit %q is not a number: give requests per minute, e.g. --rate-limit %d", rateLimit, defaultRateLimit)
	}
	if c.rateReserve, err = parsePercent(rateReserve); err != nil {
		return config{}, fmt.Errorf("--rate-reserve %q is not a percentage: give the share of the API budget to leave to the team's other tools, e.g. --rate-reserve %d%%", rateReserve, defaultRateReserve)
	}
	c.toolsets, c.tools, c.excludeTools, c.allowedOrigins = commaList(toolsets), commaList(toolNames), commaList(exclude), commaList(origins)
	if c.confirmSends, err = tools.ParseConfirmPolicy(confirm); err != nil {
		return config{}, fmt.Errorf("--confirm-sends: %v", err)
	}
	if err := c.loadKey(getenv); err != nil {
		return config{}, err
	}
	if err := c.loadMCPToken(getenv); err != nil {
		return config{}, err
	}
	return c, c.validate()
}

// parsePercent reads a percentage, "20" or "20%", as a share (0.2).
func parsePercent(s string) (float64, error) {
	v, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(s), "%"), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, errors.New("not a number")
	}
	return v / 100, nil
}

// commaList splits a comma-separated flag value, dropping blanks.
func commaList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// selection is the tool choice of the flags.
func (c *config) selection() tools.Selection {
	return tools.Selection{Toolsets: c.toolsets, Tools: c.tools, Exclude: c.excludeTools, ReadOnly: c.readOnly}
}

// rejectKeyOnCommandLine turns a key given as a flag into advice instead of the flag
// package's bare "flag provided but not defined".
func rejectKeyOnCommandLine(args []string) error {
	for _, a := range args {
		if a == "--" {
			return nil
		}
		name := strings.TrimLeft(a, "-")
		name, _, _ = strings.Cut(name, "=")
		if strings.HasPrefix(a, "-") && (name == "api-key" || name == "token" || name == "key") {
			return fmt.Errorf("-%s is not accepted: a key on the command line is visible to every user of the machine; set %sAPI_KEY in the environment or use --api-key-file FILE", name, envPrefix)
		}
		if strings.HasPrefix(a, "-") && name == "mcp-token" {
			return fmt.Errorf("-%s is not accepted: a token on the command line is visible to every user of the machine; set %sMCP_TOKEN in the environment or use --mcp-token-file FILE", name, envPrefix)
		}
	}
	return nil
}

// loadKey takes the key from --api-key-file when given, else from INBOX_API_KEY.
func (c *config) loadKey(getenv func(string) string) error {
	if c.apiKeyFile != "" {
		b, err := os.ReadFile(c.apiKeyFile)
		if err != nil {
			return fmt.Errorf("--api-key-file: cannot read the key: %v: check the path, or set %sAPI_KEY instead", err, envPrefix)
		}
		c.apiKey = strings.TrimSpace(string(b))
		c.warnReadableByOthers("--api-key-file", c.apiKeyFile)
		if c.apiKey == "" {
			return fmt.Errorf("--api-key-file %s is empty: put the Inbox API key (Inbox: Settings > API) in it", c.apiKeyFile)
		}
		return nil
	}
	c.apiKey = strings.TrimSpace(getenv(envPrefix + "API_KEY"))
	c.apiKeyFromEnv = c.apiKey != ""
	return nil
}

// validate checks the combination of settings and says what to change.
func (c *config) validate() error {
	switch c.transport {
	case transportStdio, transportHTTP:
	default:
		return fmt.Errorf("--transport %q is not known: use stdio (for Claude Desktop, Claude Code, Cursor, VS Code) or http (streamable HTTP on /mcp)", c.transport)
	}
	if c.transport == transportHTTP {
		_, port, err := net.SplitHostPort(c.addr)
		if err != nil {
			return fmt.Errorf("--addr %q is not host:port: use e.g. %s", c.addr, defaultAddr)
		}
		if p, err := strconv.Atoi(port); err != nil || p < 0 || p > 65535 {
			return fmt.Errorf("--addr %q has no valid port: use a number from 0 to 65535, e.g. %s", c.addr, defaultAddr)
		}
	}
	if err := c.validateHTTP(); err != nil {
		return err
	}
	// The tools are built (not served) to check the choice against their read-only hints.
	if _, err := tools.Select(tools.All(&tools.Env{}), c.selection()); err != nil {
		return fmt.Errorf("--toolsets / --tools / --exclude-tools: %v", err)
	}
	switch c.logFormat {
	case "text", "json":
	default:
		return fmt.Errorf("--log-format %q is not known: use text or json", c.logFormat)
	}
	if c.rateLimit < 1 || c.rateLimit > 100000 {
		return fmt.Errorf("--rate-limit %d is out of range: give requests per minute from 1 to 100000 (the Inbox API allows %d per team)", c.rateLimit, defaultRateLimit)
	}
	if c.rateReserve < 0 || c.rateReserve > 0.9 {
		return fmt.Errorf("--rate-reserve %g%% is out of range: give a percentage from 0 to 90 (default %d%%)", c.rateReserve*100, defaultRateReserve)
	}
	if c.dbPath != "" && !c.demo {
		return errors.New("--db only applies to the simulator: add --demo, or drop --db")
	}
	if c.demo && c.apiURLFrom != "" {
		// The simulator is the API in demo mode: an address given as well would be silently
		// ignored, and the person would believe they were working on the real Inbox.
		return fmt.Errorf("%s does not apply with --demo (the built-in simulator is the API): drop %s, or drop --demo to use that API", c.apiURLFrom, c.apiURLFrom)
	}
	if err := inboxserver.CheckAPI(c.apiURL, c.apiVersion, c.demo); err != nil || c.demo {
		return err
	}
	if err := validateKey(c.apiKey); err != nil {
		return err
	}
	if c.apiKey == "" && c.transport == transportStdio {
		return fmt.Errorf("no Inbox API key: set %sAPI_KEY (create a key in Inbox: Settings > API) or use --api-key-file FILE; to try inbox-mcp without an account, run it with --demo", envPrefix)
	}
	return nil
}

// validateKey catches a key pasted with its header or line breaks; it never quotes the key.
func validateKey(key string) error {
	if strings.HasPrefix(strings.ToLower(key), "bearer ") {
		return fmt.Errorf("the Inbox API key starts with \"Bearer \": give the key alone in %sAPI_KEY or the key file", envPrefix)
	}
	if strings.ContainsFunc(key, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		return fmt.Errorf("the Inbox API key contains spaces or control characters: give the key alone in %sAPI_KEY or the key file, on one line", envPrefix)
	}
	return nil
}

// parseLevel reads a log level name.
func parseLevel(s string) (slog.Level, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "debug":
		return slog.LevelDebug, nil
	case "info", "":
		return slog.LevelInfo, nil
	case "warn", "warning":
		return slog.LevelWarn, nil
	case "error":
		return slog.LevelError, nil
	}
	return 0, fmt.Errorf("--log-level %q is not known: use debug, info, warn or error", s)
}

// boolValue is a boolean flag whose refusal names the accepted values (the flag package's
// own says only "parse error", and the environment variables take the same values).
type boolValue struct{ p *bool }

func (b boolValue) String() string {
	if b.p == nil || !*b.p {
		return "false"
	}
	return "true"
}

// Set accepts what strconv.ParseBool accepts.
func (b boolValue) Set(s string) error {
	v, err := strconv.ParseBool(strings.TrimSpace(s))
	if err != nil {
		return errors.New("use true or false (or 1 or 0)")
	}
	*b.p = v
	return nil
}

// IsBoolFlag lets the flag be given without a value (--demo).
func (boolValue) IsBoolFlag() bool { return true }

// warnReadableByOthers adds a warning when a secret's file can be read by other users of the
// machine: it still works, but the key is only as safe as the file.
func (c *config) warnReadableByOthers(flagName, path string) {
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm()&0o077 == 0 {
		return
	}
	c.warnings = append(c.warnings, fmt.Sprintf("%s %s can be read by other users of this machine (mode %04o): make it private with chmod 600 %s", flagName, path, fi.Mode().Perm(), path))
}
