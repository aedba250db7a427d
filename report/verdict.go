package report

// NamedCondition is an expectation to evaluate: a parsed [Condition] with
// the name it is reported under.
type NamedCondition struct {
	// Name is the expectation's name; empty means the condition as
	// written.
	Name string
	Cond Condition
	// Window is where the condition is evaluated: "" or "all" (the
	// whole run), "steady", "during:FAULT" or "after:FAULT"; see
	// [Condition.EvaluateIn] and [ValidateWindow].
	Window string
	// NoDataPasses makes the condition pass when the run measured nothing
	// it could be judged on (observed "no data"), which otherwise fails:
	// a run that sent no orders must not pass "loss == 0" by accident.
	NoDataPasses bool
}

// Evaluate evaluates the conditions against the results, in the order
// given, into r.Expectations (replacing any), and sets r.Verdict: pass
// when every expectation holds (including when there are none), fail
// otherwise. It returns the verdict.
//
// The verdict is about the expectations alone: an unbalanced ledger or an
// anomaly fails a run only through an expectation that says so (e.g.
// "ledger.balanced"), and an interrupted run is judged on what it
// measured; the runner decides what an interruption means.
func (r *Results) Evaluate(conds []NamedCondition) string {
	r.Expectations = make([]Expectation, 0, len(conds))
	r.Verdict = VerdictPass
	for _, nc := range conds {
		ok, observed, threshold := nc.Cond.EvaluateIn(r, nc.Window)
		if !ok && observed == observedNoData && nc.NoDataPasses {
			ok, observed = true, observedNoData+" (no_data: pass)"
		}
		name := nc.Name
		if name == "" {
			name = nc.Cond.String()
		}
		r.Expectations = append(r.Expectations, Expectation{
			Name:      name,
			OK:        ok,
			Observed:  observed,
			Threshold: threshold,
			Window:    nc.Window,
		})
		if !ok {
			r.Verdict = VerdictFail
		}
	}
	return r.Verdict
}
