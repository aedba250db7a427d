package world

import (
	"math"

	"github.com/busdrill/busdrill/chaos"
	"github.com/busdrill/busdrill/event"
	"github.com/busdrill/busdrill/loadgen"
	"github.com/busdrill/busdrill/sim"
	"github.com/busdrill/busdrill/topology"
)

// producer is the order service's publishing side: it follows the arrival
// schedule and publishes each order's Order.Created as its origin account,
// through that account's client (retries and resends included).
type producer struct {
	w        *world
	id       int
	arrivals *arrivals
	pending  loadgen.Arrival
	// reached counts the arrivals taken from the schedule (the pending
	// one included); exhausted is set when the schedule has no arrival
	// left in the traffic window.
	reached   int64
	exhausted bool
}

// next schedules the wake-up for the next arrival, if any.
func (p *producer) next() {
	if limit := p.w.opts.MaxOrders; limit > 0 && p.reached >= limit {
		p.exhausted = true
		return
	}
	a, ok := p.arrivals.next(p.w.factory)
	if !ok || sim.At(a.At) >= p.w.traffic {
		p.exhausted = true
		return
	}
	p.reached++
	p.pending = a
	p.w.model.WakeAt(sim.At(a.At), p.id, 0)
}

// planned is the number of orders the schedule plans for this run: the
// arrivals reached, counted as the run goes (so planning costs nothing
// up front, whatever the rate). A run interrupted before its schedule
// ran out adds the orders it never reached, in closed form: the expected
// count of the rest of the traffic window (exact under uniform arrivals,
// the mean under Poisson ones), for this shard.
func (p *producer) planned() int64 {
	if p.exhausted {
		return p.reached
	}
	w := p.w
	rest := w.profile.Expected(w.traffic.Duration()) - w.profile.Expected(p.pending.At)
	return p.reached + int64(math.Round(max(rest, 0)/float64(max(w.journeys.stride, 1))))
}

// Wake publishes the pending order.
func (p *producer) Wake(now sim.Time, _ int64) {
	w := p.w
	a := p.pending
	o := w.factory.Order(a)
	j := w.journeys.start(a.Index, a.At)
	w.noteStarted(a.Index, a.At, now.Duration())
	w.sent++

	c := w.client(o.Origin)
	poison := w.faults.hit(a.At, chaos.KindPoison, "") != nil
	oversize := w.faults.hit(a.At, chaos.KindOversize, "") != nil
	var e event.Entry
	if w.lazyDetails && !oversize {
		e = w.factory.LazyEntry(&o, loadgen.OrderCreated)
		e.DetailToken = detailToken(a.Index, loadgen.OrderCreated)
	} else {
		e = w.factory.Entry(&o, loadgen.OrderCreated)
	}
	e.EventBusName = c.busName(w.trafficBus)
	if poison {
		j.flags |= flagPoison
	}
	if oversize {
		// Made larger than the request limit without being built: the
		// model refuses it for its size.
		e.DetailBytes = max(e.DetailBytes, w.maxRequestBytes+1)
		e.Tag = 0 // no longer the factory's detail (see Factory.Entry)
	}
	c.publishOne(now, &e, sent{journey: a.Index, step: int8(loadgen.OrderCreated), order: true, intended: sim.At(a.At)})
	w.retireIfIdle(a.Index)
	p.next()
}

// orderAccepted records the put_ack hop of a journey's Order.Created.
func (w *world) orderAccepted(journey uint64, ackAt sim.Time) { w.noteAcked(journey, ackAt) }

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
