// Package drill is the live runtime: it runs a scenario against a deployed
// backbone on the wall clock, with the same actors as the simulator
// (sim/world), and produces the same results.json (target "aws").
//
// # Shape
//
// One event-loop goroutine owns the recorder, the journey table and the
// service stand-ins (their actors.Dedupe): nothing else touches them.
// I/O runs on worker goroutines and posts to the loop over one channel
// (so what a goroutine posts in order is handled in order):
//
//   - the pacer follows the open-model schedule (loadgen.SchedulePacer) on
//     the injected [Clock], builds each order's Order.Created, and batches
//     entries per sending account: up to 10 per PutEvents, within the
//     request size budget (event.EntrySize; 256 KiB by default), waiting at
//     most Linger (1 ms) for company. It also batches the stand-ins'
//     entries, which the loop hands it through an unbounded queue (the loop
//     never blocks on I/O). When every worker is busy the pacer waits:
//     orders are never skipped, they go late and are counted late;
//   - a pool of publisher workers (Concurrency, 32) calls PutEvents with the
//     SDK's standard retryer (explicit settings, live/awsclients), resends
//     entries that failed with a retryable code (ThrottlingException,
//     InternalFailure) up to MaxResends times with doubling jittered
//     backoff, and posts each call and each entry's outcome;
//   - per probe queue, Pollers long-poll ReceiveMessage (20 s, 10 messages),
//     post every message and delete them with DeleteMessageBatch.
//
// # Correlation and the ledger
//
// Probe messages are correlated through detail.metadata only (run_id,
// journey_id), never through the envelope id, which emulators rewrite;
// the detail is compacted first (moto re-serializes it with spaces).
// Messages of other runs, other shards, or after the cut-off are counted
// as foreign (metric live:probe_foreign) and ignored. The sender of a
// copy is the envelope's account when it names a scenario account (a
// relay's copy is its own publication), else the step's sender by the
// scenario.
//
// There is a probe on every bus of the scenario unless probes.buses names
// some: the run sees every event reach every bus, which is where it
// completes a journey (Order.Updated seen anywhere, as in the simulator)
// and where its own faults cut routes. Expected routes come from the
// scenario topology with each probe added as a rule and queue
// (provision.Layout.Topology) through the same Router the simulator uses;
// only probe consumers ("orders/local/busdrill-probe/probe") are
// expected, because only they are observed. The ledger (ledger.go) books
// them as the simulator does — one ledger, whatever the target: an
// accepted entry expects its probe routes; an entry the producer gave up
// loses them with the give-up's cause (actors.GiveUpCause); a probe's
// first delivery of an event id is delivered, a copy beyond the
// publications that reach the probe is a duplicate; the DLQs (those the
// scenario's targets name, and live.dlqs) are read at the end without
// deleting, each message losing, dead-lettered with its ERROR_CODE, the
// probe routes downstream of the target its RULE_ARN and TARGET_ARN name;
// and at the end of a complete run an expected delivery neither seen nor
// dead-lettered is lost with the cause the topology proves
// (topology.Router.LossCause: a second bus-to-bus hop, or a rule disabled
// or a statement removed by this run's faults when the event was
// published). What is left is in flight.
//
// # Stand-ins
//
// Unless ObserveOnly, every scenario service is played (standins.go): on:
// and pattern: services, relays, and services playing a declared handler.
// A stand-in is fed by the probe on the bus of each rule that invokes its
// handler: when the rule's compiled pattern matches the probe's copy, the
// copy is Consumed at the handler's consumer, the processing time is drawn
// from the service's distribution (stream "live-handlers"), then the
// service's logic — the simulator's, actors.Service — decides the side
// effect and publishes as the service's account. Stand-ins act only on
// their shard's journeys. They model neither concurrency limits nor
// failures (the live chaos actuators do that to the real thing). With
// ObserveOnly the real services do the work and busdrill only publishes
// orders and watches; the handler hop is then Order.Created seen →
// Delivery.Updated seen.
//
// # Hops
//
// The journey core (actors.Journeys) records them, from what a live run
// observes: put_ack, intended send time → PutEvents acknowledgement;
// ingest_to_delivery, acknowledgement (the nearest it sees to the event
// reaching EventBridge) → Order.Created at the first service; handler,
// the stand-in's work; delivery_to_order_updated, Delivery.Updated
// published (seen, with ObserveOnly) → Order.Updated seen. End to end is
// measured from the intended send time.
//
// # End of a run
//
// At the cut-off (traffic + drain), or earlier with SettleEarly once
// nothing is in flight, or on a stop condition (live.stop: error rate,
// loss rate, MaxDuration), or when ctx is cancelled (SIGINT/SIGTERM): the
// pacer stops, calls in flight finish and are recorded, the pollers stop,
// DLQs are read (not when interrupted), and the results are assembled;
// a run stopped early is marked interrupted. Machinery facts (calls,
// resends, lag percentiles, late orders, poll errors) are in [Stats] and
// in results.metrics under live:*.
//
// # Performance
//
// BenchmarkPublisher drives 10,000 entries/s (1,000 calls/s) against a
// local endpoint. Two settings matter on a small machine: [HTTPClient]
// (the SDK keeps only 10 idle connections per host by default) and
// [TuneGC] (GOGC 400 unless set).
package drill
