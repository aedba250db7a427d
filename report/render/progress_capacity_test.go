package render

import (
	"bytes"
	"math"
	"strings"
	"testing"
)

// TestCapacityProgress: the line says the step, the probe, the rate and
// the bracket, redraws in place, and is cleared by Done; a disabled one
// writes nothing.
func TestCapacityProgress(t *testing.T) {
	var buf bytes.Buffer
	p := NewCapacityProgress(&buf, true)
	p.Update(0, 1, 20, false, false, 0, math.Inf(1))
	p.Update(2, 3, 1960, false, false, 1930, 2030)
	p.Done()
	p.Update(0, 4, 5, false, false, 0, 0)
	out := buf.String()
	for _, want := range []string{"\r\x1b[Ksearch · probe 1 · trying 20/s · bracket ? – ? · 0s",
		"next step 2 · probe 3 · trying 1,960/s · bracket 1,930/s – 2,030/s", "\r\x1b[K"} {
		if !strings.Contains(out, want) {
			t.Errorf("progress %q lacks %q", out, want)
		}
	}
	if strings.Contains(out, "probe 4") {
		t.Error("drawn after Done")
	}
	var quiet bytes.Buffer
	q := NewCapacityProgress(&quiet, false)
	q.Update(0, 1, 20, true, true, 20, math.Inf(1))
	q.Done()
	if quiet.Len() != 0 {
		t.Errorf("a disabled line wrote %q", quiet.String())
	}
}
