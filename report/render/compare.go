package render

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/busdrill/busdrill/report"
)

// Tolerances say how much worse a new run may be than its baseline
// before Compare calls it a regression. Relative tolerances are fractions
// (0.10 = 10% worse); the loss and duplicate tolerances are absolute
// differences of fractions (0.001 = 0.1 percentage point), because their
// baselines are usually zero.
type Tolerances struct {
	// Latency applies to p50, p90 and p99 of e2e and every hop: new
	// may exceed base by this fraction. Default 0.10.
	Latency float64
	// Tail applies to p99.9 and max, which rest on few samples.
	// Default 0.25.
	Tail float64
	// LatencyFloor is an absolute slack under which a latency change is
	// never a regression (HDR resolution, tiny hops). Default 5ms.
	LatencyFloor time.Duration
	// Loss is how much the share of expected deliveries lost (in total
	// and by cause) or left in flight, and the share of planned orders
	// never sent, may grow. Default 0: any more loss regresses.
	Loss float64
	// Duplicates is how much the share of deliveries that are
	// duplicates (by id, by key) may grow. Default 0.001.
	Duplicates float64
	// Violations is how much the idempotency violations per sent order
	// may grow. Default 0: any new violation regresses.
	Violations float64
	// Throughput is how much completed journeys per second of traffic,
	// and the completion ratio, may drop, as a fraction. Default 0.05.
	Throughput float64
}

// DefaultTolerances are the tolerances of `busdrill report compare`.
func DefaultTolerances() Tolerances {
	return Tolerances{Latency: 0.10, Tail: 0.25, LatencyFloor: 5 * time.Millisecond, Duplicates: 0.001, Throughput: 0.05}
}

// Status is how a metric moved from the base run to the new one.
type Status int

// Statuses, from good to bad.
const (
	Same      Status = iota
	Better           // improved
	Worse            // worse, within tolerance (or informational)
	Regressed        // worse beyond tolerance
)

func (s Status) String() string {
	return [...]string{"same", "better", "worse", "REGRESSED"}[s]
}

// Row is one compared metric.
type Row struct {
	// Section is latency, loss, duplicates, throughput or expectations.
	Section string
	Metric  string
	// Base and New are formatted with units; Change is the difference
	// (relative for latency and throughput, in points for shares);
	// Tolerance is the limit that applied ("" when the row is
	// informational).
	Base, New, Change, Tolerance string
	Status                       Status
}

// Diff is the comparison of two runs.
type Diff struct {
	Base, New string // titles: scenario · seed · target (version)
	Rows      []Row
	// Notes warn about comparisons that may not be like for like
	// (different scenario, seed, or an interrupted run).
	Notes []string
}

// Regressed reports whether any metric regressed beyond its tolerance.
func (d Diff) Regressed() bool { return len(d.Regressions()) > 0 }

// Regressions returns the rows that regressed.
func (d Diff) Regressions() []Row {
	var out []Row
	for _, r := range d.Rows {
		if r.Status == Regressed {
			out = append(out, r)
		}
	}
	return out
}

// Compare compares a new run with a baseline: latency percentiles of e2e
// and every hop, loss by cause and in flight, orders never sent,
// duplicates and idempotency violations, throughput and completion, the
// quota peaks, the expectations and the verdict. Counts are compared as
// shares (of expected deliveries, of deliveries, of sent orders) so that
// runs of different sizes compare. An expectation that held in base and
// fails in new — or that is new and fails — regresses, and so does a
// verdict going from pass to fail or a ledger that stops balancing.
func Compare(base, new *report.Results, tol Tolerances) Diff {
	d := Diff{Base: runLabel(base), New: runLabel(new)}
	if base.Scenario != new.Scenario {
		d.Notes = append(d.Notes, fmt.Sprintf("different scenarios: %s and %s", base.Scenario, new.Scenario))
	}
	if base.Seed != new.Seed {
		d.Notes = append(d.Notes, fmt.Sprintf("different seeds: %d and %d (not paired order for order)", base.Seed, new.Seed))
	}
	if base.Target != new.Target {
		d.Notes = append(d.Notes, fmt.Sprintf("different targets: %s and %s", base.Target, new.Target))
	}
	if new.Interrupted || base.Interrupted {
		d.Notes = append(d.Notes, "an interrupted run (partial results) is being compared")
	}
	compareLatency(&d, base, new, tol)
	compareLoss(&d, base, new, tol)
	compareDuplicates(&d, base, new, tol)
	compareThroughput(&d, base, new, tol)
	compareQuotas(&d, base, new)
	compareExpectations(&d, base, new)
	return d
}

func runLabel(r *report.Results) string {
	return fmt.Sprintf("%s (%s)", title(r), r.Version)
}

func compareLatency(d *Diff, base, new *report.Results, tol Tolerances) {
	names := latencyNames(base)
	for _, n := range latencyNames(new) {
		if _, ok := base.Latency[n]; !ok {
			names = append(names, n)
		}
	}
	floor := float64(tol.LatencyFloor) / float64(time.Millisecond)
	for _, name := range names {
		b, n := base.Latency[name], new.Latency[name]
		if b.Count == 0 || n.Count == 0 {
			if b.Count != n.Count {
				st := Worse
				if n.Count > 0 {
					st = Better
				}
				d.Rows = append(d.Rows, Row{Section: "latency", Metric: name + " samples",
					Base: fmtCount(b.Count), New: fmtCount(n.Count), Status: st})
			}
			continue
		}
		for _, s := range []struct {
			stat   string
			b, n   float64
			relTol float64
		}{
			{"p50", b.P50, n.P50, tol.Latency}, {"p90", b.P90, n.P90, tol.Latency}, {"p99", b.P99, n.P99, tol.Latency},
			{"p99.9", b.P999, n.P999, tol.Tail}, {"max", b.Max, n.Max, tol.Tail},
		} {
			row := Row{Section: "latency", Metric: name + " " + s.stat, Base: fmtMs(s.b), New: fmtMs(s.n),
				Change: relChange(s.b, s.n), Tolerance: "+" + fmtPct(s.relTol)}
			diff := s.n - s.b
			switch {
			case diff == 0:
				row.Status = Same
			case diff < 0:
				row.Status = Better
			case diff > floor && diff > s.b*s.relTol:
				row.Status = Regressed
			default:
				row.Status = Worse
			}
			d.Rows = append(d.Rows, row)
		}
	}
}

// relChange prints the relative change: +12.5%, −3%, or the absolute one
// when the base is zero.
func relChange(b, n float64) string {
	switch {
	case b == n:
		return "0"
	case b == 0:
		return "new"
	}
	c := (n - b) / b
	if c > 0 {
		return "+" + fmtPct(c)
	}
	return "−" + fmtPct(-c)
}

// pointsChange prints the difference of two shares in percentage points.
func pointsChange(b, n float64) string {
	c := (n - b) * 100
	switch {
	case c == 0:
		return "0"
	case c > 0:
		return "+" + strings.TrimSuffix(fmtPct(c/100), "%") + " pt"
	}
	return "−" + strings.TrimSuffix(fmtPct(-c/100), "%") + " pt"
}

// share compares a count as a share of a total, higher being worse.
func share(section, metric string, bn, bd, nn, nd int64, tol float64) Row {
	b, n := ratio(bn, bd), ratio(nn, nd)
	row := Row{Section: section, Metric: metric,
		Base: fmt.Sprintf("%s (%s)", fmtCount(bn), fmtPct(b)), New: fmt.Sprintf("%s (%s)", fmtCount(nn), fmtPct(n)),
		Change: pointsChange(b, n), Tolerance: "+" + strings.TrimSuffix(fmtPct(tol), "%") + " pt"}
	const eps = 1e-12
	switch {
	case n == b:
		row.Status = Same
	case n < b:
		row.Status = Better
	case n-b > tol+eps:
		row.Status = Regressed
	default:
		row.Status = Worse
	}
	return row
}

func compareLoss(d *Diff, base, new *report.Results, tol Tolerances) {
	bt, nt := totalsOf(base), totalsOf(new)
	d.Rows = append(d.Rows, share("loss", "deliveries lost", bt.Lost(), bt.Expected, nt.Lost(), nt.Expected, tol.Loss))
	causes := map[string]bool{}
	for c := range bt.Causes {
		causes[c] = true
	}
	for c := range nt.Causes {
		causes[c] = true
	}
	for _, c := range slices.Sorted(maps.Keys(causes)) {
		d.Rows = append(d.Rows, share("loss", "lost: "+c, bt.Causes[c], bt.Expected, nt.Causes[c], nt.Expected, tol.Loss))
	}
	d.Rows = append(d.Rows, share("loss", "in flight at cut-off", bt.InFlight, bt.Expected, nt.InFlight, nt.Expected, tol.Loss))
	d.Rows = append(d.Rows, share("loss", "orders never sent", base.Orders.NotSent, base.Orders.Planned, new.Orders.NotSent, new.Orders.Planned, tol.Loss))
	if bt.Unexpected != 0 || nt.Unexpected != 0 {
		d.Rows = append(d.Rows, share("loss", "unexpected deliveries", bt.Unexpected, bt.Expected, nt.Unexpected, nt.Expected, 0))
	}
	if base.Ledger.Balanced != new.Ledger.Balanced {
		row := Row{Section: "loss", Metric: "ledger balanced", Base: fmt.Sprint(base.Ledger.Balanced), New: fmt.Sprint(new.Ledger.Balanced), Status: Better}
		if !new.Ledger.Balanced {
			row.Status = Regressed
		}
		d.Rows = append(d.Rows, row)
	}
}

func compareDuplicates(d *Diff, base, new *report.Results, tol Tolerances) {
	bt, nt := totalsOf(base), totalsOf(new)
	d.Rows = append(d.Rows,
		share("duplicates", "duplicates by event id", bt.ByID, bt.Deliveries, nt.ByID, nt.Deliveries, tol.Duplicates),
		share("duplicates", "duplicates by business key", bt.ByKey, bt.Deliveries, nt.ByKey, nt.Deliveries, tol.Duplicates),
		share("duplicates", "idempotency violations (per order sent)", base.Idempotency.Violations, base.Orders.Sent,
			new.Idempotency.Violations, new.Orders.Sent, tol.Violations))
}

func compareThroughput(d *Diff, base, new *report.Results, tol Tolerances) {
	perSecond := func(r *report.Results, n int64) float64 {
		if r.Window.TrafficMs <= 0 {
			return 0
		}
		return float64(n) / (r.Window.TrafficMs / 1000)
	}
	higherBetter := func(metric string, b, n float64, format func(float64) string) {
		row := Row{Section: "throughput", Metric: metric, Base: format(b), New: format(n), Change: relChange(b, n),
			Tolerance: "−" + fmtPct(tol.Throughput)}
		switch {
		case n == b:
			row.Status = Same
		case n > b:
			row.Status = Better
		case b > 0 && (b-n)/b > tol.Throughput:
			row.Status = Regressed
		default:
			row.Status = Worse
		}
		d.Rows = append(d.Rows, row)
	}
	higherBetter("journeys completed per second of traffic", perSecond(base, base.Orders.Completed), perSecond(new, new.Orders.Completed), fmtRate)
	higherBetter("completion (completed / sent)", ratio(base.Orders.Completed, base.Orders.Sent), ratio(new.Orders.Completed, new.Orders.Sent), fmtPct)
	info := func(metric string, b, n float64, format func(float64) string, lowerBetter bool) {
		row := Row{Section: "throughput", Metric: metric, Base: format(b), New: format(n), Change: relChange(b, n)}
		switch {
		case b == n:
			row.Status = Same
		case (n < b) == lowerBetter:
			row.Status = Better
		default:
			row.Status = Worse
		}
		d.Rows = append(d.Rows, row)
	}
	info("orders sent per second of traffic", perSecond(base, base.Orders.Sent), perSecond(new, new.Orders.Sent), fmtRate, false)
	bt, nt := totalsOf(base), totalsOf(new)
	info("PutEvents entries throttled", float64(bt.Throttled), float64(nt.Throttled), func(v float64) string { return fmtCount(int64(v)) }, true)
	info("orders sent late", float64(base.Orders.Late), float64(new.Orders.Late), func(v float64) string { return fmtCount(int64(v)) }, true)
}

func compareQuotas(d *Diff, base, new *report.Results) {
	key := func(q report.Headroom) string { return q.Quota + " of " + q.Account }
	bq := map[string]report.Headroom{}
	for _, q := range base.Quotas {
		bq[key(q)] = q
	}
	for _, q := range new.Quotas {
		b, ok := bq[key(q)]
		if !ok || b.Used == q.Used {
			continue
		}
		st := Better
		if q.Used > b.Used {
			st = Worse
		}
		d.Rows = append(d.Rows, Row{Section: "quotas", Metric: key(q) + " peak", Base: fmtRate(b.Peak) + " (" + fmtPct(b.Used) + ")",
			New: fmtRate(q.Peak) + " (" + fmtPct(q.Used) + ")", Change: relChange(b.Peak, q.Peak), Status: st})
	}
}

func compareExpectations(d *Diff, base, new *report.Results) {
	type key struct{ name, window string }
	bs := map[key]report.Expectation{}
	for _, e := range base.Expectations {
		bs[key{e.Name, windowOr(e.Window)}] = e
	}
	seen := map[key]bool{}
	word := func(ok bool) string {
		if ok {
			return "pass"
		}
		return "FAIL"
	}
	for _, e := range new.Expectations {
		k := key{e.Name, windowOr(e.Window)}
		seen[k] = true
		b, had := bs[k]
		row := Row{Section: "expectations", Metric: expectationName(e), New: word(e.OK) + " (" + e.Observed + ")"}
		switch {
		case !had:
			row.Base = "absent"
			row.Status = Same
			if !e.OK {
				row.Status = Regressed
			}
		case b.OK && !e.OK:
			row.Base, row.Status = word(b.OK)+" ("+b.Observed+")", Regressed
		case !b.OK && e.OK:
			row.Base, row.Status = word(b.OK)+" ("+b.Observed+")", Better
		default:
			row.Base = word(b.OK) + " (" + b.Observed + ")"
			if b.Observed != e.Observed {
				row.Change = "changed"
			}
		}
		d.Rows = append(d.Rows, row)
	}
	for _, e := range base.Expectations {
		if k := (key{e.Name, windowOr(e.Window)}); !seen[k] {
			d.Rows = append(d.Rows, Row{Section: "expectations", Metric: expectationName(e), Base: word(e.OK), New: "absent", Status: Worse})
		}
	}
	if base.Verdict != new.Verdict {
		row := Row{Section: "expectations", Metric: "verdict", Base: verdictWord(base), New: verdictWord(new), Status: Better}
		if new.Verdict == report.VerdictFail {
			row.Status = Regressed
		}
		d.Rows = append(d.Rows, row)
	}
}

// WriteText prints the comparison for people: a headline, the notes, and
// the rows that changed (every row with all), regressions marked.
func (d Diff) WriteText(w io.Writer, all bool) error {
	var b strings.Builder
	fmt.Fprintf(&b, "base: %s\nnew:  %s\n", d.Base, d.New)
	for _, n := range d.Notes {
		fmt.Fprintf(&b, "note: %s\n", n)
	}
	reg := d.Regressions()
	if len(reg) > 0 {
		fmt.Fprintf(&b, "REGRESSED: %d metric(s) worse than the baseline beyond tolerance\n\n", len(reg))
	} else {
		b.WriteString("no regression beyond tolerance\n\n")
	}
	var rows [][]string
	section := ""
	for _, r := range d.Rows {
		if !all && r.Status == Same {
			continue
		}
		if r.Section != section {
			section = r.Section
			rows = append(rows, []string{section, "base", "new", "change", "tolerance"})
		}
		mark := " "
		switch r.Status {
		case Regressed:
			mark = "✗"
		case Better:
			mark = "✓"
		case Worse:
			mark = "~"
		}
		rows = append(rows, []string{mark + " " + r.Metric, r.Base, r.New, r.Change, r.Tolerance})
	}
	writeColumns(&b, rows)
	out := b.String()
	if len(rows) == 0 {
		out += "every compared metric is the same\n"
	} else {
		out += "\n✗ regressed beyond tolerance · ~ worse within tolerance · ✓ better\n"
	}
	_, err := io.WriteString(w, out)
	return err
}

// writeColumns prints rows as columns: the first left-aligned, the
// others right-aligned, two spaces apart.
func writeColumns(b *strings.Builder, rows [][]string) {
	var widths []int
	for _, r := range rows {
		for i, c := range r {
			if i >= len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], utf8.RuneCountInString(c))
		}
	}
	for _, r := range rows {
		var line strings.Builder
		for i, c := range r {
			pad := strings.Repeat(" ", widths[i]-utf8.RuneCountInString(c))
			if i == 0 {
				line.WriteString(c + pad)
			} else {
				line.WriteString("  " + pad + c)
			}
		}
		b.WriteString(strings.TrimRight(line.String(), " ") + "\n")
	}
}
