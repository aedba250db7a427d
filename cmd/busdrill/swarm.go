package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"runtime"
	"time"

	"github.com/busdrill/busdrill/internal/version"
	"github.com/busdrill/busdrill/loadgen"
	"github.com/busdrill/busdrill/report/render"
	"github.com/busdrill/busdrill/runner"
	"github.com/busdrill/busdrill/scenarios"
	"github.com/busdrill/busdrill/swarm"
)

const swarmUsage = `Usage: busdrill swarm [SCENARIO|DIR...] [flags]
       busdrill swarm merge SWARM.json|DIR... [-o DIR]

Runs each scenario for many seeds, on every core, and judges the model
and the scenario across them. A scenario that passes for seed 1 says
little: a rare redelivery, an unlucky retry schedule or a fault landing
on a burst shows up in one seed in fifty. SCENARIO is a file or a
built-in name, DIR every *.yaml in it; with no argument the built-in
library is swept.

For every run, beyond the scenario's expectations, swarm checks the
invariants of the results: the ledger balances on every route; no count
is negative or impossible (completed + incomplete = sent, planned = sent
+ not_sent, duplicates within deliveries, the series adding up to the
totals, ...); the fault timeline is the scenario's and each window lies
within its fault; a loss cause only a fault produces appears only with
such a fault. A sample of seeds is run twice and must give a
byte-identical results.json; a difference names the first field that
differs.

For each expectation it prints the share of seeds that pass it and the
distribution of its metric (min, p50, p99, max, and the seeds at the
extremes). For each expectation that failed, the lowest failing seed is
shrunk: faults removed, fault windows shortened and moved earlier,
services and accounts dropped, the rate lowered, the traffic and the
drain shortened, keeping the seed and checking after each step that the
same expectation still fails the same way. The minimal case is run twice
to prove it replays and written as a scenario file, with the one line
that reproduces it (busdrill run FILE --seed N) and a Markdown issue
body (issue.md).

Flags:
  --seeds N          sweep seeds 1 to N (default 100; at most 100000)
  --seed-range A:B   sweep seeds A to B (A ≥ 1)
  --shard I/N        run shard I (0-based) of N of the seed range: the
                     seeds whose offset from the first is I modulo N;
                     'busdrill swarm merge' combines the shards exactly
  --vary SPEC        vary each seed's scenario, drawn from the seed:
                       faults | faults=A+B   switch faults off (each in
                                             about half the seeds)
                       at | at=LO..HI        move windowed faults' starts
                       for | for=LO..HI      change their lengths (default
                                             ½ to 2 times as written)
                       rate | rate=LO..HI    scale every traffic rate
                                             (default 0.5..1.5)
                       default               all four
                       scenario              the scenario's own vary key
                                             (the default set without one)
                     e.g. --vary faults,at=30s..4m,rate=0.5..2.
                     Expectations about a fault switched off are left out
                     for that seed.
  --quick            every traffic rate ×0.25 (same timeline): a fast
                     check of the model; expectations written for the
                     full rate may not hold
  --invariants-only  judge the model, not the scenarios: only a broken
                     invariant, a run that does not replay or a seed
                     that cannot run fails the swarm; expectations are
                     still reported, not shrunk
  --replay-every N   run every Nth seed twice (default 10; 1: all; 0:
                     none)
  --no-shrink        do not shrink failures
  --shrink-runs N    candidate runs per shrink (default 300)
  --jobs N           runs at once (default: the number of CPUs); the
                     results do not depend on it
  --out DIR          where outputs go (default results): each scenario's
                     swarm writes DIR/<scenario>/swarm[/shard-I-of-N]/:
                     swarm.json, seeds/<seed>/ for the failing seeds
                     reported, shrink/expect-K-seed-N/ (minimal.yaml,
                     issue.md, the minimal run's outputs)
  --json             print the summaries (swarm.json of each scenario) on
                     standard output instead of text
  --force            run scenarios whose plan exceeds busdrill's ceilings
  --quiet            print only failures (and no progress line)

The progress line (on a terminal) shows the runs done and the seeds that
failed or broke an invariant so far. swarm.json holds no wall-clock
facts: the same scenarios, seeds, flags and version give the same file
whatever --jobs, and merged shards give the file the whole swarm gives.

SIGINT or SIGTERM stops the runs under way within a second; swarm.json
is written with the seeds that ran (marked interrupted), and each failure
found so far is written as its best shrink so far. A second signal quits
at once.

Exit status: 0 every seed passed (with --invariants-only: every
invariant held and every replay matched), 1 a seed failed (after
shrinking), broke an invariant, did not replay or could not run, 2 bad
input or usage, 3 interrupted, 4 the outputs could not be written.`

const swarmMergeUsage = `Usage: busdrill swarm merge SWARM.json|DIR... [-o DIR]

Combines the shards of swarms (busdrill swarm --shard I/N, e.g. the pods
of deploy/k8s/swarm-job.yaml) into the swarm of the whole seed range:
the seed runs are joined, and the pass shares, distributions, reported
seeds and shrinks are worked out again from them, exactly as one process
sweeping every seed would (the same swarm.json). The shrinks and seed
outputs kept are copied from the shards' folders; issue.md is written
again with the whole swarm's counts.

A DIR is searched for the swarm.json of shards (shard-I-of-N folders).
Shards must belong together: the same scenario text, version, seed
range, variation and flags, and every shard index exactly once.

Flags:
  -o, --out DIR   where the merged swarms go (default results):
                  DIR/<scenario>/swarm/
  --json          print the merged summaries on standard output
  --quiet         print only failures

Exit status: as busdrill swarm's: 0 every seed passed, 1 a seed failed,
2 bad input (shards that do not belong together), 4 the outputs could
not be written.`

var swarmCmd = &command{
	name: "swarm", summary: "sweep seeds, check invariants, shrink failures to a repro", usage: swarmUsage,
	subs: []*command{
		{name: "merge", summary: "merge the shards of a swarm", usage: swarmMergeUsage},
	},
}

func init() {
	swarmCmd.run = runSwarm
	swarmCmd.sub("merge").run = runSwarmMerge
	register(swarmCmd)
}

func runSwarm(env *cliEnv, args []string) int {
	c := swarmCmd
	fl := newFlags(c)
	nSeeds := fl.Uint64("seeds", 100, "")
	seedRange := fl.String("seed-range", "", "")
	shardFlag := fl.String("shard", "", "")
	vary := fl.String("vary", "", "")
	quick := fl.Bool("quick", false, "")
	invariantsOnly := fl.Bool("invariants-only", false, "")
	replayEvery := fl.Int("replay-every", swarm.DefaultReplayEvery, "")
	noShrink := fl.Bool("no-shrink", false, "")
	shrinkRuns := fl.Int("shrink-runs", swarm.DefaultShrinkRuns, "")
	jobs := fl.Int("jobs", runtime.GOMAXPROCS(0), "")
	out := fl.String("out", "results", "")
	jsonOut := fl.Bool("json", false, "")
	force := fl.Bool("force", false, "")
	quiet := fl.Bool("quiet", false, "")
	if code, done := parseFlags(env, c, fl, args); done {
		return code
	}
	var seeds swarm.Seeds
	var err error
	switch {
	case fl.Changed("seeds") && *seedRange != "":
		return usageError(env, c, "give --seeds or --seed-range, not both")
	case *seedRange != "":
		seeds, err = swarm.ParseRange(*seedRange)
	default:
		seeds, err = swarm.FirstN(*nSeeds)
	}
	if err != nil {
		return usageError(env, c, "%v", err)
	}
	if *shardFlag != "" {
		if seeds.Shard, err = loadgen.ParseShard(*shardFlag); err != nil {
			return usageError(env, c, "--shard: %v", err)
		}
	}
	switch {
	case *jobs < 1 || *jobs > 1024:
		return usageError(env, c, "--jobs must be between 1 and 1024, not %d", *jobs)
	case *replayEvery < 0 || *replayEvery > swarm.MaxSeeds:
		return usageError(env, c, "--replay-every must be between 0 and %d, not %d", swarm.MaxSeeds, *replayEvery)
	case *shrinkRuns < 1 || *shrinkRuns > swarm.MaxShrinkRuns:
		return usageError(env, c, "--shrink-runs must be between 1 and %d, not %d", swarm.MaxShrinkRuns, *shrinkRuns)
	case fl.Changed("vary") && *vary == "":
		return usageError(env, c, "--vary needs a value: faults, at, for, rate, default or scenario (see 'busdrill help swarm')")
	}

	intr := runner.Watch(env.stderr, os.Exit)
	defer intr.Stop()
	ctx := intr.Context()
	files, err := swarmFiles(fl.Args())
	if err != nil {
		return usageError(env, c, "%v", err)
	}
	var list []*scenarios.Scenario
	bad := 0
	for _, f := range files {
		sc, err := loadScenario(f, scenarios.LoadOptions{Force: *force})
		if err != nil {
			fmt.Fprintln(env.stderr, err)
			bad++
			continue
		}
		list = append(list, sc)
	}
	if bad > 0 {
		fmt.Fprintf(env.stderr, "busdrill swarm: %d invalid scenario%s\n", bad, plural(bad))
		return exitUsage
	}
	intr.Pending("swarm.json and the shrinks of every scenario")
	started := time.Now()
	prog := render.NewProgress(env.stderr, !*quiet && !*jsonOut && render.IsTerminal(env.stderr))
	last := swarm.Progress{}
	res, err := swarm.Run(ctx, swarm.Options{
		Scenarios: list, Seeds: seeds, Vary: *vary, Quick: *quick, Jobs: *jobs,
		ReplayEvery: *replayEvery, Shrink: !*noShrink, ShrinkRuns: *shrinkRuns,
		InvariantsOnly: *invariantsOnly, Out: *out, Force: *force,
		Progress: func(p swarm.Progress) {
			if p.Shrinking == "" {
				last = p
				prog.Count(int64(p.Done), int64(p.Total), fmt.Sprintf("%d of %d runs · %d failed · %d broken", p.Done, p.Total, p.Failed, p.Broken))
				return
			}
			prog.Count(int64(last.Done), int64(last.Total), "shrinking "+p.Shrinking)
		},
	})
	prog.Done()
	intr.Pending("")
	code := finishSwarm(env, res, err, *jsonOut, *quiet)
	if res != nil && !*jsonOut {
		fmt.Fprintf(env.stdout, "%s (%.1fs)\n", swarmTally(res), time.Since(started).Seconds())
	}
	return code
}

// swarmTally is the closing line: "23 scenarios, 552 seeds run: 23
// passed, 0 failed".
func swarmTally(res *swarm.Result) string {
	seeds, failed := 0, 0
	for _, s := range res.Summaries {
		seeds += s.Tally.Seeds
		if s.Verdict == swarm.VerdictFail {
			failed++
		}
	}
	n := len(res.Summaries)
	s := fmt.Sprintf("%d scenario%s, %d seed runs: %d passed, %d failed", n, plural(n), seeds, n-failed, failed)
	if res.Interrupted {
		s = "interrupted: " + s
	}
	return s
}

// swarmFiles expands the arguments as check does (directories to their
// *.yaml files, none to the built-in library), and also takes built-in
// scenarios by name, as run does.
func swarmFiles(args []string) ([]string, error) {
	if len(args) == 0 {
		return runner.CheckFiles(nil)
	}
	var out []string
	for _, a := range args {
		if _, err := os.Stat(a); err != nil {
			if _, ok := scenarios.BuiltinSource(a); ok {
				out = append(out, scenarios.BuiltinPrefix+a)
				continue
			}
		}
		files, err := runner.CheckFiles([]string{a})
		if err != nil {
			return nil, err
		}
		out = append(out, files...)
	}
	return out, nil
}

// finishSwarm prints a swarm's (or a merge's) outcome and returns the
// exit code.
func finishSwarm(env *cliEnv, res *swarm.Result, err error, jsonOut, quiet bool) int {
	var ierr *swarm.InputError
	var werr *runner.WriteError
	switch {
	case errors.As(err, &ierr):
		fmt.Fprintf(env.stderr, "busdrill swarm: %v\n", err)
		return exitUsage
	case err != nil && !errors.As(err, &werr):
		fmt.Fprintf(env.stderr, "busdrill swarm: %v\n", err)
		return exitUsage
	case err != nil:
		fmt.Fprintf(env.stderr, "busdrill swarm: %v\n", err)
	}
	if jsonOut {
		b, jerr := json.MarshalIndent(map[string]any{"version": version.String(), "swarms": res.Summaries}, "", "  ")
		if jerr != nil {
			fmt.Fprintf(env.stderr, "busdrill swarm: %v\n", jerr)
			return exitWriteFailed
		}
		env.stdout.Write(append(b, '\n'))
	} else {
		for i, sum := range res.Summaries {
			if quiet && sum.Verdict == swarm.VerdictPass && !sum.Interrupted {
				continue
			}
			swarm.WriteText(env.stdout, sum, res.Dirs[i])
		}
	}
	switch {
	case res.Interrupted:
		return exitAborted
	case err != nil:
		return exitWriteFailed
	case res.Failed():
		return exitFail
	}
	return exitOK
}

func runSwarmMerge(env *cliEnv, args []string) int {
	c := swarmCmd.sub("merge")
	fl := newFlags(c)
	out := fl.StringP("out", "o", "results", "")
	jsonOut := fl.Bool("json", false, "")
	quiet := fl.Bool("quiet", false, "")
	if code, done := parseFlags(env, c, fl, args); done {
		return code
	}
	if fl.NArg() == 0 {
		return usageError(env, c, "give the shards' swarm.json files, or folders holding them")
	}
	res, err := swarm.MergeFiles(fl.Args(), *out)
	if res == nil && err != nil {
		fmt.Fprintf(env.stderr, "busdrill swarm merge: %v\n", err)
		return exitUsage
	}
	return finishSwarm(env, res, err, *jsonOut, *quiet)
}
