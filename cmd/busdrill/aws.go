package main

import (
	"context"
	"errors"
	"fmt"
	"os"

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
	var o runner.AWSOptions
	fl.StringVar(&o.EndpointURL, "endpoint-url", "", "")
	fl.StringVar(&o.RunID, "run-id", "", "")
	shardFlag := fl.String("shard", "", "")
	fl.StringVar(&o.Journal, "journal", "", "")
	fl.BoolVar(&o.ObserveOnly, "observe-only", false, "")
	fl.BoolVar(&o.Keep, "keep", false, "")
	fl.BoolVar(&o.DryRun, "dry-run", false, "")
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
	var err error
	if o.Config, err = livespec.Load(*live); err != nil {
		return fail(exitUsage, "%v", err)
	}
	o.LivePath = *live
	if *shardFlag != "" {
		if o.Shard, err = loadgen.ParseShard(*shardFlag); err != nil {
			return fail(exitUsage, "--shard: %v", err)
		}
	}
	intr := runner.Watch(env.stderr, os.Exit)
	defer intr.Stop()
	ctx := intr.Context()
	if sub == "restore" {
		rep, err := runner.AWSRestore(ctx, o)
		if rep != nil {
			fmt.Fprint(env.stdout, rep.String())
		}
		return awsExit(err, fail)
	}
	if fl.NArg() != 1 {
		return fail(exitUsage, "give one scenario")
	}
	sc, err := loadScenario(fl.Arg(0), scenarios.LoadOptions{Force: true})
	if err != nil {
		return fail(exitUsage, "%v", err)
	}
	switch sub {
	case "plan":
		return awsPlan(env, sc, o, *jsonOut, fail)
	case "provision":
		return awsProvision(env, intr, sc, o, fail)
	case "teardown":
		return awsTeardown(env, ctx, sc, o, fail)
	}
	return awsDeployFixture(env, ctx, sc, o, fail)
}

// awsExit reports err (when not nil) and returns its exit code: 2 for bad
// input found before any call, 3 for a failure on the way.
func awsExit(err error, fail func(int, string, ...any) int) int {
	var bad *runner.InputError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &bad):
		return fail(exitUsage, "%v", err)
	}
	return fail(exitAborted, "%v", err)
}

func awsPlan(env *cliEnv, sc *scenarios.Scenario, o runner.AWSOptions, jsonOut bool, fail func(int, string, ...any) int) int {
	p, err := runner.AWSPlan(sc, o)
	if err != nil {
		return awsExit(err, fail)
	}
	if jsonOut {
		err = p.WriteJSON(env.stdout)
	} else {
		err = p.WriteText(env.stdout)
	}
	return awsExit(err, fail)
}

func awsProvision(env *cliEnv, intr *runner.Interrupts, sc *scenarios.Scenario, o runner.AWSOptions, fail func(int, string, ...any) int) int {
	prov, err := runner.AWSProvision(intr.Context(), sc, o, intr)
	if err != nil {
		return awsExit(err, fail)
	}
	fmt.Fprintf(env.stdout, "run id %s: %d probes provisioned; journal %s\n", prov.RunID, len(prov.QueueURLs), prov.Journal)
	for i, p := range prov.Probes {
		fmt.Fprintf(env.stdout, "  %s: rule %s → queue %s\n", p.Bus.Ref, p.RuleARN, prov.QueueURLs[i])
	}
	return exitOK
}

func awsTeardown(env *cliEnv, ctx context.Context, sc *scenarios.Scenario, o runner.AWSOptions, fail func(int, string, ...any) int) int {
	removed, err := runner.AWSTeardown(ctx, sc, o)
	var bad *runner.InputError
	if errors.As(err, &bad) {
		return awsExit(err, fail)
	}
	verb := "removed"
	if o.DryRun {
		verb = "would remove"
	}
	for _, r := range removed {
		fmt.Fprintf(env.stdout, "%s %s %s (%s, run %s)\n", verb, r.Kind, r.Resource, r.Account, r.RunID)
	}
	fmt.Fprintf(env.stdout, "%d resources %s\n", len(removed), verb)
	return awsExit(err, fail)
}

func awsDeployFixture(env *cliEnv, ctx context.Context, sc *scenarios.Scenario, o runner.AWSOptions, fail func(int, string, ...any) int) int {
	if err := runner.AWSDeployFixture(ctx, sc, o); err != nil {
		return awsExit(err, fail)
	}
	fmt.Fprintf(env.stdout, "deployed %s's backbone: %d buses\n", sc.Name, len(sc.Topology.Buses))
	return exitOK
}
