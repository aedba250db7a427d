// Package loadgen generates busdrill's order traffic: when each order is
// due (open-model arrival processes), which account sends it, and what it
// looks like on the wire (the order factory). It reads no clock, starts no
// goroutine and touches no global random state: time is an argument and
// randomness comes from named rng streams, so the same code drives the
// simulator's virtual time and the live runtime's wall clock.
//
// # A plan in three parts
//
// A run's traffic is an [Arrivals] plan (a rate [Shape] and a [Process]),
// a [Shard] of it, and a [Factory] for the orders:
//
//	plan := loadgen.Arrivals{
//		Shape:   loadgen.Constant{Rate: 200, Duration: 10 * time.Minute},
//		Process: loadgen.Poisson,
//	}
//	sched, err := plan.Schedule(streams.Get(loadgen.StreamArrivals), shard)
//	for a, ok := sched.Next(); ok; a, ok = sched.Next() {
//		o := factory.Order(a)                     // who, how big
//		e := factory.Entry(&o, loadgen.OrderCreated) // the PutEvents entry
//		// publish e as o.Origin at a.At
//	}
//
// # Rate shapes
//
// A shape is a piecewise-linear rate r(t) in orders per second over
// [0, Duration):
//
//   - [Constant]: Rate for Duration: "constant(200/s for 10m0s)".
//   - [Ramp]: linearly From → To over Duration.
//   - [Stages]: k6's ramping-arrival-rate. The rate starts at Start and
//     each [Stage] ramps linearly from the previous target to its own
//     Target over its Duration (a zero Duration is a step).
//   - [Spike]: Base, except that from At the rate ramps to Peak over Ramp,
//     holds for Hold and ramps back over Ramp.
//
// [Compile] validates a shape (every problem, not just the first) and
// turns it into a [Profile], which answers r(t) ([Profile.Rate]), the
// expected count Λ(t) = ∫₀ᵗ r ([Profile.Expected]) and its inverse
// Λ⁻¹(n) ([Profile.Inverse]) in closed form: Λ is quadratic on a linear
// segment, and its inverse is the root 2m / (r₀ + √(r₀² + 4am)), which
// has no cancellation for rising, falling or flat segments or for a ramp
// from zero. Λ⁻¹(n) is the moment the expected count passes n; where the
// rate is zero Λ is flat, and Λ⁻¹ skips to the end of the flat stretch,
// so no order is ever placed where the rate is zero.
//
// [Scale] multiplies every rate of a shape and [Stretch] every duration,
// keeping its type (a scaled ramp is a ramp); [Profile.Peak] is its
// highest rate. A capacity search runs the scenario's own traffic, scaled
// to the rate it probes.
//
// # Arrival processes
//
// Both processes place order k (k = 0, 1, 2, ...) by inverting Λ:
//
//   - [Uniform]: order k at Λ⁻¹(k). Under a constant 10/s that is 0,
//     100ms, 200ms, ...; under a ramp the spacing follows the rate. A
//     Uniform run sends exactly [Profile.Count] = ⌊Λ(Duration)⌋ orders
//     (order k represents the expected work from k to k+1 and is sent
//     only if that whole unit fits in the run), and draws no random
//     numbers, so any order's time can be computed on its own.
//   - [Poisson]: order k at Λ⁻¹(Γₖ), Γₖ being the sum of k+1 unit
//     exponentials from the "arrivals" stream. By the time-rescaling
//     theorem that is a Poisson process under a constant shape and the
//     non-homogeneous Poisson process of r(t) under any other; the count
//     is Poisson(Λ(Duration)).
//
// Each arrival is computed from its index (or Γₖ), never by adding
// intervals, and rounded once to an integer nanosecond, so no float error
// accumulates over a long run. Arrivals are non-decreasing in time.
//
// There is no closed model here: orders arrive when the plan says,
// whatever the system under test is doing.
//
// # Two clocks
//
// [Schedule] is an iterator: Next returns the shard's next [Arrival]
// (global index and intended time). The simulator pulls arrivals from it
// and schedules them in virtual time. It costs tens of nanoseconds and no
// allocation per arrival.
//
// [Pacer] is vegeta's pacer interface, for the wall-clock driver:
// Pace(elapsed, sent) returns the wait until the shard's order number sent
// is due, and Rate(elapsed) the intended rate. [SchedulePacer] implements
// it on a schedule. Under Uniform it is a pure function of its arguments;
// under Poisson it walks the random stream forward, so sent must not go
// back (it may repeat). [SchedulePacer.Arrival] gives the driver the
// order's global index and intended time, which it needs to build and
// measure the order.
//
// # Intended time and lateness
//
// Latency is measured from [Arrival.At], the intended send time, never
// from when an order actually left: a slow system cannot hide its
// slowness by slowing the generator (coordinated omission). When the
// wall-clock driver falls behind, Pace returns 0 for every overdue order:
// it sends them at once, late, and records each with [Lateness], which
// counts on-time and late orders (beyond a tolerance) and the lag. Orders
// are never skipped or silently dropped. In virtual time every order
// leaves exactly at At.
//
// # Sharding
//
// A run can be split across n processes with --shard i/n ([ParseShard];
// 0 ≤ i < n). Shard i owns the orders whose global index is i modulo n,
// with the same At as in the unsharded run, so the union of the shards is
// the unsharded schedule, order for order. A Uniform shard computes only
// its own arrivals; a Poisson shard replays the whole run's draws and
// keeps its own (the k-th draw belongs to order k whoever owns it), which
// costs each shard as much arrival work as the whole run and is exact.
// The zero Shard is the unsharded run (0/1).
//
// # Determinism
//
// Arrival times depend only on the shape, the process and (Poisson) the
// "arrivals" stream. The factory's draws come from their own streams
// ("payload", "origins", "orders"), and they are counter-based: order i's
// draws are seeded by a stream key and i alone, not taken from a
// sequential stream. So an order is the same whatever shard builds it,
// whatever orders were built before it, and whatever else in the run
// (a fault, a duplicate) draws random numbers: adding a fault leaves the
// arrival time, origin, size and content of every order unchanged.
//
// # The order factory
//
// [Factory.Order] decides an order from its arrival: origin account
// ([Origin]s, weighted or round-robin by index), detail size (an rng.Dist
// over bytes, optionally capped), customer and line items.
// [Factory.AppendDetail] writes the detail JSON of one event of the
// journey ([OrderCreated], [DeliveryUpdated], [OrderUpdated]) without
// allocating; [Factory.Entry] wraps it in a PutEvents entry. Harness
// metadata lives in detail.metadata, the business payload in detail.data:
//
//	{"metadata":{"run_id":"r1","journey_id":"j-000000000042",
//	  "intended_ns":4200000000,"idempotency_key":"r1/o-000000000042/Order.Created",
//	  "origin":"shop-eu"},
//	 "data":{"order_id":"o-000000000042","customer_id":"c-00000815",
//	  "items":[{"sku":"sku-04711","qty":2}],"padding":"xxxx…"}}
//
// (one line, no spaces, in that field order). Padding makes len(Detail)
// exactly the drawn size, unless the fixed part is longer. Ids are the
// global index, zero-padded to 12 digits ([JourneyID], [ParseJourneyID]);
// (run_id, journey_id) is unique across runs. The idempotency key is
// unique per event of a journey, so a consumer that sees it twice has
// seen a duplicate.
//
// # Cost
//
// Schedule.Next: one division or square root and, for Poisson, one
// exponential draw; no allocation. Factory.Order: three hashes and one
// distribution sample; Factory.AppendDetail: one pass of appends. Run
// `go test -run '^$' -bench . -benchmem -cpu 1 ./loadgen` for numbers.
package loadgen
