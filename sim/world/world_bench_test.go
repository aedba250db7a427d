package world

import (
	"runtime"
	"testing"
	"time"

	"github.com/busdrill/busdrill/loadgen"
	"github.com/busdrill/busdrill/scenarios"
)

// BenchmarkReferenceRun runs the built-in reference scenario with the
// traffic shortened to one minute at 200 orders/s per iteration. Besides
// the time per run it reports engine events and orders per second of
// wall time and heap allocations per order.
func BenchmarkReferenceRun(b *testing.B) {
	var events uint64
	var orders int64
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	for i := 0; i < b.N; i++ {
		sc, err := scenarios.Builtin("reference")
		if err != nil {
			b.Fatal(err)
		}
		sc.Traffic.Arrivals.Shape = loadgen.Constant{Rate: 200, Duration: time.Minute}
		res, n, err := Run(Options{Scenario: sc})
		if err != nil {
			b.Fatal(err)
		}
		events += n
		orders += res.Orders.Sent
	}
	secs := time.Since(start).Seconds()
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(events)/secs, "events/s")
	b.ReportMetric(float64(orders)/secs, "orders/s")
	if orders > 0 {
		b.ReportMetric(float64(after.Mallocs-before.Mallocs)/float64(orders), "allocs/order")
	}
}
