package capacity

import "math"

// A backlog that keeps growing is what separates a rate a backbone can
// take for as long as it lasts from one it only survives because the run
// ends: by the end of a long enough run, any growth is a failure, and a
// short run must not hide it. So a probe judges each backlog by its
// trend, not its size: a gauge in seconds (a wait, or a count divided by
// the orders per second: "seconds of traffic") grows without bound when
// its least-squares slope over the end of the traffic window (its last
// quarter, at least 30 s) is at least MinGrowth seconds per second and it
// rose by at least MinRise over that stretch. A stable queue near saturation fluctuates; it does not
// climb 1% of the elapsed time for minutes on end. A backbone 2% over a
// limit does: its queue grows by 2% of the time elapsed.
const (
	// MinGrowth is the least slope (seconds of backlog per second of
	// run) that counts as growth: 1%, half the default precision.
	MinGrowth = 0.01
	// MinRise is the least rise, in seconds, over the judged window: a
	// slope over a handful of seconds is noise.
	MinRise = 0.25
)

// trend fits y = a + b·t by least squares and returns the slope b and
// the rise b·(last t − first t). Fewer than three points have no trend.
func trend(ts, ys []float64) (slope, rise float64) {
	n := len(ts)
	if n < 3 || len(ys) != n {
		return 0, 0
	}
	var st, sy float64
	for i := range ts {
		st += ts[i]
		sy += ys[i]
	}
	mt, my := st/float64(n), sy/float64(n)
	var sxy, sxx float64
	for i := range ts {
		dt := ts[i] - mt
		sxy += dt * (ys[i] - my)
		sxx += dt * dt
	}
	if sxx == 0 {
		return 0, 0
	}
	slope = sxy / sxx
	if math.IsNaN(slope) || math.IsInf(slope, 0) {
		return 0, 0
	}
	return slope, slope * (ts[n-1] - ts[0])
}

// grows reports whether a slope and rise mean growth without bound.
func grows(slope, rise float64) bool { return slope >= MinGrowth && rise >= MinRise }
