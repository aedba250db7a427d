package rng

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"
)

// Dist is a probability distribution over non-negative float64 values.
// Implementations are immutable values, safe for concurrent use; all
// randomness comes from the generator passed to Sample.
type Dist interface {
	// Sample draws one value using r.
	Sample(r *rand.Rand) float64
	// Quantile returns the value below which a fraction q (0 ≤ q ≤ 1) of
	// samples fall.
	Quantile(q float64) float64
	// Mean returns the expected value.
	Mean() float64
	// String describes the distribution in the scenario syntax.
	String() string
}

// Duration samples d as a latency in nanoseconds, rounded to the nearest
// nanosecond and never negative.
func Duration(d Dist, r *rand.Rand) time.Duration {
	v := d.Sample(r)
	if !(v > 0) { // also catches NaN
		return 0
	}
	if v >= math.MaxInt64 {
		return math.MaxInt64
	}
	return time.Duration(math.Round(v))
}

// Constant always returns Value.
type Constant struct{ Value float64 }

func (c Constant) Sample(*rand.Rand) float64 { return c.Value }
func (c Constant) Quantile(float64) float64  { return c.Value }
func (c Constant) Mean() float64             { return c.Value }
func (c Constant) String() string            { return fmt.Sprintf("constant(%g)", c.Value) }

// Uniform is uniform on [Min, Max).
type Uniform struct{ Min, Max float64 }

func (u Uniform) Sample(r *rand.Rand) float64 { return u.Min + r.Float64()*(u.Max-u.Min) }
func (u Uniform) Quantile(q float64) float64  { return u.Min + clamp01(q)*(u.Max-u.Min) }
func (u Uniform) Mean() float64               { return (u.Min + u.Max) / 2 }
func (u Uniform) String() string              { return fmt.Sprintf("uniform(%g, %g)", u.Min, u.Max) }

// Exponential has the given mean (rate 1/MeanValue): the inter-arrival
// time of a Poisson process, or a memoryless service time.
type Exponential struct{ MeanValue float64 }

func (e Exponential) Sample(r *rand.Rand) float64 { return r.ExpFloat64() * e.MeanValue }
func (e Exponential) Quantile(q float64) float64 {
	q = clamp01(q)
	if q == 1 {
		return math.Inf(1)
	}
	return -math.Log1p(-q) * e.MeanValue
}
func (e Exponential) Mean() float64  { return e.MeanValue }
func (e Exponential) String() string { return fmt.Sprintf("exponential(mean=%g)", e.MeanValue) }

// z99 is the 99th percentile of the standard normal distribution.
const z99 = 2.3263478740408408

// LogNormal is the log-normal distribution with the given median and 99th
// percentile, the usual shape of network and service latencies. P99 must
// be at least Median; equal values make it a constant.
//
// A literal LogNormal{Median, P99} works; [NewLogNormal] also precomputes
// the parameters, which halves the cost of Sample on hot paths.
type LogNormal struct {
	Median, P99 float64

	ready     bool
	mu, sigma float64
}

// NewLogNormal returns the log-normal with the given median and p99, its
// parameters computed once.
func NewLogNormal(median, p99 float64) LogNormal {
	l := LogNormal{Median: median, P99: p99}
	l.mu, l.sigma = l.params()
	l.ready = true
	return l
}

func (l LogNormal) params() (mu, sigma float64) {
	if l.ready {
		return l.mu, l.sigma
	}
	mu = math.Log(l.Median)
	sigma = (math.Log(l.P99) - mu) / z99
	if sigma < 0 || math.IsNaN(sigma) {
		sigma = 0
	}
	return mu, sigma
}

func (l LogNormal) Sample(r *rand.Rand) float64 {
	mu, sigma := l.params()
	return math.Exp(mu + sigma*r.NormFloat64())
}

func (l LogNormal) Quantile(q float64) float64 {
	mu, sigma := l.params()
	q = clamp01(q)
	switch q {
	case 0:
		return 0
	case 1:
		return math.Inf(1)
	}
	z := math.Sqrt2 * math.Erfinv(2*q-1)
	return math.Exp(mu + sigma*z)
}

func (l LogNormal) Mean() float64 {
	mu, sigma := l.params()
	return math.Exp(mu + sigma*sigma/2)
}

func (l LogNormal) String() string {
	return fmt.Sprintf("lognormal(median=%g, p99=%g)", l.Median, l.P99)
}

func clamp01(q float64) float64 {
	switch {
	case q < 0 || math.IsNaN(q):
		return 0
	case q > 1:
		return 1
	}
	return q
}
