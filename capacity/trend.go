package capacity

import "math"

// A backlog that keeps growing is what separates a rate a backbone can
// take for as long as it lasts from one it only survives because the run
// ends: by the end of a long enough run, any growth is a failure, and a
// short run must not hide it. So a probe judges each backlog by its
// trend, not its size: a gauge in seconds (a wait, or a count divided by
// the orders per second: "seconds of traffic") grows without bound when
// its least-squares slope over the end of the traffic window (its last
// quarter, at least 30 s) is at least MinGrowth seconds per second, and
// it rose by at least MinRise over that stretch and by at least MinSignal
// times its own fluctuation around the fitted line, to a height (the
// line's end) MinRise above anything it reached before that stretch: a
// queue that wanders back up to where it has already been is not growing
// without bound. A stable queue near saturation fluctuates; it does not
// climb 1% of the elapsed time for minutes on end. A backbone 2% over a
// limit does: its queue grows by 2% of the time elapsed.
const (
	// MinGrowth is the least slope (seconds of backlog per second of
	// run) that counts as growth: 1%, half the default precision.
	MinGrowth = 0.01
	// MinRise is the least rise, in seconds, over the judged window: a
	// slope over a handful of seconds is noise.
	MinRise = 0.25
	// MinSignal is how many times its fluctuation around the fitted line
	// the rise must be.
	MinSignal = 3.0
)

// trend fits y = a + b·t by least squares and returns the slope b, the
// rise b·(last t − first t) and the standard deviation of the residuals
// (the gauge's fluctuation around the line). Fewer than three points
// have no trend.
func trend(ts, ys []float64) (slope, rise, noise float64) {
	n := len(ts)
	if n < 3 || len(ys) != n {
		return 0, 0, 0
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
		return 0, 0, 0
	}
	slope = sxy / sxx
	if math.IsNaN(slope) || math.IsInf(slope, 0) {
		return 0, 0, 0
	}
	var ss float64
	for i := range ts {
		r := ys[i] - (my + slope*(ts[i]-mt))
		ss += r * r
	}
	return slope, slope * (ts[n-1] - ts[0]), math.Sqrt(ss / float64(n-2))
}

// grows reports whether a trend means growth without bound: a slope of
// MinGrowth or more, a rise of MinRise or more, and a rise of at least
// MinSignal times the gauge's fluctuation around its line. A queue's
// length wanders (a slow, lightly loaded service with a long tail can
// drift by seconds over a minute and come back); growth without bound
// climbs steadily, far above its own wandering.
func grows(slope, rise, noise float64) bool {
	return slope >= MinGrowth && rise >= MinRise && rise >= MinSignal*noise
}
