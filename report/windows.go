package report

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/busdrill/busdrill/chaos"
)

// DefaultGrace is Config.Grace when zero: how long after a fault ends the
// system is still considered to be recovering from it.
const DefaultGrace = time.Minute

// Window names. A fault NAME gives "during:NAME" and "after:NAME".
const (
	WindowAll    = "all"
	WindowSteady = "steady"
	windowDuring = "during:"
	windowAfter  = "after:"
)

// Anomalies of Config.Windows.
const (
	// AnomalyWindowName: a Config.Windows entry whose name an earlier
	// entry already used; the later one is ignored.
	AnomalyWindowName = "window_duplicate_name"
	// AnomalyWindowLimit: a Config.Windows entry beyond MaxFaultWindows;
	// it is ignored.
	AnomalyWindowLimit = "window_limit"
)

// MaxFaultWindows bounds Config.Windows: a journey's windows are kept as
// a 16-bit interval index, and K faults cut the traffic window into at
// most 3K+1 intervals.
const MaxFaultWindows = 20000

// Span is one interval of run time, in ms: [StartMs, EndMs).
type Span struct {
	StartMs float64 `json:"start_ms"`
	EndMs   float64 `json:"end_ms"`
}

// WindowResult is what a run measured for the journeys intended in one
// window (see the package documentation, "Windows").
type WindowResult struct {
	// Name is "steady", "during:FAULT" or "after:FAULT".
	Name string `json:"name"`
	// Spans are the window's intervals of intended send time, sorted;
	// empty when the window holds no time of the traffic window.
	Spans  []Span       `json:"spans"`
	Orders WindowOrders `json:"orders"`
	// E2E summarises the end-to-end latency of the window's completed
	// journeys; Histogram is its HDR encoding (absent when empty).
	E2E       Summary `json:"e2e"`
	Histogram string  `json:"histogram,omitempty"`
	Loss      Loss    `json:"loss"`
	// Duplicates totals the deliveries of the window's journeys that were
	// duplicates, over every consumer.
	Duplicates            DuplicateCounts `json:"duplicates"`
	IdempotencyViolations int64           `json:"idempotency_violations"`
}

// WindowOrders counts the journeys intended in a window: Completed +
// Incomplete = Sent.
type WindowOrders struct {
	Sent       int64 `json:"sent"`
	Late       int64 `json:"late"`
	Completed  int64 `json:"completed"`
	Incomplete int64 `json:"incomplete"`
}

// Loss counts the expected deliveries of a window's journeys that ended
// in a DLQ or were dropped: Total = DLQ + Σ Dropped.
type Loss struct {
	Total   int64            `json:"total"`
	DLQ     int64            `json:"dlq"`
	Dropped map[string]int64 `json:"dropped"`
}

// DuplicateCounts totals duplicate deliveries.
type DuplicateCounts struct {
	ByID  int64 `json:"by_id"`
	ByKey int64 `json:"by_key"`
}

// windowing is the recorder's per-window accounting. Without fault
// windows (single), "steady" is every journey: its orders, latency and
// duplicates are the run's totals, copied at Finish, and only its loss
// (which needs LostFor) is counted. With fault windows (multi), the
// traffic window is cut at every fault's start, end and end + grace into
// elementary intervals; each interval's windows are fixed, so a journey's
// windows are known from its interval (its class), kept with the
// journey (journeyState.class) for the calls that name only the journey
// (losses, duplicates, side effects).
type windowing struct {
	multi      bool
	trafficEnd time.Duration
	grace      time.Duration
	leadIn     time.Duration
	faults     []chaos.Window // sorted by (start, end, name), unique names
	// bounds are the interval boundaries in [0, trafficEnd]: interval i
	// is [bounds[i], bounds[i+1]), class i+1; class 0 is no window.
	bounds  []time.Duration
	members [][]int32 // class → indexes into stats
	// stats[0] is steady; stats[1+2k] and stats[2+2k] are during and
	// after of faults[k].
	stats   []windowStats
	seconds []secondStats // by intended step (multi only)
	// step is the series step (a second for runs up to an hour);
	// secondLimit bounds the steps table when trafficEnd is unknown.
	step        time.Duration
	secondLimit int64
}

type windowStats struct {
	sent, late, completed int64
	e2e                   *Histogram
	dlq                   int64
	dropped               []causeCount
	dupID, dupKey         int64
	violations            int64
}

func (r *Recorder) initWindows() {
	cfg := r.cfg
	w := &windowing{grace: cfg.Grace, leadIn: cfg.LeadIn, trafficEnd: cfg.Traffic, step: r.step, secondLimit: r.seriesLimit}
	if w.grace == 0 {
		w.grace = DefaultGrace
	}
	w.grace = max(w.grace, 0)
	if w.leadIn == 0 {
		w.leadIn = DefaultGrace
	}
	w.leadIn = max(w.leadIn, 0)
	if w.trafficEnd <= 0 {
		w.trafficEnd = cfg.Cutoff
	}
	if w.trafficEnd <= 0 {
		w.trafficEnd = maxDuration
	}
	r.win = w
	w.stats = []windowStats{{}}
	seen := map[string]bool{}
	for _, f := range cfg.Windows {
		if seen[f.Name] {
			r.anomaly(AnomalyWindowName)
			continue
		}
		if len(w.faults) == MaxFaultWindows {
			r.anomaly(AnomalyWindowLimit)
			continue
		}
		seen[f.Name] = true
		f.End = max(f.End, f.Start)
		w.faults = append(w.faults, f)
	}
	if len(w.faults) == 0 {
		return
	}
	w.multi = true
	slices.SortStableFunc(w.faults, func(a, b chaos.Window) int {
		return cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(a.End, b.End), cmp.Compare(a.Name, b.Name))
	})
	w.stats = make([]windowStats, 1+2*len(w.faults))
	clip := func(t time.Duration) time.Duration { return min(max(t, 0), w.trafficEnd) }
	bounds := []time.Duration{0, w.trafficEnd}
	for _, f := range w.faults {
		bounds = append(bounds, clip(w.leadInStart(f)), clip(f.Start), clip(f.End), clip(w.recovered(f)))
	}
	slices.Sort(bounds)
	w.bounds = slices.Compact(bounds)
	w.members = make([][]int32, len(w.bounds)) // class 0 has none
	for i := 0; i+1 < len(w.bounds); i++ {
		t := w.bounds[i]
		var m []int32
		steady := true
		for k, f := range w.faults {
			if t >= w.leadInStart(f) && t < w.recovered(f) {
				steady = false
			}
			if t >= f.Start && t < f.End {
				m = append(m, int32(1+2*k))
			}
			if t >= w.recovered(f) {
				m = append(m, int32(2+2*k))
			}
		}
		if steady {
			m = append([]int32{0}, m...)
		}
		w.members[i+1] = m
	}
	if w.trafficEnd < maxDuration {
		w.seconds = make([]secondStats, (w.trafficEnd+w.step-1)/w.step)
	}
}

const maxDuration = time.Duration(1<<63 - 1)

// leadInStart is where the lead-in before a fault starts: journeys sent
// then are still travelling when the fault begins (their later events can
// be caught by it), so they are not steady state either.
func (w *windowing) leadInStart(f chaos.Window) time.Duration {
	return max(f.Start-w.leadIn, 0)
}

// recovered is when a fault's grace period ends.
func (w *windowing) recovered(f chaos.Window) time.Duration {
	if f.End > maxDuration-w.grace {
		return maxDuration
	}
	return f.End + w.grace
}

// classOf returns the class of an intended send time: 0 outside the
// traffic window.
func (w *windowing) classOf(t time.Duration) int {
	if t < 0 || t >= w.trafficEnd {
		return 0
	}
	lo, hi := 0, len(w.bounds)-1 // bounds[lo] <= t < bounds[hi]
	for hi-lo > 1 {
		mid := (lo + hi) / 2
		if w.bounds[mid] <= t {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo + 1
}

// sent attributes a sent journey to its windows and its intended second,
// and returns its class (0 without fault windows).
func (w *windowing) sent(intended time.Duration, late bool) uint16 {
	if !w.multi {
		return 0
	}
	return w.sentMulti(intended, late, 1)
}

// unsent withdraws a journey recorded as sent (NotSent after Sent); its
// class is then 0.
func (w *windowing) unsent(intended time.Duration, late bool) {
	if w.multi {
		w.sentMulti(intended, late, -1)
	}
}

func (w *windowing) sentMulti(intended time.Duration, late bool, d int64) uint16 {
	c := w.classOf(intended)
	for _, i := range w.members[c] {
		s := &w.stats[i]
		s.sent += d
		if late {
			s.late += d
		}
	}
	if c != 0 {
		if p := w.second(intended); p != nil {
			p.sent += int32(d)
		}
	}
	return uint16(c)
}

// completed attributes a completion to the journey's windows and second.
func (w *windowing) completed(intended, e2e time.Duration) {
	if w.multi {
		w.completedMulti(intended, e2e)
	}
}

func (w *windowing) completedMulti(intended, e2e time.Duration) {
	c := w.classOf(intended)
	for _, i := range w.members[c] {
		s := &w.stats[i]
		s.completed++
		if s.e2e == nil {
			s.e2e = NewHistogram()
		}
		s.e2e.Record(e2e)
	}
	if c != 0 {
		if p := w.second(intended); p != nil {
			p.completed++
			p.max = max(p.max, e2e)
		}
	}
}

// windowsOf returns the windows (stats indexes) of a journey of class
// c: steady alone without fault windows.
func (w *windowing) windowsOf(c uint16) []int32 {
	if !w.multi {
		return steadyOnly
	}
	return w.members[c]
}

var steadyOnly = []int32{0}

// classOfJourney returns the class of local journey lj: 0 (no window)
// when it was not sent, or was retired.
func (r *Recorder) classOfJourney(lj uint64) uint16 {
	if !r.win.multi {
		return 0
	}
	if st := r.journeys.Get(lj); st != nil {
		return st.class
	}
	return 0
}

func (w *windowing) lost(c uint16, cause string, dlq bool) {
	for _, i := range w.windowsOf(c) {
		s := &w.stats[i]
		if dlq {
			s.dlq++
		} else {
			s.dropped = bump(s.dropped, cause)
		}
	}
}

// dupKey, dupID and violation count per window with fault windows only:
// without, steady's are the run's totals.
func (w *windowing) dupKey(c uint16) {
	if w.multi {
		for _, i := range w.windowsOf(c) {
			w.stats[i].dupKey++
		}
	}
}

func (w *windowing) dupID(c uint16) {
	if w.multi {
		for _, i := range w.windowsOf(c) {
			w.stats[i].dupID++
		}
	}
}

func (w *windowing) violation(c uint16) {
	if w.multi {
		for _, i := range w.windowsOf(c) {
			w.stats[i].violations++
		}
	}
}

// LostFor is Lost for an expected delivery of an event of the journey:
// it does everything Lost does and also counts the loss in the journey's
// windows (by its intended send time). Runners that know the journey
// should call LostFor rather than Lost: a loss recorded by Lost is in the
// ledger only, in no window.
func (r *Recorder) LostFor(journey uint64, from, to, cause string, dlq bool, at time.Duration) {
	r.Lost(from, to, cause, dlq, at)
	if cause == "" {
		cause = "unknown"
	}
	if lj, ok := r.local(journey); ok {
		r.win.lost(r.classOfJourney(lj), cause, dlq)
	}
}

// windowName returns the name of stats index i.
func (w *windowing) windowName(i int) string {
	if i == 0 {
		return WindowSteady
	}
	f := w.faults[(i-1)/2]
	if i%2 == 1 {
		return windowDuring + f.Name
	}
	return windowAfter + f.Name
}

// spans returns the intervals of stats index i, from the class bounds
// (merging adjacent intervals).
func (w *windowing) spans(i int) []Span {
	var out []Span
	if !w.multi {
		if w.trafficEnd > 0 {
			out = append(out, Span{0, durationMs(w.trafficEnd)})
		}
		return out
	}
	for c := 1; c < len(w.members); c++ {
		if !slices.Contains(w.members[c], int32(i)) {
			continue
		}
		lo, hi := durationMs(w.bounds[c-1]), durationMs(w.bounds[c])
		if n := len(out); n > 0 && out[n-1].EndMs == lo {
			out[n-1].EndMs = hi
			continue
		}
		out = append(out, Span{lo, hi})
	}
	return out
}

// finishWindows assembles Results.Windows and Results.Recovery; res
// already holds the run's orders, latency and duplicates.
func (r *Recorder) finishWindows(res *Results, anomalies map[string]int64) ([]WindowResult, []Recovery) {
	w := r.win
	out := make([]WindowResult, 0, len(w.stats))
	for i := range w.stats {
		s := &w.stats[i]
		wr := WindowResult{
			Name:                  w.windowName(i),
			Spans:                 w.spans(i),
			Orders:                WindowOrders{Sent: s.sent, Late: s.late, Completed: s.completed, Incomplete: s.sent - s.completed},
			Loss:                  Loss{DLQ: s.dlq, Dropped: causes(s.dropped)},
			Duplicates:            DuplicateCounts{ByID: s.dupID, ByKey: s.dupKey},
			IdempotencyViolations: s.violations,
		}
		if wr.Spans == nil {
			wr.Spans = []Span{}
		}
		wr.Loss.Total = s.dlq + sumDropped(wr.Loss.Dropped)
		h := s.e2e
		if !w.multi {
			// Steady is the whole run.
			o := res.Orders
			wr.Orders = WindowOrders{Sent: o.Sent, Late: o.Late, Completed: o.Completed, Incomplete: o.Incomplete}
			for _, d := range res.Duplicates {
				wr.Duplicates.ByID += d.ByID
				wr.Duplicates.ByKey += d.ByKey
			}
			wr.IdempotencyViolations = res.Idempotency.Violations
			h = r.e2e
		}
		if h != nil && h.Count() > 0 {
			wr.E2E = h.Summary()
			wr.E2E.Clamped = h.Clamped()
			if enc, err := h.Encode(); err == nil {
				wr.Histogram = enc
			} else {
				anomalies[AnomalyHistogramEncoding]++
			}
		}
		out = append(out, wr)
	}
	return out, r.recovery(out)
}

// windowOf returns the named window of the results; nil when absent.
func (r *Results) windowOf(name string) *WindowResult {
	for i := range r.Windows {
		if r.Windows[i].Name == name {
			return &r.Windows[i]
		}
	}
	return nil
}

// ValidateWindow checks an expectation's window name against the
// scenario's fault names: "" and "all" (the whole run), "steady",
// "during:FAULT" and "after:FAULT" are valid.
func ValidateWindow(name string, faults []string) error {
	switch name {
	case "", WindowAll, WindowSteady:
		return nil
	}
	kind, fault, ok := strings.Cut(name, ":")
	if !ok || (kind+":" != windowDuring && kind+":" != windowAfter) {
		return errorf("window %q: use all, steady, during:FAULT or after:FAULT", name)
	}
	if !slices.Contains(faults, fault) {
		return unknownFault("window "+quote(name), fault, faults)
	}
	return nil
}

// writeWindows adds the windows and recovery times to the text summary,
// for runs with faults (without, steady is the whole run).
func writeWindows(b *strings.Builder, r *Results) {
	if len(r.Recovery) == 0 {
		return
	}
	width := len("window")
	for _, w := range r.Windows {
		width = max(width, len(w.Name))
	}
	fmt.Fprintf(b, "\nwindows (journeys by intended send time)\n  %-*s %7s %10s %11s %9s %7s %11s %10s\n",
		width, "window", "sent", "completed", "incomplete", "p99", "loss", "dup by key", "violations")
	for _, w := range r.Windows {
		p99 := "-"
		if w.E2E.Count > 0 {
			p99 = fmtMs(w.E2E.P99)
		}
		fmt.Fprintf(b, "  %-*s %7d %10d %11d %9s %7d %11d %10d\n", width, w.Name, w.Orders.Sent, w.Orders.Completed,
			w.Orders.Incomplete, p99, w.Loss.Total, w.Duplicates.ByKey, w.IdempotencyViolations)
	}
	b.WriteString("recovery")
	for i, rc := range r.Recovery {
		sep := ", "
		if i == 0 {
			sep = ": "
		}
		switch {
		case rc.Recovered && rc.RecoveryMs == 0:
			fmt.Fprintf(b, "%s%s 0s", sep, rc.Fault)
		case rc.Recovered:
			fmt.Fprintf(b, "%s%s %s", sep, rc.Fault, fmtMs(rc.RecoveryMs))
		case rc.Note != "":
			fmt.Fprintf(b, "%s%s not judged (%s)", sep, rc.Fault, rc.Note)
		default:
			fmt.Fprintf(b, "%s%s NOT RECOVERED", sep, rc.Fault)
		}
	}
	if bound := r.Recovery[0].BoundMs; bound > 0 {
		fmt.Fprintf(b, " (healthy seconds: slowest journey within %s)", fmtMs(bound))
	}
	b.WriteByte('\n')
}
