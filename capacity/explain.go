package capacity

import (
	"strings"
	"time"

	"github.com/busdrill/busdrill/report"
)

// explain names the constraint that binds: the one whose saturation made
// the lowest failing probe (fail) fail, with its use at the answer (pass,
// the highest passing probe; nil when none passed). In order:
//
//  1. of the constraints the failure points at (a growing backlog, a
//     loss's cause), the busiest at the failing rate;
//  2. else the busiest constraint at the failing rate, if it is at 90%
//     or more (a latency objective broken by queueing, say);
//  3. else the first expectation that failed, as kind "expectation";
//  4. else nothing: the failure is not a limit the rate runs into (a
//     loss whose cause is not a limit, like a failing handler).
func explain(s *Subject, fail, pass *run) *report.CapacityConstraint {
	if fail == nil {
		return nil
	}
	var b *report.CapacityConstraint
	var evidence []string
	for i := range fail.constraints {
		c := &fail.constraints[i]
		if reasons, ok := fail.verdict.implicated[keyOf(*c)]; ok && (b == nil || c.Utilisation > b.Utilisation) {
			b, evidence = c, reasons
		}
	}
	if b == nil && len(fail.constraints) > 0 && fail.constraints[0].Utilisation >= 0.9 {
		b, evidence = &fail.constraints[0], fail.verdict.reasons
	}
	if b == nil && len(fail.verdict.failed) > 0 {
		return expectationBinding(s, fail.verdict.failed[0], fail, pass)
	}
	if b == nil {
		return nil
	}
	out := *b
	out.UtilisationAbove = b.Utilisation
	out.Utilisation = 0
	if pass != nil {
		for _, c := range pass.constraints {
			if keyOf(c) == keyOf(*b) {
				out.Utilisation = c.Utilisation
			}
		}
	}
	out.Evidence = evidence
	return &out
}

// expectationBinding is expectation i of the scenario as the binding
// constraint: its threshold as the limit (seconds for a latency), its
// observed value over the threshold as the utilisation.
func expectationBinding(s *Subject, i int, fail, pass *run) *report.CapacityConstraint {
	e := s.sc.Expect[i]
	c := &report.CapacityConstraint{Kind: KindExpectation, Name: e.Name, Limit: e.Cond.Value, Unit: "count"}
	if e.Window != "" && e.Window != report.WindowAll {
		c.Name += " (window " + e.Window + ")"
	}
	switch {
	case e.Cond.IsDuration():
		c.Limit, c.Unit = time.Duration(e.Cond.Value).Seconds(), "seconds"
	case e.Cond.Metric == "completion":
		c.Unit = "ratio"
	case e.Cond.Metric == "ledger.balanced":
		c.Unit = "boolean"
	}
	if e.Cond.Ref != "" {
		c.Limit, c.Unit = 0, e.Cond.Ref
	}
	c.UtilisationAbove = fail.expect[i]
	if pass != nil {
		c.Utilisation = pass.expect[i]
	}
	for _, r := range fail.verdict.reasons {
		if strings.HasPrefix(r, "expectation "+e.Name) {
			c.Evidence = append(c.Evidence, r)
		}
	}
	return c
}

// headroom is every constraint's use at the answer but the binding one,
// busiest first, with the criteria expectations' (how close each came to
// its threshold).
func headroom(s *Subject, pass *run, binding *report.CapacityConstraint) []report.CapacityConstraint {
	if pass == nil {
		return nil
	}
	var out []report.CapacityConstraint
	for _, c := range pass.constraints {
		if binding != nil && keyOf(c) == keyOf(*binding) {
			continue
		}
		out = append(out, c)
	}
	for i, u := range pass.expect {
		if u <= 0 {
			continue
		}
		c := expectationBinding(s, i, pass, pass)
		if binding != nil && keyOf(*c) == keyOf(*binding) {
			continue
		}
		c.UtilisationAbove, c.Evidence = 0, nil
		out = append(out, *c)
	}
	sortConstraints(out)
	return out
}
