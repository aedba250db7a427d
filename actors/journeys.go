package actors

import (
	"time"

	"github.com/busdrill/busdrill/internal/journeytable"
	"github.com/busdrill/busdrill/report"
)

// Journeys remembers what each order of a run (of a shard: every
// stride-th order) has done, to measure its hops, and tells the recorder.
// Every runtime reports the same points of a journey, each as soon as it
// observes it, and the hops are the same differences in every world:
//
//	Reached     Order.Created reached EventBridge: the simulator sees it
//	            arrive at the traffic bus; a live run sees the PutEvents
//	            acknowledgement (the nearest point it can observe)
//	Acked       the producer got the PutEvents acknowledgement: put_ack
//	            is Acked − intended
//	Accepted    the first service accepted Order.Created:
//	            ingest_to_delivery is Accepted − Reached (whichever of the
//	            two is observed second records it)
//	Handled     the first service finished its run: handler is
//	            Handled − Accepted
//	Emitted     Delivery.Updated was published
//	Completed   Order.Updated was delivered: the journey's end-to-end
//	            latency (from the intended time), and
//	            delivery_to_order_updated, Completed − Emitted
//
// Each point counts once per journey; later observations (duplicates,
// redeliveries) change nothing.
//
// # Retirement
//
// A runtime that knows when nothing can happen to a journey any more
// retires it ([Journeys.Retire]): its record is freed, so that memory
// follows the journeys in flight, not the run's length. The simulator
// knows exactly (it counts the events of a journey its model still
// holds: see sim/world). A live run cannot know that (a real backbone may
// redeliver for a day) and keeps every journey.
type Journeys struct {
	rec    *report.Recorder
	stride uint64
	table  journeytable.Table[Journey]
	// completed counts the journeys completed.
	completed int64
}

// Journey is what is known of one order.
type Journey struct {
	Intended                   time.Duration
	reached, accepted, emitted time.Duration
	// Flags are the points reached (the Flag constants) and the runtime's
	// own marks (from FlagRuntime up).
	Flags uint8
}

// Points of a journey (Journey.Flags).
const (
	FlagReached uint8 = 1 << iota
	FlagAccepted
	FlagHandled
	FlagEmitted
	FlagCompleted
	flagDeliveryHop
	// FlagRuntime and the bits above are the runtime's own (the
	// simulator marks poisoned orders with it).
	FlagRuntime
)

// NewJourneys returns the journeys of a run whose shard sees every
// stride-th order (stride 0 or 1: every order).
func NewJourneys(rec *report.Recorder, stride uint64) *Journeys {
	return &Journeys{rec: rec, stride: max(stride, 1)}
}

// Stride is the shard count the journeys are indexed by.
func (js *Journeys) Stride() uint64 { return js.stride }

// Completed is the number of journeys completed.
func (js *Journeys) Completed() int64 { return js.completed }

// index is the table index of journey j: a shard's journeys are dense
// at j/stride.
func (js *Journeys) index(j uint64) uint64 {
	if js.stride == 1 {
		return j
	}
	return j / js.stride
}

// Start records that order j was sent for its intended time and returns
// its journey.
func (js *Journeys) Start(j uint64, intended time.Duration) *Journey {
	jr, _ := js.table.Put(js.index(j))
	jr.Intended = intended
	return jr
}

// Known returns journey j if it was started in this run and not retired.
// The pointer is valid until the next Start or Retire.
func (js *Journeys) Known(j uint64) (*Journey, bool) {
	jr := js.table.Get(js.index(j))
	return jr, jr != nil
}

// Retire forgets journey j: nothing can happen to it any more. What it
// measured is already in the recorder; the runtime retires the
// journey's other state (dedupe, the recorder's) with it.
func (js *Journeys) Retire(j uint64) { js.table.Delete(js.index(j)) }

// Len returns the number of journeys started and not retired.
func (js *Journeys) Len() int { return js.table.Len() }

// Acked records the acknowledgement of journey j's Order.Created (the
// put_ack hop).
func (js *Journeys) Acked(j uint64, at time.Duration) {
	if jr, ok := js.Known(j); ok {
		js.rec.Hop(report.HopPutAck, at-jr.Intended)
	}
}

// Reached records that journey j's Order.Created reached EventBridge.
func (js *Journeys) Reached(j uint64, at time.Duration) {
	jr := js.first(j, FlagReached)
	if jr == nil {
		return
	}
	jr.reached = at
	js.deliveryHop(jr)
}

// Accepted records that the first service accepted journey j's
// Order.Created.
func (js *Journeys) Accepted(j uint64, at time.Duration) {
	jr := js.first(j, FlagAccepted)
	if jr == nil {
		return
	}
	jr.accepted = at
	js.deliveryHop(jr)
}

// first marks journey j as having reached point f and returns it, or
// returns nil when j is unknown or had reached f already: each point of a
// journey counts once, whatever redeliveries follow.
func (js *Journeys) first(j uint64, f uint8) *Journey {
	jr, ok := js.Known(j)
	if !ok || jr.Flags&f != 0 {
		return nil
	}
	jr.Flags |= f
	return jr
}

// deliveryHop records ingest_to_delivery once both ends are known (an
// emulator may deliver before the producer sees its acknowledgement).
func (js *Journeys) deliveryHop(jr *Journey) {
	if jr.Flags&(FlagReached|FlagAccepted) == FlagReached|FlagAccepted && jr.Flags&flagDeliveryHop == 0 {
		jr.Flags |= flagDeliveryHop
		js.rec.Hop(report.HopDelivery, max(0, jr.accepted-jr.reached))
	}
}

// Handled records that the first service finished its run on journey j's
// Order.Created (the handler hop, from its acceptance).
func (js *Journeys) Handled(j uint64, at time.Duration) {
	jr, ok := js.Known(j)
	if !ok || jr.Flags&FlagHandled != 0 || jr.Flags&FlagAccepted == 0 {
		return
	}
	jr.Flags |= FlagHandled
	js.rec.Hop(report.HopHandler, at-jr.accepted)
}

// Emitted records that journey j's Delivery.Updated was published.
func (js *Journeys) Emitted(j uint64, at time.Duration) {
	if jr := js.first(j, FlagEmitted); jr != nil {
		jr.emitted = at
	}
}

// Complete records that journey j's Order.Updated was delivered: the
// journey ends (its end-to-end latency, and the last hop).
func (js *Journeys) Complete(j uint64, at time.Duration) {
	jr := js.first(j, FlagCompleted)
	if jr == nil {
		return
	}
	js.completed++
	js.rec.Completed(j, at)
	if jr.Flags&FlagEmitted != 0 {
		js.rec.Hop(report.HopFinal, at-jr.emitted)
	}
}
