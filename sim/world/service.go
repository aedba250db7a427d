package world

import (
	"github.com/busdrill/busdrill/actors"
	"github.com/busdrill/busdrill/event"
	"github.com/busdrill/busdrill/loadgen"
	"github.com/busdrill/busdrill/scenarios"
	"github.com/busdrill/busdrill/sim/backbone"
)

// service is a service stand-in: the business logic of a handler target.
type service struct {
	w      *world
	spec   scenarios.Service
	dedupe *actors.Dedupe
	emit   loadgen.Kind
	emits  bool
	// emitBus is w.busName(spec.Account, spec.EmitTo), computed on first
	// use (it depends on constants of the run only).
	emitBus    string
	emitBusSet bool
}

// emitBusName returns how the service names its EmitTo bus in PutEvents.
func (s *service) emitBusName() string {
	if !s.emitBusSet {
		s.emitBus, s.emitBusSet = s.w.busName(s.spec.Account, s.spec.EmitTo), true
	}
	return s.emitBus
}

func newService(w *world, s scenarios.Service, stride uint64) (*service, error) {
	d, err := actors.NewDedupe(s.Idempotency.Strategy, s.Idempotency.Window, stride)
	if err != nil {
		return nil, err
	}
	svc := &service{w: w, spec: s, dedupe: d}
	if s.Emit != "" {
		svc.emit, svc.emits = w.factory.KindOf(s.Emit)
	}
	return svc, nil
}

// onSuccess runs when the handler completed a run for an event: it decides
// the side effect and publishes the journey's next event.
func (s *service) onSuccess(c *backbone.HandlerCall) {
	w := s.w
	jid, ok := journeyID(c.Tag, c.Env) // the detail's journey (see TestTagsAgreeWithDetails)
	if !ok {
		return // not a journey event: nothing to do
	}
	step, isStep := w.factory.KindOf(c.Env.DetailType)
	stepIdx := -1
	if isStep {
		stepIdx = int(step)
	}
	now := c.Now()
	if !s.dedupe.Admit(now.Duration(), c.Env.ID, jid, stepIdx) {
		return
	}
	w.rec.SideEffect(c.Consumer, jid, c.Env.DetailType)
	if s.spec.Relay != "" {
		s.relay(c, jid)
		return
	}
	if !s.emits {
		return
	}
	j, known := w.journeys.known(jid)
	if !known {
		return
	}
	o := w.factory.Order(loadgen.Arrival{Index: jid, At: j.intended.Duration()})
	e := w.factory.Entry(&o, s.emit)
	e.EventBusName = s.emitBusName()
	if s.emit == loadgen.DeliveryUpdated && j.flags&jEmitted == 0 {
		j.flags |= jEmitted
		j.emitted = now
	}
	w.client(s.spec.Account).publish(now, &request{
		entries: []event.Entry{e},
		meta:    []sent{{journey: jid, step: int8(s.emit), intended: j.intended}},
	})
}

// poisoned reports whether a handler's run fails on env because the order
// was marked poison by a poison fault aimed at that handler.
func (w *world) poisoned(handler string, env *event.Envelope) bool {
	jid, ok := loadgen.JourneyOf(env.Detail)
	if !ok {
		return false
	}
	j, known := w.journeys.known(jid)
	if !known || j.flags&jPoison == 0 {
		return false
	}
	for i := range w.faults.tl.Faults {
		if f := &w.faults.tl.Faults[i]; f.Kind == "poison" && f.Handler == handler {
			return true
		}
	}
	return false
}

// relay republishes the consumed event unchanged but for its source: what
// a gateway between subsystems does. It is a new publication (a new id),
// not a bus-to-bus forward, so the one-hop rule does not apply to it.
func (s *service) relay(c *backbone.HandlerCall, jid uint64) {
	w := s.w
	j, known := w.journeys.known(jid)
	if !known {
		return
	}
	step, _ := w.factory.KindOf(c.Env.DetailType)
	e := event.Entry{
		Source: s.spec.Relay, DetailType: c.Env.DetailType, Detail: c.Env.Detail,
		Resources:    c.Env.Resources,
		EventBusName: s.emitBusName(),
	}
	w.client(s.spec.Account).publish(c.Now(), &request{
		entries: []event.Entry{e},
		meta:    []sent{{journey: jid, step: int8(step), intended: j.intended}},
	})
}
