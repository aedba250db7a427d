package swarm

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/busdrill/busdrill/internal/version"
	"github.com/busdrill/busdrill/report"
	"github.com/busdrill/busdrill/report/render"
	"github.com/busdrill/busdrill/runner"
)

// InstanceFile is the scenario a reported seed ran, written beside its
// results when a variation or --quick changed it.
const InstanceFile = "scenario.yaml"

// shrinkAll shrinks, for each expectation that failed for some seed, its
// lowest failing seed. Once ctx is cancelled the shrink under way stops
// at its best so far and the others are not run: each is written as its
// seed's scenario with the other expectations left out.
func (s *subject) shrinkAll(ctx context.Context, sum *Summary, opts Options) []Shrink {
	var out []Shrink
	for i, st := range sum.Expectations {
		if len(st.FailedSeeds) == 0 {
			continue
		}
		seed := st.FailedSeeds[0]
		run := findRun(sum.Runs, seed)
		x := run.Expect[i]
		in, err := s.instance(seed)
		if err != nil {
			out = append(out, Shrink{Expectation: s.expect[i].label(), Index: i, Seed: seed, FailedSeeds: st.Failed,
				Observed: x.Observed, Problem: err.Error(), Dir: shrinkDir(i, seed)})
			continue
		}
		sh := &shrinker{
			s: s, seed: seed, budget: opts.ShrinkRuns, jobs: opts.Jobs,
			fail:     failure{index: i, expect: s.expect[i], noValue: x.Value == nil, observed: x.Observed},
			progress: opts.Progress,
		}
		r := sh.shrink(ctx, in)
		r.FailedSeeds, r.Observed, r.Dir = st.Failed, x.Observed, shrinkDir(i, seed)
		r.Threshold = r.MinimalThreshold
		if r.initial != nil {
			r.Threshold = r.initial.Expectations[0].Threshold
		}
		out = append(out, *r)
	}
	return out
}

func findRun(runs []SeedRun, seed uint64) *SeedRun {
	for i := range runs {
		if runs[i].Seed == seed {
			return &runs[i]
		}
	}
	return nil
}

// write writes a scenario's swarm into dir: each reported seed's outputs
// (run again: the digest must match the sweep's), each shrink's minimal
// scenario, issue body and outputs, then swarm.json. After an interrupt
// no seed is run again: only the shrinks and swarm.json are written.
func (s *subject) write(ctx context.Context, dir string, sum *Summary) error {
	werr := func(err error) error { return &runner.WriteError{Dir: dir, Err: err} }
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return werr(err)
	}
	if ctx.Err() != nil {
		sum.Reported = nil
	}
	for _, seed := range sum.Reported {
		diff, err := s.writeSeed(ctx, filepath.Join(dir, seedDir(seed)), findRun(sum.Runs, seed))
		if err != nil {
			return werr(err)
		}
		if diff != "" {
			sum.LateReplays = append(sum.LateReplays, diff)
		}
	}
	for i := range sum.Shrinks {
		if err := writeShrink(filepath.Join(dir, sum.Shrinks[i].Dir), sum, &sum.Shrinks[i], s.sc.File); err != nil {
			return werr(err)
		}
	}
	if len(sum.LateReplays) > 0 {
		sum.Verdict = VerdictFail
	}
	js, err := sum.WriteJSON()
	if err != nil {
		return werr(err)
	}
	if err := render.WriteFile(filepath.Join(dir, SummaryFile), js); err != nil {
		return werr(err)
	}
	return nil
}

// writeSeed runs a reported seed again and writes its outputs (and its
// scenario, when it differs from the file's). It returns a description
// of the difference when the run's digest is not the sweep's.
func (s *subject) writeSeed(ctx context.Context, dir string, run *SeedRun) (string, error) {
	in, err := s.instance(run.Seed)
	if err != nil {
		return "", nil // an error seed: its message is in swarm.json
	}
	started := time.Now()
	res, js, err := runInstance(ctx, in)
	if err != nil || res.Interrupted {
		return "", nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	file := s.sc.File
	if in.changed {
		file = filepath.Join(dir, InstanceFile)
		if err := render.WriteFile(file, in.source); err != nil {
			return "", err
		}
	}
	command := ReproCommand(file, run.Seed)
	if err := writeRun(dir, res, js, command, file, started); err != nil {
		return "", err
	}
	if d := digest(js); d != run.Digest {
		return fmt.Sprintf("seed %d: run again to be written, its results.json has digest %s, the sweep's had %s", run.Seed, d, run.Digest), nil
	}
	return "", nil
}

// writeRun writes a run's outputs: results.json, meta.json, report.html,
// junit.xml, summary.md.
func writeRun(dir string, res *report.Results, js []byte, command, file string, started time.Time) error {
	meta := runner.Meta{
		Started: started.UTC().Format(time.RFC3339), WallSeconds: time.Since(started).Seconds(),
		Version: version.String(), Command: command, ScenarioFile: file,
	}
	return runner.Write(dir, runner.Outputs{Results: res, JSON: js, Meta: meta,
		Render: render.Meta{Command: command, Version: version.String(), ScenarioFile: file}})
}

// writeShrink writes a shrink's folder: minimal.yaml, issue.md and, when
// the minimal scenario ran, its outputs.
func writeShrink(dir string, sum *Summary, sh *Shrink, scenarioFile string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if sh.source == nil {
		return nil
	}
	minimal := append([]byte(commentLines(sh.minimalHeader(scenarioFile))), sh.source...)
	path := filepath.Join(dir, MinimalFile)
	if err := render.WriteFile(path, minimal); err != nil {
		return err
	}
	if err := render.WriteFile(filepath.Join(dir, IssueFile), []byte(sh.issueBody(sum, minimal))); err != nil {
		return err
	}
	if sh.res == nil {
		return nil
	}
	js, err := runner.EncodeResults(sh.res)
	if err != nil {
		return err
	}
	return writeRun(dir, sh.res, js, ReproCommand(path, sh.Seed), path, time.Now())
}

// commentLines turns text into YAML comment lines.
func commentLines(text string) string {
	var b strings.Builder
	for _, line := range strings.Split(text, "\n") {
		if line == "" {
			b.WriteString("#\n")
			continue
		}
		b.WriteString("# " + line + "\n")
	}
	return b.String()
}
