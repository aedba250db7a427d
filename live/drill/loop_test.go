package drill

import (
	"container/heap"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/busdrill/busdrill/chaos"
	"github.com/busdrill/busdrill/event"
	"github.com/busdrill/busdrill/internal/clock"
	"github.com/busdrill/busdrill/live/config"
	"github.com/busdrill/busdrill/live/provision"
	"github.com/busdrill/busdrill/loadgen"
	"github.com/busdrill/busdrill/report"
	"github.com/busdrill/busdrill/rng"
	"github.com/busdrill/busdrill/scenarios"
	"github.com/busdrill/busdrill/topology"
)

// The live runtime's logic in virtual time: these tests drive the event
// loop — the stand-ins, the journey core, the ledger — with the messages
// its I/O goroutines would post, on a manual clock, against a fake AWS
// that routes events with the scenario's topology (the one-hop rule, and
// what the test's faults block). No goroutine, no sleep, no wall clock.

// harness is a live run's loop with a fake AWS around it.
type harness struct {
	t      *testing.T
	l      *loop
	clock  *clock.Manual
	start  time.Time
	ids    int
	router *topology.Router
	// blocked is the fake AWS's state: what it refuses to route.
	blocked topology.Blocked
	// refuse, when set, fails a publication with this error code.
	refuse func(it *item) string
}

func newHarness(t *testing.T, name string, edit func(*scenarios.Scenario)) *harness {
	t.Helper()
	sc, err := scenarios.Builtin(name)
	if err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		edit(sc)
	}
	cfg := config.Rehearsal(sc.Topology)
	layout, err := provision.NewLayout(sc, cfg, "vt-1", loadgen.Shard{})
	if err != nil {
		t.Fatal(err)
	}
	clk := clock.NewManual(time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))
	d := &Drill{opts: Options{Scenario: sc, Layout: layout, Log: io.Discard}, clock: clk, inbox: make(chan msg, 16)}
	d.emits.notify = make(chan struct{}, 1)
	router, err := topology.NewRouter(layout.Topology)
	if err != nil {
		t.Fatal(err)
	}
	f, err := loadgen.NewFactory(loadgen.FactoryConfig{RunID: layout.RunID, Payload: sc.Traffic.Payload, Origins: sc.Traffic.Origins}, rng.NewStreams(sc.Seed))
	if err != nil {
		t.Fatal(err)
	}
	rec := report.NewRecorder(report.Config{Scenario: sc.Name, Target: "aws", Seed: sc.Seed, Traffic: time.Minute, Cutoff: 2 * time.Minute})
	l, err := newLoop(d, rec, router, f, rand.New(rand.NewPCG(1, 2)), 10*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	l.start, l.traffic, l.cutoff = clk.Now(), time.Minute, 2*time.Minute
	return &harness{t: t, l: l, clock: clk, start: clk.Now(), router: router}
}

func (h *harness) at(d time.Duration) { h.clock.Advance(h.start.Add(d).Sub(h.clock.Now())) }

// order sends journey j's Order.Created, intended at intended.
func (h *harness) order(j uint64, intended time.Duration) {
	f := h.l.factory
	o := f.Order(loadgen.Arrival{Index: j, At: intended})
	e := f.Entry(&o, loadgen.OrderCreated)
	h.publish(item{sender: o.Origin, bus: h.l.d.opts.Scenario.Traffic.Bus, entry: e, journey: j,
		kind: loadgen.OrderCreated, intended: intended, order: true}, intended)
}

// publish is the fake AWS taking an item at time at: it acknowledges it
// 5 ms later (or fails it), and delivers it 20 ms later to every probe
// its routes still reach.
func (h *harness) publish(it item, at time.Duration) {
	l := h.l
	b := &batch{sender: it.sender, items: []item{it}}
	l.handle(msg{kind: msgStarted, batch: b, at: at})
	if h.refuse != nil {
		if code := h.refuse(&it); code != "" {
			l.handle(msg{kind: msgDone, batch: b, results: []result{{code: code}}, calls: []callRec{{at: at, entries: 1}}})
			return
		}
	}
	h.ids++
	id := fmt.Sprintf("event-%d", h.ids)
	l.handle(msg{kind: msgDone, batch: b, results: []result{{id: id, ack: at + 5*time.Millisecond}}, calls: []callRec{{at: at, entries: 1}}})
	env := event.Envelope{DetailType: it.entry.DetailType, Source: it.entry.Source, Account: l.scenarioID(it.sender),
		Region: h.router.Region, Detail: it.entry.Detail}
	for p, probe := range l.layout.Probes {
		if !h.reaches(it, &env, probe.Consumer) {
			continue
		}
		l.handle(msg{kind: msgDelivery, delivery: delivery{probe: p, at: at + 20*time.Millisecond, id: id,
			detailType: env.DetailType, source: env.Source, account: env.Account, detail: env.Detail}})
	}
}

// reaches is the fake AWS's routing: the consumer is on the event's
// nominal routes and nothing cuts it.
func (h *harness) reaches(it item, env *event.Envelope, consumer string) bool {
	routes := h.router.ExpectedRoutes(it.sender, it.bus, env)
	for _, c := range routes {
		if c == consumer {
			return h.router.LossCause(it.sender, it.bus, env, consumer, h.blocked) == ""
		}
	}
	return false
}

// settle lets virtual time run: the stand-ins' timers fire in order and
// what they publish goes through the fake AWS, until nothing is left.
func (h *harness) settle() {
	l := h.l
	for {
		var emits []item
		emits = l.d.emits.take(emits)
		for _, it := range emits {
			h.publish(it, l.now())
		}
		if len(emits) > 0 {
			continue
		}
		if len(l.timers) == 0 {
			return
		}
		tm := heap.Pop(&l.timers).(timed)
		h.at(tm.at)
		tm.fn(tm.at)
	}
}

func (h *harness) finish() *report.Results {
	res, _ := h.l.finish()
	return res
}

// route returns the ledger's route from → to.
func route(t *testing.T, r *report.Results, from, to string) report.Route {
	t.Helper()
	for _, rt := range r.Ledger.Routes {
		if rt.From == from && rt.To == to {
			return rt
		}
	}
	t.Fatalf("no route %s → %s in %+v", from, to, r.Ledger.Routes)
	return report.Route{}
}

const probe = "/busdrill-probe/probe"

// TestLiveJourneyInVirtualTime: three orders through the reference
// backbone: the stand-ins play delivery and orders, every journey
// completes, every hop is measured once per journey, and each probe route
// balances with everything delivered.
func TestLiveJourneyInVirtualTime(t *testing.T) {
	h := newHarness(t, "reference", nil)
	for j := range uint64(3) {
		h.at(time.Duration(j) * 50 * time.Millisecond)
		h.order(j, time.Duration(j)*50*time.Millisecond)
	}
	h.settle()
	r := h.finish()
	if r.Orders.Sent != 3 || r.Orders.Completed != 3 || !r.Ledger.Balanced {
		t.Fatalf("orders %+v balanced %v: %+v", r.Orders, r.Ledger.Balanced, r.Ledger.Routes)
	}
	for _, hop := range report.Hops {
		if n := r.Latency[hop].Count; n != 3 {
			t.Errorf("hop %s measured %d times, want 3", hop, n)
		}
	}
	// orders publishes Order.Created and Order.Updated, delivery
	// Delivery.Updated; each reaches two probes.
	for _, rt := range r.Ledger.Routes {
		want := int64(3)
		if rt.From == "orders" {
			want = 6
		}
		if rt.Expected != want || rt.Delivered != want {
			t.Errorf("route %+v: want %d expected and delivered", rt, want)
		}
	}
	if len(r.Ledger.Routes) != 4 {
		t.Errorf("routes %+v: want orders and delivery each to the global probe and the other's local probe", r.Ledger.Routes)
	}
}

// TestLiveRelaysAndPatternServices: the autonomous subsystems' gateways
// (relays fed by pattern rules) play live: journeys cross both
// subsystems and complete.
func TestLiveRelaysAndPatternServices(t *testing.T) {
	h := newHarness(t, "autonomous-subsystems", nil)
	h.order(0, 0)
	h.settle()
	r := h.finish()
	if r.Orders.Completed != 1 || !r.Ledger.Balanced {
		t.Fatalf("orders %+v balanced %v: %+v", r.Orders, r.Ledger.Balanced, r.Ledger.Routes)
	}
	// Order.Created crossed to fulfilment through two relays: the hub's
	// copy is sales-egress's, the ingress bus's the hub's forward of it,
	// the internal bus's fulfilment-ingress's own publication.
	if rt := route(t, r, "fulfilment", "fulfilment/internal"+probe); rt.Delivered == 0 {
		t.Errorf("fulfilment's internal bus saw nothing of fulfilment-ingress: %+v", rt)
	}
}

// TestLiveRefusedHop: a forward EventBridge refuses (a second bus-to-bus
// hop) is booked once, lost with THIRD_ACCOUNT_HOP_DETECTED on the routes
// it cut, as the simulator books it.
func TestLiveRefusedHop(t *testing.T) {
	h := newHarness(t, "hop-limit-chain", nil)
	h.order(0, 0)
	h.settle()
	r := h.finish()
	lost := int64(0)
	for _, rt := range r.Ledger.Routes {
		lost += rt.Dropped[topology.CodeThirdAccountHop]
		if rt.InFlight != 0 || rt.Unexpected != 0 {
			t.Errorf("route %+v: the refused hop must be lost, once", rt)
		}
	}
	if lost == 0 || !r.Ledger.Balanced {
		t.Errorf("refused hop: %d lost, balanced %v: %+v", lost, r.Ledger.Balanced, r.Ledger.Routes)
	}
}

// TestLiveDisabledRule: deliveries a rule the run disabled cut are lost
// with rule-disabled; those published outside its window are delivered.
func TestLiveDisabledRule(t *testing.T) {
	h := newHarness(t, "reference", nil)
	g, _ := h.router.X.Bus("bus/global")
	rule := -1
	for i, r := range h.router.X.T.Buses[g].Rules {
		if r.Name == "to-delivery" {
			rule = i
		}
	}
	h.l.handle(msg{kind: msgFault, fault: report.Fault{Name: "off", Kind: chaos.KindDisable, Target: "bus/global/to-delivery", StartMs: 1000, EndMs: 2000}})
	h.blocked = topology.Blocked{RuleDisabled: func(b, i int) bool { return b == g && i == rule }}
	h.at(1500 * time.Millisecond)
	h.order(0, 1500*time.Millisecond) // inside the window
	h.settle()
	h.blocked = topology.Blocked{}
	h.at(3 * time.Second)
	h.order(1, 3*time.Second) // after it
	h.settle()
	r := h.finish()
	rt := route(t, r, "orders", "delivery/local"+probe)
	if rt.Dropped[topology.CauseRuleDisabled] != 1 || rt.Delivered != 2 || rt.InFlight != 0 {
		// order 0's Order.Created is cut; order 1's Order.Created and
		// Order.Updated reach delivery/local.
		t.Errorf("route %+v: want 1 lost to the disabled rule, 2 delivered", rt)
	}
	if r.Orders.Completed != 1 || !r.Ledger.Balanced {
		t.Errorf("orders %+v balanced %v", r.Orders, r.Ledger.Balanced)
	}
}

// TestLiveGiveUpAndDLQ: a publish the producer gave up loses its probe
// routes with its cause (and the order is not sent); a dead-lettered
// forward loses the routes downstream of its target, dead-lettered, once,
// with no expected delivery of its own on the DLQ's route.
func TestLiveGiveUpAndDLQ(t *testing.T) {
	h := newHarness(t, "local-permission-revoked", nil)
	h.refuse = func(it *item) string {
		if it.journey == 0 {
			return "AccessDeniedException"
		}
		return ""
	}
	h.order(0, 0)
	// Order 1's forward to delivery/local is refused for its policy and
	// dead-lettered.
	d, _ := h.router.X.Bus("delivery/local")
	h.blocked = topology.Blocked{DeniedCode: deniedCode, Policy: func(b int) []topology.Statement {
		if b == d {
			return []topology.Statement{}
		}
		return nil
	}}
	h.at(time.Second)
	h.order(1, time.Second)
	h.blocked = topology.Blocked{}
	f := h.l.factory
	o := f.Order(loadgen.Arrival{Index: 1, At: time.Second})
	e := f.Entry(&o, loadgen.OrderCreated)
	var dlq provision.DLQ
	for _, q := range h.l.layout.DLQs {
		dlq = q
	}
	l := h.l
	bus := l.layout.Bus("bus/global")
	l.deadLettered(dlq, delivery{at: 2 * time.Second, id: "event-x", detailType: e.DetailType, source: e.Source,
		account: l.scenarioID("orders"), detail: e.Detail, errorCode: "NO_PERMISSIONS",
		ruleARN:   topology.RuleARN(l.layout.Region, bus.ID, bus.Name, "to-delivery"),
		targetARN: l.layout.Bus("delivery/local").ARN})
	r := h.finish()
	if r.Orders.NotSentCauses["AccessDeniedException"] != 1 {
		t.Errorf("orders %+v: want order 0 not sent, AccessDeniedException", r.Orders)
	}
	rt := route(t, r, "orders", "delivery/local"+probe)
	if rt.Dropped["AccessDeniedException"] != 1 || rt.DLQCauses["NO_PERMISSIONS"] != 1 || rt.Expected != 2 || rt.InFlight != 0 {
		t.Errorf("route %+v: want order 0 lost to AccessDeniedException, order 1 dead-lettered NO_PERMISSIONS", rt)
	}
	for _, rt := range r.Ledger.Routes {
		if !strings.HasSuffix(rt.To, probe) {
			t.Errorf("a DLQ message booked a route of its own: %+v", rt)
		}
	}
}
