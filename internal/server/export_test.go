package server

import "context"

// What the tests of package server_test (which import internal/testenv, itself built on
// this package) need to see inside.

// APIRoot is apiRoot, read by ParseAPIRoot.
type APIRoot = apiRoot

var (
	ParseAPIRoot      = parseAPIRoot
	ResolveAPIVersion = resolveAPIVersion
	NewVersionProbe   = newVersionProbe
)

// URL is the root of API version v.
func (r apiRoot) URL(v string) string { return r.url(v) }

// Detect asks which version the host serves.
func (p *versionProbe) Detect(ctx context.Context, token string) (string, error) {
	return p.detect(ctx, token)
}
