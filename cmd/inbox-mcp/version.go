package main

import "runtime/debug"

// version is the release version, set by release builds with
// -ldflags "-X main.version=1.2.3". When empty, the module version or VCS revision
// recorded by the Go toolchain is used.
var version string

// resolveVersion returns the version to report: the -ldflags value, else what the build
// recorded (a module version for `go install …@v1.2.3`, a VCS revision for a local build).
func resolveVersion() string {
	if version != "" {
		return version
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "dev"
	}
	return versionFromBuildInfo(info)
}

// versionFromBuildInfo picks the most telling version string out of build information.
func versionFromBuildInfo(info *debug.BuildInfo) string {
	if v := info.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	var rev, modified string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			modified = s.Value
		}
	}
	if rev == "" {
		return "dev"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if modified == "true" {
		return "dev-" + rev + "-dirty"
	}
	return "dev-" + rev
}
