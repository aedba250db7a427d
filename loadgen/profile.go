package loadgen

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"
)

// Profile is the compiled form of every [Shape]: a piecewise-linear rate
// function r(t), in orders per second, over [0, Duration). It answers the
// three questions an arrival process asks of a shape:
//
//   - [Profile.Rate]: r(t), the instantaneous rate;
//   - [Profile.Expected]: Λ(t) = ∫₀ᵗ r, the expected number of orders by t;
//   - [Profile.Inverse]: Λ⁻¹(n), the earliest time by which more than n
//     orders are expected.
//
// All three are closed-form per segment (Λ is quadratic on a linear
// segment, so Λ⁻¹ solves a quadratic) and cost O(log segments). Time is
// integer nanoseconds on the way in and out; only counts are float64.
//
// A Profile is an immutable value, safe for concurrent use. The zero value
// is an empty profile: no duration, no orders.
type Profile struct {
	segs  []segment
	dur   time.Duration
	total float64
}

// Segment is one linear piece of a [Profile]: the rate moves linearly from
// From to To (orders per second) over [Start, Start+Duration).
type Segment struct {
	Start, Duration time.Duration
	From, To        float64
}

// String renders the segment as "[0s, 1m0s) 0/s → 100/s".
func (s Segment) String() string {
	if s.From == s.To {
		return fmt.Sprintf("[%v, %v) %s", s.Start, s.Start+s.Duration, fmtRate(s.From))
	}
	return fmt.Sprintf("[%v, %v) %s → %s", s.Start, s.Start+s.Duration, fmtRate(s.From), fmtRate(s.To))
}

// segment is a Segment with the constants the hot path needs.
type segment struct {
	start, dur int64   // nanoseconds
	r0, r1     float64 // rate at start and end, per second
	a          float64 // (r1-r0) / (2·dur in seconds): Λ = l0 + r0·τ + a·τ²
	l0, l1     float64 // expected count at start and end
}

// maxExpected bounds the expected count of a profile: beyond 2⁵³ float64
// cannot tell consecutive arrival indices apart.
const maxExpected = 1 << 53

// newProfile compiles segments given as (duration, from, to) triples in
// order. Zero-length segments are dropped: they are instantaneous steps.
func newProfile(parts []Segment) Profile {
	var p Profile
	var t int64
	var l float64
	for _, s := range parts {
		d := int64(s.Duration)
		if d <= 0 {
			continue
		}
		sec := float64(d) / 1e9
		seg := segment{start: t, dur: d, r0: s.From, r1: s.To, l0: l}
		seg.a = (s.To - s.From) / (2 * sec)
		l += (s.From + s.To) / 2 * sec
		seg.l1 = l
		p.segs = append(p.segs, seg)
		t += d
	}
	p.dur = time.Duration(t)
	p.total = l
	return p
}

// Compile validates a shape and compiles it; the error joins every problem
// [Shape.Validate] found.
func Compile(s Shape) (Profile, error) {
	if s == nil {
		return Profile{}, errors.New("loadgen: no rate shape")
	}
	if errs := s.Validate(); len(errs) > 0 {
		return Profile{}, errors.Join(errs...)
	}
	p := s.Profile()
	if p.total > maxExpected {
		return Profile{}, fmt.Errorf("%v: expects %.4g orders; more than 2^53 cannot be indexed exactly", s, p.total)
	}
	return p, nil
}

// Duration is the length of the profile.
func (p Profile) Duration() time.Duration { return p.dur }

// Total is Λ(Duration): the expected number of orders over the whole run.
func (p Profile) Total() float64 { return p.total }

// Count is the number of orders a [Uniform] schedule sends: ⌊Λ(Duration)⌋.
// Expected counts within a billionth (relative) of an integer are taken to
// be that integer, so that float rounding never loses the last order of
// "1000/s for 1000s".
func (p Profile) Count() uint64 {
	return uint64(math.Floor(p.total + p.total*1e-12 + 1e-9))
}

// Segments returns the linear pieces of the profile, in order, without
// the zero-length ones.
func (p Profile) Segments() []Segment {
	out := make([]Segment, len(p.segs))
	for i, s := range p.segs {
		out[i] = Segment{Start: time.Duration(s.start), Duration: time.Duration(s.dur), From: s.r0, To: s.r1}
	}
	return out
}

// String lists the segments: "profile([0s, 10s) 5/s; [10s, 20s) 5/s → 0/s)".
func (p Profile) String() string {
	var b strings.Builder
	b.WriteString("profile(")
	for i, s := range p.Segments() {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(s.String())
	}
	b.WriteString(")")
	return b.String()
}

// find returns the index of the segment holding t, 0 ≤ t < Duration.
func (p Profile) find(t int64) int {
	return sort.Search(len(p.segs), func(i int) bool { return p.segs[i].start+p.segs[i].dur > t })
}

// Rate returns r(elapsed) in orders per second. Rates are right-continuous
// at steps, and zero before 0 and from Duration on.
func (p Profile) Rate(elapsed time.Duration) float64 {
	t := int64(elapsed)
	if t < 0 || t >= int64(p.dur) {
		return 0
	}
	s := &p.segs[p.find(t)]
	return s.r0 + (s.r1-s.r0)*float64(t-s.start)/float64(s.dur)
}

// Expected returns Λ(elapsed), the expected number of orders in
// [0, elapsed): 0 before the start, Total from Duration on.
func (p Profile) Expected(elapsed time.Duration) float64 {
	t := int64(elapsed)
	switch {
	case t <= 0:
		return 0
	case t >= int64(p.dur):
		return p.total
	}
	s := &p.segs[p.find(t)]
	tau := float64(t-s.start) / 1e9
	return s.l0 + tau*(s.r0+s.a*tau)
}

// Inverse returns Λ⁻¹(n) = inf{t : Λ(t) > n}, rounded to the nearest
// nanosecond: the moment the expected count passes n. Where the rate is
// zero, Λ is flat and this is the end of the flat stretch, never a moment
// inside it. ok is false when n ≥ Total (the count is never passed).
func (p Profile) Inverse(n float64) (at time.Duration, ok bool) {
	if !(n < p.total) { // also NaN
		return p.dur, false
	}
	i := sort.Search(len(p.segs), func(i int) bool { return p.segs[i].l1 > n })
	return p.segs[i].inverse(n), true
}

// seek advances the segment cursor i until segment i holds count n
// (l1 > n). The caller guarantees n < Total.
func (p *Profile) seek(i int, n float64) int {
	for p.segs[i].l1 <= n {
		i++
	}
	return i
}

// inverse solves l0 + r0·τ + a·τ² = n for τ in [0, dur] and returns
// start + τ in nanoseconds. The form 2m / (r0 + √(r0² + 4am)) is the
// root without cancellation for every sign of a, including a constant
// rate (a = 0, where it is m/r0) and a ramp from zero (r0 = 0).
func (s *segment) inverse(n float64) time.Duration {
	m := n - s.l0
	if m <= 0 {
		return time.Duration(s.start)
	}
	var ns float64
	if s.a == 0 {
		ns = m * 1e9 / s.r0
	} else {
		disc := s.r0*s.r0 + 4*s.a*m
		if disc < 0 {
			disc = 0
		}
		ns = 2e9 * m / (s.r0 + math.Sqrt(disc))
	}
	if !(ns < float64(s.dur)) { // past the end only by rounding (and NaN, which cannot happen)
		return time.Duration(s.start + s.dur)
	}
	return time.Duration(s.start + int64(math.Round(ns)))
}
