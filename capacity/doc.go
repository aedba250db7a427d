// Package capacity finds the highest rate a scenario's backbone sustains
// in the simulator, names the limit that binds first, and says what
// raising it would give and what the traffic costs (busdrill capacity).
//
//	answer, err := capacity.Run(ctx, scenario, capacity.Options{Version: v})
//	capacity.WriteText(os.Stdout, answer) // or answer.WriteJSON: capacity.json
//
// The answer is a report.Capacity (the capacity.json contract, documented
// in docs/capacity.md). Run is deterministic: the same scenario, seed,
// options and version give a byte-identical answer, whatever the machine.
//
// # Probes
//
// A probe is a full simulation (sim/world) of the scenario from its seed,
// with its traffic scaled to a rate: whatever the shape (constant, ramp,
// stages, spike), every rate of it is multiplied so that its peak is the
// rate probed (loadgen.Scale); rates are peaks. The scenario is reloaded
// from its source for every subject (Subject), its --set overrides
// applied, so nothing leaks between searches. Each probe is watched one
// virtual second at a time (world.Options.Sample).
//
// A probe's traffic window is kept whole unless the probe would plan more
// than Budget.Orders (150,000 by default): the shape is then compressed in
// time (loadgen.Stretch: same rates, shorter), but never below a minute
// nor twelve times the slowest service's mean processing time, and never
// for a scenario with faults (they happen at fixed times). Budget.Ceiling
// (2,000,000 orders) caps the highest rate searched. The text answer and
// capacity.json say which probes were shortened.
//
// # Sustainable
//
// A probe passes when all of these hold (judge.go):
//
//   - every expectation of the scenario that bounds harm holds: ceilings
//     on latency, loss, duplicates, violations, incomplete orders,
//     recovery; floors on completion; a balanced ledger. An expectation
//     that demands harm (loss.throttled > 0: the failure an experiment
//     provokes, like launch-day-ramp's) or counts the traffic the search
//     scales (orders.sent > 1000) is not a criterion: it is listed as
//     skipped, with why;
//   - the ledger balances and nothing is lost: for a scenario with
//     faults, outside the fault windows (the steady window); loss by a
//     cause the scenario itself asserts (an expectation such as
//     loss.oversized > 0: the experiment's subject) does not count. For a
//     scenario without faults, nothing is in flight at the cut-off either
//     (the backlog drained; with faults, a replay or a redrive may still
//     run by design);
//   - nothing grows without bound (trend.go, watch.go): each backlog, in
//     seconds (a count over the orders per second, "seconds of traffic",
//     or a time), over the end of the traffic window (its last quarter,
//     at least 30 s): a handler's invocations waiting (its size: draining
//     a burst first in, first out, the oldest wait grows while the
//     backlog shrinks), each quota's token bucket booked ahead (it grows
//     from the first second of a steady overload, while the burst still
//     hides it), each target's retries waiting, each producer's requests
//     waiting for an SDK retry, and the deliveries in flight. A gauge
//     grows when its least-squares slope is at least MinGrowth (1% of the
//     time elapsed), its rise at least MinRise (0.25 s) and MinSignal (3)
//     times its fluctuation around the fitted line, and the line ends
//     higher than anything the gauge reached before that stretch: a queue
//     that wanders back to where it has been is not growing. Judged on a
//     trend, not a size, a run cannot hide a growing backlog by ending
//     before it hurts. (A handler's own retries of failed runs, minutes
//     apart, are not a gauge: their count settles after the longest delay
//     and points at no limit; the deliveries they hold count in flight.);
//   - no limit is asked for more than it serves at the rate the traffic
//     ends at: the demand one order makes on it, measured, times that
//     rate, over the limit. A queue offered more than it serves can only
//     grow; a ramp that ends above a limit would be hidden by the end of
//     the run otherwise.
//
// # The search
//
// [Search] brackets then bisects: up from the scenario's own peak rate
// (×2) until a probe fails, or down (÷2) until one passes, then halving
// the bracket on a log scale until the lowest failing rate is within the
// precision (2%) of the highest passing one; the answer is the highest
// passing rate. Each probe also predicts where its busiest linear
// constraint saturates (its rate over its utilisation); the search tries
// just above that, then just below, when it is well inside the unknown
// range, so a backbone limited by a quota or a concurrency is bracketed in
// three or four probes instead of ten. A prediction that proves wrong
// turns bracketing into a gallop from it (1+2p, 1+4p, ...) rather than a
// doubling. Rates are rounded to three significant digits where that keeps
// them inside the bracket. The rates tried depend only on the
// configuration and the verdicts.
//
// # Constraints and the binding one
//
// Every probe measures each limit's use (constraints.go): the demand per
// order (requests, invocations, busy seconds: the invocations offered to
// a handler times its mean processing time) times the rate, over the
// limit. The demand per order is the whole run's, but for a scenario with
// faults, where it is the end of the traffic's, so that a fault earlier
// in the run does not water it down.
//
//	putevents-quota      an account's PutEvents requests/s (every request it makes per order:
//	                     an order service publishes Order.Created and Order.Updated)
//	invocations-quota    an account's rules' invocations/s (targets, forwards and logs alike)
//	handler-concurrency  a service's concurrent executions: busy seconds per order × rate
//	target-throughput    a service's max_rate, in invocations/s
//	retry-exhaustion     a target's MaximumRetryAttempts, against the most retries needed
//	event-age            a target's MaximumEventAgeInSeconds, against the oldest retry
//	expectation          a scenario expectation, against its threshold
//
// The binding constraint (explain.go) is read off the lowest failing
// probe: of the constraints its failure points at (a growing backlog, a
// loss's cause, a limit the end rate exceeds), the busiest; else the
// busiest constraint if at 90% or more; else the first expectation that
// failed (kind expectation); else none (a failure no limit explains, such
// as a handler that fails anyway). Its use is reported at the answer and
// at the failing rate, with the failing probe's evidence; every other
// constraint's use at the answer is the headroom, with the rate at which
// each would saturate.
//
// # Next steps
//
// Without being asked, Run raises the binding limit (×10 by default,
// within AWS's maxima for retry policies) and searches again, Next times
// (3): "raise A and you reach X, where B binds; raise B and ...". A next
// step's search starts from the headroom's prediction (the lowest rate at
// which a linear constraint saturates, the raised one's moved up), to a
// precision of at least NextPrecision (5%); its two first probes, just
// below and just above the prediction, run at the same time on two cores
// (speculate.go): the answer does not depend on it. The sequence stops at
// a limit that cannot be raised (an expectation, a limit no --set name
// changes, a retry policy at AWS's maximum) or a search that did not
// converge.
//
// # What if: --set
//
// Overrides change a limit for the whole run, named as in the scenario's
// model and services sections (see [Override]):
//
//	model.putevents_tps[.ACCOUNT]=N      model.invocations_tps[.ACCOUNT]=N
//	model.putevents_burst=N              model.invocations_burst=N
//	services.NAME.concurrency=N          services.NAME.processing=DIST
//	services.NAME.max_rate=R
//	services.NAME.retry.maximum_retry_attempts=N     (and ...maximum_event_age_in_seconds)
//	targets.ACCOUNT/BUS/RULE/ID.retry.maximum_retry_attempts=N
//
// A per-account quota is scenarios.Model.AccountQuotas: AWS raises quotas
// per account and Region.
//
// # Cost
//
// The cost per million orders at the answer (cost.go) multiplies the
// billed events one order causes, counted by the world in 64 KB chunks —
// custom events accepted by PutEvents, deliveries to another account's
// bus, replayed events — by [DefaultPrices], a table with each price's
// source and the date it was looked up; --price ITEM=USD overrides one.
// An event forwarded to another account's bus counts once, as a
// cross-account delivery, not again as a custom event (our reading of the
// AWS Price List's offer; capacity.json says so). Lambda, SQS and data
// transfer are not included.
//
// # Interrupts
//
// A cancelled context stops the probe under way within a second of wall
// time (world.Options.Stop); Run then returns the bracket found so far,
// marked interrupted, with the binding limit when a probe has failed, and
// no next step.
package capacity
