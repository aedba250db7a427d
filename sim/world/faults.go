package world

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/busdrill/busdrill/chaos"
	"github.com/busdrill/busdrill/event"
	"github.com/busdrill/busdrill/report"
	"github.com/busdrill/busdrill/rng"
	"github.com/busdrill/busdrill/sim"
	"github.com/busdrill/busdrill/sim/backbone"
	"github.com/busdrill/busdrill/topology"
)

// faults runs a scenario's fault timeline on the model: each fault is
// applied at its start and reverted at its end, through the model's
// control and fault hooks. It also owns the producer-side faults' random
// streams (one per fault, so adding a fault changes nothing else).
type faults struct {
	w  *world
	tl *chaos.Timeline
	id int
	// rand[i] is fault i's stream.
	rand []*rand.Rand
	// saved statements of revoked policy statements, by bus and sid.
	saved map[string]topology.Statement
	// redelivery is the configured duplicate probability, to restore.
	redelivery float64
	// The control-plane state the faults have asked for (rules enabled,
	// roles allowed), to tell a fault that changes nothing; and which
	// faults changed nothing, so that their end reverts nothing.
	ruleOn     map[string]bool
	roleDenied map[string]bool
	noEffect   []bool
	err        error
}

func newFaults(w *world, tl *chaos.Timeline) *faults {
	f := &faults{w: w, tl: tl, saved: map[string]topology.Statement{}, ruleOn: map[string]bool{}, roleDenied: map[string]bool{}}
	if tl == nil {
		f.tl = &chaos.Timeline{}
	}
	f.noEffect = make([]bool, len(f.tl.Faults))
	for _, b := range w.sc.Topology.Buses {
		for _, r := range b.Rules {
			f.ruleOn[b.Ref()+"/"+r.Name] = r.IsEnabled()
		}
	}
	for i := range f.tl.Faults {
		f.rand = append(f.rand, w.streams.Get(f.tl.Faults[i].Stream))
	}
	return f
}

// schedule registers the faults' wake-ups and records the timeline.
func (f *faults) schedule() {
	f.id = f.w.model.AddWaker(f)
	f.redelivery = f.w.model.DuplicateProbability()
	for i := range f.tl.Faults {
		ft := &f.tl.Faults[i]
		f.w.noteFault(report.FaultOf(ft))
		f.w.model.WakeAt(sim.At(ft.Start), f.id, int64(2*i))
		if !ft.Instant() && !ft.WholeRun {
			f.w.model.WakeAt(sim.At(ft.End), f.id, int64(2*i+1))
		}
	}
}

// Wake applies (even arg) or reverts (odd arg) a fault. A fault that
// changes nothing is reported so (report.Fault.Effect), and its end
// reverts nothing.
func (f *faults) Wake(now sim.Time, arg int64) {
	i := arg / 2
	ft := &f.tl.Faults[i]
	var err error
	switch {
	case arg%2 == 0:
		err = ft.Apply(f)
		if errors.Is(err, chaos.ErrNoEffect) {
			f.noEffect[i] = true
			f.w.noteFaultEffect(ft.Name, err.Error())
			err = nil
		}
	case !f.noEffect[i]:
		err = ft.Revert(f)
	}
	if err != nil && f.err == nil {
		f.err = fmt.Errorf("fault %s at %v: %w", ft, now, err)
	}
}

// hit reports whether a producer-side fault of kind (and mode, when not
// empty) active at t strikes, drawing from each active fault's own stream
// only while it is active.
func (f *faults) hit(t time.Duration, kind, mode string) *chaos.Fault {
	for i := range f.tl.Faults {
		ft := &f.tl.Faults[i]
		if ft.Kind != kind || (mode != "" && ft.Mode != mode) || t < ft.Start || t >= ft.End {
			continue
		}
		if f.rand[i].Float64() < ft.Probability {
			return ft
		}
	}
	return nil
}

// The chaos.Actuator of the model.

func (f *faults) DisableRule(bus, rule string) error { return f.setRule(bus, rule, false) }
func (f *faults) EnableRule(bus, rule string) error  { return f.setRule(bus, rule, true) }

func (f *faults) setRule(bus, rule string, on bool) error {
	k := bus + "/" + rule
	if f.ruleOn[k] == on {
		return fmt.Errorf("%w: rule %s was already %s", chaos.ErrNoEffect, k, map[bool]string{true: "enabled", false: "disabled"}[on])
	}
	f.ruleOn[k] = on
	if on {
		return f.w.model.EnableRule(bus, rule)
	}
	return f.w.model.DisableRule(bus, rule)
}

func (f *faults) RemoveStatement(bus, sid string) error {
	k := bus + "#" + sid
	if _, removed := f.saved[k]; removed {
		return fmt.Errorf("%w: statement %s of %s's policy was already removed", chaos.ErrNoEffect, sid, bus)
	}
	st, ok := f.w.model.Statement(bus, sid)
	if !ok {
		return fmt.Errorf("%s has no statement %q", bus, sid)
	}
	f.saved[k] = st
	return f.w.model.RemovePermission(bus, sid)
}

func (f *faults) RestoreStatement(bus, sid string) error {
	k := bus + "#" + sid
	st, ok := f.saved[k]
	if !ok {
		return fmt.Errorf("no saved statement %s", k)
	}
	delete(f.saved, k)
	return f.w.model.PutPermission(bus, st)
}

func (f *faults) SetRoleAllowed(account, role string, allowed bool) error {
	k := account + "/" + role
	if f.roleDenied[k] == !allowed {
		return fmt.Errorf("%w: role %s was already denied", chaos.ErrNoEffect, k)
	}
	f.roleDenied[k] = !allowed
	return f.w.model.SetRoleAllowed(account, role, allowed)
}

func (f *faults) SetPutEventsQuota(account string, tps float64) error {
	if err := f.w.model.SetPutEventsQuota(account, tps, 0); err != nil {
		return err
	}
	put, _, _ := f.w.model.QuotasOf(account)
	f.quotaChanged(report.QuotaPutEvents, account, tps, put)
	return nil
}

func (f *faults) SetInvocationsQuota(account string, tps float64) error {
	if err := f.w.model.SetInvocationsQuota(account, tps, 0); err != nil {
		return err
	}
	_, inv, _ := f.w.model.QuotasOf(account)
	f.quotaChanged(report.QuotaInvocations, account, tps, inv)
	return nil
}

// quotaChanged tells the recorder the quota now in force (tps, or the
// default when tps restores it), so that headroom compares each second
// with the quota of that second.
func (f *faults) quotaChanged(kind, account string, tps, def float64) {
	if !(tps > 0) {
		tps = def
	}
	f.w.noteQuota(kind, account, f.w.model.Now(), tps)
}

func (f *faults) SetEntryFailure(account, code string, p float64) error {
	return f.w.model.SetEntryFailure(account, code, p)
}

func (f *faults) SetRedelivery(p float64) error {
	if p < 0 {
		p = f.redelivery
	}
	f.w.model.SetDuplicateProbability(p)
	return nil
}

func (f *faults) SetOutage(ref, code string) error { return f.w.model.SetAvailability(ref, code) }

func (f *faults) SetExtraLatency(hop string, d rng.Dist) error {
	return f.w.model.SetExtraLatency(hop, d)
}

func (f *faults) StallHandler(handler string, stalled bool) error {
	return f.w.model.StallHandler(handler, stalled)
}

func (f *faults) StartReplay(name, archive string, from, to time.Duration, rules []string) error {
	bus := ""
	for _, a := range f.w.sc.Topology.Archives {
		if a.Name == archive {
			bus = a.Bus
		}
	}
	f.w.noteReplayRules(name, rules)
	return f.w.model.StartReplay(backbone.ReplaySpec{
		Name: name, Archive: archive, Destination: bus,
		Start: sim.At(from).Wall(), End: sim.At(to).Wall(), Rules: rules,
	})
}

func (f *faults) Redrive(queue string) error {
	_, err := f.w.model.Redrive(queue, 0)
	return err
}

var _ chaos.Actuator = (*faults)(nil)

// producerDuplicates: a producer-timeout duplicate resends an accepted
// entry after the client's timeout, as a client that never saw the
// response does: same business key, new event id.
func (w *world) producerDuplicates(now sim.Time, c *client, e *event.Entry, m sent) {
	if w.faults.hit(now.Duration(), chaos.KindDuplicate, "producer-timeout") == nil {
		return
	}
	m.order = false // the journey's send and ack were counted once
	c.later(now.Add(ambiguousTimeout), &request{entries: []event.Entry{*e}, meta: []sent{m}})
}

// attachPoison makes handler h fail on the orders a poison fault marked.
func (w *world) attachPoison(h *backbone.HandlerSpec) {
	if w.sc.Faults == nil || !w.sc.Faults.Has(chaos.KindPoison) {
		return
	}
	ref := h.Handler
	h.FailsOn = func(env *event.Envelope) bool { return w.poisoned(ref, env) }
}
