package main

import (
	"fmt"
	"os"
	"runtime"
	"time"

	"github.com/busdrill/busdrill/report"
	"github.com/busdrill/busdrill/runner"
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

	files, err := runner.CheckFiles(fl.Args())
	if err != nil {
		return usageError(env, c, "%v", err)
	}
	runs, bad, err := runner.LoadCheck(ctx, files, *force)
	if err != nil {
		return exitAborted
	}
	for _, err := range bad {
		fmt.Fprintln(env.stderr, err)
	}
	if len(bad) > 0 {
		fmt.Fprintf(env.stderr, "busdrill check: %d invalid scenario%s\n", len(bad), plural(len(bad)))
		return exitUsage
	}
	if err := runner.PrepareCheck(runs, *out, *junitPath); err != nil {
		return usageError(env, c, "%v", err)
	}
	if *out != "" || *junitPath != "" {
		intr.Pending("the outputs of the scenarios still running, and the summary files (--junit)")
	}
	started := time.Now()
	runner.RunCheck(ctx, runs, *out, *jobs, func(r *runner.CheckRun) {
		if !*jsonOut {
			printCheckLine(env, r, *quiet)
		}
	})
	return finishCheck(env, intr, runs, time.Since(started), *out, *junitPath, *jsonOut)
}

// finishCheck writes the summary files, prints the summary and returns
// check's exit code.
func finishCheck(env *cliEnv, intr *runner.Interrupts, runs []runner.CheckRun, wall time.Duration, out, junitPath string, jsonOut bool) int {
	tally := runner.TallyCheck(runs)
	code := exitOK
	if junitPath != "" {
		if err := runner.WriteCheckJUnit(junitPath, runs); err != nil {
			fmt.Fprintf(env.stderr, "busdrill check: --junit: %v\n", err)
			code = exitWriteFailed
		}
	}
	intr.Pending("")
	if jsonOut {
		if err := runner.WriteCheckJSON(env.stdout, runs, out); err != nil {
			fmt.Fprintf(env.stderr, "busdrill check: %v\n", err)
			return exitWriteFailed
		}
	} else {
		fmt.Fprintf(env.stdout, "%s (%d scenario%s in %.1fs)\n", tally, len(runs), plural(len(runs)), wall.Seconds())
	}
	switch {
	case code != exitOK:
		return code
	case tally.Interrupted > 0 || tally.Skipped > 0:
		return exitAborted
	case tally.WriteFailed > 0:
		return exitWriteFailed
	case tally.Broken > 0:
		return exitUsage
	case tally.Failed > 0:
		return exitFail
	}
	return exitOK
}

func printCheckLine(env *cliEnv, r *runner.CheckRun, quiet bool) {
	switch {
	case r.Skipped:
		if !quiet {
			fmt.Fprintf(env.stdout, "SKIP  %s (not run: interrupted)\n", r.Scenario.Name)
		}
	case r.Err != nil:
		fmt.Fprintf(env.stdout, "ERROR %s: %v\n", r.Scenario.Name, r.Err)
	case r.Outcome.Results.Interrupted:
		fmt.Fprintf(env.stdout, "INTR  %s\n", checkLine(r))
	case r.Outcome.Results.Verdict == report.VerdictFail:
		fmt.Fprintf(env.stdout, "FAIL  %s\n", checkLine(r))
		for _, e := range r.Outcome.Results.Expectations {
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

func checkLine(r *runner.CheckRun) string {
	res := r.Outcome.Results
	met := 0
	for _, e := range res.Expectations {
		if e.OK {
			met++
		}
	}
	return fmt.Sprintf("%-32s %7d orders  %d/%d expectations  %5.2fs", r.Scenario.Name, res.Orders.Sent, met, len(res.Expectations), r.Elapsed.Seconds())
}
