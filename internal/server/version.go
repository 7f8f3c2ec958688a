package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/inbox-mcp/inbox-mcp/apiclient"
	"github.com/inbox-mcp/inbox-mcp/tools"
)

// The Inbox API versions the server speaks, and "auto": ask the API which it serves.
const (
	APIv1   = "v1"
	APIv2   = "v2"
	APIAuto = "auto"
)

// DefaultAPIURL is the Inbox host; each API version is served under it, at /api/v1 and
// /api/v2 (see apiRoot).
const DefaultAPIURL = "https://inboxapp.com"

// probeTimeout bounds the one request that tells the versions apart. It runs beside
// initialize, never before it, and only the first tool call waits for it.
const probeTimeout = 5 * time.Second

// apiRoot is --api-url read: the address the version's path goes under, and the version
// the URL names itself ("" when it names none). A URL ending in /api/v1 or /api/v2 names
// its version; any other URL (the bare host, or a proxy's path) gets /api/<version>
// appended.
type apiRoot struct {
	base    string
	version string
}

func parseAPIRoot(raw string) (apiRoot, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return apiRoot{}, fmt.Errorf("--api-url %q is not an http(s) URL: give the Inbox host, e.g. %s (or %s/api/v2 for one version)", raw, DefaultAPIURL, DefaultAPIURL)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return apiRoot{}, fmt.Errorf("--api-url %q has a query or fragment: give the host, e.g. %s", raw, DefaultAPIURL)
	}
	path := strings.TrimRight(u.Path, "/")
	r := apiRoot{}
	for _, v := range []string{APIv1, APIv2} {
		if strings.HasSuffix(path, "/api/"+v) {
			path, r.version = strings.TrimSuffix(path, "/api/"+v), v
		}
	}
	u.Path = path
	r.base = strings.TrimRight(u.String(), "/")
	return r, nil
}

// url is the root of API version v.
func (r apiRoot) url(v string) string { return r.base + "/api/" + v }

// resolveAPIVersion settles what can be settled from the configuration alone: "" when the
// API must be asked. An explicit version that contradicts the URL is an error.
func resolveAPIVersion(flagValue string, root apiRoot, demo bool) (string, error) {
	v := strings.ToLower(strings.TrimSpace(flagValue))
	switch v {
	case "", APIAuto:
		switch {
		case demo:
			// The simulator serves both; the current version is the default.
			return APIv2, nil
		case root.version != "":
			return root.version, nil
		}
		return "", nil
	case APIv1, APIv2:
		if !demo && root.version != "" && root.version != v {
			return "", fmt.Errorf("--api-version %s contradicts --api-url, which ends in /api/%s: drop the path from --api-url (the version's is added), or use --api-version %s", v, root.version, root.version)
		}
		return v, nil
	}
	return "", fmt.Errorf("--api-version %q is not known: use v2 (the current Inbox API), v1 (reported to stop answering on 2026-12-03) or auto (ask the API at start)", flagValue)
}

// versionProbe finds out which API version an Inbox host serves by asking GET
// /api/v2/platforms, which only v2 has: any answer of v2's (even a refused key) means
// v2, a 404 means the host serves v1 only. No answer settles nothing: the next caller
// asks again. Callers share one probe at a time.
type versionProbe struct {
	root apiRoot
	hc   *http.Client

	mu      sync.Mutex
	version string
}

func newVersionProbe(root apiRoot) *versionProbe {
	hc := &http.Client{
		Timeout:       probeTimeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	return &versionProbe{root: root, hc: hc}
}

// errNoAnswer is an answer that tells nothing about the version: no connection, a
// time-out or a 5xx.
var errNoAnswer = errors.New("no usable answer")

// detect returns the version the host serves, asking it with token on first use.
func (p *versionProbe) detect(ctx context.Context, token string) (string, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.version != "" {
		return p.version, nil
	}
	ctx, cancel := context.WithTimeout(ctx, probeTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.root.url(APIv2)+"/platforms", nil)
	if err != nil {
		return "", err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "inbox-mcp/"+apiclient.Version)
	resp, err := p.hc.Do(req)
	if err != nil {
		// The transport's error may quote the URL, never the token.
		return "", fmt.Errorf("%w: %v", errNoAnswer, err)
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusNotFound:
		p.version = APIv1
	case resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests:
		return "", fmt.Errorf("%w: GET /api/v2/platforms answered %d", errNoAnswer, resp.StatusCode)
	case resp.StatusCode >= 300 && resp.StatusCode < 400:
		return "", fmt.Errorf("%w: GET /api/v2/platforms redirects (%d): check --api-url", errNoAnswer, resp.StatusCode)
	default:
		p.version = APIv2
	}
	return p.version, nil
}

// undetected is the tool error of a request that needs the version while the API could
// not be asked.
func undetected(err error) error {
	return tools.NoBackend("Could not find out which Inbox API version the server at --api-url speaks (" + err.Error() +
		"). Try again in a moment; the operator can skip the check with --api-version v2 (or v1).")
}

// CheckAPI checks the API settings of a configuration (see Config.APIURL and
// Config.APIVersion) without starting anything: the binary refuses a wrong one at start.
func CheckAPI(apiURL, apiVersion string, demo bool) error {
	if demo {
		_, err := resolveAPIVersion(apiVersion, apiRoot{}, true)
		return err
	}
	root, err := parseAPIRoot(orDefault(apiURL))
	if err != nil {
		return err
	}
	_, err = resolveAPIVersion(apiVersion, root, false)
	return err
}
