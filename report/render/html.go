package render

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"maps"
	"math"
	"slices"
	"strings"

	"github.com/busdrill/busdrill/report"
)

//go:embed report.css
var pageCSS string

//go:embed report.html.tmpl
var pageTemplate string

//go:embed compare.html.tmpl
var compareTemplate string

var tmpl = template.Must(template.New("report").Funcs(template.FuncMap{
	"ms":      fmtMs,
	"count":   fmtCount,
	"pct":     fmtPct,
	"rate":    fmtRate,
	"seconds": fmtSeconds,
	"css":     func() template.CSS { return template.CSS(pageCSS) },
	"safeCSS": func(s string) template.CSS { return template.CSS(s) },
}).Parse(pageTemplate + compareTemplate))

// HTML writes report.html: one self-contained page (inline CSS and SVG,
// no script, nothing fetched; a Content-Security-Policy forbids any
// fetch) with the verdict and expectations, latency and throughput over
// time with the fault windows shaded, the percentile distributions, the
// loss ledger, duplicates, quota headroom, the fault timeline and the
// command that reproduces the run. The page is a function of r and meta
// alone: the same inputs give the same bytes.
func HTML(w io.Writer, r *report.Results, meta Meta) error {
	pg, err := newPage(r, meta)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := tmpl.ExecuteTemplate(&buf, "page", pg); err != nil {
		return fmt.Errorf("rendering report.html: %w", err)
	}
	_, err = w.Write(buf.Bytes())
	return err
}

// page is the data of the report template.
type page struct {
	Title, Verdict, VerdictClass string
	R                            *report.Results
	Met                          int
	Command, Version             string
	Cards                        []card
	Expectations                 []expectationRow
	Latency                      []latencyRow
	LatencyChart                 *Chart
	Traffic, Trouble             *Chart
	Distribution                 *Chart
	Routes                       []routeRow
	LedgerBalanced               bool
	Totals                       totals
	Duplicates                   []dupRow
	Quotas                       []quotaRow
	Faults                       []faultRow
	Windows                      []windowRow
	Recovery                     []recoveryRow
	Causes                       string
	NotSent                      string
	Anomalies                    string
	Metrics                      []kv
	TrafficS, CutoffS            string
}

type card struct {
	Label, Value, Note, Class string
}

type expectationRow struct {
	Name, Observed, Threshold, Window string
	OK                                bool
}

type latencyRow struct {
	Name                                string
	Count                               int64
	Min, Mean, P50, P90, P99, P999, Max string
	Clamped                             int64
}

type routeRow struct {
	From, To                           string
	Expected, Delivered, DLQ, InFlight int64
	Dropped, Causes                    string
	Lost                               int64
	LostPct, DeliveredPct              string
	Unexpected                         int64
	Balanced                           bool
}

type dupRow struct {
	Consumer                                  string
	Deliveries, ByID, ByKey, SideEffects, Vio int64
	ByKeyPct                                  string
}

type quotaRow struct {
	Quota, Account, Limit, Peak, Used string
	Bar                               float64 // width of the bar, % of the cell
	Class                             string
}

type faultRow struct {
	Name, Kind, Target, Start, End, Length string
	Left, Width                            float64 // % of the run
	Color                                  template.CSS
}

type kv struct {
	Key   string
	Value int64
}

func newPage(r *report.Results, meta Meta) (*page, error) {
	pg := &page{
		Title: title(r), Verdict: verdictWord(r), R: r, Met: metCount(r),
		Command: command(r, meta), Totals: totalsOf(r), LedgerBalanced: r.Ledger.Balanced,
		TrafficS: fmtMs(r.Window.TrafficMs), CutoffS: fmtMs(r.Window.CutoffMs),
	}
	pg.VerdictClass = strings.ToLower(r.Verdict)
	if meta.Version != "" && meta.Version != r.Version {
		pg.Version = meta.Version
	}
	t := pg.Totals
	e2e := r.Latency[report.LatencyE2E]
	pg.Cards = []card{
		{Label: "orders sent", Value: fmtCount(r.Orders.Sent), Note: fmt.Sprintf("of %s planned", fmtCount(r.Orders.Planned))},
		{Label: "completed", Value: fmtPct(ratio(r.Orders.Completed, r.Orders.Sent)), Note: fmtCount(r.Orders.Completed) + " journeys",
			Class: okClass(r.Orders.Incomplete == 0)},
		{Label: "e2e p50", Value: fmtMs(e2e.P50), Note: "p90 " + fmtMs(e2e.P90)},
		{Label: "e2e p99", Value: fmtMs(e2e.P99), Note: "max " + fmtMs(e2e.Max)},
		{Label: "deliveries lost", Value: fmtCount(t.Lost()), Note: fmtPct(ratio(t.Lost(), t.Expected)) + " of " + fmtCount(t.Expected),
			Class: okClass(t.Lost() == 0)},
		{Label: "duplicates", Value: fmtCount(t.ByKey), Note: fmtCount(t.ByID) + " by event id"},
		{Label: "idempotency violations", Value: fmtCount(r.Idempotency.Violations), Class: okClass(r.Idempotency.Violations == 0)},
	}
	for _, e := range r.Expectations {
		w := e.Window
		if w == "" {
			w = "all"
		}
		pg.Expectations = append(pg.Expectations, expectationRow{Name: e.Name, Observed: e.Observed, Threshold: e.Threshold, Window: w, OK: e.OK})
	}
	for _, name := range latencyNames(r) {
		s := r.Latency[name]
		row := latencyRow{Name: name, Count: s.Count, Clamped: s.Clamped}
		if s.Count > 0 {
			row.Min, row.Mean, row.P50, row.P90, row.P99, row.P999, row.Max =
				fmtMs(s.Min), fmtMs(s.Mean), fmtMs(s.P50), fmtMs(s.P90), fmtMs(s.P99), fmtMs(s.P999), fmtMs(s.Max)
		}
		pg.Latency = append(pg.Latency, row)
	}

	var err error
	if len(r.Series) > 0 {
		lc, err := LatencyChart(r)
		if err != nil {
			return nil, err
		}
		if hasSeriesLatency(r) {
			pg.LatencyChart = &lc
		}
		tr, tb, err := ThroughputCharts(r)
		if err != nil {
			return nil, err
		}
		pg.Traffic, pg.Trouble = &tr, &tb
	}
	lines, err := Distributions(r)
	if err != nil {
		return nil, err
	}
	if len(lines) > 0 {
		d, err := DistributionChart([]DistributionSet{{Lines: lines}})
		if err != nil {
			return nil, err
		}
		pg.Distribution = &d
	}

	for _, rt := range r.Ledger.Routes {
		lost := rt.DLQ + sum(rt.Dropped)
		pg.Routes = append(pg.Routes, routeRow{
			From: rt.From, To: rt.To, Expected: rt.Expected, Delivered: rt.Delivered, DLQ: rt.DLQ,
			InFlight: rt.InFlight, Dropped: fmtCauses(rt.Dropped), Causes: fmtCauses(lossCauses(rt)),
			Lost: lost, LostPct: fmtPct(ratio(lost, rt.Expected)), DeliveredPct: fmtPct(ratio(rt.Delivered, rt.Expected)),
			Unexpected: rt.Unexpected, Balanced: rt.Balanced,
		})
	}
	pg.Causes = fmtCauses(t.Causes)
	pg.NotSent = fmtCauses(r.Orders.NotSentCauses)
	for _, d := range r.Duplicates {
		pg.Duplicates = append(pg.Duplicates, dupRow{
			Consumer: d.Consumer, Deliveries: d.Deliveries, ByID: d.ByID, ByKey: d.ByKey,
			SideEffects: d.SideEffects, Vio: r.Idempotency.ByConsumer[d.Consumer],
			ByKeyPct: fmtPct(ratio(d.ByKey, d.Deliveries)),
		})
	}
	for _, q := range r.Quotas {
		row := quotaRow{Quota: q.Quota, Account: q.Account, Limit: fmtRate(q.Limit), Peak: fmtRate(q.Peak),
			Used: fmtPct(q.Used), Bar: math.Min(q.Used, 1) * 100}
		switch {
		case q.Used >= 1:
			row.Class = "bad"
		case q.Used >= 0.8:
			row.Class = "warn"
		}
		pg.Quotas = append(pg.Quotas, row)
	}
	span := xSpan(r) * 1000
	for i, f := range r.Faults {
		left := f.StartMs / span * 100
		width := math.Max((f.EndMs-f.StartMs)/span*100, 0.4)
		pg.Faults = append(pg.Faults, faultRow{
			Name: f.Name, Kind: f.Kind, Target: f.Target, Start: fmtSeconds(f.StartMs / 1000), End: fmtSeconds(f.EndMs / 1000),
			Length: fmtMs(f.EndMs - f.StartMs), Left: left, Width: math.Min(width, 100-left),
			Color: template.CSS(css(faultFills[i%len(faultFills)])),
		})
	}
	if pg.Windows, err = windowRows(r); err != nil {
		return nil, err
	}
	if pg.Recovery, err = recoveryRows(r); err != nil {
		return nil, err
	}
	pg.Anomalies = fmtCauses(r.Anomalies)
	for _, k := range slices.Sorted(maps.Keys(r.Metrics)) {
		pg.Metrics = append(pg.Metrics, kv{k, r.Metrics[k]})
	}
	return pg, nil
}

func okClass(ok bool) string {
	if ok {
		return "good"
	}
	return "bad"
}
