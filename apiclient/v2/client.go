package v2

import (
	"context"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/inbox-mcp/inbox-mcp/apiclient"
	"github.com/inbox-mcp/inbox-mcp/inbox"
)

// Client is a typed client of the Inbox API v2 over the shared transport of package
// apiclient (auth, rate limiter, retries, error decoding). It is safe for concurrent use.
type Client struct {
	t   *apiclient.Client
	opt Options
}

// Options tunes how [Client.Send] retries one logical send. A send follows the transport's
// retry policy (apiclient.Config.Retry: backoff, jitter, Retry-After, which failures are
// worth repeating); these fields bound it for a send alone. Zero fields take the defaults.
type Options struct {
	// SendAttempts bounds the requests of one logical send that end in an ambiguous
	// failure (5xx, lost connection, time-out) before the outcome is reported unknown.
	// Default: the transport's Retry.Attempts (4 unless configured).
	SendAttempts int
	// SendRetryWait bounds the total time one logical send waits between attempts,
	// including waits for an earlier attempt that is still in progress. Default: the
	// transport's Retry.MaxWait (45s unless configured).
	SendRetryWait time.Duration
	// BusyWait is the first wait after 409 sendInProgress when the answer carries no
	// Retry-After; it doubles on each further 409. Default 1s.
	BusyWait time.Duration
}

// DefaultBusyWait is the default of [Options].BusyWait.
const DefaultBusyWait = time.Second

// New returns a v2 client on the transport t, whose BaseURL must be the v2 API root (for
// example https://inboxapp.com/api/v2).
func New(t *apiclient.Client, o Options) *Client {
	if o.BusyWait <= 0 {
		o.BusyWait = DefaultBusyWait
	}
	return &Client{t: t, opt: o}
}

// Transport returns the shared transport the client sends its requests through.
func (c *Client) Transport() *apiclient.Client { return c.t }

// MaxLimit is the largest page size a v2 collection serves.
const MaxLimit = 100

// errInvalid builds the error for bad input, before any request is made: it matches
// inbox.ErrInvalidArgument, and its text says what to pass instead.
func errInvalid(msg string) error { return &argError{msg: "inbox api v2: " + msg} }

// argError is an argument refused before any request.
type argError struct{ msg string }

// Error says what was wrong with the argument.
func (e *argError) Error() string { return e.msg }

// Is makes the error match inbox.ErrInvalidArgument.
func (e *argError) Is(target error) bool { return target == inbox.ErrInvalidArgument }

// codeKinds maps the v2 error codes whose kind their HTTP status does not tell (all
// three are 422s, like a malformed request, but call for other advice).
var codeKinds = map[string]error{
	"capabilityNotSupported": inbox.ErrNotAllowed,
	"threadRestricted":       inbox.ErrNotAllowed,
	"mutationWindowClosed":   inbox.ErrTooLate,
	"messageNotModifiable":   inbox.ErrConflict,
}

// modelError gives a failed call in the model's terms (see [apiclient.ModelError]).
func modelError(err error) error { return apiclient.ModelError(err, codeKinds) }

// seg escapes one path segment (an ID, or a tag or status name).
func seg(s string) string { return url.PathEscape(s) }

// idSeg escapes an Inboxapp ID for a path, refusing an empty one with a clear error
// (an empty segment would address another route).
func idSeg(kind, id string) (string, error) {
	if id == "" {
		return "", errInvalid(kind + " is empty: pass the Inboxapp ID")
	}
	return seg(id), nil
}

func (c *Client) get(ctx context.Context, path string, q url.Values, out any) error {
	return c.call(ctx, apiclient.Request{Method: http.MethodGet, Path: path, Query: q}, out)
}

func (c *Client) do(ctx context.Context, method, path string, q url.Values, body, out any) error {
	return c.call(ctx, apiclient.Request{Method: method, Path: path, Query: q, Body: body}, out)
}

// call is every request of the client but sends: the transport's Do, with its failure in
// the model's terms.
func (c *Client) call(ctx context.Context, r apiclient.Request, out any) error {
	return modelError(c.t.Do(ctx, r, out))
}

// query builds query strings the way v2 wants them: several values repeat the key
// (?tag=a&tag=b), never brackets or commas; empty values are left out.
type query url.Values

func (q query) add(key string, vals ...string) {
	for _, v := range vals {
		if v != "" {
			url.Values(q).Add(key, v)
		}
	}
}

func (q query) page(limit int, cursor string) {
	if limit > 0 {
		url.Values(q).Set("limit", strconv.Itoa(min(limit, MaxLimit)))
	}
	q.add("cursor", cursor)
}

func (q query) values() url.Values {
	if len(q) == 0 {
		return nil
	}
	return url.Values(q)
}

// all flattens a cursor-paginated listing with apiclient.Paginate, fetching full pages.
func all[T any](ctx context.Context, max int, list func(ctx context.Context, cursor string) (Page[T], error)) iter.Seq2[T, error] {
	return apiclient.Paginate(ctx, "", func(ctx context.Context, cursor string) ([]T, string, error) {
		p, err := list(ctx, cursor)
		return p.Data, p.NextCursor, err
	}, max)
}

// Platforms lists the platforms available to the team with their capabilities and limits
// (GET /platforms). Only v2 serves it, which makes it a cheap version probe.
func (c *Client) Platforms(ctx context.Context) ([]PlatformInfo, error) {
	var out []PlatformInfo
	return out, c.get(ctx, "/platforms", nil, &out)
}

// Team returns the team the token belongs to (GET /team).
func (c *Client) Team(ctx context.Context) (Team, error) {
	var out Team
	return out, c.get(ctx, "/team", nil, &out)
}

// ListMembers returns one page of the team's members, oldest first (GET /members).
func (c *Client) ListMembers(ctx context.Context, cursor string, limit int) (Page[Member], error) {
	q := query{}
	q.page(limit, cursor)
	var out Page[Member]
	return out, c.get(ctx, "/members", q.values(), &out)
}

// AllMembers iterates over every member.
func (c *Client) AllMembers(ctx context.Context) iter.Seq2[Member, error] {
	return all(ctx, 0, func(ctx context.Context, cursor string) (Page[Member], error) {
		return c.ListMembers(ctx, cursor, MaxLimit)
	})
}

// GetMember returns one member (GET /members/{memberId}).
func (c *Client) GetMember(ctx context.Context, id string) (Member, error) {
	var out Member
	s, err := idSeg("member ID", id)
	if err != nil {
		return out, err
	}
	return out, c.get(ctx, "/members/"+s, nil, &out)
}

// AccountLinkQuery filters account links; empty fields do not filter.
type AccountLinkQuery struct {
	Platforms []string
	Statuses  []string // active | offline | paused
	Limit     int
	Cursor    string
}

// ListAccountLinks returns one page of the team's account links (GET /account-links).
func (c *Client) ListAccountLinks(ctx context.Context, p AccountLinkQuery) (Page[AccountLink], error) {
	q := query{}
	q.add("platform", p.Platforms...)
	q.add("status", p.Statuses...)
	q.page(p.Limit, p.Cursor)
	var out Page[AccountLink]
	return out, c.get(ctx, "/account-links", q.values(), &out)
}

// AllAccountLinks iterates over every account link matching p (p's cursor and limit are
// ignored).
func (c *Client) AllAccountLinks(ctx context.Context, p AccountLinkQuery) iter.Seq2[AccountLink, error] {
	return all(ctx, 0, func(ctx context.Context, cursor string) (Page[AccountLink], error) {
		p.Cursor, p.Limit = cursor, MaxLimit
		return c.ListAccountLinks(ctx, p)
	})
}

// GetAccountLink returns one account link (GET /account-links/{accountLinkId}).
func (c *Client) GetAccountLink(ctx context.Context, id string) (AccountLink, error) {
	var out AccountLink
	s, err := idSeg("account link ID", id)
	if err != nil {
		return out, err
	}
	return out, c.get(ctx, "/account-links/"+s, nil, &out)
}

// ListColors returns Inboxapp's palette for tags and statuses (GET /colors).
func (c *Client) ListColors(ctx context.Context) ([]Color, error) {
	var out []Color
	return out, c.get(ctx, "/colors", nil, &out)
}

// EventQuery selects events. AfterSeq resumes after a sequence number (nil = the oldest
// retained event); Limit is 1–1000 (0 = the API's default of 100).
type EventQuery struct {
	AfterSeq *int64
	Types    []string
	Limit    int
}

// ListEvents reads the team's event log in sequence order (GET /events). Continue from
// LastSeq while HasMore.
func (c *Client) ListEvents(ctx context.Context, p EventQuery) (EventPage, error) {
	q := query{}
	if p.AfterSeq != nil {
		if *p.AfterSeq < 0 {
			return EventPage{}, errInvalid("AfterSeq must be 0 or more")
		}
		url.Values(q).Set("afterSeq", strconv.FormatInt(*p.AfterSeq, 10))
	}
	q.add("type", p.Types...)
	if p.Limit > 0 {
		url.Values(q).Set("limit", strconv.Itoa(min(p.Limit, 1000)))
	}
	var out EventPage
	return out, c.get(ctx, "/events", q.values(), &out)
}
