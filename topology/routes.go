package topology

import (
	"fmt"
	"slices"
	"sort"

	"github.com/busdrill/busdrill/event"
	"github.com/busdrill/busdrill/pattern"
)

// CodeThirdAccountHop is the DLQ ERROR_CODE of a forward refused by the
// one-hop rule (eventbridge-model.md §5, §6).
const CodeThirdAccountHop = "THIRD_ACCOUNT_HOP_DETECTED"

// ForwardRefusal applies the one-hop rule to a bus-to-bus forward: an event
// that arrived at its current bus through a bus-to-bus forward (hopped) is
// never forwarded to another bus. It returns CodeThirdAccountHop when the
// forward is refused and "" when it may go ahead.
//
// AWS documents two sentences: "events that a bus received from another
// account are not forwarded to a third account" and "events received from
// another bus are not routed to a third bus". The model applies the
// stricter second one to every forward, which implies the first and rules
// out forwarding loops; the code for a refused same-account second hop is
// UNCONFIRMED and the model uses THIRD_ACCOUNT_HOP_DETECTED for both. An
// event put directly with PutEvents on another account's bus has made no
// bus-to-bus hop, so the reference backbone (service → global → local) is
// one hop.
func ForwardRefusal(hopped bool) string {
	if hopped {
		return CodeThirdAccountHop
	}
	return ""
}

// Router is the nominal routing of a topology: every rule in its
// configured state, every policy as configured, no faults. It holds the
// compiled pattern matcher of every bus, which the model shares, so the
// model and the expected routes match events identically.
//
// A Router is not safe for concurrent use (it reuses matching scratch).
type Router struct {
	X      *Index
	Region string
	// matchers[b] matches the rules of bus b, in rule order, disabled
	// rules included (callers check the state).
	matchers []*pattern.Matcher
	// consumers[b][r][t] is the target reference of each target.
	consumers [][][]string
	// dest[b][r][t] is the destination bus index of a bus target, else -1.
	dest [][][]int

	scratch pattern.Scratch
	hits    [][]int

	// memo holds ExpectedRoutes' answers when every matcher reads only
	// the envelope fields of the key (memoOK): the nominal routes are then
	// a function of the key.
	memo   map[routesKey][]string
	memoOK bool
}

// routesKey is what the expected routes of an event depend on when no
// pattern reads its id, time, resources or detail.
type routesKey struct {
	sender                                           int
	bus, detailType, source, account, region, replay string
}

// maxMemo bounds Router.memo; keys past it are computed every time.
const maxMemo = 4096

// NewRouter compiles t. It fails with a Problems error when t does not
// validate.
func NewRouter(t *Topology) (*Router, error) {
	if ps := t.Validate(); len(ps) > 0 {
		return nil, Problems(ps)
	}
	r := &Router{X: NewIndex(t), Region: t.RegionOrDefault()}
	r.matchers = make([]*pattern.Matcher, len(t.Buses))
	r.consumers = make([][][]string, len(t.Buses))
	r.dest = make([][][]int, len(t.Buses))
	for b := range t.Buses {
		bus := &t.Buses[b]
		ps := make([]*pattern.Pattern, len(bus.Rules))
		r.consumers[b] = make([][]string, len(bus.Rules))
		r.dest[b] = make([][]int, len(bus.Rules))
		for i := range bus.Rules {
			rule := &bus.Rules[i]
			p, err := pattern.Compile([]byte(rule.Pattern))
			if err != nil { // Validate compiled it already
				return nil, fmt.Errorf("topology: %s: %w", RuleRef(bus, rule), err)
			}
			ps[i] = p
			r.consumers[b][i] = make([]string, len(rule.Targets))
			r.dest[b][i] = make([]int, len(rule.Targets))
			for k := range rule.Targets {
				tg := &rule.Targets[k]
				r.consumers[b][i][k] = TargetRef(bus, rule, tg)
				r.dest[b][i][k] = -1
				if tg.Kind == KindBus {
					d, _ := r.X.Bus(tg.Bus)
					r.dest[b][i][k] = d
				}
			}
		}
		r.matchers[b] = pattern.NewMatcher(ps)
	}
	r.memoOK = true
	for _, m := range r.matchers {
		r.memoOK = r.memoOK && m.TypeFieldsOnly()
	}
	if r.memoOK {
		r.memo = map[routesKey][]string{}
	}
	return r, nil
}

// Topology returns the topology the router was built from.
func (r *Router) Topology() *Topology { return r.X.T }

// Matcher returns the matcher of bus b's rules (index = rule index).
func (r *Router) Matcher(b int) *pattern.Matcher { return r.matchers[b] }

// TargetRef returns the precomputed reference of target t of rule i of bus b.
func (r *Router) TargetRef(b, i, t int) string { return r.consumers[b][i][t] }

// Dest returns the destination bus index of a bus target, or -1.
func (r *Router) Dest(b, i, t int) int { return r.dest[b][i][t] }

// ExpectedRoutes returns the consumers that an event published by account
// sender (a Name or ID) with PutEvents to bus (an EventBusName as PutEvents
// takes it: name, "account/bus" or ARN) reaches in the nominal topology,
// sorted. A consumer reached along two paths appears twice: EventBridge
// delivers to it twice. env must be the envelope as the model builds it
// (account = the sender's id).
//
// The walk is the model's routing without faults: the sender must be
// allowed by the bus policy (else AccessDenied: no routes); an unknown bus
// has no routes; at each bus every ENABLED rule whose pattern matches
// invokes each of its targets; queue, log and handler targets are
// consumers; a bus target forwards when the destination's policy allows
// the forwarding bus's account. The one-hop rule ([ForwardRefusal]) is not
// applied: see AppendFromTarget.
func (r *Router) ExpectedRoutes(sender, bus string, env *event.Envelope) []string {
	return r.AppendExpectedRoutes(nil, sender, bus, env)
}

// AppendExpectedRoutes appends ExpectedRoutes(sender, bus, env) to dst.
// When no pattern of the topology reads an event's id, time, resources or
// detail, the routes depend only on the sender, the bus and the
// envelope's other fields, and the router remembers them: the topology
// must not change after NewRouter (its patterns are compiled once
// already).
func (r *Router) AppendExpectedRoutes(dst []string, sender, bus string, env *event.Envelope) []string {
	s, ok := r.X.Account(sender)
	if !ok {
		return dst
	}
	if !r.memoOK {
		return r.appendExpected(dst, s, bus, env)
	}
	k := routesKey{s, bus, env.DetailType, env.Source, env.Account, env.Region, env.ReplayName}
	if routes, ok := r.memo[k]; ok {
		return append(dst, routes...)
	}
	start := len(dst)
	dst = r.appendExpected(dst, s, bus, env)
	if len(r.memo) < maxMemo {
		r.memo[k] = slices.Clone(dst[start:])
	}
	return dst
}

func (r *Router) appendExpected(dst []string, s int, bus string, env *event.Envelope) []string {
	owner, b := r.X.ResolveBus(s, bus)
	if b < 0 {
		return dst
	}
	t := r.X.T
	if !PolicyAllows(t.Buses[b].Policy, &t.Accounts[owner], &t.Accounts[s]) {
		return dst
	}
	start := len(dst)
	dst = r.AppendFromBus(dst, b, env, false)
	sort.Strings(dst[start:])
	return dst
}

// AppendFromBus appends the consumers an event arriving at bus b reaches
// nominally; hopped says whether it arrived through a bus-to-bus forward.
func (r *Router) AppendFromBus(dst []string, b int, env *event.Envelope, hopped bool) []string {
	return r.appendFromBus(dst, b, env, hopDepth(hopped))
}

// maxForwards bounds the nominal walk through bus-to-bus forwards: a
// misconfigured cycle of rules would otherwise never end.
const maxForwards = 8

func hopDepth(hopped bool) int {
	if hopped {
		return 1
	}
	return 0
}

func (r *Router) appendFromBus(dst []string, b int, env *event.Envelope, depth int) []string {
	for len(r.hits) <= depth {
		r.hits = append(r.hits, nil)
	}
	hits, err := r.matchers[b].Match(env, &r.scratch, r.hits[depth][:0])
	if err != nil {
		// The rules cannot be decided for this event within the
		// matcher's budget (pattern.ErrMatchBudget: an event spelling a
		// path twice; never one of the load generator's): the model drops
		// it at this bus (cause match-budget), so nothing is expected
		// beyond it.
		hits = hits[:0]
	}
	r.hits[depth] = hits
	for _, i := range r.hits[depth] {
		dst = r.appendFromRule(dst, b, i, env, depth)
	}
	return dst
}

// AppendFromRule appends the consumers reached through rule i of bus b for
// an event the rule matches (the caller has matched it). A rule configured
// DISABLED reaches nothing.
func (r *Router) AppendFromRule(dst []string, b, i int, env *event.Envelope, hopped bool) []string {
	return r.appendFromRule(dst, b, i, env, hopDepth(hopped))
}

func (r *Router) appendFromRule(dst []string, b, i int, env *event.Envelope, depth int) []string {
	rule := &r.X.T.Buses[b].Rules[i]
	if !rule.IsEnabled() {
		return dst
	}
	for k := range rule.Targets {
		dst = r.appendFromTarget(dst, b, i, k, env, depth)
	}
	return dst
}

// AppendFromTarget appends the consumers reached through target k of rule i
// of bus b.
//
// The walk follows bus-to-bus forwards as they are configured, without the
// one-hop rule: the expected routes are what the topology's author
// intended, so that when EventBridge refuses a second hop
// (THIRD_ACCOUNT_HOP_DETECTED) the ledger shows the deliveries it cut as
// lost with that cause, instead of never expecting them. Destination
// policies still apply (a forward the policy refuses was never possible),
// and the walk stops after maxForwards forwards, so a cycle of rules ends.
func (r *Router) AppendFromTarget(dst []string, b, i, k int, env *event.Envelope, hopped bool) []string {
	return r.appendFromTarget(dst, b, i, k, env, hopDepth(hopped))
}

func (r *Router) appendFromTarget(dst []string, b, i, k int, env *event.Envelope, depth int) []string {
	t := r.X.T
	tg := &t.Buses[b].Rules[i].Targets[k]
	if tg.Kind != KindBus {
		return append(dst, r.consumers[b][i][k])
	}
	d := r.dest[b][i][k]
	if d < 0 || depth >= maxForwards {
		return dst
	}
	src, _ := r.X.Account(t.Buses[b].Account)
	own, _ := r.X.Account(t.Buses[d].Account)
	if !PolicyAllows(t.Buses[d].Policy, &t.Accounts[own], &t.Accounts[src]) {
		return dst
	}
	return r.appendFromBus(dst, d, env, depth+1)
}
