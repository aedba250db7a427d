package swarm

import (
	"context"
	"fmt"
	"sync"

	"github.com/busdrill/busdrill/report"
	"github.com/busdrill/busdrill/scenarios"
	"github.com/busdrill/busdrill/units"
)

// DefaultShrinkRuns is how many candidate runs a shrink may make: enough
// to reach a fixpoint for a scenario of a few faults and services, and a
// bound on the time a pathological one takes.
const DefaultShrinkRuns = 300

// MaxShrinkRuns bounds --shrink-runs.
const MaxShrinkRuns = 100_000

// Shrink is a failure made small: the failing seed's scenario reduced,
// step by step, to what the failure needs, with the seed kept.
type Shrink struct {
	// Expectation is the one that failed (its label); Index its place in
	// the scenario's expect list.
	Expectation string `json:"expectation"`
	Index       int    `json:"index"`
	// Seed is the lowest seed it failed for; FailedSeeds how many of the
	// swarm's seeds it failed for.
	Seed        uint64 `json:"seed"`
	FailedSeeds int    `json:"failed_seeds"`
	// Observed and Threshold are the failure as the seed's own run
	// showed it; MinimalObserved and MinimalThreshold as the minimal
	// scenario shows it.
	Observed         string `json:"observed"`
	Threshold        string `json:"threshold"`
	MinimalObserved  string `json:"minimal_observed"`
	MinimalThreshold string `json:"minimal_threshold"`
	// Steps are the changes kept, in order; Runs the candidate runs
	// made (those up to each step taken: the count does not depend on
	// how many ran in parallel).
	Steps []string `json:"steps"`
	Runs  int      `json:"runs"`
	// Minimal describes the minimal scenario in a line.
	Minimal string `json:"minimal"`
	// Complete: no step keeps the failure any more. False when the run
	// budget or an interrupt stopped the shrink first (it is then the
	// best so far), or when the failure did not reproduce from the
	// scenario file at all (Problem says so).
	Complete bool   `json:"complete"`
	Problem  string `json:"problem,omitempty"`
	// Replayed: the minimal scenario ran twice with byte-identical
	// results; ReplayDifference says where they differed if not.
	Replayed         bool   `json:"replayed"`
	ReplayDifference string `json:"replay_difference,omitempty"`
	// Dir holds minimal.yaml, issue.md and the minimal run's outputs,
	// relative to the swarm's folder.
	Dir string `json:"dir"`

	// source is the minimal scenario file; res its run's results;
	// initial the results of the seed's own scenario, run as a file.
	source  []byte
	res     *report.Results
	initial *report.Results
}

// failure is what a shrink keeps: the target expectation failing the
// same way, with a value or with the same reason for having none.
type failure struct {
	index    int
	expect   expectation
	noValue  bool
	observed string
}

// same reports whether results of a shrunk scenario (whose only
// expectation is the target) show the failure.
func (f failure) same(res *report.Results) bool {
	if res.Interrupted || len(res.Expectations) != 1 || res.Expectations[0].OK {
		return false
	}
	_, found := f.expect.cond.Observe(res, f.expect.Window)
	if f.noValue {
		return !found && res.Expectations[0].Observed == f.observed
	}
	return found
}

// shrinker shrinks one failure, running candidates on the swarm's
// workers.
type shrinker struct {
	s      *subject
	fail   failure
	seed   uint64
	budget int
	jobs   int
	// progress, when set, hears of each step taken.
	progress func(Progress)
}

// shrink reduces the failing seed's scenario (in, as it ran) to what the
// failure needs. It runs until no step keeps the failure, the budget is
// spent, or ctx is cancelled; the result is the smallest scenario found
// (at worst the seed's own, with its other expectations left out), run
// twice to prove it replays.
func (sh *shrinker) shrink(ctx context.Context, in *instance) *Shrink {
	out := &Shrink{Expectation: sh.fail.expect.label(), Index: sh.fail.index, Seed: sh.seed}
	f := in.sc.Spec
	// The base: only the target expectation; every default written out,
	// so that no step changes what it does not name.
	nameFaults(f)
	var target scenarios.ExpectSpec
	for j, i := range in.kept {
		if i == sh.fail.index {
			target = f.Expect[j]
		}
	}
	f.Expect = []scenarios.ExpectSpec{target}
	f.Seed, f.Live, f.Vary = sh.seed, nil, ""
	f.Drain = units.Duration(in.sc.Drain)
	keep := faultsNamedBy(target, f.Faults)
	cur, err := scenarios.Marshal(f, "")
	if err != nil {
		out.Problem = err.Error()
		return out
	}
	out.source = cur
	res, ok, err := sh.try(ctx, cur)
	switch {
	case ctx.Err() != nil:
		return sh.finish(ctx, out, f)
	case err != nil:
		out.Problem = "the seed's scenario, written as a file, does not load: " + err.Error()
		return out
	case !ok:
		out.Problem = "the failure does not reproduce from the seed's scenario written as a file"
		return out
	}
	out.res, out.initial = res, res
	for out.Runs < sh.budget && ctx.Err() == nil {
		if sh.progress != nil {
			sh.progress(Progress{Shrinking: fmt.Sprintf("%s: %s for seed %d, %d runs, %d steps", sh.s.sc.Name, out.Expectation, sh.seed, out.Runs, len(out.Steps))})
		}
		cands := steps(f, keep)
		taken, runs := sh.first(ctx, cur, cands, sh.budget-out.Runs)
		out.Runs += runs
		if taken == nil {
			out.Complete = ctx.Err() == nil && out.Runs < sh.budget
			break
		}
		out.Steps = append(out.Steps, taken.what)
		cur, f, out.res = taken.source, taken.file, taken.res
		out.source = cur
	}
	return sh.finish(ctx, out, f)
}

// finish describes the minimal scenario and proves it replays.
func (sh *shrinker) finish(ctx context.Context, out *Shrink, f *scenarios.File) *Shrink {
	out.Minimal = describeFile(f)
	if out.res != nil {
		out.MinimalObserved, out.MinimalThreshold = out.res.Expectations[0].Observed, out.res.Expectations[0].Threshold
	}
	if ctx.Err() != nil || out.res == nil {
		return out
	}
	a, b, err := sh.twice(ctx, out.source)
	switch {
	case err != nil:
		out.ReplayDifference = err.Error()
	case a == nil || b == nil:
		// interrupted: not proven
	default:
		if d := compareRuns(a, b); d == replayIdentical {
			out.Replayed = true
		} else {
			out.ReplayDifference = d
		}
	}
	return out
}

// candidate is a step applied: its file and, once run, its results.
type candidate struct {
	what   string
	file   *scenarios.File
	source []byte
	res    *report.Results
	ok     bool
}

// first returns the first step (in order) whose scenario still fails the
// same way, and the runs counted: those up to and including it, or all
// of them when none did. Candidates run in parallel, jobs at a time; the
// choice, and the count, are those of trying them one by one.
func (sh *shrinker) first(ctx context.Context, cur []byte, cands []step, budget int) (*candidate, int) {
	runs := 0
	for start := 0; start < len(cands); start += sh.jobs {
		batch := cands[start:min(start+sh.jobs, len(cands))]
		results := make([]*candidate, len(batch))
		var wg sync.WaitGroup
		for k := range batch {
			wg.Add(1)
			go func() {
				defer wg.Done()
				results[k] = sh.candidate(ctx, cur, batch[k])
			}()
		}
		wg.Wait()
		for _, c := range results {
			if ctx.Err() != nil {
				return nil, runs
			}
			if c == nil {
				continue // not applicable, or the file does not load: no run
			}
			runs++
			if c.ok {
				return c, runs
			}
			if runs >= budget {
				return nil, runs
			}
		}
	}
	return nil, runs
}

// candidate applies one step to a fresh copy of cur and runs it; nil
// when the step does not apply or the file it gives does not load.
func (sh *shrinker) candidate(ctx context.Context, cur []byte, st step) *candidate {
	sc, err := scenarios.Load(sh.name(), cur, scenarios.LoadOptions{Force: sh.s.force})
	if err != nil || !st.apply(sc.Spec) {
		return nil
	}
	src, err := scenarios.Marshal(sc.Spec, "")
	if err != nil {
		return nil
	}
	res, ok, err := sh.try(ctx, src)
	if err != nil {
		return nil
	}
	c := &candidate{what: st.what, source: src, res: res, ok: ok}
	if ok {
		back, err := scenarios.Load(sh.name(), src, scenarios.LoadOptions{Force: sh.s.force})
		if err != nil {
			return nil
		}
		c.file = back.Spec
	}
	return c
}

// try loads and runs a scenario file with the seed: its results, and
// whether they show the failure.
func (sh *shrinker) try(ctx context.Context, src []byte) (*report.Results, bool, error) {
	sc, err := scenarios.Load(sh.name(), src, scenarios.LoadOptions{Force: sh.s.force})
	if err != nil {
		return nil, false, err
	}
	sc.Seed = sh.seed
	res, _, err := runInstance(ctx, &instance{seed: sh.seed, source: src, sc: sc})
	if err != nil {
		return nil, false, err
	}
	return res, sh.fail.same(res), nil
}

// twice runs the minimal scenario twice: both results.json, nil when
// interrupted.
func (sh *shrinker) twice(ctx context.Context, src []byte) ([]byte, []byte, error) {
	var out [2][]byte
	for k := range out {
		sc, err := scenarios.Load(sh.name(), src, scenarios.LoadOptions{Force: sh.s.force})
		if err != nil {
			return nil, nil, err
		}
		sc.Seed = sh.seed
		res, js, err := runInstance(ctx, &instance{seed: sh.seed, source: src, sc: sc})
		if err != nil {
			return nil, nil, err
		}
		if res.Interrupted {
			return nil, nil, nil
		}
		out[k] = js
	}
	return out[0], out[1], nil
}

func (sh *shrinker) name() string {
	return fmt.Sprintf("%s (shrinking seed %d)", sh.s.sc.File, sh.seed)
}
