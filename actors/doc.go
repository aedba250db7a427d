// Package actors is the journey core: the logic of busdrill's actors that
// is the same in every world. It reads no clock (time is an argument),
// starts no goroutine and does no I/O, so that the three runtimes that
// play a scenario — the simulator (sim/world), the live drill
// (live/drill) and busdrill serve's stand-ins (serve) — make the same
// decisions and book them the same way, and results.json means the same
// thing whatever the target.
//
// A runtime owns its clock and its I/O: when to publish, what it
// observed and when. It hands each observation to the core:
//
//   - [Plan] sets the run's recorder up from the scenario (window, shard,
//     quotas, fault windows); [QuotasFor] resolves the quotas a run is
//     measured against.
//   - [Journeys] is what each order has done so far: the points of its
//     journey (sent, acknowledged, reached EventBridge, accepted, handled,
//     emitted, completed), each counted once, and the hop latencies
//     between them, told to the recorder.
//   - [Service] is a service's business logic once its handler has run on
//     an event: whether it performs its side effect (its idempotency,
//     below) and what it publishes next (the journey's next event, or a
//     relayed copy). Every service kind of the scenario format plays in
//     every world.
//   - [GiveUpCause] names why a producer gave an entry up, in the words
//     the loss ledger uses.
//
// [Dedupe] is a service stand-in's idempotency: given a delivery, should
// the service perform its side effect (and publish the next event of the
// journey), or has it already done so for this event? The strategies are
// the ones a real consumer chooses between:
//
//   - none: every delivery is processed. Duplicates (at-least-once
//     delivery, producer retries, replays) cause second side effects:
//     idempotency violations.
//   - event-id: a delivery whose envelope id was processed within the
//     window is skipped. This catches EventBridge redeliveries (same id)
//     but not a producer's resend after an ambiguous timeout (new id,
//     same business key).
//   - business-key: a delivery whose business key (the order and the
//     detail-type) was processed within the window is skipped. This
//     catches every duplicate the harness can produce.
//
// Memory: business keys live in a slice indexed by journey (8 bytes per
// journey and step, so 24 MB per million orders); event ids in a map of
// 64-bit hashes swept once per window, so it holds about two windows of
// ids at most.
package actors
