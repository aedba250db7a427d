package report

import (
	"fmt"
	"math"
	"time"

	"github.com/HdrHistogram/hdrhistogram-go"
)

// Latency histograms record microseconds from 1 µs to 7 days with three
// significant figures: EventBridge retries an event for up to 24 hours, and
// a journey can chain three such deliveries, so a week bounds any journey a
// run can observe. Values above the range are clamped to it and counted
// (never silently dropped).
const (
	histLowest  = 1
	histHighest = int64(7 * 24 * time.Hour / time.Microsecond)
	histSigFigs = 3
)

// Histogram is an HDR latency histogram. Histograms merge exactly, which
// is what makes sharded runs and repeated runs combinable.
type Histogram struct {
	h *hdrhistogram.Histogram
	// clamped counts values outside the trackable range, recorded at
	// the nearest bound.
	clamped int64
}

// NewHistogram returns an empty latency histogram.
func NewHistogram() *Histogram {
	return &Histogram{h: hdrhistogram.New(histLowest, histHighest, histSigFigs)}
}

// Record adds one latency. Negative latencies are recorded as zero-ish
// (the lowest bucket) and counted as clamped: they can only come from a
// clock step in a live run.
func (h *Histogram) Record(d time.Duration) {
	us := int64(d / time.Microsecond)
	switch {
	case us < histLowest:
		if d < 0 {
			h.clamped++
		}
		us = histLowest
	case us > histHighest:
		h.clamped++
		us = histHighest
	}
	// RecordValue fails only outside the range, excluded above.
	_ = h.h.RecordValue(us)
}

// Count returns the number of recorded values.
func (h *Histogram) Count() int64 { return h.h.TotalCount() }

// Clamped returns how many values fell outside the trackable range.
func (h *Histogram) Clamped() int64 { return h.clamped }

// Merge adds every value of o to h.
func (h *Histogram) Merge(o *Histogram) {
	h.h.Merge(o.h)
	h.clamped += o.clamped
}

// Quantile returns the value at quantile q (0..1) as a duration.
func (h *Histogram) Quantile(q float64) time.Duration {
	return time.Duration(h.h.ValueAtQuantile(q*100)) * time.Microsecond
}

// Summary returns the headline numbers in milliseconds.
func (h *Histogram) Summary() Summary {
	if h.h.TotalCount() == 0 {
		return Summary{}
	}
	ms := func(us int64) float64 { return roundMs(float64(us) / 1000) }
	return Summary{
		Count: h.h.TotalCount(),
		Min:   ms(h.h.Min()),
		Mean:  roundMs(h.h.Mean() / 1000),
		P50:   ms(h.h.ValueAtQuantile(50)),
		P90:   ms(h.h.ValueAtQuantile(90)),
		P99:   ms(h.h.ValueAtQuantile(99)),
		P999:  ms(h.h.ValueAtQuantile(99.9)),
		Max:   ms(h.h.Max()),
	}
}

// roundMs keeps three decimals (microsecond resolution), so summaries
// print the same on every platform.
func roundMs(v float64) float64 { return math.Round(v*1000) / 1000 }

// Encode returns the histogram in HdrHistogram's compressed V2 encoding,
// base64: the form embedded in results.json, readable by every HdrHistogram
// implementation (Java, Go, Rust, Python).
func (h *Histogram) Encode() (string, error) {
	b, err := h.h.Encode(hdrhistogram.V2CompressedEncodingCookieBase)
	if err != nil {
		return "", fmt.Errorf("encoding histogram: %w", err)
	}
	return string(b), nil
}

// DecodeHistogram reads a histogram written by Encode.
func DecodeHistogram(s string) (*Histogram, error) {
	h, err := hdrhistogram.Decode([]byte(s))
	if err != nil {
		return nil, fmt.Errorf("decoding histogram: %w", err)
	}
	return &Histogram{h: h}, nil
}

// Percentiles returns (percentile, value) pairs of the distribution out to
// 99.999%, for percentile-distribution charts.
func (h *Histogram) Percentiles() []PercentilePoint {
	var out []PercentilePoint
	for _, b := range h.h.CumulativeDistributionWithTicks(5) {
		out = append(out, PercentilePoint{Percentile: b.Quantile, Ms: float64(b.ValueAt) / 1000})
		if b.Quantile >= 99.999 {
			break
		}
	}
	return out
}

// PercentilePoint is one point of a percentile distribution.
type PercentilePoint struct {
	Percentile float64 `json:"percentile"`
	Ms         float64 `json:"ms"`
}
