package swarm

import (
	"context"
	"sync/atomic"
)

// sweepJob is one seed of one scenario.
type sweepJob struct {
	subject, seed int
}

// sweep runs every seed of every subject on opts.Jobs workers and
// returns the outcomes, per subject, in seed order. Each run depends on
// its scenario and seed alone (each loads its own copy of the scenario;
// runs share nothing), so the outcomes do not depend on the number of
// workers or on which worker ran what. Once ctx is cancelled the runs
// under way stop (their results are marked interrupted) and no more
// start: those never started have an empty status.
func sweep(ctx context.Context, subjects []*subject, seeds []uint64, opts Options) [][]seedOutcome {
	out := make([][]seedOutcome, len(subjects))
	for i := range subjects {
		out[i] = make([]seedOutcome, len(seeds))
	}
	total := len(subjects) * len(seeds)
	// Jobs are taken in order, scenario by scenario: job n is seed
	// n mod len(seeds) of subject n / len(seeds).
	var next atomic.Int64
	done := make(chan sweepJob, opts.Jobs)
	for range min(opts.Jobs, total) {
		go func() {
			for {
				n := int(next.Add(1) - 1)
				if n >= total {
					return
				}
				j := sweepJob{n / len(seeds), n % len(seeds)}
				if ctx.Err() == nil {
					seed := seeds[j.seed]
					o := subjects[j.subject].runSeed(ctx, seed, opts.Seeds.replayed(seed, opts.ReplayEvery))
					o.res = nil // the record is all the sweep keeps
					out[j.subject][j.seed] = o
				}
				done <- j
			}
		}()
	}
	p := Progress{Total: total}
	for range total {
		j := <-done
		r := &out[j.subject][j.seed].run
		p.Done++
		if r.Status == StatusFail {
			p.Failed++
		}
		if len(r.Invariants) > 0 || (r.Replay != "" && r.Replay != replayIdentical) {
			p.Broken++
		}
		if opts.Progress != nil {
			opts.Progress(p)
		}
	}
	return out
}
