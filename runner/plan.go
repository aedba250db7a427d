package runner

import (
	"context"
	"fmt"
	"io"
	"math"
	"runtime"
	"time"

	"github.com/busdrill/busdrill/loadgen"
	"github.com/busdrill/busdrill/scenarios"
	"github.com/busdrill/busdrill/sim/world"
)

// Plan is what a run will cost, worked out before it starts
// (busdrill run --dry-run).
type Plan struct {
	Scenario string
	Seed     uint64
	// Orders is the number of orders planned: exact under uniform
	// arrivals (Exact), the expected count under Poisson ones.
	Orders float64
	Exact  bool
	// Traffic and Drain make the virtual time the run covers.
	Traffic, Drain time.Duration
	// PilotOrders is the size of the pilot runs the estimates below come
	// from; EventsPerOrder what they measured.
	PilotOrders    int64
	EventsPerOrder float64
	// EngineEvents, Wall and PeakMemory are estimates for the whole run:
	// engine events, wall time on this machine, and peak memory (bytes).
	EngineEvents float64
	Wall         time.Duration
	PeakMemory   float64
	// Refusal says why the run would be refused (a ceiling), or "".
	Refusal string
}

// Pilot sizes: the first pilotWindow of traffic, at least minPilot and
// at most maxPilot orders (the whole plan when it is smaller).
const (
	pilotWindow = 30 * time.Second
	minPilot    = 2000
	maxPilot    = 50000
)

// baseMemory is what the process holds besides the run's heap: the
// runtime, the binary's data, the scenario. Measured at about 12 MiB;
// rounded up.
const baseMemory = 16 << 20

// Estimate works out a run's plan. The order count and virtual time are
// exact arithmetic on the scenario. The rest comes from two pilot runs of
// the same scenario and seed over its first orders (the first 30 s of
// traffic, 2,000 to 50,000 orders, each pilot drained to its cut-off;
// well under a few seconds):
//
//   - engine events per order, from the larger pilot;
//   - wall time per engine event on this machine, from the difference
//     between the pilots (so that what every run pays once, building the
//     model and the recorder, is not charged per event);
//   - memory: the live heap after a garbage collection when the larger
//     pilot has sent half its orders and when it has sent them all, whose
//     difference is the memory an order adds once the first journeys are
//     under way (the rest is fixed); peak memory is the heap twice over
//     (Go's default GOGC) plus the runtime.
//
// Each is extrapolated linearly to the planned orders: an estimate, good
// to a small factor, meant to catch a run that would take a day or
// exhaust the machine before it starts.
func Estimate(ctx context.Context, sc *scenarios.Scenario, shard loadgen.Shard, force bool) (*Plan, error) {
	p := &Plan{
		Scenario: sc.Name, Seed: sc.Seed,
		Orders:  sc.PlannedOrders(uint64(shard.Count)),
		Exact:   sc.Traffic.Arrivals.Process == loadgen.Uniform,
		Traffic: sc.RunLength() - sc.Drain, Drain: sc.Drain,
	}
	if err := sc.CheckPlan(uint64(shard.Count), force, "plan"); err != nil {
		p.Refusal = err.Error()
	}
	n := int64(min(max(sc.PlannedOrdersWithin(pilotWindow, uint64(shard.Count)), minPilot), maxPilot))
	small, err := pilot(ctx, sc, shard, n/2, false)
	if err != nil {
		return nil, err
	}
	large, err := pilot(ctx, sc, shard, n, true)
	if err != nil {
		return nil, err
	}
	p.PilotOrders = large.orders
	if large.orders == 0 {
		return p, nil
	}
	p.EventsPerOrder = float64(large.events) / float64(large.orders)
	p.EngineEvents = p.EventsPerOrder * p.Orders
	perEvent := float64(large.wall) / float64(max(large.events, 1))
	if de := large.events - small.events; de > 0 && large.wall > small.wall {
		perEvent = float64(large.wall-small.wall) / float64(de)
	}
	p.Wall = time.Duration(math.Min(perEvent*p.EngineEvents, math.MaxInt64/2))
	perOrder := 0.0
	if d := large.atFull.sent - large.atHalf.sent; d > 0 {
		perOrder = max(float64(large.atFull.heap)-float64(large.atHalf.heap), 0) / float64(d)
	}
	fixed := max(float64(large.atFull.heap)-perOrder*float64(large.atFull.sent), 0)
	p.PeakMemory = baseMemory + 2*(fixed+perOrder*p.Orders)
	return p, nil
}

type pilotRun struct {
	orders, events int64
	wall           time.Duration
	// The live heap when half the orders, then all of them, were sent.
	atHalf, atFull heapSample
}

type heapSample struct {
	sent int64
	heap uint64
}

func pilot(ctx context.Context, sc *scenarios.Scenario, shard loadgen.Shard, orders int64, sampleHeap bool) (pilotRun, error) {
	var pr pilotRun
	sample := func(sent int64) heapSample {
		var ms runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&ms)
		return heapSample{sent: sent, heap: ms.HeapAlloc}
	}
	var progress func(time.Duration, time.Duration, int64, int64)
	if sampleHeap {
		progress = func(_, _ time.Duration, sent, _ int64) {
			switch {
			case pr.atHalf.sent == 0 && sent >= orders/2:
				pr.atHalf = sample(sent)
			case pr.atFull.sent == 0 && sent >= orders:
				pr.atFull = sample(sent)
			}
		}
	}
	started := time.Now()
	res, events, err := world.Run(world.Options{
		Scenario: sc, Shard: shard, MaxOrders: orders, Progress: progress,
		Concurrent: runtime.GOMAXPROCS(0) > 1,
		Stop:       func() bool { return ctx.Err() != nil },
	})
	if err != nil {
		return pilotRun{}, err
	}
	if ctx.Err() != nil {
		return pilotRun{}, ctx.Err()
	}
	pr.orders, pr.events, pr.wall = res.Orders.Planned, int64(events), time.Since(started)
	return pr, nil
}

// WriteText prints the plan for people.
func (p *Plan) WriteText(w io.Writer) {
	approx := "≈ "
	kind := "expected count of Poisson arrivals"
	if p.Exact {
		approx, kind = "", "uniform arrivals: exact"
	}
	fmt.Fprintf(w, "plan: %s · seed %d · sim (nothing was run but two pilots of its first %d orders)\n\n", p.Scenario, p.Seed, p.PilotOrders)
	fmt.Fprintf(w, "  orders planned     %s%s (%s)\n", approx, count(p.Orders), kind)
	fmt.Fprintf(w, "  virtual time       %v (%v of traffic, %v of drain)\n", p.Traffic+p.Drain, p.Traffic, p.Drain)
	fmt.Fprintf(w, "  engine events      ≈ %s (%.1f per order)\n", count(p.EngineEvents), p.EventsPerOrder)
	fmt.Fprintf(w, "  wall time          ≈ %v on this machine\n", roundWall(p.Wall))
	fmt.Fprintf(w, "  peak memory        ≈ %s\n", mib(p.PeakMemory))
	if p.Refusal != "" {
		fmt.Fprintf(w, "\nrefused: %s\n", p.Refusal)
	}
}

func count(n float64) string {
	switch {
	case n >= 1e9:
		return fmt.Sprintf("%.1f billion", n/1e9)
	case n >= 1e6:
		return fmt.Sprintf("%.1f million", n/1e6)
	}
	return fmt.Sprintf("%.0f", math.Round(n))
}

func roundWall(d time.Duration) time.Duration {
	switch {
	case d >= time.Hour:
		return d.Round(time.Minute)
	case d >= time.Minute:
		return d.Round(time.Second)
	case d >= time.Second:
		return d.Round(100 * time.Millisecond)
	}
	return d.Round(time.Millisecond)
}

func mib(b float64) string {
	if b >= 1<<30 {
		return fmt.Sprintf("%.1f GiB", b/(1<<30))
	}
	return fmt.Sprintf("%.0f MiB", b/(1<<20))
}
