package serve

import (
	"fmt"
	"io"
	"time"

	"github.com/busdrill/busdrill/chaos"
	"github.com/busdrill/busdrill/event"
	"github.com/busdrill/busdrill/loadgen"
	"github.com/busdrill/busdrill/rng"
	"github.com/busdrill/busdrill/scenarios"
	"github.com/busdrill/busdrill/sim"
	"github.com/busdrill/busdrill/sim/backbone"
	"github.com/busdrill/busdrill/topology"
)

// The fault schedule on the wall clock: a preloaded scenario's faults are
// applied at their start and reverted at their end, as sim/world/faults.go
// applies them in virtual time, through the same chaos.Actuator calls on
// the model (and on the control-plane state, so that DescribeRule shows a
// rule a fault disabled). Here busdrill is the service, so every kind can
// be injected.
//
// Which faults serve injects (Options.Faults):
//
//	backbone  (default) those a live run cannot inject itself: a live run
//	          of the same scenario injects disable-rule, revoke-permission
//	          (a statement), throttle (entry_error ThrottlingException) and
//	          duplicate (producer-timeout) through its own actuators, and
//	          serve the rest, so each fault happens once
//	all       every fault (no live run, or a client that injects nothing)
//	none      no fault
//
// Producer-side faults (producer-timeout duplicates, oversized orders)
// belong to the producer and are never serve's; poison marks orders for
// the stand-ins (--stand-ins) and has no effect without them.
//
// The schedule's time 0 (Options.FaultClock): "traffic" (default) is the
// start of the busdrill run whose first entry serve receives, read from
// the entry's detail.metadata (arrival time − intended_ns), so that a run
// started any time after serve sees the faults where the simulator puts
// them; "start" is when serve started.

// Fault selections and clocks.
const (
	FaultsBackbone    = "backbone"
	FaultsAll         = "all"
	FaultsNone        = "none"
	FaultClockTraffic = "traffic"
	FaultClockStart   = "start"
)

type faultSchedule struct {
	b      *backend
	tl     *chaos.Timeline
	log    io.Writer
	active map[string]*chaos.Fault // by name, while applied
	states map[string]string       // by name: pending, active, done, failed: ...
	order  []string
	zero   sim.Time
	armed  bool
	// saved statements of revoked policy statements, by bus#sid.
	saved map[string]policyStatement
}

func newFaultSchedule(b *backend, opts *Options) *faultSchedule {
	fs := &faultSchedule{b: b, log: opts.Log, active: map[string]*chaos.Fault{}, states: map[string]string{},
		saved: map[string]policyStatement{}, tl: &chaos.Timeline{}}
	if fs.log == nil {
		fs.log = io.Discard
	}
	sc := opts.Scenario
	if sc != nil && sc.Faults != nil && opts.Faults != FaultsNone {
		for _, f := range sc.Faults.Faults {
			if opts.Faults == FaultsBackbone && (LiveInjects(&f) || producerSide(&f)) {
				continue
			}
			if f.Kind == chaos.KindOversize || (f.Kind == chaos.KindDuplicate && f.Mode == "producer-timeout") {
				continue
			}
			fs.tl.Faults = append(fs.tl.Faults, f)
		}
	}
	for i := range fs.tl.Faults {
		fs.states[fs.tl.Faults[i].Name] = "pending"
		fs.order = append(fs.order, fs.tl.Faults[i].Name)
	}
	if sc != nil {
		fs.markPoison(sc)
	}
	if opts.FaultClock == FaultClockStart {
		fs.arm(0)
	}
	return fs
}

// LiveInjects reports whether a live run (busdrill run --target aws)
// injects the fault itself (live/schedule.Supported's list).
func LiveInjects(f *chaos.Fault) bool {
	switch f.Kind {
	case chaos.KindDisable:
		return true
	case chaos.KindRevoke:
		return f.Role == ""
	case chaos.KindThrottle:
		return f.PutEventsTPS == 0 && f.InvocationsTPS == 0 && f.EntryError == event.CodeThrottling
	case chaos.KindDuplicate:
		return f.Mode == "producer-timeout"
	}
	return false
}

func producerSide(f *chaos.Fault) bool {
	return f.Kind == chaos.KindOversize || (f.Kind == chaos.KindDuplicate && f.Mode == "producer-timeout")
}

// published sees every PutEvents request: the first entry carrying
// busdrill metadata starts the traffic clock.
func (fs *faultSchedule) published(entries []event.Entry) {
	if fs.armed {
		return
	}
	for i := range entries {
		if n, ok := metadataInt(entries[i].Detail, "intended_ns"); ok && n >= 0 {
			z := fs.b.now().Add(-time.Duration(n))
			fs.arm(max(z, 0))
			return
		}
	}
}

// arm schedules the timeline from zero.
func (fs *faultSchedule) arm(zero sim.Time) {
	fs.armed, fs.zero = true, zero
	for i := range fs.tl.Faults {
		f := &fs.tl.Faults[i]
		fs.b.at(zero.Add(f.Start), func() { fs.apply(f) })
		if !f.Instant() && !f.WholeRun {
			fs.b.at(zero.Add(f.End), func() { fs.revert(f) })
		}
	}
}

func (fs *faultSchedule) apply(f *chaos.Fault) {
	err := f.Apply(fs.actuator())
	fs.note(f, "applied", err)
	if err == nil {
		fs.active[f.Name] = f
		fs.states[f.Name] = "active"
		if f.Instant() {
			delete(fs.active, f.Name)
			fs.states[f.Name] = "done"
		}
	}
}

func (fs *faultSchedule) revert(f *chaos.Fault) {
	if fs.active[f.Name] == nil {
		return
	}
	err := f.Revert(fs.actuator())
	fs.note(f, "reverted", err)
	delete(fs.active, f.Name)
	if err == nil {
		fs.states[f.Name] = "done"
	}
}

func (fs *faultSchedule) note(f *chaos.Fault, what string, err error) {
	at := fs.b.now().Sub(fs.zero).Round(time.Millisecond)
	if err != nil {
		fs.states[f.Name] = "failed: " + err.Error()
		fmt.Fprintf(fs.log, "fault %s: %s at +%v failed: %v\n", f.Name, what, at, err)
		return
	}
	fmt.Fprintf(fs.log, "fault %s (%s %s) %s at +%v\n", f.Name, f.Kind, f.Target, what, at)
}

// markPoison decides, as the simulator's producer does, which orders a
// poison fault marks: one draw from the fault's stream per order whose
// intended time is in the fault's window, in arrival order.
func (fs *faultSchedule) markPoison(sc *scenarios.Scenario) {
	if fs.b.standIns == nil {
		return
	}
	for i := range fs.tl.Faults {
		f := &fs.tl.Faults[i]
		if f.Kind != chaos.KindPoison {
			continue
		}
		streams := rng.NewStreams(sc.Seed)
		draws := streams.Get(f.Stream)
		sched, err := sc.Traffic.Arrivals.Schedule(streams.Get(loadgen.StreamArrivals), loadgen.Shard{})
		if err != nil {
			continue
		}
		traffic := sched.Profile().Duration()
		set := map[uint64]bool{}
		for a, ok := sched.Next(); ok && a.At < traffic && len(set) < maxPoisoned; a, ok = sched.Next() {
			if a.At >= f.Start && a.At < f.End && draws.Float64() < f.Probability {
				set[a.Index] = true
			}
		}
		fs.b.model.SetPoison(f.Handler, func(env *event.Envelope) bool {
			jid, ok := loadgen.JourneyOf(env.Detail)
			return ok && set[jid]
		})
	}
}

// maxPoisoned bounds the orders a poison fault marks.
const maxPoisoned = 1 << 20

func (fs *faultSchedule) actuator() chaos.Actuator { return actuator{fs} }

// actuator is chaos.Actuator on serve's backend.
type actuator struct{ fs *faultSchedule }

func (a actuator) b() *backend { return a.fs.b }

func (a actuator) DisableRule(bus, rule string) error {
	return a.b().faultRuleState(bus, rule, stateDisabled)
}
func (a actuator) EnableRule(bus, rule string) error {
	return a.b().faultRuleState(bus, rule, stateEnabled)
}

func (a actuator) RemoveStatement(bus, sid string) error {
	eb := a.b().busByRef(bus)
	if eb == nil {
		return fmt.Errorf("no bus %s", bus)
	}
	var kept []policyStatement
	for _, s := range eb.policy {
		if s.Sid == sid {
			a.fs.saved[bus+"#"+sid] = s
			continue
		}
		kept = append(kept, s)
	}
	if len(kept) == len(eb.policy) {
		return fmt.Errorf("%s has no statement %q", bus, sid)
	}
	return errOf(a.b().events.setPolicy(eb, kept))
}

func (a actuator) RestoreStatement(bus, sid string) error {
	eb := a.b().busByRef(bus)
	st, ok := a.fs.saved[bus+"#"+sid]
	if eb == nil || !ok {
		return fmt.Errorf("no saved statement %s#%s", bus, sid)
	}
	delete(a.fs.saved, bus+"#"+sid)
	return errOf(a.b().events.setPolicy(eb, append(append([]policyStatement(nil), eb.policy...), st)))
}

func (a actuator) SetRoleAllowed(account, role string, allowed bool) error {
	return a.b().model.SetRoleAllowed(account, role, allowed)
}
func (a actuator) SetPutEventsQuota(account string, tps float64) error {
	return a.b().model.SetPutEventsQuota(account, tps, 0)
}
func (a actuator) SetInvocationsQuota(account string, tps float64) error {
	return a.b().model.SetInvocationsQuota(account, tps, 0)
}
func (a actuator) SetEntryFailure(account, code string, p float64) error {
	return a.b().model.SetEntryFailure(account, code, p)
}
func (a actuator) SetRedelivery(p float64) error { return a.b().model.SetDuplicateProbability(p) }
func (a actuator) SetOutage(ref, code string) error {
	return a.b().model.SetAvailability(ref, code)
}
func (a actuator) SetExtraLatency(hop string, d rng.Dist) error {
	if hop == backbone.HopAck {
		a.b().ackDelay = d != nil
	}
	return a.b().model.SetExtraLatency(hop, d)
}
func (a actuator) StallHandler(handler string, stalled bool) error {
	return a.b().model.StallHandler(handler, stalled)
}
func (a actuator) StartReplay(name, archive string, from, to time.Duration, rules []string) error {
	b := a.b()
	bus := ""
	for _, id := range b.events.accountOrder {
		for _, ar := range b.events.accounts[id].archives {
			if ar.model == archive {
				bus = ar.bus
			}
		}
	}
	return b.model.StartReplay(backbone.ReplaySpec{Name: name, Archive: archive, Destination: bus,
		Start: b.model.Wall(a.fs.zero.Add(from)), End: b.model.Wall(a.fs.zero.Add(to)), Rules: rules})
}

// Redrive sends a DLQ's messages again (the model's redrive) and takes
// them out of serve's SQS queue, as a redrive function consuming the DLQ
// does.
func (a actuator) Redrive(queue string) error {
	b := a.b()
	if _, err := b.model.Redrive(queue, 0); err != nil {
		return err
	}
	if q := b.queues.byRef[queue]; q != nil {
		for _, m := range q.msgs {
			b.queues.remove(q, m)
		}
		b.queues.compact(q)
	}
	return nil
}

var _ chaos.Actuator = actuator{}

func errOf(e *apiError) error {
	if e == nil {
		return nil
	}
	return e
}

// busByRef finds a bus by the model's reference "account/bus".
func (b *backend) busByRef(ref string) *ebBus {
	acct, name, ok := topology.SplitRef(ref)
	if !ok {
		return nil
	}
	for _, id := range b.events.accountOrder {
		if a := b.events.accounts[id]; a.name == acct {
			return a.buses[name]
		}
	}
	return nil
}

// faultRuleState enables or disables a rule for a fault, as a person
// would with the API.
func (b *backend) faultRuleState(bus, rule, state string) error {
	eb := b.busByRef(bus)
	if eb == nil || eb.rules[rule] == nil {
		return fmt.Errorf("no rule %s/%s", bus, rule)
	}
	r := eb.rules[rule]
	if err := b.model.PutRule(eb.ref, r.Name, r.compiled, state == stateEnabled); err != nil {
		return err
	}
	r.State = state
	return nil
}
