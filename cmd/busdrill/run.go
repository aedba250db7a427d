package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/spf13/pflag"

	"github.com/busdrill/busdrill/internal/version"
	"github.com/busdrill/busdrill/live/config"
	"github.com/busdrill/busdrill/loadgen"
	"github.com/busdrill/busdrill/report"
	"github.com/busdrill/busdrill/report/render"
	"github.com/busdrill/busdrill/scenarios"
	"github.com/busdrill/busdrill/sim/world"
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
orders.sent). An expectation may be limited to a window: all (default),
steady (outside every fault and its lead-in and grace periods),
during:FAULT, or after:FAULT; journeys belong to a window by their
intended send time. docs/results.md describes every number.

Exit status: 0 every expectation met, 1 an expectation failed, 2 bad input
or usage, 3 interrupted (partial results are written, marked interrupted).

The same scenario, seed and version always give a byte-identical
results.json; wall-clock facts (when, how long, where) go to meta.json.`

func init() {
	register(&command{name: "run", summary: "run a scenario in the simulator and measure it", usage: runUsage, run: runRun})
}

func runRun(env *cliEnv, args []string) int {
	fl := pflag.NewFlagSet("run", pflag.ContinueOnError)
	fl.SetOutput(env.stderr)
	fl.Usage = func() {}
	seed := fl.Uint64("seed", 0, "")
	out := fl.String("out", "results", "")
	rate := fl.String("rate", "", "")
	duration := fl.String("duration", "", "")
	shardFlag := fl.String("shard", "", "")
	jsonOut := fl.Bool("json", false, "")
	tracePath := fl.String("trace", "", "")
	quiet := fl.Bool("quiet", false, "")
	target := fl.String("target", "sim", "")
	livePath := fl.String("live", "", "")
	endpoint := fl.String("endpoint-url", "", "")
	observeOnly := fl.Bool("observe-only", false, "")
	keep := fl.Bool("keep", false, "")
	runID := fl.String("run-id", "", "")
	journalPath := fl.String("journal", "", "")
	if err := fl.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			fmt.Fprintln(env.stdout, runUsage)
			return exitOK
		}
		fmt.Fprintf(env.stderr, "busdrill run: %v\nRun 'busdrill help run' for usage.\n", err)
		return exitUsage
	}
	if fl.NArg() > 1 {
		fmt.Fprintf(env.stderr, "busdrill run: one scenario at a time (got %d); 'busdrill check' runs several\n", fl.NArg())
		return exitUsage
	}
	sc, err := loadScenario(fl.Arg(0))
	if err != nil {
		fmt.Fprintln(env.stderr, err)
		return exitUsage
	}
	if fl.Changed("seed") {
		sc.Seed = *seed
	}
	if err := overrideTraffic(sc, *rate, *duration); err != nil {
		fmt.Fprintf(env.stderr, "busdrill run: %v\n", err)
		return exitUsage
	}
	var shard loadgen.Shard
	if *shardFlag != "" {
		if shard, err = loadgen.ParseShard(*shardFlag); err != nil {
			fmt.Fprintf(env.stderr, "busdrill run: --shard: %v\n", err)
			return exitUsage
		}
	}

	switch *target {
	case "aws":
		if *tracePath != "" {
			fmt.Fprintln(env.stderr, "busdrill run: --trace observes the model: it has no meaning with --target aws")
			return exitUsage
		}
		return runAWS(env, sc, awsRunOptions{
			LiveFile: *livePath, Live: liveSection(sc, *livePath), EndpointURL: *endpoint,
			ObserveOnly: *observeOnly, Keep: *keep, Shard: shard, RunID: *runID,
			Out: *out, JSON: *jsonOut, Quiet: *quiet, Journal: *journalPath,
			Command: reproduce(sc, fl, shard),
		})
	case "sim":
		for _, name := range []string{"live", "endpoint-url", "observe-only", "keep", "run-id", "journal"} {
			if fl.Changed(name) {
				fmt.Fprintf(env.stderr, "busdrill run: --%s applies to --target aws\n", name)
				return exitUsage
			}
		}
	default:
		fmt.Fprintf(env.stderr, "busdrill run: --target must be sim or aws, not %q\n", *target)
		return exitUsage
	}

	var trace *os.File
	if *tracePath != "" {
		if trace, err = os.Create(*tracePath); err != nil {
			fmt.Fprintf(env.stderr, "busdrill run: --trace: %v\n", err)
			return exitUsage
		}
		defer trace.Close()
	}

	var stopped atomic.Bool
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)
	go func() {
		if _, ok := <-sigs; ok {
			stopped.Store(true)
		}
	}()

	opts := world.Options{Scenario: sc, Shard: shard, Version: version.String(), Stop: stopped.Load}
	if trace != nil {
		opts.Trace = trace
	}
	prog := render.NewProgress(env.stderr, !*quiet && !*jsonOut && render.IsTerminal(env.stderr))
	if prog != nil {
		opts.Progress = prog.Update
	}
	started := time.Now()
	res, events, err := world.Run(opts)
	prog.Done()
	if err != nil {
		fmt.Fprintf(env.stderr, "busdrill run: %v\n", err)
		return exitUsage
	}
	elapsed := time.Since(started)

	dir := filepath.Join(*out, sc.Name, strconv.FormatUint(sc.Seed, 10))
	if res.Shard != nil {
		dir = filepath.Join(dir, fmt.Sprintf("shard-%d-of-%d", res.Shard.Index, res.Shard.Count))
	}
	var buf bytes.Buffer
	if err := res.WriteJSON(&buf); err != nil {
		fmt.Fprintf(env.stderr, "busdrill run: %v\n", err)
		return exitAborted
	}
	meta := runMeta{
		Started: started.UTC().Format(time.RFC3339), WallSeconds: elapsed.Seconds(),
		Version: version.String(), Go: runtime.Version(), GOMAXPROCS: runtime.GOMAXPROCS(0),
		Command: reproduce(sc, fl, shard), EngineEvents: events,
		EngineEventsPerSecond: float64(events) / elapsed.Seconds(),
	}
	meta.Host, _ = os.Hostname()
	if err := writeRunOutputs(dir, buf.Bytes(), meta, res, meta.Command); err != nil {
		fmt.Fprintf(env.stderr, "busdrill run: %v\n", err)
		return exitAborted
	}

	switch {
	case *jsonOut:
		env.stdout.Write(buf.Bytes())
	case !*quiet:
		report.WriteText(env.stdout, res)
		fmt.Fprintf(env.stdout, "\nresults: %s (report.html, junit.xml and summary.md beside it)\nreproduce: %s\nran in %.2fs of wall time (%d engine events)\n",
			filepath.Join(dir, "results.json"), meta.Command, elapsed.Seconds(), events)
	}
	switch {
	case res.Interrupted:
		return exitAborted
	case res.Verdict == report.VerdictFail:
		return exitFail
	}
	return exitOK
}

// liveSection is the scenario's own live section, unless --live names a
// file (which takes precedence).
func liveSection(sc *scenarios.Scenario, livePath string) *config.Config {
	if livePath != "" {
		return nil
	}
	return sc.Live
}

// loadScenario loads a scenario file, or a built-in scenario by name; ""
// is the default scenario.
func loadScenario(arg string) (*scenarios.Scenario, error) {
	if arg == "" {
		return scenarios.Builtin(scenarios.DefaultScenario)
	}
	if _, err := os.Stat(arg); err == nil {
		return scenarios.LoadFile(arg)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	if name, ok := strings.CutPrefix(arg, scenarios.BuiltinPrefix); ok {
		return scenarios.Builtin(strings.TrimSuffix(name, ".yaml"))
	}
	if _, ok := scenarios.BuiltinSource(arg); ok {
		return scenarios.Builtin(arg)
	}
	return nil, fmt.Errorf("%s: no such file, and no built-in scenario of that name (busdrill scenarios list)", arg)
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

// reproduce is the command that reruns this run exactly.
func reproduce(sc *scenarios.Scenario, fl *pflag.FlagSet, shard loadgen.Shard) string {
	parts := []string{"busdrill", "run"}
	if fl.NArg() > 0 {
		parts = append(parts, fl.Arg(0))
	}
	parts = append(parts, "--seed", strconv.FormatUint(sc.Seed, 10))
	for _, name := range []string{"rate", "duration"} {
		if fl.Changed(name) {
			parts = append(parts, "--"+name, fl.Lookup(name).Value.String())
		}
	}
	if shard.Count > 1 {
		parts = append(parts, "--shard", shard.String())
	}
	return strings.Join(parts, " ")
}

// runMeta is meta.json: the wall-clock facts of a run, kept out of
// results.json so that results stay reproducible.
type runMeta struct {
	Started               string  `json:"started"`
	WallSeconds           float64 `json:"wall_seconds"`
	Version               string  `json:"version"`
	Go                    string  `json:"go"`
	GOMAXPROCS            int     `json:"gomaxprocs"`
	Host                  string  `json:"host"`
	Command               string  `json:"command"`
	EngineEvents          uint64  `json:"engine_events"`
	EngineEventsPerSecond float64 `json:"engine_events_per_second"`
}

// writeRunOutputs writes what every run leaves in its folder: results.json,
// meta.json (any JSON value: the simulator's and the live runtime's differ)
// and the reports rendered from the results.
func writeRunOutputs(dir string, results []byte, meta any, res *report.Results, command string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "results.json"), results, 0o644); err != nil {
		return fmt.Errorf("writing results: %w", err)
	}
	m, err := json.MarshalIndent(meta, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "meta.json"), append(m, '\n'), 0o644); err != nil {
		return fmt.Errorf("writing meta.json: %w", err)
	}
	if err := render.WriteAll(dir, res, render.Meta{Command: command, Version: version.String()}); err != nil {
		return fmt.Errorf("writing reports: %w", err)
	}
	return nil
}
