package world

import (
	"math"
	"sync/atomic"
	"time"

	"github.com/busdrill/busdrill/actors"
	"github.com/busdrill/busdrill/event"
	"github.com/busdrill/busdrill/loadgen"
	"github.com/busdrill/busdrill/report"
	"github.com/busdrill/busdrill/sim"
	"github.com/busdrill/busdrill/sim/backbone"
	"github.com/busdrill/busdrill/topology"
)

// measure is the world's measurement: it applies the notes of the model
// side (notes.go), in order, to the journeys' hops (actors.Journeys) and
// the recorder — the loss ledger (expected routes from the nominal
// topology, deliveries, losses), the consumers' duplicates and side
// effects, the series and quota rates. It owns everything it touches,
// its own topology.Router included, and reads the model side's only
// through the notes, so it may run on a goroutine of its own
// (Options.Concurrent): nothing it computes flows back to the model.
//
// The envelopes of the notes are the model's, shared. The model writes
// one field of an envelope after publishing it: the Detail of an event
// whose detail it had not built (backbone's lazy.go). The measure reads
// a detail only to match a pattern that reads it (expected routes), and
// to find the journey of an event without a tag; the world builds its
// events lazily only when no pattern reads the detail, and tags every
// lazy event, so the measure never reads a detail the model may write.
type measure struct {
	rec      *report.Recorder
	journeys *actors.Journeys
	router   *topology.Router
	factory  *loadgen.Factory // Type and KindOf only: they read nothing it changes
	// trafficBus, firstConsumer: see world.
	trafficBus, firstConsumer string
	// services are the handler references services play.
	services map[string]bool
	// handlerConsumers caches isHandlerConsumer, by consumer reference;
	// handlerSlots is its lookaside.
	handlerConsumers map[string]bool
	handlerSlots     [32]handlerSlot
	// replayRules are the rule filters of the replays started, by name.
	replayRules map[string][]string
	expectBuf   []string
	routeBuf    []string
	// completed is the journeys completed, for progress, as of the last
	// batch applied.
	completed atomic.Int64
}

// apply applies a batch of notes.
func (m *measure) apply(notes []note) {
	for i := range notes {
		m.note(&notes[i])
	}
	m.completed.Store(m.journeys.Completed())
}

func (m *measure) note(n *note) {
	switch n.op {
	case noteObserved:
		m.observed(n)
	case noteStarted:
		m.journeys.Start(n.j, n.t2)
		m.rec.Sent(n.j, n.t2, n.t)
	case noteAcked:
		m.journeys.Acked(n.j, n.t)
	case noteEmitted:
		m.journeys.Emitted(n.j, n.t)
	case notePutCall:
		m.rec.PutEventsCall(n.where, n.t, int(n.n), n.flags&flagThrottled != 0)
	case noteSideEffect:
		m.rec.SideEffect(n.consumer, n.j, n.where)
	case noteGaveUp:
		sender, cause := n.consumer, n.x.cause
		if n.env != nil {
			for _, consumer := range m.router.ExpectedRoutes(sender, n.where, n.env) {
				m.rec.Expect(sender, consumer)
				m.lost(n.j, n.flags&flagJourney != 0, sender, consumer, cause, false, n.t)
			}
		}
		if n.flags&flagOrder != 0 {
			m.rec.NotSent(n.j, cause)
		}
	case noteRetire:
		m.journeys.Retire(n.j)
		m.rec.Retire(n.j)
	case noteFault:
		m.rec.Fault(*n.x.fault)
	case noteFaultEffect:
		m.rec.FaultEffect(n.where, n.consumer)
	case noteQuota:
		m.rec.QuotaChanged(n.consumer, n.where, n.t, math.Float64frombits(n.j))
	case noteReplayRules:
		if m.replayRules == nil {
			m.replayRules = map[string][]string{}
		}
		m.replayRules[n.where] = n.x.rules
	}
}

// observed translates an observation of the model into recorder calls:
// the ledger (expected, delivered, lost), consumers (duplicates), and the
// journey's hops.
func (m *measure) observed(n *note) {
	sender := m.sender(n)
	switch n.kind {
	case backbone.KindPublishAccepted:
		m.expectBuf = m.router.AppendExpectedRoutes(m.expectBuf[:0], sender, n.where, n.env)
		for _, c := range m.expectBuf {
			m.rec.Expect(sender, c)
		}
	case backbone.KindIngested:
		// The model side sent only Order.Created's arrivals at the
		// traffic bus.
		if jid, ok := m.journeyOf(n, loadgen.OrderCreated); ok {
			m.journeys.Reached(jid, n.t)
		}
	case backbone.KindHandlerAccepted:
		m.rec.Invocation(n.where, n.t)
		if n.consumer != m.firstConsumer || n.flags&flagDuplicate != 0 {
			return
		}
		if jid, ok := m.journeyOf(n, loadgen.OrderCreated); ok {
			m.journeys.Accepted(jid, n.t)
		}
	case backbone.KindForwarded:
		m.rec.Invocation(n.where, n.t)
	case backbone.KindDelivered:
		m.delivered(n, sender)
	case backbone.KindRouteLost:
		// The cause is the drop's cause, or for a delivery that ended in a
		// DLQ its ERROR_CODE (the ledger's dlq_causes).
		jid, isJourney := uint64(0), false
		if n.env != nil {
			jid, isJourney = journeyID(n.j, n.env)
		}
		m.lost(jid, isJourney, sender, n.consumer, n.where, n.flags&flagDLQ != 0, n.t)
	case backbone.KindReplayed:
		// A replayed event is delivered again: each of its nominal routes
		// from the bus (through the replay's rules, if it names some) is a
		// new expected delivery.
		for _, c := range m.replayRoutes(n) {
			m.rec.Expect(sender, c)
		}
	case backbone.KindRedriven:
		// A redriven DLQ message is a new attempt at its route.
		m.rec.Expect(sender, n.consumer)
	case backbone.KindDeadLettered:
		m.rec.DeadLettered(n.t)
	}
}

func (m *measure) delivered(n *note, sender string) {
	t := n.t
	dup := n.flags&flagDuplicate != 0
	if !m.isHandlerConsumer(n.consumer) {
		// Queue and log deliveries are invocations too; a handler's
		// invocation was counted when it accepted the event.
		m.rec.Invocation(n.where, t)
	}
	if !dup {
		m.rec.Delivered(sender, n.consumer, t)
	}
	if n.env == nil {
		return
	}
	jid, ok := journeyID(n.j, n.env)
	if !ok {
		return
	}
	m.rec.Consumed(n.consumer, n.env.ID, jid, n.env.DetailType, t)
	step, _ := m.factory.KindOf(n.env.DetailType)
	switch {
	case step == loadgen.OrderCreated && n.consumer == m.firstConsumer:
		m.journeys.Handled(jid, t)
	case step == loadgen.OrderUpdated:
		m.journeys.Complete(jid, t)
	}
}

// sender is the name of the account that published the observed event
// (noteObserved; see noteSender), "" for none.
func (m *measure) sender(n *note) string {
	switch {
	case n.n >= 0:
		return m.router.X.T.Accounts[n.n].Name
	case n.n == senderOther:
		return n.x.sender
	}
	return ""
}

// journeyOf returns the journey of an observed event of the given step.
func (m *measure) journeyOf(n *note, step loadgen.Kind) (uint64, bool) {
	if n.env.DetailType != m.factory.Type(step).DetailType {
		return 0, false
	}
	return journeyID(n.j, n.env)
}

// lost records a delivery that will not happen.
func (m *measure) lost(journey uint64, isJourney bool, from, to, cause string, dlq bool, at time.Duration) {
	if isJourney {
		m.rec.LostFor(journey, from, to, cause, dlq, at)
		return
	}
	m.rec.Lost(from, to, cause, dlq, at)
}

// replayRoutes are the nominal routes of a replayed event from its bus.
func (m *measure) replayRoutes(n *note) []string {
	b, ok := m.router.X.Bus(n.where)
	if !ok || n.env == nil {
		return nil
	}
	m.routeBuf = m.routeBuf[:0]
	rules := m.replayRules[n.env.ReplayName]
	if len(rules) == 0 {
		return m.router.AppendFromBus(m.routeBuf, b, n.env, false)
	}
	bus := &m.router.X.T.Buses[b]
	for i := range bus.Rules {
		for _, r := range rules {
			if bus.Rules[i].Name == r {
				m.routeBuf = m.router.AppendFromRule(m.routeBuf, b, i, n.env, false)
			}
		}
	}
	return m.routeBuf
}

// isHandlerConsumer reports whether consumer feeds a service stand-in,
// remembering the answer per consumer: services do not change once the
// world is built. The model names a consumer with the same string every
// time, so a lookaside slot chosen by where its bytes are answers without
// hashing it.
func (m *measure) isHandlerConsumer(consumer string) bool {
	slot := &m.handlerSlots[stringSlot(consumer)%uint(len(m.handlerSlots))]
	if slot.set && slot.consumer == consumer {
		return slot.handler
	}
	v, ok := m.handlerConsumers[consumer]
	if !ok {
		v = m.services[handlerOf(consumer)]
		if m.handlerConsumers == nil {
			m.handlerConsumers = map[string]bool{}
		}
		m.handlerConsumers[consumer] = v
	}
	*slot = handlerSlot{consumer: consumer, handler: v, set: true}
	return v
}

// giveUpEnvelope is the envelope an entry a producer of account gives up
// would have had, had it been accepted now: what its nominal routes are
// computed from. nil when the account is unknown (no routes).
func (w *world) giveUpEnvelope(account string, e *event.Entry, now sim.Time) *event.Envelope {
	x := w.router.X
	a, ok := x.Account(account)
	if !ok {
		return nil
	}
	return &event.Envelope{
		DetailType: e.DetailType, Source: e.Source, Account: x.T.Accounts[a].ID,
		Time: now.Wall(), Region: w.model.Region(), Resources: e.Resources, Detail: e.Detail,
	}
}
