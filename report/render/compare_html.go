package render

import (
	"bytes"
	"fmt"
	"io"

	"github.com/busdrill/busdrill/report"
)

// CompareHTML writes a side-by-side report of two runs: the verdict of
// the comparison, the metrics that changed with their tolerances, the
// percentile distributions of both runs on one chart (the baseline
// dashed), and each run's latency and throughput over time side by side
// with its fault windows. Self-contained like HTML.
func CompareHTML(w io.Writer, base, new *report.Results, d Diff, meta Meta) error {
	pg := &comparePage{Diff: d, Base: base, New: new, Regressed: d.Regressed(), Version: meta.Version}
	for _, r := range d.Rows {
		if r.Status != Same {
			pg.Changed = append(pg.Changed, r)
		}
	}
	for i, r := range []*report.Results{base, new} {
		side := &pg.Sides[i]
		side.R = r
		side.Title = title(r)
		side.Verdict = verdictWord(r)
		side.VerdictClass = r.Verdict
		if len(r.Series) > 0 {
			lc, err := LatencyChart(r)
			if err != nil {
				return err
			}
			if hasSeriesLatency(r) {
				side.Latency = &lc
			}
			tr, _, err := ThroughputCharts(r)
			if err != nil {
				return err
			}
			side.Traffic = &tr
		}
	}
	bl, err := Distributions(base)
	if err != nil {
		return fmt.Errorf("base: %w", err)
	}
	nl, err := Distributions(new)
	if err != nil {
		return fmt.Errorf("new: %w", err)
	}
	split := func(ls []DistributionLine, e2e bool) []DistributionLine {
		var out []DistributionLine
		for _, l := range ls {
			if (l.Name == "end-to-end") == e2e {
				out = append(out, l)
			}
		}
		return out
	}
	for _, e2e := range []bool{true, false} {
		b, n := split(bl, e2e), split(nl, e2e)
		if len(b)+len(n) == 0 {
			continue
		}
		c, err := DistributionChart([]DistributionSet{{Label: "base", Dashed: true, Lines: b}, {Label: "new", Lines: n}})
		if err != nil {
			return err
		}
		pg.Distributions = append(pg.Distributions, c)
	}
	var buf bytes.Buffer
	if err := tmpl.ExecuteTemplate(&buf, "compare", pg); err != nil {
		return fmt.Errorf("rendering the comparison: %w", err)
	}
	_, err = w.Write(buf.Bytes())
	return err
}

type comparePage struct {
	Diff          Diff
	Changed       []Row
	Regressed     bool
	Base, New     *report.Results
	Sides         [2]compareSide
	Distributions []Chart
	Version       string
}

type compareSide struct {
	R                *report.Results
	Title, Verdict   string
	VerdictClass     string
	Latency, Traffic *Chart
}
