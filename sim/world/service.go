package world

import (
	"github.com/busdrill/busdrill/actors"
	"github.com/busdrill/busdrill/event"
	"github.com/busdrill/busdrill/loadgen"
	"github.com/busdrill/busdrill/scenarios"
	"github.com/busdrill/busdrill/sim"
	"github.com/busdrill/busdrill/sim/backbone"
)

// service plays a scenario service (actors.Service, the logic every
// world shares) in a Lambda-like handler target of the model: the model
// runs the handler (concurrency, processing time, failures); when a run
// succeeds, the service decides and publishes through its account's
// client.
type service struct {
	w    *world
	core *actors.Service
	pub  actors.Publication
	// emitBus is how the service names its EmitTo bus, computed on first
	// use (it depends on constants of the run only).
	emitBus    string
	emitBusSet bool
}

func newService(w *world, s scenarios.Service, stride uint64) (*service, error) {
	c, err := actors.NewService(s, w.factory, stride)
	if err != nil {
		return nil, err
	}
	return &service{w: w, core: c}, nil
}

// emitBusName returns how the service names its EmitTo bus in PutEvents.
func (s *service) emitBusName() string {
	if !s.emitBusSet {
		s.emitBus, s.emitBusSet = s.w.busName(s.core.Spec.Account, s.core.Spec.EmitTo), true
	}
	return s.emitBus
}

// onSuccess runs when the handler completed a run for an event.
func (s *service) onSuccess(c *backbone.HandlerCall) {
	w := s.w
	jid, ok := journeyID(c.Tag, c.Env) // the detail's journey (see TestTagsAgreeWithDetails)
	if !ok {
		return // not a journey event: nothing to do
	}
	now := c.Now()
	if s.core.Spec.Relay != "" {
		c.Detail() // a relay republishes the detail it consumed
	}
	j, known := w.journeys.known(jid)
	var intended sim.Time
	if known {
		intended = sim.At(j.intended)
	}
	effect, publishes := s.core.Run(now.Duration(), c.Env, c.Env.ID, jid, intended.Duration(), w.factory, &s.pub)
	if effect {
		w.noteSideEffect(c.Consumer, jid, c.Env.DetailType)
	}
	if !publishes || !known {
		return
	}
	e := &s.pub.Entry // Run's, spent once published
	if e.DetailLazy {
		e.DetailToken = detailToken(jid, loadgen.Kind(s.pub.Step))
	}
	e.EventBusName = s.emitBusName()
	if s.pub.Step == int8(loadgen.DeliveryUpdated) && s.core.Spec.Relay == "" {
		w.noteEmitted(jid, now)
	}
	w.client(s.core.Spec.Account).publishOne(now, e, sent{journey: jid, step: s.pub.Step, intended: intended})
}

// poisoned reports whether a handler's run fails on env because the order
// was marked poison by a poison fault aimed at that handler.
func (w *world) poisoned(handler string, env *event.Envelope) bool {
	jid, ok := loadgen.JourneyOf(env.Detail)
	if !ok {
		return false
	}
	j, known := w.journeys.known(jid)
	if !known || j.flags&flagPoison == 0 {
		return false
	}
	for i := range w.faults.tl.Faults {
		if f := &w.faults.tl.Faults[i]; f.Kind == "poison" && f.Handler == handler {
			return true
		}
	}
	return false
}
