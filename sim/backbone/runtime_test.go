package backbone

import (
	"strings"
	"testing"
	"time"

	"github.com/busdrill/busdrill/event"
	"github.com/busdrill/busdrill/pattern"
	"github.com/busdrill/busdrill/rng"
	"github.com/busdrill/busdrill/sim"
	"github.com/busdrill/busdrill/topology"
)

// runtimeModel is an empty model of one account, with constant latencies
// and a one-second control-plane lag, recording what happens as
// "kind consumer|queue cause" lines.
func runtimeModel(t *testing.T) (*Model, *[]string) {
	t.Helper()
	tp := &topology.Topology{Accounts: []topology.Account{{Name: "a", ID: "111111111111"}}}
	p := DefaultParams()
	c := rng.Constant{Value: float64(10 * time.Millisecond)}
	p.Latency = Latency{Ack: c, Ingest: c, Forward: c, Deliver: c, Invoke: c}
	p.ControlPlaneLag = time.Second
	p.Backoff = Backoff{Base: time.Second, Cap: time.Second}
	var seen []string
	m, err := New(tp, p, ObserverFunc(func(o *Observation) {
		switch o.Kind {
		case KindDelivered, KindDeadLettered, KindDropped, KindRetryScheduled:
			seen = append(seen, strings.Join(strings.Fields(o.Kind.String()+" "+o.Consumer+" "+o.Queue+" "+o.Cause), " "))
		}
	}))
	if err != nil {
		t.Fatal(err)
	}
	return m, &seen
}

func put(t *testing.T, m *Model, account, bus string) {
	t.Helper()
	r := m.PutEvents(account, []event.Entry{{EventBusName: bus, Source: "s", DetailType: "T", Detail: []byte(`{}`)}})
	if r.Err != nil || r.FailedEntryCount != 0 {
		t.Fatalf("PutEvents: %+v", r)
	}
}

func advance(m *Model, d time.Duration) { m.RunUntil(m.Now().Add(d)) }

// The runtime control plane, step by step: what exists at once (accounts,
// buses, queues), what takes the lag (rules, targets, policies), and what
// happens to events in flight when things go away.
func TestRuntimeControlPlane(t *testing.T) {
	m, seen := runtimeModel(t)
	any := pattern.MustCompile(`{"source":["s"]}`)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	b := m.AddAccount(topology.Account{Name: "b", ID: "222222222222"})
	if b2 := m.AddAccount(topology.Account{Name: "222222222222", ID: "222222222222"}); b2 != b {
		t.Fatalf("AddAccount of a known id gave %d, want %d", b2, b)
	}
	must(m.CreateBus("a/main"))
	if err := m.CreateBus("a/main"); err == nil || !strings.Contains(err.Error(), CodeResourceExists) {
		t.Fatalf("second CreateBus: %v", err)
	}
	must(m.CreateQueue("a/q"))
	must(m.PutRule("a/main", "r", any, true))
	must(m.PutTarget("a/main", "r", TargetSpec{ID: "t", Kind: topology.KindQueue, Queue: "a/q", DLQ: "a/dlq"}))
	// Before the lag the rule does not exist yet: the event goes nowhere.
	put(t, m, "a", "main")
	advance(m, 500*time.Millisecond)
	if len(*seen) != 0 {
		t.Fatalf("before the lag: %v", *seen)
	}
	advance(m, time.Second)
	put(t, m, "a", "main")
	advance(m, time.Second)
	want := []string{"delivered a/main/r/t a/q"}
	if strings.Join(*seen, ";") != strings.Join(want, ";") {
		t.Fatalf("after the lag: %v, want %v", *seen, want)
	}

	// A deleted queue: NO_RESOURCE, not retried; the DLQ does not exist
	// either, so the event is dropped and counted.
	*seen = nil
	must(m.DeleteQueue("a/q"))
	put(t, m, "a", "main")
	advance(m, time.Second)
	if got := strings.Join(*seen, ";"); got != "dropped a/main/r/t NO_RESOURCE" {
		t.Fatalf("deleted queue: %q", got)
	}
	if !hasMetric(m, "a/main/r", "InvocationsFailedToBeSentToDlq", 1) {
		t.Fatalf("metrics: %v", m.Metrics())
	}

	// A cross-account forward is refused until the policy allows it.
	*seen = nil
	must(m.CreateQueue("a/q"))
	must(m.CreateBus("b/local"))
	must(m.CreateQueue("b/in"))
	must(m.PutRule("b/local", "all", any, true))
	must(m.PutTarget("b/local", "all", TargetSpec{ID: "in", Kind: topology.KindQueue, Queue: "b/in"}))
	must(m.PutTarget("a/main", "r", TargetSpec{ID: "fwd", Kind: topology.KindBus, Bus: "b/local", Role: "role"}))
	advance(m, 2*time.Second)
	put(t, m, "a", "main")
	advance(m, time.Second)
	must(m.SetPolicy("b/local", []topology.Statement{{Sid: "from-a", Principal: "111111111111", Action: topology.ActionPutEvents}}))
	advance(m, 2*time.Second)
	put(t, m, "a", "main")
	advance(m, time.Second)
	want = []string{"delivered a/main/r/t a/q", "dropped NO_PERMISSIONS", "delivered a/main/r/t a/q", "delivered b/local/all/in b/in"}
	if got := strings.Join(*seen, ";"); got != strings.Join(want, ";") {
		t.Fatalf("cross account:\n got %v\nwant %v", *seen, want)
	}

	// A retry of a target removed in the meantime is dropped, and the slot
	// reused by a new target does not receive it.
	*seen = nil
	must(m.SetAvailability("a/main/r/t", CodeThrottling))
	put(t, m, "a", "main")
	advance(m, 20*time.Millisecond) // first attempt failed; retry in 1 s
	must(m.RemoveTarget("a/main", "r", "t"))
	must(m.RemoveTarget("a/main", "r", "fwd"))
	advance(m, 1100*time.Millisecond) // removal applied
	must(m.PutTarget("a/main", "r", TargetSpec{ID: "t2", Kind: topology.KindQueue, Queue: "a/q"}))
	advance(m, 2*time.Second)
	want = []string{"retry-scheduled a/main/r/t THROTTLING", "delivered b/local/all/in b/in", "dropped target-removed"}
	if got := strings.Join(*seen, ";"); got != strings.Join(want, ";") {
		t.Fatalf("removed target:\n got %v\nwant %v", *seen, want)
	}

	// Deleting the rule and the bus: events to a deleted bus are accepted
	// and dropped (AWS accepts an unknown bus of the sender's own account).
	*seen = nil
	must(m.DeleteRule("a/main", "r"))
	advance(m, 2*time.Second)
	put(t, m, "a", "main")
	advance(m, time.Second)
	must(m.DeleteBus("a/main"))
	put(t, m, "a", "main")
	advance(m, time.Second)
	if got := strings.Join(*seen, ";"); got != "dropped unknown-bus" {
		t.Fatalf("deleted rule and bus: %q", got)
	}
	must(m.CreateBus("a/main"))
	if next := m.NextEventTime(); next != sim.Never {
		t.Fatalf("work left: next event at %v", next)
	}
}

func hasMetric(m *Model, scope, name string, v uint64) bool {
	for _, x := range m.Metrics() {
		if x.Scope == scope && x.Name == name && x.Value == v {
			return true
		}
	}
	return false
}

// Params.Epoch sets the envelope time of an event published at virtual
// time t to Epoch + t.
func TestEpoch(t *testing.T) {
	tp := &topology.Topology{Accounts: []topology.Account{{Name: "a", ID: "111111111111"}}, Buses: []topology.Bus{{Account: "a", Name: "default",
		Rules: []topology.Rule{{Name: "r", Pattern: `{"source":["s"]}`, Targets: []topology.Target{{ID: "l", Kind: topology.KindLog, Log: "l"}}}}}}}
	p := DefaultParams()
	p.Epoch = time.Date(2030, 5, 1, 12, 0, 0, 0, time.UTC)
	var got time.Time
	m, err := New(tp, p, ObserverFunc(func(o *Observation) {
		if o.Kind == KindDelivered {
			got = o.Env.Time
		}
	}))
	if err != nil {
		t.Fatal(err)
	}
	m.RunUntil(sim.At(3 * time.Second))
	put(t, m, "a", "")
	m.RunUntilIdle(0)
	if want := p.Epoch.Add(3 * time.Second); !got.Equal(want) {
		t.Fatalf("envelope time %v, want %v", got, want)
	}
}
