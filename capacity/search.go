package capacity

import (
	"context"
	"errors"
	"math"
	"strconv"
)

// Probe is one rate tried by a search and what it showed.
type Probe struct {
	// Rate is the peak rate tried, in orders per second.
	Rate float64
	// Pass reports whether the scenario was sustainable at Rate.
	Pass bool
	// Predict is the rate at which the probe's most used constraint
	// would reach 100% if its use grows in proportion to the rate (Rate
	// divided by its utilisation); 0 when the probe says nothing about it.
	// It steers the search; the verdicts alone decide the answer.
	Predict float64
}

// Prober runs one probe at a rate. A cancelled ctx stops it: it then
// returns ctx's error and its probe does not count.
type Prober func(ctx context.Context, rate float64) (Probe, error)

// SearchConfig bounds a search.
type SearchConfig struct {
	// Start is the first rate tried (the scenario's own peak rate), Min
	// and Max the range searched, in orders per second.
	Start, Min, Max float64
	// Precision is the relative width at which the bracket is narrow
	// enough: the search stops when the lowest failing rate is at most
	// (1 + Precision) times the highest passing one.
	Precision float64
	// Hint, when positive, is a predicted answer (a next step's search
	// knows one from the constraints' headroom): the search starts just
	// below it instead of at Start.
	Hint float64
	// MaxProbes bounds the probes (0: DefaultMaxProbes).
	MaxProbes int
}

// DefaultMaxProbes bounds a search's probes: bracketing from any start
// in the range and bisecting to 0.1% takes far fewer.
const DefaultMaxProbes = 40

// Ends of a search.
const (
	// EndConverged: the bracket is as narrow as the precision asks.
	EndConverged = "converged"
	// EndAtMax: the highest rate of the range is sustainable.
	EndAtMax = "sustainable at --max"
	// EndBelowMin: the lowest rate of the range is not sustainable.
	EndBelowMin = "not sustainable at --min"
	// EndProbeLimit: the search used MaxProbes probes.
	EndProbeLimit = "probe limit"
	// EndInterrupted: the search was interrupted (SIGINT).
	EndInterrupted = "interrupted"
)

// Bracket is what a search knows: Lo, the highest rate found
// sustainable (0: none), and Hi, the lowest found not sustainable
// (+Inf: none). Every rate probed at or below Lo passed, every rate at
// or above Hi failed; the answer is Lo, within (1 + precision) of the
// true limit when the search converged.
type Bracket struct {
	Lo, Hi float64
	// End says why the search stopped (one of the End* constants).
	End string
}

// Search finds the highest sustainable rate in [Min, Max] by bracketing
// then bisection, each step a probe. It is deterministic: the rates it
// tries depend only on the configuration and the probes' results.
//
// Bracketing goes up from Start (×2 each time) until a probe fails, or
// down (÷2) until one passes; once a prediction has been tried, it
// gallops from it instead (1+2p, 1+4p, ...), the limit being near. Bisection then halves the bracket on a log
// scale until it is within Precision. A probe's Predict (where its most
// used constraint saturates) is tried first when it falls well inside
// the unknown range: a linear constraint is then found in three or four
// probes instead of ten. Predictions are only advice: after three that did
// not narrow the bracket to the precision, the search bisects.
func Search(ctx context.Context, cfg SearchConfig, probe Prober) (Bracket, []Probe, error) {
	if err := cfg.validate(); err != nil {
		return Bracket{}, nil, err
	}
	maxProbes := cfg.MaxProbes
	if maxProbes <= 0 {
		maxProbes = DefaultMaxProbes
	}
	s := searcher{cfg: cfg, lo: 0, hi: math.Inf(1)}
	var probes []Probe
	for {
		if end := s.end(); end != "" {
			return s.bracket(end), probes, nil
		}
		if len(probes) >= maxProbes {
			return s.bracket(EndProbeLimit), probes, nil
		}
		rate := s.next()
		p, err := probe(ctx, rate)
		if err != nil {
			if ctx.Err() != nil {
				return s.bracket(EndInterrupted), probes, nil
			}
			return s.bracket(""), probes, err
		}
		p.Rate = rate
		probes = append(probes, p)
		s.learn(p)
	}
}

func (c SearchConfig) validate() error {
	switch {
	case !(c.Min > 0) || math.IsInf(c.Min, 0):
		return errors.New("the lowest rate searched must be a positive rate")
	case !(c.Max >= c.Min) || math.IsInf(c.Max, 0):
		return errors.New("the highest rate searched must be at least the lowest")
	case !(c.Precision > 0 && c.Precision < 1):
		return errors.New("the precision must be a fraction between 0 and 1 (2% is 0.02)")
	case !(c.Start > 0) || math.IsInf(c.Start, 0):
		return errors.New("the first rate tried must be a positive rate")
	}
	return nil
}

// searcher is a search's state.
type searcher struct {
	cfg SearchConfig
	// lo is the highest passing rate (0: none), hi the lowest failing
	// (+Inf: none).
	lo, hi float64
	// predict is the latest usable prediction; guesses counts the
	// predictions followed; probed the probes learnt from.
	predict float64
	guesses int
	probed  int
	// gallop counts the bracketing steps taken since a prediction.
	gallop int
}

// maxGuesses is how many predictions a search follows.
const maxGuesses = 3

func (s *searcher) end() string {
	switch {
	case s.lo > 0 && !math.IsInf(s.hi, 1) && s.hi <= s.lo*(1+s.cfg.Precision):
		return EndConverged
	case s.lo >= s.cfg.Max:
		return EndAtMax
	case s.hi <= s.cfg.Min:
		return EndBelowMin
	}
	return ""
}

func (s *searcher) bracket(end string) Bracket { return Bracket{Lo: s.lo, Hi: s.hi, End: end} }

// learn narrows the bracket with a probe's verdict and keeps its
// prediction. A passing probe's prediction is preferred: a failing one
// measured a saturated backbone.
func (s *searcher) learn(p Probe) {
	s.probed++
	if p.Pass {
		s.lo = max(s.lo, p.Rate)
	} else {
		s.hi = min(s.hi, p.Rate)
	}
	if p.Predict > 0 && !math.IsInf(p.Predict, 0) && (p.Pass && p.Rate >= s.lo || s.lo == 0) {
		s.predict = p.Predict
	}
	if s.cfg.Hint > 0 && s.probed == 1 && p.Pass {
		// The hint's pair: just below it (passed), then just above it.
		s.predict = s.cfg.Hint
	}
}

// next is the rate to try next: strictly inside (lo, hi) and within
// [Min, Max].
func (s *searcher) next() float64 {
	cfg := s.cfg
	p := cfg.Precision
	if s.probed == 0 {
		start := cfg.Start
		if cfg.Hint > 0 {
			start = cfg.Hint * (1 - p/3)
		}
		return s.inside(clamp(start, cfg.Min, cfg.Max))
	}
	// A prediction well inside the unknown range: just above it while
	// nothing failed (expect the first failure), else just below it
	// (expect a pass) or just above it when below is known to pass. A
	// third of the precision either side: two right guesses converge.
	if s.guesses < maxGuesses && s.predict > 0 {
		below, above := s.predict*(1-p/3), s.predict*(1+p/3)
		guesses := []float64{below, above}
		if math.IsInf(s.hi, 1) {
			guesses = []float64{above}
		}
		for _, g := range guesses {
			if g = clamp(g, cfg.Min, cfg.Max); s.wellInside(g) {
				s.guesses++
				return s.inside(g)
			}
		}
	}
	switch {
	case math.IsInf(s.hi, 1): // nothing failed yet: go up
		return s.inside(min(s.lo*s.stride(), cfg.Max))
	case s.lo == 0: // nothing passed yet: go down
		return s.inside(max(s.hi/s.stride(), cfg.Min))
	case s.guesses > 0:
		// A wide bracket below a failed prediction: the limit is
		// likely just under it. Gallop down from the failure, never
		// below the bracket's middle (the worst case is bisection).
		return s.inside(max(s.hi/s.stride(), math.Sqrt(s.lo*s.hi)))
	}
	return s.inside(math.Sqrt(s.lo * s.hi))
}

// stride is the next bracketing factor: 2 when the search has no
// prediction; after a prediction proved wrong (the limit is near it, but
// not exactly there) a gallop from the precision: 1+2p, 1+4p, 1+8p, ...
// up to 2.
func (s *searcher) stride() float64 {
	if s.guesses == 0 {
		return 2
	}
	s.gallop++
	return min(1+s.cfg.Precision*math.Pow(2, float64(s.gallop)), 2)
}

// wellInside reports whether r is inside (lo, hi) with room: a probe at
// r narrows the bracket by more than a quarter of the precision.
func (s *searcher) wellInside(r float64) bool {
	q := 1 + s.cfg.Precision/4
	return r > s.lo*q && r*q < s.hi
}

// inside rounds r to the fewest significant digits (at least three) that
// keep it strictly between lo and hi, so that rates read well ("199/s")
// and the search always learns something.
func (s *searcher) inside(r float64) float64 {
	for digits := 3; digits <= 15; digits++ {
		v := roundSig(r, digits)
		if v > s.lo && v < s.hi && v >= s.cfg.Min && v <= s.cfg.Max {
			return v
		}
	}
	return r
}

// roundSig rounds r to n significant digits.
func roundSig(r float64, n int) float64 {
	if r == 0 || math.IsInf(r, 0) || math.IsNaN(r) {
		return r
	}
	v, err := strconv.ParseFloat(strconv.FormatFloat(r, 'g', n, 64), 64)
	if err != nil {
		return r
	}
	return v
}

func clamp(r, lo, hi float64) float64 { return min(max(r, lo), hi) }

// HintPair returns the first two rates a search with a Hint tries when
// the first passes: just below and just above the hint. A caller with
// cores to spare runs the second while the first runs (a speculation the
// search's answer does not depend on).
func HintPair(cfg SearchConfig) (first, second float64) {
	s := searcher{cfg: cfg, lo: 0, hi: math.Inf(1)}
	first = s.next()
	s.learn(Probe{Rate: first, Pass: true})
	return first, s.next()
}
