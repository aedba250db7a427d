package yamlstrict_test

import (
	"os"
	"testing"

	"github.com/busdrill/busdrill/internal/yamlstrict"
)

// FuzzDecode feeds arbitrary bytes to Decode with a realistic target
// type. Decode must never panic and never hang, and every problem it
// reports must carry the file name and a message.
func FuzzDecode(f *testing.F) {
	for _, name := range []string{"testdata/good.yaml", "testdata/bad.yaml"} {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, s := range []string{
		"", "~", "---\n---\n", "a: &a [*a]", "<<: {name: x}", "name: !!binary aGk=", "x: [&a a, *a, *a]",
		"traffic: {stages: [{rate: 1/s, <<: [{latency: 1s}, {latency: 2s}]}]}",
		"name: a\naccounts: {a: {id: 1}, a: {id: 2}}", "? [a]\n: b", "\t- x", "name: \"\\u0000\"",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var s scenario
		err := yamlstrict.Decode("fuzz.yaml", data, &s)
		if err == nil {
			return
		}
		errs, ok := err.(yamlstrict.Errors)
		if !ok || len(errs) == 0 || len(errs) > yamlstrict.MaxErrors+1 {
			t.Fatalf("want 1..%d Errors, got %T with %v", yamlstrict.MaxErrors+1, err, err)
		}
		for _, e := range errs {
			if e.File != "fuzz.yaml" || e.Msg == "" {
				t.Fatalf("malformed problem %#v", e)
			}
		}
	})
}
