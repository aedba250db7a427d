package readfile

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRead(t *testing.T) {
	dir := t.TempDir()
	small := filepath.Join(dir, "small")
	os.WriteFile(small, []byte("hello"), 0o644)
	for _, tt := range []struct {
		comment string
		path    string
		limit   int64
		want    string // the contents, or a piece of the error
	}{
		{"a small file is read", small, 10, "hello"},
		{"a file over the limit is refused before it is read", small, 4, "the file is 5 bytes, over the limit of 4 bytes"},
		{"a device is refused, not read forever", "/dev/zero", 1 << 20, "not a regular file"},
		{"a folder is refused", dir, 1 << 20, "not a regular file"},
		{"a missing file names the path", filepath.Join(dir, "nope"), 10, "nope: no such file or directory"},
	} {
		b, err := Read(tt.path, tt.limit)
		got := string(b)
		if err != nil {
			got = err.Error()
		}
		if !strings.Contains(got, tt.want) {
			t.Errorf("%s: got %q, want %q", tt.comment, got, tt.want)
		}
	}
}
