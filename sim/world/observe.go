package world

import (
	"unsafe"

	"github.com/busdrill/busdrill/event"
	"github.com/busdrill/busdrill/loadgen"
	"github.com/busdrill/busdrill/sim"
	"github.com/busdrill/busdrill/sim/backbone"
)

// observed are the kinds of observation observe uses: the model does not
// build the others (rule matches, handler starts and failures, retries,
// drops) unless a trace is written.
var observed = backbone.KindsOf(backbone.KindPublishAccepted, backbone.KindIngested,
	backbone.KindHandlerAccepted, backbone.KindForwarded, backbone.KindDelivered,
	backbone.KindRouteLost, backbone.KindReplayed, backbone.KindRedriven, backbone.KindDeadLettered)

// observe translates the model's observations into recorder calls: the
// ledger (expected, delivered, lost), consumers (duplicates), and the
// journey's hops.
func (w *world) observe(o *backbone.Observation) {
	t := o.Time.Duration()
	switch o.Kind {
	case backbone.KindPublishAccepted:
		w.expectBuf = w.router.AppendExpectedRoutes(w.expectBuf[:0], o.Sender, o.Bus, o.Env)
		for _, c := range w.expectBuf {
			w.rec.Expect(o.Sender, c)
		}
	case backbone.KindIngested:
		if o.Hopped || o.Bus != w.trafficBus || o.Env == nil {
			return
		}
		if jid, ok := w.journeyOf(o, loadgen.OrderCreated); ok {
			w.journeys.Reached(jid, o.Time.Duration())
		}
	case backbone.KindHandlerAccepted:
		w.rec.Invocation(o.Account, t)
		if o.Consumer != w.firstConsumer || o.Duplicate {
			return
		}
		if jid, ok := w.journeyOf(o, loadgen.OrderCreated); ok {
			w.journeys.Accepted(jid, o.Time.Duration())
		}
	case backbone.KindForwarded:
		w.rec.Invocation(o.Account, t)
	case backbone.KindDelivered:
		w.delivered(o)
	case backbone.KindRouteLost:
		// The cause is the drop's cause, or for a delivery that ended in a
		// DLQ its ERROR_CODE (the ledger's dlq_causes).
		jid, isJourney := uint64(0), false
		if o.Env != nil {
			jid, isJourney = journeyID(o.Tag, o.Env)
		}
		w.lost(jid, isJourney, o.Sender, o.Consumer, o.Cause, o.DLQ, o.Time)
	case backbone.KindReplayed:
		// A replayed event is delivered again: each of its nominal routes
		// from the bus (through the replay's rules, if it names some) is a
		// new expected delivery.
		for _, c := range w.replayRoutes(o) {
			w.rec.Expect(o.Sender, c)
		}
	case backbone.KindRedriven:
		// A redriven DLQ message is a new attempt at its route.
		w.rec.Expect(o.Sender, o.Consumer)
	case backbone.KindDeadLettered:
		w.rec.DeadLettered(t)
	}
}

func (w *world) delivered(o *backbone.Observation) {
	t := o.Time.Duration()
	if !w.isHandlerConsumer(o.Consumer) {
		// Queue and log deliveries are invocations too; a handler's
		// invocation was counted when it accepted the event.
		w.rec.Invocation(o.Account, t)
	}
	if !o.Duplicate {
		w.rec.Delivered(o.Sender, o.Consumer, t)
	}
	if o.Env == nil {
		return
	}
	jid, ok := journeyID(o.Tag, o.Env)
	if !ok {
		return
	}
	w.rec.Consumed(o.Consumer, o.EventID, jid, o.Env.DetailType, t)
	step, _ := w.factory.KindOf(o.Env.DetailType)
	switch {
	case step == loadgen.OrderCreated && o.Consumer == w.firstConsumer:
		w.journeys.Handled(jid, t)
	case step == loadgen.OrderUpdated:
		w.journeys.Complete(jid, t)
	}
}

// journeyOf returns the journey of an observed event of the given step.
func (w *world) journeyOf(o *backbone.Observation, step loadgen.Kind) (uint64, bool) {
	if o.Env.DetailType != w.factory.Type(step).DetailType {
		return 0, false
	}
	return journeyID(o.Tag, o.Env)
}

// journeyID is the journey of an event: its detail's metadata says it
// (loadgen.JourneyOf, as a live run reads it), and the factory's entries
// carry it in their tag too (loadgen.JourneyTag), which saves the
// simulator that scan per observation. An untagged event is read from its
// detail.
func journeyID(tag uint64, env *event.Envelope) (uint64, bool) {
	if jid, ok := loadgen.JourneyOfTag(tag); ok {
		return jid, true
	}
	return loadgen.JourneyOf(env.Detail)
}

// isHandlerConsumer reports whether consumer feeds a service stand-in
// (w.services[handlerOf(consumer)] != nil), remembering the answer per
// consumer: services do not change once the world is built. The model
// names a consumer with the same string every time, so a lookaside slot
// chosen by where its bytes are answers without hashing it.
func (w *world) isHandlerConsumer(consumer string) bool {
	slot := &w.handlerSlots[stringSlot(consumer)%uint(len(w.handlerSlots))]
	if slot.set && slot.consumer == consumer {
		return slot.handler
	}
	v, ok := w.handlerConsumers[consumer]
	if !ok {
		v = w.services[handlerOf(consumer)] != nil
		if w.handlerConsumers == nil {
			w.handlerConsumers = map[string]bool{}
		}
		w.handlerConsumers[consumer] = v
	}
	*slot = handlerSlot{consumer: consumer, handler: v, set: true}
	return v
}

// handlerSlot is a lookaside slot of isHandlerConsumer.
type handlerSlot struct {
	consumer     string
	handler, set bool
}

// stringSlot hashes where s's bytes are, for the lookaside caches: equal
// strings at different places just land in different slots.
func stringSlot(s string) uint {
	p := uint(uintptr(unsafe.Pointer(unsafe.StringData(s))))
	return p>>3 ^ p>>11 ^ uint(len(s))
}

// handlerOf returns the handler reference a handler consumer
// ("account/bus/rule/target") is fed through: services are named after
// their rule, in their own account.
func handlerOf(consumer string) string {
	acct, rest := cut(consumer)
	_, rest = cut(rest) // bus
	rule, _ := cut(rest)
	return acct + "/" + rule
}

func cut(s string) (string, string) {
	for i := 0; i < len(s); i++ {
		if s[i] == '/' {
			return s[:i], s[i+1:]
		}
	}
	return s, ""
}

// lost records a delivery that will not happen.
func (w *world) lost(journey uint64, isJourney bool, from, to, cause string, dlq bool, at sim.Time) {
	if isJourney {
		w.rec.LostFor(journey, from, to, cause, dlq, at.Duration())
		return
	}
	w.rec.Lost(from, to, cause, dlq, at.Duration())
}

// replayRoutes are the nominal routes of a replayed event from its bus.
func (w *world) replayRoutes(o *backbone.Observation) []string {
	b, ok := w.router.X.Bus(o.Bus)
	if !ok || o.Env == nil {
		return nil
	}
	w.routeBuf = w.routeBuf[:0]
	rules := w.replayRules[o.Replay]
	if len(rules) == 0 {
		return w.router.AppendFromBus(w.routeBuf, b, o.Env, false)
	}
	bus := &w.router.X.T.Buses[b]
	for i := range bus.Rules {
		for _, r := range rules {
			if bus.Rules[i].Name == r {
				w.routeBuf = w.router.AppendFromRule(w.routeBuf, b, i, o.Env, false)
			}
		}
	}
	return w.routeBuf
}

// routesOfEntry are the nominal routes an entry would have had, had it been
// accepted: what a producer that gives it up loses.
func (w *world) routesOfEntry(account string, e *event.Entry, now sim.Time) []string {
	x := w.router.X
	a, ok := x.Account(account)
	if !ok {
		return nil
	}
	env := event.Envelope{
		DetailType: e.DetailType, Source: e.Source, Account: x.T.Accounts[a].ID,
		Time: now.Wall(), Region: w.model.Region(), Resources: e.Resources, Detail: e.Detail,
	}
	return w.router.ExpectedRoutes(account, e.EventBusName, &env)
}
