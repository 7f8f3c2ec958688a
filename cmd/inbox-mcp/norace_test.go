//go:build !race

package main

// raceFlags are the build flags that match this test binary's own: a go build inside a test
// then reuses the packages the test was compiled from instead of compiling them again.
var raceFlags []string
