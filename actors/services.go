package actors

import (
	"time"

	"github.com/busdrill/busdrill/event"
	"github.com/busdrill/busdrill/loadgen"
	"github.com/busdrill/busdrill/scenarios"
)

// Service is a service stand-in's business logic: what a scenario's
// service does once its handler has run for an event. Every runtime plays
// it the same way — the simulator and busdrill serve when the model's
// Lambda-like target completes a run, a live run when its probe saw the
// event reach the service's rule and the service's processing time has
// passed — so a service means the same thing in every world:
//
//   - its idempotency strategy decides whether the run performs the side
//     effect (a duplicate delivery may be skipped);
//   - an emitting service then publishes the journey's next event (the
//     factory's, for the same order), as its account, to its emit_to bus;
//   - a relay republishes the event it consumed unchanged but for its
//     source (a gateway between subsystems: a new publication, not a
//     bus-to-bus forward, so the one-hop rule does not apply to it);
//   - a service with neither only performs its side effect.
//
// Which events reach a service is the topology's business: the rule that
// feeds it (detail-type on:, or its pattern:), or the rules that invoke
// the handler it plays.
type Service struct {
	Spec   scenarios.Service
	dedupe *Dedupe
	emit   loadgen.Kind
	emits  bool
	// lazy: Run leaves the details it emits unbuilt (see LazyDetails).
	lazy bool
}

// LazyDetails makes Run leave the detail of the journey step it emits
// unbuilt (loadgen.Factory.LazyEntry): for a runtime that rebuilds
// details when something reads them (the simulator, which sets the
// entry's DetailToken). A live client sends every detail built.
func (s *Service) LazyDetails() { s.lazy = true }

// NewService returns the stand-in of spec. The factory names the journey
// steps; stride is the run's shard count (see NewDedupe).
func NewService(spec scenarios.Service, f *loadgen.Factory, stride uint64) (*Service, error) {
	d, err := NewDedupe(spec.Idempotency.Strategy, spec.Idempotency.Window, stride)
	if err != nil {
		return nil, err
	}
	s := &Service{Spec: spec, dedupe: d}
	if spec.Emit != "" {
		s.emit, s.emits = f.KindOf(spec.Emit)
	}
	return s, nil
}

// Retire forgets what the service's idempotency remembers of journey j:
// the runtime retires a journey once no delivery of it can come (see
// Journeys).
func (s *Service) Retire(j uint64) { s.dedupe.Retire(j) }

// Emits reports the journey step the service publishes, if any.
func (s *Service) Emits() (loadgen.Kind, bool) { return s.emit, s.emits }

// Publication is an event a service publishes after a run: Entry (its
// EventBusName left for the runtime, which names Bus as the service's
// account does), the journey it belongs to and its step (-1 when it is
// not one of the journey's three).
type Publication struct {
	Account string
	// Bus is the destination, "account/bus".
	Bus     string
	Entry   event.Entry
	Journey uint64
	Step    int8
}

// Run is the service finishing a run at now on the event env (its
// envelope id eventID), part of journey jid, whose order was due at
// intended. It reports whether the service performed its side effect, and
// what it publishes (false: nothing). f builds the journey's events; pub
// is filled in place, so that a runtime can reuse one.
func (s *Service) Run(now time.Duration, env *event.Envelope, eventID string, jid uint64, intended time.Duration, f *loadgen.Factory, pub *Publication) (sideEffect, publishes bool) {
	step, isStep := f.KindOf(env.DetailType)
	stepIdx := -1
	if isStep {
		stepIdx = int(step)
	}
	if !s.dedupe.Admit(now, eventID, jid, stepIdx) {
		return false, false
	}
	*pub = Publication{Account: s.Spec.Account, Bus: s.Spec.EmitTo, Journey: jid, Step: int8(stepIdx)}
	switch {
	case s.Spec.Relay != "":
		pub.Entry = event.Entry{Source: s.Spec.Relay, DetailType: env.DetailType, Detail: env.Detail, Resources: env.Resources}
		return true, true
	case s.emits:
		o := f.Order(loadgen.Arrival{Index: jid, At: intended})
		if s.lazy {
			pub.Entry = f.LazyEntry(&o, s.emit)
		} else {
			pub.Entry = f.Entry(&o, s.emit)
		}
		pub.Step = int8(s.emit)
		return true, true
	}
	return true, false
}
