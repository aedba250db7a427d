package report

import (
	"bytes"
	"cmp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/busdrill/busdrill/chaos"
)

const sec = time.Second

// windowNames lists the results' window names with their spans, as
// "name[start-end,...]" in seconds.
func windowNames(res *Results) []string {
	var out []string
	for _, w := range res.Windows {
		var spans []string
		for _, sp := range w.Spans {
			spans = append(spans, fmtSecs(sp.StartMs)+"-"+fmtSecs(sp.EndMs))
		}
		out = append(out, w.Name+"["+strings.Join(spans, ",")+"]")
	}
	return out
}

func fmtSecs(ms float64) string { return FormatDuration(msDuration(ms)) }

// defaultLeadIn marks a derivation row that uses the default lead-in.
const defaultLeadIn = -2

func TestWindowDerivation(t *testing.T) {
	tests := []struct {
		name    string
		traffic time.Duration
		grace   time.Duration
		// leadIn: 0 means none in this table (the rows without one test
		// the grace alone); defaultLeadIn asks for the default.
		leadIn time.Duration
		faults []chaos.Window
		want   []string
	}{
		{
			// No fault: steady is the whole traffic window.
			name: "no faults", traffic: 60 * sec,
			want: []string{"steady[0µs-1m0s]"},
		},
		{
			// One fault: steady excludes the fault and its grace
			// period; after starts when the grace period ends.
			name: "one fault", traffic: 60 * sec, grace: 5 * sec,
			faults: []chaos.Window{{Name: "f", Start: 20 * sec, End: 30 * sec}},
			want:   []string{"steady[0µs-20s,35s-1m0s]", "during:f[20s-30s]", "after:f[35s-1m0s]"},
		},
		{
			// A lead-in: journeys sent just before a fault are still
			// travelling when it starts, so they are not steady.
			name: "lead-in", traffic: 60 * sec, grace: 5 * sec, leadIn: 5 * sec,
			faults: []chaos.Window{{Name: "f", Start: 20 * sec, End: 30 * sec}},
			want:   []string{"steady[0µs-15s,35s-1m0s]", "during:f[20s-30s]", "after:f[35s-1m0s]"},
		},
		{
			// The default lead-in, like the default grace, is a minute.
			name: "default lead-in", traffic: 10 * time.Minute, leadIn: defaultLeadIn,
			faults: []chaos.Window{{Name: "f", Start: 120 * sec, End: 180 * sec}},
			want:   []string{"steady[0µs-1m0s,4m0s-10m0s]", "during:f[2m0s-3m0s]", "after:f[4m0s-10m0s]"},
		},
		{
			// Zero grace is the default, a minute.
			name: "default grace", traffic: 10 * time.Minute,
			faults: []chaos.Window{{Name: "f", Start: 60 * sec, End: 120 * sec}},
			want:   []string{"steady[0µs-1m0s,3m0s-10m0s]", "during:f[1m0s-2m0s]", "after:f[3m0s-10m0s]"},
		},
		{
			// Negative grace: none.
			name: "no grace", traffic: 60 * sec, grace: -1,
			faults: []chaos.Window{{Name: "f", Start: 20 * sec, End: 30 * sec}},
			want:   []string{"steady[0µs-20s,30s-1m0s]", "during:f[20s-30s]", "after:f[30s-1m0s]"},
		},
		{
			// Overlapping faults: steady excludes their union (with
			// grace); faults are listed by start whatever the order
			// given; after:a includes b's time (it is after a, not
			// steady).
			name: "overlapping", traffic: 60 * sec, grace: 5 * sec,
			faults: []chaos.Window{{Name: "b", Start: 25 * sec, End: 40 * sec}, {Name: "a", Start: 10 * sec, End: 30 * sec}},
			want: []string{"steady[0µs-10s,45s-1m0s]", "during:a[10s-30s]", "after:a[35s-1m0s]",
				"during:b[25s-40s]", "after:b[45s-1m0s]"},
		},
		{
			// A fault's grace period running into the next fault:
			// steady has no gap between them.
			name: "grace bridges", traffic: 60 * sec, grace: 10 * sec,
			faults: []chaos.Window{{Name: "a", Start: 10 * sec, End: 20 * sec}, {Name: "b", Start: 25 * sec, End: 30 * sec}},
			want: []string{"steady[0µs-10s,40s-1m0s]", "during:a[10s-20s]", "after:a[30s-1m0s]",
				"during:b[25s-30s]", "after:b[40s-1m0s]"},
		},
		{
			// Windows are clipped to the traffic window: a fault
			// running past its end has no after, and a fault that
			// starts after it has empty windows.
			name: "clipped", traffic: 60 * sec, grace: 5 * sec,
			faults: []chaos.Window{{Name: "late", Start: 50 * sec, End: 90 * sec}, {Name: "never", Start: 70 * sec, End: 80 * sec}},
			want:   []string{"steady[0µs-50s]", "during:late[50s-1m0s]", "after:late[]", "during:never[]", "after:never[]"},
		},
		{
			// An instant fault (a remediation) has an empty during;
			// its grace period follows the instant.
			name: "instant", traffic: 60 * sec, grace: 5 * sec,
			faults: []chaos.Window{{Name: "redrive", Start: 30 * sec, End: 30 * sec}},
			want:   []string{"steady[0µs-30s,35s-1m0s]", "during:redrive[]", "after:redrive[35s-1m0s]"},
		},
		{
			// A fault over the whole run leaves no steady state.
			name: "whole run", traffic: 60 * sec, grace: 5 * sec,
			faults: []chaos.Window{{Name: "all-along", Start: 0, End: 120 * sec}},
			want:   []string{"steady[]", "during:all-along[0µs-1m0s]", "after:all-along[]"},
		},
		{
			// Without a traffic end, the cut-off bounds the windows.
			name: "cutoff only", grace: 5 * sec,
			faults: []chaos.Window{{Name: "f", Start: 20 * sec, End: 30 * sec}},
			want:   []string{"steady[0µs-20s,35s-2m0s]", "during:f[20s-30s]", "after:f[35s-2m0s]"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			leadIn := tt.leadIn
			switch leadIn {
			case 0:
				leadIn = -1
			case defaultLeadIn:
				leadIn = 0
			}
			r := NewRecorder(Config{Traffic: tt.traffic, Cutoff: 120 * sec, Grace: tt.grace, LeadIn: leadIn, Windows: tt.faults})
			res := r.Finish(nil)
			if got := windowNames(res); !slices.Equal(got, tt.want) {
				t.Errorf("windows\n got %q\nwant %q", got, tt.want)
			}
			if len(res.Recovery) != len(tt.faults) {
				t.Errorf("recovery %+v for %d faults", res.Recovery, len(tt.faults))
			}
		})
	}
}

func TestWindowDuplicateName(t *testing.T) {
	// A name used twice: the second is ignored, as an anomaly.
	r := NewRecorder(Config{Traffic: 60 * sec, Grace: -1, LeadIn: -1, Windows: []chaos.Window{{Name: "f", Start: 10 * sec, End: 20 * sec}, {Name: "f", Start: 30 * sec, End: 40 * sec}}})
	res := r.Finish(nil)
	if got, want := windowNames(res), []string{"steady[0µs-10s,20s-1m0s]", "during:f[10s-20s]", "after:f[20s-1m0s]"}; !slices.Equal(got, want) {
		t.Errorf("windows %q, want %q", got, want)
	}
	if res.Anomalies[AnomalyWindowName] != 1 {
		t.Errorf("anomalies %v", res.Anomalies)
	}
}

// windowRun is a recorder with one fault "f" over [20s, 30s) and a 5 s
// grace period in a 60 s traffic window: steady is [0, 20) and [35, 60),
// after:f is [35, 60).
func windowRun() *Recorder {
	return NewRecorder(Config{Traffic: 60 * sec, Cutoff: 120 * sec, Grace: 5 * sec, LeadIn: 5 * sec,
		Windows: []chaos.Window{{Name: "f", Start: 20 * sec, End: 30 * sec}}})
}

func window(t *testing.T, res *Results, name string) WindowResult {
	t.Helper()
	w := res.windowOf(name)
	if w == nil {
		t.Fatalf("no window %q in %q", name, windowNames(res))
	}
	return *w
}

func TestWindowAttribution(t *testing.T) {
	r := windowRun()
	// Journeys belong to windows by their intended send time, however
	// late they are sent and whenever they complete.
	r.Sent(0, 10*sec, 10*sec)     // steady
	r.Sent(1, 19*sec, 21*sec)     // lead-in: all only (sent late during the fault)
	r.Sent(9, 5*sec, 6*sec)       // steady, sent late
	r.Sent(2, 20*sec, 20*sec)     // during:f (start included)
	r.Sent(3, 29999*ms, 29999*ms) // during:f
	r.Sent(4, 30*sec, 30*sec)     // grace: no window but all (end excluded)
	r.Sent(5, 35*sec, 35*sec)     // steady and after:f
	r.Sent(6, 59*sec, 59*sec)     // steady and after:f, never completes
	r.Sent(7, 61*sec, 61*sec)     // after the traffic window: all only
	r.Sent(8, 25*sec, 25*sec)     // during:f, then withdrawn
	r.NotSent(8, "throttled")     // ... by NotSent
	r.Completed(9, 8*sec)         // 3s
	r.Completed(0, 11*sec)        // 1s
	r.Completed(2, 22*sec)        // 2s
	r.Completed(3, 33*sec)        // 3.001s
	r.Completed(4, 34*sec)        // 4s
	r.Completed(5, 36*sec)        // 1s
	r.Completed(1, 40*sec)        // 21s
	r.Completed(0, 50*sec)        // a repeat: ignored
	r.Completed(7, 62*sec)        // 1s
	res := r.Finish(nil)
	if len(res.Anomalies) != 0 {
		t.Fatalf("anomalies %v", res.Anomalies)
	}
	tests := []struct {
		window   string
		orders   WindowOrders
		min, max float64
	}{
		{"steady", WindowOrders{Sent: 4, Late: 1, Completed: 3, Incomplete: 1}, 1000, 3000},
		{"during:f", WindowOrders{Sent: 2, Completed: 2}, 2000, 3001},
		{"after:f", WindowOrders{Sent: 2, Completed: 1, Incomplete: 1}, 1000, 1000},
	}
	for _, tt := range tests {
		w := window(t, res, tt.window)
		if w.Orders != tt.orders {
			t.Errorf("%s: orders %+v, want %+v", tt.window, w.Orders, tt.orders)
		}
		if w.E2E.Count != tt.orders.Completed || !near(w.E2E.Min, tt.min) || !near(w.E2E.Max, tt.max) {
			t.Errorf("%s: e2e %+v, want min %v max %v", tt.window, w.E2E, tt.min, tt.max)
		}
		if h, err := DecodeHistogram(w.Histogram); err != nil || h.Count() != w.E2E.Count {
			t.Errorf("%s: histogram %v", tt.window, err)
		}
	}
	if o := res.Orders; o.Sent != 9 || o.Completed != 8 {
		t.Errorf("run orders %+v", o)
	}
}

func TestWindowLoss(t *testing.T) {
	r := windowRun()
	r.Sent(0, 10*sec, 10*sec) // steady
	r.Sent(1, 25*sec, 25*sec) // during:f
	r.Sent(2, 40*sec, 40*sec) // steady, after:f
	r.Sent(3, 32*sec, 32*sec) // grace
	r.LostFor(0, "orders", "billing", "retries-exhausted", true, 11*sec)
	r.LostFor(1, "orders", "billing", "rule-disabled", false, 26*sec)
	r.LostFor(1, "orders", "delivery", "rule-disabled", false, 26*sec)
	r.LostFor(2, "orders", "billing", "", false, 41*sec) // "unknown"
	r.LostFor(3, "orders", "billing", "no-permission", false, 33*sec)
	// Lost without a journey: in the ledger, in no window.
	r.Lost("orders", "billing", "rule-disabled", false, 27*sec)
	// A journey never sent: in the ledger, in no window.
	r.LostFor(99, "orders", "billing", "rule-disabled", false, 27*sec)
	res := r.Finish(nil)
	want := map[string]Loss{
		"steady":   {Total: 2, DLQ: 1, Dropped: map[string]int64{"unknown": 1}},
		"during:f": {Total: 2, Dropped: map[string]int64{"rule-disabled": 2}},
		"after:f":  {Total: 1, Dropped: map[string]int64{"unknown": 1}},
	}
	for name, l := range want {
		w := window(t, res, name)
		if w.Loss.Total != l.Total || w.Loss.DLQ != l.DLQ || !mapsEqual(w.Loss.Dropped, l.Dropped) {
			t.Errorf("%s: loss %+v, want %+v", name, w.Loss, l)
		}
	}
	var dropped int64
	for _, rt := range res.Ledger.Routes {
		dropped += sumDropped(rt.Dropped)
	}
	if dropped != 6 {
		t.Errorf("ledger dropped %d, want 6 (LostFor is Lost too)", dropped)
	}
	// The conditions read the window's loss.
	for _, tt := range []struct {
		cond, window string
		ok           bool
		observed     string
	}{
		{"loss == 0", "steady", false, "2"},
		{"loss.dlq == 1", "steady", true, "1"},
		{"loss.rule-disabled == loss", "during:f", true, "2"},
		{"loss.rule-disabled > orders.sent", "during:f", true, "2"},
		{"loss.unknown == 1", "after:f", true, "1"},
		{"loss == 7", "all", true, "7"},
		{"loss == 7", "", true, "7"},
	} {
		ok, obs, thr := mustCond(t, tt.cond).EvaluateIn(res, tt.window)
		if ok != tt.ok || obs != tt.observed {
			t.Errorf("%s in %s: (%v, %q, %q), want (%v, %q)", tt.cond, tt.window, ok, obs, thr, tt.ok, tt.observed)
		}
	}
}

func mapsEqual(a, b map[string]int64) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestWindowDuplicates(t *testing.T) {
	r := windowRun()
	r.Sent(0, 10*sec, 10*sec) // steady
	r.Sent(1, 25*sec, 25*sec) // during:f
	r.Sent(2, 40*sec, 40*sec) // steady, after:f
	// Journey 0: a redelivery (by id and key) and a second side effect.
	r.Consumed("c", "id-0", 0, "Order.Created", 11*sec)
	r.Consumed("c", "id-0", 0, "Order.Created", 12*sec)
	r.SideEffect("c", 0, "Order.Created")
	r.SideEffect("c", 0, "Order.Created")
	// Journey 1: a re-publication (by key only), twice.
	r.Consumed("c", "id-1", 1, "Order.Created", 26*sec)
	r.Consumed("c", "id-1b", 1, "Order.Created", 27*sec)
	r.Consumed("c", "id-1c", 1, "Order.Created", 28*sec)
	// Journey 2: no duplicate.
	r.Consumed("c", "id-2", 2, "Order.Created", 41*sec)
	r.SideEffect("c", 2, "Order.Created")
	res := r.Finish(nil)
	want := map[string][3]int64{ // by id, by key, violations
		"steady":   {1, 1, 1},
		"during:f": {0, 2, 0},
		"after:f":  {0, 0, 0},
	}
	for name, wv := range want {
		w := window(t, res, name)
		if got := [3]int64{w.Duplicates.ByID, w.Duplicates.ByKey, w.IdempotencyViolations}; got != wv {
			t.Errorf("%s: duplicates and violations %v, want %v", name, got, wv)
		}
	}
	for _, tt := range []struct {
		cond, window string
		ok           bool
	}{
		{"duplicates.by_key == 2", "during:f", true},
		{"duplicates.by_id == 0", "during:f", true},
		{"idempotency.violations == 0", "steady", false},
		{"idempotency.violations == 0", "after:f", true},
	} {
		if ok, obs, thr := mustCond(t, tt.cond).EvaluateIn(res, tt.window); ok != tt.ok {
			t.Errorf("%s in %s: %v (observed %s, expected %s)", tt.cond, tt.window, ok, obs, thr)
		}
	}
}

func TestWindowsWithoutFaults(t *testing.T) {
	// Without faults, steady is the whole run: the run's orders,
	// latency and duplicates, and the losses recorded with LostFor.
	r := NewRecorder(Config{Traffic: 10 * sec, Cutoff: 20 * sec})
	journeyStart(r, 0, 0)
	journeyEnd(r, 0, 0)
	journeyStart(r, 1, sec)
	r.Consumed(refDelivery, idCreated, 1, "Order.Created", 2*sec)
	r.Consumed(refDelivery, idCreated, 1, "Order.Created", 3*sec)
	r.LostFor(1, "orders", refBilling, "rule-disabled", false, 2*sec)
	res := r.Finish(nil)
	if len(res.Windows) != 1 || len(res.Recovery) != 0 {
		t.Fatalf("windows %q recovery %+v", windowNames(res), res.Recovery)
	}
	w := res.Windows[0]
	if w.Name != "steady" || w.Orders != (WindowOrders{Sent: 2, Completed: 1, Incomplete: 1}) ||
		w.E2E != res.Latency[LatencyE2E] || w.Histogram != res.Histograms[LatencyE2E] ||
		w.Duplicates != (DuplicateCounts{ByID: 1, ByKey: 1}) || w.Loss.Total != 1 {
		t.Errorf("steady %+v", w)
	}
}

// recoveryRun records a 60 s traffic window at 10 orders per second with
// one fault "f" over [20s, fEnd): lat gives each journey's end-to-end
// latency by intended time, negative for a journey that never completes.
func recoveryRun(fEnd, grace time.Duration, lat func(intended time.Duration) time.Duration) *Results {
	// No lead-in: these cases are about the recovery computation alone.
	cfg := Config{Traffic: 60 * sec, Cutoff: 120 * sec, Grace: grace, LeadIn: -1}
	if fEnd > 0 {
		cfg.Windows = []chaos.Window{{Name: "f", Start: 20 * sec, End: fEnd}}
	}
	r := NewRecorder(cfg)
	type done struct {
		j  uint64
		at time.Duration
	}
	var dones []done
	for j := range uint64(600) {
		t0 := time.Duration(j) * 100 * ms
		r.Sent(j, t0, t0)
		if d := lat(t0); d >= 0 {
			dones = append(dones, done{j, t0 + d})
		}
	}
	slices.SortStableFunc(dones, func(a, b done) int { return cmp.Compare(a.at, b.at) })
	for _, d := range dones {
		r.Completed(d.j, d.at)
	}
	return r.Finish(nil)
}

// steadyLat is about a second, varying with the order.
func steadyLat(t0 time.Duration) time.Duration { return sec + time.Duration(t0/ms%7)*10*ms }

func TestRecovery(t *testing.T) {
	tests := []struct {
		name        string
		fEnd, grace time.Duration
		lat         func(time.Duration) time.Duration
		want        Recovery // Fault, EndMs and BoundMs are not compared
	}{
		{
			// Healthy at once: the first whole second after the end.
			name: "immediate", fEnd: 25 * sec, grace: 5 * sec, lat: steadyLat,
			want: Recovery{Recovered: true, RecoveryMs: 0},
		},
		{
			// A fault ending mid-second: recovery is counted from the
			// next whole second.
			name: "mid-second", fEnd: 25500 * ms, grace: 5 * sec, lat: steadyLat,
			want: Recovery{Recovered: true, RecoveryMs: 500},
		},
		{
			// A backlog: journeys intended up to 3 s after the fault
			// take 3 s, then latency is back to normal.
			name: "backlog", fEnd: 25 * sec, grace: 5 * sec,
			lat: func(t0 time.Duration) time.Duration {
				if t0 >= 20*sec && t0 < 28*sec {
					return 3 * sec
				}
				return steadyLat(t0)
			},
			want: Recovery{Recovered: true, RecoveryMs: 3000},
		},
		{
			// Journeys intended after the fault are lost for 4 s.
			name: "lost after", fEnd: 25 * sec, grace: 5 * sec,
			lat: func(t0 time.Duration) time.Duration {
				if t0 >= 20*sec && t0 < 29*sec {
					return -1
				}
				return steadyLat(t0)
			},
			want: Recovery{Recovered: true, RecoveryMs: 4000},
		},
		{
			// Healthy for 3 s, then slow again: recovery needs 10 s
			// of health, so it starts after the relapse.
			name: "relapse", fEnd: 25 * sec, grace: 5 * sec,
			lat: func(t0 time.Duration) time.Duration {
				if t0 >= 20*sec && t0 < 25*sec || t0 >= 28*sec && t0 < 30*sec {
					return 5 * sec
				}
				return steadyLat(t0)
			},
			want: Recovery{Recovered: true, RecoveryMs: 5000},
		},
		{
			// Slow until the end of the traffic window (the grace
			// period covers it: steady is [0, 20) only).
			name: "never", fEnd: 25 * sec, grace: time.Hour,
			lat: func(t0 time.Duration) time.Duration {
				if t0 >= 20*sec {
					return 3 * sec
				}
				return steadyLat(t0)
			},
			want: Recovery{RecoveryMs: -1},
		},
		{
			// One journey of ten lost for good after the fault, when
			// steady state lost none.
			name: "never, by loss", fEnd: 25 * sec, grace: time.Hour,
			lat: func(t0 time.Duration) time.Duration {
				if t0 >= 20*sec && t0/ms%1000 == 500 {
					return -1
				}
				return steadyLat(t0)
			},
			want: Recovery{RecoveryMs: -1},
		},
		{
			// Background loss in steady state too (one order of ten):
			// the same loss after the fault is healthy.
			name: "background loss", fEnd: 25 * sec, grace: 5 * sec,
			lat: func(t0 time.Duration) time.Duration {
				if t0/ms%1000 == 500 {
					return -1
				}
				return steadyLat(t0)
			},
			want: Recovery{Recovered: true, RecoveryMs: 0},
		},
		{
			// Recovery shortly before the traffic ends: healthy until
			// the end, though for less than the hold.
			name: "near the end", fEnd: 55 * sec, grace: 3 * sec,
			lat: func(t0 time.Duration) time.Duration {
				if t0 >= 20*sec && t0 < 57*sec {
					return 3 * sec
				}
				return steadyLat(t0)
			},
			want: Recovery{Recovered: true, RecoveryMs: 2000},
		},
		{
			// The fault lasts until the traffic ends.
			name: "no traffic after", fEnd: 60 * sec, grace: 5 * sec, lat: steadyLat,
			want: Recovery{RecoveryMs: -1, Note: RecoveryNoTraffic},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := recoveryRun(tt.fEnd, tt.grace, tt.lat)
			if len(res.Recovery) != 1 {
				t.Fatalf("recovery %+v", res.Recovery)
			}
			got := res.Recovery[0]
			if got.Fault != "f" || got.EndMs != durationMs(tt.fEnd) {
				t.Errorf("recovery %+v", got)
			}
			if got.Recovered != tt.want.Recovered || got.RecoveryMs != tt.want.RecoveryMs || got.Note != tt.want.Note {
				t.Errorf("recovery %+v, want %+v", got, tt.want)
			}
			if got.Note == "" && !near(got.BoundMs, 1.25*1060) {
				t.Errorf("bound %v, want 1.25 × 1.06 s", got.BoundMs)
			}
			// The expectation on it.
			ok, obs, _ := mustCond(t, "recovery.f < 5s").Evaluate(res)
			switch {
			case !got.Recovered && (ok || obs != "not recovered"):
				t.Errorf("not recovered: expectation (%v, %q)", ok, obs)
			case got.Recovered && ok != (got.RecoveryMs < 5000):
				t.Errorf("recovered in %vms: expectation (%v, %q)", got.RecoveryMs, ok, obs)
			}
		})
	}
	// No fault: no recovery, and an expectation on one has no data.
	res := recoveryRun(0, 0, steadyLat)
	if len(res.Recovery) != 0 {
		t.Errorf("recovery without a fault: %+v", res.Recovery)
	}
	if ok, obs, _ := mustCond(t, "recovery.f < 5s").Evaluate(res); ok || obs != "no data" {
		t.Errorf("recovery.f without a fault: (%v, %q)", ok, obs)
	}
}

func TestRecoveryNoSteadyNote(t *testing.T) {
	// A fault over the whole traffic window: no steady state, so no
	// recovery can be judged.
	r := NewRecorder(Config{Traffic: 60 * sec, Cutoff: 120 * sec, Windows: []chaos.Window{{Name: "f", Start: 0, End: 120 * sec}}})
	r.Sent(0, sec, sec)
	r.Completed(0, 2*sec)
	res := r.Finish(nil)
	if got := res.Recovery; len(got) != 1 || got[0].Recovered || got[0].Note != RecoveryNoSteady || got[0].RecoveryMs != -1 {
		t.Errorf("recovery %+v", got)
	}
}

func TestMetricComparisons(t *testing.T) {
	for _, tt := range []struct {
		in, want string // want: an error fragment, "" for success
	}{
		{"loss == orders.sent", ""},
		{"orders.incomplete <= orders.sent", ""},
		{"e2e.p99 < e2e.max", ""},
		{"e2e.count == orders.completed", ""}, // e2e.count is a count
		{"completion >= completion", ""},
		{"ledger.balanced == ledger.balanced", ""},
		{"recovery.f < recovery.g", ""},
		// Kinds must match.
		{"loss == e2e.p99", "cannot compare a count with e2e.p99, a latency"},
		{"e2e.p99 < orders.sent", "cannot compare a latency with orders.sent, a count"},
		{"ledger.balanced < ledger.balanced", "compare it with == or !="},
		// Not a metric: a literal, with the literal's error.
		{"loss == orders.sentt", "want a number"},
		{"recovery. < 1s", "recovery takes a fault name"},
	} {
		c, err := ParseCondition(tt.in)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%q: %v", tt.in, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("%q: error %v, want %q", tt.in, err, tt.want)
		case tt.want == "" && c.Ref == "":
			t.Errorf("%q: no reference parsed: %+v", tt.in, c)
		}
	}
	// Literals stay literals.
	if c := mustCond(t, "loss == 0"); c.Ref != "" || c.Value != 0 {
		t.Errorf("%+v", c)
	}

	res := &Results{
		Orders:  Orders{Sent: 100, Completed: 90, Incomplete: 10},
		Latency: map[string]Summary{LatencyE2E: {Count: 90, P99: 900, Max: 1200}},
		Ledger:  Ledger{Balanced: true, Routes: []Route{{Dropped: map[string]int64{"rule-disabled": 12}}}},
		Windows: []WindowResult{
			{Name: "steady", Orders: WindowOrders{Sent: 80, Completed: 80}, E2E: Summary{Count: 80, P99: 500, Max: 700}},
			{Name: "during:f", Orders: WindowOrders{Sent: 12, Completed: 2, Incomplete: 10},
				Loss: Loss{Total: 12, Dropped: map[string]int64{"rule-disabled": 12}}},
		},
	}
	for _, tt := range []struct {
		cond, window        string
		ok                  bool
		observed, threshold string
	}{
		// Both sides are read in the window.
		{"loss == orders.sent", "during:f", true, "12", "== orders.sent (12)"},
		{"orders.incomplete == orders.sent", "during:f", false, "10", "== orders.sent (12)"},
		{"e2e.p99 < e2e.max", "steady", true, "500ms", "< e2e.max (700ms)"},
		{"e2e.p99 < e2e.max", "", true, "900ms", "< e2e.max (1.2s)"},
		{"loss == orders.sent", "all", false, "12", "== orders.sent (100)"},
		// A right-hand side without a value fails, saying why.
		{"e2e.p99 < e2e.max", "during:f", false, "no data", "< e2e.max (no data)"},
		{"loss <= orders.sent", "during:g", false, "no data", "<= orders.sent (no data)"},
		{"e2e.p99 < recovery.f", "", false, "900ms", "< recovery.f (no data)"},
	} {
		ok, obs, thr := mustCond(t, tt.cond).EvaluateIn(res, tt.window)
		if ok != tt.ok || obs != tt.observed || thr != tt.threshold {
			t.Errorf("%s in %q: (%v, %q, %q), want (%v, %q, %q)", tt.cond, tt.window, ok, obs, thr, tt.ok, tt.observed, tt.threshold)
		}
	}
}

func TestEvaluateInWindows(t *testing.T) {
	res := &Results{
		Orders:  Orders{Planned: 100, Sent: 100, Completed: 100},
		Latency: map[string]Summary{LatencyE2E: {Count: 100, P99: 900}, HopHandler: {Count: 100, P99: 500}},
		Ledger:  Ledger{Balanced: true},
		Windows: []WindowResult{{Name: "steady", Orders: WindowOrders{Sent: 50, Completed: 49, Incomplete: 1},
			E2E: Summary{Count: 49, P99: 400}}},
		Recovery: []Recovery{{Fault: "f", Recovered: true, RecoveryMs: 7000}, {Fault: "g", RecoveryMs: -1}},
	}
	for _, tt := range []struct {
		cond, window string
		ok           bool
		observed     string
	}{
		{"e2e.p99 < 500ms", "steady", true, "400ms"},
		{"e2e.p99 < 500ms", "all", false, "900ms"},
		{"completion >= 98%", "steady", true, "98%"},
		{"completion >= 99%", "steady", false, "98%"},
		{"orders.sent == 50", "steady", true, "50"},
		// Metrics of the whole run only.
		{"ledger.balanced", "steady", false, "not measured per window"},
		{"hop.handler.p99 < 1s", "steady", false, "not measured per window"},
		{"orders.planned == 100", "steady", false, "not measured per window"},
		// A window the results do not have (an older file, a typo).
		{"e2e.p99 < 1s", "after:nope", false, "no data"},
		// Recovery, whatever the window.
		{"recovery.f < 10s", "", true, "7s"},
		{"recovery.f < 5s", "", false, "7s"},
		{"recovery.g < 1h", "", false, "not recovered"},
		{"recovery.g > 1s", "", false, "not recovered"},
	} {
		ok, obs, _ := mustCond(t, tt.cond).EvaluateIn(res, tt.window)
		if ok != tt.ok || obs != tt.observed {
			t.Errorf("%s in %q: (%v, %q), want (%v, %q)", tt.cond, tt.window, ok, obs, tt.ok, tt.observed)
		}
	}
}

func TestValidateWindow(t *testing.T) {
	faults := []string{"throttle", "disable-billing"}
	for _, tt := range []struct {
		window, want string
	}{
		{"", ""},
		{"all", ""},
		{"steady", ""},
		{"during:throttle", ""},
		{"after:disable-billing", ""},
		{"during:nope", `no fault named "nope" (faults: throttle, disable-billing)`},
		{"after:", `no fault named ""`},
		{"recovery", "use all, steady, during:FAULT or after:FAULT"},
		{"throttle", "use all, steady, during:FAULT or after:FAULT"},
		{"before:throttle", "use all, steady"},
	} {
		err := ValidateWindow(tt.window, faults)
		if tt.want == "" && err != nil || tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)) {
			t.Errorf("%q: %v, want %q", tt.window, err, tt.want)
		}
	}
	if err := ValidateWindow("during:x", nil); err == nil || !strings.Contains(err.Error(), "the scenario has no faults") {
		t.Errorf("no faults: %v", err)
	}
	for _, tt := range []struct {
		cond, window, want string
	}{
		{"e2e.p99 < 1s", "steady", ""},
		{"loss == orders.sent", "during:throttle", ""},
		{"ledger.balanced", "", ""},
		{"ledger.balanced", "steady", "ledger.balanced is not measured per window"},
		{"in_flight == 0", "after:throttle", "not measured per window"},
		{"loss == orders.planned", "steady", "orders.planned is not measured per window"},
		{"recovery.throttle < 1m", "", ""},
		{"recovery.throttle < 1m", "all", ""},
		{"recovery.throttle < 1m", "steady", "it takes no window"},
		{"recovery.nope < 1m", "", `recovery.nope: no fault named "nope"`},
		{"e2e.p99 < recovery.nope", "", `no fault named "nope"`},
		{"e2e.p99 < 1s", "during:nope", `no fault named "nope"`},
	} {
		err := mustCond(t, tt.cond).Validate(tt.window, faults)
		if tt.want == "" && err != nil || tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)) {
			t.Errorf("%s in %q: %v, want %q", tt.cond, tt.window, err, tt.want)
		}
	}
}

func TestResultsWithoutWindows(t *testing.T) {
	// A file written before windows existed decodes, writes back
	// without the keys, and a windowed expectation on it has no data.
	old := []byte(`{"schema":"busdrill.results/v1","orders":{"sent":1,"completed":1},"latency":{"e2e":{"count":1,"p99":5}}}`)
	res, err := DecodeResults(old)
	if err != nil {
		t.Fatal(err)
	}
	if res.Windows != nil || res.Recovery != nil {
		t.Errorf("windows %+v recovery %+v", res.Windows, res.Recovery)
	}
	if out := writeJSON(t, res); bytes.Contains(out, []byte(`"windows"`)) || bytes.Contains(out, []byte(`"recovery"`)) {
		t.Errorf("output has windows:\n%s", out)
	}
	res.Evaluate([]NamedCondition{
		{Cond: mustCond(t, "e2e.p99 < 1s")},
		{Cond: mustCond(t, "e2e.p99 < 1s"), Window: "steady"},
	})
	if e := res.Expectations; !e[0].OK || e[1].OK || e[1].Observed != "no data" || e[1].Window != "steady" {
		t.Errorf("expectations %+v", e)
	}
	// And the golden file, with windows, round-trips (TestReadResults).
	back, err := ReadResults("testdata/results.golden.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(back.Windows) != 5 || len(back.Recovery) != 2 {
		t.Errorf("golden: %d windows, %d recoveries", len(back.Windows), len(back.Recovery))
	}
}

func TestWindowsAllocationFree(t *testing.T) {
	// With fault windows, a journey's calls stay allocation-free once
	// the pages they touch exist.
	r := NewRecorder(Config{Traffic: time.Hour, Cutoff: time.Hour + time.Minute, Grace: sec,
		Windows: []chaos.Window{{Name: "a", Start: 10 * sec, End: 20 * sec}, {Name: "b", Start: 15 * sec, End: 30 * sec}}})
	for j := range uint64(4096) {
		journeyStart(r, j, time.Duration(j)*5*ms)
		journeyEnd(r, j, time.Duration(j)*5*ms)
	}
	j := uint64(4096)
	allocs := testing.AllocsPerRun(1000, func() {
		j++
		if j%4096 == 0 {
			j++ // stay on the pages already there
		}
		t0 := time.Duration(j%4096) * 5 * ms
		c := r.win.sent(t0, false)
		r.win.completed(t0, sec)
		r.win.lost(c, "x", false)
		r.win.dupKey(c)
	})
	if allocs != 0 {
		t.Errorf("%v allocations per journey", allocs)
	}
}

// BenchmarkRecorderJourneyWindows is BenchmarkRecorderJourney with two
// overlapping fault windows: each journey is in steady, or in one or two
// during and after windows.
func BenchmarkRecorderJourneyWindows(b *testing.B) {
	run := time.Duration(b.N+benchLag) * ms
	benchJourneys(b, Config{Traffic: run, Cutoff: run + time.Minute, Grace: run / 10,
		Windows: []chaos.Window{{Name: "a", Start: run / 5, End: run / 3}, {Name: "b", Start: run / 4, End: run / 2}}})
}
