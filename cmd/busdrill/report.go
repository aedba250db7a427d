package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/busdrill/busdrill/internal/readfile"
	"github.com/busdrill/busdrill/internal/version"
	"github.com/busdrill/busdrill/report"
	"github.com/busdrill/busdrill/report/render"
	"github.com/busdrill/busdrill/runner"
	"github.com/busdrill/busdrill/scenarios"
	"github.com/busdrill/busdrill/units"
	"github.com/spf13/pflag"
)

const reportUsage = `Usage:
  busdrill report RESULTS.json [--html F] [--junit F] [--markdown F]
  busdrill report compare BASE.json NEW.json [--html F] [tolerances]
  busdrill report merge SHARD.json... -o OUT.json [--scenario S]

busdrill report RESULTS.json rebuilds the reports of a run from its
results file, here or anywhere later: report.html (self-contained: open it
from disk), junit.xml (one test case per expectation) and summary.md (for
CI step summaries and pull-request comments). Without flags the three are
written next to RESULTS.json; with flags, only those asked for ("-" is
standard output). The reproduce command and the scenario's file come from
meta.json beside the results when there is one.
  --html F, --junit F, --markdown F   where to write each output

'busdrill help report compare' and 'busdrill help report merge' describe
the other two. Every file is written whole (a temporary file, then a
rename); SIGINT stops the command before it writes anything more (exit 3).

Exit status: 0 done (compare: no regression); 1 compare found a
regression, or merge --scenario found a failed expectation; 2 bad input
or usage; 3 interrupted.`

const reportCompareUsage = `Usage: busdrill report compare BASE.json NEW.json [--html F] [tolerances]

Prints the differences that matter between a baseline and a new run —
latency percentiles of e2e and every hop, loss by cause, in flight, orders
never sent, duplicates, idempotency violations, throughput, quota peaks,
expectations — and exits 1 when the new run regressed beyond the
tolerances. A committed baseline plus this command gates a pull request.
  --html F                 also write a side-by-side report
  --all                    print every compared metric, not only changes
  --latency P              p50/p90/p99 may grow by P (default 10%)
  --tail P                 p99.9 and max may grow by P (default 25%)
  --latency-floor D        latency changes under D never regress (5ms)
  --loss P                 lost, in-flight and never-sent shares may grow
                           by P percentage points (default 0)
  --duplicates P           duplicate shares may grow by P points (0.1%)
  --violations P           violations per order may grow by P points (0)
  --throughput P           completed/s and completion may drop by P (5%)
Shares are compared, not counts, so runs of different sizes compare.
An expectation that passed and now fails, or a new failing one, regresses.

Exit status: 0 no regression, 1 a regression, 2 bad input or usage.`

const reportMergeUsage = `Usage: busdrill report merge SHARD.json... -o OUT.json [--scenario S]

Combines the results of the shards of one run (busdrill run --shard I/N
on several machines) exactly: histograms add, ledgers add, series align
by time. Every shard of the run must be given once, all of the same
scenario, seed and version.
  -o, --out F              the merged results file (required; - for
                           standard output)
  --scenario S             re-evaluate the scenario's expectations on the
                           merged run (a file or a built-in name); without
                           it the merged results have no expectations
The series' per-second percentiles and the quota peaks of a merged run are
approximations (see 'go doc report/render.Merge'); recovery times are
left out.

Exit status: 0 merged; 1 --scenario found a failed expectation; 2 bad
input or usage.`

var reportCmd = &command{
	name: "report", summary: "rebuild reports from results; compare and merge runs", usage: reportUsage,
	subs: []*command{
		{name: "compare", summary: "compare two runs and fail on a regression", usage: reportCompareUsage},
		{name: "merge", summary: "merge the results of a sharded run", usage: reportMergeUsage},
	},
}

func init() {
	reportCmd.run = runReport
	reportCmd.subs[0].run = runReportCompare
	reportCmd.subs[1].run = runReportMerge
	register(reportCmd)
}

func runReport(env *cliEnv, args []string) int {
	c := reportCmd
	fl := newFlags(c)
	htmlOut := fl.String("html", "", "")
	junitOut := fl.String("junit", "", "")
	mdOut := fl.String("markdown", "", "")
	if code, done := parseFlags(env, c, fl, args); done {
		return code
	}
	if fl.NArg() != 1 {
		return usageError(env, c, "give one results file (or: compare, merge)")
	}
	intr := runner.Watch(env.stderr, os.Exit)
	defer intr.Stop()
	path := fl.Arg(0)
	r, err := report.ReadResults(path)
	if err != nil {
		fmt.Fprintf(env.stderr, "busdrill report: %v\n", err)
		return exitUsage
	}
	if intr.Interrupted() {
		return exitAborted
	}
	meta := readRenderMeta(filepath.Dir(path))
	if *htmlOut == "" && *junitOut == "" && *mdOut == "" {
		dir := filepath.Dir(path)
		if err := render.WriteAll(dir, r, meta); err != nil {
			fmt.Fprintf(env.stderr, "busdrill report: %v\n", err)
			return exitUsage
		}
		fmt.Fprintf(env.stdout, "wrote %s, %s and %s\n", filepath.Join(dir, render.HTMLFile),
			filepath.Join(dir, render.JUnitFile), filepath.Join(dir, render.MarkdownFile))
		return exitOK
	}
	for _, o := range []struct {
		path   string
		render func(io.Writer) error
	}{
		{*htmlOut, func(w io.Writer) error { return render.HTML(w, r, meta) }},
		{*junitOut, func(w io.Writer) error { return render.JUnit(w, r, meta) }},
		{*mdOut, func(w io.Writer) error { return render.Markdown(w, r, meta) }},
	} {
		if o.path == "" {
			continue
		}
		if intr.Interrupted() {
			return exitAborted
		}
		if err := writeOutput(env, o.path, o.render); err != nil {
			fmt.Fprintf(env.stderr, "busdrill report: %v\n", err)
			return exitUsage
		}
	}
	return exitOK
}

func runReportCompare(env *cliEnv, args []string) int {
	c := reportCmd.sub("compare")
	fl := newFlags(c)
	htmlOut := fl.String("html", "", "")
	all := fl.Bool("all", false, "")
	for _, t := range toleranceFlags {
		fl.String(t.name, t.def, "")
	}
	fl.String("latency-floor", "5ms", "")
	if code, done := parseFlags(env, c, fl, args); done {
		return code
	}
	if fl.NArg() != 2 {
		return usageError(env, c, "give two results files: BASE.json NEW.json")
	}
	tol, err := parseTolerances(fl)
	if err != nil {
		return usageError(env, c, "%s", err.Error())
	}
	base, err := report.ReadResults(fl.Arg(0))
	if err != nil {
		fmt.Fprintf(env.stderr, "busdrill report compare: %v\n", err)
		return exitUsage
	}
	nw, err := report.ReadResults(fl.Arg(1))
	if err != nil {
		fmt.Fprintf(env.stderr, "busdrill report compare: %v\n", err)
		return exitUsage
	}
	d := render.Compare(base, nw, tol)
	d.WriteText(env.stdout, *all)
	if *htmlOut != "" {
		err := writeOutput(env, *htmlOut, func(w io.Writer) error {
			return render.CompareHTML(w, base, nw, d, render.Meta{Version: version.String()})
		})
		if err != nil {
			fmt.Fprintf(env.stderr, "busdrill report compare: %v\n", err)
			return exitUsage
		}
	}
	if d.Regressed() {
		return exitFail
	}
	return exitOK
}

func runReportMerge(env *cliEnv, args []string) int {
	c := reportCmd.sub("merge")
	fl := newFlags(c)
	out := fl.StringP("out", "o", "", "")
	scenario := fl.String("scenario", "", "")
	if code, done := parseFlags(env, c, fl, args); done {
		return code
	}
	if fl.NArg() == 0 || *out == "" {
		return usageError(env, c, "give the shards' results files and -o OUT.json")
	}
	var shards []*report.Results
	for _, p := range fl.Args() {
		r, err := report.ReadResults(p)
		if err != nil {
			fmt.Fprintf(env.stderr, "busdrill report merge: %v\n", err)
			return exitUsage
		}
		shards = append(shards, r)
	}
	m, err := render.Merge(shards)
	if err != nil {
		fmt.Fprintf(env.stderr, "busdrill report merge: %v\n", err)
		return exitUsage
	}
	evaluated := *scenario != ""
	if evaluated {
		if err := evaluateMerged(m, *scenario); err != nil {
			fmt.Fprintf(env.stderr, "busdrill report merge: --scenario: %v\n", err)
			return exitUsage
		}
	}
	var buf bytes.Buffer
	if err := m.WriteJSON(&buf); err != nil {
		fmt.Fprintf(env.stderr, "busdrill report merge: %v\n", err)
		return exitUsage
	}
	if err := writeOutput(env, *out, func(w io.Writer) error { _, err := w.Write(buf.Bytes()); return err }); err != nil {
		fmt.Fprintf(env.stderr, "busdrill report merge: %v\n", err)
		return exitUsage
	}
	if *out != "-" {
		report.WriteText(env.stdout, m)
		fmt.Fprintf(env.stdout, "\nmerged %d shards into %s\n", len(shards), *out)
		if !evaluated {
			fmt.Fprintln(env.stdout, "expectations not evaluated: pass --scenario to judge the merged run")
		}
	}
	if evaluated && m.Verdict == report.VerdictFail {
		return exitFail
	}
	return exitOK
}

// evaluateMerged evaluates the expectations of the scenario (a file or a
// built-in name) on a merged run, which must be of that scenario.
func evaluateMerged(m *report.Results, scenario string) error {
	sc, err := loadScenario(scenario, scenarios.LoadOptions{Force: true})
	if err != nil {
		return err
	}
	if sc.Name != m.Scenario {
		return fmt.Errorf("%s is scenario %q, the shards ran %q", scenario, sc.Name, m.Scenario)
	}
	m.Evaluate(sc.Conditions())
	return nil
}

// toleranceFlags are compare's fractional tolerances, with their
// defaults.
var toleranceFlags = []struct {
	name, def string
	dst       func(*render.Tolerances) *float64
}{
	{"latency", "10%", func(t *render.Tolerances) *float64 { return &t.Latency }},
	{"tail", "25%", func(t *render.Tolerances) *float64 { return &t.Tail }},
	{"loss", "0%", func(t *render.Tolerances) *float64 { return &t.Loss }},
	{"duplicates", "0.1%", func(t *render.Tolerances) *float64 { return &t.Duplicates }},
	{"violations", "0%", func(t *render.Tolerances) *float64 { return &t.Violations }},
	{"throughput", "5%", func(t *render.Tolerances) *float64 { return &t.Throughput }},
}

// parseTolerances reads compare's tolerance flags; the error names every
// flag that is wrong.
func parseTolerances(fl *pflag.FlagSet) (render.Tolerances, error) {
	tol := render.DefaultTolerances()
	var errs []error
	for _, t := range toleranceFlags {
		v, err := parseFraction(fl.Lookup(t.name).Value.String())
		if err != nil {
			errs = append(errs, fmt.Errorf("--%s: %v", t.name, err))
		}
		*t.dst(&tol) = v
	}
	if d, err := units.ParseDuration(fl.Lookup("latency-floor").Value.String()); err != nil {
		errs = append(errs, fmt.Errorf("--latency-floor: %v", err))
	} else {
		tol.LatencyFloor = d.D()
	}
	return tol, errors.Join(errs...)
}

// writeOutput renders into a buffer and writes it to path whole, or to
// standard output for "-".
func writeOutput(env *cliEnv, path string, fn func(io.Writer) error) error {
	var buf bytes.Buffer
	if err := fn(&buf); err != nil {
		return err
	}
	if path == "-" {
		_, err := env.stdout.Write(buf.Bytes())
		return err
	}
	if dir := filepath.Dir(path); dir != "." {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
	}
	return render.WriteFile(path, buf.Bytes())
}

// readRenderMeta is what the renderers need from meta.json in dir (the
// reproduce command and the scenario's file), when there is one.
func readRenderMeta(dir string) render.Meta {
	meta := render.Meta{Version: version.String()}
	b, err := readfile.Read(filepath.Join(dir, runner.MetaFile), 1<<20)
	if err != nil {
		return meta
	}
	var m runner.Meta
	if json.Unmarshal(b, &m) == nil {
		meta.Command, meta.ScenarioFile = m.Command, m.ScenarioFile
	}
	return meta
}

// parseFraction reads a tolerance: "10%", "0.5%" or a fraction "0.1".
func parseFraction(s string) (float64, error) {
	s = strings.TrimSpace(s)
	pct := strings.HasSuffix(s, "%")
	v, err := strconv.ParseFloat(strings.TrimSuffix(s, "%"), 64)
	if err != nil || v < 0 {
		return 0, fmt.Errorf("%q is not a tolerance: give a percentage (10%%) or a fraction (0.1)", s)
	}
	if pct {
		v /= 100
	}
	return v, nil
}
