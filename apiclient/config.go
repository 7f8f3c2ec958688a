package apiclient

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Version is the inbox-mcp version sent in the default User-Agent. Release builds set it
// with -ldflags "-X github.com/inbox-mcp/inbox-mcp/apiclient.Version=1.2.3".
var Version = "dev"

// Defaults applied by [New] to zero fields of [Config].
const (
	DefaultTimeout       = 30 * time.Second
	DefaultRatePerMinute = 300
	DefaultVerifyDelay   = time.Second
	// DefaultRateReserve is the share of the team's rate-limit window the client leaves
	// to the team's other tools.
	DefaultRateReserve = 0.2
	// DefaultBackgroundShare is the share of the hour and day windows background work
	// (see [inbox.Background]) may use.
	DefaultBackgroundShare = 0.5
	// DefaultHourLimit and DefaultDayLimit are the documented team limits of the hour and
	// day windows.
	DefaultHourLimit = 10_000
	DefaultDayLimit  = 100_000
)

// Config configures a [Client]. Zero values take the documented defaults.
type Config struct {
	// BaseURL is the API root including the version, e.g. http://127.0.0.1:8787/api/v1.
	// A trailing slash is optional.
	BaseURL string
	// Token is the bearer token. It is only ever written to the Authorization header; the
	// String, GoString and LogValue forms of Config redact it.
	Token string
	// UserAgent defaults to "inbox-mcp/" + Version.
	UserAgent string
	// HTTPClient, when nil, is a client tuned for this API (dial and TLS timeouts,
	// keep-alive pool sized for concurrent tool calls). Its Timeout should be zero: the
	// per-attempt Timeout below is applied through the request context instead, so that
	// the client can tell a slow answer from a refused connection.
	HTTPClient *http.Client
	// Timeout bounds one attempt (connect, write, wait, read the body). Default 30s.
	Timeout time.Duration
	// RatePerMinute bounds the requests the Client sends in any minute, shared by every
	// call. Until the API's first answer with X-RateLimit-* headers (or with an API that
	// sends none) the client paces itself at this rate with a small burst; once the
	// headers come, requests go out as fast as the API answers while the team's window
	// stays above RateReserve. Default 300 (the documented team limit); -1 turns the
	// limiter off.
	RatePerMinute int
	// RateReserve is the share of the team's rate-limit window (X-RateLimit-Limit) this
	// client leaves to the team's other tools: it slows down as X-RateLimit-Remaining
	// nears the reserve and never spends it. Zero means DefaultRateReserve (20%); a
	// negative value keeps no reserve. At most 0.9.
	RateReserve float64
	// BackgroundShare is the share of the hour and day windows (HourLimit, DayLimit)
	// that work marked with [inbox.Background] may use, counted over this client's own
	// requests of the last hour and day; background work waits when it would exceed it.
	// Zero means DefaultBackgroundShare (50%). At most 1.
	BackgroundShare float64
	// HourLimit and DayLimit are the team's hour and day limits. Zero means the
	// documented 10,000 and 100,000.
	HourLimit, DayLimit int
	// Retry is how calls repeat failed attempts: attempts, backoff, jitter, the total wait,
	// the longest Retry-After followed, and which failures are worth repeating. Zero
	// fields take the defaults of [RetryPolicy]. API v2's sends follow it too.
	Retry RetryPolicy
	// VerifyDelay is how long [Client.Send] waits before reading back a second time when
	// the connection broke after a send was written and the first read-back found
	// nothing: the server may still have been processing it. Default 1s; negative means
	// a single read-back.
	VerifyDelay time.Duration
	// Logger receives debug-level request logs (method, path, status, attempt, timing).
	// Never the token, never message text. Nil discards.
	Logger *slog.Logger
	// AttemptContext, when non-nil, derives the context of each attempt from the call's
	// context in place of context.WithTimeout(ctx, timeout), where timeout is Timeout. It
	// exists for tests that decide when an attempt times out instead of racing a wall-clock
	// timer (see package apiclienttest): an attempt counts as timed out when its context
	// ends with context.DeadlineExceeded as its cause (context.Cause) while the call's
	// context is still live. Leave it nil in production.
	AttemptContext func(ctx context.Context, timeout time.Duration) (context.Context, context.CancelFunc)
}

// String describes the configuration with the token redacted.
func (c Config) String() string {
	return fmt.Sprintf("apiclient.Config{BaseURL:%q Token:%s UserAgent:%q Timeout:%s RatePerMinute:%d Retry:{Attempts:%d BaseDelay:%s MaxDelay:%s Jitter:%v MaxWait:%s MaxRetryAfter:%s}}",
		c.BaseURL, redact(c.Token), c.UserAgent, c.Timeout, c.RatePerMinute,
		c.Retry.Attempts, c.Retry.BaseDelay, c.Retry.MaxDelay, c.Retry.Jitter, c.Retry.MaxWait, c.Retry.MaxRetryAfter)
}

// GoString is the %#v form of Config, with the token redacted.
func (c Config) GoString() string { return c.String() }

// LogValue keeps the token out of structured logs that include a Config.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("base_url", c.BaseURL),
		slog.String("token", redact(c.Token)),
		slog.Duration("timeout", c.Timeout),
		slog.Int("rate_per_minute", c.RatePerMinute),
	)
}

func redact(token string) string {
	if token == "" {
		return "(unset)"
	}
	return "[redacted]"
}

// withDefaults returns a copy of c with zero fields filled in.
func (c Config) withDefaults() Config {
	if c.UserAgent == "" {
		c.UserAgent = "inbox-mcp/" + Version
	}
	if c.Timeout <= 0 {
		c.Timeout = DefaultTimeout
	}
	if c.RatePerMinute == 0 {
		c.RatePerMinute = DefaultRatePerMinute
	}
	c.Retry = c.Retry.withDefaults()
	if c.RateReserve == 0 {
		c.RateReserve = DefaultRateReserve
	}
	if c.BackgroundShare == 0 {
		c.BackgroundShare = DefaultBackgroundShare
	}
	if c.HourLimit == 0 {
		c.HourLimit = DefaultHourLimit
	}
	if c.DayLimit == 0 {
		c.DayLimit = DefaultDayLimit
	}
	if c.VerifyDelay == 0 {
		c.VerifyDelay = DefaultVerifyDelay
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}

// validate checks what a user can get wrong. Messages never quote the token.
func (c Config) validate() (*url.URL, error) {
	if strings.TrimSpace(c.BaseURL) == "" {
		return nil, errors.New("apiclient: BaseURL is empty: set it to the API root, e.g. https://inboxapp.com/api/v1")
	}
	u, err := url.Parse(strings.TrimSpace(c.BaseURL))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("apiclient: BaseURL %q is not an absolute http(s) URL: use the form https://inboxapp.com/api/v1", c.BaseURL)
	}
	if u.User != nil {
		return nil, errors.New("apiclient: BaseURL must not carry credentials: pass the API key as Token")
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("apiclient: BaseURL %q must not have a query or fragment", u.Redacted())
	}
	if c.Token == "" {
		return nil, errors.New("apiclient: Token is empty: create an API key in Inbox (Settings > API) and pass it as Token")
	}
	if strings.ContainsFunc(c.Token, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		return nil, errors.New("apiclient: Token contains spaces or control characters: paste the API key alone, without 'Bearer ' or line breaks")
	}
	if c.RatePerMinute < -1 {
		return nil, fmt.Errorf("apiclient: RatePerMinute %d is invalid: use a positive number of requests per minute, or -1 for no client-side limit", c.RatePerMinute)
	}
	if c.RateReserve > 0.9 || c.RateReserve != c.RateReserve {
		return nil, fmt.Errorf("apiclient: RateReserve %v is invalid: give the share of the window to leave to other tools, from 0 to 0.9 (e.g. 0.2), or a negative value for none", c.RateReserve)
	}
	if c.BackgroundShare < 0 || c.BackgroundShare > 1 || c.BackgroundShare != c.BackgroundShare {
		return nil, fmt.Errorf("apiclient: BackgroundShare %v is invalid: give the share of the hour and day windows background work may use, above 0 and at most 1 (e.g. 0.5)", c.BackgroundShare)
	}
	if c.HourLimit < 0 || c.DayLimit < 0 {
		return nil, fmt.Errorf("apiclient: HourLimit %d and DayLimit %d must not be negative: give the team's limits, or 0 for the documented ones", c.HourLimit, c.DayLimit)
	}
	if j := c.Retry.Jitter; j > 1 || j != j {
		return nil, fmt.Errorf("apiclient: Retry.Jitter %v is invalid: give the random share of each backoff, at most 1 (e.g. 0.5), or a negative value for none", j)
	}
	if c.Retry.BaseDelay > 0 && c.Retry.MaxDelay > 0 && c.Retry.MaxDelay < c.Retry.BaseDelay {
		return nil, fmt.Errorf("apiclient: Retry.MaxDelay %s is shorter than Retry.BaseDelay %s: the longest backoff must be at least the first", c.Retry.MaxDelay, c.Retry.BaseDelay)
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	return u, nil
}

// newHTTPClient is the default client: bounded dial and TLS handshakes, a keep-alive pool
// large enough for the concurrent calls one MCP session makes, and no client-wide timeout
// (each attempt carries its own deadline).
func newHTTPClient() *http.Client {
	dialer := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}
	return &http.Client{
		Transport: &http.Transport{
			Proxy:                 http.ProxyFromEnvironment,
			DialContext:           dialer.DialContext,
			ForceAttemptHTTP2:     true,
			MaxIdleConns:          64,
			MaxIdleConnsPerHost:   32,
			IdleConnTimeout:       90 * time.Second,
			TLSHandshakeTimeout:   10 * time.Second,
			ExpectContinueTimeout: time.Second,
		},
		// The API never redirects (except http -> https, which a configured https
		// BaseURL avoids); following a redirect to another host would leak nothing
		// since net/http drops Authorization across hosts, but it hides mistakes.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}
