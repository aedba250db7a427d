package world

import (
	"time"

	"github.com/busdrill/busdrill/sim/backbone"
)

// Sample is the state of a run at the end of a virtual second, for a
// watcher that judges the run as it goes (busdrill capacity: whether
// anything grows without bound, how busy each limit is, what the run
// would cost). Options.Sample receives it once per virtual second, and at
// the cut-off. It is one reused value: the slices are overwritten at the
// next call, so a watcher copies what it keeps. Sampling reads the model
// and changes nothing: a run with a watcher gives the same results as one
// without.
type Sample struct {
	// Now is the virtual time reached.
	Now time.Duration
	// Sent and Completed count the orders published and journeys
	// completed so far.
	Sent, Completed int64
	// InFlight counts the expected deliveries not ended yet (the ledger's
	// in flight, now).
	InFlight int64
	// Producers are the PutEvents clients of the accounts that published
	// so far, in topology order.
	Producers []ProducerLoad
	// Handlers, Accounts and Targets are the model's load
	// (backbone.Model.HandlerLoads and the like).
	Handlers []backbone.HandlerLoad
	Accounts []backbone.AccountLoad
	Targets  []backbone.TargetLoad
	// Usage counts what EventBridge bills so far.
	Usage Usage
}

// ProducerLoad is one account's PutEvents client: its requests waiting
// for an SDK retry or a resend of failed entries.
type ProducerLoad struct {
	Account string
	Waiting int
}

// Usage counts what EventBridge bills, in 64 KB chunks (each chunk of an
// event's payload is billed as one event): custom events accepted by
// PutEvents, deliveries of an event to another account's bus, and
// replayed events.
type Usage struct {
	Published, CrossAccount, Replayed int64
}

// billingChunk is the payload size billed as one event.
const billingChunk = 64 * 1024

// usageMeter is an Observer counting Usage (added to a run's observers
// only when someone samples it).
type usageMeter struct{ u Usage }

// Kinds makes the meter a backbone.Selective: it counts three kinds, and
// reads a detail's size (DetailBytes), never the detail, so a watched run
// keeps its details lazy.
func (um *usageMeter) Kinds() backbone.KindSet {
	return backbone.KindsOf(backbone.KindPublishAccepted, backbone.KindForwarded, backbone.KindReplayed)
}

func (um *usageMeter) Observe(o *backbone.Observation) {
	switch o.Kind {
	case backbone.KindPublishAccepted:
		um.u.Published += chunks(o)
	case backbone.KindForwarded:
		// Message is the destination bus; the rule's account is Account.
		if owner, _ := cut(o.Message); owner != o.Account {
			um.u.CrossAccount += chunks(o)
		}
	case backbone.KindReplayed:
		um.u.Replayed += chunks(o)
	}
}

// chunks is the number of billed events of o's event: its size by the
// PutEvents formula (14 bytes of time, source, detail-type, detail,
// resources), in 64 KB chunks, at least one.
func chunks(o *backbone.Observation) int64 {
	env := o.Env
	if env == nil {
		return 1
	}
	n := 14 + len(env.Source) + len(env.DetailType) + o.DetailBytes
	for _, r := range env.Resources {
		n += len(r)
	}
	return int64(max((n+billingChunk-1)/billingChunk, 1))
}

// sample fills w.sampled and hands it to Options.Sample.
func (w *world) sample(now time.Duration) {
	s := &w.sampled
	// The measure's counts are read once it has applied every note so
	// far (with a concurrent measure, Sync waits for it).
	w.notes.Sync()
	s.Now, s.Sent, s.Completed = now, w.sent, w.measure.journeys.Completed()
	s.InFlight = w.measure.rec.InFlight()
	s.Producers = s.Producers[:0]
	for _, a := range w.sc.Topology.Accounts {
		for _, c := range w.clientList {
			if c.account == a.Name {
				s.Producers = append(s.Producers, ProducerLoad{Account: a.Name, Waiting: len(c.pending) - len(c.free)})
			}
		}
	}
	s.Handlers = w.model.HandlerLoads(s.Handlers[:0])
	s.Accounts = w.model.AccountLoads(s.Accounts[:0])
	s.Targets = w.model.TargetLoads(s.Targets[:0])
	if w.usage != nil {
		s.Usage = w.usage.u
	}
	w.opts.Sample(s)
}
