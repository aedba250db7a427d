package world

import (
	"math"
	"time"
	"unsafe"

	"github.com/busdrill/busdrill/event"
	"github.com/busdrill/busdrill/loadgen"
	"github.com/busdrill/busdrill/report"
	"github.com/busdrill/busdrill/sim"
	"github.com/busdrill/busdrill/sim/backbone"
)

// A note is one thing the measurement must learn, in the order the model
// side learnt it: an observation of the model, or a call the model side
// makes (an order sent, a PutEvents call, a side effect, a journey
// retired, ...). The model side writes notes into a pipeline
// (internal/pipeline) and the measure (measure.go) applies them, in
// order, on the model's goroutine or on one of its own: the recorder sees
// the same calls in the same order either way.
//
// A note is a flat value: strings and the event's envelope are shared,
// never copied (they are immutable; see measure.go for the one field of
// an envelope the model may still write, and why the measure never reads
// it then). It is as small as the notes allow (80 bytes): the pipeline's
// batches are allocated up front, and every note passes through the
// model's caches on its way to the measure. So what the measure can learn
// from the envelope is not copied (the event id, a replay's name), the
// sender is an index, a note has two strings, and the rare payloads hang
// from a pointer. Measured on the million benchmark: 120 -> 80 bytes took
// 4.5 MiB off the peak RSS and made no difference to speed beyond the
// noise; a probe at 184 bytes had run 7% longer.
type note struct {
	op   noteOp
	kind backbone.Kind // noteObserved
	// hopped, duplicate, dlq (noteObserved); throttled (notePutCall);
	// journey, order (noteGaveUp).
	flags uint8
	// n is the sender's account index (noteObserved; -1: none, or a kind
	// whose sender the measure does not read; see noteSender), or the
	// entries of a PutEvents call (notePutCall).
	n     int32
	t, t2 time.Duration
	// j is a journey, the event's tag (noteObserved), or a quota's limit's
	// bits (noteQuota).
	j   uint64
	env *event.Envelope
	// The strings, by op (see each note function).
	where, consumer string
	// x carries the rare notes' payloads.
	x *noteExtra
}

// noteExtra is the payload of a rare note.
type noteExtra struct {
	fault  *report.Fault // noteFault
	rules  []string      // noteReplayRules
	cause  string        // noteGaveUp
	sender string        // noteObserved, of an account outside the topology
}

type noteOp uint8

const (
	noteObserved noteOp = iota + 1
	noteStarted
	noteAcked
	noteEmitted
	notePutCall
	noteSideEffect
	noteGaveUp
	noteRetire
	noteFault
	noteFaultEffect
	noteQuota
	noteReplayRules
)

const (
	flagHopped uint8 = 1 << iota
	flagDuplicate
	flagDLQ
	flagThrottled
	flagJourney
	flagOrder
)

// notesBatch is how many notes a pipeline batch holds: 640 KiB (a note
// is 80 bytes), so 3.75 MiB for the pipeline's six batches (Depth
// waiting, one being filled, one being applied), all allocated when it
// is made. A hand-over costs a wake-up of the other goroutine (a futex
// call); at 1,024 notes those were 5% of the model side's time, and the
// million benchmark ran 9% slower (median of 4 A/B pairs, whole
// process). 8,192 ran as fast as 16,384 (0.976x wall, 12 pairs) in half
// the memory; 4,096 ran 1.03x (all measured with notes of 120 bytes).
const notesBatch = 8192

// Observe makes the world the model's observer (backbone.Observer): it
// notes the observations the measurement uses (observed), with the
// fields it reads. A method of the world's own, so the model calls it
// straight through the interface.
func (w *world) Observe(o *backbone.Observation) {
	if o.Kind == backbone.KindIngested && (o.Bus != w.trafficBus || o.Env == nil ||
		o.Env.DetailType != w.factory.Type(loadgen.OrderCreated).DetailType) {
		// The measure uses only an Order.Created's arrival at the traffic
		// bus (hopped ones never come: see observed); a journey's other
		// events arrive there too, a third of all ingestions.
		return
	}
	n := w.notes.Next()
	n.op, n.kind, n.t, n.j, n.env, n.n = noteObserved, o.Kind, o.Time.Duration(), o.Tag, o.Env, -1
	switch o.Kind {
	case backbone.KindIngested:
		n.where = o.Bus
	case backbone.KindHandlerAccepted, backbone.KindForwarded:
		n.where, n.consumer = o.Account, o.Consumer
	// The kinds whose sender the measure reads:
	case backbone.KindPublishAccepted, backbone.KindReplayed:
		n.where = o.Bus // a replay's name is its envelope's
		w.noteSender(n, o.Sender)
	case backbone.KindDelivered:
		n.where, n.consumer = o.Account, o.Consumer // its event id is its envelope's
		w.noteSender(n, o.Sender)
	case backbone.KindRouteLost:
		n.consumer, n.where = o.Consumer, o.Cause
		w.noteSender(n, o.Sender)
	case backbone.KindRedriven:
		n.consumer = o.Consumer
		w.noteSender(n, o.Sender)
	}
	if o.Duplicate {
		n.flags |= flagDuplicate
	}
	if o.DLQ {
		n.flags |= flagDLQ
	}
}

// noteSender notes the account named sender as the sender of the
// observed event: its topology index in n.n (senderOther when it is not
// in the topology, the name then in n.x; -1 for none). The model names an
// account with the same string every time, so a lookaside slot chosen by
// where its bytes are answers without hashing it.
func (w *world) noteSender(n *note, sender string) {
	if sender == "" {
		n.n = -1
		return
	}
	slot := &w.senderSlots[stringSlot(sender)%uint(len(w.senderSlots))]
	if slot.set && unsafe.StringData(slot.name) == unsafe.StringData(sender) && len(slot.name) == len(sender) {
		n.n = slot.index
		return
	}
	i, ok := w.router.X.Account(sender)
	if !ok {
		// Not one of the topology's accounts (the simulator's model only
		// has those): carried by name.
		n.n, n.x = senderOther, &noteExtra{sender: sender}
		return
	}
	*slot = senderSlot{name: sender, index: int32(i), set: true}
	n.n = int32(i)
}

// senderOther is the sender index of an account outside the topology.
const senderOther = -2

// senderSlot is a lookaside slot of noteSender.
type senderSlot struct {
	name  string
	index int32
	set   bool
}

// noteStarted: journey j started, for its intended time, and its
// Order.Created was handed to PutEvents at actual.
func (w *world) noteStarted(j uint64, intended, actual time.Duration) {
	n := w.notes.Next()
	n.op, n.j, n.t2, n.t = noteStarted, j, intended, actual
}

// noteAcked: journey j's Order.Created was acknowledged at at.
func (w *world) noteAcked(j uint64, at sim.Time) {
	n := w.notes.Next()
	n.op, n.j, n.t = noteAcked, j, at.Duration()
}

// noteEmitted: journey j's Delivery.Updated was published at at.
func (w *world) noteEmitted(j uint64, at sim.Time) {
	n := w.notes.Next()
	n.op, n.j, n.t = noteEmitted, j, at.Duration()
}

// notePutCall: account made a PutEvents call of entries at at.
func (w *world) notePutCall(account string, at sim.Time, entries int, throttled bool) {
	n := w.notes.Next()
	n.op, n.where, n.t, n.n = notePutCall, account, at.Duration(), int32(entries)
	if throttled {
		n.flags = flagThrottled
	}
}

// noteSideEffect: consumer performed its side effect for journey j's
// event of detailType.
func (w *world) noteSideEffect(consumer string, j uint64, detailType string) {
	n := w.notes.Next()
	n.op, n.consumer, n.j, n.where = noteSideEffect, consumer, j, detailType
}

// noteGaveUp: a producer of account gave an entry up at at, with cause:
// its nominal routes (from env, the envelope it would have had, sent to
// bus) are expected and lost; isJourney says whether it is one of
// journey j's events, order whether it was its Order.Created.
func (w *world) noteGaveUp(account, bus string, env *event.Envelope, j uint64, isJourney, order bool, cause string, at sim.Time) {
	n := w.notes.Next()
	n.op, n.consumer, n.where, n.env, n.j, n.t = noteGaveUp, account, bus, env, j, at.Duration()
	n.x = &noteExtra{cause: cause}
	if isJourney {
		n.flags |= flagJourney
	}
	if order {
		n.flags |= flagOrder
	}
}

// noteRetire: journey j is retired.
func (w *world) noteRetire(j uint64) {
	n := w.notes.Next()
	n.op, n.j = noteRetire, j
}

// noteFault: a fault of the timeline.
func (w *world) noteFault(f report.Fault) {
	n := w.notes.Next()
	n.op, n.x = noteFault, &noteExtra{fault: &f}
}

// noteFaultEffect: fault name had no effect, and why.
func (w *world) noteFaultEffect(name, effect string) {
	n := w.notes.Next()
	n.op, n.where, n.consumer = noteFaultEffect, name, effect
}

// noteQuota: account's quota of kind is limit from at on.
func (w *world) noteQuota(kind, account string, at sim.Time, limit float64) {
	n := w.notes.Next()
	n.op, n.consumer, n.where, n.t, n.j = noteQuota, kind, account, at.Duration(), math.Float64bits(limit)
}

// noteReplayRules: replay name (started) sends to rules only (none: all).
func (w *world) noteReplayRules(name string, rules []string) {
	n := w.notes.Next()
	n.op, n.where, n.x = noteReplayRules, name, &noteExtra{rules: rules}
}
