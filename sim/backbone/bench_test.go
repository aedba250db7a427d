package backbone

import (
	"runtime"
	"testing"
	"time"

	"github.com/busdrill/busdrill/sim"
)

// BenchmarkOrderFlow runs the model on the reference topology (bus,
// orders and delivery accounts; fan-out and catch-all rules; the delivery
// handler answering Order.Created with Delivery.Updated, the order handler
// answering that with Order.Updated) under steady Order.Created traffic
// from the orders account at 2,000 events/s. One benchmark op is one
// engine event, so allocs/op is allocations per engine event. No observer
// (the recorder's cost is its own).
func BenchmarkOrderFlow(b *testing.B) {
	m, tr, err := newWorld(DefaultParams(), nil, false, 500*time.Microsecond, sim.Never)
	if err != nil {
		b.Fatal(err)
	}
	// Warm up to steady state: buffers grown, handlers busy.
	for m.Processed() < 200_000 {
		m.Step()
	}
	start, acc0 := m.Processed(), tr.accepted
	var ms0, ms1 runtime.MemStats
	runtime.ReadMemStats(&ms0)
	b.ReportAllocs()
	b.ResetTimer()
	t0 := time.Now()
	for m.Processed()-start < uint64(b.N) {
		m.Step()
	}
	elapsed := time.Since(t0)
	b.StopTimer()
	runtime.ReadMemStats(&ms1)
	n := float64(m.Processed() - start)
	journeys := float64(tr.accepted - acc0)
	mallocs := float64(ms1.Mallocs - ms0.Mallocs)
	b.ReportMetric(n/elapsed.Seconds(), "events/s")
	b.ReportMetric(journeys/elapsed.Seconds(), "journeys/s")
	b.ReportMetric(mallocs/n, "mallocs/event")
	if journeys > 0 {
		b.ReportMetric(mallocs/journeys, "mallocs/journey")
	}
	b.ReportMetric(float64(m.Pending()), "in-flight")
}

// BenchmarkOrderFlowTraced is BenchmarkOrderFlow with every observation
// serialised by a TraceWriter to io.Discard (what --trace costs).
func BenchmarkOrderFlowTraced(b *testing.B) {
	m, _, err := newWorld(DefaultParams(), NewTraceWriter(discard{}), false, 500*time.Microsecond, sim.Never)
	if err != nil {
		b.Fatal(err)
	}
	for m.Processed() < 200_000 {
		m.Step()
	}
	start := m.Processed()
	b.ReportAllocs()
	b.ResetTimer()
	t0 := time.Now()
	for m.Processed()-start < uint64(b.N) {
		m.Step()
	}
	b.ReportMetric(float64(m.Processed()-start)/time.Since(t0).Seconds(), "events/s")
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// heapAfter runs the order flow at 2,000 journeys/s for d of virtual time
// and returns the live heap after a GC, with the events in flight.
func heapAfter(d time.Duration) (heap uint64, inFlight int, processed uint64) {
	m, _, err := newWorld(DefaultParams(), nil, false, 500*time.Microsecond, sim.Never)
	if err != nil {
		panic(err)
	}
	m.RunUntil(sim.At(d))
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	heap = ms.HeapAlloc
	runtime.KeepAlive(m)
	return heap, m.Pending(), m.Processed()
}

// TestMemoryProportionalToInFlight: ten times more events processed at the
// same rate (so the same events in flight) leaves the live heap about the
// same: the model keeps no per-event history.
func TestMemoryProportionalToInFlight(t *testing.T) {
	if testing.Short() {
		t.Skip("processes about 2 M engine events (a few seconds); skipped in -short")
	}
	h1, f1, p1 := heapAfter(5 * time.Second)
	h10, f10, p10 := heapAfter(50 * time.Second)
	t.Logf("5s: %d events processed, %d in flight, heap %d KiB", p1, f1, h1>>10)
	t.Logf("50s: %d events processed, %d in flight, heap %d KiB", p10, f10, h10>>10)
	if p10 < 9*p1 {
		t.Fatalf("processed %d vs %d", p10, p1)
	}
	// Allow for noise and a different in-flight count, not for growth
	// with the number processed (which would be ~10x).
	if h10 > 2*h1+(4<<20) {
		t.Fatalf("heap grew from %d to %d bytes with 10x the events processed", h1, h10)
	}
}
