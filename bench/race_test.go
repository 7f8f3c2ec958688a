//go:build race

package bench

// raceEnabled is true under the race detector, which slows the simulator's SQLite down by
// an order of magnitude: the 500-prospect task is then left to the runs without it.
const raceEnabled = true

// buildFlags are the go build flags of a binary that shares this test binary's build.
var buildFlags = []string{"-race"}
