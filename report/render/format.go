package render

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/busdrill/busdrill/report"
)

// Numbers are always printed with their unit: durations through
// report.FormatDuration (412ms, 7.21s, 2m3s), counts with thousands
// separators, ratios as percentages, rates per second.

// fmtMs prints a latency given in milliseconds.
func fmtMs(ms float64) string {
	if ms == 0 {
		return "0"
	}
	return report.FormatDuration(msDuration(ms))
}

func msDuration(ms float64) time.Duration {
	return time.Duration(math.Round(ms * float64(time.Millisecond)))
}

// fmtSeconds prints a time of the run given in seconds: 0, 45s, 1m30s, 2h.
func fmtSeconds(s float64) string {
	if s == 0 {
		return "0"
	}
	d := time.Duration(math.Round(s * float64(time.Second)))
	if d < time.Minute {
		return strconv.FormatFloat(d.Seconds(), 'f', -1, 64) + "s"
	}
	out := d.Round(time.Second).String() // 1h2m3s, 2m0s, 1h0m0s
	if strings.HasSuffix(out, "m0s") {
		out = strings.TrimSuffix(out, "0s")
	}
	if strings.HasSuffix(out, "h0m") {
		out = strings.TrimSuffix(out, "0m")
	}
	return out
}

// fmtCount prints a count with thousands separators: 1,234,567.
func fmtCount(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// fmtPct prints a ratio as a percentage with up to two decimals, keeping
// small non-zero ratios visible (0.004% rather than 0%).
func fmtPct(ratio float64) string {
	if math.IsNaN(ratio) || math.IsInf(ratio, 0) {
		return "–"
	}
	p := ratio * 100
	switch {
	case p == 0:
		return "0%"
	case math.Abs(p) < 0.01:
		return strconv.FormatFloat(p, 'g', 2, 64) + "%"
	}
	return strconv.FormatFloat(math.Round(p*100)/100, 'f', -1, 64) + "%"
}

// fmtRate prints a rate per second.
func fmtRate(perSecond float64) string {
	switch {
	case perSecond == 0:
		return "0/s"
	case perSecond >= 100:
		return fmtCount(int64(math.Round(perSecond))) + "/s"
	}
	return strconv.FormatFloat(math.Round(perSecond*100)/100, 'f', -1, 64) + "/s"
}

// fmtCauses prints "3 throttled, 1 rule-disabled", sorted by cause.
func fmtCauses(m map[string]int64) string {
	keys := slices.Sorted(maps.Keys(m))
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		if m[k] != 0 {
			parts = append(parts, fmtCount(m[k])+" "+k)
		}
	}
	return strings.Join(parts, ", ")
}

func sum(m map[string]int64) int64 {
	var n int64
	for _, v := range m {
		n += v
	}
	return n
}

// latencyNames returns e2e and the hops in journey order, then any other
// latency the results carry, sorted: the order every renderer uses.
func latencyNames(r *report.Results) []string {
	names := []string{}
	seen := map[string]bool{}
	for _, n := range append([]string{report.LatencyE2E}, report.Hops...) {
		if _, ok := r.Latency[n]; ok {
			names = append(names, n)
			seen[n] = true
		}
	}
	for _, n := range slices.Sorted(maps.Keys(r.Latency)) {
		if !seen[n] {
			names = append(names, n)
		}
	}
	return names
}

// totals are the run-wide sums every renderer shows.
type totals struct {
	Expected, Delivered, DLQ, Dropped, InFlight, Unexpected int64
	// Causes is lossCauses summed over the routes.
	Causes                               map[string]int64
	Deliveries, ByID, ByKey, SideEffects int64
	Throttled                            int64
}

func totalsOf(r *report.Results) totals {
	t := totals{Causes: map[string]int64{}}
	for _, rt := range r.Ledger.Routes {
		t.Expected += rt.Expected
		t.Delivered += rt.Delivered
		t.DLQ += rt.DLQ
		t.InFlight += rt.InFlight
		t.Unexpected += rt.Unexpected
		t.Dropped += sum(rt.Dropped)
		for c, n := range lossCauses(rt) {
			t.Causes[c] += n
		}
	}
	for _, d := range r.Duplicates {
		t.Deliveries += d.Deliveries
		t.ByID += d.ByID
		t.ByKey += d.ByKey
		t.SideEffects += d.SideEffects
	}
	for _, p := range r.Series {
		t.Throttled += p.Throttled
	}
	return t
}

// Lost counts deliveries in a DLQ or dropped.
func (t totals) Lost() int64 { return t.DLQ + t.Dropped }

// LostRatio is Lost over the expected deliveries.
func (t totals) LostRatio() float64 { return ratio(t.Lost(), t.Expected) }

// lossCauses splits a route's losses by cause: "dlq: CAUSE" for DLQ
// outcomes (plain "dlq" when the cause is unknown) and the drop causes as
// named.
func lossCauses(rt report.Route) map[string]int64 {
	m := map[string]int64{}
	for c, n := range rt.Dropped {
		m[c] += n
	}
	var split int64
	for c, n := range rt.DLQCauses {
		m["dlq: "+c] += n
		split += n
	}
	if rest := rt.DLQ - split; rest > 0 {
		m["dlq"] += rest
	}
	return m
}

// ratio is a/b, or 0 when b is 0.
func ratio(a, b int64) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// title is "reference · seed 1 · sim" with the shard when there is one.
func title(r *report.Results) string {
	s := fmt.Sprintf("%s · seed %d · %s", r.Scenario, r.Seed, r.Target)
	if r.Shard != nil {
		s += fmt.Sprintf(" · shard %d of %d", r.Shard.Index, r.Shard.Count)
	}
	return s
}

// verdictWord is PASS, FAIL or NO VERDICT.
func verdictWord(r *report.Results) string {
	if r.Verdict == "" {
		return "NO VERDICT"
	}
	return strings.ToUpper(r.Verdict)
}

func metCount(r *report.Results) int {
	n := 0
	for _, e := range r.Expectations {
		if e.OK {
			n++
		}
	}
	return n
}

// expectationName is the name with its window when it is not the whole
// run.
func expectationName(e report.Expectation) string {
	if e.Window == "" || e.Window == "all" {
		return e.Name
	}
	return e.Name + " [" + e.Window + "]"
}

// command returns the reproduce line: meta's, or one built from the
// results.
func command(r *report.Results, m Meta) string {
	if m.Command != "" {
		return m.Command
	}
	c := fmt.Sprintf("busdrill run %s --seed %d", r.Scenario, r.Seed)
	if r.Target == "aws" {
		// The live section is not in the results; the runner's command
		// (in meta.json) names it.
		c += " --target aws --live LIVE.yaml"
	}
	if r.Shard != nil {
		c += fmt.Sprintf(" --shard %d/%d", r.Shard.Index, r.Shard.Count)
	}
	return c
}
