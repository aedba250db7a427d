package sim

import (
	"fmt"
	"time"
)

// Engine is a virtual clock and the queue of events scheduled on it.
// T is the caller's event type: usually a small struct with a kind and the
// indexes it needs, so scheduling never allocates.
//
// The engine is single-threaded: it must be driven from one goroutine.
type Engine[T any] struct {
	now       Time
	queue     Queue[T]
	processed uint64
}

// Now returns the current virtual time: the time of the event most
// recently returned by Next.
func (e *Engine[T]) Now() Time { return e.now }

// At schedules v for time t. Scheduling in the past is a programming
// error and panics: it would make time run backwards.
func (e *Engine[T]) At(t Time, v T) {
	if t < e.now {
		panic(fmt.Sprintf("sim: event scheduled in the past (%v < now %v)", t, e.now))
	}
	e.queue.Push(t, v)
}

// After schedules v for d after now. A negative d is treated as zero.
func (e *Engine[T]) After(d time.Duration, v T) {
	if d < 0 {
		d = 0
	}
	e.queue.Push(e.now.Add(d), v)
}

// Next pops the earliest event and advances the clock to its time.
func (e *Engine[T]) Next() (Time, T, bool) { return e.NextUntil(Never) }

// NextUntil is Next for an event due at or before limit: when the
// earliest event is due later (or there is none) it returns false and
// changes nothing.
func (e *Engine[T]) NextUntil(limit Time) (Time, T, bool) {
	at, v, ok := e.queue.PopUntil(limit)
	if ok {
		e.now = at
		e.processed++
	}
	return at, v, ok
}

// PeekTime returns the time of the next event, or Never if there is none.
func (e *Engine[T]) PeekTime() Time {
	t, _ := e.queue.Peek()
	return t
}

// AdvanceTo moves the clock forward to t without processing anything; it
// is how a run reaches its cut-off when the queue empties early. It never
// moves time backwards.
func (e *Engine[T]) AdvanceTo(t Time) {
	if t > e.now {
		e.now = t
	}
}

// Pending returns the number of scheduled events: the events in flight.
func (e *Engine[T]) Pending() int { return e.queue.Len() }

// Processed returns how many events Next has returned.
func (e *Engine[T]) Processed() uint64 { return e.processed }
