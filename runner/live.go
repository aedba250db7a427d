package runner

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/busdrill/busdrill/internal/version"
	"github.com/busdrill/busdrill/live/drill"
	"github.com/busdrill/busdrill/live/journal"
	"github.com/busdrill/busdrill/live/schedule"
	"github.com/busdrill/busdrill/live/session"
	"github.com/busdrill/busdrill/loadgen"
	"github.com/busdrill/busdrill/report/render"
	"github.com/busdrill/busdrill/scenarios"
	"github.com/busdrill/busdrill/scenarios/livespec"
)

// LiveOptions configure a run against a deployed backbone.
type LiveOptions struct {
	Scenario *scenarios.Scenario
	// Config is the live section (the scenario's own, or --live FILE).
	Config *livespec.Config
	// EndpointURL sends every call to an AWS-compatible endpoint.
	EndpointURL string
	ObserveOnly bool
	Keep        bool
	Shard       loadgen.Shard
	// RunID names the run (shards of one run share it); "" makes one.
	RunID string
	// Out is the results root: DIR/<scenario>/aws/<run id>[/shard-i-of-n].
	Out string
	// Journal is the rollback journal (default: in the run's folder).
	Journal string
	// SettleEarly ends the drain once nothing is in flight (tests).
	SettleEarly bool
	// Command is the command line that reproduces the run.
	Command string
	// Log receives progress lines and the rollback report.
	Log io.Writer
	// Progress, when set, is called about once a second.
	Progress   func(drill.Progress)
	Interrupts *Interrupts
	// Credentials replace the standard chain for the base credentials (a
	// rehearsal against busdrill serve; tests).
	Credentials aws.CredentialsProvider
}

// LiveOutcome is a live run's outcome.
type LiveOutcome struct {
	Outcome
	RunID   string
	Journal string
	Stats   *drill.Stats
	// Restore is the rollback's report (nil when the probes were kept).
	Restore *journal.Report
}

// LiveDir is the folder of a live run under out.
func LiveDir(out string, sc *scenarios.Scenario, runID string, shard loadgen.Shard) string {
	dir := filepath.Join(out, sc.Name, "aws", runID)
	if shard.Count > 1 {
		dir = filepath.Join(dir, fmt.Sprintf("shard-%d-of-%d", shard.Index, shard.Count))
	}
	return dir
}

// RunLive runs a scenario against a deployed backbone and writes its
// outputs like the simulator's, with target "aws". Faults the live
// runtime cannot inject are refused, and the output folder is checked
// writable, before any call. ctx cancellation (SIGINT) stops the traffic;
// the session rolls back and the partial results come back marked
// interrupted. A non-nil outcome with an error means the run happened (its
// results, if any, are written) and something failed on the way: the
// rollback, the chaos schedule, or writing (a *WriteError).
func RunLive(ctx context.Context, opts LiveOptions) (*LiveOutcome, error) {
	sc := opts.Scenario
	if err := schedule.Supported(sc.Faults); err != nil {
		return nil, err
	}
	if opts.RunID == "" {
		opts.RunID = session.NewRunID(sc.Name, time.Now())
	}
	if opts.Out == "" {
		opts.Out = "results"
	}
	out := &LiveOutcome{RunID: opts.RunID}
	out.Dir = LiveDir(opts.Out, sc, opts.RunID, opts.Shard)
	if err := Prepare(out.Dir); err != nil {
		return nil, err
	}
	if opts.Journal == "" {
		opts.Journal = filepath.Join(out.Dir, "journal.jsonl")
	}
	out.Journal = opts.Journal
	if opts.Log == nil {
		opts.Log = io.Discard
	}
	opts.Interrupts.pendLive(out.Dir, opts.Journal, true)
	defer drill.TuneGC()()
	started := time.Now()
	so, err := session.Run(ctx, session.Options{
		Scenario: sc, Config: opts.Config, EndpointURL: opts.EndpointURL, RunID: opts.RunID, Shard: opts.Shard,
		ObserveOnly: opts.ObserveOnly, Keep: opts.Keep, JournalPath: opts.Journal, Version: version.String(),
		SettleEarly: opts.SettleEarly, Log: opts.Log, Progress: opts.Progress, Credentials: opts.Credentials,
	})
	out.Elapsed = time.Since(started)
	if so == nil {
		return nil, err
	}
	out.Stats, out.Restore = so.Stats, so.Restore
	opts.Interrupts.pendLive(out.Dir, opts.Journal, false)
	if so.ChaosErr != nil {
		err = joinErr(err, fmt.Errorf("chaos: %w", so.ChaosErr))
	}
	if so.Results == nil {
		return out, err
	}
	out.Results = so.Results
	out.Meta = newMeta(started, out.Elapsed, opts.Command, sc.File)
	out.Meta.RunID, out.Meta.Journal, out.Meta.Stats = opts.RunID, opts.Journal, so.Stats
	if out.JSON, err = EncodeResults(out.Results); err != nil {
		return out, &WriteError{Dir: out.Dir, Err: err}
	}
	if werr := Write(out.Dir, Outputs{Results: out.Results, JSON: out.JSON, Meta: out.Meta,
		Render: render.Meta{Command: opts.Command, Version: version.String(), ScenarioFile: sc.File}}); werr != nil {
		return out, werr
	}
	opts.Interrupts.pend("")
	return out, err
}

// pendLive records a live run's pending work: the rollback while traffic
// runs, then the outputs.
func (i *Interrupts) pendLive(dir, journal string, rollback bool) {
	if rollback {
		i.Pending(fmt.Sprintf("the rollback did not run: undo the run's changes with 'busdrill aws restore --journal %s --live LIVE.yaml'; results in %s", journal, dir))
		return
	}
	i.pend(dir)
}

func joinErr(a, b error) error {
	if a == nil {
		return b
	}
	return fmt.Errorf("%w; %w", a, b)
}
