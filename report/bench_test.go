package report

import (
	"os"
	"runtime"
	"strings"
	"testing"
	"time"
)

// The reference journey's consumers.
const (
	refDelivery = "delivery/local/on-order-created/handler"
	refBilling  = "billing/local/log-all/sink"
	refOrders   = "orders/local/on-delivery-updated/handler"
	idCreated   = "7f9c2ba4-e88f-11ee-9b59-0242ac120002"
	idDelivery  = "81a3d6e0-e88f-11ee-9b59-0242ac120002"
)

// journeyStart records the first half of journey j, intended at t0: the
// order is published and the expected deliveries are set up (5 calls).
func journeyStart(r *Recorder, j uint64, t0 time.Duration) {
	r.Sent(j, t0, t0)
	r.PutEventsCall("orders", t0, 1, false)
	r.Hop(HopPutAck, 20*ms)
	r.Expect("orders", refDelivery)
	r.Expect("orders", refBilling)
}

// journeyEnd records the rest of journey j (17 calls): Order.Created
// delivered to the delivery service and a log sink, the handler's five
// seconds, Delivery.Updated to the order service, Order.Updated seen.
func journeyEnd(r *Recorder, j uint64, t0 time.Duration) {
	t := t0 + 120*ms
	r.Invocation("delivery", t)
	r.Delivered("orders", refDelivery, t)
	r.Consumed(refDelivery, idCreated, j, "Order.Created", t)
	r.Hop(HopDelivery, 100*ms)
	r.Delivered("orders", refBilling, t)
	r.Consumed(refBilling, idCreated, j, "Order.Created", t)
	r.SideEffect(refDelivery, j, "Order.Created")
	t += 5 * time.Second
	r.Hop(HopHandler, 5*time.Second)
	r.PutEventsCall("delivery", t, 1, false)
	r.Expect("delivery", refOrders)
	t += 100 * ms
	r.Invocation("orders", t)
	r.Delivered("delivery", refOrders, t)
	r.Consumed(refOrders, idDelivery, j, "Delivery.Updated", t)
	r.SideEffect(refOrders, j, "Delivery.Updated")
	r.Hop(HopFinal, 40*ms)
	r.Completed(j, t+40*ms)
}

// callsPerJourney is the number of recorder calls of one journey.
const callsPerJourney = 22

// BenchmarkRecorderJourney records one full journey per iteration (22
// calls), 1000 orders per second of run time, with 5000 journeys in
// flight as in a real run.
func BenchmarkRecorderJourney(b *testing.B) {
	benchJourneys(b, Config{Cutoff: time.Duration(b.N+benchLag)*ms + time.Minute})
}

// benchLag is how many journeys the recorder benchmarks keep in flight.
const benchLag = 5000

// benchJourneys records b.N journeys with benchLag of them in flight at
// any time, under cfg (the quotas are added), and reports ns per call.
func benchJourneys(b *testing.B, cfg Config) {
	cfg.Quotas = []Quota{{QuotaPutEvents, "*", 10000}, {QuotaInvocations, "*", 18750}}
	r := NewRecorder(cfg)
	for j := range uint64(benchLag) {
		journeyStart(r, j, time.Duration(j)*ms)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		j := uint64(i) + benchLag
		journeyStart(r, j, time.Duration(j)*ms)
		journeyEnd(r, j-benchLag, time.Duration(j-benchLag)*ms)
	}
	b.StopTimer()
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/callsPerJourney, "ns/call")
}

// TestMillionJourneys records 1,000,000 journeys (22 million calls) and
// reports the heap the recorder holds and the time per call.
func TestMillionJourneys(t *testing.T) {
	if testing.Short() {
		t.Skip("records 1,000,000 journeys (about 2 s); skipped in -short")
	}
	const n, lag = 1_000_000, 5000
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	r := NewRecorder(Config{Cutoff: time.Duration(n+lag)*ms + time.Minute})
	r.Planned(n)
	for j := range uint64(n + lag) {
		if j < n {
			journeyStart(r, j, time.Duration(j)*ms)
		}
		if j >= lag {
			journeyEnd(r, j-lag, time.Duration(j-lag)*ms)
		}
	}
	elapsed := time.Since(start)
	runtime.GC()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	heap := int64(after.HeapInuse) - int64(before.HeapInuse)
	res := r.Finish(nil)
	t.Logf("1,000,000 journeys: %d calls in %v (%.0f ns/call); recorder heap in use %.1f MiB; process heap %.1f MiB, peak RSS %s",
		n*callsPerJourney, elapsed.Round(time.Millisecond), float64(elapsed.Nanoseconds())/(n*callsPerJourney),
		float64(heap)/(1<<20), float64(after.HeapSys)/(1<<20), peakRSS())
	if res.Orders.Completed != n || !res.Ledger.Balanced || len(res.Anomalies) != 0 {
		t.Fatalf("orders %+v balanced %v anomalies %v", res.Orders, res.Ledger.Balanced, res.Anomalies)
	}
	if heap > 128<<20 {
		t.Errorf("recorder holds %d MiB for 1M journeys, want < 128 MiB", heap>>20)
	}
	runtime.KeepAlive(r)
}

// peakRSS returns the process's peak resident set (VmHWM) where /proc
// has it, "unknown" elsewhere.
func peakRSS() string {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return "unknown"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}
