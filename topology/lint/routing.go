package lint

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/busdrill/busdrill/event"
	"github.com/busdrill/busdrill/topology"
)

// routing walks every probe event — from each account, to each bus it may
// publish to, with each source and detail-type the patterns name or any
// other — through the rules, as EventBridge would route it: every
// ENABLED matching rule, forwards only where the destination's policy
// allows the forwarding account, and no second bus-to-bus hop. It fills
// the fan-out matrix and reports self-delivery and refused hops.
func (a *analysis) routing(r *Report) {
	type pair struct{ from, to int }
	flows := map[pair]map[EventClass]bool{}
	hops := map[string]bool{}
	for s := range a.t.Accounts {
		for b := range a.t.Buses {
			if !a.canPut(s, b) {
				continue
			}
			for _, src := range a.sources {
				for _, dt := range a.types {
					env := a.envelope(a.t.Accounts[s].ID, src, dt)
					for _, j := range slices.Clone(a.matching(b, env)) {
						rule := &a.t.Buses[b].Rules[j]
						for _, tg := range rule.Targets {
							d, ok := a.forward(b, &tg)
							if !ok {
								continue
							}
							p := pair{s, a.owner(d)}
							if flows[p] == nil {
								flows[p] = map[EventClass]bool{}
							}
							flows[p][EventClass{src, dt}] = true
							a.secondHop(b, j, d, env, hops)
						}
					}
				}
			}
		}
	}
	for s := range a.t.Accounts {
		for rcv := range a.t.Accounts {
			set := flows[pair{s, rcv}]
			if len(set) == 0 {
				continue
			}
			f := Flow{Sender: a.t.Accounts[s].Name, Receiver: a.t.Accounts[rcv].Name}
			for _, src := range a.sources {
				for _, dt := range a.types {
					if set[EventClass{src, dt}] {
						f.Events = append(f.Events, EventClass{src, dt})
					}
				}
			}
			f.Summary = a.summarize(set)
			r.Matrix = append(r.Matrix, f)
		}
	}
	if r.Matrix == nil {
		r.Matrix = []Flow{}
	}
	a.selfDelivery()
}

// forward returns the destination bus of a bus target when EventBridge
// would deliver there: a known bus whose policy allows the forwarding
// bus's account.
func (a *analysis) forward(b int, tg *topology.Target) (int, bool) {
	if tg.Kind != topology.KindBus {
		return 0, false
	}
	d, ok := a.x.Bus(tg.Bus)
	if !ok || a.owner(d) < 0 || a.owner(b) < 0 {
		return 0, false
	}
	return d, a.canPut(a.owner(b), d)
}

// secondHop reports the rules of bus d (reached through rule j of bus b)
// that would forward env again.
func (a *analysis) secondHop(b, j, d int, env *event.Envelope, seen map[string]bool) {
	for _, j2 := range slices.Clone(a.matching(d, env)) {
		rule2 := &a.t.Buses[d].Rules[j2]
		for k2, tg2 := range rule2.Targets {
			if tg2.Kind != topology.KindBus {
				continue
			}
			first := topology.RuleRef(&a.t.Buses[b], &a.t.Buses[b].Rules[j])
			key := targetPath(d, j2, k2) + " " + first
			if seen[key] {
				continue
			}
			seen[key] = true
			a.add(Finding{Check: "hop-refused", Severity: Error, Resource: topology.TargetRef(&a.t.Buses[d], rule2, &tg2), Path: targetPath(d, j2, k2),
				Message: fmt.Sprintf("events that %s forwards to %s match this rule, which forwards them again to %s: EventBridge refuses a second bus-to-bus hop (THIRD_ACCOUNT_HOP_DETECTED) and they are lost",
					first, a.t.Buses[d].Ref(), tg2.Bus),
				Fix: fmt.Sprintf("deliver from %s to %s directly, or have a service on %s republish them (a new PutEvents) instead of forwarding", a.t.Buses[b].Ref(), tg2.Bus, a.t.Buses[d].Ref())})
		}
	}
}

// selfDelivery reports fan-out rules that forward an account's own events
// back to that account: a rule on bus b with a bus target in account A,
// where A may publish to b itself and some event of A matches the rule.
func (a *analysis) selfDelivery() {
	for b := range a.t.Buses {
		bus := &a.t.Buses[b]
		for j := range bus.Rules {
			rule := &bus.Rules[j]
			tp := a.buses[b].parsed[j]
			if !rule.IsEnabled() || tp == nil {
				continue
			}
			for k, tg := range rule.Targets {
				d, ok := a.forward(b, &tg)
				if !ok {
					continue
				}
				acct := a.owner(d)
				if acct == a.owner(b) || !a.canPut(acct, b) {
					continue
				}
				matched := a.matchedFrom(b, j, acct)
				if len(matched) == 0 {
					continue
				}
				id := a.t.Accounts[acct].ID
				msg := fmt.Sprintf("the rule forwards to %s, and what %s publishes to %s matches it (%s): its own events come back to it",
					tg.Bus, a.accountLabel(acct), bus.Ref(), a.summarize(matched))
				fix := fmt.Sprintf(`add "account": [{"anything-but": %q}] to the pattern`, id)
				if ex := tp.excludedAccounts(); len(ex) > 0 {
					labels := make([]string, len(ex))
					for i, e := range ex {
						labels[i] = a.labelOfID(e)
					}
					msg = fmt.Sprintf("the rule forwards to %s but its pattern excludes %s, not %s: that account's own events come back to it",
						tg.Bus, strings.Join(labels, ", "), a.accountLabel(acct))
					fix = fmt.Sprintf("exclude %s instead: \"account\": [{\"anything-but\": %q}]", a.t.Accounts[acct].Name, id)
				}
				a.add(Finding{Check: "self-delivery", Severity: Error, Resource: topology.TargetRef(bus, rule, &rule.Targets[k]), Path: targetPath(b, j, k),
					Message: msg, Fix: fix})
			}
		}
	}
}

// matchedFrom returns the probe events of account acct that rule j of bus
// b matches.
func (a *analysis) matchedFrom(b, j, acct int) map[EventClass]bool {
	out := map[EventClass]bool{}
	for _, src := range a.sources {
		for _, dt := range a.types {
			if slices.Contains(a.matching(b, a.envelope(a.t.Accounts[acct].ID, src, dt)), j) {
				out[EventClass{src, dt}] = true
			}
		}
	}
	return out
}

// summarize describes a set of event classes: "every event", or the
// detail-types with the sources they hold for.
func (a *analysis) summarize(set map[EventClass]bool) string {
	if len(set) == len(a.sources)*len(a.types) {
		return "every event"
	}
	// Group the detail-types by the sources that carry them.
	bySources := map[string][]string{}
	var order []string
	for _, dt := range a.types {
		var srcs []string
		for _, src := range a.sources {
			if set[EventClass{src, dt}] {
				srcs = append(srcs, src)
			}
		}
		if len(srcs) == 0 {
			continue
		}
		k := strings.Join(srcs, "\x00")
		if _, ok := bySources[k]; !ok {
			order = append(order, k)
		}
		bySources[k] = append(bySources[k], dt)
	}
	var parts []string
	for _, k := range order {
		srcs := strings.Split(k, "\x00")
		label := typesLabel(bySources[k], a.types)
		switch {
		case len(srcs) == len(a.sources):
		case slices.Contains(srcs, other):
			var missing []string
			for _, s := range a.sources {
				if !slices.Contains(srcs, s) {
					missing = append(missing, s)
				}
			}
			label += " (any source but " + strings.Join(missing, ", ") + ")"
		default:
			label += " (source " + strings.Join(srcs, ", ") + ")"
		}
		parts = append(parts, label)
	}
	sort.Strings(parts)
	return strings.Join(parts, "; ")
}

func typesLabel(dts, all []string) string {
	switch {
	case len(dts) == len(all):
		return "every detail-type"
	case slices.Contains(dts, other):
		var missing []string
		for _, t := range all {
			if !slices.Contains(dts, t) {
				missing = append(missing, t)
			}
		}
		return "every detail-type but " + strings.Join(missing, ", ")
	}
	return strings.Join(dts, ", ")
}
