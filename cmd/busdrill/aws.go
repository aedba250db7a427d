package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/busdrill/busdrill/live/fixture"
	"github.com/busdrill/busdrill/live/journal"
	"github.com/busdrill/busdrill/live/provision"
	"github.com/busdrill/busdrill/live/schedule"
	"github.com/busdrill/busdrill/live/session"
	"github.com/busdrill/busdrill/loadgen"
	"github.com/busdrill/busdrill/runner"
	"github.com/busdrill/busdrill/scenarios"
	"github.com/busdrill/busdrill/scenarios/livespec"
)

const awsUsage = `Usage: busdrill aws <plan|provision|teardown|restore|deploy-fixture> [SCENARIO] --live FILE [flags]

Prepares, inspects and cleans up live runs against a deployed backbone
('busdrill run --target aws' runs one). FILE is the live section: region,
each scenario account's id and how to act as it (profile or role_arn),
allowed_accounts, and optional bus names (see scenarios/livespec).

  plan SCENARIO        print every API call a run would make (account,
                       region, ARN) and the IAM actions it needs; calls
                       nothing
  provision SCENARIO   create the probe queues and rules (tagged with the
                       run id, journaled) and print their URLs
  teardown SCENARIO    remove every rule and queue carrying busdrill's tags
                       from the scenario's buses and accounts (only that
                       run's with --run-id); idempotent
  restore              undo everything a journal records (--journal FILE),
                       newest first, idempotently
  deploy-fixture SCENARIO
                       create the scenario's backbone (buses, policies,
                       rules, bus targets) in an emulator; needs
                       --endpoint-url

Flags:
  --live FILE          the live section (required)
  --endpoint-url URL   send every call to URL (an emulator such as moto)
  --run-id ID          the run (plan, provision, teardown)
  --shard I/N          the shard (plan, provision)
  --journal FILE       the rollback journal (provision, restore)
  --observe-only       plan: the real services do the work
  --keep               plan: no teardown at the end
  --dry-run            teardown, restore: list, change nothing
  --json               plan: print JSON

Every account touched must be in allowed_accounts, or nothing is called.
Credentials come from the standard chain and never appear in output.`

var awsCmd = &command{
	name: "aws", summary: "plan, provision, tear down and restore live runs", usage: awsUsage,
	subs: []*command{
		{name: "plan", summary: "print every API call a live run would make, and the IAM actions it needs", usage: `Usage: busdrill aws plan SCENARIO --live FILE [--run-id ID] [--shard I/N] [--observe-only] [--keep] [--json]

Prints every API call 'busdrill run SCENARIO --target aws' would make —
account, Region, ARN, whether it changes anything — and the IAM actions
it needs, including the fault schedule's. Calls nothing. Faults that
cannot be injected into real accounts are refused here, as by the run.`},
		{name: "provision", summary: "create a run's probe queues and rules (journaled)", usage: `Usage: busdrill aws provision SCENARIO --live FILE [--run-id ID] [--shard I/N] [--journal FILE] [--endpoint-url URL]

Creates the probe queues and rules of a run (tagged with the run id, each
change journaled first) and prints their URLs. 'busdrill aws restore
--journal FILE' or 'busdrill aws teardown' removes them.`},
		{name: "teardown", summary: "remove everything busdrill tagged from a scenario's accounts", usage: `Usage: busdrill aws teardown SCENARIO --live FILE [--run-id ID] [--dry-run] [--endpoint-url URL]

Removes every rule and queue carrying busdrill's tags from the scenario's
buses and accounts (only that run's with --run-id). Idempotent; --dry-run
lists what it would remove.`},
		{name: "restore", summary: "undo everything a rollback journal records", usage: `Usage: busdrill aws restore --journal FILE --live FILE [--dry-run] [--endpoint-url URL]

Undoes everything the journal records, newest first, idempotently and
resumably: an interrupted or crashed run's changes and probes. Every
account in the journal must be in allowed_accounts, or nothing is called.`},
		{name: "deploy-fixture", summary: "create a scenario's backbone in an emulator", usage: `Usage: busdrill aws deploy-fixture SCENARIO --live FILE --endpoint-url URL

Creates the scenario's backbone — buses, policies, rules, bus targets — in
an AWS-compatible emulator, for local rehearsals. Needs --endpoint-url.`},
	},
}

func init() {
	for _, s := range awsCmd.subs {
		s.run = func(env *cliEnv, args []string) int { return runAWSCmd(env, s, args) }
	}
	register(awsCmd)
}

func runAWSCmd(env *cliEnv, c *command, args []string) int {
	sub := c.name
	fl := newFlags(c)
	live := fl.String("live", "", "")
	endpoint := fl.String("endpoint-url", "", "")
	runID := fl.String("run-id", "", "")
	shardFlag := fl.String("shard", "", "")
	journalPath := fl.String("journal", "", "")
	observeOnly := fl.Bool("observe-only", false, "")
	keep := fl.Bool("keep", false, "")
	dryRun := fl.Bool("dry-run", false, "")
	jsonOut := fl.Bool("json", false, "")
	if code, done := parseFlags(env, c, fl, args); done {
		return code
	}
	fail := func(code int, format string, a ...any) int {
		fmt.Fprintf(env.stderr, "busdrill aws %s: %s\n", sub, fmt.Sprintf(format, a...))
		return code
	}
	if *live == "" {
		return fail(exitUsage, "--live FILE is required")
	}
	cfg, err := livespec.Load(*live)
	if err != nil {
		return fail(exitUsage, "%v", err)
	}
	var shard loadgen.Shard
	if *shardFlag != "" {
		if shard, err = loadgen.ParseShard(*shardFlag); err != nil {
			return fail(exitUsage, "--shard: %v", err)
		}
	}
	intr := runner.Watch(env.stderr, os.Exit)
	defer intr.Stop()
	ctx := intr.Context()

	if sub == "restore" {
		return awsRestore(ctx, env, cfg, *endpoint, *journalPath, *dryRun, fail)
	}
	if fl.NArg() != 1 {
		return fail(exitUsage, "give one scenario")
	}
	sc, err := loadScenario(fl.Arg(0), scenarios.LoadOptions{Force: true})
	if err != nil {
		return fail(exitUsage, "%v", err)
	}
	id := *runID
	if id == "" {
		switch sub {
		case "plan", "provision":
			id = session.NewRunID(sc.Name, time.Now())
		default:
			id = "teardown"
		}
	}
	layout, err := provision.NewLayout(sc, cfg, id, shard)
	if err != nil {
		return fail(exitUsage, "%v", err)
	}
	if sub == "plan" {
		if err := schedule.Supported(sc.Faults); err != nil {
			return fail(exitUsage, "%v", err)
		}
		p := provision.NewPlan(layout, provision.PlanOptions{ObserveOnly: *observeOnly, Keep: *keep})
		p.AddChaos(schedule.PlanSteps(sc.Faults, layout)...)
		if *jsonOut {
			err = p.WriteJSON(env.stdout)
		} else {
			err = p.WriteText(env.stdout)
		}
		if err != nil {
			return fail(exitAborted, "%v", err)
		}
		return exitOK
	}
	set, err := session.Clients(ctx, cfg, *endpoint, id, nil)
	if err != nil {
		return fail(exitUsage, "%v", err)
	}
	if err := set.VerifyIdentities(ctx); err != nil {
		return fail(exitUsage, "refusing: %v", err)
	}
	switch sub {
	case "provision":
		if *journalPath == "" {
			*journalPath = session.JournalPath(".", id)
		}
		j, err := journal.Open(*journalPath, journal.Options{RunID: id})
		if err != nil {
			return fail(exitAborted, "%v", err)
		}
		defer j.Close()
		intr.Pending(fmt.Sprintf("provisioning may be half done: 'busdrill aws restore --journal %s --live %s' undoes it", j.Path(), *live))
		prov, err := provision.Provision(ctx, set, j, layout)
		intr.Pending("")
		if err != nil {
			return fail(exitAborted, "%v (journal %s: busdrill aws restore --journal %s --live %s)", err, j.Path(), j.Path(), *live)
		}
		fmt.Fprintf(env.stdout, "run id %s: %d probes provisioned; journal %s\n", id, len(prov.QueueURLs), j.Path())
		for i, p := range layout.Probes {
			fmt.Fprintf(env.stdout, "  %s: rule %s → queue %s\n", p.Bus.Ref, p.RuleARN, prov.QueueURLs[i])
		}
	case "teardown":
		opts := provision.TeardownOptions{RunID: *runID, DryRun: *dryRun}
		removed, err := provision.Teardown(ctx, set, layout, opts)
		verb := "removed"
		if *dryRun {
			verb = "would remove"
		}
		for _, r := range removed {
			fmt.Fprintf(env.stdout, "%s %s %s (%s, run %s)\n", verb, r.Kind, r.Resource, r.Account, r.RunID)
		}
		fmt.Fprintf(env.stdout, "%d resources %s\n", len(removed), verb)
		if err != nil {
			return fail(exitAborted, "%v", err)
		}
	case "deploy-fixture":
		if *endpoint == "" && cfg.EndpointURL == "" {
			return fail(exitUsage, "deploy-fixture is for emulators: give --endpoint-url")
		}
		if err := fixture.Deploy(ctx, set, sc.Topology, layout); err != nil {
			return fail(exitAborted, "%v", err)
		}
		fmt.Fprintf(env.stdout, "deployed %s's backbone: %d buses\n", sc.Name, len(sc.Topology.Buses))
	}
	return exitOK
}

func awsRestore(ctx context.Context, env *cliEnv, cfg *livespec.Config, endpoint, path string, dryRun bool, fail func(int, string, ...any) int) int {
	if path == "" {
		return fail(exitUsage, "--journal FILE is required")
	}
	if err := cfg.CheckAllowed(); err != nil {
		return fail(exitUsage, "%v", err)
	}
	recs, err := journal.Read(path)
	if err != nil {
		return fail(exitUsage, "%v", err)
	}
	allowed := map[string]bool{}
	for _, id := range cfg.AllowedAccounts {
		allowed[id] = true
	}
	for _, r := range recs {
		if r.AccountID != "" && !allowed[r.AccountID] {
			return fail(exitUsage, "refusing: journal record #%d is in account %s, not in allowed_accounts; nothing was called", r.Seq, r.AccountID)
		}
	}
	set, err := session.Clients(ctx, cfg, endpoint, "restore", nil)
	if err != nil {
		return fail(exitUsage, "%v", err)
	}
	rep, err := journal.Restore(ctx, path, session.Executor(set), journal.RestoreOptions{DryRun: dryRun})
	fmt.Fprint(env.stdout, rep.String())
	if err != nil {
		return fail(exitAborted, "%v", err)
	}
	return exitOK
}
