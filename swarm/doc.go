// Package swarm sweeps scenarios over many seeds in the simulator, checks
// what must hold of every run, summarises each expectation across the
// seeds, and shrinks each failure to a minimal scenario that reproduces it
// from one command line: busdrill swarm.
//
// A scenario that passes for seed 1 says little: a rare redelivery, an
// unlucky retry schedule or a fault landing on a burst shows up in one
// seed in fifty. Every run replays exactly from its scenario and seed,
// which is what makes sweeping and shrinking possible.
//
// # Sweep
//
// [Run] runs every scenario for every seed of [Seeds] (1 to N, or A to B;
// seeds start at 1, as a scenario file cannot say seed: 0) on
// Options.Jobs workers. Each run loads its own copy of the scenario from
// its text and shares nothing with the others, so a seed's results depend
// on the scenario, the seed and the busdrill version alone: not on the
// number of workers nor on which ran it. The records are kept in seed
// order; swarm.json holds no wall-clock fact.
//
// With a variation (Options.Vary, the grammar of
// [scenarios.ParseVariation], or the scenario's own vary key), each seed
// first changes its scenario: faults switched off (and the expectations
// about them left out for that seed: "na"), windows moved and resized,
// rates scaled — drawn from random streams derived from the seed alone,
// one per fault and one for the rate, apart from the run's own streams.
// The changed scenario is written as a file (scenarios.Marshal) and loaded
// again, so that what runs is exactly what a repro file holds. With
// Options.Quick every rate is scaled by [QuickRateFactor] on the same
// timeline, for a fast check of the model.
//
// # Invariants and replays
//
// Every run's results are checked against the invariants of the results
// contract, beyond the scenario's expectations (see checkInvariants): the
// ledger balances on every route; no count is negative or impossible; the
// fault timeline is the scenario's, each fault's windows lie within it,
// and a loss cause only a fault can produce appears only with such a
// fault. Every Options.ReplayEvery-th seed of the range is run a second
// time, from a fresh load, and must give a byte-identical results.json; a
// difference names the first field that differs (ledger.routes[2].
// delivered: 4711 vs 4712). Each run's results.json digest is kept, so a
// seed rerun anywhere can be compared with it.
//
// # Distributions
//
// For each expectation: the seeds it applied to, passed and failed, its
// pass share ("e2e.p99 < 8s in 99% of seeds"), its first failing seeds,
// and the distribution of its metric over the seeds that measured it —
// min and max with the lowest seed giving each, p50 and p99 by nearest
// rank (values seeds gave, never interpolated). They are computed from
// the seed records alone.
//
// # Shrinking
//
// For each expectation that failed, its lowest failing seed is shrunk:
// the seed's scenario, with its other expectations left out and every
// default written out (fault names, drain), is made smaller one step at a
// time, keeping the seed, and a step is kept only if the expectation
// still fails the same way (with a value, or with the same reason for
// having none: "no data", "not recovered"). The steps, tried in order and
// listed again after each one kept: remove a fault (not those the
// expectation names); keep the first half, the first three quarters or
// the second half of a fault's window; move a fault earlier; drop a
// service; drop an account; halve the rate; shorten the traffic to a half
// or three quarters; shorten the drain likewise. It ends when no step
// keeps the failure (Complete), when Options.ShrinkRuns candidate runs
// are spent, or on an interrupt (the best so far is kept). Candidates run
// in parallel but the step taken, and the runs counted, are those of
// trying them one by one, so a shrink does not depend on the workers
// either. The minimal scenario is run twice to prove it replays and
// written as minimal.yaml, with the line that reproduces it
// ([ReproCommand]: busdrill run FILE --seed N) and issue.md, a Markdown
// issue body: what failed, observed against expected, the minimal
// scenario inline, the repro line, the version.
//
// # Outputs
//
// A scenario's swarm writes Out/<scenario>/swarm/ (a shard:
// swarm/shard-I-of-N/):
//
//	swarm.json                       the [Summary]: tally, expectations,
//	                                 shrinks, one line per seed run
//	seeds/<seed>/                    the outputs of the seeds reported:
//	                                 each shrink's seed, and the lowest
//	                                 that broke an invariant or did not
//	                                 replay (run again: its digest must
//	                                 match); scenario.yaml when varied
//	shrink/expect-K-seed-N/          minimal.yaml, issue.md, the minimal
//	                                 run's results.json and reports
//
// # Shards and merge
//
// A shard (Seeds.Shard, --shard I/N) runs the seeds whose offset from the
// first is I modulo N; which seeds are replayed depends on the range
// alone. [MergeFiles] joins the shards' seed runs and works out the tally,
// the statistics, the seeds reported and the shrinks kept (the lowest
// failing seed of each expectation is the lowest of its own shard, which
// shrank it) exactly as the whole swarm does: the merged swarm.json is
// byte for byte the one a single process writes. deploy/k8s runs the
// shards as an Indexed Job.
//
// # Bounds
//
// At most [MaxSeeds] seeds per swarm (per shard); at most [MaxShrinkRuns]
// runs per shrink; at most 20 invariant violations reported per run. A
// variation draws starts and lengths of at least a second, and rates of
// at least a thousandth of an order per second; the plan's ceilings
// (scenarios.MaxPlannedOrders) apply to every seed's scenario.
package swarm
