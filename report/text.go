package report

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"time"
)

// WriteText writes the human summary of a run: verdict, orders, latency
// percentiles, the loss ledger, duplicates and expectations.
func WriteText(w io.Writer, r *Results) error {
	var b strings.Builder
	verdict := strings.ToUpper(r.Verdict)
	if verdict == "" {
		verdict = "NO EXPECTATIONS"
	}
	met := 0
	for _, e := range r.Expectations {
		if e.OK {
			met++
		}
	}
	fmt.Fprintf(&b, "%s · seed %d · %s", r.Scenario, r.Seed, r.Target)
	if r.Shard != nil {
		fmt.Fprintf(&b, " · shard %d/%d", r.Shard.Index, r.Shard.Count)
	}
	if r.Interrupted {
		b.WriteString(" · INTERRUPTED (partial results)")
	}
	fmt.Fprintf(&b, "\nverdict: %s (%d of %d expectations met)\n\n", verdict, met, len(r.Expectations))

	o := r.Orders
	fmt.Fprintf(&b, "orders: %d planned, %d sent, %d completed, %d incomplete, %d late",
		o.Planned, o.Sent, o.Completed, o.Incomplete, o.Late)
	if o.NotSent > 0 {
		fmt.Fprintf(&b, ", %d never sent (%s)", o.NotSent, fmtDropped(o.NotSentCauses))
	}
	b.WriteByte('\n')
	fmt.Fprintf(&b, "virtual time: %s of traffic, cut-off at %s\n\n",
		FormatDuration(msDuration(r.Window.TrafficMs)), FormatDuration(msDuration(r.Window.CutoffMs)))

	fmt.Fprintf(&b, "  %-26s %7s %9s %9s %9s %9s %9s %9s\n", "latency", "count", "min", "p50", "p90", "p99", "p99.9", "max")
	for _, name := range append([]string{LatencyE2E}, Hops...) {
		s, ok := r.Latency[name]
		if !ok {
			continue
		}
		if s.Count == 0 {
			fmt.Fprintf(&b, "  %-26s %7d %9s %9s %9s %9s %9s %9s\n", name, 0, "-", "-", "-", "-", "-", "-")
			continue
		}
		fmt.Fprintf(&b, "  %-26s %7d %9s %9s %9s %9s %9s %9s\n", name, s.Count,
			fmtMs(s.Min), fmtMs(s.P50), fmtMs(s.P90), fmtMs(s.P99), fmtMs(s.P999), fmtMs(s.Max))
	}

	b.WriteString("\nloss ledger (sender → consumer)\n")
	width := len("route")
	routes := make([]string, len(r.Ledger.Routes))
	for i, rt := range r.Ledger.Routes {
		routes[i] = rt.From + " → " + rt.To
		width = max(width, len([]rune(routes[i])))
	}
	fmt.Fprintf(&b, "  %-*s %9s %10s %7s %10s %10s\n", width, "route", "expected", "delivered", "in DLQ", "in flight", "dropped")
	for i, rt := range r.Ledger.Routes {
		pad := width - len([]rune(routes[i])) + len(routes[i])
		fmt.Fprintf(&b, "  %-*s %9d %10d %7d %10d %10s", pad, routes[i], rt.Expected, rt.Delivered, rt.DLQ, rt.InFlight, fmtDropped(rt.Dropped))
		if rt.Unexpected > 0 {
			fmt.Fprintf(&b, "  %d UNEXPECTED", rt.Unexpected)
		}
		b.WriteByte('\n')
	}
	if r.Ledger.Balanced {
		b.WriteString("every route balances: expected = delivered + DLQ + dropped + in flight\n")
	} else {
		b.WriteString("THE LEDGER DOES NOT BALANCE: some deliveries are unaccounted for\n")
	}

	var dupID, dupKey int64
	for _, d := range r.Duplicates {
		dupID += d.ByID
		dupKey += d.ByKey
	}
	fmt.Fprintf(&b, "\nduplicates: %d by event id, %d by business key; idempotency violations: %d\n",
		dupID, dupKey, r.Idempotency.Violations)
	for _, d := range r.Duplicates {
		if d.ByID > 0 || d.ByKey > 0 || r.Idempotency.ByConsumer[d.Consumer] > 0 {
			fmt.Fprintf(&b, "  %s: %d by id, %d by key, %d violations\n", d.Consumer, d.ByID, d.ByKey, r.Idempotency.ByConsumer[d.Consumer])
		}
	}
	for _, q := range r.Quotas {
		if q.Used >= 0.5 {
			fmt.Fprintf(&b, "quota: %s of %s at %.0f%% (peak %.0f/s of %.0f/s)\n", q.Quota, q.Account, q.Used*100, q.Peak, q.Limit)
		}
	}

	writeWindows(&b, r)

	if len(r.Anomalies) > 0 {
		fmt.Fprintf(&b, "anomalies (observations that contradict each other): %s\n", fmtDropped(r.Anomalies))
	}

	if len(r.Expectations) > 0 {
		b.WriteString("\nexpectations\n")
		for _, e := range r.Expectations {
			mark := "pass"
			if !e.OK {
				mark = "FAIL"
			}
			fmt.Fprintf(&b, "  %s  %s: observed %s, expected %s", mark, e.Name, e.Observed, e.Threshold)
			if e.Window != "" && e.Window != "all" {
				fmt.Fprintf(&b, " (%s)", e.Window)
			}
			b.WriteByte('\n')
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func msDuration(ms float64) time.Duration { return time.Duration(ms * float64(time.Millisecond)) }

func fmtMs(ms float64) string { return FormatDuration(msDuration(ms)) }

func fmtDropped(m map[string]int64) string {
	if len(m) == 0 {
		return "0"
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%d %s", m[k], k)
	}
	return strings.Join(parts, ", ")
}
