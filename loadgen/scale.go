package loadgen

import (
	"fmt"
	"slices"
	"time"
)

// Scale returns s with every rate multiplied by k (k ≥ 0): the same shape
// at another level, as a capacity search needs it ("this traffic, but
// 1.7 times as much"). Durations are unchanged. The four shapes keep
// their type (a scaled ramp is a ramp); any other Shape is wrapped.
func Scale(s Shape, k float64) Shape {
	switch v := s.(type) {
	case Constant:
		v.Rate *= k
		return v
	case Ramp:
		v.From *= k
		v.To *= k
		return v
	case Stages:
		v.Start *= k
		v.Stages = slices.Clone(v.Stages)
		for i := range v.Stages {
			v.Stages[i].Target *= k
		}
		return v
	case Spike:
		v.Base *= k
		v.Peak *= k
		return v
	}
	return transformed{base: s, rate: k, time: 1}
}

// Stretch returns s with every duration multiplied by f (f > 0) and its
// rates unchanged: the same shape over a shorter (f < 1) or longer time.
// The four shapes keep their type; any other Shape is wrapped. Durations
// are rounded to the nanosecond.
func Stretch(s Shape, f float64) Shape {
	d := func(x time.Duration) time.Duration { return time.Duration(float64(x)*f + 0.5) }
	switch v := s.(type) {
	case Constant:
		v.Duration = d(v.Duration)
		return v
	case Ramp:
		v.Duration = d(v.Duration)
		return v
	case Stages:
		v.Stages = slices.Clone(v.Stages)
		for i := range v.Stages {
			v.Stages[i].Duration = d(v.Stages[i].Duration)
		}
		return v
	case Spike:
		v.At, v.Ramp, v.Hold, v.Duration = d(v.At), d(v.Ramp), d(v.Hold), d(v.Duration)
		// Rounding each part must not push the spike past the end.
		v.Duration = max(v.Duration, v.At+2*v.Ramp+v.Hold)
		return v
	}
	return transformed{base: s, rate: 1, time: f}
}

// Peak is the highest rate of the profile, in orders per second (0 for an
// empty profile).
func (p Profile) Peak() float64 {
	peak := 0.0
	for _, s := range p.segs {
		peak = max(peak, s.r0, s.r1)
	}
	return peak
}

// transformed is a Shape of another type with its rates multiplied by
// rate and its durations by time.
type transformed struct {
	base       Shape
	rate, time float64
}

func (t transformed) Validate() []error {
	errs := t.base.Validate()
	if !(t.rate >= 0) {
		errs = append(errs, fmt.Errorf("scaled shape: factor must be ≥ 0, got %g", t.rate))
	}
	if !(t.time > 0) {
		errs = append(errs, fmt.Errorf("stretched shape: factor must be > 0, got %g", t.time))
	}
	return errs
}

func (t transformed) Profile() Profile {
	segs := t.base.Profile().Segments()
	for i := range segs {
		s := &segs[i]
		s.Duration = time.Duration(float64(s.Duration)*t.time + 0.5)
		s.From *= t.rate
		s.To *= t.rate
	}
	return newProfile(segs)
}

func (t transformed) String() string {
	return fmt.Sprintf("%v ×%g rate ×%g time", t.base, t.rate, t.time)
}
