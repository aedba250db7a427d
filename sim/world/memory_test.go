package world

import (
	"runtime"
	"testing"
	"time"

	"github.com/busdrill/busdrill/loadgen"
	"github.com/busdrill/busdrill/scenarios"
)

// retainedAtTrafficEnd runs sc with its constant traffic at rate (0:
// the scenario's) lasting d, and returns the live heap after a collection
// when the traffic ends (the run then has a full window of journeys in
// flight, and whatever it still keeps of the journeys before), with the
// orders sent by then.
func retainedAtTrafficEnd(t *testing.T, sc *scenarios.Scenario, rate float64, d time.Duration) (heap uint64, sent int64) {
	t.Helper()
	c, ok := sc.Traffic.Arrivals.Shape.(loadgen.Constant)
	if !ok {
		t.Fatalf("%s: traffic is %T, not constant", sc.Name, sc.Traffic.Arrivals.Shape)
	}
	c.Duration = d
	if rate > 0 {
		c.Rate = rate
	}
	sc.Traffic.Arrivals.Shape = c
	measured := false
	_, _, err := Run(Options{Scenario: sc, Progress: func(now, _ time.Duration, s, _ int64) {
		if measured || now < d {
			return
		}
		measured = true
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		heap, sent = ms.HeapAlloc, s
	}})
	if err != nil {
		t.Fatal(err)
	}
	if !measured {
		t.Fatalf("%s: the run never reached the end of its traffic", sc.Name)
	}
	return heap, sent
}

// TestRetainedHeapIsFlat runs scenarios for a short and a four times
// longer stretch of traffic at the same rate and compares the live heap
// when the traffic ends: the same journeys are in flight then, so a run
// that keeps nothing of its finished journeys (see retire.go) retains
// about the same heap whatever its length. It fails when the longer run
// retains more than 10% + 1 MiB over the shorter one: the 150 bytes an
// order cost before journeys were retired would be 30 MiB and more here.
// No timing is involved: the heap is measured after a collection.
func TestRetainedHeapIsFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("runs about 300,000 orders (a few seconds); skipped in -short")
	}
	million := func(t *testing.T) *scenarios.Scenario {
		sc, err := scenarios.LoadFile("../../scripts/bench/million.yaml", scenarios.LoadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		return sc
	}
	builtin := func(name string) func(t *testing.T) *scenarios.Scenario {
		return func(t *testing.T) *scenarios.Scenario {
			sc, err := scenarios.Builtin(name)
			if err != nil {
				t.Fatal(err)
			}
			return sc
		}
	}
	tests := []struct {
		name        string
		scenario    func(t *testing.T) *scenarios.Scenario
		rate        float64
		short, long time.Duration
	}{
		// The soak benchmark's scenario: the reference topology at
		// 1,667 orders/s, business-key idempotency.
		{"million", million, 0, 30 * time.Second, 2 * time.Minute},
		// Redeliveries and producer resends, deduplicated by event id:
		// the services' id maps and the recorder's duplicate ids.
		{"duplicates-event-id", builtin("duplicates-event-id"), 300, 30 * time.Second, 2 * time.Minute},
		// A fault window (from 1m to 2m), in both runs: journeys carry
		// their window class, and each window its statistics.
		{"latency-spike", builtin("latency-spike"), 100, 3 * time.Minute, 12 * time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			short, long := tt.short, tt.long
			hs, ns := retainedAtTrafficEnd(t, tt.scenario(t), tt.rate, short)
			hl, nl := retainedAtTrafficEnd(t, tt.scenario(t), tt.rate, long)
			t.Logf("%v: %d orders, %.1f MiB retained; %v: %d orders, %.1f MiB", short, ns, mib(hs), long, nl, mib(hl))
			if nl < 3*ns {
				t.Fatalf("the longer run sent %d orders, the shorter %d: the test proves nothing", nl, ns)
			}
			if limit := hs + hs/10 + 1<<20; hl > limit {
				t.Errorf("retained heap grew with the run's length: %.1f MiB after %d orders, %.1f MiB after %d (limit %.1f MiB): %.0f bytes per extra order",
					mib(hs), ns, mib(hl), nl, mib(limit), float64(hl-hs)/float64(nl-ns))
			}
		})
	}
}

func mib(b uint64) float64 { return float64(b) / (1 << 20) }
