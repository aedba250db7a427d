package report

// ObserveIn reads the condition's metric from results in a window (as
// EvaluateIn does), in the unit of Value (nanoseconds, a count, a ratio,
// 1 or 0); false when the run measured nothing for it there. A capacity
// search uses it to say how close an expectation came to its threshold.
func (c Condition) ObserveIn(r *Results, window string) (float64, bool) {
	v, ok, _ := observeMetric(r, c.Metric, window)
	return v, ok
}

// IsDuration reports whether the condition's metric is a latency (its
// values in nanoseconds).
func (c Condition) IsDuration() bool { return c.kind == kindDuration }
