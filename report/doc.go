// Package report turns observations into results: the recorder that
// follows journeys and builds the loss ledger, the [Results] model written
// to results.json (a contract, documented in docs/results.md), and the
// renderers, compare and merge built on it.
//
// The package never knows which world produced the observations: the
// simulator and a live run feed the same recorder.
//
// # The recorder
//
// A runner creates one [Recorder] per run (per shard) with [NewRecorder],
// translates what it observes into the calls below, and calls
// [Recorder.Finish] at cut-off. Times are durations since the start of
// the run: virtual time in the simulator, wall time since start live. The
// recorder reads no clock, starts no goroutine and is not safe for
// concurrent use: the runner calls it from its event loop.
//
//	Planned(n)                          orders the schedule plans (adds)
//	Sent(j, intended, actual)           Order.Created handed to PutEvents
//	NotSent(j, cause)                   an order that could never be published
//	Hop(name, d)                        one hop latency (name ∈ Hops)
//	Completed(j, at)                    first Order.Updated seen for journey j
//	Expect(from, to)                    one expected delivery on a route
//	Delivered(from, to, at)             a first delivery on the route
//	Lost(from, to, cause, dlq, at)      the delivery ended in a DLQ or dropped
//	LostFor(j, from, to, cause, dlq, at) Lost, for an event of journey j
//	Consumed(c, id, j, type, at)        every delivery a consumer sees
//	SideEffect(c, j, type)              the consumer performed its side effect
//	Retire(j)                           nothing will name journey j again: forget it
//	PutEventsCall(acct, at, n, thr)     every PutEvents request
//	Invocation(acct, at)                every target invocation
//	DeadLettered(at)                    a DLQ write
//	Fault(f)                            a fault window of the timeline
//	Finish(metrics) *Results            assemble results.json
//
// Finish leaves Expectations and Verdict to the caller: [Results.Evaluate]
// fills them from the scenario's conditions. [Results.WriteJSON] writes
// results.json; [ReadResults] reads one back, checking its schema.
//
// # Journeys
//
// A journey is one order: Order.Created published → Delivery.Updated →
// Order.Updated seen. Journey ids are loadgen's global order indexes; in
// shard i of n (Config.Shard) the recorder keeps journey j at the dense
// local index j/n. End-to-end latency runs from the journey's intended
// send time to its first Order.Updated, so a generator that falls behind
// cannot hide the system's slowness (coordinated omission); an order sent
// more than Config.LateTolerance (default 10ms) after its intended time is
// counted late, and still measured from its intended time.
//
// The order counts satisfy
//
//	planned = sent + not_sent (+ orders never reached, if interrupted)
//	sent    = completed + incomplete
//
// NotSent is an order whose Order.Created could never be published (the
// publisher gave up, e.g. after throttling): it counts in not_sent, by
// cause, and not among the sent, so it is not an incomplete journey. Its
// expected deliveries were never set up (expectations follow accepted
// events), so the ledger does not see it either; orders.not_sent is where
// it shows. When a journey was recorded as Sent before the publisher gave
// up, NotSent withdraws it from sent (and late); the series keeps the
// attempt in the second it happened. A repeat of Sent, of NotSent, or a
// Completed for a journey never sent contradicts the contract: such calls
// are ignored and counted in Results.Anomalies (the Anomaly* constants).
// A second Completed for a completed journey is normal (a duplicate
// Order.Updated) and silently ignored.
//
// Latencies go to HDR histograms ([Histogram]: 1µs to 7 days, three
// significant digits): e2e and one per hop of [Hops]. Results.Latency
// summarises them in milliseconds; Results.Histograms embeds each in
// HdrHistogram's compressed V2 encoding, which merges exactly across
// shards and runs.
//
// # The loss ledger
//
// A route is (sender account → consumer reference). For every expected
// delivery (event × consumer, from the topology and the patterns: one
// Expect call each), exactly one of delivered, in a DLQ, dropped by a
// named cause, or still in flight at cut-off:
//
//	expected = delivered + dlq + Σ dropped[cause] + in_flight
//
// in_flight is what remains: expected − delivered − dlq − Σ dropped. A
// route balances when that is not negative. When more deliveries ended
// than were expected, in_flight is 0, the excess is reported as
// unexpected and the route is unbalanced; the ledger is balanced when
// every route is. The check is made on the totals at cut-off, so the
// order of the calls does not matter (live, a probe may see a delivery
// before the PutEvents acknowledgement that sets up its expectation). The
// ledger counts, it does not follow individual events: Delivered must be
// called once per expected delivery (the first), never for redeliveries,
// which are what Consumed counts. Causes are free-form names, as the
// model and the live adapter give them (rule-disabled, no-permission,
// hop-limit, retries-exhausted, event-too-old, no-dlq, throttled, ...); a
// DLQ outcome is split by cause in dlq_causes. Routes are sorted by
// (from, to).
//
// # Duplicates and idempotency
//
// Per consumer, a delivery whose business key (journey, detail-type) was
// seen before is a duplicate by key; if its envelope id was seen before
// too, it is also a duplicate by id. A redelivery of the same envelope is
// both; a replayed or re-published event (new id, same key) is a
// duplicate by key only. An idempotency violation is a second side effect
// (SideEffect) for the same (consumer, journey, detail-type), not merely a
// second delivery. Duplicates are listed per consumer, sorted, with the
// consumer's deliveries and side effects; violations are totalled and
// split by consumer.
//
// Ids are compared by hash: each key's first id as a 32-bit fingerprint
// (a new id colliding with it, 1 in 4·10⁹, would count as a duplicate by
// id), further ids of an already-seen key by 64-bit FNV-1a. The
// duplicate window (Config.DuplicateWindow, default 24h of run time,
// EventBridge's longest retry) bounds how long ids are kept: a redelivery
// within the window of its key's first delivery is always classified by
// id; later (to the second), the first id is forgotten and the delivery
// counts by key only, and further ids are kept one to two windows.
// Business keys and side effects are kept as long as the journey is.
//
// # Retiring journeys
//
// A runner that knows when nothing can happen to a journey any more
// calls Retire: the simulator does, once no event of the journey is left
// anywhere in the model (in flight, in a backlog, an archive or a DLQ) and
// none in a producer's hands. The recorder then forgets the journey's
// state, its keys and ids at every consumer, its window: everything it
// measured is already in counters and histograms, so results are the same
// as without retiring, and memory follows the journeys in flight. What a
// user gives up is nothing observable: only deliveries that can no
// longer come would have needed what is forgotten. A live run cannot
// know when AWS is done with a journey and never retires.
//
// # Series and quota headroom
//
// The series has one point per second from 0 to the cut-off (growing past
// it, up to an hour, if the run overruns): orders sent and late (by the
// second they left), first deliveries, completed journeys with the p50
// and p99 of their end-to-end latency, throttled PutEvents entries and DLQ
// writes. Per-second percentiles come from two-significant-digit HDR
// histograms (1%) kept for the latest 8 seconds of completions only: in
// the simulator completions arrive in time order, live nearly so; a
// completion more than 7 seconds behind the latest is counted but left out
// of its second's percentiles (anomaly series_percentile_late).
//
// Quota headroom compares each quota in force (Config.Quotas) with the
// peak rate of its kind: the most PutEvents requests (throttled ones
// included: they are demand) or invocations an account made in one
// second-aligned bucket. A quota for account "" or "*" applies to every
// account with calls. Used = peak / limit.
//
// # Windows
//
// Expectations can be limited to windows of the run. The fault windows are
// given up front (Config.Windows: chaos.Window's name, start and end, from
// the compiled fault timeline; Start == End for an instant fault), and the recorder
// derives, within the traffic window [0, traffic):
//
//	all            the whole run: the top-level metrics of Results
//	steady         the traffic window minus, for every fault, [start − lead-in, end + grace)
//	during:FAULT   [start, end) of the fault
//	after:FAULT    [end + grace, traffic): after the fault and its grace period
//
// Grace (Config.Grace, default one minute, negative for none) is the time
// the system is allowed to recover: [end, end + grace) is neither steady
// nor after. after:FAULT does not exclude later faults (steady does).
// Windows are clipped to the traffic window and may be empty.
//
// A journey belongs to windows by its intended send time, never by when
// it was sent or completed, so "the loss during the disabled window
// equals the orders published in it" is exact. Per window the recorder
// keeps orders (sent, late, completed, incomplete), an HDR histogram of
// end-to-end latency, loss (DLQ and dropped by cause), duplicates (by id,
// by key) and idempotency violations of the window's journeys. A loss is
// attributed only when the runner names its journey (LostFor; Lost
// counts in the ledger only), and a journey never sent belongs to no
// window. Hop latencies, in-flight deliveries, the ledger's balance and
// planned orders are of the whole run only. Results.Windows lists steady,
// then during and after of each fault by start; "all" is the top level.
//
// Without fault windows, steady is the whole traffic window and costs
// nothing: its orders, latency and duplicates are the run's, copied at
// Finish. With K fault windows the traffic window is cut at every start,
// end and end + grace into at most 3K+1 intervals, each with a fixed set
// of windows; a journey's interval (2 bytes per journey, in 8 KiB pages)
// gives its windows for the calls that name only the journey. Each
// non-empty window holds one latency histogram (about 250 KiB).
//
// # Recovery
//
// Each fault's recovery time (Results.Recovery, the metric
// recovery.FAULT) is measured on journeys by intended second: per second
// of the traffic window the recorder keeps the journeys sent and
// completed and the slowest completion's end-to-end latency (16 bytes a
// second, with fault windows only). A second is healthy when
//
//   - its incomplete journeys are no more than steady state's share of
//     incomplete journeys, plus RecoveryTolerance (25%), would allow
//     (rounded up; none when steady state lost none), and
//   - its slowest journey is within the bound: the 99th percentile
//     (nearest rank), over the seconds wholly inside steady with a
//     completion, of each second's slowest journey, plus 25%.
//
// Seconds with no journey are no evidence either way. The system has
// recovered at the first whole second s ≥ the fault's end that starts
// RecoveryHold (10 s) of healthy seconds, or healthy seconds up to the
// end of the traffic window when that comes sooner; the recovery time
// is s − end (one-second resolution, 0 when healthy at once). The bound
// compares each second's slowest journey with steady state's slowest
// journeys per second, not with the p99 of all journeys: at a high rate
// almost every second has a journey beyond the overall p99, which would
// never recover. When no second is healthy long enough, the fault is not
// recovered (recovery_ms −1); when there is no steady second, or no
// journey after the fault, recovery is not judged (a note says why).
// Either way an expectation on recovery.FAULT fails, observed "not
// recovered". Overlapping or close faults share their recovery: the
// system is judged, not the fault.
//
// # Capacity
//
// [Capacity] is the answer of a capacity search (package capacity), the
// capacity.json contract documented in docs/capacity.md: the sustainable
// rate, the binding [CapacityConstraint] and the headroom of the others,
// the next steps, every probe and the cost per million orders with its
// price table. [Capacity.WriteJSON] writes it like results.json:
// indented, lists never null, nothing of the machine in it.
// [Recorder.InFlight] is the ledger's in flight at any moment of a run
// (a capacity search watches it grow or not), [Condition.ObserveIn] an
// expectation's metric as a number.
//
// # Determinism
//
// The same calls give byte-identical results.json: maps are written with
// sorted keys by encoding/json, every slice is sorted (routes by (from,
// to), duplicates by consumer, quotas by (quota, account), faults by
// start time, series by second), and nothing depends on map iteration
// order, the clock or GOMAXPROCS.
//
// # Cost and memory
//
// Every call is O(1) and, once a route, consumer or detail-type has been
// seen, allocation-free in steady state (BenchmarkRecorderJourney: about
// 25ns per call). Per-journey state lives in journey tables (package
// internal/journeytable: pages of 1,024 journeys, freed as their
// journeys are retired, with a journey that outlives its neighbours by
// far moved to a map of its own), per journey not yet retired:
//
//   - its state: intended time, window class, late, resolved (16 bytes);
//   - per consumer and detail-type it was delivered to: the first id's
//     fingerprint and time (8 bytes), and a bit per side effect;
//   - ids of duplicate keys with a new id: a hash-set entry each, for at
//     most two duplicate windows, purged of retired journeys' ids
//     whenever the set has doubled;
//   - fixed: five latency histograms (about 250 KiB each), eight
//     per-second histograms (35 KiB each), at most MaxSeriesPoints points
//     of series and per-step window statistics, and a few counters per
//     account and rate kind.
//
// A run that retires its journeys holds what its journeys in flight need,
// whatever its length. One that does not (a live run) keeps every journey:
// about 46 MiB per million journeys delivered to three consumers. The
// tables accept local journey indexes below 2^32; a larger one (which
// loadgen cannot produce) is counted as the anomaly journey_out_of_range
// and escapes the per-journey accounting.
package report
