package capacity

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestTrend(t *testing.T) {
	line := func(n int, f func(t float64) float64) ([]float64, []float64) {
		var ts, ys []float64
		for i := 0; i < n; i++ {
			ts = append(ts, float64(i))
			ys = append(ys, f(float64(i)))
		}
		return ts, ys
	}
	noise := rand.New(rand.NewPCG(1, 2))
	cases := []struct {
		name  string
		f     func(t float64) float64
		n     int
		slope float64 // expected, within 10% (or 0.001 absolute)
		grows bool
	}{
		{"flat at zero: a backbone well under its limits", func(float64) float64 { return 0 }, 300, 0, false},
		{"flat, with noise: a stable queue near saturation", func(float64) float64 { return 0.4 + 0.4*noise.Float64() }, 300, 0, false},
		{"2% over a limit: the wait grows by 2% of the time", func(t float64) float64 { return 0.02 * t }, 300, 0.02, true},
		{"1.2% over, noisy", func(t float64) float64 { return 0.012*t + 0.3*noise.Float64() }, 300, 0.012, true},
		{"0.5% over: below the threshold (inside the precision)", func(t float64) float64 { return 0.005 * t }, 300, 0.005, false},
		{"steep but short: 5 points rising 0.2s", func(t float64) float64 { return 0.05 * t }, 5, 0.05, false},
		{"draining: a backlog that shrinks", func(t float64) float64 { return 30 - 0.1*t }, 300, -0.1, false},
		{"jittery: a rise of 0.8s buried in noise of ±1s", func(t float64) float64 { return 0.011*t + 2*noise.Float64() }, 75, 0.0139, false},
		{"smooth: a swell of 1s over the window (the trend alone cannot tell it from growth; the gauge's history can)", func(t float64) float64 { return math.Sin(t/40) + 0.1*noise.Float64() }, 75, 0.0146, true},
		{"two points have no trend", func(t float64) float64 { return 100 * t }, 2, 0, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ts, ys := line(c.n, c.f)
			slope, rise, noise := trend(ts, ys)
			if math.Abs(slope-c.slope) > max(0.1*math.Abs(c.slope), 0.001) {
				t.Errorf("slope %g, want %g", slope, c.slope)
			}
			if got := grows(slope, rise, noise); got != c.grows {
				t.Errorf("grows = %v (slope %g, rise %g, noise %g), want %v", got, slope, rise, noise, c.grows)
			}
		})
	}
}
