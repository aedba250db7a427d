package report

import (
	"bytes"
	"os"
	"testing"
)

// TestWriteTextGolden renders the summary of the golden results. Run with
// -update to rewrite testdata/summary.golden.txt after a deliberate change.
func TestWriteTextGolden(t *testing.T) {
	res, err := ReadResults("testdata/results.golden.json")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteText(&buf, res); err != nil {
		t.Fatal(err)
	}
	const golden = "testdata/summary.golden.txt"
	if *update {
		if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./report -run TestWriteTextGolden -update)", err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("summary differs from %s:\n--- got\n%s--- want\n%s", golden, buf.Bytes(), want)
	}
}
