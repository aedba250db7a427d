package world

import (
	"github.com/busdrill/busdrill/event"
	"github.com/busdrill/busdrill/loadgen"
	"github.com/busdrill/busdrill/report"
	"github.com/busdrill/busdrill/sim"
	"github.com/busdrill/busdrill/topology"
)

// producer is the order service's publishing side: it follows the arrival
// schedule and publishes each order's Order.Created as its origin account.
type producer struct {
	w       *world
	id      int
	pending loadgen.Arrival
	entries [1]event.Entry
	results []event.Result
}

// next schedules the wake-up for the next arrival, if any.
func (p *producer) next() {
	a, ok := p.w.sched.Next()
	if !ok || sim.At(a.At) >= p.w.traffic {
		return
	}
	p.pending = a
	p.w.model.WakeAt(sim.At(a.At), p.id, 0)
}

// Wake publishes the pending order.
func (p *producer) Wake(now sim.Time, _ int64) {
	w := p.w
	a := p.pending
	o := w.factory.Order(a)
	j := w.journeys.get(a.Index)
	j.intended = sim.At(a.At)
	w.rec.Sent(a.Index, a.At, now.Duration())
	w.sent++

	p.entries[0] = w.factory.Entry(&o, loadgen.OrderCreated)
	p.entries[0].EventBusName = w.busName(o.Origin, w.trafficBus)
	resp := w.model.PutEventsTo(p.results[:0], o.Origin, p.entries[:])
	p.results = resp.Entries
	w.rec.PutEventsCall(o.Origin, now.Duration(), 1, resp.Err != nil && resp.Err.Code == event.CodeThrottling)
	switch {
	case resp.Err != nil:
		w.rec.NotSent(a.Index, resp.Err.Code)
	case resp.Entries[0].Failed():
		w.rec.NotSent(a.Index, resp.Entries[0].ErrorCode)
	default:
		w.rec.Hop(report.HopPutAck, resp.AckAt.Sub(j.intended))
	}
	p.next()
}

// busName is how account names bus (a reference) in a PutEvents entry: its
// name when the bus is its own, its ARN otherwise.
func (w *world) busName(account, bus string) string {
	owner, name, _ := topology.SplitRef(bus)
	if owner == account {
		return name
	}
	x := w.router.X
	i, _ := x.Account(owner)
	return topology.BusARN(w.model.Region(), x.T.Accounts[i].ID, name)
}
