package swarm

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"slices"

	"github.com/busdrill/busdrill/internal/version"
	"github.com/busdrill/busdrill/runner"
	"github.com/busdrill/busdrill/scenarios"
)

// Options configure a swarm.
type Options struct {
	// Scenarios are the scenarios to sweep, loaded.
	Scenarios []*scenarios.Scenario
	Seeds     Seeds
	// Vary is the variation: "" none; VaryOwn the scenario's own vary
	// key (the default set when it has none); else the grammar of
	// scenarios.ParseVariation.
	Vary string
	// Quick scales every traffic rate by QuickRateFactor.
	Quick bool
	// Jobs is the number of runs at once (default GOMAXPROCS).
	Jobs int
	// ReplayEvery runs every ReplayEvery-th seed twice (0: none).
	ReplayEvery int
	// Shrink shrinks one failing seed per failing expectation, in at
	// most ShrinkRuns runs each (0: DefaultShrinkRuns).
	Shrink     bool
	ShrinkRuns int
	// InvariantsOnly judges the model, not the scenarios: an expectation
	// failing fails nothing (it is not shrunk either); an invariant or a
	// replay does.
	InvariantsOnly bool
	// Out is the results root: a scenario's swarm writes
	// Out/<scenario>/swarm[/shard-I-of-N]/. "" writes nothing.
	Out   string
	Force bool
	// Progress, when set, is called from the swarm's goroutine as seeds
	// finish and shrinks advance.
	Progress func(Progress)
}

// VaryOwn is Options.Vary for "the scenario's own vary key, or the
// default set": what --vary alone means.
const VaryOwn = "scenario"

// DefaultReplayEvery is the sample of seeds run twice: one in ten.
const DefaultReplayEvery = 10

// Progress is where a swarm is.
type Progress struct {
	// Done of Total runs of the sweep (every scenario); Failed and
	// Broken so far.
	Done, Total, Failed, Broken int
	// Shrinking names the failure being shrunk ("" during the sweep),
	// with the runs it has made.
	Shrinking string
}

// InputError is a problem with what was asked, found before anything
// ran (exit 2).
type InputError struct{ Err error }

func (e *InputError) Error() string { return e.Err.Error() }
func (e *InputError) Unwrap() error { return e.Err }

// Result is a swarm's outcome: one summary per scenario, in the order
// given.
type Result struct {
	Summaries []*Summary
	// Dirs are the summaries' folders ("" when nothing was written).
	Dirs []string
	// Interrupted: a signal stopped the swarm; what ran is in the
	// summaries.
	Interrupted bool
}

// Failed reports whether the swarm failed: an invariant broke, a seed
// did not replay, a seed could not run, or (unless InvariantsOnly) an
// expectation failed for some seed.
func (r *Result) Failed() bool {
	for _, s := range r.Summaries {
		if s.failed() {
			return true
		}
	}
	return false
}

func (s *Summary) failed() bool {
	t := s.Tally
	return t.Broken > 0 || t.NotReplayable > 0 || t.Errors > 0 || len(s.LateReplays) > 0 || (!s.InvariantsOnly && t.Failed > 0)
}

// Dir is the folder of a scenario's swarm under out.
func Dir(out, scenario string, seeds Seeds) string {
	dir := filepath.Join(out, scenario, "swarm")
	if seeds.Shard.Count > 1 {
		dir = filepath.Join(dir, fmt.Sprintf("shard-%d-of-%d", seeds.Shard.Index, seeds.Shard.Count))
	}
	return dir
}

// Prepare checks the options and builds the scenarios' subjects: a
// variation that does not apply, or an output folder that cannot be
// written, is an *InputError before anything runs.
func Prepare(opts Options) ([]*subject, error) {
	if len(opts.Scenarios) == 0 {
		return nil, &InputError{errors.New("no scenario to sweep")}
	}
	seen := map[string]string{}
	var subjects []*subject
	for _, sc := range opts.Scenarios {
		if other, dup := seen[sc.Name]; dup {
			return nil, &InputError{fmt.Errorf("%s and %s are both scenario %q: their swarms would share a folder", other, sc.File, sc.Name)}
		}
		seen[sc.Name] = sc.File
		var v *scenarios.Variation
		text := opts.Vary
		switch {
		case text == VaryOwn && sc.Spec.Vary != "":
			text = sc.Spec.Vary
		case text == VaryOwn:
			text = "default"
		}
		if text != "" {
			names := append(sc.Faults.Names(), sc.Faults.Broken...)
			parsed, err := scenarios.ParseVariation(text, names)
			if err != nil {
				return nil, &InputError{fmt.Errorf("%s: --vary: %w", sc.File, err)}
			}
			v, text = &parsed, parsed.String()
		}
		subjects = append(subjects, newSubject(sc, v, text, opts.Quick, opts.Force))
		if opts.Out != "" {
			if err := runner.Prepare(Dir(opts.Out, sc.Name, opts.Seeds)); err != nil {
				return nil, &InputError{err}
			}
		}
	}
	return subjects, nil
}

// Run sweeps every scenario over the seeds, checks each run's invariants
// (and replays a sample), summarises the expectations across seeds,
// shrinks a failing seed of each failing expectation, and writes it all
// under Out. ctx cancellation (SIGINT) stops the runs under way and
// starts no more; the summaries then hold what ran, marked interrupted,
// each failure's best shrink so far is written, and Result.Interrupted is
// set. An error is an *InputError (nothing ran) or a failure to write
// the outputs (the result is returned with it).
func Run(ctx context.Context, opts Options) (*Result, error) {
	subjects, err := Prepare(opts)
	if err != nil {
		return nil, err
	}
	if opts.Jobs < 1 {
		opts.Jobs = runtime.GOMAXPROCS(0)
	}
	if opts.ShrinkRuns <= 0 {
		opts.ShrinkRuns = DefaultShrinkRuns
	}
	seeds := opts.Seeds.List()
	outcomes := sweep(ctx, subjects, seeds, opts)
	res := &Result{Interrupted: ctx.Err() != nil}
	var werr error
	for i, s := range subjects {
		sum := s.summarise(opts, outcomes[i])
		sum.Interrupted = res.Interrupted
		if opts.Shrink && !opts.InvariantsOnly {
			sum.Shrinks = s.shrinkAll(ctx, sum, opts)
		}
		res.Interrupted = ctx.Err() != nil
		sum.Interrupted = res.Interrupted
		sum.Verdict = VerdictPass
		if sum.failed() {
			sum.Verdict = VerdictFail
		}
		res.Summaries = append(res.Summaries, sum)
		dir := ""
		if opts.Out != "" {
			dir = Dir(opts.Out, s.sc.Name, opts.Seeds)
			if err := s.write(ctx, dir, sum); err != nil && werr == nil {
				werr = err
			}
		}
		res.Dirs = append(res.Dirs, dir)
	}
	return res, werr
}

// summarise builds a scenario's summary from its seeds' outcomes.
func (s *subject) summarise(opts Options, outcomes []seedOutcome) *Summary {
	sum := &Summary{
		Schema: SummarySchema, Scenario: s.sc.Name, File: s.sc.File, Digest: sourceDigest(s.sc.Source),
		Version: version.String(), Vary: s.varyText, Quick: s.quick,
		First: opts.Seeds.First, Last: opts.Seeds.Last, ReplayEvery: opts.ReplayEvery, InvariantsOnly: opts.InvariantsOnly,
	}
	if sh := opts.Seeds.Shard; sh.Count > 1 {
		sum.Shard = &ShardInfo{Index: sh.Index, Count: sh.Count}
	}
	for _, o := range outcomes {
		if o.run.Status != "" { // "": never started (interrupted first)
			sum.Runs = append(sum.Runs, o.run)
		}
	}
	tally(sum, s.heads())
	return sum
}

// heads are the expectations as the statistics name them.
func (s *subject) heads() []ExpectStats {
	out := make([]ExpectStats, len(s.expect))
	for i, e := range s.expect {
		out[i] = ExpectStats{Name: e.Name, Window: e.Window, Unit: e.cond.Unit()}
	}
	return out
}

// tally counts the runs and computes the statistics and the seeds to
// report: a function of the runs alone (also after a merge).
func tally(sum *Summary, heads []ExpectStats) {
	t := Tally{}
	for _, r := range sum.Runs {
		t.Seeds++
		switch r.Status {
		case StatusPass:
			t.Passed++
		case StatusFail:
			t.Failed++
		case StatusInterrupted:
			t.Interrupted++
		case StatusError:
			t.Errors++
		}
		if len(r.Invariants) > 0 {
			t.Broken++
		}
		if r.Replay != "" {
			t.Replayed++
			if r.Replay != replayIdentical {
				t.NotReplayable++
			}
		}
	}
	sum.Tally = t
	sum.Expectations = expectStats(heads, sum.Runs)
	sum.Reported = reportedSeeds(sum)
}

// maxReported bounds the seeds whose outputs are written besides the
// shrunk ones: the lowest seeds that broke an invariant, did not replay
// or could not run.
const maxReported = 10

// reportedSeeds are the seeds whose results are written under seeds/:
// the seed of each shrink (the lowest failing seed of each failing
// expectation, unless only the model is judged), and the lowest
// maxReported that broke an invariant or did not replay.
func reportedSeeds(sum *Summary) []uint64 {
	var out []uint64
	for _, st := range sum.Expectations {
		if len(st.FailedSeeds) > 0 && !sum.InvariantsOnly && !slices.Contains(out, st.FailedSeeds[0]) {
			out = append(out, st.FailedSeeds[0])
		}
	}
	n := 0
	for _, r := range sum.Runs {
		if n == maxReported {
			break
		}
		if len(r.Invariants) > 0 || (r.Replay != "" && r.Replay != replayIdentical) {
			if !slices.Contains(out, r.Seed) {
				out = append(out, r.Seed)
			}
			n++
		}
	}
	slices.Sort(out)
	return out
}

func sourceDigest(src []byte) string {
	sum := sha256.Sum256(src)
	return hex.EncodeToString(sum[:])
}
