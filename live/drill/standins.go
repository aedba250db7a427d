package drill

import (
	"bytes"
	"container/heap"
	"fmt"
	"time"

	"github.com/busdrill/busdrill/actors"
	"github.com/busdrill/busdrill/event"
	"github.com/busdrill/busdrill/loadgen"
	"github.com/busdrill/busdrill/rng"
	"github.com/busdrill/busdrill/topology"
)

// standIns plays the scenario's services in a live run: every service
// kind the scenario format has (on:, pattern:, relays, services playing a
// declared handler), through the logic every world shares
// (actors.Service). A real Lambda target is fed by its rule; a stand-in is
// fed by the probe on that rule's bus: when the probe sees an event the
// rule's pattern matches (the same compiled matcher the simulator uses),
// the stand-in works for its processing time, then decides and publishes
// as its account. Stand-ins act only on their shard's journeys, and model
// neither concurrency limits nor failures (the live chaos actuators do
// that to the real thing).
type standIns struct {
	l *loop
	// byBus[b] are the stand-ins fed by rules of bus b (router index).
	byBus [][]feed
	// probeOf maps a router bus index to its probe, -1 when none.
	probeOf []int
	scratch struct {
		env event.Envelope
		pub actors.Publication
	}
}

// feed is a rule invoking a stand-in's handler.
type feed struct {
	rule     int
	svc      *standIn
	consumer string // the handler target's reference
}

type standIn struct {
	core    *actors.Service
	process rng.Dist
	// first: the service consumes Order.Created (its acceptance and run
	// are the journey's middle hops, as in the simulator).
	first bool
}

func newStandIns(l *loop) (*standIns, error) {
	o := l.d.opts
	x := l.router.X
	si := &standIns{l: l, byBus: make([][]feed, len(x.T.Buses)), probeOf: make([]int, len(x.T.Buses))}
	for b := range si.probeOf {
		si.probeOf[b] = -1
	}
	for i, p := range o.Layout.Probes {
		if b, ok := x.Bus(p.Bus.Ref); ok {
			si.probeOf[b] = i
		}
	}
	if o.ObserveOnly {
		return si, nil
	}
	stride := max(o.Layout.Shard.Count, 1)
	for _, s := range o.Scenario.Services {
		core, err := actors.NewService(s, l.factory, stride)
		if err != nil {
			return nil, err
		}
		st := &standIn{core: core, first: s.On == l.types[loadgen.OrderCreated], process: s.Processing}
		if st.process == nil {
			st.process = rng.NewLogNormal(float64(20*time.Millisecond), float64(200*time.Millisecond))
		}
		fed := false
		for b := range x.T.Buses {
			bus := &x.T.Buses[b]
			for i := range bus.Rules {
				for k, tg := range bus.Rules[i].Targets {
					if tg.Kind != topology.KindHandler || tg.Handler != s.Handler {
						continue
					}
					if si.probeOf[b] < 0 {
						return nil, fmt.Errorf("drill: service %s is fed by a rule of %s, which has no probe; add it to probes.buses or run with observe-only", s.Name, bus.Ref())
					}
					si.byBus[b] = append(si.byBus[b], feed{rule: i, svc: st, consumer: l.router.TargetRef(b, i, k)})
					fed = true
				}
			}
		}
		if !fed {
			return nil, fmt.Errorf("drill: no rule invokes service %s's handler %s: it would never play", s.Name, s.Handler)
		}
	}
	return si, nil
}

// observe handles one event a probe received: the ledger and the
// journey's hops, then the stand-ins the event reaches.
func (l *loop) observe(dv delivery) {
	if dv.at > l.cutoff || !bytes.Contains(dv.detail, l.runKey) {
		l.foreign++
		return
	}
	jid, ok := loadgen.JourneyOf(dv.detail)
	k, isStep := l.factory.KindOf(dv.detailType)
	if !ok || !isStep || !l.shard.Owns(jid) {
		l.foreign++ // another shard's, or not a journey event
		return
	}
	p := l.layout.Probes[dv.probe]
	sender := l.senderOfDelivery(dv, jid, k)
	l.rec.Invocation(p.Bus.Account, dv.at)
	l.ledger.delivered(dv, sender, jid, k)
	l.rec.Consumed(p.Consumer, dv.id, jid, dv.detailType, dv.at)
	if _, mine := l.mine(jid); !mine {
		return
	}
	switch k {
	case loadgen.DeliveryUpdated:
		if j, _ := l.mine(jid); l.d.opts.ObserveOnly && j.Flags&flagSeenDU == 0 {
			// The real service worked: Delivery.Updated seen is both the
			// end of its run and its publication.
			j.Flags |= flagSeenDU
			l.journeys.Handled(jid, dv.at)
			l.journeys.Emitted(jid, dv.at)
		}
	case loadgen.OrderUpdated:
		l.journeys.Complete(jid, dv.at)
	}
	l.standIns.feed(dv, sender, jid, k)
}

// senderOfDelivery is the account that published the copy a probe saw:
// the envelope's account when it names a scenario account (a relay's
// copy is its own publication), else the step's sender by the scenario.
func (l *loop) senderOfDelivery(dv delivery, jid uint64, k loadgen.Kind) string {
	for _, a := range l.layout.Accounts {
		if a.ID == dv.account {
			return a.Name
		}
	}
	return l.senderOf(jid, k)
}

// feed hands a probe's event to the stand-ins its bus's rules invoke.
func (si *standIns) feed(dv delivery, sender string, jid uint64, k loadgen.Kind) {
	l := si.l
	b, ok := l.router.X.Bus(l.layout.Probes[dv.probe].Bus.Ref)
	if !ok || len(si.byBus[b]) == 0 {
		return
	}
	env := &si.scratch.env
	*env = event.Envelope{ID: dv.id, DetailType: dv.detailType, Source: dv.source, Resources: dv.resources,
		Account: l.scenarioID(sender), Region: l.router.Region, Detail: dv.detail}
	hits, err := l.router.Matcher(b).Match(env, &l.matchScratch, l.hits[:0])
	l.hits = hits
	if err != nil {
		return
	}
	for _, f := range si.byBus[b] {
		if !containsInt(hits, f.rule) || !l.router.X.T.Buses[b].Rules[f.rule].IsEnabled() {
			continue
		}
		s, consumer, at := f.svc, f.consumer, dv.at
		l.rec.Consumed(consumer, dv.id, jid, dv.detailType, at)
		if s.first && k == loadgen.OrderCreated {
			l.journeys.Accepted(jid, at)
		}
		consumed := delivery{id: dv.id, detailType: dv.detailType, source: dv.source, resources: dv.resources, detail: dv.detail}
		dur := rng.Duration(s.process, l.r)
		l.seq++
		heap.Push(&l.timers, timed{at: at + dur, seq: l.seq, fn: func(now time.Duration) {
			si.run(s, consumer, consumed, sender, jid, k, now)
		}})
	}
}

// run is a stand-in finishing its work on an event.
func (si *standIns) run(s *standIn, consumer string, dv delivery, sender string, jid uint64, k loadgen.Kind, now time.Duration) {
	l := si.l
	if s.first && k == loadgen.OrderCreated {
		l.journeys.Handled(jid, now)
	}
	j, ok := l.journeys.Known(jid)
	if !ok {
		return
	}
	env := event.Envelope{ID: dv.id, DetailType: dv.detailType, Source: dv.source, Resources: dv.resources, Detail: dv.detail}
	pub := &si.scratch.pub
	effect, publishes := s.core.Run(now, &env, dv.id, jid, j.Intended, l.factory, pub)
	if effect {
		l.rec.SideEffect(consumer, jid, dv.detailType)
	}
	if !publishes {
		return
	}
	e := pub.Entry
	e.EventBusName = l.layout.PutName(pub.Account, pub.Bus)
	l.d.emits.push(item{sender: pub.Account, bus: pub.Bus, entry: e, journey: jid,
		kind: loadgen.Kind(max(pub.Step, 0)), relay: s.core.Spec.Relay != ""})
}

func (l *loop) scenarioID(account string) string {
	if i, ok := l.router.X.Account(account); ok {
		return l.router.X.T.Accounts[i].ID
	}
	return ""
}

func containsInt(xs []int, x int) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
