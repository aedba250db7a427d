package loadgen

import (
	"math"
	"testing"
	"time"
)

// custom is a Shape of a type Scale and Stretch do not know: they wrap it.
type custom struct{ Constant }

func TestScaleAndStretch(t *testing.T) {
	cases := []struct {
		name  string
		shape Shape
		k, f  float64
		// want is the transformed shape's String (the four shapes keep
		// their type); peak its peak and total its expected orders.
		want        string
		peak, total float64
	}{
		{"constant: 200/s for 10m, twice the rate", Constant{Rate: 200, Duration: 10 * time.Minute}, 2, 1,
			"constant(400/s for 10m0s)", 400, 240000},
		{"constant: half the time", Constant{Rate: 200, Duration: 10 * time.Minute}, 1, 0.5,
			"constant(200/s for 5m0s)", 200, 60000},
		{"ramp 50 → 260 over 4m, scaled to a 200/s peak", Ramp{From: 50, To: 260, Duration: 4 * time.Minute}, 200.0 / 260, 1,
			"ramp(38.46153846153847/s to 200/s over 4m0s)", 200, (200.0/260*50 + 200) / 2 * 240},
		{"stages: every target scaled", Stages{Start: 10, Stages: []Stage{{Target: 20, Duration: time.Minute}, {Target: 20, Duration: time.Minute}}}, 3, 1,
			"stages(from 30/s, 60/s over 1m0s, 60/s over 1m0s)", 60, 45*60 + 60*60},
		{"spike: stretched to a quarter", Spike{Base: 10, Peak: 50, At: 4 * time.Minute, Ramp: time.Minute, Hold: 2 * time.Minute, Duration: 20 * time.Minute}, 1, 0.25,
			"spike(10/s, peak 50/s at 1m0s, ramp 15s, hold 30s, for 5m0s)", 50, 10*300 + 40*15 + 40*30},
		{"a shape of another type is wrapped", custom{Constant{Rate: 10, Duration: time.Minute}}, 2, 0.5,
			"constant(10/s for 1m0s) ×1 rate ×0.5 time ×2 rate ×1 time", 20, 600},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := Scale(Stretch(c.shape, c.f), c.k)
			if got := s.String(); got != c.want {
				t.Errorf("String = %q, want %q", got, c.want)
			}
			if errs := s.Validate(); len(errs) > 0 {
				t.Fatalf("invalid: %v", errs)
			}
			p := s.Profile()
			if math.Abs(p.Peak()-c.peak) > 1e-9*c.peak {
				t.Errorf("peak %g, want %g", p.Peak(), c.peak)
			}
			if math.Abs(p.Total()-c.total) > 1e-6*c.total {
				t.Errorf("total %g, want %g", p.Total(), c.total)
			}
		})
	}
}

// TestScaleLeavesTheOriginal: scaling stages copies them.
func TestScaleLeavesTheOriginal(t *testing.T) {
	s := Stages{Stages: []Stage{{Target: 5, Duration: time.Second}}}
	_ = Scale(s, 10)
	_ = Stretch(s, 10)
	if s.Stages[0].Target != 5 || s.Stages[0].Duration != time.Second {
		t.Fatalf("the original changed: %v", s)
	}
}
