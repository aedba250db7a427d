package drill

import (
	"container/heap"
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/busdrill/busdrill/actors"
	"github.com/busdrill/busdrill/event"
	"github.com/busdrill/busdrill/live/provision"
	"github.com/busdrill/busdrill/loadgen"
	"github.com/busdrill/busdrill/pattern"
	"github.com/busdrill/busdrill/report"
	"github.com/busdrill/busdrill/topology"
)

// Messages into the event loop. One channel carries them all, so that
// what one goroutine posts in order the loop handles in order (a call's
// start is always handled before any delivery it caused).
const (
	msgStarted     = iota // a worker is about to call PutEvents for batch
	msgDone               // the batch's final outcomes
	msgSkipped            // a batch never sent (shutdown)
	msgDelivery           // a probe received an event
	msgForeign            // a probe received something unreadable
	msgTrafficDone        // the schedule has no more orders (n sent)
	msgFault              // a fault timeline entry
)

type msg struct {
	kind     int
	batch    *batch
	at       time.Duration
	results  []result
	calls    []callRec
	delivery delivery
	n        int64
	fault    report.Fault
}

// The live runtime's own marks on a journey (actors.Journey.Flags).
const (
	// flagSent: this shard sent the order.
	flagSent = actors.FlagRuntime << iota
	// flagSeenDU: with ObserveOnly, Delivery.Updated was seen.
	flagSeenDU
)

// timed is a stand-in completion scheduled in the loop.
type timed struct {
	at  time.Duration
	seq uint64
	fn  func(now time.Duration)
}

type timedHeap []timed

func (h timedHeap) Len() int { return len(h) }
func (h timedHeap) Less(i, j int) bool {
	return h[i].at < h[j].at || (h[i].at == h[j].at && h[i].seq < h[j].seq)
}
func (h timedHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *timedHeap) Push(x any)   { *h = append(*h, x.(timed)) }
func (h *timedHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// loop owns the recorder, the journeys, the ledger, the stand-ins and
// every decision; it runs on one goroutine and takes the I/O goroutines'
// posts.
type loop struct {
	d       *Drill
	rec     *report.Recorder
	router  *topology.Router
	factory *loadgen.Factory
	r       *rand.Rand
	layout  *provision.Layout
	shard   loadgen.Shard
	runKey  []byte

	start                   time.Time
	traffic, cutoff, maxDur time.Duration

	journeys *actors.Journeys
	ledger   *ledger
	standIns *standIns
	sender   [3]string // account publishing each journey step (OrderCreated: per order)
	types    [3]string
	// faults are the fault windows the run's schedule recorded, for the
	// causes of the deliveries it never saw (ledger.settle).
	faults []report.Fault

	matchScratch pattern.Scratch
	hits         []int

	timers   timedHeap
	seq      uint64
	lateness loadgen.Lateness
	lag      *report.Histogram

	sentOrder                   []uint64 // journeys in send order, for the loss guard
	lossIdx                     int
	overdue, overdueIncomplete  int64
	sent, notSent               int64
	attempted, failed, emitFail int64
	foreign, dlqMessages        int64
	trafficDone                 bool
	interrupted                 bool
	stopReason                  string
}

func newLoop(d *Drill, rec *report.Recorder, router *topology.Router, f *loadgen.Factory, r *rand.Rand, lateTol time.Duration) (*loop, error) {
	o := d.opts
	l := &loop{
		d: d, rec: rec, router: router, factory: f, r: r, layout: o.Layout, shard: o.Layout.Shard,
		lag: report.NewHistogram(), journeys: actors.NewJourneys(rec, o.Layout.Shard.Count),
		runKey: []byte(`"run_id":` + string(event.AppendJSONString(nil, o.Layout.RunID))),
	}
	l.lateness.Tolerance = lateTol
	l.ledger = newLedger(l)
	for k := loadgen.OrderCreated; k <= loadgen.OrderUpdated; k++ {
		l.types[k] = f.Type(k).DetailType
	}
	for _, s := range o.Scenario.Services {
		if k, ok := f.KindOf(s.Emit); ok && l.sender[k] == "" {
			l.sender[k] = s.Account
		}
	}
	si, err := newStandIns(l)
	if err != nil {
		return nil, err
	}
	l.standIns = si
	return l, nil
}

func (l *loop) now() time.Duration { return l.d.clock.Now().Sub(l.start) }

// mine returns the journey if this shard sent it.
func (l *loop) mine(j uint64) (*actors.Journey, bool) {
	if !l.shard.Owns(j) {
		return nil, false
	}
	jr, ok := l.journeys.Known(j)
	if !ok || jr.Flags&flagSent == 0 {
		return nil, false
	}
	return jr, true
}

// run handles messages, timers and the once-a-second checks until the
// cut-off, an early settle, a stop condition, MaxDuration, or ctx.
func (l *loop) run(ctx context.Context) {
	tick := l.d.clock.NewTimer(time.Second)
	defer tick.Stop()
	tm := l.d.clock.NewTimer(time.Hour)
	defer tm.Stop()
	end := l.d.clock.NewTimer(l.cutoff)
	defer end.Stop()
	for {
		if len(l.timers) > 0 {
			tm.Reset(max(0, l.timers[0].at-l.now()))
		}
		select {
		case m := <-l.d.inbox:
			l.handle(m)
		case <-tm.C():
			now := l.now()
			for len(l.timers) > 0 && l.timers[0].at <= now {
				t := heap.Pop(&l.timers).(timed)
				t.fn(now)
			}
		case <-tick.C():
			tick.Reset(time.Second)
			if l.second() {
				return
			}
		case <-end.C():
			return
		case <-ctx.Done():
			l.interrupted = true
			if l.stopReason == "" {
				l.stopReason = "interrupted"
			}
			return
		}
	}
}

// second runs the once-a-second work: progress, guards, early settle. It
// reports whether the run must end now.
func (l *loop) second() bool {
	now := l.now()
	o := l.d.opts
	if o.Progress != nil {
		o.Progress(Progress{Elapsed: now, Cutoff: l.cutoff, Sent: l.sent, Completed: l.journeys.Completed(), Late: int64(l.lateness.Late),
			InFlightDeliveries: l.ledger.inFlight(), NotSent: l.notSent, FailedEntries: l.failed})
	}
	st := o.Stop
	minN := int64(st.MinSamplesOrDefault())
	if st.MaxErrorRate > 0 && l.attempted >= minN {
		if r := float64(l.failed) / float64(l.attempted); r > st.MaxErrorRate {
			return l.abort(fmt.Sprintf("stop condition: %.2f%% of PutEvents entries failed (limit %.2f%%)", 100*r, 100*st.MaxErrorRate))
		}
	}
	if st.MaxLossRate > 0 {
		after := st.LossAfterOrDefault()
		for l.lossIdx < len(l.sentOrder) {
			j, _ := l.journeys.Known(l.sentOrder[l.lossIdx])
			if j.Intended+after > now {
				break
			}
			l.overdue++
			if j.Flags&actors.FlagCompleted == 0 {
				l.overdueIncomplete++
			}
			l.lossIdx++
		}
		if l.overdue >= minN {
			if r := float64(l.overdueIncomplete) / float64(l.overdue); r > st.MaxLossRate {
				return l.abort(fmt.Sprintf("stop condition: %.2f%% of journeys not complete %v after their send time (limit %.2f%%)", 100*r, after, 100*st.MaxLossRate))
			}
		}
	}
	if now >= l.maxDur {
		return l.abort(fmt.Sprintf("stop condition: maximum duration %v reached", l.maxDur))
	}
	if o.SettleEarly && l.trafficDone && now >= l.traffic && len(l.timers) == 0 &&
		l.journeys.Completed()+l.notSent == l.sent && l.ledger.settled() && l.d.emitsEmpty() && l.d.inFlightCalls.Load() == 0 {
		return true
	}
	return false
}

func (l *loop) abort(reason string) bool {
	l.interrupted = true
	l.stopReason = reason
	fmt.Fprintln(l.d.opts.Log, reason)
	return true
}

// drainUntil keeps handling messages (outcomes of calls in flight are
// still recorded; deliveries after the cut-off are not) until done closes.
func (l *loop) drainUntil(done <-chan struct{}) {
	for {
		select {
		case m := <-l.d.inbox:
			l.handle(m)
		case <-done:
			return
		}
	}
}

// drainInbox handles what is left in the inbox.
func (l *loop) drainInbox() {
	for {
		select {
		case m := <-l.d.inbox:
			l.handle(m)
		default:
			return
		}
	}
}

func (l *loop) handle(m msg) {
	switch m.kind {
	case msgStarted:
		l.d.inFlightCalls.Add(1)
		for i := range m.batch.items {
			it := &m.batch.items[i]
			if !it.order {
				continue
			}
			j := l.journeys.Start(it.journey, it.intended)
			j.Flags |= flagSent
			l.rec.Sent(it.journey, it.intended, m.at)
			l.lateness.Record(it.intended, m.at)
			l.lag.Record(max(0, m.at-it.intended))
			l.sent++
			l.sentOrder = append(l.sentOrder, it.journey)
		}
	case msgDone:
		l.d.inFlightCalls.Add(-1)
		l.callDone(m)
	case msgSkipped:
	case msgDelivery:
		l.observe(m.delivery)
	case msgForeign:
		l.foreign++
	case msgTrafficDone:
		l.trafficDone = true
	case msgFault:
		l.rec.Fault(m.fault)
		l.faults = append(l.faults, m.fault)
	}
}

// callDone records a batch's outcome: the PutEvents calls, and each entry:
// accepted, its expected routes (those the probes observe); given up, the
// same routes lost with the give-up's cause (and an order not sent), as
// the simulator's producer books them.
func (l *loop) callDone(m msg) {
	b := m.batch
	for _, c := range m.calls {
		l.rec.PutEventsCall(b.sender, c.at, c.entries, c.throttled)
	}
	for i := range b.items {
		it := &b.items[i]
		r := m.results[i]
		l.attempted++
		if r.code != "" {
			l.failed++
			cause := actors.GiveUpCause(r.code, "")
			l.ledger.gaveUp(it, cause, m.at)
			if it.order {
				l.rec.NotSent(it.journey, cause)
				l.notSent++
				if j, ok := l.mine(it.journey); ok {
					j.Flags |= actors.FlagCompleted // resolved: not in flight
				}
			} else {
				l.emitFail++
			}
			continue
		}
		l.ledger.accepted(it, r.ack)
		if _, ok := l.mine(it.journey); !ok {
			continue
		}
		switch {
		case it.order:
			l.journeys.Acked(it.journey, r.ack)
			// A live run cannot see Order.Created reach its bus: the
			// acknowledgement is the nearest point it observes.
			l.journeys.Reached(it.journey, r.ack)
		case it.kind == loadgen.DeliveryUpdated && !it.relay:
			l.journeys.Emitted(it.journey, m.calls[0].at)
		}
	}
}

// senderOf is the account that published step k of journey j, known from
// the scenario alone: what a delivery's envelope does not say (an emulator
// may rewrite its account).
func (l *loop) senderOf(jid uint64, k loadgen.Kind) string {
	if k == loadgen.OrderCreated {
		return l.factory.Order(loadgen.Arrival{Index: jid}).Origin
	}
	return l.sender[k]
}

// finish assembles the results and the stats.
func (l *loop) finish() (*report.Results, *Stats) {
	c := &l.d.counters
	metrics := map[string]int64{
		"live:putevents_calls":     c.calls.Load(),
		"live:putevents_entries":   c.entries.Load(),
		"live:putevents_throttled": c.throttled.Load(),
		"live:resent_entries":      c.resent.Load(),
		"live:failed_entries":      l.failed,
		"live:emit_failed":         l.emitFail,
		"live:late_orders":         int64(l.lateness.Late),
		"live:probe_messages":      c.probeMessages.Load(),
		"live:probe_foreign":       l.foreign,
		"live:poll_errors":         c.pollErrors.Load(),
		"live:dlq_messages":        l.dlqMessages,
	}
	if !l.interrupted {
		l.ledger.settle()
	}
	res := l.rec.Finish(metrics)
	res.Interrupted = l.interrupted
	sc := l.d.opts.Scenario
	conds := sc.Conditions()
	res.Evaluate(conds)
	st := &Stats{
		Calls: c.calls.Load(), Entries: c.entries.Load(), Resent: c.resent.Load(), Failed: l.failed,
		Throttled: c.throttled.Load(), Late: l.lateness,
		LagP50: l.lag.Quantile(0.5), LagP99: l.lag.Quantile(0.99), LagP999: l.lag.Quantile(0.999), LagMax: l.lag.Quantile(1),
		ProbeMessages: c.probeMessages.Load(), Foreign: l.foreign, PollErrors: c.pollErrors.Load(),
		DLQMessages: l.dlqMessages, StopReason: l.stopReason, Wall: l.now(),
	}
	return res, st
}
