package drill

import (
	"bytes"
	"container/heap"
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/busdrill/busdrill/actors"
	"github.com/busdrill/busdrill/event"
	"github.com/busdrill/busdrill/live/provision"
	"github.com/busdrill/busdrill/loadgen"
	"github.com/busdrill/busdrill/report"
	"github.com/busdrill/busdrill/rng"
	"github.com/busdrill/busdrill/scenarios"
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

// journey is what the loop remembers of one of this shard's orders.
type journey struct {
	intended, acked, accepted, emitted, firstDU time.Duration
	flags                                       uint8
}

const (
	jSent uint8 = 1 << iota
	jAcked
	jAccepted
	jHandled
	jEmitted
	jCompleted
	jSeenDU
	jHopDelivery
)

// standIn is a service stand-in: the business logic of a service, fed
// from the probe on its bus.
type standIn struct {
	spec     scenarios.Service
	consumer string // the service's handler consumer reference
	dedupe   *actors.Dedupe
	process  rng.Dist
	emit     loadgen.Kind
	emits    bool
	first    bool // consumes Order.Created: its acceptance and run are hops
}

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

// loop owns the recorder, the journeys, the stand-ins and every decision;
// it runs on one goroutine and takes the I/O goroutines' posts.
type loop struct {
	d       *Drill
	rec     *report.Recorder
	router  *topology.Router
	factory *loadgen.Factory
	r       *rand.Rand
	layout  *provision.Layout
	shard   loadgen.Shard
	stride  uint64
	runKey  []byte

	start                   time.Time
	traffic, cutoff, maxDur time.Duration

	journeys []journey
	standIns []*standIn
	byProbe  [][]*standIn // stand-ins fed by each probe
	probeOf  map[string]int
	sender   [3]string // account publishing each journey step (OrderCreated: per order)
	types    [3]string
	firstBus int // probe index of the bus Order.Created's consumer is on, -1

	seen     [][]uint64 // per probe: business keys delivered (bitset)
	timers   timedHeap
	seq      uint64
	lateness loadgen.Lateness
	lag      *report.Histogram

	sentOrder                   []uint64 // journeys in send order, for the loss guard
	lossIdx                     int
	overdue, overdueIncomplete  int64
	sent, completed, notSent    int64
	attempted, failed, emitFail int64
	expected, delivered         int64
	foreign, dlqMessages        int64
	trafficDone                 bool
	interrupted                 bool
	stopReason                  string
}

func newLoop(d *Drill, rec *report.Recorder, router *topology.Router, f *loadgen.Factory, r *rand.Rand, lateTol time.Duration) (*loop, error) {
	o := d.opts
	l := &loop{
		d: d, rec: rec, router: router, factory: f, r: r, layout: o.Layout, shard: o.Layout.Shard,
		probeOf: map[string]int{}, firstBus: -1, lag: report.NewHistogram(),
		runKey: []byte(`"run_id":` + string(event.AppendJSONString(nil, o.Layout.RunID))),
	}
	l.lateness.Tolerance = lateTol
	l.stride = o.Layout.Shard.Count
	if l.stride == 0 {
		l.stride = 1
	}
	for k := loadgen.OrderCreated; k <= loadgen.OrderUpdated; k++ {
		l.types[k] = f.Type(k).DetailType
	}
	l.byProbe = make([][]*standIn, len(o.Layout.Probes))
	l.seen = make([][]uint64, len(o.Layout.Probes))
	for i, p := range o.Layout.Probes {
		l.probeOf[p.Consumer] = i
	}
	sc := o.Scenario
	for _, s := range sc.Services {
		if k, ok := f.KindOf(s.Emit); ok && l.sender[k] == "" {
			l.sender[k] = s.Account
		}
		p := -1
		for i, pr := range o.Layout.Probes {
			if pr.Bus.Ref == s.Bus {
				p = i
			}
		}
		if s.On == l.types[loadgen.OrderCreated] && l.firstBus < 0 {
			l.firstBus = p
		}
		if o.ObserveOnly {
			continue
		}
		if p < 0 {
			return nil, fmt.Errorf("drill: service %s consumes from %s, which has no probe; add it to probes.buses or run with observe-only", s.Name, s.Bus)
		}
		dd, err := actors.NewDedupe(s.Idempotency.Strategy, s.Idempotency.Window, l.stride)
		if err != nil {
			return nil, err
		}
		si := &standIn{spec: s, consumer: s.Bus + "/" + s.Name + "/" + scenarios.ServiceTarget, dedupe: dd}
		si.emit, si.emits = f.KindOf(s.Emit)
		si.first = s.On == l.types[loadgen.OrderCreated]
		si.process = s.Processing
		if si.process == nil {
			si.process = rng.NewLogNormal(float64(20*time.Millisecond), float64(200*time.Millisecond))
		}
		l.standIns = append(l.standIns, si)
		l.byProbe[p] = append(l.byProbe[p], si)
	}
	return l, nil
}

func (l *loop) now() time.Duration { return l.d.clock.Now().Sub(l.start) }

func (l *loop) journey(j uint64) *journey {
	i := j / l.stride
	if i >= uint64(len(l.journeys)) {
		l.journeys = append(l.journeys, make([]journey, int(i)+1-len(l.journeys)+len(l.journeys)/2)...)
	}
	return &l.journeys[i]
}

// mine returns the journey if this shard sent it.
func (l *loop) mine(j uint64) (*journey, bool) {
	if !l.shard.Owns(j) {
		return nil, false
	}
	i := j / l.stride
	if i >= uint64(len(l.journeys)) || l.journeys[i].flags&jSent == 0 {
		return nil, false
	}
	return &l.journeys[i], true
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
		o.Progress(Progress{Elapsed: now, Cutoff: l.cutoff, Sent: l.sent, Completed: l.completed, Late: int64(l.lateness.Late),
			InFlightDeliveries: l.expected - l.delivered, NotSent: l.notSent, FailedEntries: l.failed})
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
			j := &l.journeys[l.sentOrder[l.lossIdx]/l.stride]
			if j.intended+after > now {
				break
			}
			l.overdue++
			if j.flags&jCompleted == 0 {
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
		l.completed+l.notSent == l.sent && l.expected == l.delivered && l.d.emitsEmpty() && l.d.inFlightCalls.Load() == 0 {
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
			j := l.journey(it.journey)
			j.intended = it.intended
			j.flags |= jSent
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
	}
}

// callDone records a batch's outcome: the PutEvents calls, each entry's
// expected routes (accepted) or its failure.
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
			if it.order {
				l.rec.NotSent(it.journey, r.code)
				l.notSent++
				if j, ok := l.mine(it.journey); ok {
					j.flags |= jCompleted // resolved: not in flight
				}
			} else {
				l.emitFail++
			}
			continue
		}
		env := event.Envelope{
			DetailType: it.entry.DetailType, Source: it.entry.Source, Detail: it.entry.Detail,
			Account: l.scenarioID(it.sender), Region: l.router.Region,
		}
		for _, c := range l.router.ExpectedRoutes(it.sender, it.bus, &env) {
			if _, ok := l.probeOf[c]; ok {
				l.rec.Expect(it.sender, c)
				l.expected++
			}
		}
		j, ok := l.mine(it.journey)
		if !ok {
			continue
		}
		switch {
		case it.order && j.flags&jAcked == 0:
			j.flags |= jAcked
			j.acked = r.ack
			l.rec.Hop(report.HopPutAck, r.ack-j.intended)
			l.deliveryHop(j)
		case it.kind == loadgen.DeliveryUpdated && j.flags&jEmitted == 0:
			j.flags |= jEmitted
			j.emitted = m.calls[0].at
		}
	}
}

func (l *loop) scenarioID(account string) string {
	if i, ok := l.router.X.Account(account); ok {
		return l.router.X.T.Accounts[i].ID
	}
	return ""
}

// senderOf is the account that published step k of journey j, known from
// the scenario alone (the envelope's account is not trusted).
func (l *loop) senderOf(jid uint64, k loadgen.Kind) string {
	if k == loadgen.OrderCreated {
		return l.factory.Order(loadgen.Arrival{Index: jid}).Origin
	}
	return l.sender[k]
}

// firstDelivery marks (probe, journey, step) seen and reports whether it
// was new.
func (l *loop) firstDelivery(p int, jid uint64, k loadgen.Kind) bool {
	i := (jid/l.stride)*3 + uint64(k)
	w := i / 64
	s := l.seen[p]
	if w >= uint64(len(s)) {
		s = append(s, make([]uint64, int(w)+1-len(s)+len(s)/2)...)
		l.seen[p] = s
	}
	bit := uint64(1) << (i % 64)
	if s[w]&bit != 0 {
		return false
	}
	s[w] |= bit
	return true
}

// deliveryHop records Order.Created's acknowledgement → seen by its
// consumer's probe, once both are known.
func (l *loop) deliveryHop(j *journey) {
	if j.flags&(jAcked|jAccepted) == jAcked|jAccepted && j.flags&jHopDelivery == 0 {
		j.flags |= jHopDelivery
		l.rec.Hop(report.HopDelivery, max(0, j.accepted-j.acked))
	}
}

// observe handles one event a probe received.
func (l *loop) observe(dv delivery) {
	if dv.at > l.cutoff || !bytes.Contains(dv.detail, l.runKey) {
		l.foreign++
		return
	}
	jid, ok := loadgen.JourneyOf(dv.detail)
	k, isStep := l.factory.KindOf(dv.detailType)
	if !ok || !isStep || !l.shard.Owns(jid) {
		l.foreign++ // another shard's, or not a journey event
		return
	}
	p := l.layout.Probes[dv.probe]
	consumer := p.Consumer
	sender := l.senderOf(jid, k)
	l.rec.Invocation(p.Bus.Account, dv.at)
	if l.firstDelivery(dv.probe, jid, k) {
		l.rec.Delivered(sender, consumer, dv.at)
		l.delivered++
	}
	l.rec.Consumed(consumer, dv.id, jid, dv.detailType, dv.at)
	j, mine := l.mine(jid)
	if !mine {
		return
	}
	switch k {
	case loadgen.OrderCreated:
		if dv.probe == l.firstBus && j.flags&jAccepted == 0 {
			// An emulator delivers inside the PutEvents call, so the
			// delivery may be handled before the acknowledgement: the
			// hop is then recorded when the ack arrives.
			j.flags |= jAccepted
			j.accepted = dv.at
			l.deliveryHop(j)
		}
	case loadgen.DeliveryUpdated:
		if l.d.opts.ObserveOnly && j.flags&jSeenDU == 0 {
			j.flags |= jSeenDU
			j.firstDU = dv.at
			if j.flags&jAccepted != 0 {
				l.rec.Hop(report.HopHandler, dv.at-j.accepted)
			}
		}
	case loadgen.OrderUpdated:
		if j.flags&jCompleted == 0 {
			j.flags |= jCompleted
			l.completed++
			l.rec.Completed(jid, dv.at)
			switch {
			case j.flags&jEmitted != 0 && !l.d.opts.ObserveOnly:
				l.rec.Hop(report.HopFinal, dv.at-j.emitted)
			case j.flags&jSeenDU != 0:
				l.rec.Hop(report.HopFinal, dv.at-j.firstDU)
			}
		}
	}
	for _, s := range l.byProbe[dv.probe] {
		if s.spec.On != dv.detailType {
			continue
		}
		l.rec.Consumed(s.consumer, dv.id, jid, dv.detailType, dv.at)
		s := s
		accepted := dv.at
		id := dv.id
		dur := rng.Duration(s.process, l.r)
		l.seq++
		heap.Push(&l.timers, timed{at: dv.at + dur, seq: l.seq, fn: func(now time.Duration) {
			l.runService(s, jid, k, id, accepted, now)
		}})
	}
}

// runService is a stand-in finishing its work on an event: idempotency,
// the side effect, and the journey's next event, published as its account.
func (l *loop) runService(s *standIn, jid uint64, k loadgen.Kind, id string, accepted, now time.Duration) {
	j := &l.journeys[jid/l.stride] // looked up now: the table may have grown
	if s.first && j.flags&jHandled == 0 {
		j.flags |= jHandled
		l.rec.Hop(report.HopHandler, now-accepted)
	}
	if !s.dedupe.Admit(now, id, jid, int(k)) {
		return
	}
	l.rec.SideEffect(s.consumer, jid, l.types[k])
	if !s.emits {
		return
	}
	o := l.factory.Order(loadgen.Arrival{Index: jid, At: j.intended})
	e := l.factory.Entry(&o, s.emit)
	e.EventBusName = l.layout.PutName(s.spec.Account, s.spec.EmitTo)
	l.d.emits.push(item{sender: s.spec.Account, bus: s.spec.EmitTo, entry: e, journey: jid, kind: s.emit})
}

// deadLettered records one DLQ message: an expected delivery to the DLQ's
// target that ended in the DLQ, with its ERROR_CODE as the cause.
func (l *loop) deadLettered(q provision.DLQ, dv delivery) {
	if !bytes.Contains(dv.detail, l.runKey) {
		return
	}
	jid, ok := loadgen.JourneyOf(dv.detail)
	k, isStep := l.factory.KindOf(dv.detailType)
	if !ok || !isStep || !l.shard.Owns(jid) {
		return
	}
	consumer := q.Consumer
	if consumer == "" {
		consumer = q.Ref
	}
	sender := l.senderOf(jid, k)
	l.dlqMessages++
	l.rec.Expect(sender, consumer)
	l.rec.Lost(sender, consumer, dv.errorCode, true, dv.at)
	l.rec.DeadLettered(dv.at)
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
