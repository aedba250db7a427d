// Package version reports the busdrill version: the value stamped at link
// time by the Makefile (-X .../internal/version.Version=...), or, for a plain
// `go build`, the module version and VCS revision Go records in the binary.
package version

import "runtime/debug"

// Version is set at link time; empty means "ask the build info".
var Version string

// String returns the version of this binary, never empty.
func String() string {
	if Version != "" {
		return Version
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "devel"
	}
	if v := info.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	for _, s := range info.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 12 {
			return "devel+" + s.Value[:12]
		}
	}
	return "devel"
}
