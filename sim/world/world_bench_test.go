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

// BenchmarkMillionRun runs scripts/bench/million.yaml (the reference
// topology at 1,667 orders/s, the simulator's performance benchmark) with
// its traffic shortened to two minutes, the measurement on a second core
// as busdrill runs it. make pgo profiles it: the profile then weighs the
// hot paths as a long run at a launch-day rate does.
func BenchmarkMillionRun(b *testing.B) {
	var events uint64
	start := time.Now()
	for i := 0; i < b.N; i++ {
		sc, err := scenarios.LoadFile("../../scripts/bench/million.yaml", scenarios.LoadOptions{})
		if err != nil {
			b.Fatal(err)
		}
		sc.Traffic.Arrivals.Shape = loadgen.Constant{Rate: 1667, Duration: 2 * time.Minute}
		_, n, err := Run(Options{Scenario: sc, Concurrent: true})
		if err != nil {
			b.Fatal(err)
		}
		events += n
	}
	b.ReportMetric(float64(events)/time.Since(start).Seconds(), "events/s")
}
