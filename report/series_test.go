package report

import (
	"testing"
	"time"

	"github.com/busdrill/busdrill/chaos"
)

func TestSeriesBucketing(t *testing.T) {
	r := NewRecorder(Config{Traffic: 3 * time.Second, Cutoff: 4500 * ms})
	// Journey 0 sent at 0.2s (on time), journey 1 at 1.0s exactly
	// (second 1), journey 2 at 1.999s but intended at 1.5s (late).
	r.Sent(0, 200*ms, 200*ms)
	r.Sent(1, time.Second, time.Second)
	r.Sent(2, 1500*ms, 1999*ms)
	r.Delivered("a", "x", 900*ms)
	r.Delivered("a", "x", 2*time.Second)
	r.PutEventsCall("a", 2500*ms, 10, true)
	r.PutEventsCall("a", 2600*ms, 3, false)
	r.DeadLettered(3 * time.Second)
	// Journeys complete in seconds 3 and 4.
	r.Completed(0, 3200*ms)
	r.Completed(1, 4*time.Second)
	res := r.Finish(nil)
	if res.Window != (Window{TrafficMs: 3000, CutoffMs: 4500}) {
		t.Errorf("window %+v", res.Window)
	}
	want := []Point{
		{Second: 0, Sent: 1, Delivered: 1},
		{Second: 1, Sent: 2, Late: 1},
		{Second: 2, Delivered: 1, Throttled: 10},
		{Second: 3, DLQ: 1, Completed: 1, P50Ms: 3000, P99Ms: 3000},
		{Second: 4, Completed: 1, P50Ms: 3000, P99Ms: 3000},
	}
	// One point per second up to the cut-off (4.5s → 5 points).
	if len(res.Series) != len(want) {
		t.Fatalf("series %+v", res.Series)
	}
	for i, p := range res.Series {
		w := want[i]
		if p.Second != w.Second || p.Sent != w.Sent || p.Delivered != w.Delivered || p.Completed != w.Completed ||
			p.Throttled != w.Throttled || p.Late != w.Late || p.DLQ != w.DLQ ||
			!nearPct(p.P50Ms, w.P50Ms) || !nearPct(p.P99Ms, w.P99Ms) {
			t.Errorf("second %d: %+v, want %+v", i, p, w)
		}
	}
}

// nearPct compares per-second percentiles (two significant digits).
func nearPct(got, want float64) bool { return got >= want*0.99 && got <= want*1.01 }

func TestSeriesPercentiles(t *testing.T) {
	r := NewRecorder(Config{Cutoff: 30 * time.Second})
	j := uint64(0)
	complete := func(at, e2e time.Duration) {
		r.Sent(j, at-e2e, at-e2e)
		r.Completed(j, at)
		j++
	}
	// Second 10: 100 journeys taking 1..100 ms: p50 50ms, p99 99ms.
	for i := 1; i <= 100; i++ {
		complete(10*time.Second+time.Duration(i)*ms, time.Duration(i)*ms)
	}
	// Second 11: one journey of 2s.
	complete(11*time.Second, 2*time.Second)
	// Second 25 closes seconds 10 and 11 out of the window.
	complete(25*time.Second, time.Second)
	// A completion 15 seconds behind (out of the window): counted,
	// excluded from second 10's percentiles, reported as an anomaly.
	complete(10*time.Second, 5*time.Second)
	res := r.Finish(nil)
	p := res.Series[10]
	if p.Completed != 101 || !nearPct(p.P50Ms, 50) || !nearPct(p.P99Ms, 99) {
		t.Errorf("second 10: %+v", p)
	}
	if p := res.Series[11]; p.Completed != 1 || !nearPct(p.P50Ms, 2000) || !nearPct(p.P99Ms, 2000) {
		t.Errorf("second 11: %+v", p)
	}
	// Second 25 is still open at Finish: its percentiles are filled in.
	if p := res.Series[25]; p.Completed != 1 || !nearPct(p.P50Ms, 1000) {
		t.Errorf("second 25: %+v", p)
	}
	if p := res.Series[12]; p.Completed != 0 || p.P50Ms != 0 || p.P99Ms != 0 {
		t.Errorf("second 12: %+v", p)
	}
	if res.Anomalies[AnomalySeriesLate] != 1 {
		t.Errorf("anomalies %v", res.Anomalies)
	}
	// Slightly out-of-order completions within the window are fine.
	r2 := NewRecorder(Config{Cutoff: 30 * time.Second})
	r2.Sent(0, 0, 0)
	r2.Sent(1, 0, 0)
	r2.Completed(0, 7*time.Second)
	r2.Completed(1, 3*time.Second)
	res2 := r2.Finish(nil)
	if res2.Series[3].P50Ms == 0 || len(res2.Anomalies) != 0 {
		t.Errorf("out of order: %+v %v", res2.Series[3], res2.Anomalies)
	}
}

func TestSeriesRange(t *testing.T) {
	r := NewRecorder(Config{Cutoff: 2 * time.Second})
	// Negative times land in second 0; past the cut-off the series
	// grows; beyond the cut-off + 1h it counts an anomaly.
	r.Delivered("a", "x", -time.Second)
	r.Delivered("a", "x", 5*time.Second)
	r.Delivered("a", "x", 2*time.Hour)
	res := r.Finish(nil)
	if len(res.Series) != 6 || res.Series[0].Delivered != 1 || res.Series[5].Delivered != 1 {
		t.Errorf("series %+v", res.Series)
	}
	if res.Anomalies[AnomalySeriesRange] != 1 {
		t.Errorf("anomalies %v", res.Anomalies)
	}
	// The ledger still counts all three.
	if res.Ledger.Routes[0].Delivered != 3 {
		t.Errorf("ledger %+v", res.Ledger)
	}
}

func TestQuotaHeadroom(t *testing.T) {
	tests := []struct {
		name   string
		quotas []Quota
		want   []Headroom
	}{
		{
			// Account a peaks at 3 requests in second 1 (throttled ones
			// count: they are demand); b at 1.
			name:   "per account",
			quotas: []Quota{{QuotaPutEvents, "a", 10}, {QuotaPutEvents, "b", 4}},
			want: []Headroom{
				{Quota: QuotaPutEvents, Account: "a", Limit: 10, Peak: 3, Used: 0.3},
				{Quota: QuotaPutEvents, Account: "b", Limit: 4, Peak: 1, Used: 0.25},
			},
		},
		{
			// A quota for every account gives one row per account with
			// calls, except those with their own quota; invocations peak
			// at 2 in second 0 for c.
			name: "every account",
			quotas: []Quota{{QuotaInvocations, "", 3}, {QuotaPutEvents, "*", 2},
				{QuotaPutEvents, "b", 100}},
			want: []Headroom{
				{Quota: QuotaInvocations, Account: "c", Limit: 3, Peak: 2, Used: 0.6667},
				{Quota: QuotaPutEvents, Account: "a", Limit: 2, Peak: 3, Used: 1.5},
				{Quota: QuotaPutEvents, Account: "b", Limit: 100, Peak: 1, Used: 0.01},
			},
		},
		{
			// A quota on an account without calls: zero peak; an unknown
			// quota name is listed with a zero peak; a zero limit has no
			// ratio (never a division by zero).
			name:   "no calls",
			quotas: []Quota{{QuotaPutEvents, "z", 5}, {"Other", "a", 1}, {QuotaInvocations, "c", 0}},
			want: []Headroom{
				{Quota: QuotaInvocations, Account: "c", Limit: 0, Peak: 2},
				{Quota: "Other", Account: "a", Limit: 1},
				{Quota: QuotaPutEvents, Account: "z", Limit: 5},
			},
		},
		{
			// No quotas in force: an empty table.
			name: "none",
			want: []Headroom{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := NewRecorder(Config{Cutoff: 3 * time.Second, Quotas: tt.quotas})
			// a: 1 request in second 0, 3 in second 1 (one throttled).
			r.PutEventsCall("a", 100*ms, 1, false)
			r.PutEventsCall("a", 1100*ms, 10, false)
			r.PutEventsCall("a", 1200*ms, 10, true)
			r.PutEventsCall("a", 1999*ms, 10, false)
			// b: one request in second 2.
			r.PutEventsCall("b", 2*time.Second, 1, false)
			// c: invocations, 2 in second 0, 1 in second 1.
			r.Invocation("c", 0)
			r.Invocation("c", 999*ms)
			r.Invocation("c", time.Second)
			got := r.Finish(nil).Quotas
			if len(got) != len(tt.want) {
				t.Fatalf("quotas %+v, want %+v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("%d: %+v, want %+v", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestSeriesStep(t *testing.T) {
	for _, tt := range []struct {
		comment string
		cutoff  time.Duration
		want    time.Duration
	}{
		{"an hour or less: a point per second", time.Hour, time.Second},
		{"just over an hour: two seconds", time.Hour + time.Second, 2 * time.Second},
		{"a day: 30 s (2,880 points)", 24 * time.Hour, 30 * time.Second},
		{"a year: 3 h (2,928 points)", 366 * 24 * time.Hour, 3 * time.Hour},
		{"past the ladder: whole days", 30 * 366 * 24 * time.Hour, 4 * 24 * time.Hour},
	} {
		got := SeriesStep(tt.cutoff)
		if got != tt.want {
			t.Errorf("%s: SeriesStep(%v) = %v, want %v", tt.comment, tt.cutoff, got, tt.want)
		}
		if n := (tt.cutoff + got - 1) / got; n > MaxSeriesPoints {
			t.Errorf("%s: %d points", tt.comment, n)
		}
	}
}

// TestLongRunSeriesIsBounded: a year of virtual time costs the series
// and the windows no more than an hour does; points are 3 h wide and add
// up what happened in them.
func TestLongRunSeriesIsBounded(t *testing.T) {
	year := 366 * 24 * time.Hour
	r := NewRecorder(Config{Traffic: year - time.Hour, Cutoff: year,
		Windows: []chaos.Window{{Name: "f", Start: time.Hour, End: 2 * time.Hour}}})
	for i := range uint64(1000) {
		at := time.Duration(i) * year / 1000
		r.Sent(i, at, at)
		r.Completed(i, at+5*time.Second)
	}
	res := r.Finish(nil)
	if len(res.Series) > MaxSeriesPoints || res.SeriesStep != 3*3600 {
		t.Fatalf("%d points of %ds", len(res.Series), res.SeriesStep)
	}
	var sent, completed int64
	for _, p := range res.Series {
		sent += p.Sent
		completed += p.Completed
		if p.Second%res.SeriesStep != 0 {
			t.Fatalf("point at %ds is not on a step", p.Second)
		}
	}
	if sent != 1000 || completed != 1000 {
		t.Errorf("series holds %d sent, %d completed; want 1000 and 1000", sent, completed)
	}
	if len(r.win.seconds) > MaxSeriesPoints {
		t.Errorf("window statistics hold %d steps", len(r.win.seconds))
	}
}

// TestHeadroomUsesQuotaInForce: a throttle fault that lowers a quota to
// 10/s shows the seconds it covers against 10/s, not against the quota
// before it (118 calls a second: 1180%, not 1.18%).
func TestHeadroomUsesQuotaInForce(t *testing.T) {
	r := NewRecorder(Config{Cutoff: 5 * time.Minute, Quotas: []Quota{
		{Name: QuotaPutEvents, Account: "*", Limit: 10000},
	}})
	r.QuotaChanged(QuotaPutEvents, "orders", 60*time.Second+500*ms, 10)
	r.QuotaChanged(QuotaPutEvents, "orders", 120*time.Second, 10000)
	for s := range 180 {
		n := 100
		if s >= 60 && s < 120 {
			n = 118
		}
		for i := range n {
			r.PutEventsCall("orders", time.Duration(s)*time.Second+time.Duration(i)*time.Millisecond, 1, false)
		}
		r.PutEventsCall("billing", time.Duration(s)*time.Second, 1, false) // never throttled
	}
	got := r.Finish(nil).Quotas
	want := []Headroom{
		{Quota: QuotaPutEvents, Account: "billing", Limit: 10000, Peak: 1, Used: 0.0001},
		{Quota: QuotaPutEvents, Account: "orders", Limit: 10, Peak: 118, Used: 11.8},
	}
	if len(got) != len(want) {
		t.Fatalf("headroom %+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("row %d: %+v, want %+v", i, got[i], want[i])
		}
	}
}
