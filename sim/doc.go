// Package sim is busdrill's deterministic discrete-event engine: a virtual
// clock and a typed priority queue of future events. The backbone model
// (package sim/backbone) and the actors around it run on it, so an hour of
// launch-day traffic runs in seconds and any run, a failing one included,
// replays exactly from its seed.
//
// # Time
//
// [Time] is virtual time: integer nanoseconds since the start of a run.
// Nothing under sim reads the wall clock; time advances only when the
// engine pops the next event. Durations are ordinary time.Duration values,
// so `now.Add(5 * time.Second)` reads as it should. [Time.Wall] maps
// virtual time onto a fixed calendar epoch for the envelope's time field.
//
// # The queue
//
// [Queue] orders items by (time, insertion sequence): two events scheduled
// for the same instant pop in the order they were scheduled, which is what
// makes a run reproducible when many things happen "at once". Items wait
// in a wheel of time buckets (8.4 ms each, over 8.6 s, and a heap beyond);
// as a bucket comes up it is radix-sorted into a run that pops in order,
// and the few pushes due before that run ends wait in a small heap beside
// it. A model with thousands of long waits thus pays a few linear passes
// per event instead of a heap's sift.
// It is generic in the item type so the model schedules plain structs: no
// interface boxing and no allocation per event once the slices have grown
// to the number of events in flight. Memory is therefore proportional to
// events in flight, never to events processed.
//
// # The engine
//
// [Engine] is the clock plus the queue. A run is a loop:
//
//	for {
//		at, ev, ok := e.Next()
//		if !ok || at > horizon { break }
//		handle(ev) // may call e.At / e.After to schedule more
//	}
//
// # Determinism rules for everything built on this package
//
//   - no time.Now, time.Sleep or timers: use [Engine.Now];
//   - no global math/rand: draw from named streams (package rng);
//   - no goroutines: the engine is single-threaded by construction. The
//     one exception is internal/pipeline, whose goroutines do work that
//     cannot change what the model sees: an Ahead makes the next values
//     of a sequence nothing else draws from (latencies, records, arrivals),
//     and a Pipe applies, in order, what the model side wrote (the
//     measure); with or without them the results are byte-identical;
//   - never let map iteration order reach behaviour or output: iterate
//     sorted keys or slices;
//   - no float accumulation of time: compute instants in integer ns.
package sim
