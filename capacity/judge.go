package capacity

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/busdrill/busdrill/report"
	"github.com/busdrill/busdrill/scenarios"
)

// What sustainable means. A rate is sustainable when
//
//   - every expectation of the scenario that is a criterion holds (see
//     criterion: those that assert the failure an experiment provokes,
//     or count the traffic, are not);
//   - the ledger balances, nothing is lost (outside the fault windows of
//     a scenario with faults), and nothing is still in flight at the
//     cut-off;
//   - no backlog grows without bound over the traffic (trend.go).
var criteriaText = []string{
	"every expectation of the scenario that bounds harm holds (the skipped ones are listed)",
	"the ledger balances and nothing is lost (outside the fault windows, when the scenario has faults; loss by a cause the scenario asserts, like loss.oversized > 0, does not count)",
	"nothing is still in flight at the cut-off (for a scenario without faults)",
	fmt.Sprintf("no backlog grows without bound: handler backlogs, the quotas' token buckets (delayed invocations, throttled requests), retries waiting and deliveries in flight, judged by their trend over the end of the traffic (its last quarter, at least 30 s): growth of %g%% of the time elapsed or more, well above the gauge's own noise, to heights it had not reached before", MinGrowth*100),
	"no limit is asked for more than it serves at the rate the traffic ends at (the demand per order, measured, times that rate)",
}

// criterion reports whether an expectation is a sustainability
// criterion: a bound on harm (a ceiling on latency, loss, duplicates,
// violations, incomplete orders; a floor on completion; a balanced
// ledger). An expectation that demands harm (loss.throttled > 0: the
// failure an experiment sets out to provoke) or counts the traffic
// (orders.sent > 1000: the search scales it) is not; why says so.
func criterion(c report.Condition) (ok bool, why string) {
	m := c.Metric
	head, _, _ := strings.Cut(m, ".")
	if m == "orders.planned" || m == "orders.sent" || m == "orders.completed" || strings.HasSuffix(m, ".count") {
		return false, "it counts the traffic, which the search scales"
	}
	harm := slices.Contains([]string{"e2e", "hop", "loss", "in_flight", "duplicates", "idempotency", "recovery"}, head) ||
		slices.Contains([]string{"orders.late", "orders.incomplete", "orders.not_sent"}, m)
	switch {
	case harm:
		if c.Op == "<" || c.Op == "<=" || c.Op == "==" && c.Ref == "" && c.Value == 0 {
			return true, ""
		}
		return false, "it asserts the harm the experiment provokes; a capacity search looks for the rate without it"
	case m == "completion":
		if c.Op == ">" || c.Op == ">=" || c.Op == "==" && c.Ref == "" && c.Value == 1 {
			return true, ""
		}
	case m == "ledger.balanced":
		if c.Op == "==" && c.Value == 1 || c.Op == "!=" && c.Value == 0 {
			return true, ""
		}
	}
	return false, "it asserts the harm the experiment provokes; a capacity search looks for the rate without it"
}

// criteria classifies a scenario's expectations: used[i] for each, and
// the skipped ones with why.
func criteria(sc *scenarios.Scenario) (used []bool, skipped []report.SkippedExpectation) {
	for _, e := range sc.Expect {
		ok, why := criterion(e.Cond)
		used = append(used, ok)
		if !ok {
			name := e.Name
			if e.Window != "" && e.Window != report.WindowAll {
				name += " (window " + e.Window + ")"
			}
			skipped = append(skipped, report.SkippedExpectation{Expectation: name, Why: why})
		}
	}
	return used, skipped
}

// verdict is a probe's judgement.
type verdict struct {
	pass    bool
	reasons []string
	// implicated maps each constraint the failure points at to the
	// reasons that do.
	implicated map[key][]string
	// failed are the criteria expectations that failed.
	failed []int
}

func (v *verdict) fail(reason string, implicates ...key) {
	v.pass = false
	v.reasons = append(v.reasons, reason)
	for _, k := range implicates {
		v.implicated[k] = append(v.implicated[k], reason)
	}
}

// judge decides whether a probe's run was sustainable, and why not.
func judge(sc *scenarios.Scenario, used []bool, res *report.Results, w *watcher) verdict {
	v := verdict{pass: true, implicated: map[key][]string{}}
	for i, e := range res.Expectations {
		if i < len(used) && used[i] && !e.OK {
			name := e.Name
			if e.Window != "" && e.Window != report.WindowAll {
				name += " (window " + e.Window + ")"
			}
			v.fail(fmt.Sprintf("expectation %s failed: observed %s", name, e.Observed))
			v.failed = append(v.failed, i)
		}
	}
	if !res.Ledger.Balanced {
		v.fail("the ledger does not balance")
	}
	judgeLoss(&v, sc, res, w)
	var inFlight int64
	for _, rt := range res.Ledger.Routes {
		inFlight += rt.InFlight
	}
	// With faults, deliveries may be in flight at the cut-off by design
	// (a replay, a redrive, retries of an outage): only the trend of the
	// in-flight count judges them.
	if inFlight > 0 && !hasFaults(sc) {
		v.fail(fmt.Sprintf("%s deliveries still in flight at the cut-off, after the drain of %v: the backlog did not clear", count(inFlight), sc.Drain))
	}
	for _, f := range w.growing() {
		v.fail(f.String(), f.implicates...)
	}
	return v
}

// judgeEnd fails the probe for every limit the traffic ends above: the
// demand one order makes on it (measured over the run) times the rate the
// traffic ends at (its last instant's: a ramp's peak, a spike's base)
// over the limit. A queue offered more than it serves can only grow,
// however long the run is and however much a burst hides at first;
// a ramp that ends above a limit would be hidden by the end of the run.
func judgeEnd(v *verdict, cs []report.CapacityConstraint, endRate float64) {
	for _, c := range cs {
		if !linear(c.Kind) || c.PerOrder <= 0 || c.Limit <= 0 {
			continue
		}
		if u := c.PerOrder * endRate / c.Limit; u > 1 {
			v.fail(fmt.Sprintf("%s %s: the traffic ends at %s, and %g %s per order come to %s of its %g %s (%s): what it cannot serve can only pile up",
				c.Kind, c.Name, fmtRate(endRate), c.PerOrder, perOrderUnit(c.Kind), trimFloat(roundSig(c.PerOrder*endRate, 4))+unitRate(c.Kind),
				c.Limit, c.Unit, fmtPct(u)), keyOf(c))
		}
	}
}

// perOrderUnit names what one order demands of a constraint kind.
func perOrderUnit(kind string) string {
	switch kind {
	case KindPutEventsQuota:
		return "requests"
	case KindHandlerConcurrency:
		return "busy seconds"
	}
	return "invocations"
}

// unitRate is the unit of demand × rate for a kind: busy seconds per
// second are concurrent executions.
func unitRate(kind string) string {
	if kind == KindHandlerConcurrency {
		return " concurrent"
	}
	return "/s"
}

// judgeLoss fails the probe for any delivery lost (outside the fault
// windows of a scenario with faults), naming the causes and the
// constraints they point at: a producer's throttled requests its
// account's PutEvents quota, invocations given up by a retry policy that
// target's retry attempts or event age (and its throughput limit).
func judgeLoss(v *verdict, sc *scenarios.Scenario, res *report.Results, w *watcher) {
	excused := excusedLoss(sc)
	counts := func(cause string) bool { return !excused[""] && !excused[cause] }
	lost, where := int64(0), ""
	byCause := map[string]int64{}
	throttledFrom := map[string]int64{}
	for _, rt := range res.Ledger.Routes {
		if counts("dlq") {
			lost += rt.DLQ
			for c, n := range rt.DLQCauses {
				byCause[c+" (to a DLQ)"] += n
			}
		}
		for c, n := range rt.Dropped {
			if !counts(c) {
				continue
			}
			lost += n
			byCause[c] += n
			if c == "throttled" {
				throttledFrom[rt.From] += n
			}
		}
	}
	if hasFaults(sc) {
		where = " outside the fault windows"
		lost = 0
		for _, wr := range res.Windows {
			if wr.Name != report.WindowSteady {
				continue
			}
			if counts("dlq") {
				lost += wr.Loss.DLQ
			}
			for c, n := range wr.Loss.Dropped {
				if counts(c) {
					lost += n
				}
			}
		}
	}
	if lost == 0 {
		return
	}
	var causes []string
	for _, c := range slices.Sorted(maps.Keys(byCause)) {
		causes = append(causes, fmt.Sprintf("%s %s", c, count(byCause[c])))
	}
	reason := fmt.Sprintf("%s deliveries lost%s (%s)", count(lost), where, strings.Join(causes, ", "))
	var imp []key
	for _, a := range slices.Sorted(maps.Keys(throttledFrom)) {
		imp = append(imp, key{KindPutEventsQuota, a})
	}
	for _, t := range w.last.Targets {
		if t.ExhaustedAttempts > 0 {
			imp = append(imp, key{KindRetryExhaustion, t.Target})
		}
		if t.ExhaustedAge > 0 {
			imp = append(imp, key{KindEventAge, t.Target})
		}
		if (t.ExhaustedAttempts > 0 || t.ExhaustedAge > 0) && t.Handler != "" {
			imp = append(imp, key{KindTargetThroughput, t.Handler})
		}
	}
	v.fail(reason, imp...)
}

// count prints a count with thousands separators: 12,345.
func count(n int64) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + count(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// excusedLoss are the loss causes the scenario itself asserts, by an
// expectation that demands loss (loss.oversized > 0, loss.dlq > 0 in a
// window; "" for loss > 0): that loss is the experiment's subject, which
// the search does not count against a rate. "dlq" stands for the DLQ.
func excusedLoss(sc *scenarios.Scenario) map[string]bool {
	out := map[string]bool{}
	for _, e := range sc.Expect {
		m := e.Cond.Metric
		if m != "loss" && !strings.HasPrefix(m, "loss.") {
			continue
		}
		if ok, _ := criterion(e.Cond); !ok {
			out[strings.TrimPrefix(strings.TrimPrefix(m, "loss"), ".")] = true
		}
	}
	return out
}

// hasFaults reports whether the scenario schedules faults.
func hasFaults(sc *scenarios.Scenario) bool { return sc.Faults != nil && len(sc.Faults.Faults) > 0 }
