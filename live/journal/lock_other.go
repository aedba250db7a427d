//go:build !unix

package journal

import "os"

// lockFile is a no-op where flock is unavailable: one writer per journal
// is then the caller's responsibility.
func lockFile(f *os.File) (func(), error) { return func() {}, nil }
