package main

import (
	"bytes"

	"context"
	"fmt"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/busdrill/busdrill/internal/version"
	"github.com/busdrill/busdrill/live/config"
	"github.com/busdrill/busdrill/live/drill"
	"github.com/busdrill/busdrill/live/schedule"
	"github.com/busdrill/busdrill/live/session"
	"github.com/busdrill/busdrill/loadgen"
	"github.com/busdrill/busdrill/report"
	"github.com/busdrill/busdrill/scenarios"
)

// awsRunOptions are the flags of `busdrill run --target aws`.
type awsRunOptions struct {
	// LiveFile is --live FILE: the live section (region, accounts,
	// allowlist, ...). Required until scenarios carry a live: section.
	LiveFile string
	// Live, when not nil, is used instead of LiveFile (a scenario's own
	// live section, or tests).
	Live *config.Config
	// EndpointURL is --endpoint-url (emulators); AWS_ENDPOINT_URL is
	// honoured by the SDK when it and the live file's are empty.
	EndpointURL string
	// ObserveOnly is --observe-only: the real services do the work.
	ObserveOnly bool
	// Keep is --keep: leave the probes for a later run or teardown.
	Keep bool
	// Shard is --shard i/n; RunID is --run-id (shards of one run must
	// share it; default: generated, or $BUSDRILL_RUN_ID).
	Shard loadgen.Shard
	RunID string
	// Out is --out DIR; results go to DIR/<scenario>/aws/<run id>[/shard-i-of-n].
	Out string
	// JSON prints results.json instead of the summary; Quiet prints
	// nothing but errors.
	JSON, Quiet bool
	// Journal is --journal FILE (default: in the run's results folder).
	Journal string
	// SettleEarly ends the drain once nothing is in flight (tests).
	SettleEarly bool
	// Command is the command line to print as "reproduce".
	Command string
}

// runAWS runs a scenario against a deployed backbone and writes results
// like the simulator does, with target "aws". SIGINT/SIGTERM stop the
// traffic, roll back, and write the partial results marked interrupted.
func runAWS(env *cliEnv, sc *scenarios.Scenario, opts awsRunOptions) int {
	cfg := opts.Live
	var creds aws.CredentialsProvider
	if cfg == nil && opts.LiveFile == "" && config.LoopbackEndpoint(opts.EndpointURL) {
		// A rehearsal against busdrill serve: the scenario's own ids, and
		// fixed credentials (never the user's) to assume roles with.
		cfg, creds = config.Rehearsal(sc.Topology), rehearsalCredentials
		fmt.Fprintf(env.stderr, "busdrill run: no live section: rehearsing against %s with the scenario's accounts\n", opts.EndpointURL)
	}
	if cfg == nil {
		if opts.LiveFile == "" {
			fmt.Fprintln(env.stderr, "busdrill run: --target aws needs a live section: the scenario's live: key or --live FILE (region, accounts, allowed_accounts), unless --endpoint-url is a local emulator such as busdrill serve")
			return exitUsage
		}
		var err error
		if cfg, err = config.Load(opts.LiveFile); err != nil {
			fmt.Fprintf(env.stderr, "busdrill run: --live: %v\n", err)
			return exitUsage
		}
	}
	if err := schedule.Supported(sc.Faults); err != nil {
		fmt.Fprintf(env.stderr, "busdrill run: %v\n", err)
		return exitUsage
	}
	if opts.RunID == "" && env.getenv != nil {
		opts.RunID = env.getenv("BUSDRILL_RUN_ID")
	}
	if opts.RunID == "" {
		opts.RunID = session.NewRunID(sc.Name, time.Now())
	}
	if opts.Out == "" {
		opts.Out = "results"
	}
	dir := filepath.Join(opts.Out, sc.Name, "aws", opts.RunID)
	if opts.Shard.Count > 1 {
		dir = filepath.Join(dir, fmt.Sprintf("shard-%d-of-%d", opts.Shard.Index, opts.Shard.Count))
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		fmt.Fprintf(env.stderr, "busdrill run: %v\n", err)
		return exitAborted
	}
	if opts.Journal == "" {
		opts.Journal = filepath.Join(dir, "journal.jsonl")
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	defer drill.TuneGC()()
	progress := func(p drill.Progress) {}
	if !opts.Quiet && !opts.JSON {
		last := time.Duration(0)
		progress = func(p drill.Progress) {
			if p.Elapsed-last >= 10*time.Second {
				last = p.Elapsed
				fmt.Fprintf(env.stderr, "  %4.0fs/%.0fs  sent %d  completed %d  late %d  in flight %d\n",
					p.Elapsed.Seconds(), p.Cutoff.Seconds(), p.Sent, p.Completed, p.Late, p.InFlightDeliveries)
			}
		}
	}
	started := time.Now()
	// The fault schedule runs from the session's start; when the run
	// ends (or is interrupted) its context is cancelled, so every fault
	// still in force is reverted at once (the session's rollback of the
	// journal covers a crash).
	chaosCtx, cancelChaos := context.WithCancel(ctx)
	defer cancelChaos()
	var chaosStarted atomic.Bool
	chaosDone := make(chan error, 1)
	onStart := func(e *session.Env) {
		chaosStarted.Store(true)
		chaosDone <- schedule.Run(chaosCtx, e, sc.Faults)
	}
	out, err := session.Run(ctx, session.Options{
		Scenario: sc, Config: cfg, EndpointURL: opts.EndpointURL, RunID: opts.RunID, Shard: opts.Shard, Credentials: creds,
		ObserveOnly: opts.ObserveOnly, Keep: opts.Keep, JournalPath: opts.Journal, Version: version.String(),
		SettleEarly: opts.SettleEarly, Log: env.stderr, Progress: progress, OnStart: onStart,
	})
	cancelChaos()
	if chaosStarted.Load() {
		if cerr := <-chaosDone; cerr != nil {
			fmt.Fprintf(env.stderr, "busdrill run: chaos: %v\n", cerr)
		}
	}
	elapsed := time.Since(started)
	if out == nil || out.Results == nil {
		fmt.Fprintf(env.stderr, "busdrill run: %v\n", err)
		if out != nil {
			fmt.Fprintf(env.stderr, "journal: %s (busdrill aws restore --journal %s)\n", opts.Journal, opts.Journal)
			return exitAborted
		}
		return exitUsage
	}
	res := out.Results
	var buf bytes.Buffer
	if werr := res.WriteJSON(&buf); werr != nil {
		fmt.Fprintf(env.stderr, "busdrill run: %v\n", werr)
		return exitAborted
	}
	meta := awsMeta{
		runMeta: runMeta{
			Started: started.UTC().Format(time.RFC3339), WallSeconds: elapsed.Seconds(),
			Version: version.String(), Go: runtime.Version(), GOMAXPROCS: runtime.GOMAXPROCS(0),
			Command: opts.Command,
		},
		RunID: opts.RunID, Journal: opts.Journal, Stats: out.Stats,
	}
	meta.Host, _ = os.Hostname()
	if werr := writeRunOutputs(dir, buf.Bytes(), meta, res, opts.Command); werr != nil {
		fmt.Fprintf(env.stderr, "busdrill run: %v\n", werr)
		return exitAborted
	}
	switch {
	case opts.JSON:
		env.stdout.Write(buf.Bytes())
	case !opts.Quiet:
		report.WriteText(env.stdout, res)
		fmt.Fprintf(env.stdout, "\nresults: %s\njournal: %s\nrun id: %s (shard %s)\nran in %.1fs of wall time; %d PutEvents calls, order lag p99 %v\n",
			filepath.Join(dir, "results.json"), opts.Journal, opts.RunID, opts.Shard, elapsed.Seconds(), out.Stats.Calls, out.Stats.LagP99)
		if out.Stats.StopReason != "" {
			fmt.Fprintf(env.stdout, "stopped early: %s\n", out.Stats.StopReason)
		}
	}
	if err != nil {
		fmt.Fprintf(env.stderr, "busdrill run: %v\n", err)
		return exitAborted
	}
	switch {
	case res.Interrupted:
		return exitAborted
	case res.Verdict == report.VerdictFail:
		return exitFail
	}
	return exitOK
}

// rehearsalCredentials are the base credentials of a rehearsal without a
// live section: a local emulator only reads the access key id, and the
// user's own credentials stay out of it.
var rehearsalCredentials = credentials.NewStaticCredentialsProvider("AKIABUSDRILLREHEARSAL", "busdrill-rehearsal", "")

// awsMeta is meta.json of a live run.
type awsMeta struct {
	runMeta
	RunID   string       `json:"run_id"`
	Journal string       `json:"journal"`
	Stats   *drill.Stats `json:"live_stats,omitempty"`
}
