package report

import (
	"cmp"
	"math"
	"slices"
	"time"

	"github.com/HdrHistogram/hdrhistogram-go"
)

// The series has one point per second of run time, second s covering
// [s, s+1) seconds. Its slice is sized to the cut-off up front and grows
// past it as needed, up to seriesOverrun after the cut-off (7 days when
// the cut-off is unknown); later times are counted as an anomaly.
const seriesOverrun = time.Hour

// percentileWindow is how many seconds of per-second completion
// histograms stay open. Completions arrive in nondecreasing time in the
// simulator and nearly so live; a completion for a second more than
// percentileWindow−1 seconds behind the latest one is counted but left out
// of its second's p50/p99 (anomaly "series_percentile_late").
const percentileWindow = 8

// Per-second histograms have two significant digits (1% resolution, plenty
// for a chart) over the latency range: about 33 KiB each, and only
// percentileWindow of them exist.
const seriesSigFigs = 2

func (r *Recorder) initSeries() {
	limit := int64(7 * 24 * time.Hour / time.Second)
	n := int64(0)
	if r.cfg.Cutoff > 0 {
		n = int64((r.cfg.Cutoff + time.Second - 1) / time.Second)
		limit = int64((r.cfg.Cutoff + seriesOverrun) / time.Second)
	}
	r.series = make([]Point, n, n+n/8)
	r.seriesLimit = limit
	r.pct.lo = 0
}

// second returns the series index of at, or -1 beyond the series limit.
func (r *Recorder) second(at time.Duration) int64 {
	if at < 0 {
		return 0
	}
	s := int64(at / time.Second)
	if s > r.seriesLimit {
		r.anomaly(AnomalySeriesRange)
		return -1
	}
	return s
}

// point returns the series point of at's second, or nil beyond the limit.
func (r *Recorder) point(at time.Duration) *Point {
	s := r.second(at)
	if s < 0 {
		return nil
	}
	if s >= int64(len(r.series)) {
		r.series = grow(r.series, int(s))
	}
	return &r.series[s]
}

// DeadLettered records a DLQ write (series.dlq).
func (r *Recorder) DeadLettered(at time.Duration) {
	if p := r.point(at); p != nil {
		p.DLQ++
	}
}

// completedAt adds a completion to its second: the count and, while the
// second is open, its latency histogram.
func (r *Recorder) completedAt(at, e2e time.Duration) {
	p := r.point(at)
	if p == nil {
		return
	}
	p.Completed++
	if !r.pct.record(max(int64(at/time.Second), 0), e2e, r.series) {
		r.anomaly(AnomalySeriesLate)
	}
}

// percentileRing holds the completion histograms of the open seconds
// [lo, lo+percentileWindow), second s in slot s % percentileWindow.
type percentileRing struct {
	slots [percentileWindow]*hdrhistogram.Histogram
	lo    int64
}

// record adds e2e to second s, first closing the seconds that fall out of
// the window into series. It reports false when s is already closed.
func (p *percentileRing) record(s int64, e2e time.Duration, series []Point) bool {
	if s < p.lo {
		return false
	}
	if s >= p.lo+percentileWindow {
		newLo := s - percentileWindow + 1
		for c := p.lo; c < min(newLo, p.lo+percentileWindow); c++ {
			p.close(c, series, true)
		}
		p.lo = newLo
	}
	h := p.slots[s%percentileWindow]
	if h == nil {
		h = hdrhistogram.New(histLowest, histHighest, seriesSigFigs)
		p.slots[s%percentileWindow] = h
	}
	us := int64(e2e / time.Microsecond)
	_ = h.RecordValue(min(max(us, histLowest), histHighest))
	return true
}

// close writes second c's percentiles into series (and, when reset,
// empties its histogram for reuse).
func (p *percentileRing) close(c int64, series []Point, reset bool) {
	h := p.slots[c%percentileWindow]
	if h == nil || h.TotalCount() == 0 {
		return
	}
	series[c].P50Ms = roundMs(float64(h.ValueAtQuantile(50)) / 1000)
	series[c].P99Ms = roundMs(float64(h.ValueAtQuantile(99)) / 1000)
	if reset {
		h.Reset()
	}
}

// finishSeries returns a copy of the series, seconds numbered, with the
// percentiles of the still-open seconds filled in (without closing them).
func (r *Recorder) finishSeries() []Point {
	out := slices.Clone(r.series)
	if out == nil {
		out = []Point{}
	}
	for c := r.pct.lo; c < r.pct.lo+percentileWindow && c < int64(len(out)); c++ {
		r.pct.close(c, out, false)
	}
	for i := range out {
		out[i].Second = int64(i)
	}
	return out
}

// rates counts calls per account per second, for quota headroom.
type rates struct {
	idx      map[string]int
	accounts []string
	counts   [][]int32
	// cache[stringSlot(account)%8] is an index into accounts + 1 (0:
	// empty), a lookaside for idx.
	cache [8]int
}

func (rt *rates) add(r *Recorder, account string, at time.Duration) {
	s := r.second(at)
	if s < 0 {
		return
	}
	slot := &rt.cache[stringSlot(account)%uint(len(rt.cache))]
	i, ok := *slot-1, *slot > 0 && rt.accounts[*slot-1] == account
	if !ok {
		i, ok = rt.idx[account]
	}
	if ok {
		*slot = i + 1
	} else {
		if rt.idx == nil {
			rt.idx = map[string]int{}
		}
		i = len(rt.accounts)
		rt.idx[account] = i
		rt.accounts = append(rt.accounts, account)
		rt.counts = append(rt.counts, make([]int32, len(r.series)))
		*slot = i + 1
	}
	if s >= int64(len(rt.counts[i])) {
		rt.counts[i] = grow(rt.counts[i], int(s))
	}
	rt.counts[i][s]++
}

func (rt *rates) peak(i int) float64 {
	var m int32
	for _, c := range rt.counts[i] {
		m = max(m, c)
	}
	return float64(m)
}

// PutEventsCall records one PutEvents request by account at at, with its
// number of entries; throttled when the whole request was throttled. Every
// request, throttled or not, counts towards the account's request rate
// (the demand the quota is compared with); a throttled request adds its
// entries to series.throttled.
func (r *Recorder) PutEventsCall(account string, at time.Duration, entries int, throttled bool) {
	r.putRates.add(r, account, at)
	if throttled {
		if p := r.point(at); p != nil {
			p.Throttled += int64(entries)
		}
	}
}

// Invocation records one target invocation in account at at (for the
// invocations quota headroom).
func (r *Recorder) Invocation(account string, at time.Duration) { r.invRates.add(r, account, at) }

// headroom compares each quota in force with the peak rate of its kind:
// the highest count in one second-aligned bucket. A quota for account ""
// or "*" applies to every account with calls of its kind (one row each),
// except those with their own quota; with no such account, one row "*"
// with a zero peak. Rows are sorted by (quota, account).
func (r *Recorder) headroom() []Headroom {
	out := []Headroom{}
	specific := map[[2]string]bool{}
	for _, q := range r.cfg.Quotas {
		if q.Account != "" && q.Account != "*" {
			specific[[2]string{q.Name, q.Account}] = true
		}
	}
	row := func(q Quota, account string, peak float64) {
		h := Headroom{Quota: q.Name, Account: account, Limit: q.Limit, Peak: peak}
		if q.Limit > 0 {
			h.Used = roundRatio(peak / q.Limit)
		}
		out = append(out, h)
	}
	for _, q := range r.cfg.Quotas {
		var rt *rates
		switch q.Name {
		case QuotaPutEvents:
			rt = &r.putRates
		case QuotaInvocations:
			rt = &r.invRates
		default:
			row(q, q.Account, 0)
			continue
		}
		if q.Account != "" && q.Account != "*" {
			peak := 0.0
			if i, ok := rt.idx[q.Account]; ok {
				peak = rt.peak(i)
			}
			row(q, q.Account, peak)
			continue
		}
		n := 0
		for i, a := range rt.accounts {
			if !specific[[2]string{q.Name, a}] {
				row(q, a, rt.peak(i))
				n++
			}
		}
		if n == 0 {
			row(q, "*", 0)
		}
	}
	slices.SortStableFunc(out, func(a, b Headroom) int {
		return cmp.Or(cmp.Compare(a.Quota, b.Quota), cmp.Compare(a.Account, b.Account))
	})
	return out
}

// roundRatio keeps four decimals (0.01%).
func roundRatio(v float64) float64 { return math.Round(v*1e4) / 1e4 }
