package capacity

import (
	"context"
	"fmt"
	"math"

	"github.com/busdrill/busdrill/report"
	"github.com/busdrill/busdrill/scenarios"
)

// Options configure a capacity search. Zero values take the defaults.
type Options struct {
	// Min and Max bound the rates searched, in orders per second
	// (defaults: the scenario's peak rate ÷ 1000, and the highest rate the
	// probe budget allows).
	Min, Max float64
	// Precision is the relative width of the final bracket (default 2%).
	Precision float64
	// Next is how many next steps to take (raise the binding limit, search
	// again); negative takes none (default 3). Raise is the factor a
	// limit is raised by (default 10).
	Next  int
	Raise float64
	// Set are the --set overrides; Prices the --price overrides (item →
	// US dollars per million events).
	Set    []Override
	Prices map[string]float64
	// Budget bounds each probe (default DefaultBudget).
	Budget Budget
	// Version is stamped into the answer.
	Version string
	// Progress, when set, is told before and after every probe.
	Progress func(Progress)
}

// Defaults.
const (
	// NextPrecision is the precision of the next steps' searches (or the
	// search's own, if coarser): they say where the next limit binds,
	// which the headroom already predicts; they check it.
	NextPrecision    = 0.05
	DefaultPrecision = 0.02
	DefaultNext      = 3
	DefaultRaise     = 10
)

// Progress is where a search stands: step 0 is the main search, n the
// n-th next step; Probe counts the probes of the step, Rate is being
// tried (Done false) or was (Done true, Pass its verdict); Lo and Hi the
// bracket so far (0 and +Inf when unknown).
type Progress struct {
	Step, Probe int
	Rate        float64
	Done, Pass  bool
	Lo, Hi      float64
}

// Run searches the highest sustainable rate of sc, explains it, takes the
// next steps and estimates the cost. A cancelled ctx (SIGINT) stops it
// within a second: the answer then holds the bracket found so far,
// marked interrupted (and ctx's error is not returned). An override that
// names nothing in the scenario, a bad value or a bad range is an error
// before anything runs.
func Run(ctx context.Context, sc *scenarios.Scenario, opts Options) (*report.Capacity, error) {
	opts = opts.withDefaults()
	subj, err := NewSubject(sc, opts.Set, opts.Budget, opts.Version)
	if err != nil {
		return nil, err
	}
	lo, hi := opts.Min, opts.Max
	if lo == 0 {
		lo = roundSig(subj.Peak()/1000, 3)
	}
	if hi == 0 {
		hi = roundSig(subj.MaxRate(), 3)
	}
	if !(hi >= lo) {
		return nil, fmt.Errorf("the highest rate searched (%s) is below the lowest (%s)", fmtRate(hi), fmtRate(lo))
	}
	out := &report.Capacity{
		Schema: report.CapacitySchema, Scenario: sc.Name, Seed: sc.Seed, Version: opts.Version,
		Traffic: fmt.Sprint(sc.Traffic.Arrivals.Shape), Precision: opts.Precision, Min: lo, Max: hi,
		Criteria: criteriaText, Skipped: subj.skipped,
	}
	for _, o := range opts.Set {
		out.Set = append(out.Set, o.String())
	}
	prices := withPrices(opts.Prices)

	cfg := SearchConfig{Start: clamp(roundSig(subj.Peak(), 4), lo, hi), Min: lo, Max: hi, Precision: opts.Precision}
	st, err := search(ctx, subj, cfg, 0, opts, out)
	if err != nil {
		return nil, err
	}
	out.SustainableRate, out.LowestFailingRate, out.End = st.bracket.Lo, finite(st.bracket.Hi), st.bracket.End
	out.Interrupted = st.bracket.End == EndInterrupted
	out.Binding = explain(subj, st.fail, st.pass)
	out.Headroom = headroom(subj, st.pass, out.Binding)
	out.Cost = cost(st.pass, prices)
	if !out.Interrupted {
		out.Interrupted = next(ctx, subj, st, opts, cfg, out)
	}
	return out, nil
}

func (o Options) withDefaults() Options {
	if o.Precision == 0 {
		o.Precision = DefaultPrecision
	}
	if o.Next == 0 {
		o.Next = DefaultNext
	}
	if o.Raise == 0 {
		o.Raise = DefaultRaise
	}
	if o.Budget == (Budget{}) {
		o.Budget = DefaultBudget
	}
	return o
}

// searched is a search's outcome: its bracket and the probes at its
// ends (nil when that end is unknown).
type searched struct {
	bracket    Bracket
	pass, fail *run
}

// search runs one search (step 0: the main one) over subj and appends
// its probes to out.
func search(ctx context.Context, subj *Subject, cfg SearchConfig, step int, opts Options, out *report.Capacity) (searched, error) {
	var runs []*run
	var ahead *speculation
	if cfg.Hint > 0 {
		ahead = speculate(ctx, subj, cfg)
		defer ahead.wait()
	}
	probe := func(ctx context.Context, rate float64) (Probe, error) {
		lo, hi := bracketOf(runs)
		if opts.Progress != nil {
			opts.Progress(Progress{Step: step, Probe: len(runs) + 1, Rate: rate, Lo: lo, Hi: hi})
		}
		r, err := ahead.probe(ctx, subj, rate)
		if err != nil {
			return Probe{}, err
		}
		r.probe.Step = step
		runs = append(runs, r)
		out.Probes = append(out.Probes, r.probe)
		if opts.Progress != nil {
			lo, hi := bracketOf(runs)
			opts.Progress(Progress{Step: step, Probe: len(runs), Rate: rate, Done: true, Pass: r.probe.Pass, Lo: lo, Hi: hi})
		}
		return Probe{Pass: r.probe.Pass, Predict: predict(r.constraints)}, nil
	}
	b, _, err := Search(ctx, cfg, probe)
	if err != nil {
		return searched{}, err
	}
	s := searched{bracket: b}
	for _, r := range runs {
		if r.probe.Pass && r.probe.Rate == b.Lo {
			s.pass = r
		}
		if !r.probe.Pass && r.probe.Rate == b.Hi {
			s.fail = r
		}
	}
	return s, nil
}

// bracketOf is the highest passing and lowest failing rate of runs.
func bracketOf(runs []*run) (lo, hi float64) {
	hi = math.Inf(1)
	for _, r := range runs {
		if r.probe.Pass {
			lo = max(lo, r.probe.Rate)
		} else {
			hi = min(hi, r.probe.Rate)
		}
	}
	return lo, hi
}

// finite is v, or 0 for infinity (JSON has no infinity).
func finite(v float64) float64 {
	if math.IsInf(v, 0) {
		return 0
	}
	return v
}
