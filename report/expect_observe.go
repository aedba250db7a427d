package report

import "time"

// Observe reads the condition's metric in a window of the results, as
// EvaluateIn does: found is false when the run measured nothing for it
// (what EvaluateIn reports as "no data", "not recovered" or "not measured
// per window"). The value is in the metric's unit as Value is:
// nanoseconds for a latency, a count, a ratio in [0,1], or 1/0 for a
// boolean. busdrill swarm collects it seed by seed for its distributions.
func (c Condition) Observe(r *Results, window string) (v float64, found bool) {
	v, found, _ = observeMetric(r, c.Metric, window)
	return v, found
}

// Unit names the unit of the condition's metric in JSON: "ms" for a
// latency (Observe's nanoseconds divided by a million), "count", "ratio"
// or "bool".
func (c Condition) Unit() string {
	return [...]string{kindCount: "count", kindDuration: "ms", kindRatio: "ratio", kindBool: "bool"}[c.kind]
}

// InUnit converts a value Observe returned to Unit.
func (c Condition) InUnit(v float64) float64 {
	if c.kind == kindDuration {
		return v / float64(time.Millisecond)
	}
	return v
}
