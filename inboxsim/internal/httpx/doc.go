// Package httpx is what both versions of the simulated API share over HTTP: the front that
// authenticates a request and takes it through the rate limiter (the limits are per team,
// whatever the version), responses built whole before they are written (so the simulator's
// delivery faults can cut or drop them), the pool of their buffers, request bodies read and
// checked field by field, the errors of malformed requests, and the timestamp format.
//
// It knows the store's types but no API version's wire shapes: each version turns what it
// gets from here into its own answers.
package httpx
