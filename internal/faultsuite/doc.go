// Package faultsuite runs the whole tool surface against the simulator while it injects
// failures (latency, 5xx, 429 bursts, dropped connections, truncated answers) and then reads
// the truth back: no crash, errors a model can act on, no send delivered twice or reported
// wrongly, no update lost or half applied. It has no code of its own; the tests are the
// package.
package faultsuite
