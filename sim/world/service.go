package world

import (
	"github.com/busdrill/busdrill/actors"
	"github.com/busdrill/busdrill/event"
	"github.com/busdrill/busdrill/loadgen"
	"github.com/busdrill/busdrill/scenarios"
	"github.com/busdrill/busdrill/sim"
	"github.com/busdrill/busdrill/sim/backbone"
)

// service is a service stand-in: the business logic of a handler target.
type service struct {
	w      *world
	spec   scenarios.Service
	dedupe *actors.Dedupe
	emit   loadgen.Kind
	emits  bool

	entries [1]event.Entry
	results []event.Result
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
	jid, ok := loadgen.JourneyOf(c.Env.Detail)
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
	if !s.emits {
		return
	}
	j, known := w.journeys.known(jid)
	if !known {
		return
	}
	o := w.factory.Order(loadgen.Arrival{Index: jid, At: j.intended.Duration()})
	s.entries[0] = w.factory.Entry(&o, s.emit)
	s.entries[0].EventBusName = w.busName(s.spec.Account, s.spec.EmitTo)
	resp := c.PutEventsTo(s.results[:0], s.entries[:])
	s.results = resp.Entries
	w.rec.PutEventsCall(s.spec.Account, now.Duration(), 1, resp.Err != nil && resp.Err.Code == event.CodeThrottling)
	if resp.Err == nil && !resp.Entries[0].Failed() && s.emit == loadgen.DeliveryUpdated && j.flags&jEmitted == 0 {
		j.flags |= jEmitted
		j.emitted = sim.Time(now)
	}
}
