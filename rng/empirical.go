package rng

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"

	"github.com/HdrHistogram/hdrhistogram-go"
)

// Empirical resamples a recorded distribution: for instance the per-hop
// latencies measured in a live run, replayed in the model. Each sample
// picks a histogram bucket with probability proportional to its count and
// a value uniformly inside the bucket, so the resampled percentiles match
// the recorded ones to the histogram's precision.
type Empirical struct {
	lo, hi []float64 // bucket bounds, in the caller's unit
	cum    []int64   // cumulative counts, cum[len-1] = total
	name   string
}

// NewEmpirical builds an Empirical distribution from an HDR histogram whose
// values are in units of scale (e.g. a histogram in microseconds with
// scale 1000 gives samples in nanoseconds). name labels it in String.
func NewEmpirical(h *hdrhistogram.Histogram, scale float64, name string) (*Empirical, error) {
	if h == nil || h.TotalCount() == 0 {
		return nil, errors.New("empirical distribution: the histogram is empty")
	}
	if !(scale > 0) {
		return nil, fmt.Errorf("empirical distribution: scale must be positive, got %g", scale)
	}
	e := &Empirical{name: name}
	var total int64
	for _, b := range h.Distribution() {
		if b.Count == 0 {
			continue
		}
		total += b.Count
		e.lo = append(e.lo, float64(b.From)*scale)
		e.hi = append(e.hi, float64(b.To)*scale)
		e.cum = append(e.cum, total)
	}
	return e, nil
}

func (e *Empirical) total() int64 { return e.cum[len(e.cum)-1] }

// bucket returns the bucket holding the k-th sample (0-based).
func (e *Empirical) bucket(k int64) int {
	return sort.Search(len(e.cum), func(i int) bool { return e.cum[i] > k })
}

func (e *Empirical) Sample(r *rand.Rand) float64 {
	i := e.bucket(r.Int64N(e.total()))
	return e.lo[i] + r.Float64()*(e.hi[i]-e.lo[i])
}

func (e *Empirical) Quantile(q float64) float64 {
	k := int64(math.Ceil(clamp01(q)*float64(e.total()))) - 1
	if k < 0 {
		k = 0
	}
	return e.hi[e.bucket(k)]
}

func (e *Empirical) Mean() float64 {
	var sum float64
	var prev int64
	for i, c := range e.cum {
		sum += float64(c-prev) * (e.lo[i] + e.hi[i]) / 2
		prev = c
	}
	return sum / float64(e.total())
}

func (e *Empirical) String() string { return fmt.Sprintf("empirical(%s)", e.name) }
