package scenarios

import (
	"fmt"

	"github.com/busdrill/busdrill/internal/yamlstrict"
	"github.com/busdrill/busdrill/topology"
)

// expandTopology turns the topology section, and the services that add
// handlers and rules to it, into a topology.Topology. It records where each
// element came from so that topology problems point into the file.
func expandTopology(f *File, loc *locator, errs *yamlstrict.Errors) *topology.Topology {
	ts := &f.Topology
	full := len(ts.Accounts) > 0 || len(ts.Buses) > 0 || len(ts.Queues) > 0 || len(ts.Handlers) > 0 || len(ts.Archives) > 0
	var t *topology.Topology
	switch {
	case ts.Reference != nil && full:
		errs.Add(ts.Origin.At("reference"), "topology", fmt.Errorf("give either reference (the shorthand) or accounts, buses, queues, handlers and archives, not both"))
		return nil
	case ts.Reference != nil:
		t = expandReference(ts.Reference, ts.Origin.At("reference"), loc)
	case full:
		t = expandFull(ts, loc)
	case !f.Origin.Has("topology"):
		return nil // the decoder reported the missing key
	default:
		errs.Add(ts.Origin.Pos, "topology", fmt.Errorf("empty topology: give reference (the shorthand) or accounts and buses"))
		return nil
	}
	if ts.Region != "" {
		t.Region = ts.Region
	}
	return t
}

func expandReference(r *ReferenceSpec, pos yamlstrict.Pos, loc *locator) *topology.Topology {
	svcs := make([]topology.Service, len(r.Services))
	for i, s := range r.Services {
		svcs[i] = topology.Service{Name: s.Name, ID: s.ID}
	}
	t := topology.Reference(len(svcs), svcs...)
	// Every generated element points at the shorthand, except what a
	// listed account contributed, which points at that account.
	for i := range t.Buses {
		loc.generated(fmt.Sprintf("buses[%d]", i), pos, "topology.reference")
	}
	busAcct := &t.Accounts[0]
	if r.BusAccount.Name != "" {
		rename(t, busAcct.Name, r.BusAccount.Name)
	}
	if r.BusAccount.ID != "" {
		busAcct.ID = r.BusAccount.ID
	}
	if r.BusAccount.OrgID != "" {
		busAcct.OrgID = r.BusAccount.OrgID
	}
	if r.BusAccount.Origin.Path != "" {
		loc.from("accounts[0]", &r.BusAccount.Origin)
	} else {
		loc.generated("accounts[0]", pos, "topology.reference")
	}
	for i := range r.Services {
		if r.Services[i].OrgID != "" {
			t.Accounts[i+1].OrgID = r.Services[i].OrgID
		}
		loc.from(fmt.Sprintf("accounts[%d]", i+1), &r.Services[i].Origin)
	}
	if fo := r.Fanout; fo != nil {
		bus := &t.Buses[0]
		for i := range bus.Rules {
			for k := range bus.Rules[i].Targets {
				if tg := &bus.Rules[i].Targets[k]; tg.Kind == topology.KindBus {
					tg.Retry = convertRetry(fo.Retry)
					if fo.DLQ != "" {
						tg.DLQ = bus.Account + "/" + fo.DLQ
					}
				}
			}
		}
		if fo.DLQ != "" {
			t.Queues = append(t.Queues, topology.Queue{Account: bus.Account, Name: fo.DLQ})
		}
	}
	for i := range r.Queues {
		q := &r.Queues[i]
		loc.from(fmt.Sprintf("queues[%d]", len(t.Queues)), &q.Origin)
		t.Queues = append(t.Queues, topology.Queue{Account: q.Account, Name: q.Name})
	}
	if a := r.Archive; a != nil {
		bus := a.Bus
		if bus == "" {
			bus = t.Buses[0].Ref()
		}
		loc.from("archives[0]", &a.Origin)
		t.Archives = append(t.Archives, topology.Archive{Name: a.Name, Bus: bus, Pattern: a.Pattern.JSON, RetentionDays: a.RetentionDays})
	}
	return t
}

// rename changes an account name everywhere the reference builder used it.
func rename(t *topology.Topology, from, to string) {
	ref := func(s *string) {
		if a, n, ok := topology.SplitRef(*s); ok && a == from {
			*s = to + "/" + n
		}
	}
	for i := range t.Accounts {
		if t.Accounts[i].Name == from {
			t.Accounts[i].Name = to
		}
	}
	for i := range t.Buses {
		b := &t.Buses[i]
		if b.Account == from {
			b.Account = to
		}
		for j := range b.Policy {
			if b.Policy[j].Principal == from {
				b.Policy[j].Principal = to
			}
		}
		for j := range b.Rules {
			for k := range b.Rules[j].Targets {
				tg := &b.Rules[j].Targets[k]
				ref(&tg.Bus)
				ref(&tg.Queue)
				ref(&tg.Handler)
				ref(&tg.DLQ)
			}
		}
	}
}

func expandFull(ts *TopologySpec, loc *locator) *topology.Topology {
	t := &topology.Topology{}
	for i := range ts.Accounts {
		a := &ts.Accounts[i]
		id := a.ID
		if id == "" {
			id = topology.ReferenceAccountID(i)
		}
		loc.from(fmt.Sprintf("accounts[%d]", i), &a.Origin)
		t.Accounts = append(t.Accounts, topology.Account{Name: a.Name, ID: id, OrgID: a.OrgID})
	}
	for i := range ts.Buses {
		b := &ts.Buses[i]
		bp := fmt.Sprintf("buses[%d]", i)
		loc.from(bp, &b.Origin)
		bus := topology.Bus{Account: b.Account, Name: b.Name}
		for j := range b.Policy {
			st := &b.Policy[j]
			loc.from(fmt.Sprintf("%s.policy[%d]", bp, j), &st.Origin)
			bus.Policy = append(bus.Policy, topology.Statement{Sid: st.Sid, Principal: st.Principal, OrgID: st.OrgID, Action: st.Action})
		}
		for j := range b.Rules {
			r := &b.Rules[j]
			rp := fmt.Sprintf("%s.rules[%d]", bp, j)
			loc.from(rp, &r.Origin)
			rule := topology.Rule{Name: r.Name, Pattern: r.Pattern.JSON, State: topology.RuleState(r.State), Description: r.Description}
			for k := range r.Targets {
				tg := &r.Targets[k]
				loc.from(fmt.Sprintf("%s.targets[%d]", rp, k), &tg.Origin)
				rule.Targets = append(rule.Targets, convertTarget(tg))
			}
			bus.Rules = append(bus.Rules, rule)
		}
		t.Buses = append(t.Buses, bus)
	}
	for i := range ts.Queues {
		q := &ts.Queues[i]
		loc.from(fmt.Sprintf("queues[%d]", i), &q.Origin)
		t.Queues = append(t.Queues, topology.Queue{Account: q.Account, Name: q.Name})
	}
	for i := range ts.Handlers {
		h := &ts.Handlers[i]
		loc.from(fmt.Sprintf("handlers[%d]", i), &h.Origin)
		t.Handlers = append(t.Handlers, topology.Handler{Account: h.Account, Name: h.Name})
	}
	for i := range ts.Archives {
		a := &ts.Archives[i]
		loc.from(fmt.Sprintf("archives[%d]", i), &a.Origin)
		t.Archives = append(t.Archives, topology.Archive{Name: a.Name, Bus: a.Bus, Pattern: a.Pattern.JSON, RetentionDays: a.RetentionDays})
	}
	return t
}

// convertTarget infers the kind from the one destination key given; the
// topology validator reports none or several.
func convertTarget(tg *TargetSpec) topology.Target {
	out := topology.Target{ID: tg.ID, Bus: tg.Bus, Role: tg.Role, Queue: tg.Queue, Log: tg.Log, Handler: tg.Handler, DLQ: tg.DLQ}
	switch {
	case tg.Bus != "":
		out.Kind = topology.KindBus
	case tg.Queue != "":
		out.Kind = topology.KindQueue
	case tg.Log != "":
		out.Kind = topology.KindLog
	case tg.Handler != "":
		out.Kind = topology.KindHandler
	}
	out.Retry = convertRetry(tg.Retry)
	return out
}

func convertRetry(r *RetrySpec) topology.RetryPolicy {
	if r == nil {
		return topology.RetryPolicy{}
	}
	return topology.RetryPolicy{MaximumRetryAttempts: r.MaximumRetryAttempts, MaximumEventAgeInSeconds: r.MaximumEventAgeInSeconds}
}
