package runner

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/busdrill/busdrill/internal/version"
	"github.com/busdrill/busdrill/loadgen"
	"github.com/busdrill/busdrill/report"
	"github.com/busdrill/busdrill/report/render"
	"github.com/busdrill/busdrill/scenarios"
)

// CheckRun is one scenario's run in a check (busdrill check).
type CheckRun struct {
	Scenario *scenarios.Scenario
	// Outcome and Err are RunSim's.
	Outcome *Outcome
	Err     error
	Elapsed time.Duration
	// Skipped: never started (the check was interrupted first).
	Skipped bool
}

// CheckFiles expands check's arguments: directories to their *.yaml files
// (sorted), no argument to the built-in library.
func CheckFiles(args []string) ([]string, error) {
	if len(args) == 0 {
		var out []string
		for _, n := range scenarios.Names() {
			out = append(out, scenarios.BuiltinPrefix+n)
		}
		return out, nil
	}
	var out []string
	for _, a := range args {
		st, err := os.Stat(a)
		if err != nil {
			return nil, err
		}
		if !st.IsDir() {
			out = append(out, a)
			continue
		}
		m, err := filepath.Glob(filepath.Join(a, "*.yaml"))
		if err != nil {
			return nil, err
		}
		if len(m) == 0 {
			return nil, fmt.Errorf("%s: no *.yaml scenario files", a)
		}
		sort.Strings(m)
		out = append(out, m...)
	}
	return out, nil
}

// LoadCheck loads every file of a check before any runs, so that an
// invalid scenario is reported before anything starts. It returns the
// runs, and the problems of every file that did not load (nil when all
// did). It stops early, with ctx's error, when ctx is cancelled.
func LoadCheck(ctx context.Context, files []string, force bool) ([]CheckRun, []error, error) {
	runs := make([]CheckRun, len(files))
	var bad []error
	for i, f := range files {
		if ctx.Err() != nil {
			return nil, nil, ctx.Err()
		}
		var err error
		if name, ok := strings.CutPrefix(f, scenarios.BuiltinPrefix); ok {
			runs[i].Scenario, err = scenarios.Builtin(name)
		} else {
			runs[i].Scenario, err = scenarios.LoadFile(f, scenarios.LoadOptions{Force: force})
		}
		if err != nil {
			bad = append(bad, err)
		}
	}
	return runs, bad, nil
}

// PrepareCheck proves every output of a check writable before it starts:
// each run's folder under out (when out is not empty) and the folder of
// junitPath (when not empty). The error names the flag.
func PrepareCheck(runs []CheckRun, out, junitPath string) error {
	if out != "" {
		for i := range runs {
			if err := Prepare(SimDir(out, runs[i].Scenario, loadgen.Shard{})); err != nil {
				return fmt.Errorf("--out: %w", err)
			}
		}
	}
	if junitPath != "" {
		if err := Prepare(filepath.Dir(junitPath)); err != nil {
			return fmt.Errorf("--junit: %w", err)
		}
	}
	return nil
}

// RunCheck runs the scenarios of runs in the simulator, jobs at a time
// (each writing its outputs under out when out is not empty), and calls
// done with each run in the order given, as soon as it and every one
// before it have finished. Workers take the scenarios in that order, so
// that with one job an interrupt (ctx cancelled) leaves exactly the later
// ones not run (Skipped).
func RunCheck(ctx context.Context, runs []CheckRun, out string, jobs int, done func(*CheckRun)) {
	finishedCh := make(chan int, len(runs))
	work := make(chan int, len(runs))
	for i := range runs {
		work <- i
	}
	close(work)
	for range min(jobs, len(runs)) {
		go func() {
			for i := range work {
				r := &runs[i]
				if ctx.Err() != nil {
					r.Skipped = true
					finishedCh <- i
					continue
				}
				t0 := time.Now()
				r.Outcome, r.Err = RunSim(ctx, SimOptions{
					Scenario: r.Scenario, Out: out, Command: "busdrill run " + r.Scenario.File + fmt.Sprintf(" --seed %d", r.Scenario.Seed),
				})
				r.Elapsed = time.Since(t0)
				finishedCh <- i
			}
		}()
	}
	finished := make([]bool, len(runs))
	next := 0
	for range runs {
		finished[<-finishedCh] = true
		for ; next < len(runs) && finished[next]; next++ {
			done(&runs[next])
		}
	}
}

// CheckTally counts a check's outcomes.
type CheckTally struct {
	Passed, Failed, Broken, Interrupted, Skipped, WriteFailed int
}

// TallyCheck counts the outcomes of runs.
func TallyCheck(runs []CheckRun) CheckTally {
	var t CheckTally
	for i := range runs {
		r := &runs[i]
		var werr *WriteError
		switch {
		case r.Skipped:
			t.Skipped++
		case errors.As(r.Err, &werr):
			t.WriteFailed++
		case r.Err != nil:
			t.Broken++
		case r.Outcome.Results.Interrupted:
			t.Interrupted++
		case r.Outcome.Results.Verdict == report.VerdictFail:
			t.Failed++
		default:
			t.Passed++
		}
	}
	return t
}

func (t CheckTally) String() string {
	s := fmt.Sprintf("%d passed, %d failed", t.Passed, t.Failed+t.Broken+t.WriteFailed)
	if t.Interrupted > 0 || t.Skipped > 0 {
		s = fmt.Sprintf("interrupted: %s, %d stopped, %d not run", s, t.Interrupted, t.Skipped)
	}
	return s
}

func (t CheckTally) json() map[string]int {
	return map[string]int{"passed": t.Passed, "failed": t.Failed, "errors": t.Broken + t.WriteFailed,
		"interrupted": t.Interrupted, "skipped": t.Skipped}
}

// WriteCheckJUnit writes one junit.xml with a suite per scenario that ran.
func WriteCheckJUnit(path string, runs []CheckRun) error {
	var list []render.JUnitRun
	for i := range runs {
		if r := &runs[i]; r.Outcome != nil && r.Outcome.Results != nil {
			list = append(list, render.JUnitRun{Results: r.Outcome.Results, Meta: render.Meta{
				Command: r.Outcome.Meta.Command, Version: version.String(), ScenarioFile: r.Scenario.File}})
		}
	}
	var buf strings.Builder
	if err := render.JUnitRuns(&buf, list); err != nil {
		return err
	}
	return render.WriteFile(path, []byte(buf.String()))
}

// CheckEntry is one scenario's entry of check's --json summary.
type CheckEntry struct {
	Scenario     string               `json:"scenario"`
	File         string               `json:"file"`
	Seed         uint64               `json:"seed"`
	Status       string               `json:"status"`
	Error        string               `json:"error,omitempty"`
	Orders       *report.Orders       `json:"orders,omitempty"`
	Expectations []report.Expectation `json:"expectations,omitempty"`
	Results      string               `json:"results,omitempty"`
	WallSeconds  float64              `json:"wall_seconds"`
}

// WriteCheckJSON writes check's --json summary: the version, one entry per
// scenario (with its results.json when out is not empty) and the tally.
func WriteCheckJSON(w io.Writer, runs []CheckRun, out string) error {
	list := make([]CheckEntry, len(runs))
	for i := range runs {
		r := &runs[i]
		j := CheckEntry{Scenario: r.Scenario.Name, File: r.Scenario.File, Seed: r.Scenario.Seed, WallSeconds: r.Elapsed.Seconds()}
		switch {
		case r.Skipped:
			j.Status = "skipped"
		case r.Err != nil:
			j.Status, j.Error = "error", r.Err.Error()
		case r.Outcome.Results.Interrupted:
			j.Status = "interrupted"
		default:
			j.Status = r.Outcome.Results.Verdict
		}
		if r.Outcome != nil && r.Outcome.Results != nil {
			j.Orders, j.Expectations = &r.Outcome.Results.Orders, r.Outcome.Results.Expectations
			if out != "" {
				j.Results = filepath.Join(r.Outcome.Dir, ResultsFile)
			}
		}
		list[i] = j
	}
	b, err := json.MarshalIndent(map[string]any{"version": version.String(), "scenarios": list, "summary": TallyCheck(runs).json()}, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}
