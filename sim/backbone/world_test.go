package backbone

import (
	"time"

	"github.com/busdrill/busdrill/event"
	"github.com/busdrill/busdrill/rng"
	"github.com/busdrill/busdrill/sim"
	"github.com/busdrill/busdrill/topology"
)

// orderFlowTopology is the reference backbone with the order flow: the
// delivery service's handler consumes Order.Created and publishes
// Delivery.Updated; the order service's handler consumes Delivery.Updated
// and publishes Order.Updated. Both services also have a queue consumer,
// and, with archive, the global bus an archive.
func orderFlowTopology(archive bool) *topology.Topology {
	tp := topology.Reference(2,
		topology.Service{Name: "orders", Handlers: []string{"updater"}, Queues: []string{"audit"}, Rules: []topology.Rule{
			{Name: "delivery-updates", Pattern: `{"detail-type":["Delivery.Updated"]}`, Targets: []topology.Target{
				{ID: "handler", Kind: topology.KindHandler, Handler: "orders/updater"},
			}},
			{Name: "audit", Pattern: `{"source":[{"prefix":"busdrill."}],"detail":{"metadata":{"run":[{"exists":true}]}}}`, Targets: []topology.Target{
				{ID: "q", Kind: topology.KindQueue, Queue: "orders/audit"},
			}},
		}},
		topology.Service{Name: "delivery", Handlers: []string{"worker"}, Queues: []string{"dlq"}, Rules: []topology.Rule{
			{Name: "orders-created", Pattern: `{"detail-type":["Order.Created"]}`, Targets: []topology.Target{
				{ID: "handler", Kind: topology.KindHandler, Handler: "delivery/worker", DLQ: "delivery/dlq",
					Retry: topology.RetryPolicy{MaximumRetryAttempts: topology.Int(3)}},
			}},
		}},
	)
	if archive {
		tp.Archives = append(tp.Archives, topology.Archive{Name: "global-all", Bus: "bus/global"})
	}
	return tp
}

var (
	detailCreated = []byte(`{"metadata":{"run":"r1"},"data":{"order":"o-1","amount":12.5}}`)
	detailUpdated = []byte(`{"metadata":{"run":"r1"},"data":{"status":"dispatched"}}`)
	detailOrder   = []byte(`{"metadata":{"run":"r1"},"data":{"status":"delivering"}}`)
)

// replier is handler business logic that publishes one entry per
// successful run, reusing its buffers (no allocation).
type replier struct {
	entries []event.Entry
	results []event.Result
}

func newReplier(dt string, detail []byte) *replier {
	return &replier{entries: []event.Entry{{EventBusName: "bus/global", Source: "busdrill.service", DetailType: dt, Detail: detail}}}
}

func (r *replier) onSuccess(c *HandlerCall) {
	r.results = c.PutEventsTo(r.results, r.entries).Entries
}

// traffic publishes Order.Created as the orders account at a fixed rate:
// the benchmark's and the determinism test's load generator.
type traffic struct {
	m        *Model
	id       int
	every    time.Duration
	until    sim.Time
	entries  []event.Entry
	results  []event.Result
	accepted int
}

func (tr *traffic) Wake(now sim.Time, _ int64) {
	resp := tr.m.PutEventsTo(tr.results, "orders", tr.entries)
	tr.results = resp.Entries
	if resp.Err == nil {
		tr.accepted += len(resp.Entries) - resp.FailedEntryCount
	}
	if next := now.Add(tr.every); next <= tr.until {
		tr.m.WakeAt(next, tr.id, 0)
	}
}

// newWorld builds the order-flow model with handler specs and starts
// traffic every `every` until `until`.
func newWorld(p Params, obs Observer, archive bool, every time.Duration, until sim.Time) (*Model, *traffic, error) {
	p.Handlers = []HandlerSpec{
		{Handler: "delivery/worker", Process: rng.LogNormal{Median: 50e6, P99: 500e6}, OnSuccess: newReplier("Delivery.Updated", detailUpdated).onSuccess},
		{Handler: "orders/updater", Process: rng.LogNormal{Median: 20e6, P99: 100e6}, OnSuccess: newReplier("Order.Updated", detailOrder).onSuccess},
	}
	m, err := New(orderFlowTopology(archive), p, obs)
	if err != nil {
		return nil, nil, err
	}
	tr := &traffic{m: m, every: every, until: until,
		entries: []event.Entry{{EventBusName: "bus/global", Source: "busdrill.orders", DetailType: "Order.Created", Detail: detailCreated}}}
	tr.id = m.AddWaker(tr)
	m.WakeAt(0, tr.id, 0)
	return m, tr, nil
}

func eventsOf(dt string) []event.Entry {
	return []event.Entry{{EventBusName: "bus/global", Source: "busdrill.test", DetailType: dt, Detail: detailCreated}}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
