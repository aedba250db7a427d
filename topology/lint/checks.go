package lint

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/busdrill/busdrill/pattern"
	"github.com/busdrill/busdrill/topology"
)

// policies checks what bus policies must allow: every cross-account
// forward (forward-denied), and, on each hub (a bus that accepts other
// accounts' events and forwards to other accounts), that every account
// publishing to it receives from it (missing-fanout) and every account it
// fans out to may publish to it (missing-policy).
func (a *analysis) policies() {
	for b := range a.t.Buses {
		bus := &a.t.Buses[b]
		src := a.owner(b)
		if src < 0 {
			continue
		}
		dests := map[int][]string{} // account → its buses this bus forwards to
		for j := range bus.Rules {
			rule := &bus.Rules[j]
			for k := range rule.Targets {
				tg := &rule.Targets[k]
				if tg.Kind != topology.KindBus {
					continue
				}
				d, ok := a.x.Bus(tg.Bus)
				if !ok || a.owner(d) < 0 || a.owner(d) == src {
					continue
				}
				dests[a.owner(d)] = append(dests[a.owner(d)], a.t.Buses[d].Name)
				if !a.canPut(src, d) {
					a.add(Finding{Check: "forward-denied", Severity: Error, Resource: topology.TargetRef(bus, rule, tg), Path: targetPath(b, j, k),
						Message: fmt.Sprintf("the policy of %s does not allow %s to put events: every event this target forwards is refused (AccessDenied) and lost", tg.Bus, a.accountLabel(src)),
						Fix:     fmt.Sprintf("add a statement to the policy of %s allowing %s to events:PutEvents", tg.Bus, a.accountLabel(src))})
				}
			}
		}
		// The hub's peers: the accounts that may publish to it, except
		// those that only forward into it (a hub upstream, whose policy
		// statement lets its rules deliver here).
		var senders []int
		for acct := range a.t.Accounts {
			if acct != src && a.canPut(acct, b) && !a.forwardsTo(acct, b) {
				senders = append(senders, acct)
			}
		}
		if len(dests) == 0 || len(senders) == 0 {
			continue
		}
		for _, acct := range senders {
			if _, ok := dests[acct]; ok || !a.ownsBus(acct) {
				continue
			}
			a.add(Finding{Check: "missing-fanout", Severity: Error, Resource: bus.Ref(), Path: busPath(b),
				Message: fmt.Sprintf("%s may publish to this hub and has a bus, but the hub forwards to none of its buses: it never receives the other accounts' events", a.accountLabel(acct)),
				Fix: fmt.Sprintf(`add a rule on %s with "account": [{"anything-but": %q}] targeting %s (with a role)`,
					bus.Ref(), a.t.Accounts[acct].ID, a.likelyLocalBus(acct, dests))})
		}
		for acct := range a.t.Accounts {
			if _, ok := dests[acct]; !ok || slices.Contains(senders, acct) {
				continue
			}
			a.add(Finding{Check: "missing-policy", Severity: Warning, Resource: bus.Ref(), Path: busPath(b),
				Message: fmt.Sprintf("the hub fans out to %s, but its policy does not let %s publish to it: what %s puts on the hub is refused (AccessDenied)", a.accountLabel(acct), a.t.Accounts[acct].Name, a.t.Accounts[acct].Name),
				Fix:     fmt.Sprintf("add a statement to the policy of %s allowing %s to events:PutEvents (or ignore this for an account that only consumes)", bus.Ref(), a.accountLabel(acct))})
		}
	}
}

// forwardsTo reports whether a bus of acct has a rule forwarding to bus b.
func (a *analysis) forwardsTo(acct, b int) bool {
	for x := range a.t.Buses {
		if a.owner(x) != acct {
			continue
		}
		for _, rule := range a.t.Buses[x].Rules {
			for _, tg := range rule.Targets {
				if d, ok := a.x.Bus(tg.Bus); ok && tg.Kind == topology.KindBus && d == b {
					return true
				}
			}
		}
	}
	return false
}

func (a *analysis) ownsBus(acct int) bool {
	return slices.ContainsFunc(a.t.Buses, func(b topology.Bus) bool { return b.Account == a.t.Accounts[acct].Name })
}

// likelyLocalBus is the bus of acct a hub should forward to: the one named
// like the hub's other destinations, else acct's first bus.
func (a *analysis) likelyLocalBus(acct int, dests map[int][]string) string {
	name := a.t.Accounts[acct].Name
	first := ""
	for _, b := range a.t.Buses {
		if b.Account != name {
			continue
		}
		if first == "" {
			first = b.Ref()
		}
		for _, names := range dests {
			if slices.Contains(names, b.Name) {
				return b.Ref()
			}
		}
	}
	return first
}

// loops reports cycles of bus-to-bus forwards, one finding per cycle
// found (from its first rule in topology order).
func (a *analysis) loops() {
	type edge struct{ to, b, j int }
	out := make([][]edge, len(a.t.Buses))
	for b := range a.t.Buses {
		for j, rule := range a.t.Buses[b].Rules {
			if !rule.IsEnabled() {
				continue
			}
			for _, tg := range rule.Targets {
				if d, ok := a.x.Bus(tg.Bus); ok && tg.Kind == topology.KindBus && d != b {
					out[b] = append(out[b], edge{d, b, j})
				}
			}
		}
	}
	reported := map[string]bool{}
	for start := range a.t.Buses {
		// Depth-first search for a path back to start through buses
		// after it (each cycle is found from its first bus).
		var stack []edge
		onPath := map[int]bool{start: true}
		var dfs func(v int) bool
		dfs = func(v int) bool {
			for _, e := range out[v] {
				if e.to == start {
					stack = append(stack, e)
					return true
				}
				if e.to < start || onPath[e.to] {
					continue
				}
				onPath[e.to] = true
				stack = append(stack, e)
				if dfs(e.to) {
					return true
				}
				stack = stack[:len(stack)-1]
			}
			return false
		}
		if !dfs(start) {
			continue
		}
		var buses, rules []string
		for _, e := range stack {
			buses = append(buses, a.t.Buses[e.b].Ref())
			rules = append(rules, topology.RuleRef(&a.t.Buses[e.b], &a.t.Buses[e.b].Rules[e.j]))
		}
		key := strings.Join(rules, " ")
		if reported[key] {
			continue
		}
		reported[key] = true
		e := stack[0]
		a.add(Finding{Check: "forward-loop", Severity: Error, Resource: rules[0], Path: rulePath(e.b, e.j),
			Message: fmt.Sprintf("buses forward to each other in a cycle: %s → %s (rules %s); EventBridge drops what comes round at the second hop",
				strings.Join(buses, " → "), buses[0], strings.Join(rules, ", ")),
			Fix: "break the cycle: narrow one rule's pattern so that what it received from the other bus does not match"})
	}
}

// deliveries checks targets and their dead-letter queues: no-dlq,
// default-retry (with an SLO) and dlq-no-redrive.
func (a *analysis) deliveries() {
	if a.in.SLO <= 0 {
		a.notRun = append(a.notRun, "default-retry: no end-to-end latency objective (give --slo, or lint a scenario that expects e2e latency)")
	}
	if !a.in.RedriveKnown {
		a.notRun = append(a.notRun, "dlq-no-redrive: the source cannot show what reads or watches a queue (a live import's read-only calls cannot)")
	}
	dlqs := map[string]bool{}
	for b := range a.t.Buses {
		bus := &a.t.Buses[b]
		for j := range bus.Rules {
			rule := &bus.Rules[j]
			for k := range rule.Targets {
				tg := &rule.Targets[k]
				ref, path := topology.TargetRef(bus, rule, tg), targetPath(b, j, k)
				if tg.DLQ != "" {
					dlqs[tg.DLQ] = true
				}
				if tg.Kind == topology.KindLog {
					continue // the observability sink: its losses lose no business event
				}
				if tg.DLQ == "" {
					a.add(Finding{Check: "no-dlq", Severity: Warning, Resource: ref, Path: path,
						Message: fmt.Sprintf("the %s target has no dead-letter queue: an event that exhausts its retries, or fails for good (a permission, a missing resource), is dropped without trace", tg.Kind),
						Fix:     "set a dead-letter queue (DeadLetterConfig: a standard SQS queue in the same Region)"})
				}
				if a.in.SLO > 0 && isDefaultRetry(tg.Retry) && a.in.SLO < tg.Retry.MaxAge() {
					age := int((a.in.SLO + time.Second - 1) / time.Second)
					age = min(max(age, topology.MinMaximumEventAgeInSeconds), topology.MaxMaximumEventAgeInSeconds)
					a.add(Finding{Check: "default-retry", Severity: Warning, Resource: ref, Path: path,
						Message: fmt.Sprintf("the target retries with the default policy (%d attempts over 24h), but the objective is %s: an event still being retried is long late, and a failing target holds events for a day before anyone sees them in a DLQ",
							topology.DefaultMaximumRetryAttempts, a.in.SLOSource),
						Fix: fmt.Sprintf("set RetryPolicy MaximumEventAgeInSeconds to about %d and a dead-letter queue", age)})
				}
			}
		}
	}
	if !a.in.RedriveKnown {
		return
	}
	fix := a.in.RedriveFix
	if fix == "" {
		fix = "give it a consumer that redrives it (a Lambda event source mapping or a pipe), or a CloudWatch alarm on ApproximateNumberOfMessagesVisible with a redrive runbook"
	}
	for i, q := range a.t.Queues {
		ref := q.Ref()
		if !dlqs[ref] || a.in.Redrive[ref] != "" {
			continue
		}
		a.add(Finding{Check: "dlq-no-redrive", Severity: Warning, Resource: ref, Path: fmt.Sprintf("queues[%d]", i),
			Message: "the dead-letter queue has no redrive plan: nothing reads it or alarms on it, so what lands there stays there (EventBridge never redrives a DLQ)",
			Fix:     fix})
	}
}

func isDefaultRetry(p topology.RetryPolicy) bool {
	return p.Attempts() == topology.DefaultMaximumRetryAttempts && p.MaxAge() == time.Duration(topology.DefaultMaximumEventAgeInSeconds)*time.Second
}

// rules reports disabled rules and rules that can never match.
func (a *analysis) rules() {
	for b := range a.t.Buses {
		bus := &a.t.Buses[b]
		var arrivals []string // account ids that can reach the bus; nil: any
		anyAccount := false
		for j := range bus.Rules {
			rule := &bus.Rules[j]
			ref, path := topology.RuleRef(bus, rule), rulePath(b, j)
			if !rule.IsEnabled() {
				a.add(Finding{Check: "rule-disabled", Severity: Warning, Resource: ref, Path: path,
					Message: "the rule is DISABLED: every event it would match is dropped, and none is delivered when it is enabled again",
					Fix:     "enable it, or delete it if it is no longer wanted"})
				continue
			}
			tp := a.buses[b].parsed[j]
			if tp == nil || tp.hasOr {
				continue
			}
			if p, ok := tp.sub("region"); ok {
				if ok, _ := p.MatchJSON(a.envelope("000000000000", "x", "x").AppendJSON(nil)); !ok {
					a.add(Finding{Check: "rule-never-matches", Severity: Warning, Resource: ref, Path: path,
						Message: fmt.Sprintf("the pattern's region never matches: every event of this topology comes from %s", a.t.RegionOrDefault()),
						Fix:     "remove the region condition, or correct it"})
					continue
				}
			}
			if bus.Name != "default" && tp.onlyAWSSources() {
				a.add(Finding{Check: "rule-never-matches", Severity: Warning, Resource: ref, Path: path,
					Message: "the pattern matches only AWS service events (source aws.*), which AWS delivers to the default bus only; custom publishers cannot use such a source",
					Fix:     "put the rule on the default bus of the account, or match the source its publishers really use"})
				continue
			}
			p, ok := tp.sub("account")
			if !ok {
				continue
			}
			if arrivals == nil && !anyAccount {
				arrivals, anyAccount = a.arrivals(b)
			}
			if anyAccount || slices.ContainsFunc(arrivals, func(id string) bool {
				ok, _ := p.MatchJSON(a.envelope(id, "x", "x").AppendJSON(nil))
				return ok
			}) {
				continue
			}
			labels := make([]string, len(arrivals))
			for i, id := range arrivals {
				labels[i] = a.labelOfID(id)
			}
			a.add(Finding{Check: "rule-never-matches", Severity: Warning, Resource: ref, Path: path,
				Message: fmt.Sprintf("the pattern's account never matches: only events of %s reach %s (published there or forwarded to it)", strings.Join(labels, ", "), bus.Ref()),
				Fix:     "correct the account ids in the pattern, or allow the account it names to publish to the bus"})
		}
	}
}

// arrivals lists the ids of the accounts whose events can reach bus b:
// its direct publishers (the owner, the accounts its policy allows, and
// ids its statements name that the topology does not have), and those
// forwarded to it by rules of other buses whose account the rule's
// pattern admits. any is true when a statement allows every account ("*",
// possibly within an organization): then no account can be ruled out.
func (a *analysis) arrivals(b int) (ids []string, any bool) {
	direct := func(x int) ([]string, bool) {
		var out []string
		for acct := range a.t.Accounts {
			if a.canPut(acct, x) {
				out = append(out, a.t.Accounts[acct].ID)
			}
		}
		for _, s := range a.t.Buses[x].Policy {
			if s.Principal == "*" {
				return nil, true
			}
			if _, known := a.x.Account(s.Principal); !known && !slices.Contains(out, s.Principal) {
				out = append(out, s.Principal)
			}
		}
		return out, false
	}
	ids, any = direct(b)
	if any {
		return nil, true
	}
	for x := range a.t.Buses {
		for j, rule := range a.t.Buses[x].Rules {
			for _, tg := range rule.Targets {
				if d, ok := a.forward(x, &tg); !ok || d != b || !rule.IsEnabled() {
					continue
				}
				from, all := direct(x)
				if all {
					return nil, true
				}
				// Only the accounts the forwarding rule admits arrive.
				var admits *pattern.Pattern
				if tp := a.buses[x].parsed[j]; tp != nil && !tp.hasOr {
					admits, _ = tp.sub("account")
				}
				for _, id := range from {
					if admits != nil {
						if ok, _ := admits.MatchJSON(a.envelope(id, "x", "x").AppendJSON(nil)); !ok {
							continue
						}
					}
					if !slices.Contains(ids, id) {
						ids = append(ids, id)
					}
				}
			}
		}
	}
	return ids, false
}

// catchAll reports buses without an enabled rule that sends every event
// to a log group.
func (a *analysis) catchAll() {
	ids := []string{"999999999999"}
	for _, acct := range a.t.Accounts {
		ids = append(ids, acct.ID)
	}
	sources := []string{"a", "aws.events", "external", "busdrill.orders", "x.y.z"}
	types := []string{"A", "Order.Created", "x"}
	for b := range a.t.Buses {
		bus := &a.t.Buses[b]
		found := false
		for j := range bus.Rules {
			rule := &bus.Rules[j]
			if !rule.IsEnabled() || !slices.ContainsFunc(rule.Targets, func(t topology.Target) bool { return t.Kind == topology.KindLog }) {
				continue
			}
			all := true
			for _, id := range ids {
				for _, s := range sources {
					for _, dt := range types {
						all = all && slices.Contains(a.matching(b, a.envelope(id, s, dt)), j)
					}
				}
			}
			if all {
				found = true
				break
			}
		}
		if !found {
			a.add(Finding{Check: "no-catch-all", Severity: Warning, Resource: bus.Ref(), Path: busPath(b),
				Message: "no enabled rule sends every event on this bus to a log group: nothing records what reached it, so a lost or unexpected event leaves no trace",
				Fix:     `add a rule {"source": [{"prefix": ""}]} with a CloudWatch Logs target`})
		}
	}
}

// queueFacts reports queue targets and dead-letter queues that a live
// import found missing, and FIFO dead-letter queues.
func (a *analysis) queueFacts() {
	if a.in.Queues == nil {
		return
	}
	for b := range a.t.Buses {
		bus := &a.t.Buses[b]
		for j := range bus.Rules {
			rule := &bus.Rules[j]
			for k := range rule.Targets {
				tg := &rule.Targets[k]
				ref, path := topology.TargetRef(bus, rule, tg), targetPath(b, j, k)
				if tg.Kind == topology.KindQueue {
					if f, ok := a.in.Queues[tg.Queue]; ok && !f.Exists {
						a.add(Finding{Check: "queue-unusable", Severity: Error, Resource: ref, Path: path,
							Message: fmt.Sprintf("the target's queue %s does not exist: every delivery fails (NO_RESOURCE)", tg.Queue),
							Fix:     "create the queue, or remove the target"})
					}
				}
				if tg.DLQ == "" {
					continue
				}
				f, ok := a.in.Queues[tg.DLQ]
				switch {
				case ok && !f.Exists:
					a.add(Finding{Check: "queue-unusable", Severity: Error, Resource: ref, Path: path,
						Message: fmt.Sprintf("the dead-letter queue %s does not exist: what should land there is lost", tg.DLQ),
						Fix:     "create the queue, or point DeadLetterConfig at one that exists"})
				case ok && f.FIFO:
					a.add(Finding{Check: "queue-unusable", Severity: Error, Resource: ref, Path: path,
						Message: fmt.Sprintf("the dead-letter queue %s is a FIFO queue; EventBridge sends only to standard queues", tg.DLQ),
						Fix:     "use a standard SQS queue as the dead-letter queue"})
				}
			}
		}
	}
}
