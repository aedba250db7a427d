package world

import "github.com/busdrill/busdrill/event"

// Retirement: a journey is retired — its record, its services' dedupe
// keys and the recorder's state of it freed — as soon as nothing of it is
// left: no event of it in the model (scheduled, waiting in a backlog,
// archived, in a dead-letter queue: the model's Holder reports those) and
// no request of it in a producer's hands (a retry, a resend, a
// producer-timeout duplicate: the clients hold their requests' journeys).
// Nothing can happen to such a journey any more, so forgetting it changes
// no result, and the run keeps what its journeys in flight need: memory
// is flat in the run's length at a steady rate.

// holder counts the model's holdings of each journey's events (see
// backbone.Holder).
type holder struct{ w *world }

// Hold: the model keeps an event of a journey.
func (h holder) Hold(env *event.Envelope, tag uint64) {
	if jid, ok := journeyID(tag, env); ok {
		h.w.journeys.hold(jid)
	}
}

// Release: the model lets an event of a journey go.
func (h holder) Release(env *event.Envelope, tag uint64) {
	if jid, ok := journeyID(tag, env); ok {
		h.w.release(jid)
	}
}

// release drops a hold of journey jid and retires it if it was the last.
func (w *world) release(jid uint64) {
	if w.journeys.release(jid) && !w.opts.keepJourneys {
		w.retire(jid)
	}
}

// retireIfIdle retires journey jid if nothing holds it (an order the
// producer gave up at once).
func (w *world) retireIfIdle(jid uint64) {
	if w.journeys.idle(jid) && !w.opts.keepJourneys {
		w.retire(jid)
	}
}

// retire forgets journey jid everywhere.
func (w *world) retire(jid uint64) {
	w.journeys.retire(jid)
	for _, s := range w.serviceList {
		s.core.Retire(jid)
	}
	w.noteRetire(jid) // the measurement's state of it (journey hops, recorder)
}
