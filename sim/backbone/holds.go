package backbone

import (
	"time"

	"github.com/busdrill/busdrill/event"
	"github.com/busdrill/busdrill/sim"
)

// Holder is told which events the model holds (Params.Holds): a harness
// counts, per journey, the events of it the model still keeps, and knows
// that nothing of a journey can happen any more when its count falls to
// zero (the simulator then retires it: see actors.Journeys).
//
// The model holds an event from the moment PutEvents (or a replay)
// schedules it until the last thing that refers to it lets it go: every
// invocation scheduled (retries and at-least-once duplicates included), a
// handler run under way, an event waiting in a handler's backlog, an
// event in an archive (until its retention) or in a dead-letter queue
// (until it is redriven). Hold and Release come in pairs for the same
// event (same tag, same envelope content), each pair one holding; an
// event may be held more than once at a time (an event waiting packed in
// a backlog is a holding of its own, rebuilt into a new one when it
// leaves). A new holding always starts before the one it replaces ends,
// so a journey's count never passes through zero while something of it
// remains. An entry that PutEvents accepts and drops at once (an unknown
// bus) is never held.
//
// The calls come from the model's goroutine, during Step (or the call that
// schedules the event); env is valid during the call.
type Holder interface {
	Hold(env *event.Envelope, tag uint64)
	Release(env *event.Envelope, tag uint64)
}

// ref records one more reference to rec; the first one holds it.
func (m *Model) ref(rec *record) {
	if rec.refs == 0 && m.holds != nil {
		m.holds.Hold(&rec.env, rec.tag)
	}
	rec.refs++
}

// unref drops a reference to rec; the last one releases it.
func (m *Model) unref(rec *record) {
	rec.refs--
	if rec.refs == 0 && m.holds != nil {
		m.holds.Release(&rec.env, rec.tag)
	}
}

// push schedules e at t, the event referring to its record.
func (m *Model) push(t sim.Time, e ev) {
	if e.rec != nil {
		m.ref(e.rec)
	}
	m.eng.At(t, e)
}

// pushAfter schedules e after d (see push).
func (m *Model) pushAfter(d time.Duration, e ev) {
	if e.rec != nil {
		m.ref(e.rec)
	}
	m.eng.After(d, e)
}
