package capacity

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"strconv"
	"time"

	"github.com/busdrill/busdrill/loadgen"
	"github.com/busdrill/busdrill/report"
	"github.com/busdrill/busdrill/scenarios"
	"github.com/busdrill/busdrill/sim/world"
)

// Subject is a scenario prepared for a capacity search: loaded afresh
// from its source with the --set overrides applied, its traffic scaled
// to each rate probed.
type Subject struct {
	sc   *scenarios.Scenario
	sets []Override
	// base is the scenario's own traffic shape, peak its peak rate and
	// total its expected orders.
	base        loadgen.Shape
	peak, total float64
	duration    time.Duration
	// used says which expectations are criteria; skipped the others.
	used    []bool
	skipped []report.SkippedExpectation
	budget  Budget
	version string
}

// Budget bounds what one probe simulates.
type Budget struct {
	// Orders is the most orders a probe plans before its traffic window
	// is shortened (the shape compressed in time, its rates unchanged),
	// never below MinTraffic. A scenario with faults is never shortened:
	// its faults happen at fixed times.
	Orders float64
	// MinTraffic is the shortest traffic window a shortened probe keeps.
	MinTraffic time.Duration
	// Ceiling is the most orders any probe may plan: the highest rate
	// searched is capped where a probe, shortened as far as it goes,
	// would plan more.
	Ceiling float64
}

// DefaultBudget: 150,000 orders per probe (about 2.5 million engine
// events: a second or two), traffic windows of at least a minute (and of
// twelve times the slowest service's mean processing time), and no probe
// over two million orders.
var DefaultBudget = Budget{Orders: 150_000, MinTraffic: time.Minute, Ceiling: 2_000_000}

// minTrafficRuns is how many of the slowest service's mean processing
// times a shortened probe's traffic window lasts at least: enough for its
// backlog to settle, and then to show a trend.
const minTrafficRuns = 12

// NewSubject prepares a scenario: it reloads it from its source (a fresh
// copy, so that overrides never leak from one subject into another),
// keeps its seed and applies the overrides in order. An override that
// names nothing in the scenario, or has a bad value, is an error.
func NewSubject(sc *scenarios.Scenario, sets []Override, budget Budget, version string) (*Subject, error) {
	fresh, err := scenarios.Load(sc.File, sc.Source, scenarios.LoadOptions{Force: true})
	if err != nil {
		return nil, err
	}
	fresh.Seed = sc.Seed
	if err := apply(fresh, sets); err != nil {
		return nil, err
	}
	profile, err := loadgen.Compile(fresh.Traffic.Arrivals.Shape)
	if err != nil {
		return nil, err
	}
	if profile.Peak() <= 0 || profile.Total() <= 0 {
		return nil, errors.New("the scenario's traffic sends no order: there is no rate to scale")
	}
	s := &Subject{sc: fresh, sets: sets, base: fresh.Traffic.Arrivals.Shape,
		peak: profile.Peak(), total: profile.Total(), duration: profile.Duration(),
		budget: budget, version: version}
	slowest := time.Duration(0)
	for _, h := range world.ParamsFor(fresh).Handlers {
		if h.Process != nil {
			slowest = max(slowest, time.Duration(h.Process.Mean()))
		}
	}
	s.budget.MinTraffic = min(max(budget.MinTraffic, minTrafficRuns*slowest), s.duration)
	s.used, s.skipped = criteria(fresh)
	return s, nil
}

// With returns the subject with one more override (a next step's raise).
func (s *Subject) With(o Override) (*Subject, error) {
	return NewSubject(s.sc, append(append([]Override(nil), s.sets...), o), s.budget, s.version)
}

// Scenario is the prepared scenario (overrides applied).
func (s *Subject) Scenario() *scenarios.Scenario { return s.sc }

// Peak is the peak rate of the scenario's own traffic.
func (s *Subject) Peak() float64 { return s.peak }

// MaxRate is the highest rate the budget's ceiling lets a probe run.
func (s *Subject) MaxRate() float64 {
	f := 1.0
	if !hasFaults(s.sc) {
		f = float64(s.budget.MinTraffic) / float64(s.duration)
	}
	return s.budget.Ceiling * s.peak / (s.total * f)
}

// shape is the traffic of a probe at rate: the scenario's shape scaled
// to that peak and, over the budget, shortened.
func (s *Subject) shape(rate float64) (shape loadgen.Shape, shortened bool) {
	shape = loadgen.Scale(s.base, rate/s.peak)
	planned := s.total * rate / s.peak
	if planned <= s.budget.Orders || hasFaults(s.sc) {
		return shape, false
	}
	f := max(s.budget.Orders/planned, float64(s.budget.MinTraffic)/float64(s.duration))
	if f >= 1 {
		return shape, false
	}
	return loadgen.Stretch(shape, f), true
}

// run is what one probe measured and concluded.
type run struct {
	probe       report.CapacityProbe
	constraints []report.CapacityConstraint
	verdict     verdict
	// usage and sent: the billed events and the orders published.
	usage world.Usage
	sent  int64
	// expect[i] is how close criterion expectation i came to its
	// threshold (observed / threshold, for ceilings; 0 when unknown).
	expect []float64
}

// errInterrupted is a probe stopped by its context.
var errInterrupted = errors.New("interrupted")

// probe runs the scenario at rate (its peak, in orders per second) from
// its seed and judges it. A cancelled ctx stops the run within a second
// of wall time; the probe then returns ctx's error.
func (s *Subject) probe(ctx context.Context, rate float64) (*run, error) {
	sc := *s.sc
	shape, shortened := s.shape(rate)
	sc.Traffic.Arrivals.Shape = shape
	profile, err := loadgen.Compile(shape)
	if err != nil {
		return nil, fmt.Errorf("the traffic at %s: %w", fmtRate(rate), err)
	}
	w := newWatcher(profile)
	res, _, err := world.Run(world.Options{
		Scenario: &sc, Version: s.version, Sample: w.sample,
		Concurrent: runtime.GOMAXPROCS(0) > 1, // the same answers, sooner
		Stop:       func() bool { return ctx.Err() != nil },
	})
	if err != nil {
		return nil, err
	}
	if res.Interrupted {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, errInterrupted
	}
	r := &run{usage: w.last.Usage, sent: w.last.Sent}
	r.constraints = measure(&sc, &w.start, &w.end, &w.last, rate)
	r.verdict = judge(&sc, s.used, res, w)
	judgeEnd(&r.verdict, r.constraints, profile.Rate(profile.Duration()-1))
	r.expect = expectationUse(&sc, s.used, res)
	var inFlight, lost int64
	for _, rt := range res.Ledger.Routes {
		inFlight += rt.InFlight
		lost += rt.DLQ
		for _, n := range rt.Dropped {
			lost += n
		}
	}
	p := report.CapacityProbe{
		Rate: rate, Pass: r.verdict.pass, Why: r.verdict.reasons,
		TrafficS: round(profile.Duration().Seconds(), 3), Shortened: shortened,
		Orders: res.Orders.Sent, Lost: lost, InFlight: inFlight,
		PeakBacklog: w.peakBacklog, PeakWaitS: round(w.peakWait.Seconds(), 3),
	}
	if e2e, ok := res.Latency[report.LatencyE2E]; ok && e2e.Count > 0 {
		p.E2EP99Ms = e2e.P99
	}
	if len(r.constraints) > 0 {
		b := r.constraints[0]
		p.Busiest = &b
	}
	if p.Pass {
		p.Why = []string{passWhy(s, res, p.Busiest)}
	}
	r.probe = p
	return r, nil
}

// passWhy says what made a probe pass.
func passWhy(s *Subject, res *report.Results, busiest *report.CapacityConstraint) string {
	n := 0
	for _, u := range s.used {
		if u {
			n++
		}
	}
	why := fmt.Sprintf("sustainable: %d of %d expectations met (%d not criteria), nothing lost, nothing growing",
		n, len(res.Expectations), len(res.Expectations)-n)
	if busiest != nil {
		why += fmt.Sprintf("; busiest: %s %s at %s", busiest.Kind, busiest.Name, fmtPct(busiest.Utilisation))
	}
	return why
}

// expectationUse is, for each criterion expectation with a threshold
// (a ceiling on a latency or a count), its observed value over the
// threshold: how close it came.
func expectationUse(sc *scenarios.Scenario, used []bool, res *report.Results) []float64 {
	out := make([]float64, len(sc.Expect))
	for i, e := range sc.Expect {
		c := e.Cond
		if !used[i] || c.Ref != "" || c.Value <= 0 || (c.Op != "<" && c.Op != "<=") {
			continue
		}
		if v, ok := c.ObserveIn(res, e.Window); ok {
			out[i] = round(v/c.Value, 4)
		}
	}
	return out
}

// fmtRate prints a rate in orders per second: 199/s, 0.25/s.
func fmtRate(r float64) string {
	if math.IsInf(r, 0) {
		return "∞"
	}
	return fmt.Sprintf("%s/s", trimFloat(roundSig(r, 4)))
}

// fmtPct prints a utilisation: 97.6%.
func fmtPct(u float64) string { return trimFloat(round(u*100, 1)) + "%" }

func trimFloat(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
