package swarm

import (
	"fmt"
	"strings"

	"github.com/busdrill/busdrill/report"
	"github.com/busdrill/busdrill/scenarios"
)

// subject is one scenario a swarm sweeps and what varies in it.
type subject struct {
	// sc is the scenario as loaded from its file; each seed loads its
	// own copy from sc.Source (runs share nothing).
	sc *scenarios.Scenario
	// vary is the variation drawn per seed (nil: none); varyText how it
	// was given.
	vary     *scenarios.Variation
	varyText string
	quick    bool
	force    bool
	// expect are the scenario's expectations as written.
	expect []expectation
}

// expectation is one of the scenario's expectations, as swarm reports
// it across seeds.
type expectation struct {
	Name   string
	Window string
	cond   report.Condition
}

// label is the expectation for people: its name, and its window unless
// it is the whole run.
func (e expectation) label() string {
	if e.Window == "" || e.Window == report.WindowAll {
		return e.Name
	}
	return e.Name + " [" + e.Window + "]"
}

func newSubject(sc *scenarios.Scenario, vary *scenarios.Variation, varyText string, quick, force bool) *subject {
	s := &subject{sc: sc, vary: vary, varyText: varyText, quick: quick, force: force}
	for _, e := range sc.Expect {
		s.expect = append(s.expect, expectation{Name: e.Name, Window: e.Window, cond: e.Cond})
	}
	return s
}

// instance is one seed's scenario: the file it runs (the original's
// bytes, unless a variation or --quick changed it), loaded.
type instance struct {
	seed uint64
	// source is the scenario file the seed runs; changed says it is not
	// the original's.
	source  []byte
	changed bool
	sc      *scenarios.Scenario
	varied  applied
	// kept maps each of sc.Expect to its index in the written list.
	kept []int
}

// instance builds the scenario of seed.
func (s *subject) instance(seed uint64) (*instance, error) {
	opts := scenarios.LoadOptions{Force: s.force}
	base, err := scenarios.Load(s.sc.File, s.sc.Source, opts)
	if err != nil {
		return nil, err
	}
	in := &instance{seed: seed, source: s.sc.Source, sc: base}
	for i := range base.Expect {
		in.kept = append(in.kept, i)
	}
	if s.vary == nil && !s.quick {
		base.Seed = seed
		return in, nil
	}
	f := base.Spec
	traffic := base.RunLength() - base.Drain
	if s.vary != nil {
		in.varied = vary(*s.vary, f, seed, traffic, base.RunLength())
		in.kept = in.kept[:0]
		for i := range base.Expect {
			if !containsInt(in.varied.Dropped, i) {
				in.kept = append(in.kept, i)
			}
		}
	}
	if s.quick {
		scaleRates(&f.Traffic, QuickRateFactor)
	}
	f.Seed = seed
	f.Live = nil
	in.source, err = scenarios.Marshal(f, s.instanceHeader(in))
	if err != nil {
		return nil, err
	}
	in.changed = true
	in.sc, err = scenarios.Load(s.instanceName(seed), in.source, opts)
	if err != nil {
		return nil, fmt.Errorf("seed %d: the varied scenario does not load: %w", seed, err)
	}
	in.sc.Seed = seed
	return in, nil
}

// instanceName names a seed's scenario in messages.
func (s *subject) instanceName(seed uint64) string {
	return fmt.Sprintf("%s (seed %d)", s.sc.File, seed)
}

// instanceHeader is the comment at the top of a seed's scenario file.
func (s *subject) instanceHeader(in *instance) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s as busdrill swarm ran it for seed %d", s.sc.File, in.seed)
	var how []string
	if s.vary != nil {
		how = append(how, "--vary "+s.varyText)
	}
	if s.quick {
		how = append(how, "--quick (every rate ×0.25)")
	}
	if len(how) > 0 {
		fmt.Fprintf(&b, " with %s", strings.Join(how, " and "))
	}
	if d := in.varied.String(); d != "" {
		fmt.Fprintf(&b, ":\n%s", d)
	}
	if len(in.varied.Dropped) > 0 {
		var names []string
		for _, i := range in.varied.Dropped {
			names = append(names, s.expect[i].label())
		}
		fmt.Fprintf(&b, "\nexpectations left out with the faults off: %s", strings.Join(names, "; "))
	}
	return b.String()
}

func containsInt(xs []int, x int) bool {
	for _, y := range xs {
		if x == y {
			return true
		}
	}
	return false
}
