// Package readfile reads the files a user names (scenarios, live
// sections, results, journals) with a bound: only regular files, at most
// a given size, so that a wrong path — a device, a pipe, a huge log —
// fails at once with a clear error instead of hanging or exhausting
// memory.
package readfile

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// Read returns the contents of the regular file path, or an error when it
// is anything else or larger than limit bytes (checked before reading,
// and again while reading, for a file that grows). Errors name the path.
func Read(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, unwrap(err))
	}
	defer f.Close()
	st, err := f.Stat()
	switch {
	case err != nil:
		return nil, fmt.Errorf("%s: %w", path, unwrap(err))
	case !st.Mode().IsRegular():
		return nil, fmt.Errorf("%s: not a regular file", path)
	case st.Size() > limit:
		return nil, fmt.Errorf("%s: the file is %s, over the limit of %s for this kind of file", path, size(st.Size()), size(limit))
	}
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, unwrap(err))
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%s: the file grew past %s while it was read", path, size(limit))
	}
	return b, nil
}

// unwrap drops an *fs.PathError's copy of the path.
func unwrap(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// size prints a byte count for people: 512 bytes, 4 MiB, 4.9 MiB.
func size(n int64) string {
	switch {
	case n >= 1<<20:
		return strings.TrimSuffix(fmt.Sprintf("%.1f", float64(n)/(1<<20)), ".0") + " MiB"
	case n >= 1<<10:
		return strings.TrimSuffix(fmt.Sprintf("%.1f", float64(n)/(1<<10)), ".0") + " KiB"
	}
	return fmt.Sprintf("%d bytes", n)
}
