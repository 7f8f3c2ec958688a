// Package v1 is the typed client of the Inbox API v1: one method per operation of the
// vendor's OpenAPI document (38 in all), one file per resource family, and iterators that
// flatten the two cursor-paginated listings (threads, messages). Transport concerns (auth,
// rate limits, retries, error decoding) belong to the apiclient package underneath; every
// failed call comes back in the model's terms, an *inbox.Error of the kind its HTTP status
// says (see apiclient.ModelError).
//
// Decoding is tolerant: unknown enum values decode as their string, extra fields are
// ignored, nullable fields are pointers (nil = null), and counts accept integers written as
// floats. authorId is an opaque string. Bad arguments (an ID that is not an Inbox ID, an
// empty message) are refused before any request, with an error that says what to pass.
//
// Sends ([Client.SendMessage], [Client.QuickSend]) never repeat a message: see send.go for
// how an ambiguous failure is settled by reading the thread back.
package v1

import (
	"context"
	"fmt"
	"net/url"
	"regexp"

	"github.com/inbox-mcp/inbox-mcp/apiclient"
	"github.com/inbox-mcp/inbox-mcp/inbox"
)

// Client is the typed v1 client. It is safe for concurrent use.
type Client struct {
	c       *apiclient.Client
	claims  claimSet
	sending keyedLock
}

// New wraps a transport client whose BaseURL is the v1 root (…/api/v1).
func New(c *apiclient.Client) *Client { return &Client{c: c} }

// Transport returns the underlying transport client.
func (c *Client) Transport() *apiclient.Client { return c.c }

// idPattern is the Inbox ID format of the OpenAPI document: lowercase letters and digits.
var idPattern = regexp.MustCompile(`^[0-9a-z]+$`)

// checkID refuses a malformed Inbox ID before it reaches the API, with an error that names
// the argument and says what an ID looks like.
func checkID(what, id string) error {
	if id == "" {
		return invalidf("%s is empty: pass the Inbox ID (24 lowercase letters and digits) of the object", what)
	}
	if !idPattern.MatchString(id) {
		return invalidf("%s %q is not an Inbox ID: Inbox IDs are lowercase letters and digits only (e.g. l44e15irdq4db30i77cgphhx); X user IDs and usernames go in other fields", what, truncate(id, 40))
	}
	return nil
}

func checkIDs(what string, ids []string) error {
	for _, id := range ids {
		if err := checkID(what, id); err != nil {
			return err
		}
	}
	return nil
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// path joins escaped segments under the base URL: path("threads", id, "messages").
func path(segs ...string) string {
	n := 0
	for _, s := range segs {
		n += len(s) + 1
	}
	b := make([]byte, 0, n)
	for _, s := range segs {
		b = append(b, '/')
		b = append(b, url.PathEscape(s)...)
	}
	return string(b)
}

// do performs a request through the transport and gives its failure in the model's terms
// (see [apiclient.ModelError]): v1 errors are classified by their HTTP status.
func (c *Client) do(ctx context.Context, r apiclient.Request, out any) error {
	return apiclient.ModelError(c.c.Do(ctx, r, out), nil)
}

// get is a GET decoded into a new T.
func get[T any](ctx context.Context, c *Client, p string, q url.Values) (*T, error) {
	out := new(T)
	if err := c.do(ctx, apiclient.Request{Method: "GET", Path: p, Query: q}, out); err != nil {
		return nil, err
	}
	return out, nil
}

// call performs a repeatable write and decodes its answer into a new T.
func call[T any](ctx context.Context, c *Client, method, p string, body any) (*T, error) {
	out := new(T)
	if err := c.do(ctx, apiclient.Request{Method: method, Path: p, Body: body}, out); err != nil {
		return nil, err
	}
	return out, nil
}

// list is a GET of a bare JSON array.
func list[T any](ctx context.Context, c *Client, p string) ([]T, error) {
	var out []T
	if err := c.do(ctx, apiclient.Request{Method: "GET", Path: p}, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// argError is an argument refused before any request: inbox.ErrInvalidArgument with a text
// that says what to pass.
type argError struct{ msg string }

func (e *argError) Error() string { return e.msg }

// Is makes the error match inbox.ErrInvalidArgument.
func (e *argError) Is(target error) bool { return target == inbox.ErrInvalidArgument }

func invalid(msg string) error { return &argError{msg: msg} }

func invalidf(format string, a ...any) error { return &argError{msg: fmt.Sprintf(format, a...)} }
