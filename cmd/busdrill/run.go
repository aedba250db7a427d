package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/pflag"

	"github.com/busdrill/busdrill/loadgen"
	"github.com/busdrill/busdrill/report"
	"github.com/busdrill/busdrill/report/render"
	"github.com/busdrill/busdrill/runner"
	"github.com/busdrill/busdrill/scenarios"
	"github.com/busdrill/busdrill/units"
)

const runUsage = `Usage: busdrill run [SCENARIO] [flags]

Runs a scenario against the in-memory EventBridge model, in virtual time
from its seed, prints a summary and writes the results: results.json (the
contract, docs/results.md), meta.json (wall-clock facts), and report.html,
junit.xml and summary.md rendered from them.

SCENARIO is a scenario file, or the name of a built-in scenario
('busdrill scenarios list'); without it, the built-in reference scenario
runs: a bus account and the orders and delivery accounts, steady order
traffic for ten minutes, delivery taking about five seconds.

Flags:
  --seed N          seed of every random stream (default: the scenario's)
  --out DIR         where results go (default results): the run writes
                    DIR/<scenario>/<seed>/results.json and meta.json
  --rate R          override the rate of constant traffic, e.g. 200/s
  --duration D      override the duration of constant traffic, e.g. 30m
  --shard I/N       run shard I (0-based) of N of the arrival schedule
  --json            print results.json on standard output instead of the
                    summary
  --dry-run         print the plan and run nothing: orders planned, virtual
                    time, and estimates of engine events, wall time and
                    peak memory from two small pilot runs
  --force           run a scenario whose plan exceeds busdrill's ceiling of
                    10^10 orders (10 billion) per run
  --trace FILE      write every model observation as a JSON line
  --target sim|aws  sim (default): the in-memory model, in virtual time;
                    aws: the deployed backbone, on the wall clock (see the
                    README's "Game-day against staging")
  --live FILE       aws: the live section (accounts, allowlist, region);
                    default: the scenario's own live: section; against a
                    loopback --endpoint-url (busdrill serve) without one,
                    the scenario's accounts as they are
  --endpoint-url U  aws: an AWS-compatible endpoint (emulators; also
                    AWS_ENDPOINT_URL)
  --observe-only    aws: the real services do the work; busdrill watches
  --keep            aws: leave the probes in place after the run
  --run-id ID       aws: the run id (shards of one run share it; also
                    BUSDRILL_RUN_ID)
  --journal FILE    aws: the rollback journal (default: in the results)
  --quiet           print nothing but errors (no progress line either; the
                    progress line also stays off when standard error is not
                    a terminal)

Expectations (the scenario's expect list) are METRIC OP VALUE, OP one of
< <= > >= == !=, or a boolean metric alone:
  e2e.STAT, hop.HOP.STAT   latency; STAT is count, min, mean, p50, p90, p99,
                           p999 or max; HOP is put_ack, ingest_to_delivery,
                           handler or delivery_to_order_updated (e2e.p99 < 8s)
  orders.planned|sent|late|completed|incomplete   counts (orders.incomplete == 0)
  completion               completed / sent (completion >= 99.9%)
  loss, loss.dlq, loss.CAUSE   deliveries lost in total, in DLQs, or by cause
  in_flight                deliveries still travelling at cut-off
  duplicates.by_id, duplicates.by_key, idempotency.violations
  ledger.balanced          every route balances
  recovery.FAULT           time from the fault's end until the backbone is
                           healthy again (recovery.storm < 1m)
VALUE may also be another metric of the same kind (loss.rule-disabled ==
orders.sent). An expectation the run measured nothing for (loss when no
delivery was expected, e2e with no completed journey) fails with "no
data", unless it is written {that: ..., no_data: pass}. An expectation may be limited to a window: all (default),
steady (outside every fault and its lead-in and grace periods),
during:FAULT, or after:FAULT; journeys belong to a window by their
intended send time. docs/results.md describes every number.

Ceilings: a run plans at most 10^10 orders (--force lifts it) and covers
at most a year of virtual time; scenario files are at most 4 MiB. The
output folder is checked writable before the run starts.

SIGINT or SIGTERM stops the run within a second; its partial results are
written, marked interrupted (exit 3). A second signal quits at once,
saying what was not written.

Exit status: 0 every expectation met, 1 an expectation failed, 2 bad input
or usage (found before the run), 3 interrupted (partial results are
written, marked interrupted), 4 the run ended but its outputs could not be
written (the results are printed instead).

The same scenario, seed and version always give a byte-identical
results.json; wall-clock facts (when, how long, where) go to meta.json.`

var runCmd = &command{name: "run", summary: "run a scenario in the simulator (or against AWS) and measure it", usage: runUsage}

func init() {
	runCmd.run = runRun
	register(runCmd)
}

// runFlags are the flags of busdrill run.
type runFlags struct {
	seed                          uint64
	out, rate, duration, shard    string
	trace, target, live, endpoint string
	runID, journal                string
	json, quiet, dryRun, force    bool
	observeOnly, keep             bool
}

func (f *runFlags) register(fl *pflag.FlagSet) {
	fl.Uint64Var(&f.seed, "seed", 0, "")
	fl.StringVar(&f.out, "out", "results", "")
	fl.StringVar(&f.rate, "rate", "", "")
	fl.StringVar(&f.duration, "duration", "", "")
	fl.StringVar(&f.shard, "shard", "", "")
	fl.BoolVar(&f.json, "json", false, "")
	fl.StringVar(&f.trace, "trace", "", "")
	fl.BoolVar(&f.quiet, "quiet", false, "")
	fl.BoolVar(&f.dryRun, "dry-run", false, "")
	fl.BoolVar(&f.force, "force", false, "")
	fl.StringVar(&f.target, "target", "sim", "")
	fl.StringVar(&f.live, "live", "", "")
	fl.StringVar(&f.endpoint, "endpoint-url", "", "")
	fl.BoolVar(&f.observeOnly, "observe-only", false, "")
	fl.BoolVar(&f.keep, "keep", false, "")
	fl.StringVar(&f.runID, "run-id", "", "")
	fl.StringVar(&f.journal, "journal", "", "")
}

// check refuses flags that do not go together, and parses --shard.
func (f *runFlags) check(fl *pflag.FlagSet) (loadgen.Shard, error) {
	if fl.NArg() > 1 {
		return loadgen.Shard{}, fmt.Errorf("one scenario at a time (got %d); 'busdrill check' runs several", fl.NArg())
	}
	switch f.target {
	case "sim", "aws":
	default:
		return loadgen.Shard{}, fmt.Errorf("--target must be sim or aws, not %q", clip(f.target, 20))
	}
	if f.target == "sim" {
		for _, name := range []string{"live", "endpoint-url", "observe-only", "keep", "run-id", "journal"} {
			if fl.Changed(name) {
				return loadgen.Shard{}, fmt.Errorf("--%s applies to --target aws", name)
			}
		}
	} else if f.trace != "" {
		return loadgen.Shard{}, errors.New("--trace observes the model: it has no meaning with --target aws")
	}
	if f.shard == "" {
		return loadgen.Shard{}, nil
	}
	shard, err := loadgen.ParseShard(f.shard)
	if err != nil {
		return shard, fmt.Errorf("--shard: %v", err)
	}
	return shard, nil
}

func runRun(env *cliEnv, args []string) int {
	c := runCmd
	fl := newFlags(c)
	var f runFlags
	f.register(fl)
	if code, done := parseFlags(env, c, fl, args); done {
		return code
	}
	shard, err := f.check(fl)
	if err != nil {
		return usageError(env, c, "%v", err)
	}
	intr := runner.Watch(env.stderr, os.Exit)
	defer intr.Stop()
	ctx := intr.Context()

	sc, err := loadScenario(fl.Arg(0), scenarios.LoadOptions{Force: f.force})
	if err != nil {
		fmt.Fprintln(env.stderr, err)
		return exitUsage
	}
	if fl.Changed("seed") {
		sc.Seed = f.seed
	}
	if err := overrideTraffic(sc, f.rate, f.duration); err != nil {
		return usageError(env, c, "%v", err)
	}
	if fl.Changed("rate") || fl.Changed("duration") || shard.Count > 1 {
		if err := sc.CheckPlan(uint64(shard.Count), f.force, overridesNamed(fl)); err != nil {
			fmt.Fprintf(env.stderr, "busdrill run: %v\n", err)
			return exitUsage
		}
	}
	command := reproduce(sc, fl, shard)
	switch {
	case f.dryRun:
		return dryRunPlan(env, ctx, sc, shard, f.force)
	case f.target == "aws":
		return runAWS(env, intr, sc, awsRunOptions{
			LiveFile: f.live, EndpointURL: f.endpoint, ObserveOnly: f.observeOnly, Keep: f.keep, Shard: shard,
			RunID: f.runID, Out: f.out, JSON: f.json, Quiet: f.quiet, Journal: f.journal, Command: command,
		})
	}
	return runSim(env, intr, sc, &f, shard, command)
}

// runSim runs a scenario in the simulator (runner.RunSim), with the
// progress line on a terminal, and prints the outcome.
func runSim(env *cliEnv, intr *runner.Interrupts, sc *scenarios.Scenario, f *runFlags, shard loadgen.Shard, command string) int {
	opts := runner.SimOptions{Scenario: sc, Shard: shard, Out: f.out, Command: command, Interrupts: intr}
	if f.trace != "" {
		trace, err := os.Create(f.trace)
		if err != nil {
			return usageError(env, runCmd, "--trace: %v", err)
		}
		defer trace.Close()
		opts.Trace = trace
	}
	prog := render.NewProgress(env.stderr, !f.quiet && !f.json && render.IsTerminal(env.stderr))
	if prog != nil {
		opts.Progress = prog.Update
	}
	o, err := runner.RunSim(intr.Context(), opts)
	prog.Done()
	return finishRun(env, o, err, f.json, f.quiet)
}

// finishRun prints a run's outcome and returns its exit code.
func finishRun(env *cliEnv, o *runner.Outcome, err error, jsonOut, quiet bool) int {
	var werr *runner.WriteError
	switch {
	case errors.As(err, &werr):
		// The results exist, only not on disk: print them rather than
		// lose them.
		fmt.Fprintf(env.stderr, "busdrill run: %v\n", err)
		if o != nil && o.JSON != nil && jsonOut {
			env.stdout.Write(o.JSON)
		} else if o != nil && o.Results != nil && !quiet {
			report.WriteText(env.stdout, o.Results)
		}
		return exitWriteFailed
	case err != nil:
		fmt.Fprintf(env.stderr, "busdrill run: %v\n", err)
		return exitUsage
	}
	res := o.Results
	switch {
	case jsonOut:
		env.stdout.Write(o.JSON)
	case !quiet:
		report.WriteText(env.stdout, res)
		fmt.Fprintf(env.stdout, "\nresults: %s (report.html, junit.xml and summary.md beside it)\nreproduce: %s\nran in %.2fs of wall time (%d engine events)\n",
			filepath.Join(o.Dir, runner.ResultsFile), o.Meta.Command, o.Elapsed.Seconds(), o.Meta.EngineEvents)
	}
	switch {
	case res.Interrupted:
		return exitAborted
	case res.Verdict == report.VerdictFail:
		return exitFail
	}
	return exitOK
}

// dryRunPlan prints what the run would cost, and whether it would be
// refused; it runs nothing but two small pilots.
func dryRunPlan(env *cliEnv, ctx context.Context, sc *scenarios.Scenario, shard loadgen.Shard, force bool) int {
	p, err := runner.Estimate(ctx, sc, shard, force)
	if err != nil {
		if ctx.Err() != nil {
			return exitAborted
		}
		fmt.Fprintf(env.stderr, "busdrill run: %v\n", err)
		return exitUsage
	}
	p.WriteText(env.stdout)
	if p.Refusal != "" {
		return exitUsage
	}
	return exitOK
}

// overridesNamed names the command-line overrides of the traffic, for a
// ceiling's message.
func overridesNamed(fl *pflag.FlagSet) string {
	var parts []string
	for _, name := range []string{"rate", "duration", "shard"} {
		if fl.Changed(name) {
			parts = append(parts, "--"+name+" "+fl.Lookup(name).Value.String())
		}
	}
	return strings.Join(parts, " and ")
}

// loadScenario loads a scenario file, or a built-in scenario by name; ""
// is the default scenario.
func loadScenario(arg string, opts scenarios.LoadOptions) (*scenarios.Scenario, error) {
	if arg == "" {
		return scenarios.Builtin(scenarios.DefaultScenario)
	}
	if _, err := os.Stat(arg); err == nil {
		return scenarios.LoadFile(arg, opts)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	if name, ok := strings.CutPrefix(arg, scenarios.BuiltinPrefix); ok {
		return scenarios.Builtin(strings.TrimSuffix(name, ".yaml"))
	}
	if _, ok := scenarios.BuiltinSource(arg); ok {
		return scenarios.Builtin(arg)
	}
	return nil, fmt.Errorf("%s: no such file, and no built-in scenario of that name (busdrill scenarios list)", clip(arg, 200))
}

// overrideTraffic applies --rate and --duration to constant traffic.
func overrideTraffic(sc *scenarios.Scenario, rate, duration string) error {
	if rate == "" && duration == "" {
		return nil
	}
	c, ok := sc.Traffic.Arrivals.Shape.(loadgen.Constant)
	if !ok {
		return fmt.Errorf("--rate and --duration override constant traffic; %s's traffic is %s", sc.Name, sc.Traffic.Arrivals.Shape)
	}
	if rate != "" {
		r, err := units.ParseRate(rate)
		if err != nil {
			return fmt.Errorf("--rate: %v", err)
		}
		c.Rate = r.PerSecond()
	}
	if duration != "" {
		d, err := units.ParseDuration(duration)
		if err != nil {
			return fmt.Errorf("--duration: %v", err)
		}
		c.Duration = d.D()
	}
	sc.Traffic.Arrivals.Shape = c
	if errs := sc.Traffic.Arrivals.Validate(); len(errs) > 0 {
		return errors.Join(errs...)
	}
	return nil
}

// reproduce is the command that reruns this run exactly: the scenario,
// seed, traffic overrides and shard, and for a live run its target, live
// section, endpoint and mode.
func reproduce(sc *scenarios.Scenario, fl *pflag.FlagSet, shard loadgen.Shard) string {
	parts := []string{"busdrill", "run"}
	if fl.NArg() > 0 {
		parts = append(parts, fl.Arg(0))
	}
	parts = append(parts, "--seed", strconv.FormatUint(sc.Seed, 10))
	for _, name := range []string{"rate", "duration", "target", "live", "endpoint-url"} {
		if fl.Changed(name) {
			parts = append(parts, "--"+name, fl.Lookup(name).Value.String())
		}
	}
	for _, name := range []string{"observe-only", "force"} {
		if fl.Changed(name) {
			parts = append(parts, "--"+name)
		}
	}
	if shard.Count > 1 {
		parts = append(parts, "--shard", shard.String())
	}
	return strings.Join(parts, " ")
}
