package report

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Why a metric has no value, shown as the observed value of a failed
// expectation.
const (
	observedNoData       = "no data"
	observedNotRecovered = "not recovered"
	observedNotWindowed  = "not measured per window"
)

// windowedMetric reports whether a metric is measured per window: e2e,
// orders (but planned), completion, loss, duplicates and idempotency are;
// hop latencies, in_flight, ledger.balanced, orders.planned and recovery
// are of the whole run only.
func windowedMetric(m string) bool {
	head, rest, _ := strings.Cut(m, ".")
	switch head {
	case "e2e", "completion", "loss", "duplicates", "idempotency":
		return true
	case "orders":
		return rest != "planned"
	}
	return false
}

// recoveryFault returns the fault of a recovery.FAULT metric.
func recoveryFault(m string) (string, bool) {
	f, ok := strings.CutPrefix(m, "recovery.")
	return f, ok && f != ""
}

// metricRef reads raw, the right-hand side of a condition on a metric of
// kind k, as a metric reference. It reports false when raw is not a
// metric name (it is then a literal); a metric of another kind is an
// error.
func metricRef(raw, op string, k metricKind) (string, bool, error) {
	rk, err := metricKindOf(raw)
	if err != nil {
		return "", false, nil
	}
	if rk != k {
		return raw, true, fmt.Errorf("cannot compare a %s with %s, a %s", kindName(k), raw, kindName(rk))
	}
	if k == kindBool && op != "==" && op != "!=" {
		return raw, true, fmt.Errorf("%s is a boolean: compare it with == or !=", raw)
	}
	return raw, true, nil
}

func kindName(k metricKind) string {
	return [...]string{kindCount: "count", kindDuration: "latency", kindRatio: "ratio", kindBool: "boolean"}[k]
}

// Validate checks the condition against where it is evaluated: the
// window must exist (see [ValidateWindow]), every metric it reads must be
// measured in that window, and a recovery.FAULT must name a fault. The
// scenario loader calls it once the fault names are known (ParseCondition
// cannot check them).
func (c Condition) Validate(window string, faults []string) error {
	if err := ValidateWindow(window, faults); err != nil {
		return err
	}
	for _, m := range []string{c.Metric, c.Ref} {
		if m == "" {
			continue
		}
		if f, ok := recoveryFault(m); ok {
			if window != "" && window != WindowAll {
				return fmt.Errorf("%s is the fault's recovery time, of the whole run: it takes no window (got %q)", m, window)
			}
			if !slices.Contains(faults, f) {
				return unknownFault(m, f, faults)
			}
			continue
		}
		if window != "" && window != WindowAll && !windowedMetric(m) {
			return fmt.Errorf("%s is not measured per window (window %q): per window there are e2e.STAT, orders.sent|late|completed|incomplete, completion, loss, loss.dlq, loss.CAUSE, duplicates.by_id|by_key and idempotency.violations", m, window)
		}
	}
	return nil
}

func errorf(format string, args ...any) error { return fmt.Errorf(format, args...) }

func quote(s string) string { return strconv.Quote(s) }

func unknownFault(what, fault string, faults []string) error {
	if len(faults) == 0 {
		return fmt.Errorf("%s: no fault named %q (the scenario has no faults)", what, fault)
	}
	return fmt.Errorf("%s: no fault named %q (faults: %s)", what, fault, strings.Join(faults, ", "))
}

// EvaluateIn checks the condition against the results in a window: ""
// or "all" for the whole run (the top-level metrics), "steady",
// "during:FAULT" or "after:FAULT" for that entry of Results.Windows.
// When the condition compares two metrics, both are read in the window,
// and threshold shows the right-hand metric with its value, e.g.
// "== orders.sent (412)". A metric without a value fails the
// expectation, observed "no data", "not recovered" or "not measured per
// window".
func (c Condition) EvaluateIn(r *Results, window string) (ok bool, observed, threshold string) {
	want := c.Value
	threshold = c.Op + " " + c.format(c.Value)
	wantOK := true
	if c.Ref != "" {
		v, found, why := observeMetric(r, c.Ref, window)
		if found {
			want, threshold = v, c.Op+" "+c.Ref+" ("+c.format(v)+")"
		} else {
			wantOK, threshold = false, c.Op+" "+c.Ref+" ("+why+")"
		}
	}
	v, found, why := observeMetric(r, c.Metric, window)
	if !found {
		return false, why, threshold
	}
	if !wantOK {
		return false, c.format(v), threshold
	}
	switch c.Op {
	case "<":
		ok = v < want
	case "<=":
		ok = v <= want
	case ">":
		ok = v > want
	case ">=":
		ok = v >= want
	case "==":
		ok = v == want
	case "!=":
		ok = v != want
	}
	return ok, c.format(v), threshold
}

// hasData reports whether the whole run measured anything a metric could
// be judged on: a loss, in-flight or ledger figure needs a route with an
// expected delivery or an outcome, a duplicate or idempotency figure a
// delivery. Without them,
// "loss == 0" would pass a run that sent nothing: such a condition fails
// with "no data" instead (unless its expectation says no_data: pass).
func hasData(r *Results, metric string) bool {
	head, _, _ := strings.Cut(metric, ".")
	switch head {
	case "loss", "in_flight", "ledger":
		for _, rt := range r.Ledger.Routes {
			if rt.Expected > 0 || rt.Delivered > 0 || rt.DLQ > 0 || sumDropped(rt.Dropped) > 0 {
				return true
			}
		}
		return false
	case "duplicates", "idempotency":
		for _, d := range r.Duplicates {
			if d.Deliveries > 0 {
				return true
			}
		}
		return false
	}
	return true
}

// observeMetric reads a metric in a window; when absent, why says so.
func observeMetric(r *Results, metric, window string) (v float64, found bool, why string) {
	if f, ok := recoveryFault(metric); ok {
		i := slices.IndexFunc(r.Recovery, func(rc Recovery) bool { return rc.Fault == f })
		switch {
		case i < 0:
			return 0, false, observedNoData
		case !r.Recovery[i].Recovered:
			return 0, false, observedNotRecovered
		}
		return r.Recovery[i].RecoveryMs * float64(time.Millisecond), true, ""
	}
	if window == "" || window == WindowAll {
		if v, ok := (Condition{Metric: metric}).observe(r); ok && hasData(r, metric) {
			return v, true, ""
		}
		return 0, false, observedNoData
	}
	if !windowedMetric(metric) {
		return 0, false, observedNotWindowed
	}
	w := r.windowOf(window)
	if w == nil {
		return 0, false, observedNoData
	}
	parts := strings.Split(metric, ".")
	switch {
	case parts[0] == "loss" && w.Orders.Sent == 0 && w.Loss.Total == 0,
		(parts[0] == "duplicates" || parts[0] == "idempotency") && w.Orders.Sent == 0:
		// Nothing was sent (or lost) in the window: "no loss" would be
		// vacuous.
		return 0, false, observedNoData
	}
	switch parts[0] {
	case "e2e":
		if w.E2E.Count == 0 {
			return 0, parts[1] == "count", observedNoData
		}
		return statValue(w.E2E, parts[1]), true, ""
	case "orders":
		o := w.Orders
		switch parts[1] {
		case "sent":
			return float64(o.Sent), true, ""
		case "late":
			return float64(o.Late), true, ""
		case "completed":
			return float64(o.Completed), true, ""
		case "incomplete":
			return float64(o.Incomplete), true, ""
		}
	case "completion":
		if w.Orders.Sent == 0 {
			return 0, false, observedNoData
		}
		return float64(w.Orders.Completed) / float64(w.Orders.Sent), true, ""
	case "loss":
		switch {
		case len(parts) == 1:
			return float64(w.Loss.Total), true, ""
		case parts[1] == "dlq":
			return float64(w.Loss.DLQ), true, ""
		}
		return float64(w.Loss.Dropped[parts[1]]), true, ""
	case "duplicates":
		if parts[1] == "by_id" {
			return float64(w.Duplicates.ByID), true, ""
		}
		return float64(w.Duplicates.ByKey), true, ""
	case "idempotency":
		return float64(w.IdempotencyViolations), true, ""
	}
	return 0, false, observedNoData
}
