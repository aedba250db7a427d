package swarm

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/busdrill/busdrill/chaos"
	"github.com/busdrill/busdrill/scenarios"
	"github.com/busdrill/busdrill/topology"
	"github.com/busdrill/busdrill/units"
)

// A shrink step is one smaller version of the scenario: what it changed
// (for the report) and the change itself, made on a fresh copy of the
// current file.
type step struct {
	what  string
	apply func(f *scenarios.File) bool // false: not applicable after all
}

// Floors of the shrink: nothing is made shorter or slower than this.
const (
	minShrinkDuration = time.Second
	minShrinkRate     = 0.1 // orders per second
)

// steps lists the candidate steps from f, in the order they are tried:
// remove each fault (but those the expectation names), shorten each
// fault's window (keep its first half, its first three quarters, its
// second half: a fault draws from its own stream as it acts, so keeping
// its start keeps its draws) and move it earlier, drop each service, then each account, halve the rate, shorten
// the traffic (to a half, then three quarters) and the drain (likewise).
// The shrinker takes the first step that keeps the failure and lists the
// steps again from the smaller file, until none does.
func steps(f *scenarios.File, keepFaults []string) []step {
	var out []step
	for i := range f.Faults {
		s := f.Faults[i]
		if slices.Contains(keepFaults, s.Name) {
			continue
		}
		out = append(out, step{
			what: fmt.Sprintf("removed fault %s (%s)", s.Name, s.Kind),
			apply: func(f *scenarios.File) bool {
				f.Faults = slices.Delete(f.Faults, i, i+1)
				return true
			},
		})
	}
	for i := range f.Faults {
		s := &f.Faults[i]
		if !windowed(s) || s.For.D() < 2*minShrinkDuration {
			continue
		}
		at, length := s.At.D(), s.For.D()
		half := (length / 2).Truncate(time.Second)
		for _, keep := range []time.Duration{half, (length * 3 / 4).Truncate(time.Second)} {
			if keep < minShrinkDuration || keep >= length {
				continue
			}
			out = append(out, step{
				what: fmt.Sprintf("fault %s: its first %v only (was %v from %v)", s.Name, keep, length, at),
				apply: func(f *scenarios.File) bool {
					f.Faults[i].For = units.Duration(keep)
					return true
				},
			})
		}
		out = append(out,
			step{
				what: fmt.Sprintf("fault %s: its last %v only (was %v from %v)", s.Name, length-half, length, at),
				apply: func(f *scenarios.File) bool {
					f.Faults[i].At, f.Faults[i].For = units.Duration(at+half), units.Duration(length-half)
					return true
				},
			})
	}
	for i := range f.Faults {
		s := &f.Faults[i]
		if !windowed(s) || s.At.D() < 2*minShrinkDuration {
			continue
		}
		at := s.At.D()
		earlier := (at / 2).Truncate(time.Second)
		out = append(out, step{
			what: fmt.Sprintf("fault %s: starts at %v (was %v)", s.Name, earlier, at),
			apply: func(f *scenarios.File) bool {
				f.Faults[i].At = units.Duration(earlier)
				return true
			},
		})
	}
	for i := range f.Services {
		name := f.Services[i].Name
		out = append(out, step{
			what: "removed service " + name,
			apply: func(f *scenarios.File) bool {
				f.Services = slices.Delete(f.Services, i, i+1)
				return true
			},
		})
	}
	for _, acct := range accountNames(f) {
		out = append(out, step{
			what:  "removed account " + acct,
			apply: func(f *scenarios.File) bool { return removeAccount(f, acct) },
		})
	}
	if r := maxRate(&f.Traffic); r > minShrinkRate {
		out = append(out, step{
			what:  fmt.Sprintf("halved the rate (peak %v)", units.Rate(r)),
			apply: func(f *scenarios.File) bool { scaleRates(&f.Traffic, 0.5); return true },
		})
	}
	for _, q := range []float64{0.5, 0.75} {
		out = append(out, step{
			what:  fmt.Sprintf("traffic ×%v", q),
			apply: func(f *scenarios.File) bool { return scaleTraffic(&f.Traffic, q) },
		})
	}
	if d := f.Drain.D(); d >= 2*minShrinkDuration {
		for _, q := range []float64{0.5, 0.75} {
			to := time.Duration(float64(d) * q).Truncate(time.Second)
			out = append(out, step{
				what: fmt.Sprintf("drain %v (was %v)", to, d),
				apply: func(f *scenarios.File) bool {
					f.Drain = units.Duration(to)
					return true
				},
			})
		}
	}
	return out
}

// maxRate is the highest rate the traffic names.
func maxRate(t *scenarios.TrafficSpec) float64 {
	r := float64(t.Rate)
	if t.Ramp != nil {
		r = max(r, float64(t.Ramp.From), float64(t.Ramp.To))
	}
	if t.Stages != nil {
		r = max(r, float64(t.Stages.Start))
		for _, s := range t.Stages.Stages {
			r = max(r, float64(s.Target))
		}
	}
	if t.Spike != nil {
		r = max(r, float64(t.Spike.Base), float64(t.Spike.Peak))
	}
	return r
}

// scaleTraffic shortens every duration of the traffic by q (whole
// seconds, at least one); false when it is already that short.
func scaleTraffic(t *scenarios.TrafficSpec, q float64) bool {
	changed := false
	scale := func(d *units.Duration) {
		to := max(time.Duration(float64(d.D())*q).Truncate(time.Second), minShrinkDuration)
		if d.D() > 0 && to < d.D() {
			*d, changed = units.Duration(to), true
		}
	}
	scale(&t.Duration)
	if t.Ramp != nil {
		scale(&t.Ramp.Duration)
	}
	if t.Stages != nil {
		for i := range t.Stages.Stages {
			scale(&t.Stages.Stages[i].Duration)
		}
	}
	if s := t.Spike; s != nil {
		scale(&s.At)
		scale(&s.Ramp)
		scale(&s.Hold)
		scale(&s.Duration)
	}
	return changed
}

// accountNames lists the accounts a step may remove: the service
// accounts of the reference shorthand, or every account of the full
// form.
func accountNames(f *scenarios.File) []string {
	var out []string
	if r := f.Topology.Reference; r != nil {
		for _, a := range r.Services {
			out = append(out, a.Name)
		}
		return out
	}
	for _, a := range f.Topology.Accounts {
		out = append(out, a.Name)
	}
	return out
}

// removeAccount removes an account with everything it owns: in the
// reference shorthand its entry (the expansion drops its bus and fan-out
// rule); in the full form its buses, queues, handlers and archives, the
// policy statements naming it and the targets pointing into it. Whatever
// still refers to it (a service, a fault, an origin) makes the file fail
// to load, and the step is not taken.
func removeAccount(f *scenarios.File, name string) bool {
	ts := &f.Topology
	if r := ts.Reference; r != nil {
		i := slices.IndexFunc(r.Services, func(a scenarios.AccountSpec) bool { return a.Name == name })
		if i < 0 || len(r.Services) <= 1 {
			return false
		}
		r.Services = slices.Delete(r.Services, i, i+1)
		return true
	}
	i := slices.IndexFunc(ts.Accounts, func(a scenarios.AccountSpec) bool { return a.Name == name })
	if i < 0 || len(ts.Accounts) <= 1 {
		return false
	}
	id := ts.Accounts[i].ID
	ts.Accounts = slices.Delete(ts.Accounts, i, i+1)
	owned := func(ref string) bool {
		a, _, ok := topology.SplitRef(ref)
		return ok && a == name
	}
	ts.Buses = slices.DeleteFunc(ts.Buses, func(b scenarios.BusSpec) bool { return b.Account == name })
	ts.Queues = slices.DeleteFunc(ts.Queues, func(q scenarios.RefSpec) bool { return q.Account == name })
	ts.Handlers = slices.DeleteFunc(ts.Handlers, func(h scenarios.RefSpec) bool { return h.Account == name })
	ts.Archives = slices.DeleteFunc(ts.Archives, func(a scenarios.ArchiveSpec) bool { return owned(a.Bus) })
	for b := range ts.Buses {
		bus := &ts.Buses[b]
		bus.Policy = slices.DeleteFunc(bus.Policy, func(s scenarios.StatementSpec) bool {
			return s.Principal == name || (id != "" && s.Principal == id)
		})
		for r := range bus.Rules {
			rule := &bus.Rules[r]
			rule.Targets = slices.DeleteFunc(rule.Targets, func(t scenarios.TargetSpec) bool {
				return owned(t.Bus) || owned(t.Queue) || owned(t.Handler)
			})
			for t := range rule.Targets {
				if owned(rule.Targets[t].DLQ) {
					rule.Targets[t].DLQ = ""
				}
			}
		}
	}
	return true
}

// faultsNamedBy lists the faults an expectation names (its window, or a
// recovery metric): the shrinker keeps them.
func faultsNamedBy(e scenarios.ExpectSpec, faults []chaos.Spec) []string {
	var out []string
	for _, s := range faults {
		if refersTo(e, []string{s.Name}) {
			out = append(out, s.Name)
		}
	}
	return out
}

// describeFile summarises a scenario file in a line: its faults,
// services, accounts, traffic and drain.
func describeFile(f *scenarios.File) string {
	var faults []string
	for _, s := range f.Faults {
		d := s.Name + " (" + s.Kind
		if windowed(&s) {
			d += fmt.Sprintf(" at %v for %v", s.At.D(), s.For.D())
		}
		faults = append(faults, d+")")
	}
	var svcs []string
	for _, s := range f.Services {
		svcs = append(svcs, s.Name)
	}
	fl := "no faults"
	if len(faults) > 0 {
		fl = "faults: " + strings.Join(faults, ", ")
	}
	return fmt.Sprintf("%s; services: %s; accounts: %s; traffic: %s; drain %v",
		fl, orNone(svcs), orNone(accountNames(f)), trafficText(&f.Traffic), f.Drain.D())
}

func orNone(xs []string) string {
	if len(xs) == 0 {
		return "none"
	}
	return strings.Join(xs, ", ")
}

func trafficText(t *scenarios.TrafficSpec) string {
	switch {
	case t.Ramp != nil:
		return fmt.Sprintf("ramp %v to %v over %v", t.Ramp.From, t.Ramp.To, t.Ramp.Duration.D())
	case t.Stages != nil:
		return fmt.Sprintf("%d stages up to %v", len(t.Stages.Stages), units.Rate(maxRate(t)))
	case t.Spike != nil:
		return fmt.Sprintf("spike %v to %v", t.Spike.Base, t.Spike.Peak)
	}
	return fmt.Sprintf("%v for %v", t.Rate, t.Duration.D())
}
