package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"time"

	"github.com/spf13/pflag"
	"golang.org/x/sync/errgroup"

	"github.com/busdrill/busdrill/internal/version"
	"github.com/busdrill/busdrill/report"
	"github.com/busdrill/busdrill/scenarios"
	"github.com/busdrill/busdrill/sim/world"
)

const checkUsage = `Usage: busdrill check [DIR|FILE...] [flags]

Runs scenarios in the simulator and fails if any expectation fails: the
command CI runs over a scenario library. A DIR runs every *.yaml file in
it; with no argument, the built-in library runs.

Flags:
  --out DIR    also write each run's results (DIR/<scenario>/<seed>/)
  --jobs N     scenarios run at once (default: the number of CPUs)
  --quiet      print only failures

Each scenario prints one line: PASS or FAIL, its name, orders, how many
expectations held, and the wall time; a failure lists every failed
expectation with what was observed and what was expected.

Exit status: 0 every scenario passed, 1 an expectation failed, 2 a
scenario is invalid or cannot run.`

func init() {
	register(&command{name: "check", summary: "run scenarios and fail if any expectation fails", usage: checkUsage, run: runCheck})
}

type checkResult struct {
	name    string
	res     *report.Results
	err     error
	elapsed time.Duration
}

func runCheck(env *cliEnv, args []string) int {
	fl := pflag.NewFlagSet("check", pflag.ContinueOnError)
	fl.SetOutput(env.stderr)
	fl.Usage = func() {}
	out := fl.String("out", "", "")
	jobs := fl.Int("jobs", runtime.GOMAXPROCS(0), "")
	quiet := fl.Bool("quiet", false, "")
	if err := fl.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			fmt.Fprintln(env.stdout, checkUsage)
			return exitOK
		}
		fmt.Fprintf(env.stderr, "busdrill check: %v\nRun 'busdrill help check' for usage.\n", err)
		return exitUsage
	}
	files, err := checkFiles(fl.Args())
	if err != nil {
		fmt.Fprintf(env.stderr, "busdrill check: %v\n", err)
		return exitUsage
	}

	// Load everything first: an invalid scenario is reported before any
	// run starts.
	scs := make([]*scenarios.Scenario, len(files))
	bad := 0
	for i, f := range files {
		if name, ok := strings.CutPrefix(f, scenarios.BuiltinPrefix); ok {
			scs[i], err = scenarios.Builtin(name)
		} else {
			scs[i], err = scenarios.LoadFile(f)
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

	results := make([]checkResult, len(scs))
	var g errgroup.Group
	g.SetLimit(max(1, *jobs))
	started := time.Now()
	for i, sc := range scs {
		g.Go(func() error {
			t0 := time.Now()
			res, _, err := world.Run(world.Options{Scenario: sc, Version: version.String()})
			results[i] = checkResult{name: sc.Name, res: res, err: err, elapsed: time.Since(t0)}
			if err == nil && *out != "" {
				results[i].err = writeCheckResults(*out, sc, res)
			}
			return nil
		})
	}
	g.Wait()

	failed, broken := 0, 0
	for _, r := range results {
		switch {
		case r.err != nil:
			broken++
			fmt.Fprintf(env.stdout, "ERROR %s: %v\n", r.name, r.err)
		case r.res.Verdict == report.VerdictFail:
			failed++
			fmt.Fprintf(env.stdout, "FAIL  %s\n", checkLine(r))
			for _, e := range r.res.Expectations {
				if !e.OK {
					where := ""
					if e.Window != "" && e.Window != "all" {
						where = " [" + e.Window + "]"
					}
					fmt.Fprintf(env.stdout, "      %s%s: observed %s, expected %s\n", e.Name, where, e.Observed, e.Threshold)
				}
			}
		case !*quiet:
			fmt.Fprintf(env.stdout, "PASS  %s\n", checkLine(r))
		}
	}
	fmt.Fprintf(env.stdout, "%d passed, %d failed", len(results)-failed-broken, failed+broken)
	fmt.Fprintf(env.stdout, " (%d scenario%s in %.1fs)\n", len(results), plural(len(results)), time.Since(started).Seconds())
	switch {
	case broken > 0:
		return exitUsage
	case failed > 0:
		return exitFail
	}
	return exitOK
}

func checkLine(r checkResult) string {
	met := 0
	for _, e := range r.res.Expectations {
		if e.OK {
			met++
		}
	}
	return fmt.Sprintf("%-32s %7d orders  %d/%d expectations  %5.2fs", r.name, r.res.Orders.Sent, met, len(r.res.Expectations), r.elapsed.Seconds())
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

func writeCheckResults(out string, sc *scenarios.Scenario, res *report.Results) error {
	dir := filepath.Join(out, sc.Name, fmt.Sprint(sc.Seed))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := os.Create(filepath.Join(dir, "results.json"))
	if err != nil {
		return err
	}
	defer f.Close()
	return res.WriteJSON(f)
}
