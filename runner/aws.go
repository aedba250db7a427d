package runner

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/busdrill/busdrill/live/awsclients"
	"github.com/busdrill/busdrill/live/fixture"
	"github.com/busdrill/busdrill/live/journal"
	"github.com/busdrill/busdrill/live/provision"
	"github.com/busdrill/busdrill/live/schedule"
	"github.com/busdrill/busdrill/live/session"
	"github.com/busdrill/busdrill/loadgen"
	"github.com/busdrill/busdrill/scenarios"
	"github.com/busdrill/busdrill/scenarios/livespec"
)

// InputError is bad input found before anything was called or changed (a
// live section that does not fit the scenario, an account outside the
// allowlist, credentials of the wrong account): the command exits 2.
// Errors of any other type happened on the way, after calls were made.
type InputError struct{ Err error }

func (e *InputError) Error() string { return e.Err.Error() }
func (e *InputError) Unwrap() error { return e.Err }

func badInput(err error) error { return &InputError{Err: err} }

// AWSOptions are what the busdrill aws subcommands share.
type AWSOptions struct {
	Config *livespec.Config
	// LivePath is the live section's file, for the restore command that
	// messages suggest.
	LivePath string
	// EndpointURL sends every call to an AWS-compatible endpoint.
	EndpointURL string
	// RunID names the run; "" makes one (plan, provision) or means every
	// run (teardown).
	RunID string
	Shard loadgen.Shard
	// Journal is the rollback journal (provision: default
	// journal-<run id>.jsonl in the current folder; restore: required).
	Journal     string
	ObserveOnly bool
	Keep        bool
	DryRun      bool
}

// runID is the run id of a subcommand: the given one, else a new one for
// what starts a run, else "teardown" (a teardown without a run id removes
// every run's probes).
func (o *AWSOptions) runID(sc *scenarios.Scenario, starts bool) string {
	switch {
	case o.RunID != "":
		return o.RunID
	case starts:
		return session.NewRunID(sc.Name, time.Now())
	}
	return "teardown"
}

// AWSPlan is every call a live run of sc would make, with the IAM actions
// it needs, the fault schedule's included (busdrill aws plan). It calls
// nothing; faults the live runtime cannot inject are refused.
func AWSPlan(sc *scenarios.Scenario, o AWSOptions) (*provision.Plan, error) {
	layout, err := provision.NewLayout(sc, o.Config, o.runID(sc, true), o.Shard)
	if err != nil {
		return nil, badInput(err)
	}
	if err := schedule.Supported(sc.Faults); err != nil {
		return nil, badInput(err)
	}
	p := provision.NewPlan(layout, provision.PlanOptions{ObserveOnly: o.ObserveOnly, Keep: o.Keep})
	p.AddChaos(schedule.PlanSteps(sc.Faults, layout)...)
	return p, nil
}

// verifiedClients lays out the run, builds the clients of the live
// section and checks with STS that every account's credentials are the
// declared account's, before any change.
func verifiedClients(ctx context.Context, sc *scenarios.Scenario, o AWSOptions, runID string) (*provision.Layout, *awsclients.Set, error) {
	layout, err := provision.NewLayout(sc, o.Config, runID, o.Shard)
	if err != nil {
		return nil, nil, badInput(err)
	}
	set, err := session.Clients(ctx, o.Config, o.EndpointURL, runID, nil)
	if err != nil {
		return nil, nil, badInput(err)
	}
	if err := set.VerifyIdentities(ctx); err != nil {
		return nil, nil, badInput(fmt.Errorf("refusing: %w", err))
	}
	return layout, set, nil
}

// Provisioned is what AWSProvision created.
type Provisioned struct {
	RunID, Journal string
	// Probes are the layout's probes, QueueURLs their queues (same order).
	Probes    []provision.Probe
	QueueURLs []string
}

// AWSProvision creates a run's probe queues and rules, each change
// journaled first (busdrill aws provision). intr learns that an interrupt
// may leave provisioning half done, and how to undo it.
func AWSProvision(ctx context.Context, sc *scenarios.Scenario, o AWSOptions, intr *Interrupts) (*Provisioned, error) {
	id := o.runID(sc, true)
	layout, set, err := verifiedClients(ctx, sc, o, id)
	if err != nil {
		return nil, err
	}
	if o.Journal == "" {
		o.Journal = session.JournalPath(".", id)
	}
	j, err := journal.Open(o.Journal, journal.Options{RunID: id})
	if err != nil {
		return nil, err
	}
	defer j.Close()
	intr.Pending(fmt.Sprintf("provisioning may be half done: 'busdrill aws restore --journal %s --live %s' undoes it", j.Path(), o.LivePath))
	prov, err := provision.Provision(ctx, set, j, layout)
	intr.Pending("")
	if err != nil {
		return nil, fmt.Errorf("%w (journal %s: busdrill aws restore --journal %s --live %s)", err, j.Path(), j.Path(), o.LivePath)
	}
	return &Provisioned{RunID: id, Journal: j.Path(), Probes: layout.Probes, QueueURLs: prov.QueueURLs}, nil
}

// AWSTeardown removes every rule and queue carrying busdrill's tags (only
// the run's with a run id) from the scenario's buses and accounts, or
// lists them with DryRun (busdrill aws teardown). What it removed comes
// back with the error of a teardown that failed half way.
func AWSTeardown(ctx context.Context, sc *scenarios.Scenario, o AWSOptions) ([]provision.Removed, error) {
	layout, set, err := verifiedClients(ctx, sc, o, o.runID(sc, false))
	if err != nil {
		return nil, err
	}
	return provision.Teardown(ctx, set, layout, provision.TeardownOptions{RunID: o.RunID, DryRun: o.DryRun})
}

// AWSDeployFixture creates the scenario's backbone in an emulator
// (busdrill aws deploy-fixture); it refuses, before any call, to run
// without an emulator's endpoint.
func AWSDeployFixture(ctx context.Context, sc *scenarios.Scenario, o AWSOptions) error {
	if o.EndpointURL == "" && o.Config.EndpointURL == "" {
		return badInput(errors.New("deploy-fixture is for emulators: give --endpoint-url"))
	}
	layout, set, err := verifiedClients(ctx, sc, o, o.runID(sc, false))
	if err != nil {
		return err
	}
	return fixture.Deploy(ctx, set, sc.Topology, layout)
}

// AWSRestore undoes everything the journal records, newest first,
// idempotently (busdrill aws restore). Before any call it refuses a live
// section whose accounts are not all allowed, and a journal with a record
// in an account outside the allowlist. The report is that of what was
// done, also when the restore failed half way.
func AWSRestore(ctx context.Context, o AWSOptions) (*journal.Report, error) {
	cfg := o.Config
	if o.Journal == "" {
		return nil, badInput(errors.New("--journal FILE is required"))
	}
	if err := cfg.CheckAllowed(); err != nil {
		return nil, badInput(err)
	}
	recs, err := journal.Read(o.Journal)
	if err != nil {
		return nil, badInput(err)
	}
	allowed := map[string]bool{}
	for _, id := range cfg.AllowedAccounts {
		allowed[id] = true
	}
	for _, r := range recs {
		if r.AccountID != "" && !allowed[r.AccountID] {
			return nil, badInput(fmt.Errorf("refusing: journal record #%d is in account %s, not in allowed_accounts; nothing was called", r.Seq, r.AccountID))
		}
	}
	set, err := session.Clients(ctx, cfg, o.EndpointURL, "restore", nil)
	if err != nil {
		return nil, badInput(err)
	}
	rep, err := journal.Restore(ctx, o.Journal, session.Executor(set), journal.RestoreOptions{DryRun: o.DryRun})
	return &rep, err
}
