package report

import (
	"cmp"
	"math"
	"slices"
	"time"

	"github.com/HdrHistogram/hdrhistogram-go"
)

// MaxSeriesPoints bounds the series, whatever the run's length: a run
// whose cut-off is at most MaxSeriesPoints seconds (an hour) has a point
// per second; a longer one has points of a wider step (SeriesStep), so
// that memory and results.json stay the same size for a day-long soak as
// for an hour. Everything indexed by time in the recorder (the series,
// the per-step window statistics recovery is judged on) has this bound.
const MaxSeriesPoints = 3600

// stepLadder are the steps a longer run's series may have: readable
// widths, the smallest that fits being chosen.
var stepLadder = []time.Duration{
	2 * time.Second, 5 * time.Second, 10 * time.Second, 15 * time.Second, 30 * time.Second,
	time.Minute, 2 * time.Minute, 5 * time.Minute, 10 * time.Minute, 15 * time.Minute, 30 * time.Minute,
	time.Hour, 2 * time.Hour, 3 * time.Hour, 6 * time.Hour, 12 * time.Hour, 24 * time.Hour,
}

// SeriesStep is the width of a series point for a run with this cut-off:
// a second up to MaxSeriesPoints seconds, else the first step of the
// ladder (2s, 5s, 10s, 15s, 30s, 1m, 2m, 5m, ... 1d) that keeps the
// series within MaxSeriesPoints points, in whole days past that.
func SeriesStep(cutoff time.Duration) time.Duration {
	if cutoff <= MaxSeriesPoints*time.Second {
		return time.Second
	}
	need := (cutoff + MaxSeriesPoints - 1) / MaxSeriesPoints
	for _, s := range stepLadder {
		if s >= need {
			return s
		}
	}
	day := 24 * time.Hour
	return (need + day - 1) / day * day
}

// The series may grow past the cut-off by seriesOverrun (7 days when the
// cut-off is unknown); later times are counted as an anomaly.
const seriesOverrun = time.Hour

// percentileWindow is how many steps of per-step completion histograms
// stay open. Completions arrive in nondecreasing time in the simulator and
// nearly so live; a completion for a step more than percentileWindow−1
// steps behind the latest one is counted but left out of its step's
// p50/p99 (anomaly "series_percentile_late").
const percentileWindow = 8

// Per-step histograms have two significant digits (1% resolution, plenty
// for a chart) over the latency range: about 33 KiB each, and only
// percentileWindow of them exist.
const seriesSigFigs = 2

func (r *Recorder) initSeries() {
	r.step = SeriesStep(r.cfg.Cutoff)
	limit := int64(7 * 24 * time.Hour / r.step)
	n := int64(0)
	if r.cfg.Cutoff > 0 {
		n = int64((r.cfg.Cutoff + r.step - 1) / r.step)
		limit = int64((r.cfg.Cutoff + seriesOverrun) / r.step)
	}
	r.series = make([]Point, n, n+n/8)
	r.seriesLimit = limit
	r.pct.lo = 0
}

// slot returns the series index of at (its step), or -1 beyond the
// series limit.
func (r *Recorder) slot(at time.Duration) int64 {
	if at < 0 {
		return 0
	}
	s := int64(at / r.step)
	if s > r.seriesLimit {
		r.anomaly(AnomalySeriesRange)
		return -1
	}
	return s
}

// point returns the series point of at's step, or nil beyond the limit.
func (r *Recorder) point(at time.Duration) *Point {
	s := r.slot(at)
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

// completedAt adds a completion to its step: the count and, while the
// step is open, its latency histogram.
func (r *Recorder) completedAt(at, e2e time.Duration) {
	p := r.point(at)
	if p == nil {
		return
	}
	p.Completed++
	if !r.pct.record(max(int64(at/r.step), 0), e2e, r.series) {
		r.anomaly(AnomalySeriesLate)
	}
}

// percentileRing holds the completion histograms of the open steps
// [lo, lo+percentileWindow), step s in slot s % percentileWindow.
type percentileRing struct {
	slots [percentileWindow]*hdrhistogram.Histogram
	lo    int64
}

// record adds e2e to step s, first closing the steps that fall out of
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

// close writes step c's percentiles into series (and, when reset,
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

// finishSeries returns a copy of the series, each point stamped with the
// second its step starts at, with the percentiles of the still-open steps
// filled in (without closing them).
func (r *Recorder) finishSeries() []Point {
	out := slices.Clone(r.series)
	if out == nil {
		out = []Point{}
	}
	for c := r.pct.lo; c < r.pct.lo+percentileWindow && c < int64(len(out)); c++ {
		r.pct.close(c, out, false)
	}
	step := int64(r.step / time.Second)
	for i := range out {
		out[i].Second = int64(i) * step
	}
	return out
}

// stepSeconds is Results.SeriesStep: 0 for the one-second step.
func (r *Recorder) stepSeconds() int64 {
	if r.step == time.Second {
		return 0
	}
	return int64(r.step / time.Second)
}

// rateWindow is how many seconds of call counts stay open per account:
// calls arrive in time order in the simulator, nearly so live. A call for
// a second already folded is counted as the anomaly "quota_rate_late".
const rateWindow = 8

// rates counts the calls of one kind (PutEvents requests, invocations)
// per account and second, for quota headroom: each second, once it
// leaves the window, is folded into the account's busiest second relative
// to the quota in force then. Memory is a few counters per account,
// whatever the run's length.
type rates struct {
	kind     string // QuotaPutEvents or QuotaInvocations
	idx      map[string]int
	accounts []string
	per      []*accountRates
	// cache[stringSlot(account)%8] is an index into accounts + 1 (0:
	// empty), a lookaside for idx.
	cache [8]int
}

// accountRates is one account's open seconds and what the closed ones
// came to.
type accountRates struct {
	ring [rateWindow]int32 // seconds [lo, lo+rateWindow), second s at s%rateWindow
	lo   int64
	// The busiest closed second: its count, and (when a quota applies)
	// its use of the quota in force then and that quota.
	peak                 int32
	used, usedAt, usedOf float64
}

func (rt *rates) add(r *Recorder, account string, at time.Duration) {
	if at < 0 {
		at = 0
	}
	s := int64(at / time.Second)
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
		rt.per = append(rt.per, &accountRates{})
		*slot = i + 1
	}
	a := rt.per[i]
	switch {
	case s < a.lo:
		r.anomaly(AnomalyQuotaRateLate)
		return
	case s >= a.lo+rateWindow:
		newLo := s - rateWindow + 1
		for c := a.lo; c < min(newLo, a.lo+rateWindow); c++ {
			rt.fold(r, account, a, c)
		}
		a.lo = newLo
	}
	a.ring[s%rateWindow]++
}

// fold closes second c of account a: it may be the busiest yet, in calls
// and relative to the quota in force.
func (rt *rates) fold(r *Recorder, account string, a *accountRates, c int64) {
	n := a.ring[c%rateWindow]
	a.ring[c%rateWindow] = 0
	if n == 0 {
		return
	}
	a.peak = max(a.peak, n)
	if limit := r.quotaInForce(rt.kind, account, c); limit > 0 {
		if u := float64(n) / limit; u > a.used {
			a.used, a.usedAt, a.usedOf = u, float64(n), limit
		}
	}
}

// flush folds every open second.
func (rt *rates) flush(r *Recorder) {
	for i, a := range rt.per {
		for c := a.lo; c < a.lo+rateWindow; c++ {
			rt.fold(r, rt.accounts[i], a, c)
		}
		a.lo += rateWindow
	}
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

// quotaChange is a quota changed during the run (a throttle fault).
type quotaChange struct {
	kind, account string
	at            time.Duration
	limit         float64
}

// QuotaChanged records that account's quota of kind (QuotaPutEvents or
// QuotaInvocations) is limit per second from at on (a fault lowered it, or
// restored it), so that headroom compares each second's calls with the
// quota in force in it. Changes must come in time order, before the calls
// of the seconds they affect are folded (at once, in the simulator).
func (r *Recorder) QuotaChanged(kind, account string, at time.Duration, limit float64) {
	r.quotaChanges = append(r.quotaChanges, quotaChange{kind: kind, account: account, at: at, limit: limit})
}

// quotaInForce is the lowest quota of kind that applied to account during
// second c: the account's own quota (else the quota for every account),
// as changed by QuotaChanged. 0 when none is known.
func (r *Recorder) quotaInForce(kind, account string, c int64) float64 {
	limit := 0.0
	for _, q := range r.cfg.Quotas {
		if q.Name != kind {
			continue
		}
		if q.Account == account {
			limit = q.Limit
			break
		}
		if q.Account == "" || q.Account == "*" {
			limit = q.Limit
		}
	}
	from, to := time.Duration(c)*time.Second, time.Duration(c+1)*time.Second
	lowest := math.Inf(1)
	inForce := limit
	for _, ch := range r.quotaChanges {
		if ch.kind != kind || ch.account != account {
			continue
		}
		if ch.at >= to {
			break
		}
		if ch.at > from {
			lowest = min(lowest, inForce) // in force for part of c
		}
		inForce = ch.limit
	}
	return min(lowest, inForce)
}

// headroom compares each quota with the calls of its kind: per account,
// the busiest second relative to the quota in force in that second (Peak
// calls against Limit, Used = Peak/Limit), or without a quota the busiest
// second. A quota for account "" or "*" applies to every account with
// calls of its kind (one row each), except those with their own quota;
// with no such account, one row "*" with a zero peak. Rows are sorted by
// (quota, account).
func (r *Recorder) headroom() []Headroom {
	r.putRates.flush(r)
	r.invRates.flush(r)
	out := []Headroom{}
	specific := map[[2]string]bool{}
	for _, q := range r.cfg.Quotas {
		if q.Account != "" && q.Account != "*" {
			specific[[2]string{q.Name, q.Account}] = true
		}
	}
	row := func(q Quota, account string, a *accountRates) {
		h := Headroom{Quota: q.Name, Account: account, Limit: q.Limit}
		if a != nil {
			h.Peak = float64(a.peak)
			if a.usedOf > 0 {
				h.Peak, h.Limit = a.usedAt, a.usedOf
			}
		}
		if h.Limit > 0 {
			h.Used = roundRatio(h.Peak / h.Limit)
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
			row(q, q.Account, nil)
			continue
		}
		if q.Account != "" && q.Account != "*" {
			var a *accountRates
			if i, ok := rt.idx[q.Account]; ok {
				a = rt.per[i]
			}
			row(q, q.Account, a)
			continue
		}
		n := 0
		for i, account := range rt.accounts {
			if !specific[[2]string{q.Name, account}] {
				row(q, account, rt.per[i])
				n++
			}
		}
		if n == 0 {
			row(q, "*", nil)
		}
	}
	slices.SortStableFunc(out, func(a, b Headroom) int {
		return cmp.Or(cmp.Compare(a.Quota, b.Quota), cmp.Compare(a.Account, b.Account))
	})
	return out
}

// roundRatio keeps four decimals (0.01%).
func roundRatio(v float64) float64 { return math.Round(v*1e4) / 1e4 }
