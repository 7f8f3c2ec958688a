// Package untrusted holds the end-to-end checks that text written by prospects — message
// text, names, bios — stays data: the simulator's seeded prompt injections are read through
// every read tool, resource and prompt, and must come out sanitized, marked untrusted and
// without changing anything. It has no code of its own; the tests are the package.
package untrusted
