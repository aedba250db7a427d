package report

import (
	"cmp"
	"slices"
	"time"

	"github.com/busdrill/busdrill/chaos"
	"github.com/busdrill/busdrill/internal/journeytable"
)

// Config describes the run a [Recorder] records.
type Config struct {
	Scenario, Target, Version string
	Seed                      uint64
	// Shard is set when the run is one shard of a larger schedule. Journey
	// ids are global order indexes; shard i of n owns the indexes
	// congruent to i modulo n, which the recorder maps to the dense local
	// index journey/n.
	Shard *Shard
	// Traffic is when the traffic window ends; Cutoff is when the run
	// stops looking (traffic + drain): whatever has not arrived by then is
	// in flight.
	Traffic, Cutoff time.Duration
	// LateTolerance: an order sent more than this after its intended
	// time is late. Zero means DefaultLateTolerance.
	LateTolerance time.Duration
	// DuplicateWindow is how long envelope ids are remembered for
	// duplicate-by-id detection, in run time. Zero means
	// DefaultDuplicateWindow.
	DuplicateWindow time.Duration
	// Quotas are the quotas in force, for the headroom table.
	Quotas []Quota
	// Windows are the fault windows, known up front (the compiled fault
	// timeline, chaos.Timeline.Windows), from which the recorder derives
	// the windows of Results.Windows and the recovery times: see "Windows"
	// in the package documentation.
	Windows []chaos.Window
	// Grace is how long after a fault ends the system may still be
	// recovering: [end, end+Grace) is neither steady nor after the fault.
	// Zero means DefaultGrace; negative means none.
	Grace time.Duration
	// LeadIn is how long before a fault starts journeys are still taken
	// to be travelling when it begins: [start−LeadIn, start) is not
	// steady either. Zero means DefaultGrace; negative means none.
	LeadIn time.Duration
}

// Quota is one rate quota in force.
type Quota struct {
	// Name is QuotaPutEvents or QuotaInvocations.
	Name string
	// Account is the account the quota applies to; "" or "*" applies it
	// to every account that made calls of that kind.
	Account string
	// Limit is the quota in requests (or invocations) per second.
	Limit float64
}

// Quota names.
const (
	QuotaPutEvents   = "PutEvents"
	QuotaInvocations = "Invocations"
)

// Defaults of Config.
const (
	DefaultLateTolerance = 10 * time.Millisecond
	// DefaultDuplicateWindow is EventBridge's longest retry: a redelivery
	// of the same envelope cannot come later than this after the first.
	DefaultDuplicateWindow = 24 * time.Hour
)

// Anomalies: observations that contradict the recorder's contract. They
// are counted in Results.Anomalies, never silently dropped, and otherwise
// ignored.
const (
	// AnomalySentTwice: Sent for a journey already sent or not sent.
	AnomalySentTwice = "sent_twice"
	// AnomalyNotSentResolved: NotSent for a journey already completed or
	// already not sent.
	AnomalyNotSentResolved = "not_sent_resolved"
	// AnomalyCompletedUnknown: Completed for a journey never sent.
	AnomalyCompletedUnknown = "completed_unknown"
	// AnomalyJourneyRange: a journey index beyond what the dense tables
	// track (2^32 per shard); the call is ignored.
	AnomalyJourneyRange = "journey_out_of_range"
	// AnomalySeriesRange: a time outside the series (before 0 is clamped
	// to second 0; this is after cut-off + 1h); the series skips it.
	AnomalySeriesRange = "series_out_of_range"
	// AnomalySeriesLate: a completion that arrived after its second's
	// percentiles were closed (more than percentileWindow seconds behind
	// the latest completion): counted in the second's completed, not in
	// its p50/p99.
	AnomalySeriesLate = "series_percentile_late"
	// AnomalyQuotaRateLate: a call for a second already folded into the
	// quota headroom (more than 8 s behind the latest call).
	AnomalyQuotaRateLate = "quota_rate_late"
	// AnomalyHistogramEncoding: a histogram could not be encoded; its
	// encoding is missing from Results.Histograms.
	AnomalyHistogramEncoding = "histogram_encoding_failed"
)

// Recorder turns what a run observed into [Results]. The runner (sim or
// live) calls it from one goroutine, with times as durations since the
// start of the run; it is not safe for concurrent use. See the package
// documentation for the contract of every call.
type Recorder struct {
	cfg    Config
	shardN uint64

	planned, sent, late, completed, notSent int64
	notSentBy                               map[string]int64

	// journeys holds the journeys sent or not sent, by local index,
	// until they are retired.
	journeys journeytable.Table[journeyState]
	// retiring is set once a journey was retired (see Retire).
	retiring bool

	e2e       *Histogram
	hops      [4]*Histogram
	extraHops map[string]*Histogram

	routeIdx   map[routeKey]int32
	routes     []*routeState
	routeCache [64]*routeState // see route

	consumerIdx   map[string]int32
	consumers     []*consumerState
	consumerCache [64]*consumerState // see consumer
	typeIdx       map[string]int

	series      []Point
	step        time.Duration // see SeriesStep
	seriesLimit int64
	pct         percentileRing

	putRates, invRates rates
	quotaChanges       []quotaChange

	faults    []Fault
	anomalies map[string]int64

	win *windowing
}

// journeyState is what the recorder keeps of a journey until it is
// retired.
type journeyState struct {
	intended time.Duration
	// class is the journey's window class (multi windows only).
	class uint16
	late  bool
	state uint8
}

// Journey states.
const (
	// stateInFlight: sent, not resolved yet.
	stateInFlight uint8 = iota
	// stateCompleted and stateNotSent: resolved.
	stateCompleted
	stateNotSent
)

// maxJourneys bounds the (shard-local) journey indexes the recorder
// tracks: 2^32 orders per shard. A larger index cannot come from loadgen;
// it is counted as the anomaly "journey_out_of_range" and escapes the
// per-journey accounting.
const maxJourneys = 1 << 32

// NewRecorder returns a recorder for a run.
func NewRecorder(cfg Config) *Recorder {
	if cfg.LateTolerance <= 0 {
		cfg.LateTolerance = DefaultLateTolerance
	}
	if cfg.DuplicateWindow <= 0 {
		cfg.DuplicateWindow = DefaultDuplicateWindow
	}
	r := &Recorder{
		cfg:         cfg,
		shardN:      1,
		notSentBy:   map[string]int64{},
		e2e:         NewHistogram(),
		routeIdx:    map[routeKey]int32{},
		consumerIdx: map[string]int32{},
		typeIdx:     map[string]int{},
		anomalies:   map[string]int64{},
	}
	if cfg.Shard != nil && cfg.Shard.Count > 1 {
		r.shardN = uint64(cfg.Shard.Count)
	}
	for i := range r.hops {
		r.hops[i] = NewHistogram()
	}
	r.putRates.kind, r.invRates.kind = QuotaPutEvents, QuotaInvocations
	r.initSeries()
	r.initWindows()
	return r
}

func (r *Recorder) anomaly(name string) { r.anomalies[name]++ }

// local maps a global journey index to the shard's dense index.
func (r *Recorder) local(journey uint64) (uint64, bool) {
	lj := journey / r.shardN
	if lj >= maxJourneys {
		r.anomaly(AnomalyJourneyRange)
		return 0, false
	}
	return lj, true
}

// Planned adds n to the orders the schedule plans for this run (shard).
func (r *Recorder) Planned(n int64) { r.planned += n }

// Sent records that the journey's Order.Created was handed to PutEvents at
// actual, for the intended time intended. The journey is late when
// actual − intended exceeds the late tolerance; its end-to-end latency is
// measured from intended either way. A second Sent for the journey (a
// resend) is ignored and counted as the anomaly "sent_twice".
func (r *Recorder) Sent(journey uint64, intended, actual time.Duration) {
	lj, ok := r.local(journey)
	if !ok {
		return
	}
	st, created := r.journeys.Put(lj)
	if !created {
		r.anomaly(AnomalySentTwice)
		return
	}
	late := actual-intended > r.cfg.LateTolerance
	*st = journeyState{intended: intended, late: late, state: stateInFlight}
	r.sent++
	st.class = r.win.sent(intended, late)
	if p := r.point(actual); p != nil {
		p.Sent++
		if late {
			p.Late++
		}
	}
	if late {
		r.late++
	}
}

// NotSent records that the journey's Order.Created could never be
// published (cause, e.g. "throttled" after the publisher gave up). The
// order counts in orders.not_sent (by cause), not in orders.sent, and so
// not as an incomplete journey: Planned = Sent + NotSent (+ orders never
// reached), Sent = Completed + Incomplete. When the journey was already
// recorded as Sent, NotSent withdraws it from sent (and late); the series
// keeps the attempt in its second.
func (r *Recorder) NotSent(journey uint64, cause string) {
	lj, ok := r.local(journey)
	if !ok {
		return
	}
	st, created := r.journeys.Put(lj)
	switch {
	case created:
	case st.state == stateInFlight:
		r.sent--
		r.win.unsent(st.intended, st.late)
		if st.late {
			r.late--
		}
	default:
		r.anomaly(AnomalyNotSentResolved)
		return
	}
	*st = journeyState{state: stateNotSent}
	if cause == "" {
		cause = "unknown"
	}
	r.notSent++
	r.notSentBy[cause]++
}

// Hop records one latency of a journey hop: name is one of [Hops]. Other
// names get their own histogram and summary, reported under that name.
func (r *Recorder) Hop(name string, d time.Duration) {
	var h *Histogram
	switch name {
	case HopPutAck:
		h = r.hops[0]
	case HopDelivery:
		h = r.hops[1]
	case HopHandler:
		h = r.hops[2]
	case HopFinal:
		h = r.hops[3]
	default:
		if h = r.extraHops[name]; h == nil {
			if r.extraHops == nil {
				r.extraHops = map[string]*Histogram{}
			}
			h = NewHistogram()
			r.extraHops[name] = h
		}
	}
	h.Record(d)
}

// Completed records that the journey's Order.Updated was seen at at: the
// journey completes, with end-to-end latency at − intended. Later
// sightings of a completed journey are ignored; a journey never sent is
// counted as the anomaly "completed_unknown".
func (r *Recorder) Completed(journey uint64, at time.Duration) {
	lj, ok := r.local(journey)
	if !ok {
		return
	}
	st := r.journeys.Get(lj)
	if st == nil {
		r.anomaly(AnomalyCompletedUnknown)
		return
	}
	if st.state != stateInFlight {
		return
	}
	st.state = stateCompleted
	r.completed++
	e2e := at - st.intended
	r.e2e.Record(e2e)
	r.completedAt(at, e2e)
	r.win.completed(st.intended, e2e)
}

// Retire forgets journey j: the runner promises that no call will name it
// again (the simulator retires a journey once nothing of it is left in
// the model: see package actors). What the journey measured is already
// counted; what the recorder kept to follow it — its intended time and
// state, its window, the business keys, first ids and side effects
// seen at each consumer — is freed, so that memory follows the journeys
// in flight, not the run's length. A runner that cannot promise that (a
// live run) never calls it. A call naming a retired journey finds
// nothing: Completed counts the anomaly "completed_unknown", and a
// delivery is taken for a first one.
func (r *Recorder) Retire(journey uint64) {
	lj, ok := r.local(journey)
	if !ok {
		return
	}
	r.journeys.Delete(lj)
	for _, c := range r.consumers {
		for i := range c.keys {
			c.keys[i].Delete(lj)
		}
		for i := range c.effects {
			c.effects[i].Delete(lj)
		}
	}
	r.retiring = true
}

// Fault adds an entry to the fault timeline.
func (r *Recorder) Fault(f Fault) { r.faults = append(r.faults, f) }

// FaultEffect records that fault name (already recorded) had no effect,
// and why ("rule bus/global/to-delivery was already disabled").
func (r *Recorder) FaultEffect(name, effect string) {
	for i := range r.faults {
		if r.faults[i].Name == name {
			r.faults[i].Effect = effect
		}
	}
}

// Finish assembles the results. Expectations and Verdict are left for the
// caller ([Results.Evaluate]); metrics, when not empty, are copied into
// Results.Metrics. Finish does not change what was recorded: calling it
// twice gives the same results.
func (r *Recorder) Finish(metrics map[string]int64) *Results {
	res := &Results{
		Schema:   Schema,
		Scenario: r.cfg.Scenario,
		Seed:     r.cfg.Seed,
		Target:   r.cfg.Target,
		Version:  r.cfg.Version,
		Window: Window{
			TrafficMs: durationMs(r.cfg.Traffic),
			CutoffMs:  durationMs(r.cfg.Cutoff),
		},
		Orders: Orders{
			Planned:    r.planned,
			Sent:       r.sent,
			Late:       r.late,
			Completed:  r.completed,
			Incomplete: r.sent - r.completed,
			NotSent:    r.notSent,
		},
		Latency:      map[string]Summary{},
		Histograms:   map[string]string{},
		Expectations: []Expectation{},
	}
	if r.cfg.Shard != nil {
		sh := *r.cfg.Shard
		res.Shard = &sh
	}
	if len(r.notSentBy) > 0 {
		res.Orders.NotSentCauses = copyCounts(r.notSentBy)
	}
	anomalies := copyCounts(r.anomalies)
	hist := func(name string, h *Histogram) {
		s := h.Summary()
		s.Clamped = h.Clamped()
		res.Latency[name] = s
		enc, err := h.Encode()
		if err != nil {
			anomalies[AnomalyHistogramEncoding]++
			return
		}
		res.Histograms[name] = enc
	}
	hist(LatencyE2E, r.e2e)
	for i, name := range Hops {
		hist(name, r.hops[i])
	}
	for name, h := range r.extraHops {
		hist(name, h)
	}
	res.Ledger = r.ledger()
	res.Duplicates, res.Idempotency = r.duplicates()
	res.Windows, res.Recovery = r.finishWindows(res, anomalies)
	res.Faults = slices.Clone(r.faults)
	if res.Faults == nil {
		res.Faults = []Fault{}
	}
	slices.SortStableFunc(res.Faults, func(a, b Fault) int {
		return cmp.Or(cmp.Compare(a.StartMs, b.StartMs), cmp.Compare(a.EndMs, b.EndMs),
			cmp.Compare(a.Name, b.Name), cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Target, b.Target))
	})
	res.Series = r.finishSeries()
	res.SeriesStep = r.stepSeconds()
	res.Quotas = r.headroom()
	if len(metrics) > 0 {
		res.Metrics = copyCounts(metrics)
	}
	if len(anomalies) > 0 {
		res.Anomalies = anomalies
	}
	return res
}

func copyCounts(m map[string]int64) map[string]int64 {
	out := make(map[string]int64, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// durationMs converts a duration to milliseconds with microsecond
// resolution, the unit of every time in results.json.
func durationMs(d time.Duration) float64 { return roundMs(float64(d) / float64(time.Millisecond)) }
