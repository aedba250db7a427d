package render

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"math"
	"slices"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/busdrill/busdrill/report"
)

//go:embed capacity.html.tmpl
var capacityTemplate string

var capacityTmpl = template.Must(template.New("capacity").Funcs(template.FuncMap{
	"count":   fmtCount,
	"rate":    fmtRate,
	"css":     func() template.CSS { return template.CSS(pageCSS) },
	"safeCSS": func(s string) template.CSS { return template.CSS(s) },
	"use":     func(u float64) string { return fmtPct(u) },
	"usecls": func(u float64) string {
		switch {
		case u >= 1:
			return "bad"
		case u >= 0.8:
			return "warn"
		}
		return ""
	},
	"bar":     func(u float64) template.CSS { return template.CSS(fmt.Sprintf("width:%.1f%%", math.Min(u, 1)*100)) },
	"num":     func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) },
	"usd":     func(v float64) string { return fmt.Sprintf("$%.2f", v) },
	"ms":      fmtMs,
	"inc":     func(i int) int { return i + 1 },
	"nonzero": func(v float64) bool { return v != 0 },
}).Parse(capacityTemplate + `{{define "chart"}}<figure>{{.SVG}}
<ul class="legend">{{range .Legend}}<li><span class="swatch{{if .Dashed}} dashed{{end}}" style="border-color:{{.Color | safeCSS}}"></span>{{.Name}}</li>{{end}}</ul>
</figure>{{end}}`))

// CapacityHTML writes capacity.html: the answer of busdrill capacity on
// one self-contained page in report.html's style (inline CSS and SVG, no
// script, nothing fetched): the sustainable rate and the binding limit,
// latency, loss and backlog against rate with the answer and each next
// step marked, the headroom, the next steps, every probe, the cost and
// its prices' sources. The page is a function of c and meta alone.
func CapacityHTML(w io.Writer, c *report.Capacity, meta Meta) error {
	pg, err := newCapacityPage(c, meta)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := capacityTmpl.ExecuteTemplate(&buf, "capacity", pg); err != nil {
		return fmt.Errorf("rendering capacity.html: %w", err)
	}
	_, err = w.Write(buf.Bytes())
	return err
}

type capacityPage struct {
	C                     *report.Capacity
	Verdict, VerdictClass string
	Command, Version      string
	Cards                 []card
	Charts                []*Chart
}

func newCapacityPage(c *report.Capacity, meta Meta) (*capacityPage, error) {
	pg := &capacityPage{C: c, Command: meta.Command, Version: c.Version}
	if pg.Command == "" {
		pg.Command = fmt.Sprintf("busdrill capacity %s --seed %d", c.Scenario, c.Seed)
	}
	switch {
	case c.End == "not sustainable at --min":
		pg.Verdict, pg.VerdictClass = "not sustainable at "+fmtRate(c.Min), "fail"
	case c.SustainableRate > 0:
		pg.Verdict, pg.VerdictClass = fmtRate(c.SustainableRate)+" sustainable", "pass"
	default:
		pg.Verdict, pg.VerdictClass = "no answer yet", "none"
	}
	pg.Cards = []card{{Label: "sustainable rate", Value: fmtRate(c.SustainableRate), Note: "peak of the scaled traffic", Class: "good"}}
	if c.LowestFailingRate > 0 {
		pg.Cards = append(pg.Cards, card{Label: "lowest failing rate", Value: fmtRate(c.LowestFailingRate), Class: "bad"})
	}
	if b := c.Binding; b != nil {
		pg.Cards = append(pg.Cards, card{Label: "binding", Value: b.Kind, Note: b.Name},
			card{Label: "its utilisation", Value: fmtPct(b.Utilisation), Note: "at the sustainable rate"})
	}
	if c.Cost != nil {
		pg.Cards = append(pg.Cards, card{Label: "EventBridge cost", Value: fmt.Sprintf("$%.2f", c.Cost.USDPerMillion), Note: "per million orders"})
	}
	pg.Cards = append(pg.Cards, card{Label: "probes", Value: fmtCount(int64(len(c.Probes))), Note: fmt.Sprintf("%d next steps", len(c.Next))})
	for _, spec := range []struct {
		title, y string
		ticks    plot.Ticker
		get      func(p report.CapacityProbe) float64
	}{
		{"end-to-end p99 latency against rate", "end-to-end p99", durationTicks{}, func(p report.CapacityProbe) float64 { return p.E2EP99Ms }},
		{"deliveries lost against rate", "deliveries lost", countTicks{}, func(p report.CapacityProbe) float64 { return float64(p.Lost) }},
		{"peak handler backlog against rate", "most invocations waiting in a handler", countTicks{}, func(p report.CapacityProbe) float64 { return float64(p.PeakBacklog) }},
	} {
		ch, err := capacityChart(c, spec.title, spec.y, spec.ticks, spec.get)
		if err != nil {
			return nil, err
		}
		if ch != nil {
			pg.Charts = append(pg.Charts, ch)
		}
	}
	return pg, nil
}

// capacityChart plots a probe measure against rate (log scale), one line
// per step (the search, each next step), passes as dots and failures as
// crosses, with each step's answer marked by a dashed vertical line.
func capacityChart(c *report.Capacity, title, yLabel string, ticks plot.Ticker, get func(report.CapacityProbe) float64) (*Chart, error) {
	if len(c.Probes) == 0 {
		return nil, nil
	}
	lo, hi, top := math.Inf(1), 0.0, 1.0
	for _, p := range c.Probes {
		lo, hi, top = math.Min(lo, p.Rate), math.Max(hi, p.Rate), math.Max(top, get(p))
	}
	for _, s := range c.Next {
		if s.Rate > 0 {
			lo, hi = math.Min(lo, s.Rate), math.Max(hi, s.Rate)
		}
	}
	lo, hi, top = lo/1.15, hi*1.15, top*1.15
	p := newPlot("rate (orders per second, peak; log scale)", yLabel)
	p.X.Scale = plot.LogScale{}
	p.X.Tick.Marker = rateTicks{}
	p.Y.Tick.Marker = ticks
	p.X.Min, p.X.Max = lo, hi
	p.Y.Min, p.Y.Max = 0, top
	var legend []LegendItem
	steps := []int{}
	for _, pr := range c.Probes {
		if !slices.Contains(steps, pr.Step) {
			steps = append(steps, pr.Step)
		}
	}
	for _, step := range steps {
		var xys, pass, fail plotter.XYs
		for _, pr := range c.Probes {
			if pr.Step != step {
				continue
			}
			xy := plotter.XY{X: pr.Rate, Y: get(pr)}
			xys = append(xys, xy)
			if pr.Pass {
				pass = append(pass, xy)
			} else {
				fail = append(fail, xy)
			}
		}
		slices.SortFunc(xys, func(a, b plotter.XY) int { return cmpFloat(a.X, b.X) })
		col := step % len(palette)
		if err := line(p, xys, col, false, 1); err != nil {
			return nil, err
		}
		for _, g := range []struct {
			pts   plotter.XYs
			shape draw.GlyphDrawer
		}{{pass, draw.CircleGlyph{}}, {fail, draw.CrossGlyph{}}} {
			if len(g.pts) == 0 {
				continue
			}
			s, err := plotter.NewScatter(g.pts)
			if err != nil {
				return nil, err
			}
			s.GlyphStyle.Color = palette[col]
			s.GlyphStyle.Radius = vg.Points(3)
			s.GlyphStyle.Shape = g.shape
			p.Add(s)
		}
		answer, name := c.SustainableRate, "search"
		if step > 0 && step <= len(c.Next) {
			n := c.Next[step-1]
			answer, name = n.Rate, fmt.Sprintf("next %d: %s %s → %s", step, n.Name, strconv.FormatFloat(n.Limit, 'f', -1, 64), strconv.FormatFloat(n.RaisedTo, 'f', -1, 64))
		}
		if answer > 0 {
			if err := line(p, plotter.XYs{{X: answer, Y: 0}, {X: answer, Y: top}}, col, true, 1); err != nil {
				return nil, err
			}
			name += ", answer " + fmtRate(answer)
		}
		legend = append(legend, LegendItem{Name: name, Color: css(palette[col])})
	}
	legend = append(legend, LegendItem{Name: "dots pass, crosses fail; dashed: each step's answer", Color: "transparent"})
	svg, err := svgOf(p, chartWidth, chartHeight*0.85, title)
	if err != nil {
		return nil, err
	}
	return &Chart{SVG: svg, Legend: legend}, nil
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// rateTicks labels a log axis of rates: 1, 2, 5 in every decade.
type rateTicks struct{}

func (rateTicks) Ticks(lo, hi float64) []plot.Tick {
	var ticks []plot.Tick
	for e := math.Floor(math.Log10(lo)); e <= math.Ceil(math.Log10(hi)); e++ {
		base := math.Pow(10, e)
		for m := 1.0; m < 10; m++ {
			v := m * base
			if v < lo || v > hi {
				continue
			}
			t := plot.Tick{Value: v}
			if m == 1 || m == 2 || m == 5 {
				t.Label = fmtRate(v)
			}
			ticks = append(ticks, t)
		}
	}
	return ticks
}
