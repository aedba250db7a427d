package loadgen

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Shape is a rate shape: how many orders per second a run aims for at each
// moment. Shapes are plain values written in scenarios; [Compile] turns one
// into the [Profile] that arrival processes use.
type Shape interface {
	// Validate returns every problem with the shape, not just the first;
	// nil means the shape is valid.
	Validate() []error
	// Profile compiles the shape. Its result is meaningful only for a
	// valid shape; [Compile] validates first.
	Profile() Profile
	// String describes the shape: "constant(200/s for 10m0s)".
	String() string
}

// Compile-time checks that every shape is a Shape.
var (
	_ Shape = Constant{}
	_ Shape = Ramp{}
	_ Shape = Stages{}
	_ Shape = Spike{}
)

// Constant is a steady Rate orders per second for Duration.
type Constant struct {
	Rate     float64
	Duration time.Duration
}

func (c Constant) Validate() []error {
	var errs []error
	errs = checkRate(errs, "constant", "rate", c.Rate)
	return checkPositive(errs, "constant", "duration", c.Duration)
}

func (c Constant) Profile() Profile {
	return newProfile([]Segment{{Duration: c.Duration, From: c.Rate, To: c.Rate}})
}

func (c Constant) String() string {
	return fmt.Sprintf("constant(%s for %v)", fmtRate(c.Rate), c.Duration)
}

// Ramp moves the rate linearly from From to To orders per second over
// Duration; either end may be zero.
type Ramp struct {
	From, To float64
	Duration time.Duration
}

func (r Ramp) Validate() []error {
	var errs []error
	errs = checkRate(errs, "ramp", "from", r.From)
	errs = checkRate(errs, "ramp", "to", r.To)
	return checkPositive(errs, "ramp", "duration", r.Duration)
}

func (r Ramp) Profile() Profile {
	return newProfile([]Segment{{Duration: r.Duration, From: r.From, To: r.To}})
}

func (r Ramp) String() string {
	return fmt.Sprintf("ramp(%s to %s over %v)", fmtRate(r.From), fmtRate(r.To), r.Duration)
}

// Stage is one step of [Stages]: ramp linearly to Target orders per second
// over Duration. A zero Duration is an instantaneous step to Target.
type Stage struct {
	Target   float64
	Duration time.Duration
}

// Stages is k6's ramping-arrival-rate: the rate starts at Start and each
// stage ramps linearly from the previous stage's target to its own. A
// stage whose target equals the previous one holds the rate steady.
type Stages struct {
	Start  float64
	Stages []Stage
}

func (s Stages) Validate() []error {
	var errs []error
	errs = checkRate(errs, "stages", "start", s.Start)
	if len(s.Stages) == 0 {
		errs = append(errs, fmt.Errorf("stages: need at least one stage"))
	}
	var total time.Duration
	for i, st := range s.Stages {
		errs = checkRate(errs, "stages", fmt.Sprintf("stage %d target", i+1), st.Target)
		if st.Duration < 0 {
			errs = append(errs, fmt.Errorf("stages: stage %d duration must not be negative, got %v", i+1, st.Duration))
		} else if total += st.Duration; total < 0 {
			errs = append(errs, fmt.Errorf("stages: total duration overflows"))
			break
		}
	}
	if len(s.Stages) > 0 && total == 0 {
		errs = append(errs, fmt.Errorf("stages: total duration must be positive"))
	}
	return errs
}

func (s Stages) Profile() Profile {
	parts := make([]Segment, 0, len(s.Stages))
	from := s.Start
	for _, st := range s.Stages {
		parts = append(parts, Segment{Duration: st.Duration, From: from, To: st.Target})
		from = st.Target
	}
	return newProfile(parts)
}

func (s Stages) String() string {
	var b strings.Builder
	b.WriteString("stages(from ")
	b.WriteString(fmtRate(s.Start))
	for _, st := range s.Stages {
		fmt.Fprintf(&b, ", %s over %v", fmtRate(st.Target), st.Duration)
	}
	b.WriteString(")")
	return b.String()
}

// Spike runs at Base orders per second for Duration, except for one spike:
// from At the rate rises linearly to Peak over Ramp, holds Peak for Hold,
// then falls linearly back to Base over Ramp. A zero Ramp makes the spike
// a square pulse. A Peak below Base makes it a dip. The spike must end by
// Duration.
type Spike struct {
	Base, Peak     float64
	At, Ramp, Hold time.Duration
	Duration       time.Duration
}

func (s Spike) Validate() []error {
	var errs []error
	errs = checkRate(errs, "spike", "base", s.Base)
	errs = checkRate(errs, "spike", "peak", s.Peak)
	errs = checkPositive(errs, "spike", "duration", s.Duration)
	for _, f := range []struct {
		name string
		d    time.Duration
	}{{"at", s.At}, {"ramp", s.Ramp}, {"hold", s.Hold}} {
		if f.d < 0 {
			errs = append(errs, fmt.Errorf("spike: %s must not be negative, got %v", f.name, f.d))
		}
	}
	if s.At >= 0 && s.Ramp >= 0 && s.Hold >= 0 && s.Duration > 0 {
		// Compare in float to stay clear of overflow with absurd inputs.
		end := float64(s.At) + 2*float64(s.Ramp) + float64(s.Hold)
		if end > float64(s.Duration) {
			errs = append(errs, fmt.Errorf("spike: ends at %v (at + 2×ramp + hold), after the duration %v",
				time.Duration(end), s.Duration))
		}
	}
	return errs
}

func (s Spike) Profile() Profile {
	rest := s.Duration - s.At - 2*s.Ramp - s.Hold
	return newProfile([]Segment{
		{Duration: s.At, From: s.Base, To: s.Base},
		{Duration: s.Ramp, From: s.Base, To: s.Peak},
		{Duration: s.Hold, From: s.Peak, To: s.Peak},
		{Duration: s.Ramp, From: s.Peak, To: s.Base},
		{Duration: rest, From: s.Base, To: s.Base},
	})
}

func (s Spike) String() string {
	return fmt.Sprintf("spike(%s, peak %s at %v, ramp %v, hold %v, for %v)",
		fmtRate(s.Base), fmtRate(s.Peak), s.At, s.Ramp, s.Hold, s.Duration)
}

// fmtRate renders a rate as "200/s" or "0.5/s".
func fmtRate(r float64) string {
	return strconv.FormatFloat(r, 'g', -1, 64) + "/s"
}

func checkRate(errs []error, shape, field string, r float64) []error {
	if !(r >= 0) || math.IsInf(r, 1) {
		return append(errs, fmt.Errorf("%s: %s must be a finite rate ≥ 0 orders/s, got %g", shape, field, r))
	}
	return errs
}

func checkPositive(errs []error, shape, field string, d time.Duration) []error {
	if d <= 0 {
		return append(errs, fmt.Errorf("%s: %s must be positive, got %v", shape, field, d))
	}
	return errs
}
