package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"time"

	"github.com/busdrill/busdrill/internal/version"
	"github.com/busdrill/busdrill/loadgen"
	"github.com/busdrill/busdrill/report"
	"github.com/busdrill/busdrill/report/render"
	"github.com/busdrill/busdrill/runner"
	"github.com/busdrill/busdrill/scenarios"
)

const checkUsage = `Usage: busdrill check [DIR|FILE...] [flags]

Runs scenarios in the simulator and fails if any expectation fails: the
command CI runs over a scenario library. A DIR runs every *.yaml file in
it; with no argument, the built-in library runs.

Flags:
  --out DIR     also write each run's full outputs (results.json,
                meta.json, report.html, junit.xml, summary.md) to
                DIR/<scenario>/<seed>/
  --junit FILE  write one JUnit file for the whole library: a test suite
                per scenario (named by its file), a case per expectation
  --json        print a JSON summary on standard output instead of lines
  --jobs N      scenarios run at once (default: the number of CPUs)
  --force       run scenarios whose plan exceeds busdrill's ceilings
  --quiet       print only failures

Each scenario prints one line as soon as it and the ones before it have
finished, in the order given: PASS or FAIL, its name, orders, how many
expectations held, and the wall time; a failure lists every failed
expectation with what was observed and what was expected.

SIGINT or SIGTERM stops every running scenario within a second: they
print INTR (and write their partial results, marked interrupted, with
--out), the rest are not run, and check exits 3 after its summary. A
second signal quits at once.

Exit status: 0 every scenario passed, 1 an expectation failed, 2 a
scenario is invalid or an output cannot be written, 3 interrupted, 4 a
run's outputs could not be written after it ran.`

var checkCmd = &command{name: "check", summary: "run scenarios and fail if any expectation fails", usage: checkUsage}

func init() {
	checkCmd.run = runCheck
	register(checkCmd)
}

// checkRun is one scenario's run in a check.
type checkRun struct {
	sc      *scenarios.Scenario
	out     *runner.Outcome
	err     error
	elapsed time.Duration
	// skipped: never started (the check was interrupted first).
	skipped bool
}

func runCheck(env *cliEnv, args []string) int {
	c := checkCmd
	fl := newFlags(c)
	out := fl.String("out", "", "")
	junitPath := fl.String("junit", "", "")
	jsonOut := fl.Bool("json", false, "")
	jobs := fl.Int("jobs", runtime.GOMAXPROCS(0), "")
	force := fl.Bool("force", false, "")
	quiet := fl.Bool("quiet", false, "")
	if code, done := parseFlags(env, c, fl, args); done {
		return code
	}
	if *jobs < 1 || *jobs > 1024 {
		return usageError(env, c, "--jobs must be between 1 and 1024, not %d", *jobs)
	}
	intr := runner.Watch(env.stderr, os.Exit)
	defer intr.Stop()
	ctx := intr.Context()

	files, err := checkFiles(fl.Args())
	if err != nil {
		return usageError(env, c, "%v", err)
	}
	// Load everything first: an invalid scenario is reported before any
	// run starts; so is an output that cannot be written.
	runs := make([]checkRun, len(files))
	bad := 0
	for i, f := range files {
		if ctx.Err() != nil {
			return exitAborted
		}
		if name, ok := strings.CutPrefix(f, scenarios.BuiltinPrefix); ok {
			runs[i].sc, err = scenarios.Builtin(name)
		} else {
			runs[i].sc, err = scenarios.LoadFile(f, scenarios.LoadOptions{Force: *force})
		}
		if err != nil {
			fmt.Fprintln(env.stderr, err)
			bad++
		}
	}
	if bad > 0 {
		fmt.Fprintf(env.stderr, "busdrill check: %d invalid scenario%s\n", bad, plural(bad))
		return exitUsage
	}
	if *out != "" {
		for i := range runs {
			if err := runner.Prepare(runner.SimDir(*out, runs[i].sc, loadgen.Shard{})); err != nil {
				return usageError(env, c, "--out: %v", err)
			}
		}
	}
	if *junitPath != "" {
		if err := runner.Prepare(filepath.Dir(*junitPath)); err != nil {
			return usageError(env, c, "--junit: %v", err)
		}
	}
	if *out != "" || *junitPath != "" {
		intr.Pending("the outputs of the scenarios still running, and the summary files (--junit)")
	}

	started := time.Now()
	// Workers take the scenarios in the order given, so that with --jobs 1
	// an interrupt leaves exactly the later ones not run.
	done := make(chan int, len(runs))
	work := make(chan int, len(runs))
	for i := range runs {
		work <- i
	}
	close(work)
	for range min(*jobs, len(runs)) {
		go func() {
			for i := range work {
				if ctx.Err() != nil {
					runs[i].skipped = true
					done <- i
					continue
				}
				t0 := time.Now()
				runs[i].out, runs[i].err = runner.RunSim(ctx, runner.SimOptions{
					Scenario: runs[i].sc, Out: *out, Command: "busdrill run " + runs[i].sc.File + fmt.Sprintf(" --seed %d", runs[i].sc.Seed),
				})
				runs[i].elapsed = time.Since(t0)
				done <- i
			}
		}()
	}
	// Print each line as soon as it and every one before it are done.
	finished := make([]bool, len(runs))
	next := 0
	for range runs {
		finished[<-done] = true
		for ; next < len(runs) && finished[next]; next++ {
			if !*jsonOut {
				printCheckLine(env, &runs[next], *quiet)
			}
		}
	}
	tally := tallyCheck(runs)
	wall := time.Since(started)
	code := exitOK
	if *junitPath != "" {
		if err := writeCheckJUnit(*junitPath, runs); err != nil {
			fmt.Fprintf(env.stderr, "busdrill check: --junit: %v\n", err)
			code = exitWriteFailed
		}
	}
	intr.Pending("")
	if *jsonOut {
		if err := writeCheckJSON(env, runs, *out); err != nil {
			fmt.Fprintf(env.stderr, "busdrill check: %v\n", err)
			return exitWriteFailed
		}
	} else {
		fmt.Fprintf(env.stdout, "%s (%d scenario%s in %.1fs)\n", tally, len(runs), plural(len(runs)), wall.Seconds())
	}
	switch {
	case code != exitOK:
		return code
	case tally.interrupted > 0 || tally.skipped > 0:
		return exitAborted
	case tally.writeFailed > 0:
		return exitWriteFailed
	case tally.broken > 0:
		return exitUsage
	case tally.failed > 0:
		return exitFail
	}
	return exitOK
}

// checkTally counts a check's outcomes.
type checkTally struct {
	passed, failed, broken, interrupted, skipped, writeFailed int
}

func tallyCheck(runs []checkRun) checkTally {
	var t checkTally
	for i := range runs {
		r := &runs[i]
		var werr *runner.WriteError
		switch {
		case r.skipped:
			t.skipped++
		case errors.As(r.err, &werr):
			t.writeFailed++
		case r.err != nil:
			t.broken++
		case r.out.Results.Interrupted:
			t.interrupted++
		case r.out.Results.Verdict == report.VerdictFail:
			t.failed++
		default:
			t.passed++
		}
	}
	return t
}

func (t checkTally) String() string {
	s := fmt.Sprintf("%d passed, %d failed", t.passed, t.failed+t.broken+t.writeFailed)
	if t.interrupted > 0 || t.skipped > 0 {
		s = fmt.Sprintf("interrupted: %s, %d stopped, %d not run", s, t.interrupted, t.skipped)
	}
	return s
}

func printCheckLine(env *cliEnv, r *checkRun, quiet bool) {
	var werr *runner.WriteError
	switch {
	case r.skipped:
		if !quiet {
			fmt.Fprintf(env.stdout, "SKIP  %s (not run: interrupted)\n", r.sc.Name)
		}
	case errors.As(r.err, &werr):
		fmt.Fprintf(env.stdout, "ERROR %s: %v\n", r.sc.Name, r.err)
	case r.err != nil:
		fmt.Fprintf(env.stdout, "ERROR %s: %v\n", r.sc.Name, r.err)
	case r.out.Results.Interrupted:
		fmt.Fprintf(env.stdout, "INTR  %s\n", checkLine(r))
	case r.out.Results.Verdict == report.VerdictFail:
		fmt.Fprintf(env.stdout, "FAIL  %s\n", checkLine(r))
		for _, e := range r.out.Results.Expectations {
			if !e.OK {
				where := ""
				if e.Window != "" && e.Window != "all" {
					where = " [" + e.Window + "]"
				}
				fmt.Fprintf(env.stdout, "      %s%s: observed %s, expected %s\n", e.Name, where, e.Observed, e.Threshold)
			}
		}
	case !quiet:
		fmt.Fprintf(env.stdout, "PASS  %s\n", checkLine(r))
	}
}

func checkLine(r *checkRun) string {
	res := r.out.Results
	met := 0
	for _, e := range res.Expectations {
		if e.OK {
			met++
		}
	}
	return fmt.Sprintf("%-32s %7d orders  %d/%d expectations  %5.2fs", r.sc.Name, res.Orders.Sent, met, len(res.Expectations), r.elapsed.Seconds())
}

// writeCheckJUnit writes one junit.xml with a suite per scenario run.
func writeCheckJUnit(path string, runs []checkRun) error {
	var list []render.JUnitRun
	for i := range runs {
		if r := &runs[i]; r.out != nil && r.out.Results != nil {
			list = append(list, render.JUnitRun{Results: r.out.Results, Meta: render.Meta{
				Command: r.out.Meta.Command, Version: version.String(), ScenarioFile: r.sc.File}})
		}
	}
	var buf strings.Builder
	if err := render.JUnitRuns(&buf, list); err != nil {
		return err
	}
	return render.WriteFile(path, []byte(buf.String()))
}

// checkJSON is one scenario's line of --json.
type checkJSON struct {
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

func writeCheckJSON(env *cliEnv, runs []checkRun, out string) error {
	list := make([]checkJSON, len(runs))
	for i := range runs {
		r := &runs[i]
		j := checkJSON{Scenario: r.sc.Name, File: r.sc.File, Seed: r.sc.Seed, WallSeconds: r.elapsed.Seconds()}
		switch {
		case r.skipped:
			j.Status = "skipped"
		case r.err != nil:
			j.Status, j.Error = "error", r.err.Error()
		case r.out.Results.Interrupted:
			j.Status = "interrupted"
		default:
			j.Status = r.out.Results.Verdict
		}
		if r.out != nil && r.out.Results != nil {
			j.Orders, j.Expectations = &r.out.Results.Orders, r.out.Results.Expectations
			if out != "" {
				j.Results = filepath.Join(r.out.Dir, runner.ResultsFile)
			}
		}
		list[i] = j
	}
	b, err := json.MarshalIndent(map[string]any{"version": version.String(), "scenarios": list, "summary": tallyCheck(runs).json()}, "", "  ")
	if err != nil {
		return err
	}
	_, err = env.stdout.Write(append(b, '\n'))
	return err
}

func (t checkTally) json() map[string]int {
	return map[string]int{"passed": t.passed, "failed": t.failed, "errors": t.broken + t.writeFailed,
		"interrupted": t.interrupted, "skipped": t.skipped}
}

// checkFiles expands the arguments: directories to their *.yaml files
// (sorted), no argument to the built-in library.
func checkFiles(args []string) ([]string, error) {
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
