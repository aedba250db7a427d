package loadgen

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

const (
	ms = time.Millisecond
	s  = time.Second
)

func mustCompile(t testing.TB, sh Shape) Profile {
	t.Helper()
	p, err := Compile(sh)
	if err != nil {
		t.Fatalf("%v: %v", sh, err)
	}
	return p
}

func TestProfileRate(t *testing.T) {
	spike := Spike{Base: 10, Peak: 110, At: 10 * s, Ramp: 10 * s, Hold: 5 * s, Duration: 60 * s}
	tests := []struct {
		shape   Shape
		elapsed time.Duration
		want    float64
	}{
		// A constant rate is the same at the start, in the middle and at the last nanosecond.
		{Constant{Rate: 10, Duration: 10 * s}, 0, 10},
		{Constant{Rate: 10, Duration: 10 * s}, 5 * s, 10},
		{Constant{Rate: 10, Duration: 10 * s}, 10*s - 1, 10},
		// Before the start and from Duration on, the rate is zero.
		{Constant{Rate: 10, Duration: 10 * s}, -1, 0},
		{Constant{Rate: 10, Duration: 10 * s}, 10 * s, 0},
		// Ramp 0 → 100/s over 10s is 25/s at 2.5s.
		{Ramp{From: 0, To: 100, Duration: 10 * s}, 2500 * ms, 25},
		// A falling ramp 100 → 0/s over 10s is 75/s at 2.5s.
		{Ramp{From: 100, To: 0, Duration: 10 * s}, 2500 * ms, 75},
		// Stages from 0: up to 100/s over 10s, hold 10s; at 15s the rate is 100/s.
		{Stages{Stages: []Stage{{100, 10 * s}, {100, 10 * s}}}, 15 * s, 100},
		// Stages: a zero-duration stage is a step, and the rate is right-continuous at it.
		{Stages{Start: 5, Stages: []Stage{{5, 10 * s}, {50, 0}, {50, 10 * s}}}, 10 * s, 50},
		// Spike: base before At.
		{spike, 9 * s, 10},
		// Spike: halfway up the ramp, halfway between base and peak.
		{spike, 15 * s, 60},
		// Spike: peak during the hold.
		{spike, 22 * s, 110},
		// Spike: halfway down.
		{spike, 30 * s, 60},
		// Spike: back to base after the fall.
		{spike, 40 * s, 10},
	}
	for _, tt := range tests {
		p := mustCompile(t, tt.shape)
		if got := p.Rate(tt.elapsed); math.Abs(got-tt.want) > 1e-9 {
			t.Errorf("%v: Rate(%v) = %g, want %g", tt.shape, tt.elapsed, got, tt.want)
		}
	}
}

func TestProfileExpected(t *testing.T) {
	tests := []struct {
		shape   Shape
		elapsed time.Duration
		want    float64
	}{
		// 10/s for 10s: 25 orders expected by 2.5s.
		{Constant{Rate: 10, Duration: 10 * s}, 2500 * ms, 25},
		// 10/s for 10s: 100 in all; clamped after the end, 0 before the start.
		{Constant{Rate: 10, Duration: 10 * s}, time.Hour, 100},
		{Constant{Rate: 10, Duration: 10 * s}, -s, 0},
		// Ramp 0 → 100/s over 10s: Λ(t) = 5t², so 20 by 2s and 500 by the end.
		{Ramp{From: 0, To: 100, Duration: 10 * s}, 2 * s, 20},
		{Ramp{From: 0, To: 100, Duration: 10 * s}, 10 * s, 500},
		// Falling ramp 100 → 0/s over 10s: Λ(t) = 100t − 5t², 180 by 2s.
		{Ramp{From: 100, To: 0, Duration: 10 * s}, 2 * s, 180},
		// Stages: idle 10s, then ramp 0 → 10/s over 10s: 0 during the idle stretch, 50 at the end.
		{Stages{Stages: []Stage{{0, 10 * s}, {10, 10 * s}}}, 10 * s, 0},
		{Stages{Stages: []Stage{{0, 10 * s}, {10, 10 * s}}}, 20 * s, 50},
		// Spike 10/s base, peak 110/s at 10s, ramp 10s, hold 5s, 60s: 600 base + 2×500 ramps + 500 hold.
		{Spike{Base: 10, Peak: 110, At: 10 * s, Ramp: 10 * s, Hold: 5 * s, Duration: 60 * s}, 60 * s, 2100},
	}
	for _, tt := range tests {
		p := mustCompile(t, tt.shape)
		if got := p.Expected(tt.elapsed); math.Abs(got-tt.want) > 1e-9 {
			t.Errorf("%v: Expected(%v) = %g, want %g", tt.shape, tt.elapsed, got, tt.want)
		}
	}
}

func TestProfileInverse(t *testing.T) {
	tests := []struct {
		shape  Shape
		n      float64
		want   time.Duration
		wantOK bool
	}{
		// 10/s constant: the count passes 3 at 300ms.
		{Constant{Rate: 10, Duration: 10 * s}, 3, 300 * ms, true},
		// 10/s constant: count 0 is passed at once.
		{Constant{Rate: 10, Duration: 10 * s}, 0, 0, true},
		// 3/s: a third of a second is rounded to the nearest nanosecond.
		{Constant{Rate: 3, Duration: 10 * s}, 1, 333333333, true},
		// 10/s for 10s: count 100 is never passed within the run.
		{Constant{Rate: 10, Duration: 10 * s}, 100, 10 * s, false},
		// Ramp 0 → 100/s over 10s (Λ = 5t²): 20 is passed at 2s.
		{Ramp{From: 0, To: 100, Duration: 10 * s}, 20, 2 * s, true},
		// Falling ramp 100 → 0/s (Λ = 100t − 5t²): 180 is passed at 2s.
		{Ramp{From: 100, To: 0, Duration: 10 * s}, 180, 2 * s, true},
		// Falling ramp to zero: the very last fraction of the count lands just before the end.
		{Ramp{From: 100, To: 0, Duration: 10 * s}, 499.999999, 9*s + 999552786, true},
		// Idle 10s then a ramp: count 0 is passed only when the rate becomes positive.
		{Stages{Stages: []Stage{{0, 10 * s}, {10, 10 * s}}}, 0, 10 * s, true},
		// Hold 5/s for 10s, idle 10s, hold 5/s: count 50 is passed when traffic resumes at 20s.
		{Stages{Start: 5, Stages: []Stage{{5, 10 * s}, {0, 0}, {0, 10 * s}, {5, 0}, {5, 10 * s}}}, 50, 20 * s, true},
		// Negative counts are passed at once.
		{Constant{Rate: 10, Duration: 10 * s}, -1, 0, true},
	}
	for _, tt := range tests {
		p := mustCompile(t, tt.shape)
		got, ok := p.Inverse(tt.n)
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("%v: Inverse(%g) = %v, %v; want %v, %v", tt.shape, tt.n, got, ok, tt.want, tt.wantOK)
		}
	}
}

// randomShape draws a valid shape of any kind, with zero-rate stretches
// and steps among them.
func randomShape(r *rand.Rand) Shape {
	rate := func() float64 {
		switch r.IntN(4) {
		case 0:
			return 0
		case 1:
			return float64(r.IntN(20))
		}
		return r.Float64() * 1000
	}
	dur := func() time.Duration { return time.Duration(1 + r.Int64N(int64(20*s))) }
	switch r.IntN(4) {
	case 0:
		return Constant{Rate: rate() + 0.5, Duration: dur()}
	case 1:
		return Ramp{From: rate(), To: rate(), Duration: dur()}
	case 2:
		st := Stages{Start: rate()}
		for n := 1 + r.IntN(6); n > 0; n-- {
			d := dur()
			if r.IntN(4) == 0 {
				d = 0
			}
			st.Stages = append(st.Stages, Stage{Target: rate(), Duration: d})
		}
		st.Stages = append(st.Stages, Stage{Target: rate(), Duration: dur()})
		return st
	}
	sp := Spike{Base: rate(), Peak: rate(), At: dur(), Ramp: dur() / 4, Hold: dur() / 2}
	if r.IntN(4) == 0 {
		sp.Ramp = 0
	}
	sp.Duration = sp.At + 2*sp.Ramp + sp.Hold + dur()
	return sp
}

func TestInverseOfExpectedIsIdentity(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 300; i++ {
		sh := randomShape(r)
		p := mustCompile(t, sh)
		for j := 0; j < 200; j++ {
			at := time.Duration(r.Int64N(int64(p.Duration())))
			if p.Rate(at) < 1e-3 {
				continue // Λ is (nearly) flat here: Λ⁻¹ rightly skips the flat stretch
			}
			got, ok := p.Inverse(p.Expected(at))
			// Float64 resolution of Λ around t bounds the round trip:
			// ulp(Λ)/r(t) seconds, plus the rounding to a nanosecond.
			l := p.Expected(at)
			slack := 2 + time.Duration(4e9*(math.Nextafter(l, math.Inf(1))-l)/p.Rate(at))
			if !ok && l < p.Total() {
				t.Fatalf("%v: Inverse(Expected(%v)) not ok", sh, at)
			}
			if ok && (got-at > slack || at-got > slack) {
				t.Fatalf("%v: Inverse(Expected(%v)) = %v (Λ = %g, r = %g)", sh, at, got, l, p.Rate(at))
			}
		}
	}
}

func TestInverseIsMonotone(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 300; i++ {
		sh := randomShape(r)
		p := mustCompile(t, sh)
		prev := time.Duration(-1)
		for n := 0.0; n < p.Total(); n += p.Total()/500 + 1e-3 {
			at, ok := p.Inverse(n)
			if !ok || at < prev || at > p.Duration() {
				t.Fatalf("%v: Inverse(%g) = %v, %v after %v", sh, n, at, ok, prev)
			}
			if p.Expected(at+1) < n && p.Rate(at) > 0 { // the count really is passed at at (to a nanosecond)
				t.Fatalf("%v: Inverse(%g) = %v but Λ(%v+1ns) = %g", sh, n, at, at, p.Expected(at+1))
			}
			prev = at
		}
	}
}

func TestExpectedMatchesNumericIntegral(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for i := 0; i < 100; i++ {
		sh := randomShape(r)
		p := mustCompile(t, sh)
		// Trapezoid rule on a fine grid is exact on linear pieces except
		// at the pieces' joins.
		const steps = 20000
		var sum float64
		h := p.Duration() / steps
		for j := time.Duration(0); j < steps; j++ {
			a, b := j*h, (j+1)*h-1
			sum += (p.Rate(a) + p.Rate(b)) / 2 * h.Seconds()
		}
		if got := p.Expected(steps * h); math.Abs(got-sum) > 1e-3*got+1 {
			t.Errorf("%v: Expected = %g, numeric integral %g", sh, got, sum)
		}
	}
}

func TestShapeValidate(t *testing.T) {
	tests := []struct {
		shape Shape
		want  []string // substrings, one per expected error
	}{
		// A valid constant has no problems.
		{Constant{Rate: 1, Duration: s}, nil},
		// A negative rate and a zero duration are both reported.
		{Constant{Rate: -1}, []string{"rate must be a finite rate", "duration must be positive"}},
		// NaN and +Inf rates are not rates.
		{Ramp{From: math.NaN(), To: math.Inf(1), Duration: s}, []string{"from must be", "to must be"}},
		// Stages need at least one stage.
		{Stages{Start: 1}, []string{"at least one stage"}},
		// Stages with only zero durations last no time; negative durations are reported by number.
		{Stages{Stages: []Stage{{1, 0}, {2, -s}}}, []string{"stage 2 duration must not be negative", "total duration must be positive"}},
		// A spike that outlasts the run is rejected, with its end.
		{Spike{Base: 1, Peak: 2, At: 5 * s, Ramp: 3 * s, Hold: 1 * s, Duration: 10 * s}, []string{"ends at 12s"}},
		// A spike exactly filling the run is fine.
		{Spike{Base: 1, Peak: 2, At: 5 * s, Ramp: 2 * s, Hold: 1 * s, Duration: 10 * s}, nil},
		// Negative spike timings are each reported.
		{Spike{Base: 1, Peak: 2, At: -s, Ramp: -s, Hold: -s, Duration: 10 * s}, []string{"at must not", "ramp must not", "hold must not"}},
	}
	for _, tt := range tests {
		errs := tt.shape.Validate()
		if len(errs) != len(tt.want) {
			t.Errorf("%v: Validate() = %v, want %d errors", tt.shape, errs, len(tt.want))
			continue
		}
		for i, e := range errs {
			if !strings.Contains(e.Error(), tt.want[i]) {
				t.Errorf("%v: error %d = %q, want it to contain %q", tt.shape, i, e, tt.want[i])
			}
		}
	}
	if _, err := Compile(nil); err == nil {
		t.Error("Compile(nil) succeeded")
	}
	if _, err := Compile(Constant{Rate: 1e12, Duration: 1e6 * s}); err == nil || !strings.Contains(err.Error(), "2^53") {
		t.Errorf("Compile of 1e18 orders: %v, want the 2^53 error", err)
	}
}

func TestShapeString(t *testing.T) {
	tests := []struct {
		shape Shape
		want  string
	}{
		// Constant names its rate and duration.
		{Constant{Rate: 200, Duration: 10 * time.Minute}, "constant(200/s for 10m0s)"},
		// Fractional rates keep their digits.
		{Constant{Rate: 0.5, Duration: time.Minute}, "constant(0.5/s for 1m0s)"},
		// Ramp names both ends.
		{Ramp{From: 0, To: 100, Duration: time.Minute}, "ramp(0/s to 100/s over 1m0s)"},
		// Stages list the start and every stage.
		{Stages{Start: 0, Stages: []Stage{{100, time.Minute}, {100, 5 * time.Minute}, {0, time.Minute}}},
			"stages(from 0/s, 100/s over 1m0s, 100/s over 5m0s, 0/s over 1m0s)"},
		// Spike names every parameter.
		{Spike{Base: 50, Peak: 500, At: 2 * time.Minute, Ramp: 10 * s, Hold: 30 * s, Duration: 10 * time.Minute},
			"spike(50/s, peak 500/s at 2m0s, ramp 10s, hold 30s, for 10m0s)"},
		// A compiled profile lists its segments, without zero-length ones.
		{profileShape{Stages{Start: 5, Stages: []Stage{{5, 10 * s}, {0, 0}, {0, 10 * s}}}},
			"profile([0s, 10s) 5/s; [10s, 20s) 0/s)"},
		// A ramp segment shows both ends.
		{profileShape{Ramp{From: 1, To: 2, Duration: s}}, "profile([0s, 1s) 1/s → 2/s)"},
	}
	for _, tt := range tests {
		if got := tt.shape.String(); got != tt.want {
			t.Errorf("String() = %q, want %q", got, tt.want)
		}
	}
}

// profileShape shows a shape's compiled profile in String tests.
type profileShape struct{ Shape }

func (p profileShape) String() string { return p.Profile().String() }
