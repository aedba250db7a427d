package report

// Observe reads the condition's metric from results over the whole run,
// in the unit of Value (nanoseconds, a count, a ratio, 1 or 0); false
// when the run measured nothing for it. A capacity search uses it to say
// how close an expectation came to its threshold.
func (c Condition) Observe(r *Results) (float64, bool) { return c.observe(r) }

// IsDuration reports whether the condition's metric is a latency (its
// values in nanoseconds).
func (c Condition) IsDuration() bool { return c.kind == kindDuration }
