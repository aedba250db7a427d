package render

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"

	"github.com/busdrill/busdrill/report"
)

// Merge combines the results of the shards of one run (busdrill run
// --shard I/N on several machines) into the results of the whole run.
//
// The shards must belong together: the same schema, scenario, seed,
// target and version, each with a shard {index, count} of the same count,
// every index from 0 to count−1 exactly once. The merged results have no
// shard.
//
// Exact, because shards partition the journeys (shard i owns the orders
// whose index is i modulo n) and everything below is a sum over journeys:
//
//   - histograms add (HDR histograms merge exactly), and every latency
//     summary is recomputed from the merged histogram (clamped counts
//     add);
//   - orders, the loss ledger (per route and cause; in flight and
//     unexpected recomputed from the totals, as one run would), duplicates
//     per consumer, idempotency violations, metrics and anomalies add;
//   - the series align by second: counts add;
//   - windows (when present) add, latency from their merged histograms;
//   - faults are the union of the shards' timelines (each shard compiles
//     the same one).
//
// Approximate, documented:
//
//   - the series' per-second p50 and p99 cannot be recombined from
//     percentiles: p50 is the completion-weighted mean of the shards'
//     p50s, p99 the highest shard p99 of that second;
//   - a quota's peak is the sum of the shards' peaks, an upper bound of
//     the true peak (the shards' busiest seconds may differ), so the
//     headroom errs on the safe side;
//   - recovery times depend on each second's slowest journey over all
//     shards, which results do not carry: they are left out.
//
// Expectations are not re-evaluated (their thresholds need the scenario):
// the merged results have none and verdict "pass" ("every expectation
// holds, or there are none"). Call Evaluate on them with the scenario's
// conditions to judge the whole run; `busdrill report merge --scenario`
// does.
func Merge(rs []*report.Results) (*report.Results, error) {
	if err := checkShards(rs); err != nil {
		return nil, err
	}
	first := rs[0]
	out := &report.Results{
		Schema: first.Schema, Scenario: first.Scenario, Seed: first.Seed, Target: first.Target, Version: first.Version,
		Latency: map[string]report.Summary{}, Histograms: map[string]string{},
		Expectations: []report.Expectation{}, Verdict: report.VerdictPass,
	}
	for _, r := range rs {
		out.Interrupted = out.Interrupted || r.Interrupted
		out.Window.TrafficMs = math.Max(out.Window.TrafficMs, r.Window.TrafficMs)
		out.Window.CutoffMs = math.Max(out.Window.CutoffMs, r.Window.CutoffMs)
		o := &out.Orders
		o.Planned += r.Orders.Planned
		o.Sent += r.Orders.Sent
		o.Late += r.Orders.Late
		o.Completed += r.Orders.Completed
		o.Incomplete += r.Orders.Incomplete
		o.NotSent += r.Orders.NotSent
		o.NotSentCauses = addCounts(o.NotSentCauses, r.Orders.NotSentCauses)
		out.Metrics = addCounts(out.Metrics, r.Metrics)
		out.Anomalies = addCounts(out.Anomalies, r.Anomalies)
		out.Idempotency.Violations += r.Idempotency.Violations
		out.Idempotency.ByConsumer = addCounts(out.Idempotency.ByConsumer, r.Idempotency.ByConsumer)
	}
	if err := mergeLatency(out, rs); err != nil {
		return nil, err
	}
	out.Ledger = mergeLedger(rs)
	out.Duplicates = mergeDuplicates(rs)
	out.Faults = mergeFaults(rs)
	out.Series = mergeSeries(rs)
	out.SeriesStep = rs[0].SeriesStep
	out.Quotas = mergeQuotas(rs)
	if err := mergeWindows(out, rs); err != nil {
		return nil, err
	}
	return out, nil
}

func checkShards(rs []*report.Results) error {
	if len(rs) == 0 {
		return errors.New("merge: no results")
	}
	first := rs[0]
	var errs []error
	count := 0
	seen := map[int]int{}
	for i, r := range rs {
		for _, f := range []struct{ what, a, b string }{
			{"schema", first.Schema, r.Schema}, {"scenario", first.Scenario, r.Scenario},
			{"seed", fmt.Sprint(first.Seed), fmt.Sprint(r.Seed)}, {"target", first.Target, r.Target},
			{"version", first.Version, r.Version},
			{"series step", fmt.Sprint(first.SeriesStep), fmt.Sprint(r.SeriesStep)},
		} {
			if f.a != f.b {
				errs = append(errs, fmt.Errorf("results %d: %s %q, results 1 has %q: not shards of one run", i+1, f.what, f.b, f.a))
			}
		}
		if r.Shard == nil {
			errs = append(errs, fmt.Errorf("results %d: not a shard (no shard key): nothing to merge it with", i+1))
			continue
		}
		if count == 0 {
			count = r.Shard.Count
		}
		switch {
		case r.Shard.Count != count:
			errs = append(errs, fmt.Errorf("results %d: shard %d of %d, others are of %d", i+1, r.Shard.Index, r.Shard.Count, count))
		case r.Shard.Index < 0 || r.Shard.Index >= r.Shard.Count:
			errs = append(errs, fmt.Errorf("results %d: shard index %d out of range 0..%d", i+1, r.Shard.Index, r.Shard.Count-1))
		default:
			if j, dup := seen[r.Shard.Index]; dup {
				errs = append(errs, fmt.Errorf("results %d and %d are both shard %d of %d", j+1, i+1, r.Shard.Index, count))
			}
			seen[r.Shard.Index] = i
		}
	}
	if len(errs) == 0 {
		var missing []string
		for i := range count {
			if _, ok := seen[i]; !ok {
				missing = append(missing, fmt.Sprint(i))
			}
		}
		if len(missing) > 0 {
			errs = append(errs, fmt.Errorf("shards %s of %d are missing", strings.Join(missing, ", "), count))
		}
	}
	return errors.Join(errs...)
}

func addCounts(dst, src map[string]int64) map[string]int64 {
	if len(src) == 0 {
		return dst
	}
	if dst == nil {
		dst = map[string]int64{}
	}
	for k, v := range src {
		dst[k] += v
	}
	return dst
}

// mergeHistograms decodes and adds encoded histograms; nil when none.
func mergeHistograms(encoded []string) (*report.Histogram, error) {
	var sum *report.Histogram
	for _, e := range encoded {
		if e == "" {
			continue
		}
		h, err := report.DecodeHistogram(e)
		if err != nil {
			return nil, err
		}
		if sum == nil {
			sum = h
		} else {
			sum.Merge(h)
		}
	}
	return sum, nil
}

func mergeLatency(out *report.Results, rs []*report.Results) error {
	names := map[string]bool{}
	for _, r := range rs {
		for n := range r.Latency {
			names[n] = true
		}
		for n := range r.Histograms {
			names[n] = true
		}
	}
	for _, name := range slices.Sorted(maps.Keys(names)) {
		var encoded []string
		var clamped, count int64
		for _, r := range rs {
			s := r.Latency[name]
			clamped += s.Clamped
			count += s.Count
			if e, ok := r.Histograms[name]; ok {
				encoded = append(encoded, e)
			} else if s.Count > 0 {
				return fmt.Errorf("merge: latency %s has %d values but no histogram", name, s.Count)
			}
		}
		h, err := mergeHistograms(encoded)
		if err != nil {
			return fmt.Errorf("merge: histogram %s: %w", name, err)
		}
		if h == nil {
			out.Latency[name] = report.Summary{}
			continue
		}
		s := h.Summary()
		s.Clamped = clamped
		out.Latency[name] = s
		if out.Histograms[name], err = h.Encode(); err != nil {
			return fmt.Errorf("merge: histogram %s: %w", name, err)
		}
	}
	return nil
}

func mergeLedger(rs []*report.Results) report.Ledger {
	type key struct{ from, to string }
	routes := map[key]*report.Route{}
	for _, r := range rs {
		for _, rt := range r.Ledger.Routes {
			k := key{rt.From, rt.To}
			m, ok := routes[k]
			if !ok {
				m = &report.Route{From: rt.From, To: rt.To, Dropped: map[string]int64{}}
				routes[k] = m
			}
			m.Expected += rt.Expected
			m.Delivered += rt.Delivered
			m.DLQ += rt.DLQ
			m.Dropped = addCounts(m.Dropped, rt.Dropped)
			m.DLQCauses = addCounts(m.DLQCauses, rt.DLQCauses)
		}
	}
	l := report.Ledger{Routes: make([]report.Route, 0, len(routes)), Balanced: true}
	for _, m := range routes {
		// As the recorder does, on the totals at cut-off.
		rest := m.Expected - m.Delivered - m.DLQ - sum(m.Dropped)
		if rest >= 0 {
			m.InFlight, m.Balanced = rest, true
		} else {
			m.Unexpected = -rest
			l.Balanced = false
		}
		l.Routes = append(l.Routes, *m)
	}
	slices.SortFunc(l.Routes, func(a, b report.Route) int {
		return cmp.Or(cmp.Compare(a.From, b.From), cmp.Compare(a.To, b.To))
	})
	return l
}

func mergeDuplicates(rs []*report.Results) []report.Duplicates {
	byConsumer := map[string]*report.Duplicates{}
	for _, r := range rs {
		for _, d := range r.Duplicates {
			m, ok := byConsumer[d.Consumer]
			if !ok {
				m = &report.Duplicates{Consumer: d.Consumer}
				byConsumer[d.Consumer] = m
			}
			m.Deliveries += d.Deliveries
			m.ByID += d.ByID
			m.ByKey += d.ByKey
			m.SideEffects += d.SideEffects
		}
	}
	out := make([]report.Duplicates, 0, len(byConsumer))
	for _, c := range slices.Sorted(maps.Keys(byConsumer)) {
		out = append(out, *byConsumer[c])
	}
	return out
}

func mergeFaults(rs []*report.Results) []report.Fault {
	seen := map[report.Fault]bool{}
	out := []report.Fault{}
	for _, r := range rs {
		for _, f := range r.Faults {
			if !seen[f] {
				seen[f] = true
				out = append(out, f)
			}
		}
	}
	slices.SortStableFunc(out, func(a, b report.Fault) int {
		return cmp.Or(cmp.Compare(a.StartMs, b.StartMs), cmp.Compare(a.EndMs, b.EndMs), cmp.Compare(a.Name, b.Name))
	})
	return out
}

func mergeSeries(rs []*report.Results) []report.Point {
	points := map[int64]*report.Point{}
	weights := map[int64]float64{}
	for _, r := range rs {
		for _, p := range r.Series {
			m, ok := points[p.Second]
			if !ok {
				m = &report.Point{Second: p.Second}
				points[p.Second] = m
			}
			m.Sent += p.Sent
			m.Delivered += p.Delivered
			m.Completed += p.Completed
			m.Throttled += p.Throttled
			m.Late += p.Late
			m.DLQ += p.DLQ
			if p.Completed > 0 {
				m.P50Ms += p.P50Ms * float64(p.Completed)
				weights[p.Second] += float64(p.Completed)
				m.P99Ms = math.Max(m.P99Ms, p.P99Ms)
			}
		}
	}
	seconds := slices.Sorted(maps.Keys(points))
	out := make([]report.Point, 0, len(seconds))
	for _, s := range seconds {
		p := points[s]
		if w := weights[s]; w > 0 {
			p.P50Ms = math.Round(p.P50Ms/w*1000) / 1000
		}
		out = append(out, *p)
	}
	return out
}

func mergeQuotas(rs []*report.Results) []report.Headroom {
	type key struct{ quota, account string }
	quotas := map[key]*report.Headroom{}
	var order []key
	for _, r := range rs {
		for _, q := range r.Quotas {
			k := key{q.Quota, q.Account}
			m, ok := quotas[k]
			if !ok {
				m = &report.Headroom{Quota: q.Quota, Account: q.Account, Limit: q.Limit}
				quotas[k] = m
				order = append(order, k)
			}
			m.Limit = math.Max(m.Limit, q.Limit)
			m.Peak += q.Peak
		}
	}
	// A "*" row with no peak stands for "no account made calls": drop
	// it when another shard saw accounts for that quota.
	named := map[string]bool{}
	for _, k := range order {
		if k.account != "*" {
			named[k.quota] = true
		}
	}
	out := []report.Headroom{}
	for _, k := range order {
		q := quotas[k]
		if k.account == "*" && q.Peak == 0 && named[k.quota] {
			continue
		}
		if q.Limit > 0 {
			q.Used = math.Round(q.Peak/q.Limit*1e4) / 1e4
		}
		out = append(out, *q)
	}
	slices.SortStableFunc(out, func(a, b report.Headroom) int {
		return cmp.Or(cmp.Compare(a.Quota, b.Quota), cmp.Compare(a.Account, b.Account))
	})
	return out
}

// mergeWindows adds the shards' windows by name (the shards of one run
// have the same windows, from the same fault timeline) and recomputes
// each window's latency from its merged histogram.
func mergeWindows(out *report.Results, rs []*report.Results) error {
	var merged []windowView
	index := map[string]int{}
	histograms := map[string][]string{}
	clamped := map[string]int64{}
	for _, r := range rs {
		var ws []windowView
		if _, err := readSection(r, "windows", &ws); err != nil {
			return err
		}
		for _, w := range ws {
			i, ok := index[w.Name]
			if !ok {
				i = len(merged)
				index[w.Name] = i
				m := windowView{Name: w.Name, Spans: w.Spans}
				m.Loss.Dropped = map[string]int64{}
				merged = append(merged, m)
			}
			m := &merged[i]
			m.Orders.Sent += w.Orders.Sent
			m.Orders.Late += w.Orders.Late
			m.Orders.Completed += w.Orders.Completed
			m.Orders.Incomplete += w.Orders.Incomplete
			m.Loss.Total += w.Loss.Total
			m.Loss.DLQ += w.Loss.DLQ
			m.Loss.Dropped = addCounts(m.Loss.Dropped, w.Loss.Dropped)
			m.Duplicates.ByID += w.Duplicates.ByID
			m.Duplicates.ByKey += w.Duplicates.ByKey
			m.IdempotencyViolations += w.IdempotencyViolations
			histograms[w.Name] = append(histograms[w.Name], w.Histogram)
			clamped[w.Name] += w.E2E.Clamped
			if w.E2E.Count > 0 && w.Histogram == "" {
				return fmt.Errorf("merge: window %s has latencies but no histogram", w.Name)
			}
		}
	}
	if len(merged) == 0 {
		return nil
	}
	for i := range merged {
		m := &merged[i]
		h, err := mergeHistograms(histograms[m.Name])
		if err != nil {
			return fmt.Errorf("merge: window %s: %w", m.Name, err)
		}
		if h != nil && h.Count() > 0 {
			m.E2E = h.Summary()
			m.E2E.Clamped = clamped[m.Name]
			if m.Histogram, err = h.Encode(); err != nil {
				return err
			}
		}
	}
	return writeSection(out, "windows", merged)
}
