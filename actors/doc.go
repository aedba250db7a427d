// Package actors holds the logic of busdrill's actors that is the same in
// both worlds: it reads no clock (time is an argument), starts no
// goroutine and does no I/O, so the simulator and the live runtime run the
// same decisions.
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
