package lint

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/busdrill/busdrill/topology/cfn"
)

// BenchmarkImportAndLint: the backbone template set (3 stacks), imported
// and linted, as busdrill topology lint --cfn does; and the lint alone on
// the bus stack with 243 rules (the quota-rules variant).
func BenchmarkImportAndLint(b *testing.B) {
	read := func(broken string) []cfn.Input {
		var in []cfn.Input
		for _, f := range templateSets["backbone"] {
			path := filepath.Join("../cfn/testdata/cfn/backbone", f[1])
			if p := filepath.Join("testdata/broken", broken, f[1]); broken != "" && exists(p) {
				path = p
			}
			data, err := os.ReadFile(path)
			if err != nil {
				b.Fatal(err)
			}
			in = append(in, cfn.Input{Account: f[0], File: f[1], Data: data})
		}
		return in
	}
	clean := read("")
	b.Run("import+lint/backbone", func(b *testing.B) {
		for b.Loop() {
			res, err := cfn.Import(clean, cfn.Options{})
			if err != nil {
				b.Fatal(err)
			}
			Run(FromImport(res, "bench"))
		}
	})
	res, err := cfn.Import(read("quota-rules"), cfn.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Run("lint/243-rules", func(b *testing.B) {
		for b.Loop() {
			Run(FromImport(res, "bench"))
		}
	})
}
