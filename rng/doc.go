// Package rng is busdrill's randomness: named pseudo-random streams derived
// from one seed, and probability distributions as plain values.
//
// # Streams
//
// Every random decision in a run draws from a stream named after its
// purpose ("arrivals", "latency/global", "faults", "duplicates", ...).
// [Streams.Get] derives each stream from the scenario seed and the name
// alone, so streams are independent of one another: adding a fault draws
// from the "faults" stream and leaves the arrival times of every order
// unchanged. That is what makes a run with a fault and the same run without
// it comparable order for order.
//
// Streams use math/rand/v2's PCG generator. Nothing here reads the clock or
// the global generator; the same seed and names give the same numbers on
// every machine and every GOMAXPROCS.
//
// # Distributions
//
// A [Dist] is an immutable value (safe to share) that samples float64s from
// a stream the caller passes in. Latency distributions are in nanoseconds
// ([Duration] converts a sample); size distributions are in bytes. The
// forms are [Constant], [Uniform], [Exponential] and [LogNormal] (given by
// its median and 99th percentile, the two numbers people know about a
// latency).
package rng
