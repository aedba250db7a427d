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
// Memory: business keys live in a slice indexed by journey (8 bytes per
// journey and step, so 24 MB per million orders); event ids in a map of
// 64-bit hashes swept once per window, so it holds about two windows of
// ids at most.
package actors
