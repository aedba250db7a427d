package swarm

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/busdrill/busdrill/chaos"
	"github.com/busdrill/busdrill/report"
	"github.com/busdrill/busdrill/rng"
	"github.com/busdrill/busdrill/scenarios"
	"github.com/busdrill/busdrill/units"
)

// QuickRateFactor is what --quick scales every traffic rate by: a quarter
// of the orders through the same timeline (faults, windows, drain,
// retries and grace periods unchanged), for a fast check of the model's
// invariants and determinism. Expectations written for the full rate
// (a quota reached, a throttle that bites) may not hold at it.
const QuickRateFactor = 0.25

// variationStream names the random stream a fault's variation draws from
// (its on/off switch, then its length, then its start), and rateStream
// the rate factor's. Each is derived from the seed alone, apart from the
// run's own streams, so that a fault's variation does not depend on the
// faults written before it.
func variationStream(fault string) string { return "swarm/vary/fault/" + fault }

const rateStream = "swarm/vary/rate"

// offProbability is the chance that a switched fault is off.
const offProbability = 0.5

// applied is what a variation did to one seed's scenario.
type applied struct {
	// Off are the faults switched off; Dropped the indexes (in the
	// written expect list) of the expectations that went with them.
	Off     []string
	Dropped []int
	// Moves describe the windows drawn ("storm 1m12s+40s"); Rate the
	// rate factor (0: unchanged).
	Moves []string
	Rate  float64
}

// String describes the variation for people and for swarm.json:
// "off: storm; rule-off at 1m12s for 40s; rate ×1.23".
func (a applied) String() string {
	var parts []string
	if len(a.Off) > 0 {
		parts = append(parts, "off: "+strings.Join(a.Off, ", "))
	}
	parts = append(parts, a.Moves...)
	if a.Rate != 0 {
		parts = append(parts, fmt.Sprintf("rate ×%s", trimFloat(a.Rate)))
	}
	return strings.Join(parts, "; ")
}

// nameFaults writes every fault's default name (KIND-N, N counting the
// faults of that kind in file order, as chaos.Compile names them) into
// the file, so that switching one off does not rename the others (and
// their random streams with them).
func nameFaults(f *scenarios.File) {
	count := map[string]int{}
	for i := range f.Faults {
		s := &f.Faults[i]
		count[s.Kind]++
		if s.Name == "" {
			s.Name = fmt.Sprintf("%s-%d", s.Kind, count[s.Kind])
		}
	}
}

// windowed reports whether a fault has a window written as at and for
// (not an instant remediation, not a whole-run probability).
func windowed(s *chaos.Spec) bool {
	return s.Kind != chaos.KindReplay && s.Kind != chaos.KindRedrive && s.At.D() > 0 && s.For.D() > 0
}

// vary applies v to f for seed. traffic and cutoff are the scenario's
// traffic length and cut-off as written.
func vary(v scenarios.Variation, f *scenarios.File, seed uint64, traffic, cutoff time.Duration) applied {
	var a applied
	streams := rng.NewStreams(seed)
	nameFaults(f)
	var keep []chaos.Spec
	for i := range f.Faults {
		s := f.Faults[i]
		r := streams.Get(variationStream(s.Name))
		// Every draw is made whether or not it is used, so that a
		// fault's start does not depend on whether it may be switched.
		off, uFor, uAt := r.Float64() < offProbability, r.Float64(), r.Float64()
		if off && v.Switches(s.Name) {
			a.Off = append(a.Off, s.Name)
			continue
		}
		if windowed(&s) && (v.For != nil || v.At != nil) {
			if v.For != nil {
				lo, hi := v.For.Lo, v.For.Hi
				if v.For.Auto {
					lo, hi = s.For.D()/2, 2*s.For.D()
				}
				s.For = units.Duration(drawSeconds(uFor, lo, hi))
			}
			if v.At != nil {
				lo, hi := v.At.Lo, min(v.At.Hi, cutoff)
				if v.At.Auto {
					lo, hi = scenarios.MinVariedDuration, traffic-s.For.D()
				}
				s.At = units.Duration(drawSeconds(uAt, lo, hi))
			}
			a.Moves = append(a.Moves, fmt.Sprintf("%s at %v for %v", s.Name, s.At.D(), s.For.D()))
		}
		keep = append(keep, s)
	}
	f.Faults = keep
	if len(a.Off) > 0 {
		f.Expect, a.Dropped = dropExpectations(f.Expect, a.Off)
	}
	if v.Rate != nil {
		u := streams.Get(rateStream).Float64()
		a.Rate = math.Round((v.Rate.Lo+u*(v.Rate.Hi-v.Rate.Lo))*100) / 100
		a.Rate = max(a.Rate, 0.01)
		scaleRates(&f.Traffic, a.Rate)
	}
	// The instance is concrete: its own vary key (which may name a fault
	// switched off) has done its work.
	f.Vary = ""
	return a
}

// drawSeconds draws a whole number of seconds in [lo, hi] (lo at least
// MinVariedDuration; an empty range gives lo) from u in [0, 1).
func drawSeconds(u float64, lo, hi time.Duration) time.Duration {
	l := max(int64(math.Ceil(lo.Seconds())), int64(scenarios.MinVariedDuration/time.Second))
	h := max(int64(math.Floor(hi.Seconds())), l)
	return time.Duration(l+int64(u*float64(h-l+1))) * time.Second
}

// dropExpectations removes the expectations about the faults off: those
// limited to their windows (during:F, after:F) or reading their recovery
// (recovery.F, on either side). It returns the rest and the indexes
// removed.
func dropExpectations(exp []scenarios.ExpectSpec, off []string) ([]scenarios.ExpectSpec, []int) {
	var keep []scenarios.ExpectSpec
	var dropped []int
	for i, e := range exp {
		if refersTo(e, off) {
			dropped = append(dropped, i)
			continue
		}
		keep = append(keep, e)
	}
	return keep, dropped
}

func refersTo(e scenarios.ExpectSpec, faults []string) bool {
	c, _ := report.ParseCondition(e.That)
	for _, name := range faults {
		if e.Window == "during:"+name || e.Window == "after:"+name ||
			c.Metric == "recovery."+name || c.Ref == "recovery."+name {
			return true
		}
	}
	return false
}

// scaleRates multiplies every rate of the traffic by factor, rounded to
// a thousandth of an order per second (at least that), so that the file
// stays readable.
func scaleRates(t *scenarios.TrafficSpec, factor float64) {
	scale := func(r *units.Rate) {
		if *r > 0 {
			*r = units.Rate(max(math.Round(float64(*r)*factor*1000)/1000, 0.001))
		}
	}
	scale(&t.Rate)
	if t.Ramp != nil {
		scale(&t.Ramp.From)
		scale(&t.Ramp.To)
	}
	if t.Stages != nil {
		scale(&t.Stages.Start)
		for i := range t.Stages.Stages {
			scale(&t.Stages.Stages[i].Target)
		}
	}
	if t.Spike != nil {
		scale(&t.Spike.Base)
		scale(&t.Spike.Peak)
	}
}

// trimFloat prints a factor without trailing zeros: 1.2, 0.25.
func trimFloat(f float64) string {
	s := fmt.Sprintf("%.4f", f)
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}
