package swarm

import (
	"cmp"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/busdrill/busdrill/report"
	"github.com/busdrill/busdrill/scenarios"
	"github.com/busdrill/busdrill/sim/world"
)

// maxViolations bounds what one run reports: the first few say what is
// wrong; a thousand more of the same say nothing new.
const maxViolations = 20

// checkInvariants checks what must hold of every run's results whatever
// the scenario says, beyond its expectations: the invariants of the
// results contract (docs/results.md), which a model bug breaks. Each
// violation names its field and the numbers that disagree. The scenario
// is the one that ran (its compiled fault timeline, its quotas).
//
//   - The ledger balances on every route: expected = delivered + dlq +
//     Σ dropped + in flight, nothing unexpected, dlq = Σ dlq_causes, and
//     the balanced flags say so.
//   - No count is negative, and none is impossible: completed +
//     incomplete = sent; planned = sent + not_sent (at most, when
//     interrupted); not_sent = Σ not_sent_causes; late ≤ sent; every sent
//     order has its put_ack and every completed one its e2e latency; a
//     hop never counts more than the orders sent; a latency summary is
//     ordered (min ≤ p50 ≤ … ≤ max, min ≤ mean ≤ max); duplicates and
//     side effects never exceed deliveries; idempotency violations add up
//     per consumer; the series adds up to the orders planned and
//     completed and to the ledger's deliveries; each window's orders and
//     loss add up; quota figures are not negative; the recorder saw no
//     anomaly.
//   - Fault windows and causes are consistent: the results' fault
//     timeline is the scenario's, within the run; each fault's windows
//     exist and lie within it (shifted by the control-plane lag where it
//     applies) and within the traffic; recovery names only faults of the
//     scenario; and a loss cause only a fault can produce appears only
//     when the scenario has such a fault (see causeSources).
func checkInvariants(sc *scenarios.Scenario, r *report.Results) []string {
	c := &checker{}
	c.ledger(r)
	c.orders(r)
	c.latency(r)
	c.duplicates(r)
	c.series(r)
	c.windows(r)
	c.faults(sc, r)
	c.causes(sc, r)
	for _, name := range slices.Sorted(maps.Keys(r.Anomalies)) {
		c.add("anomalies.%s: %d observations contradicted the recorder's contract", name, r.Anomalies[name])
	}
	for _, q := range r.Quotas {
		if q.Peak < 0 || q.Limit < 0 || q.Used < 0 || math.IsNaN(q.Used) {
			c.add("quotas[%s %s]: limit %v, peak %v, used %v", q.Account, q.Quota, q.Limit, q.Peak, q.Used)
		}
	}
	return c.out
}

type checker struct{ out []string }

func (c *checker) add(format string, args ...any) {
	switch {
	case len(c.out) < maxViolations:
		c.out = append(c.out, fmt.Sprintf(format, args...))
	case len(c.out) == maxViolations:
		c.out = append(c.out, "… (more violations left out)")
	}
}

func (c *checker) negative(field string, v int64) {
	if v < 0 {
		c.add("%s: %d, a negative count", field, v)
	}
}

func (c *checker) ledger(r *report.Results) {
	all := true
	for _, rt := range r.Ledger.Routes {
		name := fmt.Sprintf("ledger.routes[%s → %s]", rt.From, rt.To)
		for _, f := range []struct {
			what string
			v    int64
		}{{"expected", rt.Expected}, {"delivered", rt.Delivered}, {"dlq", rt.DLQ}, {"in_flight", rt.InFlight}, {"unexpected", rt.Unexpected}} {
			c.negative(name+"."+f.what, f.v)
		}
		dropped := sumCounts(rt.Dropped)
		for _, k := range slices.Sorted(maps.Keys(rt.Dropped)) {
			c.negative(name+".dropped."+k, rt.Dropped[k])
		}
		for _, k := range slices.Sorted(maps.Keys(rt.DLQCauses)) {
			c.negative(name+".dlq_causes."+k, rt.DLQCauses[k])
		}
		balances := rt.Unexpected == 0 && rt.InFlight >= 0 && rt.Expected == rt.Delivered+rt.DLQ+dropped+rt.InFlight
		if !balances {
			c.add("%s: expected %d ≠ delivered %d + dlq %d + dropped %d + in flight %d (unexpected %d)",
				name, rt.Expected, rt.Delivered, rt.DLQ, dropped, rt.InFlight, rt.Unexpected)
		}
		if rt.Balanced != balances {
			c.add("%s.balanced is %v, its numbers say %v", name, rt.Balanced, balances)
		}
		if (rt.DLQ > 0 || len(rt.DLQCauses) > 0) && sumCounts(rt.DLQCauses) != rt.DLQ {
			c.add("%s: dlq %d ≠ Σ dlq_causes %d", name, rt.DLQ, sumCounts(rt.DLQCauses))
		}
		all = all && rt.Balanced
	}
	if r.Ledger.Balanced != all {
		c.add("ledger.balanced is %v, its routes say %v", r.Ledger.Balanced, all)
	}
}

func (c *checker) orders(r *report.Results) {
	o := r.Orders
	for _, f := range []struct {
		what string
		v    int64
	}{{"planned", o.Planned}, {"sent", o.Sent}, {"late", o.Late}, {"completed", o.Completed}, {"incomplete", o.Incomplete}, {"not_sent", o.NotSent}} {
		c.negative("orders."+f.what, f.v)
	}
	if o.Completed+o.Incomplete != o.Sent {
		c.add("orders: completed %d + incomplete %d ≠ sent %d", o.Completed, o.Incomplete, o.Sent)
	}
	switch {
	case !r.Interrupted && o.Planned != o.Sent+o.NotSent:
		c.add("orders: planned %d ≠ sent %d + not_sent %d", o.Planned, o.Sent, o.NotSent)
	case r.Interrupted && o.Planned < o.Sent+o.NotSent:
		c.add("orders: planned %d < sent %d + not_sent %d", o.Planned, o.Sent, o.NotSent)
	}
	if (o.NotSent > 0 || len(o.NotSentCauses) > 0) && sumCounts(o.NotSentCauses) != o.NotSent {
		c.add("orders: not_sent %d ≠ Σ not_sent_causes %d", o.NotSent, sumCounts(o.NotSentCauses))
	}
	if o.Late > o.Sent {
		c.add("orders: late %d > sent %d", o.Late, o.Sent)
	}
}

func (c *checker) latency(r *report.Results) {
	for _, name := range slices.Sorted(maps.Keys(r.Latency)) {
		c.summary("latency."+name, r.Latency[name])
		if n := r.Latency[name].Count; n > r.Orders.Sent {
			c.add("latency.%s.count %d > orders.sent %d", name, n, r.Orders.Sent)
		}
	}
	if e2e := r.Latency[report.LatencyE2E].Count; e2e != r.Orders.Completed {
		c.add("latency.e2e.count %d ≠ orders.completed %d", e2e, r.Orders.Completed)
	}
	if ack := r.Latency[report.HopPutAck].Count; ack != r.Orders.Sent {
		c.add("latency.put_ack.count %d ≠ orders.sent %d", ack, r.Orders.Sent)
	}
}

// summary checks one latency summary's order.
func (c *checker) summary(field string, s report.Summary) {
	c.negative(field+".count", s.Count)
	c.negative(field+".clamped", s.Clamped)
	if s.Count == 0 {
		return
	}
	v := []float64{s.Min, s.P50, s.P90, s.P99, s.P999, s.Max}
	if s.Min < 0 || !slices.IsSorted(v) || s.Mean < s.Min || s.Mean > s.Max || slices.ContainsFunc(v, math.IsNaN) {
		c.add("%s: min %v, mean %v, p50 %v, p90 %v, p99 %v, p999 %v, max %v are out of order", field, s.Min, s.Mean, s.P50, s.P90, s.P99, s.P999, s.Max)
	}
}

func (c *checker) duplicates(r *report.Results) {
	for _, d := range r.Duplicates {
		name := "duplicates[" + d.Consumer + "]"
		for _, f := range []struct {
			what string
			v    int64
		}{{"deliveries", d.Deliveries}, {"by_id", d.ByID}, {"by_key", d.ByKey}, {"side_effects", d.SideEffects}} {
			c.negative(name+"."+f.what, f.v)
			if f.what != "deliveries" && f.v > d.Deliveries {
				c.add("%s.%s %d > deliveries %d", name, f.what, f.v, d.Deliveries)
			}
		}
	}
	c.negative("idempotency.violations", r.Idempotency.Violations)
	if sum := sumCounts(r.Idempotency.ByConsumer); (r.Idempotency.Violations > 0 || sum > 0) && sum != r.Idempotency.Violations {
		c.add("idempotency: violations %d ≠ Σ by_consumer %d", r.Idempotency.Violations, sum)
	}
}

func (c *checker) series(r *report.Results) {
	var sent, delivered, completed int64
	for _, p := range r.Series {
		for _, v := range []int64{p.Sent, p.Delivered, p.Completed, p.Throttled, p.Late, p.DLQ} {
			if v < 0 {
				c.add("series[t=%d]: a negative count", p.Second)
				break
			}
		}
		sent, delivered, completed = sent+p.Sent, delivered+p.Delivered, completed+p.Completed
	}
	var ledgerDelivered int64
	for _, rt := range r.Ledger.Routes {
		ledgerDelivered += rt.Delivered
	}
	if !r.Interrupted && sent != r.Orders.Planned {
		c.add("series: Σ sent %d ≠ orders.planned %d", sent, r.Orders.Planned)
	}
	if completed != r.Orders.Completed {
		c.add("series: Σ completed %d ≠ orders.completed %d", completed, r.Orders.Completed)
	}
	if delivered != ledgerDelivered {
		c.add("series: Σ delivered %d ≠ the ledger's delivered %d", delivered, ledgerDelivered)
	}
}

func (c *checker) windows(r *report.Results) {
	for _, w := range r.Windows {
		name := "windows[" + w.Name + "]"
		o := w.Orders
		for _, v := range []int64{o.Sent, o.Late, o.Completed, o.Incomplete, w.Loss.Total, w.Loss.DLQ, w.Duplicates.ByID, w.Duplicates.ByKey, w.IdempotencyViolations} {
			if v < 0 {
				c.add("%s: a negative count", name)
				break
			}
		}
		if o.Completed+o.Incomplete != o.Sent {
			c.add("%s.orders: completed %d + incomplete %d ≠ sent %d", name, o.Completed, o.Incomplete, o.Sent)
		}
		if w.Loss.Total != w.Loss.DLQ+sumCounts(w.Loss.Dropped) {
			c.add("%s.loss: total %d ≠ dlq %d + dropped %d", name, w.Loss.Total, w.Loss.DLQ, sumCounts(w.Loss.Dropped))
		}
		c.summary(name+".e2e", w.E2E)
		last := 0.0
		for _, sp := range w.Spans {
			if sp.StartMs < last || sp.EndMs < sp.StartMs || sp.EndMs > r.Window.TrafficMs {
				c.add("%s.spans: [%v, %v) is out of order or outside the traffic window [0, %v)", name, sp.StartMs, sp.EndMs, r.Window.TrafficMs)
			}
			last = sp.EndMs
		}
	}
}

// faults checks the results' timeline and windows against the
// scenario's compiled faults.
func (c *checker) faults(sc *scenarios.Scenario, r *report.Results) {
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	tl := sc.Faults
	if len(r.Faults) != len(tl.Faults) {
		c.add("faults: %d in the results, the scenario has %d", len(r.Faults), len(tl.Faults))
		return
	}
	// The results list the faults by window, then name (as the recorder
	// sorts them); the timeline by start, then as written.
	wants := make([]report.Fault, len(tl.Faults))
	for i := range tl.Faults {
		wants[i] = report.FaultOf(&tl.Faults[i])
	}
	slices.SortStableFunc(wants, func(a, b report.Fault) int {
		return cmp.Or(cmp.Compare(a.StartMs, b.StartMs), cmp.Compare(a.EndMs, b.EndMs),
			cmp.Compare(a.Name, b.Name), cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Target, b.Target))
	})
	for i, got := range r.Faults {
		want := wants[i]
		if got.Name != want.Name || got.Kind != want.Kind || got.Target != want.Target || got.StartMs != want.StartMs || got.EndMs != want.EndMs {
			c.add("faults[%d]: %s %s %s [%v, %v] in the results, the scenario's is %s %s %s [%v, %v]", i,
				got.Name, got.Kind, got.Target, got.StartMs, got.EndMs, want.Name, want.Kind, want.Target, want.StartMs, want.EndMs)
		}
		if got.StartMs < 0 || got.EndMs < got.StartMs || got.StartMs > r.Window.CutoffMs {
			c.add("faults[%s]: window [%v, %v] outside the run [0, %v]", got.Name, got.StartMs, got.EndMs, r.Window.CutoffMs)
		}
	}
	if len(r.Windows) == 0 {
		return
	}
	have := map[string]report.WindowResult{}
	for _, w := range r.Windows {
		have[w.Name] = w
	}
	for _, ws := range tl.Windows(world.ParamsFor(sc).ControlPlaneLag) {
		instant := ws.Start == ws.End
		if _, ok := have["after:"+ws.Name]; !ok {
			c.add("windows: no after:%s for fault %s", ws.Name, ws.Name)
		}
		during, ok := have["during:"+ws.Name]
		switch {
		case instant:
			continue
		case !ok:
			c.add("windows: no during:%s for fault %s", ws.Name, ws.Name)
			continue
		}
		for _, sp := range during.Spans {
			if sp.StartMs < ms(ws.Start) || sp.EndMs > ms(ws.End) {
				c.add("windows[during:%s]: span [%v, %v) outside the fault's window [%v, %v)", ws.Name, sp.StartMs, sp.EndMs, ms(ws.Start), ms(ws.End))
			}
		}
	}
	names := tl.Names()
	for _, rc := range r.Recovery {
		if !slices.Contains(names, rc.Fault) {
			c.add("recovery[%s]: no such fault in the scenario", rc.Fault)
		}
	}
}

// causes checks every loss cause the run booked against the scenario's
// faults (see causeSources).
func (c *checker) causes(sc *scenarios.Scenario, r *report.Results) {
	booked := map[string]string{}
	for _, rt := range r.Ledger.Routes {
		for k, n := range rt.Dropped {
			if n > 0 {
				booked[k] = "ledger: dropped"
			}
		}
		for k, n := range rt.DLQCauses {
			if n > 0 {
				booked[k] = "ledger: dlq"
			}
		}
	}
	for k, n := range r.Orders.NotSentCauses {
		if n > 0 && booked[k] == "" {
			booked[k] = "orders: not_sent"
		}
	}
	var faults []string
	for i := range sc.Faults.Faults {
		faults = append(faults, sc.Faults.Faults[i].Kind)
	}
	if len(faults) == 0 {
		faults = []string{"none"}
	}
	for _, cause := range slices.Sorted(maps.Keys(booked)) {
		if !causeExplained(sc, cause) {
			c.add("%s %s, but no fault of the scenario causes it (faults: %s)", booked[cause], cause, strings.Join(faults, ", "))
		}
	}
}

func sumCounts(m map[string]int64) int64 {
	var n int64
	for _, v := range m {
		n += v
	}
	return n
}
