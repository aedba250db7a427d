package topology

import (
	"slices"

	"github.com/busdrill/busdrill/event"
)

// CauseRuleDisabled is the loss cause of a delivery a disabled rule cut
// (the model's drop cause of the same name).
const CauseRuleDisabled = "rule-disabled"

// Blocked describes what stands in an event's way at some moment of a
// run: the rules disabled then, and the bus policies' statements removed
// then. A nil function blocks nothing.
type Blocked struct {
	// RuleDisabled reports whether rule i of bus b was disabled.
	RuleDisabled func(b, i int) bool
	// Policy returns bus b's policy as it stood (nil: as configured).
	Policy func(b int) []Statement
	// DeniedCode is the ERROR_CODE of a forward the destination's policy
	// denies (the model's CrossAccountDeniedCode).
	DeniedCode string
}

// LossCause explains why an event published by sender (a Name or ID) with
// PutEvents to bus does not reach consumer when blocked describes the
// backbone's state and the one-hop rule applies ([ForwardRefusal]): it
// returns "" when the event still reaches consumer (it is in flight, as
// far as the topology can tell), else the cause on the way —
// CauseRuleDisabled, CodeThirdAccountHop, or blocked.DeniedCode. When
// several paths lead to consumer, every one must be cut; the cause given
// is the first met, in rule and target order. Only paths of the nominal
// topology are followed ([Router.ExpectedRoutes]): a consumer that is not
// among the event's expected routes has no cause ("").
//
// A live run uses it to book the deliveries it never saw: it cannot
// observe EventBridge dropping an event, but it knows which rules and
// statements its own faults changed, and when.
func (r *Router) LossCause(sender, bus string, env *event.Envelope, consumer string, blocked Blocked) string {
	s, ok := r.X.Account(sender)
	if !ok {
		return ""
	}
	owner, b := r.X.ResolveBus(s, bus)
	if b < 0 || !PolicyAllows(r.X.T.Buses[b].Policy, &r.X.T.Accounts[owner], &r.X.T.Accounts[s]) {
		return ""
	}
	reached, cause := r.explainBus(b, env, consumer, blocked, 0)
	if reached {
		return ""
	}
	return cause
}

func (r *Router) explainBus(b int, env *event.Envelope, consumer string, bl Blocked, depth int) (bool, string) {
	hits, err := r.matchers[b].Match(env, &r.scratch, nil)
	if err != nil {
		return false, ""
	}
	hits = slices.Clone(hits) // the nominal walks below reuse the scratch
	cause := ""
	note := func(c string) {
		if cause == "" {
			cause = c
		}
	}
	for _, i := range hits {
		rule := &r.X.T.Buses[b].Rules[i]
		if !rule.IsEnabled() {
			continue
		}
		if bl.RuleDisabled != nil && bl.RuleDisabled(b, i) {
			if r.leadsTo(r.AppendFromRule(nil, b, i, env, depth > 0), consumer) {
				note(CauseRuleDisabled)
			}
			continue
		}
		for k := range rule.Targets {
			if rule.Targets[k].Kind != KindBus {
				if r.consumers[b][i][k] == consumer {
					return true, ""
				}
				continue
			}
			d := r.dest[b][i][k]
			if d < 0 || depth >= maxForwards || !r.leadsTo(r.AppendFromTarget(nil, b, i, k, env, depth > 0), consumer) {
				continue
			}
			if ForwardRefusal(depth > 0) != "" {
				note(CodeThirdAccountHop)
				continue
			}
			src, _ := r.X.Account(r.X.T.Buses[b].Account)
			own, _ := r.X.Account(r.X.T.Buses[d].Account)
			policy := r.X.T.Buses[d].Policy
			if bl.Policy != nil {
				if p := bl.Policy(d); p != nil {
					policy = p
				}
			}
			if !PolicyAllows(policy, &r.X.T.Accounts[own], &r.X.T.Accounts[src]) {
				note(bl.DeniedCode)
				continue
			}
			reached, c := r.explainBus(d, env, consumer, bl, depth+1)
			if reached {
				return true, ""
			}
			note(c)
		}
	}
	return false, cause
}

func (r *Router) leadsTo(consumers []string, consumer string) bool {
	return slices.Contains(consumers, consumer)
}
