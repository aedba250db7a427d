package backbone

import (
	"bytes"
	"testing"
	"time"

	"github.com/busdrill/busdrill/event"
	"github.com/busdrill/busdrill/rng"
	"github.com/busdrill/busdrill/sim"
)

// faultFreeTrace runs the order flow with faults of the older kinds and
// returns its trace without control-applied lines; neutral, when set,
// calls every fault hook with a setting that changes nothing (while
// drawing from the fault streams where it can) along the way.
func faultFreeTrace(t *testing.T, neutral bool) []byte {
	var buf bytes.Buffer
	tw := NewTraceWriter(&buf)
	tw.Filter = func(o *Observation) bool { return o.Kind != KindControlApplied }
	p := DefaultParams()
	p.Seed = 7
	p.DuplicateProbability = 0.01
	p.InvocationsTPS, p.InvocationsBurst = 150, 20
	m, _, err := newWorld(p, tw, false, 50*time.Millisecond, sim.At(10*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	zero := rng.Uniform{Min: 0, Max: 0} // draws, adds nothing
	apply := func() {
		if !neutral {
			return
		}
		for _, a := range []string{"bus", "orders", "delivery"} {
			must(m.SetEntryFailure(a, event.CodeInternalFailure, 0))
			must(m.SetPutEventsQuota(a, 0, 0))
			must(m.SetInvocationsQuota(a, 150, 20))
		}
		for _, h := range hopNames {
			must(m.SetExtraLatency(h, zero))
		}
		must(m.SetExtraLatencyAt(HopInvoke, "delivery/worker", zero))
		must(m.SetExtraLatencyAt(HopIngest, "orders/local", zero))
		must(m.SetExtraLatencyAt(HopAck, "bus", zero))
		must(m.SetDuplicateProbability(-1))
		for _, h := range []string{"delivery/worker", "orders/updater"} {
			must(m.StallHandler(h, false))
			must(m.SetPoison(h, func(*event.Envelope) bool { return false }))
		}
		if _, err := m.Redrive("orders/audit", 0); err != nil {
			t.Fatal(err)
		}
	}
	apply()
	must(m.SetHandlerFailureProbability("delivery/worker", 0.02))
	m.RunUntil(sim.At(3 * time.Second))
	apply()
	must(m.SetAvailability("delivery/worker", CodeThrottling))
	m.RunUntil(sim.At(5 * time.Second))
	apply()
	must(m.SetAvailability("delivery/worker", ""))
	m.RunUntil(sim.At(7 * time.Second))
	apply()
	if !m.RunUntilIdle(0) {
		t.Fatal("not idle")
	}
	must(tw.Flush())
	return buf.Bytes()
}

// TestNeutralFaultsChangeNothing: fault hooks set to no effect leave the
// trace byte-identical (but for their control-applied lines): they draw
// only from streams of their own.
func TestNeutralFaultsChangeNothing(t *testing.T) {
	a, b := faultFreeTrace(t, false), faultFreeTrace(t, true)
	if !bytes.Equal(a, b) {
		t.Fatalf("neutral faults changed the trace (%d vs %d bytes)", len(a), len(b))
	}
	if !bytes.Contains(a, []byte("retry-scheduled")) || !bytes.Contains(a, []byte(`"duplicate":true`)) {
		t.Fatal("the run shows no retries or duplicates: not a useful comparison")
	}
}

// TestDuplicateProbabilityRestore: a negative probability restores the
// configured one, not 0.
func TestDuplicateProbabilityRestore(t *testing.T) {
	p := DefaultParams()
	p.DuplicateProbability = 0.25
	m, _, err := newWorld(p, nil, false, time.Second, 0)
	if err != nil {
		t.Fatal(err)
	}
	if got := m.DuplicateProbability(); got != 0.25 {
		t.Fatalf("DuplicateProbability() = %g", got)
	}
	for _, set := range []float64{1, 0, -1} {
		if err := m.SetDuplicateProbability(set); err != nil {
			t.Fatal(err)
		}
	}
	if got := m.DuplicateProbability(); got != 0.25 {
		t.Fatalf("after restore: %g, want 0.25", got)
	}
}

// TestFaultHookErrors: hooks refuse unknown references and bad values,
// changing nothing.
func TestFaultHookErrors(t *testing.T) {
	m, _, err := newWorld(DefaultParams(), nil, false, time.Second, 0)
	if err != nil {
		t.Fatal(err)
	}
	for name, err := range map[string]error{
		"quota unknown account":   m.SetPutEventsQuota("nope", 1, 1),
		"quota negative burst":    m.SetInvocationsQuota("bus", 1, -1),
		"entry unknown account":   m.SetEntryFailure("nope", event.CodeInternalFailure, 0.5),
		"entry bad code":          m.SetEntryFailure("bus", "AccessDeniedException", 0.5),
		"entry bad p":             m.SetEntryFailure("bus", event.CodeInternalFailure, -0.1),
		"dup bad p":               m.SetDuplicateProbability(1.5),
		"latency bad hop":         m.SetExtraLatency("wire", rng.Constant{Value: 1}),
		"latency unknown ref":     m.SetExtraLatencyAt(HopDeliver, "nope/q", rng.Constant{Value: 1}),
		"latency wrong hop":       m.SetExtraLatencyAt(HopForward, "orders/audit", rng.Constant{Value: 1}),
		"stall unknown handler":   m.StallHandler("nope/h", true),
		"poison unknown handler":  m.SetPoison("nope/h", nil),
		"redrive unknown queue":   func() error { _, err := m.Redrive("nope/q", 0); return err }(),
		"quota unknown by id too": m.SetPutEventsQuota("000000000000", 1, 1),
	} {
		if err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if m.fault.lat {
		t.Error("a refused latency fault was recorded")
	}
	if err := m.SetEntryFailure("bus", "", 0); err != nil {
		t.Errorf("restore with no code: %v", err)
	}
	if _, ok := m.Statement("nope/b", "x"); ok {
		t.Error("Statement of an unknown bus")
	}
	if got := m.DLQMessages("nope/q"); got != nil {
		t.Errorf("DLQMessages of an unknown queue: %v", got)
	}
}
