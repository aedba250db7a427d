package render

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/busdrill/busdrill/report"
)

// capacityFixture is testdata/capacity.json: the answer of a real search,
// busdrill capacity launch-day-ramp --next 2 --json.
func capacityFixture(t testing.TB) *report.Capacity {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "capacity.json"))
	if err != nil {
		t.Fatal(err)
	}
	var c report.Capacity
	if err := json.Unmarshal(b, &c); err != nil {
		t.Fatal(err)
	}
	return &c
}

// TestCapacityHTML: the page says the answer, what binds, the next steps,
// the cost and every probe; it is a function of its inputs; and the
// answers without a binding limit, without a sustainable rate or
// interrupted render too.
func TestCapacityHTML(t *testing.T) {
	full := capacityFixture(t)
	noBinding := capacityFixture(t)
	noBinding.Binding, noBinding.Next, noBinding.End, noBinding.LowestFailingRate = nil, nil, "sustainable at --max", 0
	none := capacityFixture(t)
	none.SustainableRate, none.Binding, none.Headroom, none.Next, none.Cost, none.End = 0, nil, nil, nil, nil, "not sustainable at --min"
	interrupted := capacityFixture(t)
	interrupted.Interrupted, interrupted.End, interrupted.Next = true, "interrupted", nil
	cases := []struct {
		name string
		c    *report.Capacity
		want []string
	}{
		{"full", full, []string{"199/s sustainable", "putevents-quota", "orders (222222222222)", "--set model.putevents_tps.orders=N",
			"Next: raise the binding limit", "393/s", "941/s", "per million orders", "CrossAccountInvoke-CustomEvent",
			"end-to-end p99 latency against rate", "loss.throttled &gt; 0", "✗ FAIL"}},
		{"no binding", noBinding, []string{"No failure to explain", "no rate searched failed", "No next step"}},
		{"no sustainable rate", none, []string{"not sustainable at", "No sustainable rate: no cost to estimate"}},
		{"interrupted", interrupted, []string{"Interrupted: this is the best bracket"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var a, b bytes.Buffer
			if err := CapacityHTML(&a, c.c, Meta{Command: "busdrill capacity launch-day-ramp --seed 1 --next 2"}); err != nil {
				t.Fatal(err)
			}
			if err := CapacityHTML(&b, c.c, Meta{Command: "busdrill capacity launch-day-ramp --seed 1 --next 2"}); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(a.Bytes(), b.Bytes()) {
				t.Error("two renderings of the same answer differ")
			}
			page := a.String()
			for _, w := range c.want {
				if !strings.Contains(page, w) {
					t.Errorf("the page does not say %q", w)
				}
			}
			if strings.Contains(page, `src="http`) || strings.Contains(page, `href="http`) || strings.Contains(page, "<script") {
				t.Error("the page fetches or runs something")
			}
		})
	}
}
