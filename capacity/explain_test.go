package capacity

import (
	"testing"

	"github.com/busdrill/busdrill/report"
	"github.com/busdrill/busdrill/scenarios"
)

// TestExplain: which constraint binds, from the lowest failing probe and
// the highest passing one.
func TestExplain(t *testing.T) {
	sc, err := scenarios.Builtin("reference")
	if err != nil {
		t.Fatal(err)
	}
	subj := &Subject{sc: sc}
	handler := report.CapacityConstraint{Kind: KindHandlerConcurrency, Name: "delivery/delivery", Utilisation: 1.01}
	quota := report.CapacityConstraint{Kind: KindInvocationsQuota, Name: "bus", Utilisation: 0.97}
	age := report.CapacityConstraint{Kind: KindEventAge, Name: "t", Utilisation: 1}
	failing := func(cs []report.CapacityConstraint, implicated map[key][]string, failed ...int) *run {
		return &run{constraints: cs, verdict: verdict{implicated: implicated, failed: failed, reasons: []string{"why"}},
			expect: make([]float64, len(sc.Expect))}
	}
	passing := &run{constraints: []report.CapacityConstraint{
		{Kind: KindHandlerConcurrency, Name: "delivery/delivery", Utilisation: 0.99},
		{Kind: KindInvocationsQuota, Name: "bus", Utilisation: 0.95},
	}, expect: []float64{0, 0, 0, 0, 0.8}}
	cases := []struct {
		name       string
		fail       *run
		kind, what string
		use        float64 // at the answer
	}{
		{"the busiest of those the failure points at, not the busiest of all",
			failing([]report.CapacityConstraint{handler, quota}, map[key][]string{{KindInvocationsQuota, "bus"}: {"grows"}}),
			KindInvocationsQuota, "bus", 0.95},
		{"of several it points at, the busiest",
			failing([]report.CapacityConstraint{handler, quota, age}, map[key][]string{{KindInvocationsQuota, "bus"}: {"a"}, {KindEventAge, "t"}: {"b"}}),
			KindEventAge, "t", 0},
		{"it points at none: the busiest, at 90% or more",
			failing([]report.CapacityConstraint{handler, quota}, map[key][]string{}),
			KindHandlerConcurrency, "delivery/delivery", 0.99},
		{"none busy enough, an expectation failed: the expectation",
			failing([]report.CapacityConstraint{{Kind: KindHandlerConcurrency, Name: "delivery/delivery", Utilisation: 0.5}}, map[key][]string{}, 4),
			KindExpectation, "e2e.p99 < 8s", 0.8},
		{"none busy enough, no expectation failed: nothing binds",
			failing([]report.CapacityConstraint{{Kind: KindHandlerConcurrency, Name: "delivery/delivery", Utilisation: 0.5}}, map[key][]string{}),
			"", "", 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := explain(subj, c.fail, passing)
			switch {
			case c.kind == "" && b != nil:
				t.Fatalf("binding %+v, want none", b)
			case c.kind == "":
				return
			case b == nil:
				t.Fatalf("no binding, want %s %s", c.kind, c.what)
			}
			if b.Kind != c.kind || b.Name != c.what || b.Utilisation != c.use {
				t.Errorf("binding %s %s at %g, want %s %s at %g", b.Kind, b.Name, b.Utilisation, c.kind, c.what, c.use)
			}
			if len(b.Evidence) == 0 && c.kind != KindExpectation {
				t.Error("no evidence")
			}
		})
	}
	if explain(subj, nil, passing) != nil {
		t.Error("a binding without a failing probe")
	}
}
