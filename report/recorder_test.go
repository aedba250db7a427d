package report

import (
	"bytes"
	"testing"
	"time"

	"github.com/busdrill/busdrill/chaos"
	"github.com/busdrill/busdrill/internal/journeytable"
)

const ms = time.Millisecond

func TestJourneysAndEndToEnd(t *testing.T) {
	type sent struct {
		j                uint64
		intended, actual time.Duration
	}
	type done struct {
		j  uint64
		at time.Duration
	}
	tests := []struct {
		name      string
		sent      []sent
		completed []done
		want      Orders
		wantE2E   Summary // only Count, Min, Max are compared
	}{
		{
			// Two journeys complete: e2e runs from the intended time,
			// so a late send does not shorten it (coordinated omission).
			name:      "e2e from intended",
			sent:      []sent{{0, 0, 0}, {1, 100 * ms, 400 * ms}},
			completed: []done{{0, 6 * time.Second}, {1, 7100 * ms}},
			want:      Orders{Planned: 3, Sent: 2, Late: 1, Completed: 2},
			wantE2E:   Summary{Count: 2, Min: 6000, Max: 7000},
		},
		{
			// A second Order.Updated for the same journey is ignored.
			name:      "repeat completion ignored",
			sent:      []sent{{0, 0, 0}},
			completed: []done{{0, time.Second}, {0, 5 * time.Second}},
			want:      Orders{Planned: 3, Sent: 1, Completed: 1},
			wantE2E:   Summary{Count: 1, Min: 1000, Max: 1000},
		},
		{
			// Sent but never completed: incomplete at cut-off.
			name:      "incomplete",
			sent:      []sent{{0, 0, 0}, {1, 0, 0}, {2, 0, 0}},
			completed: []done{{1, 2 * time.Second}},
			want:      Orders{Planned: 3, Sent: 3, Completed: 1, Incomplete: 2},
			wantE2E:   Summary{Count: 1, Min: 2000, Max: 2000},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := NewRecorder(Config{Cutoff: 10 * time.Second})
			r.Planned(3)
			for _, s := range tt.sent {
				r.Sent(s.j, s.intended, s.actual)
			}
			for _, c := range tt.completed {
				r.Completed(c.j, c.at)
			}
			res := r.Finish(nil)
			if o := res.Orders; o.Planned != tt.want.Planned || o.Sent != tt.want.Sent || o.Late != tt.want.Late ||
				o.Completed != tt.want.Completed || o.Incomplete != tt.want.Incomplete || o.NotSent != 0 {
				t.Errorf("orders %+v, want %+v", res.Orders, tt.want)
			}
			e := res.Latency[LatencyE2E]
			if e.Count != tt.wantE2E.Count || !near(e.Min, tt.wantE2E.Min) || !near(e.Max, tt.wantE2E.Max) {
				t.Errorf("e2e %+v, want count %d min %v max %v", e, tt.wantE2E.Count, tt.wantE2E.Min, tt.wantE2E.Max)
			}
			if len(res.Anomalies) != 0 {
				t.Errorf("anomalies %v", res.Anomalies)
			}
		})
	}
}

// near compares milliseconds within HDR's 3-significant-digit resolution.
func near(got, want float64) bool {
	d := got - want
	return d >= -want/500-0.001 && d <= want/500+0.001
}

func TestLateCounting(t *testing.T) {
	tests := []struct {
		tolerance time.Duration
		lag       time.Duration
		late      bool
	}{
		// Sent exactly on time.
		{0, 0, false},
		// Default tolerance 10ms: 10ms behind is on time...
		{0, 10 * ms, false},
		// ... 10ms and 1ns behind is late.
		{0, 10*ms + 1, true},
		// Early sends are never late.
		{0, -time.Second, false},
		// A custom tolerance.
		{time.Second, 999 * ms, false},
		{time.Second, 1001 * ms, true},
	}
	for _, tt := range tests {
		r := NewRecorder(Config{LateTolerance: tt.tolerance, Cutoff: 5 * time.Second})
		r.Sent(7, 2*time.Second, 2*time.Second+tt.lag)
		res := r.Finish(nil)
		wantLate := int64(0)
		if tt.late {
			wantLate = 1
		}
		if res.Orders.Late != wantLate {
			t.Errorf("tolerance %v lag %v: late %d, want %d", tt.tolerance, tt.lag, res.Orders.Late, wantLate)
		}
		// The series counts the late send in the second it left.
		sec := (2*time.Second + tt.lag) / time.Second
		if got := res.Series[sec].Late; got != wantLate {
			t.Errorf("tolerance %v lag %v: series late %d at %ds, want %d", tt.tolerance, tt.lag, got, sec, wantLate)
		}
	}
}

func TestNotSent(t *testing.T) {
	r := NewRecorder(Config{Cutoff: 10 * time.Second})
	r.Planned(4)
	// Journey 0 completes; journey 1 is throttled and given up before
	// being handed over; journey 2 is handed over (late), then given up:
	// it is withdrawn from sent and late; journey 3 stays in flight.
	r.Sent(0, 0, 0)
	r.Completed(0, time.Second)
	r.NotSent(1, "throttled")
	r.Sent(2, 0, time.Second)
	r.NotSent(2, "throttled")
	r.Sent(3, 0, 0)
	// Contradictions are anomalies: a completed journey given up, a
	// journey sent after being given up, a journey completed unsent.
	r.NotSent(0, "x")
	r.Sent(1, 0, 0)
	r.Completed(9, time.Second)
	res := r.Finish(nil)
	want := Orders{Planned: 4, Sent: 2, Late: 0, Completed: 1, Incomplete: 1,
		NotSent: 2, NotSentCauses: map[string]int64{"throttled": 2}}
	if res.Orders.Planned != want.Planned || res.Orders.Sent != want.Sent || res.Orders.Late != want.Late ||
		res.Orders.Completed != want.Completed || res.Orders.Incomplete != want.Incomplete ||
		res.Orders.NotSent != want.NotSent || res.Orders.NotSentCauses["throttled"] != 2 {
		t.Errorf("orders %+v, want %+v", res.Orders, want)
	}
	if res.Orders.Planned != res.Orders.Sent+res.Orders.NotSent {
		t.Errorf("planned %d != sent %d + not sent %d", res.Orders.Planned, res.Orders.Sent, res.Orders.NotSent)
	}
	wantAnom := map[string]int64{AnomalyNotSentResolved: 1, AnomalySentTwice: 1, AnomalyCompletedUnknown: 1}
	for k, v := range wantAnom {
		if res.Anomalies[k] != v {
			t.Errorf("anomalies %v, want %v", res.Anomalies, wantAnom)
		}
	}
}

func TestHops(t *testing.T) {
	r := NewRecorder(Config{})
	for i := 1; i <= 100; i++ {
		r.Hop(HopPutAck, time.Duration(i)*ms)
		r.Hop(HopHandler, 5*time.Second)
	}
	r.Hop("custom", time.Second)
	res := r.Finish(nil)
	// Every hop of Hops and e2e are reported, recorded or not, with
	// an encoding; an unknown hop name gets its own entry.
	for _, name := range append([]string{LatencyE2E, "custom"}, Hops...) {
		if _, ok := res.Latency[name]; !ok {
			t.Errorf("latency %q missing", name)
		}
		if _, ok := res.Histograms[name]; !ok {
			t.Errorf("histogram %q missing", name)
		}
	}
	if s := res.Latency[HopPutAck]; s.Count != 100 || !near(s.P50, 50) || !near(s.Max, 100) {
		t.Errorf("put_ack %+v", s)
	}
	if s := res.Latency[HopHandler]; s.Count != 100 || !near(s.P99, 5000) {
		t.Errorf("handler %+v", s)
	}
	if s := res.Latency[HopDelivery]; s.Count != 0 {
		t.Errorf("delivery %+v", s)
	}
	// The embedded encoding decodes to the same distribution.
	h, err := DecodeHistogram(res.Histograms[HopPutAck])
	if err != nil {
		t.Fatal(err)
	}
	if h.Summary() != res.Latency[HopPutAck] {
		t.Errorf("decoded %+v, summary %+v", h.Summary(), res.Latency[HopPutAck])
	}
}

func TestShardedJourneys(t *testing.T) {
	// Shard 1 of 4 owns journeys 1, 5, 9, ...: they map to dense local
	// indexes and complete like any other.
	r := NewRecorder(Config{Shard: &Shard{Index: 1, Count: 4}})
	for j := uint64(1); j < 400; j += 4 {
		r.Sent(j, 0, 0)
		r.Completed(j, time.Second)
		r.Completed(j, 2*time.Second)
	}
	res := r.Finish(nil)
	if res.Orders.Sent != 100 || res.Orders.Completed != 100 || len(res.Anomalies) != 0 {
		t.Errorf("orders %+v anomalies %v", res.Orders, res.Anomalies)
	}
	if res.Shard == nil || *res.Shard != (Shard{Index: 1, Count: 4}) {
		t.Errorf("shard %+v", res.Shard)
	}
}

func TestJourneyOutOfRange(t *testing.T) {
	r := NewRecorder(Config{})
	r.Sent(1<<40, 0, 0)
	r.Consumed("c", "id", 1<<40, "Order.Created", 0)
	res := r.Finish(nil)
	if res.Orders.Sent != 0 || res.Anomalies[AnomalyJourneyRange] != 2 {
		t.Errorf("orders %+v anomalies %v", res.Orders, res.Anomalies)
	}
	if res.Duplicates[0].Deliveries != 1 {
		t.Errorf("duplicates %+v", res.Duplicates)
	}
}

// TestRetire: retiring each journey once its calls are over changes no
// result and frees what the recorder kept of it; a call naming a retired
// journey finds nothing.
func TestRetire(t *testing.T) {
	const n, lag = 20_000, 500
	windows := []chaos.Window{{Name: "a", Start: 2 * sec, End: 4 * sec}}
	run := func(retire bool) (*Recorder, []byte) {
		r := NewRecorder(Config{Traffic: n * ms, Cutoff: n*ms + time.Minute, Windows: windows})
		for j := range uint64(n + lag) {
			if j < n {
				journeyStart(r, j, time.Duration(j)*ms)
			}
			if j >= lag {
				old := j - lag
				journeyEnd(r, old, time.Duration(old)*ms)
				// A redelivery, and a loss, of every tenth journey.
				if old%10 == 0 {
					r.Consumed(refDelivery, idCreated, old, "Order.Created", time.Duration(j)*ms)
					r.LostFor(old, "orders", refBilling, "x", false, time.Duration(j)*ms)
				}
				if retire {
					r.Retire(old)
				}
			}
		}
		return r, writeJSON(t, r.Finish(nil))
	}
	kept, want := run(false)
	retired, got := run(true)
	if !bytes.Equal(got, want) {
		t.Fatal("results differ with journeys retired")
	}
	if l := retired.journeys.Len(); l != 0 {
		t.Errorf("%d journeys kept after all were retired", l)
	}
	for _, c := range retired.consumers {
		for i := range c.keys {
			if l := c.keys[i].Len(); l != 0 {
				t.Errorf("%s: %d keys kept", c.name, l)
			}
			if p := c.keys[i].Resident(); p > journeytable.Lag+1 {
				t.Errorf("%s: %d key pages kept", c.name, p)
			}
		}
	}
	if kept.journeys.Len() != n {
		t.Errorf("without retiring, %d journeys kept of %d", kept.journeys.Len(), n)
	}
	// After retirement a journey is unknown.
	retired.Completed(5, time.Hour)
	if a := retired.Finish(nil).Anomalies[AnomalyCompletedUnknown]; a != 1 {
		t.Errorf("completing a retired journey: %d anomalies, want 1", a)
	}
}
