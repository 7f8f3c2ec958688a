package main

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
	v1 "github.com/inbox-mcp/inbox-mcp/apiclient/v1"
	v2 "github.com/inbox-mcp/inbox-mcp/apiclient/v2"
	"github.com/inbox-mcp/inbox-mcp/inbox"
	"github.com/inbox-mcp/inbox-mcp/tools"
)

// The Inbox API versions the server speaks, and "auto": ask the API which it serves.
const (
	apiV1   = "v1"
	apiV2   = "v2"
	apiAuto = "auto"
)

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
		return apiRoot{}, fmt.Errorf("--api-url %q is not an http(s) URL: give the Inbox host, e.g. %s (or %s/api/v2 for one version)", raw, defaultAPIURL, defaultAPIURL)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return apiRoot{}, fmt.Errorf("--api-url %q has a query or fragment: give the host, e.g. %s", raw, defaultAPIURL)
	}
	path := strings.TrimRight(u.Path, "/")
	r := apiRoot{}
	for _, v := range []string{apiV1, apiV2} {
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
	case "", apiAuto:
		switch {
		case demo:
			// The simulator serves both; the current version is the default.
			return apiV2, nil
		case root.version != "":
			return root.version, nil
		}
		return "", nil
	case apiV1, apiV2:
		if !demo && root.version != "" && root.version != v {
			return "", fmt.Errorf("--api-version %s contradicts --api-url, which ends in /api/%s: drop the path from --api-url (the version's is added), or use --api-version %s", v, root.version, root.version)
		}
		return v, nil
	}
	return "", fmt.Errorf("--api-version %q is not known: use v2 (the current Inbox API), v1 (reported to stop answering on 2026-12-03) or auto (ask the API at start)", flagValue)
}

// newBackend builds the backend of an API version on a transport configured by cc, whose
// BaseURL is that version's root.
func newBackend(version string, cc apiclient.Config) (inbox.Backend, *apiclient.Client, error) {
	c, err := apiclient.New(cc)
	if err != nil {
		return nil, nil, err
	}
	if version == apiV2 {
		return v2.NewBackend(v2.New(c, v2.Options{})), c, nil
	}
	return v1.NewBackend(v1.New(c)), c, nil
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
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.root.url(apiV2)+"/platforms", nil)
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
		p.version = apiV1
	case resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests:
		return "", fmt.Errorf("%w: GET /api/v2/platforms answered %d", errNoAnswer, resp.StatusCode)
	case resp.StatusCode >= 300 && resp.StatusCode < 400:
		return "", fmt.Errorf("%w: GET /api/v2/platforms redirects (%d): check --api-url", errNoAnswer, resp.StatusCode)
	default:
		p.version = apiV2
	}
	return p.version, nil
}

// undetected is the tool error of a request that needs the version while the API could
// not be asked.
func undetected(err error) error {
	return tools.NoBackend("Could not find out which Inbox API version the server at --api-url speaks (" + err.Error() +
		"). Try again in a moment; the operator can skip the check with --api-version v2 (or v1).")
}

// autoSource serves the requests of the process's key from the backend of the version the
// API turns out to speak, found on first need (the start-up check usually has by then).
type autoSource struct {
	probe *versionProbe
	token string
	build func(version string) (inbox.Backend, error)

	mu sync.Mutex
	b  inbox.Backend
}

// Backend returns the backend, deciding the version first when it is not yet known.
func (s *autoSource) Backend(ctx context.Context) (inbox.Backend, string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.b != nil {
		return s.b, "static", nil
	}
	v, err := s.probe.detect(ctx, s.token)
	if err != nil {
		return nil, "", undetected(err)
	}
	b, err := s.build(v)
	if err != nil {
		return nil, "", err
	}
	s.b = b
	return b, "static", nil
}
