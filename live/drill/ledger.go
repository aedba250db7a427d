package drill

import (
	"bytes"
	"hash/maphash"
	"time"

	"github.com/busdrill/busdrill/chaos"
	"github.com/busdrill/busdrill/event"
	"github.com/busdrill/busdrill/live/provision"
	"github.com/busdrill/busdrill/loadgen"
	"github.com/busdrill/busdrill/report"
	"github.com/busdrill/busdrill/topology"
)

// deniedCode is the ERROR_CODE of a forward the destination's policy
// denies: the model's default CrossAccountDeniedCode (UNCONFIRMED there,
// and so here).
const deniedCode = "NO_PERMISSIONS"

// ledger is a live run's account of the deliveries it expects at its
// probes, booked as the simulator books them (one ledger: the same route,
// the same cause, once):
//
//   - an accepted entry expects each probe its nominal routes reach
//     (topology.Router, the simulator's routing);
//   - an entry a producer gave up loses those routes, with the give-up's
//     cause (throttled, AccessDeniedException, ...);
//   - a probe's first delivery of an event id is delivered (later ones are
//     redeliveries: duplicates);
//   - a DLQ message of a rule target loses, dead-lettered with its
//     ERROR_CODE, each probe route downstream of that target;
//   - at the end of a complete run, an expected delivery neither seen nor
//     dead-lettered is booked lost when the topology proves it could not
//     happen (topology.Router.LossCause): a second bus-to-bus hop
//     (THIRD_ACCOUNT_HOP_DETECTED), or a rule disabled or a policy
//     statement removed by the run's own faults when the event was
//     published. Whatever is left is in flight at the cut-off.
//
// Counts are kept per probe and per (journey, step) in dense byte slices.
type ledger struct {
	l       *loop
	isProbe map[string]int
	// exp, got and dlq count, per probe and slot, the deliveries
	// expected, seen, and dead-lettered.
	exp, got, dlq [][]uint8
	// pubs is, per slot, the last accepted publication of the step.
	pubs    []publication
	strings []string // interned senders, buses and sources
	intern  map[string]int32
	seenIDs []map[uint64]struct{} // per probe: event ids delivered
	seed    maphash.Seed

	expected, seen, dead, lost int64
	buf                        []string
}

// publication is where and when a step of a journey was published.
type publication struct {
	at                  time.Duration
	sender, bus, source int32
	set                 bool
}

func newLedger(l *loop) *ledger {
	n := len(l.layout.Probes)
	lg := &ledger{l: l, isProbe: map[string]int{}, exp: make([][]uint8, n), got: make([][]uint8, n), dlq: make([][]uint8, n),
		intern: map[string]int32{}, seenIDs: make([]map[uint64]struct{}, n), seed: maphash.MakeSeed()}
	for i, p := range l.layout.Probes {
		lg.isProbe[p.Consumer] = i
		lg.seenIDs[i] = map[uint64]struct{}{}
	}
	return lg
}

func (lg *ledger) slot(jid uint64, k loadgen.Kind) int {
	return int(jid/max(lg.l.shard.Count, 1))*3 + int(k)
}

func (lg *ledger) name(s string) int32 {
	if i, ok := lg.intern[s]; ok {
		return i
	}
	lg.strings = append(lg.strings, s)
	lg.intern[s] = int32(len(lg.strings) - 1)
	return int32(len(lg.strings) - 1)
}

func bump(counts []uint8, i int) []uint8 {
	if i >= len(counts) {
		counts = append(counts, make([]uint8, i+1-len(counts)+len(counts)/2)...)
	}
	if counts[i] < 255 {
		counts[i]++
	}
	return counts
}

func at(counts []uint8, i int) int {
	if i < len(counts) {
		return int(counts[i])
	}
	return 0
}

// probeRoutes are the probe consumers an entry published by sender to bus
// reaches nominally.
func (lg *ledger) probeRoutes(it *item) []string {
	l := lg.l
	env := lg.envelope(it.sender, it.entry.Source, it.entry.DetailType, it.entry.Detail, it.entry.Resources)
	lg.buf = l.router.AppendExpectedRoutes(lg.buf[:0], it.sender, it.bus, &env)
	out := lg.buf[:0]
	for _, c := range lg.buf {
		if _, ok := lg.isProbe[c]; ok {
			out = append(out, c)
		}
	}
	return out
}

// accepted books an accepted entry's expected deliveries.
func (lg *ledger) accepted(it *item, ack time.Duration) {
	s := lg.slot(it.journey, it.kind)
	for _, c := range lg.probeRoutes(it) {
		p := lg.isProbe[c]
		lg.l.rec.Expect(it.sender, c)
		lg.exp[p] = bump(lg.exp[p], s)
		lg.expected++
	}
	for len(lg.pubs) <= s {
		lg.pubs = append(lg.pubs, make([]publication, s+1-len(lg.pubs)+len(lg.pubs)/2)...)
	}
	lg.pubs[s] = publication{at: ack, sender: lg.name(it.sender), bus: lg.name(it.bus), source: lg.name(it.entry.Source), set: true}
}

// gaveUp books the routes of an entry the producer gave up as lost.
func (lg *ledger) gaveUp(it *item, cause string, now time.Duration) {
	for _, c := range lg.probeRoutes(it) {
		lg.l.rec.Expect(it.sender, c)
		lg.l.rec.LostFor(it.journey, it.sender, c, cause, false, now)
	}
}

// delivered books a probe's delivery; it reports false for a duplicate:
// a redelivery of an event id already seen there, or a copy of a step
// seen there as many times as it was published to reach it (a producer's
// resend the loop never saw as a publication, such as the client-side
// duplicate fault's). A delivery that comes before its publication's
// acknowledgement (an emulator may deliver within the call) counts.
func (lg *ledger) delivered(dv delivery, sender string, jid uint64, k loadgen.Kind) bool {
	h := maphash.String(lg.seed, dv.id)
	if _, dup := lg.seenIDs[dv.probe][h]; dup {
		return false
	}
	lg.seenIDs[dv.probe][h] = struct{}{}
	s := lg.slot(jid, k)
	if got, exp := at(lg.got[dv.probe], s), at(lg.exp[dv.probe], s); exp > 0 && got >= exp {
		return false
	}
	lg.l.rec.Delivered(sender, lg.l.layout.Probes[dv.probe].Consumer, dv.at)
	lg.got[dv.probe] = bump(lg.got[dv.probe], s)
	lg.seen++
	return true
}

// deadLettered books one DLQ message: each probe route downstream of the
// DLQ's target is lost, dead-lettered, with the message's ERROR_CODE.
func (l *loop) deadLettered(q provision.DLQ, dv delivery) {
	if !bytes.Contains(dv.detail, l.runKey) {
		return
	}
	jid, ok := loadgen.JourneyOf(dv.detail)
	k, isStep := l.factory.KindOf(dv.detailType)
	if !ok || !isStep || !l.shard.Owns(jid) {
		return
	}
	l.dlqMessages++
	l.rec.DeadLettered(dv.at)
	lg := l.ledger
	sender := l.senderOfDelivery(dv, jid, k)
	// The message says whose it is (a DLQ may serve several targets);
	// the target the layout knows for the queue is the fallback.
	b, i, t, found := l.targetOfARNs(dv.ruleARN, dv.targetARN)
	if !found {
		b, i, t, found = l.targetOf(q.Consumer)
	}
	if !found {
		return // a DLQ the live section names, of no known target
	}
	env := lg.envelope(sender, dv.source, dv.detailType, dv.detail, dv.resources)
	s := lg.slot(jid, k)
	// The event came to the target's bus through a forward unless it was
	// published there.
	hopped := true
	if s < len(lg.pubs) && lg.pubs[s].set {
		hopped = lg.strings[lg.pubs[s].bus] != l.router.X.T.Buses[b].Ref()
	}
	for _, c := range l.router.AppendFromTarget(nil, b, i, t, &env, hopped) {
		p, ok := lg.isProbe[c]
		if !ok {
			continue
		}
		l.rec.LostFor(jid, sender, c, dv.errorCode, true, dv.at)
		lg.dlq[p] = bump(lg.dlq[p], s)
		lg.dead++
	}
}

// targetOf finds a target by its reference "account/bus/rule/target".
func (l *loop) targetOf(ref string) (b, i, t int, ok bool) {
	x := l.router.X
	for b := range x.T.Buses {
		for i := range x.T.Buses[b].Rules {
			for t := range x.T.Buses[b].Rules[i].Targets {
				if l.router.TargetRef(b, i, t) == ref {
					return b, i, t, true
				}
			}
		}
	}
	return 0, 0, 0, false
}

// targetOfARNs finds the target a DLQ message names by its RULE_ARN and
// TARGET_ARN attributes, as deployed.
func (l *loop) targetOfARNs(ruleARN, targetARN string) (b, i, t int, ok bool) {
	x := l.router.X
	for _, db := range l.layout.Buses {
		bi, known := x.Bus(db.Ref)
		if !known {
			continue
		}
		bus := &x.T.Buses[bi]
		for ri := range bus.Rules {
			if topology.RuleARN(l.layout.Region, db.ID, db.Name, bus.Rules[ri].Name) != ruleARN {
				continue
			}
			targets := bus.Rules[ri].Targets
			for ti := range targets {
				if len(targets) == 1 || l.deployedTargetARN(&targets[ti]) == targetARN {
					return bi, ri, ti, true
				}
			}
		}
	}
	return 0, 0, 0, false
}

// deployedTargetARN is a target's ARN as deployed ("" when not known).
func (l *loop) deployedTargetARN(tg *topology.Target) string {
	switch tg.Kind {
	case topology.KindBus:
		return l.layout.Bus(tg.Bus).ARN
	case topology.KindQueue:
		acct, name, _ := topology.SplitRef(tg.Queue)
		return topology.QueueARN(l.layout.Region, l.layout.AccountID(acct), name)
	}
	return ""
}

// settle books, at the end of a complete run, the expected deliveries
// the topology proves were lost (see the type's documentation).
func (lg *ledger) settle() {
	l := lg.l
	stride := max(l.shard.Count, 1)
	for p, probe := range l.layout.Probes {
		for s := range lg.exp[p] {
			pending := at(lg.exp[p], s) - at(lg.got[p], s) - at(lg.dlq[p], s)
			if pending <= 0 || s >= len(lg.pubs) || !lg.pubs[s].set {
				continue
			}
			pub := lg.pubs[s]
			jid := uint64(s/3)*stride + l.shard.Index
			k := loadgen.Kind(s % 3)
			sender := lg.strings[pub.sender]
			o := l.factory.Order(loadgen.Arrival{Index: jid})
			if j, ok := l.journeys.Known(jid); ok {
				o = l.factory.Order(loadgen.Arrival{Index: jid, At: j.Intended})
			}
			e := l.factory.Entry(&o, k)
			env := lg.envelope(sender, lg.strings[pub.source], e.DetailType, e.Detail, nil)
			cause := l.router.LossCause(sender, lg.strings[pub.bus], &env, probe.Consumer, l.blockedAt(pub.at))
			if cause == "" {
				continue
			}
			for range pending {
				l.rec.LostFor(jid, sender, probe.Consumer, cause, false, pub.at)
			}
			lg.lost += int64(pending)
		}
	}
}

// inFlight is how many expected deliveries are not resolved yet.
func (lg *ledger) inFlight() int64 { return lg.expected - lg.seen - lg.dead - lg.lost }

// settled reports whether every expected delivery was seen or
// dead-lettered.
func (lg *ledger) settled() bool { return lg.inFlight() <= 0 }

func (lg *ledger) envelope(sender, source, detailType string, detail []byte, resources []string) event.Envelope {
	return event.Envelope{DetailType: detailType, Source: source, Account: lg.l.scenarioID(sender),
		Region: lg.l.router.Region, Resources: resources, Detail: detail}
}

// blockedAt is what the run's own faults had changed at elapsed time t:
// rules disabled and policy statements removed (their recorded windows;
// a fault that changed nothing is left out).
func (l *loop) blockedAt(t time.Duration) topology.Blocked {
	ms := float64(t) / float64(time.Millisecond)
	active := func(f report.Fault) bool { return f.Effect == "" && f.StartMs <= ms && ms < f.EndMs }
	x := l.router.X
	return topology.Blocked{
		DeniedCode: deniedCode,
		RuleDisabled: func(b, i int) bool {
			ref := x.T.Buses[b].Ref() + "/" + x.T.Buses[b].Rules[i].Name
			for _, f := range l.faults {
				if f.Kind == chaos.KindDisable && f.Target == ref && active(f) {
					return true
				}
			}
			return false
		},
		Policy: func(b int) []topology.Statement {
			bus := &x.T.Buses[b]
			var kept []topology.Statement
			removed := false
			for _, st := range bus.Policy {
				gone := false
				for _, f := range l.faults {
					if f.Kind == chaos.KindRevoke && f.Target == bus.Ref()+"#"+st.Sid && active(f) {
						gone = true
					}
				}
				if gone {
					removed = true
					continue
				}
				kept = append(kept, st)
			}
			if !removed {
				return nil
			}
			return append([]topology.Statement{}, kept...)
		},
	}
}
