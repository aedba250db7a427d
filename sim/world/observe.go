package world

import (
	"github.com/busdrill/busdrill/loadgen"
	"github.com/busdrill/busdrill/report"
	"github.com/busdrill/busdrill/sim/backbone"
)

// observe translates the model's observations into recorder calls: the
// ledger (expected, delivered, lost), consumers (duplicates), and the
// journey's hops.
func (w *world) observe(o *backbone.Observation) {
	t := o.Time.Duration()
	switch o.Kind {
	case backbone.KindPublishAccepted:
		for _, c := range w.router.ExpectedRoutes(o.Sender, o.Bus, o.Env) {
			w.rec.Expect(o.Sender, c)
		}
	case backbone.KindIngested:
		if o.Hopped || o.Bus != w.trafficBus || o.Env == nil {
			return
		}
		if j, ok := w.journeyOf(o, loadgen.OrderCreated); ok && j.flags&jIngested == 0 {
			j.flags |= jIngested
			j.ingested = o.Time
		}
	case backbone.KindHandlerAccepted:
		w.rec.Invocation(o.Account, t)
		if o.Consumer != w.firstConsumer || o.Duplicate {
			return
		}
		if j, ok := w.journeyOf(o, loadgen.OrderCreated); ok && j.flags&jAccepted == 0 && j.flags&jIngested != 0 {
			j.flags |= jAccepted
			j.accepted = o.Time
			w.rec.Hop(report.HopDelivery, o.Time.Sub(j.ingested))
		}
	case backbone.KindForwarded:
		w.rec.Invocation(o.Account, t)
	case backbone.KindDelivered:
		w.delivered(o)
	case backbone.KindRouteLost:
		cause := o.Cause
		if o.DLQ {
			cause = ""
		}
		w.rec.Lost(o.Sender, o.Consumer, cause, o.DLQ, t)
	case backbone.KindDeadLettered:
		w.rec.DeadLettered(t)
	}
}

func (w *world) delivered(o *backbone.Observation) {
	t := o.Time.Duration()
	if w.services[handlerOf(o.Consumer)] == nil {
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
	jid, ok := loadgen.JourneyOf(o.Env.Detail)
	if !ok {
		return
	}
	w.rec.Consumed(o.Consumer, o.EventID, jid, o.Env.DetailType, t)
	j, known := w.journeys.known(jid)
	if !known {
		return
	}
	step, _ := w.factory.KindOf(o.Env.DetailType)
	switch {
	case step == loadgen.OrderCreated && o.Consumer == w.firstConsumer && j.flags&jAccepted != 0 && j.flags&jHandled == 0:
		j.flags |= jHandled
		w.rec.Hop(report.HopHandler, o.Time.Sub(j.accepted))
	case step == loadgen.OrderUpdated && j.flags&jCompleted == 0:
		j.flags |= jCompleted
		w.completed++
		w.rec.Completed(jid, t)
		if j.flags&jEmitted != 0 {
			w.rec.Hop(report.HopFinal, o.Time.Sub(j.emitted))
		}
	}
}

// journeyOf returns the journey of an observed event of the given step.
func (w *world) journeyOf(o *backbone.Observation, step loadgen.Kind) (*journey, bool) {
	if o.Env.DetailType != w.factory.Type(step).DetailType {
		return nil, false
	}
	jid, ok := loadgen.JourneyOf(o.Env.Detail)
	if !ok {
		return nil, false
	}
	return w.journeys.known(jid)
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
