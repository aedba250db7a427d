package backbone

import (
	"bytes"
	"runtime"
	"sort"
	"testing"
	"time"

	"github.com/busdrill/busdrill/rng"
	"github.com/busdrill/busdrill/sim"
	"github.com/busdrill/busdrill/topology"
)

// runTrace runs the order flow for 20 s of traffic with faults, archive
// and replay, and returns its JSON-lines trace.
func runTrace(t *testing.T, seed uint64) []byte { return runTraceDrawing(t, seed, false, false) }

// runTraceDrawing is runTrace, with the latencies, run times and records
// made ahead on goroutines (Params.DrawAhead) or not, and the replayed
// events given new ids (Params.ReplayNewIDs) or not.
func runTraceDrawing(t *testing.T, seed uint64, ahead, replayNewIDs bool) []byte {
	var buf bytes.Buffer
	tw := NewTraceWriter(&buf)
	p := DefaultParams()
	p.Seed = seed
	p.DrawAhead = ahead
	p.ReplayNewIDs = replayNewIDs
	p.DuplicateProbability = 0.01
	p.ArchiveLag = rng.Constant{Value: float64(time.Second)}
	p.InvocationsTPS, p.InvocationsBurst = 150, 20 // some invocation throttling
	m, _, err := newWorld(p, tw, true, 50*time.Millisecond, sim.At(20*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	must(m.SetHandlerFailureProbability("delivery/worker", 0.02))
	m.RunUntil(sim.At(2 * time.Second))
	must(m.DisableRule("bus/global", "to-delivery"))
	m.RunUntil(sim.At(4 * time.Second))
	must(m.EnableRule("bus/global", "to-delivery"))
	// Failures from mid-run on: the run times' stream, drawn ahead until
	// now, is shared with failure draws from here.
	must(m.SetHandlerFailureProbability("orders/updater", 0.1))
	m.RunUntil(sim.At(6 * time.Second))
	must(m.SetAvailability("delivery/worker", CodeThrottling))
	m.RunUntil(sim.At(7 * time.Second))
	must(m.SetAvailability("delivery/worker", CodeNoResource))
	m.RunUntil(sim.At(8 * time.Second))
	must(m.SetAvailability("delivery/worker", ""))
	must(m.RemovePermission("orders/local", "from-global"))
	m.RunUntil(sim.At(10 * time.Second))
	must(m.PutPermission("orders/local", topology.Statement{Sid: "from-global", Principal: "bus"}))
	m.RunUntil(sim.At(12 * time.Second))
	must(m.StartReplay(ReplaySpec{Name: "r", Archive: "global-all", Destination: "bus/global",
		Start: sim.Epoch, End: sim.At(5 * time.Second).Wall()}))
	if !m.RunUntilIdle(0) {
		t.Fatal("not idle")
	}
	must(tw.Flush())
	return buf.Bytes()
}

// TestDeterminism: the same seed gives a byte-identical trace, whatever
// GOMAXPROCS; another seed gives another trace.
func TestDeterminism(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	runtime.GOMAXPROCS(1)
	a := runTrace(t, 42)
	runtime.GOMAXPROCS(2)
	b := runTrace(t, 42)
	if !bytes.Equal(a, b) {
		t.Fatalf("traces differ (%d vs %d bytes)", len(a), len(b))
	}
	if bytes.Equal(a, runTrace(t, 43)) {
		t.Fatal("seed 43 gave the same trace as seed 42")
	}
	lines := bytes.Count(a, []byte("\n"))
	for _, k := range []string{"delivered", "rule-disabled", "route-lost", "retry-scheduled", "dead-lettered", "throttled", "replayed", "handler-failed", `"duplicate":true`} {
		if !bytes.Contains(a, []byte(k)) {
			t.Errorf("trace has no %s", k)
		}
	}
	t.Logf("%d trace lines, %d bytes", lines, len(a))
}

// TestDrawAheadIsByteIdentical: drawing latencies and run times and
// making records with their ids ahead on goroutines gives the trace of
// doing each when needed: a handler's failure probability set mid-run
// (draw.settle) and replays that take new ids included.
func TestDrawAheadIsByteIdentical(t *testing.T) {
	var traces [2][]byte
	for i, newIDs := range []bool{false, true} {
		want := runTraceDrawing(t, 42, false, newIDs)
		if got := runTraceDrawing(t, 42, true, newIDs); !bytes.Equal(got, want) {
			t.Fatalf("replay new ids %v: drawn ahead, the trace differs (%d vs %d bytes)", newIDs, len(got), len(want))
		}
		traces[i] = want
	}
	if bytes.Equal(traces[0], traces[1]) {
		t.Fatal("replays with new ids gave the trace of replays that keep them")
	}
}

// TestDeliveriesMatchExpectedRoutes: without faults, every event reaches
// exactly the consumers topology.ExpectedRoutes predicts (as a multiset).
func TestDeliveriesMatchExpectedRoutes(t *testing.T) {
	router, err := topology.NewRouter(orderFlowTopology(false))
	if err != nil {
		t.Fatal(err)
	}
	expected := map[string][]string{}
	got := map[string][]string{}
	obs := ObserverFunc(func(o *Observation) {
		switch o.Kind {
		case KindPublishAccepted:
			expected[o.EventID] = router.ExpectedRoutes(o.Sender, o.Bus, o.Env)
		case KindDelivered:
			got[o.EventID] = append(got[o.EventID], o.Consumer)
		case KindRouteLost, KindDropped, KindDeadLettered:
			if o.Cause != CauseUnknownBus { // accepted, routed nowhere: no route lost
				t.Errorf("unexpected %s %s", o.Kind, o.Cause)
			}
		}
	})
	m, tr, err := newWorld(DefaultParams(), obs, false, 5*time.Millisecond, sim.At(5*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	// Some publishes of other shapes, from every account.
	for _, acct := range []string{"bus", "orders", "delivery"} {
		for _, dt := range []string{"Order.Created", "Delivery.Updated", "Other"} {
			m.PutEvents(acct, eventsOf(dt))
		}
		// Unknown buses and the account's own local bus.
		for _, bus := range []string{"nope", "", "local"} {
			es := eventsOf("Order.Created")
			es[0].EventBusName = bus
			m.PutEvents(acct, es)
		}
	}
	m.RunUntilIdle(0)
	if len(expected) < 3*tr.accepted {
		t.Fatalf("only %d events for %d journeys", len(expected), tr.accepted)
	}
	for id, want := range expected {
		g := got[id]
		sort.Strings(g)
		if len(g) == 0 && len(want) == 0 {
			continue
		}
		if !equalStrings(g, want) {
			t.Fatalf("event %s: delivered to %q, expected %q", id, g, want)
		}
	}
}
