package scenarios

import (
	"fmt"
	"math"
	"time"

	"github.com/busdrill/busdrill/internal/yamlstrict"
	"github.com/busdrill/busdrill/loadgen"
)

// Ceilings bound what one run may plan. They are far beyond any real
// drill; their job is to turn a typo (rate: 1e12/s, duration: 876000h)
// into an error at load time instead of a run that would take days or
// exhaust the machine's memory. LoadOptions.Force lifts the order
// ceiling for a run that really is that large.
const (
	// MaxPlannedOrders is the most orders one run (one shard) may plan:
	// about a day of simulation at 100,000 orders per second.
	MaxPlannedOrders = 1e10
	// MaxRunLength is the longest stretch of virtual time a run may
	// cover, traffic and drain together: a year. It is not lifted by
	// Force: no scenario needs more, and time arithmetic stays far from
	// overflowing.
	MaxRunLength = 366 * 24 * time.Hour
	// MaxFileBytes is the largest scenario file read. The library's files
	// are a few KiB; an imported topology a few hundred.
	MaxFileBytes = 4 << 20
)

// LoadOptions change how a scenario is loaded.
type LoadOptions struct {
	// Force accepts a scenario that plans more than MaxPlannedOrders.
	Force bool
}

// PlannedOrders is the number of orders the traffic plans over its
// duration for one shard of count shards (0 or 1: the whole run): exact
// for uniform arrivals, the expected count for Poisson arrivals. It is
// computed in closed form, at no cost whatever the rate.
func (s *Scenario) PlannedOrders(shards uint64) float64 {
	sh := s.Traffic.Arrivals.Shape
	if sh == nil || len(sh.Validate()) > 0 {
		return 0
	}
	// The profile, not loadgen.Compile: Compile refuses plans too large
	// to index, and those are exactly the ones the ceiling must name.
	p := sh.Profile()
	n := p.Total()
	if s.Traffic.Arrivals.Process == loadgen.Uniform {
		n = float64(p.Count())
	}
	return n / float64(max(shards, 1))
}

// PlannedOrdersWithin is PlannedOrders over the first d of the traffic
// (its expected count).
func (s *Scenario) PlannedOrdersWithin(d time.Duration, shards uint64) float64 {
	sh := s.Traffic.Arrivals.Shape
	if sh == nil || len(sh.Validate()) > 0 {
		return 0
	}
	p := sh.Profile()
	return p.Expected(min(d, p.Duration())) / float64(max(shards, 1))
}

// RunLength is the virtual time a run covers: traffic, then drain.
func (s *Scenario) RunLength() time.Duration { return s.Traffic.duration() + s.Drain }

// CheckPlan checks the scenario, as it will run after any command-line
// overrides, against the ceilings; what names the overrides in the
// message ("--rate 1e7/s and --duration 10m").
func (s *Scenario) CheckPlan(shards uint64, force bool, what string) error {
	if l := s.RunLength(); l > MaxRunLength || l < 0 {
		return fmt.Errorf("%s: the run would cover %v of virtual time (traffic and drain), more than busdrill's ceiling of %v", what, l, MaxRunLength)
	}
	if n := s.PlannedOrders(shards); !force && n > MaxPlannedOrders {
		return fmt.Errorf("%s: the run plans about %s orders, more than busdrill's ceiling of %s orders per run; check the rate and duration, or pass --force to run it anyway", what, formatCount(n), formatCount(MaxPlannedOrders))
	}
	return nil
}

// checkCeilings reports, at their keys, the ceilings a loaded scenario
// exceeds.
func checkCeilings(s *Scenario, f *File, opts LoadOptions, errs *yamlstrict.Errors) {
	o := &f.Traffic.Origin
	shape := ""
	for _, k := range []string{"rate", "ramp", "stages", "spike"} {
		if o.Has(k) {
			shape = k
			break
		}
	}
	traffic := s.Traffic.duration()
	switch {
	case traffic > MaxRunLength:
		key := "duration"
		if !o.Has(key) {
			key = shape
		}
		errs.Add(o.At(key), o.PathOf(key), fmt.Errorf("the traffic lasts %v, more than busdrill's ceiling of %v of virtual time per run", traffic, MaxRunLength))
		return
	case s.Drain > MaxRunLength || traffic+s.Drain > MaxRunLength:
		errs.Add(f.Origin.At("drain"), "drain", fmt.Errorf("traffic and drain together cover %v, more than busdrill's ceiling of %v of virtual time per run", traffic+s.Drain, MaxRunLength))
		return
	}
	if n := s.PlannedOrders(1); !opts.Force && n > MaxPlannedOrders && shape != "" {
		errs.Add(o.At(shape), o.PathOf(shape), fmt.Errorf("the traffic plans about %s orders, more than busdrill's ceiling of %s orders per run; check the rate and duration (or run it anyway with --force)", formatCount(n), formatCount(MaxPlannedOrders)))
		return
	}
	// Even forced, a plan must be one the schedule can index.
	if _, err := loadgen.Compile(s.Traffic.Arrivals.Shape); err != nil && shape != "" {
		errs.Add(o.At(shape), o.PathOf(shape), err)
	}
}

// formatCount prints a large count for people: 12000, 6.0e+09.
func formatCount(n float64) string {
	if n < 1e7 {
		return fmt.Sprintf("%.0f", math.Round(n))
	}
	return fmt.Sprintf("%.1e", n)
}
