package scenarios

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// errorLine is what every line of a load error looks like: the file, a
// line (and usually a column), then what is wrong.
var errorLine = regexp.MustCompile(`^f\.yaml:\d+(:\d+)?: .`)

// FuzzLoad: whatever the bytes, Load returns a scenario or an error whose
// every line names the file and a line, with at most MaxErrors problems
// (and a line counting the rest), each message bounded; it never panics,
// and the alias budget keeps every input cheap.
func FuzzLoad(f *testing.F) {
	for _, dir := range []string{".", "testdata/hostile", "testdata/invalid"} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
		for _, file := range files {
			if data, err := os.ReadFile(file); err == nil && len(data) < 64<<10 {
				f.Add(data)
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		sc, err := Load("f.yaml", data, LoadOptions{})
		if err == nil {
			if sc == nil || sc.Topology == nil || sc.Traffic.Arrivals.Shape == nil {
				t.Fatalf("loaded without a topology or traffic: %+v", sc)
			}
			return
		}
		lines := strings.Split(err.Error(), "\n")
		if len(lines) > 101 {
			t.Fatalf("%d problems reported; at most 100 and a count", len(lines))
		}
		for _, l := range lines {
			if !errorLine.MatchString(l) || len(l) > 1500 {
				t.Fatalf("a problem without a place, or too long: %.300q", l)
			}
		}
	})
}
