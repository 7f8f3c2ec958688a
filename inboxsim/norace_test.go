//go:build !race

package inboxsim

// raceEnabled is true when the tests run with the race detector, which slows SQLite down by
// an order of magnitude; the largest data sets are then skipped.
const raceEnabled = false
