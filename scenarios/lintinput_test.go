package scenarios

import (
	"testing"
	"time"
)

// TestLintInput: a scenario gives the lint its tightest whole-run e2e
// objective, its redrive faults as redrive plans, and the lines that wrote
// each element.
func TestLintInput(t *testing.T) {
	ref, err := Builtin("reference")
	if err != nil {
		t.Fatal(err)
	}
	in := ref.LintInput()
	if in.SLO != 8*time.Second || in.SLOSource != "e2e.p99 < 8s" {
		t.Errorf("SLO %v from %q", in.SLO, in.SLOSource)
	}
	if !in.RedriveKnown || len(in.Redrive) != 0 {
		t.Errorf("redrive %v %v", in.RedriveKnown, in.Redrive)
	}
	if w := in.Locate("buses[0].rules[0]"); w.File != "builtin:reference.yaml" || w.Line == 0 || w.Path != "topology.reference" {
		t.Errorf("the fan-out rule is located at %+v", w)
	}
	dlq, err := Builtin("dlq-redrive")
	if err != nil {
		t.Fatal(err)
	}
	in = dlq.LintInput()
	if in.Redrive["bus/fanout-dlq"] != "redrive fault redrive" {
		t.Errorf("redrive plans %v", in.Redrive)
	}
	if in.SLO != 0 {
		t.Errorf("a scenario without an e2e expectation has SLO %v", in.SLO)
	}
}
