package capacity

import (
	"cmp"
	"math"
	"slices"

	"github.com/busdrill/busdrill/report"
	"github.com/busdrill/busdrill/scenarios"
	"github.com/busdrill/busdrill/sim/backbone"
	"github.com/busdrill/busdrill/sim/world"
)

// Constraint kinds: the limits of the model a rate can run into.
const (
	// KindPutEventsQuota: an account's PutEvents requests per second (per
	// Region, shared by its buses), counting every request it makes per
	// order (an order service publishes Order.Created and Order.Updated).
	KindPutEventsQuota = "putevents-quota"
	// KindInvocationsQuota: the invocations per second of an account's
	// rules (every target of every matching rule, forwards and log
	// deliveries included); over it, invocations are delayed.
	KindInvocationsQuota = "invocations-quota"
	// KindHandlerConcurrency: a service's concurrent executions over its
	// processing time (its throughput: concurrency / mean processing).
	KindHandlerConcurrency = "handler-concurrency"
	// KindTargetThroughput: a service's target throughput limit
	// (services[].max_rate); over it, invocations are throttled and
	// retried.
	KindTargetThroughput = "target-throughput"
	// KindRetryExhaustion: a target's MaximumRetryAttempts, against the
	// most retries an invocation needed.
	KindRetryExhaustion = "retry-exhaustion"
	// KindEventAge: a target's MaximumEventAgeInSeconds, against the
	// oldest age a retry reached.
	KindEventAge = "event-age"
	// KindExpectation: a scenario expectation that fails before any limit
	// of the model saturates (a latency objective, typically).
	KindExpectation = "expectation"
)

// key names a constraint: its kind and what it limits (an account name,
// a handler reference, a target reference, an expectation).
type key struct{ kind, name string }

func keyOf(c report.CapacityConstraint) key { return key{c.Kind, c.Name} }

// linear reports whether a kind's use grows in proportion to the rate
// (its SaturatesAt predicts where it reaches 100%).
func linear(kind string) bool {
	switch kind {
	case KindPutEventsQuota, KindInvocationsQuota, KindHandlerConcurrency, KindTargetThroughput:
		return true
	}
	return false
}

// minWindowOrders is the fewest orders the end of the traffic must send
// for the demand per order to be measured there rather than over the
// whole run.
const minWindowOrders = 50

// measure computes every constraint's use in a probe at rate: the demand
// one order makes on it (requests, invocations, busy seconds per order)
// times the rate, over the limit. The demand per order is the whole
// run's (to last, the cut-off's: every order's demand counted, exactly),
// but for a scenario with faults, where it is measured over the end of
// the traffic (from start, the last sample before the judged window, to
// end, the traffic's last), so that a fault earlier in the run (a minute
// of lost deliveries, say) does not water it down. The retry policies'
// use is the whole run's. Constraints an order does not use are left
// out. Sorted busiest first.
func measure(sc *scenarios.Scenario, start, end, last *world.Sample, rate float64) []report.CapacityConstraint {
	ids := map[string]string{}
	for _, a := range sc.Topology.Accounts {
		ids[a.Name] = a.ID
	}
	services := map[string]string{} // handler → service name
	for _, s := range sc.Services {
		services[s.Handler] = s.Name
	}
	// delta is what the end of the traffic added to a counter (the whole
	// run's when it sent too few orders to tell).
	sent := float64(end.Sent - start.Sent)
	whole := !hasFaults(sc) || sent < minWindowOrders
	if whole {
		sent, end = float64(last.Sent), last
	}
	delta := func(end, begin uint64) float64 {
		if whole {
			return float64(end)
		}
		return float64(end - begin)
	}
	var out []report.CapacityConstraint
	add := func(c report.CapacityConstraint, perOrder float64) {
		c.Account = ids[c.AccountName]
		if perOrder > 0 && sent > 0 {
			c.PerOrder = round(perOrder, 4)
			c.Utilisation = round(perOrder*rate/c.Limit, 4)
			c.SaturatesAt = roundSig(c.Limit/perOrder, 4)
		}
		out = append(out, c)
	}
	for i, a := range end.Accounts {
		var b backbone.AccountLoad
		if i < len(start.Accounts) {
			b = start.Accounts[i]
		}
		if a.PutCalls > 0 {
			add(report.CapacityConstraint{Kind: KindPutEventsQuota, AccountName: a.Account, Name: a.Account,
				Limit: a.PutEventsTPS, Unit: "requests/s", Set: "model.putevents_tps." + a.Account}, delta(a.PutCalls, b.PutCalls)/sent)
		}
		if a.Invocations > 0 {
			add(report.CapacityConstraint{Kind: KindInvocationsQuota, AccountName: a.Account, Name: a.Account,
				Limit: a.InvocationsTPS, Unit: "invocations/s", Set: "model.invocations_tps." + a.Account}, delta(a.Invocations, b.Invocations)/sent)
		}
	}
	for i, h := range end.Handlers {
		var b backbone.HandlerLoad
		if i < len(start.Handlers) {
			b = start.Handlers[i]
		}
		svc, isService := services[h.Handler]
		set := func(field string) string {
			if !isService {
				return ""
			}
			return "services." + svc + "." + field
		}
		// Busy seconds per order: the invocations offered to it (first
		// attempts, whether it could run them or not) times its mean
		// processing time over the run.
		if h.Runs > 0 {
			mean := h.Work.Seconds() / float64(h.Runs)
			add(report.CapacityConstraint{Kind: KindHandlerConcurrency, AccountName: h.Account, Name: h.Handler,
				Limit: float64(h.Concurrency), Unit: "concurrent executions", Set: set("concurrency")},
				delta(h.Offered, b.Offered)*mean/sent)
		}
		if h.MaxRate > 0 && h.Offered > 0 {
			add(report.CapacityConstraint{Kind: KindTargetThroughput, AccountName: h.Account, Name: h.Handler,
				Limit: h.MaxRate, Unit: "invocations/s", Set: set("max_rate")}, delta(h.Offered, b.Offered)/sent)
		}
	}
	for _, t := range last.Targets {
		svc, isService := services[t.Handler]
		set := func(field string) string {
			if isService {
				return "services." + svc + ".retry." + field
			}
			return "targets." + t.Target + ".retry." + field
		}
		if t.MaxRetry > 0 || t.ExhaustedAttempts > 0 {
			needed := float64(t.MaxRetry)
			if t.ExhaustedAttempts > 0 {
				needed = float64(t.MaxRetries + 1)
			}
			add(report.CapacityConstraint{Kind: KindRetryExhaustion, AccountName: t.Account, Name: t.Target,
				Limit: float64(t.MaxRetries), Unit: "retry attempts", Set: set("maximum_retry_attempts"),
				Utilisation: round(needed/math.Max(float64(t.MaxRetries), 1), 4)}, 0)
		}
		if t.MaxRetryAge > 0 || t.ExhaustedAge > 0 {
			u := t.MaxRetryAge.Seconds() / t.MaxAge.Seconds()
			if t.ExhaustedAge > 0 {
				u = math.Max(u, 1)
			}
			add(report.CapacityConstraint{Kind: KindEventAge, AccountName: t.Account, Name: t.Target,
				Limit: t.MaxAge.Seconds(), Unit: "seconds", Set: set("maximum_event_age_in_seconds"),
				Utilisation: round(u, 4)}, 0)
		}
	}
	sortConstraints(out)
	return out
}

// sortConstraints sorts busiest first, then by kind and name.
func sortConstraints(cs []report.CapacityConstraint) {
	slices.SortStableFunc(cs, func(a, b report.CapacityConstraint) int {
		return cmp.Or(cmp.Compare(b.Utilisation, a.Utilisation), cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Name, b.Name))
	})
}

// predict is where the busiest linear constraint saturates: the lowest
// SaturatesAt (0 when none is known).
func predict(cs []report.CapacityConstraint) float64 {
	best := 0.0
	for _, c := range cs {
		if linear(c.Kind) && c.SaturatesAt > 0 && (best == 0 || c.SaturatesAt < best) {
			best = c.SaturatesAt
		}
	}
	return best
}

// round rounds v to n decimals.
func round(v float64, n int) float64 {
	p := math.Pow(10, float64(n))
	return math.Round(v*p) / p
}
