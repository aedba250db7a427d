package main

import (
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/busdrill/busdrill/live/drill"
	"github.com/busdrill/busdrill/loadgen"
	"github.com/busdrill/busdrill/report"
	"github.com/busdrill/busdrill/runner"
	"github.com/busdrill/busdrill/scenarios"
)

// awsRunOptions are the flags of `busdrill run --target aws`.
type awsRunOptions struct {
	// LiveFile is --live FILE (default: the scenario's live section, or a
	// rehearsal against a loopback endpoint: runner.LiveSection).
	LiveFile string
	// EndpointURL is --endpoint-url (emulators); AWS_ENDPOINT_URL is
	// honoured by the SDK when it and the live file's are empty.
	EndpointURL string
	ObserveOnly bool
	Keep        bool
	Shard       loadgen.Shard
	RunID       string
	Out         string
	JSON, Quiet bool
	Journal     string
	// SettleEarly ends the drain once nothing is in flight (tests).
	SettleEarly bool
	// Command is the command line to print as "reproduce".
	Command string
}

// runAWS runs a scenario against a deployed backbone (runner.RunLive)
// and prints the outcome like the simulator's, with what the rollback
// restored.
func runAWS(env *cliEnv, intr *runner.Interrupts, sc *scenarios.Scenario, opts awsRunOptions) int {
	cfg, creds, rehearsal, err := runner.LiveSection(sc, opts.LiveFile, opts.EndpointURL)
	if rehearsal {
		fmt.Fprintf(env.stderr, "busdrill run: no live section: rehearsing against %s with the scenario's accounts\n", opts.EndpointURL)
	}
	if err != nil {
		fmt.Fprintf(env.stderr, "busdrill run: %v\n", err)
		return exitUsage
	}
	if opts.RunID == "" && env.getenv != nil {
		opts.RunID = env.getenv("BUSDRILL_RUN_ID")
	}
	lo := runner.LiveOptions{
		Scenario: sc, Config: cfg, EndpointURL: opts.EndpointURL, ObserveOnly: opts.ObserveOnly,
		Keep: opts.Keep, Shard: opts.Shard, RunID: opts.RunID, Out: opts.Out, Journal: opts.Journal,
		SettleEarly: opts.SettleEarly, Command: opts.Command, Log: env.stderr, Interrupts: intr, Credentials: creds,
	}
	if !opts.Quiet && !opts.JSON {
		lo.Progress = liveProgress(env)
	}
	out, err := runner.RunLive(intr.Context(), lo)
	return finishLiveRun(env, out, err, opts)
}

// liveProgress prints a live run's progress every ten seconds.
func liveProgress(env *cliEnv) func(drill.Progress) {
	last := time.Duration(0)
	return func(p drill.Progress) {
		if p.Elapsed-last >= 10*time.Second {
			last = p.Elapsed
			fmt.Fprintf(env.stderr, "  %4.0fs/%.0fs  sent %d  completed %d  late %d  in flight %d\n",
				p.Elapsed.Seconds(), p.Cutoff.Seconds(), p.Sent, p.Completed, p.Late, p.InFlightDeliveries)
		}
	}
}

// finishLiveRun prints a live run's outcome and returns its exit code.
func finishLiveRun(env *cliEnv, out *runner.LiveOutcome, err error, opts awsRunOptions) int {
	if out == nil {
		fmt.Fprintf(env.stderr, "busdrill run: %v\n", err)
		return exitUsage
	}
	if out.Restore != nil && !opts.Quiet {
		fmt.Fprintf(env.stderr, "rolled back: %s", out.Restore)
	}
	res := out.Results
	if res == nil {
		fmt.Fprintf(env.stderr, "busdrill run: %v\njournal: %s (busdrill aws restore --journal %s)\n", err, out.Journal, out.Journal)
		return exitAborted
	}
	switch {
	case opts.JSON:
		env.stdout.Write(out.JSON)
	case !opts.Quiet:
		report.WriteText(env.stdout, res)
		fmt.Fprintf(env.stdout, "\nresults: %s\njournal: %s\nrun id: %s (shard %s)\nreproduce: %s\nran in %.1fs of wall time; %d PutEvents calls, order lag p99 %v\n",
			filepath.Join(out.Dir, runner.ResultsFile), out.Journal, out.RunID, opts.Shard, opts.Command, out.Elapsed.Seconds(), out.Stats.Calls, out.Stats.LagP99)
		if out.Stats.StopReason != "" {
			fmt.Fprintf(env.stdout, "stopped early: %s\n", out.Stats.StopReason)
		}
	}
	var werr *runner.WriteError
	switch {
	case errors.As(err, &werr):
		fmt.Fprintf(env.stderr, "busdrill run: %v\n", err)
		return exitWriteFailed
	case err != nil:
		fmt.Fprintf(env.stderr, "busdrill run: %v\n", err)
		return exitAborted
	case res.Interrupted:
		return exitAborted
	case res.Verdict == report.VerdictFail:
		return exitFail
	}
	return exitOK
}
