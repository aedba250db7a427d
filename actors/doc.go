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
// The window is the strategy's: a duplicate that comes later than the
// window after the side effect is performed again (a violation). What
// the strategy remembers is kept for the window, and no longer than the
// journey can see deliveries: a runtime retires a journey when nothing of
// it can be delivered any more ([Journeys.Retire], [Service.Retire]), and
// what is forgotten then could never be asked about. Nothing a user can
// observe is given up: within the window every duplicate is caught, and
// after retirement no duplicate can come.
//
// Memory: business keys live in a journey table (package
// internal/journeytable: 24 bytes per journey, in pages freed as the
// journeys are retired), so they cost what the journeys in flight cost;
// event ids in a map of 64-bit hashes, swept of ids older than the window
// once per window and of retired journeys' ids whenever it has doubled,
// so it holds about twice the ids of the journeys not retired (and at
// most two windows of ids). A runtime that never retires (a live run)
// keeps every journey's keys, 24 bytes each.
package actors
