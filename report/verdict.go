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
