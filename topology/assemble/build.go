package assemble

import (
	"errors"
	"fmt"
	"strings"

	"github.com/busdrill/busdrill/topology"
)

// Build resolves every target and returns the topology, its sources, the
// notes and its validation problems. It fails, listing every one, when a
// reference cannot be resolved.
func (b *Builder) Build() (*Result, error) {
	// Targets may name the default bus of an account, which exists
	// whether or not the source declares it.
	for _, bs := range b.buses {
		for _, r := range bs.rules {
			for _, ts := range r.targets {
				if a, ok := ParseARN(ts.ARN); ok {
					if kind, name, _ := classify(a); kind == arnBus && name == "default" {
						if acct, known := b.AccountName(a.Account); known {
							b.AddBus(acct, "default", Where{})
						}
					}
				}
			}
		}
	}
	t := &topology.Topology{Region: b.region, Accounts: append([]topology.Account(nil), b.accounts...)}
	res := &Result{Topology: t, Where: map[string]Where{}}
	for ai := range b.accounts {
		res.Where[fmt.Sprintf("accounts[%d]", ai)] = Where{}
	}
	// Buses grouped by account, in account order, each account's in the
	// order declared.
	for _, acct := range b.accounts {
		for _, bs := range b.buses {
			if bs.account != acct.Name {
				continue
			}
			bi := len(t.Buses)
			bp := fmt.Sprintf("buses[%d]", bi)
			res.Where[bp] = bs.where
			tb := topology.Bus{Account: bs.account, Name: bs.name}
			for j, pe := range bs.policy {
				res.Where[fmt.Sprintf("%s.policy[%d]", bp, j)] = pe.where
				tb.Policy = append(tb.Policy, pe.st)
			}
			ref := tb.Ref()
			for _, r := range bs.rules {
				rp := fmt.Sprintf("%s.rules[%d]", bp, len(tb.Rules))
				res.Where[rp] = r.where
				rule := r.rule
				rule.Targets = nil
				ruleRef := ref + "/" + rule.Name
				for _, ts := range r.targets {
					tg, ok := b.resolveTarget(acct.Name, ruleRef, ts)
					if !ok {
						continue
					}
					res.Where[fmt.Sprintf("%s.targets[%d]", rp, len(rule.Targets))] = ts.Where
					rule.Targets = append(rule.Targets, tg)
				}
				tb.Rules = append(tb.Rules, rule)
			}
			t.Buses = append(t.Buses, tb)
		}
	}
	for i, q := range b.queues {
		res.Where[fmt.Sprintf("queues[%d]", i)] = q.where
		t.Queues = append(t.Queues, topology.Queue{Account: q.account, Name: q.name})
	}
	for i, h := range b.handlers {
		res.Where[fmt.Sprintf("handlers[%d]", i)] = h.where
		t.Handlers = append(t.Handlers, topology.Handler{Account: h.account, Name: h.name})
	}
	for i, a := range b.archives {
		res.Where[fmt.Sprintf("archives[%d]", i)] = a.where
		t.Archives = append(t.Archives, a.a)
	}
	if len(b.errs) > 0 {
		return nil, errors.New(strings.Join(b.errs, "\n"))
	}
	res.Notes = b.notes
	res.Facts = b.facts
	res.Problems = t.Validate()
	return res, nil
}

// resolveTarget turns a target described by ARNs into a topology target
// of the rule's account; ok is false when it is skipped (with a note) or
// fails (with an error).
func (b *Builder) resolveTarget(ruleAcct, ruleRef string, ts TargetSpec) (topology.Target, bool) {
	w := ts.Where
	tref := ruleRef + "/" + ts.ID
	a, ok := ParseARN(ts.ARN)
	if !ok {
		b.Fail(w, "target %s: Arn %q is not an ARN", ts.ID, ts.ARN)
		return topology.Target{}, false
	}
	kind, name, qualifier := classify(a)
	if kind == "" {
		b.Note(w, tref, Warning, "target %s (%s) is not imported: busdrill models bus, SQS, CloudWatch Logs and Lambda targets, not %s; its deliveries are not checked", ts.ID, ts.ARN, name)
		return topology.Target{}, false
	}
	acct, known := b.AccountName(a.Account)
	if !known {
		if a.Account == "" && kind == arnLog {
			acct, known = ruleAcct, true
		}
	}
	if !known {
		why := fmt.Sprintf("target %s: %s is in account %s, which the import does not cover", ts.ID, ts.ARN, a.Account)
		if b.strict {
			b.Fail(w, "%s%s", why, b.hint)
		} else {
			b.Note(w, tref, Warning, "%s; the target is not imported", why)
		}
		return topology.Target{}, false
	}
	tg := topology.Target{ID: ts.ID, Retry: ts.Retry}
	switch kind {
	case arnBus:
		ref := acct + "/" + name
		if !b.HasBus(ref) {
			if b.strict {
				b.Fail(w, "target %s: bus %s (%s) is not defined by any template of account %s%s", ts.ID, name, ts.ARN, acct, b.hint)
			} else {
				b.Note(w, tref, Warning, "target %s: bus %s does not exist in account %s; the target is not imported (every event it matches is lost)", ts.ID, ts.ARN, acct)
			}
			return topology.Target{}, false
		}
		tg.Kind, tg.Bus = topology.KindBus, ref
	case arnQueue:
		ref := acct + "/" + name
		if _, ok := b.queueIdx[ref]; !ok && b.strict {
			b.Note(w, tref, Info, "queue %s is not defined by the templates of account %s; it is declared as it is named", name, acct)
		}
		b.AddQueue(acct, name, w)
		tg.Kind, tg.Queue = topology.KindQueue, ref
	case arnLog:
		if acct != ruleAcct {
			b.Note(w, tref, Warning, "target %s: log group %s is in another account (%s); the model keeps log targets in the rule's account; not imported", ts.ID, ts.ARN, acct)
			return topology.Target{}, false
		}
		tg.Kind, tg.Log = topology.KindLog, name
	case arnHandler:
		ref := acct + "/" + name
		if _, ok := b.handIdx[ref]; !ok {
			b.handIdx[ref] = len(b.handlers)
			b.handlers = append(b.handlers, located{acct, name, w})
		}
		if qualifier != "" {
			b.Note(w, tref, Info, "target %s invokes %s of function %s; the model invokes the function", ts.ID, qualifier, name)
		}
		tg.Kind, tg.Handler = topology.KindHandler, ref
	}
	if ts.RoleARN != "" {
		role, roleAcct, ok := RoleName(ts.RoleARN)
		switch {
		case !ok:
			b.Fail(w, "target %s: RoleArn %q is not an IAM role ARN", ts.ID, ts.RoleARN)
			return topology.Target{}, false
		case tg.Kind != topology.KindBus:
			b.Note(w, tref, Info, "target %s: its role %s is not modelled on a %s target", ts.ID, role, tg.Kind)
		default:
			if own, _ := b.accountID(ruleAcct); roleAcct != own {
				b.Note(w, tref, Info, "target %s: role %s is in account %s, not the rule's; the model names it in the rule's account", ts.ID, ts.RoleARN, roleAcct)
			}
			tg.Role = role
		}
	}
	if ts.DLQARN != "" {
		ref, why := b.QueueRef(ts.DLQARN)
		if ref == "" {
			if b.strict {
				b.Fail(w, "target %s: dead-letter queue: %s", ts.ID, why)
				return topology.Target{}, false
			}
			b.Note(w, tref, Warning, "target %s: dead-letter queue: %s; imported without it", ts.ID, why)
		} else {
			acct, name, _ := topology.SplitRef(ref)
			if _, ok := b.queueIdx[ref]; !ok && b.strict {
				b.Note(w, tref, Info, "dead-letter queue %s is not defined by the templates of account %s; it is declared as it is named", name, acct)
			}
			b.AddQueue(acct, name, w)
			tg.DLQ = ref
		}
	}
	return tg, true
}

func (b *Builder) accountID(name string) (string, bool) {
	for _, a := range b.accounts {
		if a.Name == name {
			return a.ID, true
		}
	}
	return "", false
}
