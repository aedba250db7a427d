// Package world runs a scenario in the simulator: the backbone model of
// package sim/backbone, and the world around it — the order producer that
// follows the traffic plan, the service stand-ins that consume and emit the
// journey's events, and the recorder that turns what happens into results.
//
// Everything runs on the model's virtual clock, so a run is a pure
// function of its scenario and seed: the same inputs give a byte-identical
// results.json on any machine and any GOMAXPROCS.
//
// # The model side and the measure
//
// The model, the producers and the services (everything that decides
// what happens) run in one goroutine. What they learn that the results
// need — observations, orders sent, PutEvents calls, side effects,
// journeys retired, faults — they write as flat notes (notes.go) into a
// pipeline (internal/pipeline), and the measure (measure.go: journeys'
// hops, the loss ledger, duplicates, series and quota rates, the
// recorder) applies them in order. With Options.Concurrent the measure
// applies each batch of notes on a goroutine of the pipeline's, so on two
// cores measuring overlaps the model. Nothing the measure computes flows
// back to the model side, and the measure sees the same notes in the same
// batches either way, so the results are the same with and without it
// (TestConcurrentMeasureIsByteIdentical, under GOMAXPROCS 1 and 2). The
// model side reads the measure's state only after the pipeline is synced:
// at the end of the run, and for each Options.Sample. Options.Concurrent
// also has the model draw its hop latencies and handler run times, and
// make its records with their event ids, ahead on goroutines of their own
// (backbone.Params.DrawAhead), and the producer take its arrivals with
// their orders' payload sizes ahead (arrivals.go): the same values in the
// same order.
//
// # How a journey is followed
//
//   - The producer wakes at each arrival's intended time and publishes
//     Order.Created as the order's origin account (one PutEvents call per
//     order, as an order service does). In virtual time nothing is late:
//     an order leaves exactly when intended.
//   - Every published event's expected routes (sender account → consumer)
//     are computed from the nominal topology when it is accepted; each
//     then ends delivered, in a DLQ, dropped with a cause, or in flight at
//     cut-off: the loss ledger.
//   - The service stand-ins run as handler targets. On a successful run a
//     service applies its idempotency strategy (package actors); when it
//     performs the side effect it publishes the next event of the journey
//     as its own account.
//   - The journey completes when Order.Updated is first delivered to any
//     consumer. Hops: PutEvents acknowledgement (put_ack), Order.Created's
//     ingestion at the traffic bus to its acceptance by the service that
//     consumes it (ingest_to_delivery), that service's run including any
//     wait for a concurrency slot (handler), and Delivery.Updated's
//     publication to Order.Updated seen (delivery_to_order_updated).
//
// Events are correlated through detail.metadata (the journey id), never
// through envelope ids or accounts, exactly as a live run must.
//
// # Watching a run
//
// Options.Sample receives the run's state at the end of every virtual
// second (see Sample): orders sent and completed, deliveries in flight,
// each producer's requests waiting for a retry, the model's load (handler
// slots, backlogs and work, quota use and how far ahead each token bucket
// is booked, retries waiting) and the events EventBridge bills. A capacity
// search judges growth and utilisation from it. Sampling changes nothing:
// a watched run's results.json is byte-identical to an unwatched one's.
//
// # Details are built when read
//
// When no rule's pattern reads the detail (the reference topology's read
// account, source and detail-type), the producer and the services publish
// their events without building the details (loadgen's LazyEntry): the
// model keeps the (journey, step) token and builds a detail only when
// something reads it — an archive's pattern, a poison predicate, a relay
// republishing it, a dead-letter queue handing it out. Sizes are counted
// exactly all the same; results and traces are those of a run that builds
// every detail (TestLazyDetailsChangeNothing), without writing and
// collecting a few KiB per event.
//
// # Memory: journeys are retired
//
// A journey is held while the model holds an event of it (scheduled,
// waiting in a backlog, archived, in a dead-letter queue: the model's
// backbone.Holder reports those) or a producer holds a request of it (a
// retry, a resend, a producer-timeout duplicate). When the last hold goes,
// nothing can happen to the journey any more: it is retired, its record,
// its services' dedupe keys and the recorder's state of it freed (see
// retire.go). Results are the same as if every journey were kept to the
// end (TestRetirementChangesNothing), and a run holds what its journeys
// in flight need: at a steady rate its memory does not grow with its
// length (TestRetainedHeapIsFlat). A journey whose events stay in an
// archive stays as long as they do.
package world
