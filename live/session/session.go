package session

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/busdrill/busdrill/live/actuators"
	"github.com/busdrill/busdrill/live/awsclients"
	"github.com/busdrill/busdrill/live/drill"
	"github.com/busdrill/busdrill/live/journal"
	"github.com/busdrill/busdrill/live/provision"
	"github.com/busdrill/busdrill/live/schedule"
	"github.com/busdrill/busdrill/loadgen"
	"github.com/busdrill/busdrill/report"
	"github.com/busdrill/busdrill/scenarios"
	"github.com/busdrill/busdrill/scenarios/livespec"
)

// Options configure a whole live run.
type Options struct {
	Scenario    *scenarios.Scenario
	Config      *livespec.Config
	EndpointURL string // overrides Config.EndpointURL
	RunID       string // "" generates one; shards of one run must share it
	Shard       loadgen.Shard
	ObserveOnly bool
	// Keep leaves the probes in place (chaos changes are still rolled
	// back); teardown or restore removes them later.
	Keep bool
	// JournalPath is the rollback journal (created if needed).
	JournalPath string
	Version     string
	// Credentials replace the standard chain for the base credentials
	// (tests).
	Credentials aws.CredentialsProvider
	SettleEarly bool
	Log         io.Writer
	Progress    func(drill.Progress)

	// chaos replaces the scenario's fault schedule (tests: see
	// export_test.go).
	chaos func(ctx context.Context, env *schedule.Env) error
}

// target returns the actuator target of a scenario account.
func target(set *awsclients.Set, account string) (actuators.Target, error) {
	c, err := set.Account(account)
	if err != nil {
		return actuators.Target{}, err
	}
	return actuators.Target{Account: account, AccountID: c.Account.ID, Region: c.Region, EventBridge: c.EventBridge}, nil
}

// Outcome is what a run produced.
type Outcome struct {
	Results *report.Results
	Stats   *drill.Stats
	Layout  *provision.Layout
	// Restore reports the rollback (nil with Keep: then only chaos
	// changes were reverted).
	Restore *journal.Report
	// ChaosErr is what the fault schedule returned.
	ChaosErr error
	// Start is when the run's time 0 was on the wall clock (zero when the
	// drill never started): fault times are relative to it.
	Start time.Time
}

// NewRunID makes a run id: "<scenario>-<UTC time>-<4 random hex>".
func NewRunID(scenario string, now time.Time) string {
	var b [2]byte
	rand.Read(b[:])
	return fmt.Sprintf("%s-%s-%s", scenario, now.UTC().Format("20060102t150405"), hex.EncodeToString(b[:]))
}

// Clients builds the clients of a configuration (no call is made).
func Clients(ctx context.Context, cfg *livespec.Config, endpoint, runID string, creds aws.CredentialsProvider) (*awsclients.Set, error) {
	opts := awsclients.OptionsOf(cfg, runID, endpoint)
	opts.Credentials = creds
	conc := cfg.Publisher.Concurrency
	if conc <= 0 {
		conc = livespec.DefaultConcurrency
	}
	opts.HTTPClient = drill.HTTPClient(conc)
	return awsclients.New(ctx, opts, cfg.Accounts)
}

// Executor is the journal's AWS executor over a client set.
func Executor(set *awsclients.Set) journal.AWSExecutor {
	return journal.AWSExecutor{Resolve: func(name string) (journal.AccountClients, error) {
		c, err := set.Account(name)
		if err != nil {
			return journal.AccountClients{}, err
		}
		return journal.AccountClients{AccountID: c.Account.ID, Region: c.Region, EventBridge: c.EventBridge, SQS: c.SQS}, nil
	}}
}

// provisioning reports whether an intent is one of provision's.
func provisioning(r journal.Record) bool {
	return r.Action == "sqs:CreateQueue" || r.Action == "events:PutRule"
}

// Run is a whole live run: guard (allowlist, before any call), verify
// identities, provision the probes (journaled), drill, then roll back:
// chaos changes always, the probes unless Keep. ctx cancellation (SIGINT,
// SIGTERM) stops the traffic; the rollback still runs (on a fresh
// context), and the partial results come back marked interrupted.
func Run(ctx context.Context, opts Options) (*Outcome, error) {
	sc, cfg := opts.Scenario, opts.Config
	if err := schedule.Supported(sc.Faults); err != nil {
		return nil, err
	}
	if opts.Log == nil {
		opts.Log = io.Discard
	}
	if opts.RunID == "" {
		opts.RunID = NewRunID(sc.Name, time.Now())
	}
	layout, err := provision.NewLayout(sc, cfg, opts.RunID, opts.Shard)
	if err != nil {
		return nil, err
	}
	set, err := Clients(ctx, cfg, opts.EndpointURL, opts.RunID, opts.Credentials)
	if err != nil {
		return nil, err
	}
	vctx, cancel := context.WithTimeout(ctx, time.Minute)
	err = set.VerifyIdentities(vctx)
	cancel()
	if err != nil {
		return nil, fmt.Errorf("refusing to run: %w", err)
	}
	if opts.JournalPath == "" {
		return nil, errors.New("a journal path is required")
	}
	j, err := journal.Open(opts.JournalPath, journal.Options{RunID: opts.RunID})
	if err != nil {
		return nil, err
	}
	defer j.Close()
	out := &Outcome{Layout: layout}
	x := Executor(set)
	rollback := func() error {
		rctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		if opts.Keep {
			return actuators.RevertAll(rctx, j, x, func(r journal.Record) bool { return !provisioning(r) })
		}
		rep, err := j.Restore(rctx, x, journal.RestoreOptions{})
		out.Restore = &rep
		return err
	}

	prov, err := provision.Provision(ctx, set, j, layout)
	if err != nil {
		if rerr := rollback(); rerr != nil {
			err = errors.Join(err, fmt.Errorf("rollback: %w (journal %s; run 'busdrill aws restore --journal %s')", rerr, j.Path(), j.Path()))
		}
		return out, err
	}

	faults := actuators.NewClientFaults(sc.Seed)
	clients := map[string]drill.AccountClients{}
	for _, name := range set.Names() {
		c, _ := set.Account(name)
		clients[name] = drill.AccountClients{EventBridge: actuators.WithFaults(c.EventBridge, faults), SQS: c.SQS}
	}
	env := &schedule.Env{Layout: layout, Journal: j, Faults: faults,
		Target: func(account string) (actuators.Target, error) { return target(set, account) }}
	dopts := drill.Options{
		Scenario: sc, Layout: layout, Clients: clients, ProbeURLs: prov.QueueURLs, Version: opts.Version,
		ObserveOnly: opts.ObserveOnly, Publisher: cfg.Publisher, Probes: cfg.Probes, Stop: cfg.Stop,
		MaxDuration: cfg.Stop.MaxDuration.D(), SettleEarly: opts.SettleEarly,
		Log: opts.Log, Progress: opts.Progress,
	}
	runChaos := opts.chaos
	if runChaos == nil {
		runChaos = func(ctx context.Context, env *schedule.Env) error { return schedule.Run(ctx, env, sc.Faults) }
	}
	chaosCtx, cancelChaos := context.WithCancel(ctx)
	defer cancelChaos()
	chaosDone := make(chan error, 1)
	var chaosStarted atomic.Bool
	dopts.OnStart = func(start time.Time) {
		env.Start = start
		chaosStarted.Store(true)
		go func() { chaosDone <- runChaos(chaosCtx, env) }()
	}
	d, err := drill.New(dopts)
	if err != nil {
		rollback()
		return out, err
	}
	env.Recorder, env.Clock = d, d.Clock()
	res, stats, err := d.Run(ctx)
	cancelChaos()
	if chaosStarted.Load() {
		out.ChaosErr = <-chaosDone
		out.Start = env.Start
	}
	faults.Off()
	out.Results, out.Stats = res, stats
	if rerr := rollback(); rerr != nil {
		err = errors.Join(err, fmt.Errorf("rollback: %w (journal %s; run 'busdrill aws restore --journal %s')", rerr, j.Path(), j.Path()))
	}
	return out, err
}

// JournalPath is the default journal of a run: DIR/journal-<runid>.jsonl.
func JournalPath(dir, runID string) string {
	return filepath.Join(dir, "journal-"+strings.ReplaceAll(runID, "/", "_")+".jsonl")
}
