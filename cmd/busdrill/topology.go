package main

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/busdrill/busdrill/internal/version"
	"github.com/busdrill/busdrill/live/awsread"
	"github.com/busdrill/busdrill/runner"
	"github.com/busdrill/busdrill/scenarios"
	"github.com/busdrill/busdrill/scenarios/livespec"
	"github.com/busdrill/busdrill/topology/assemble"
	"github.com/busdrill/busdrill/topology/cfn"
	"github.com/busdrill/busdrill/topology/lint"
	"github.com/busdrill/busdrill/units"
)

const topologyUsage = `Usage: busdrill topology <import|lint> [arguments]

  import (--cfn ACCOUNT=TEMPLATE ... | --live FILE) [flags]
      Read a backbone from CloudFormation templates (as cdk synth writes
      them to cdk.out/, JSON or YAML) or from deployed accounts, and print
      a complete scenario around it: the topology in full, a service
      stand-in for each Lambda handler, a small traffic section and
      expectations to edit. 'busdrill scenarios validate' accepts it and
      'busdrill run' runs it as it is.

  lint [SCENARIO | --cfn ACCOUNT=TEMPLATE ... | --live FILE] [flags]
      Analyse a backbone before traffic does: the fan-out matrix (whose
      events reach which account, per detail-type where patterns say so),
      the quota picture, and every finding with its severity, resource,
      place and a one-line fix: self-delivery, missing fan-outs and policy
      statements, forwards the destination's policy denies, second hops
      EventBridge refuses, loops, targets without a DLQ or with the 24h
      default retry against an SLO, DLQs without a redrive plan, disabled
      and never-matching rules, buses without a catch-all log, quotas, and
      what an import could not carry. SCENARIO is a scenario file or a
      built-in scenario.

Sources:
  --cfn ACCOUNT=TEMPLATE  a template and the 12-digit account it deploys
                          to; repeat for every stack (an account may have
                          several). Accounts are named after their first
                          stack (OrdersStack is orders) unless --name says.
  --live FILE             the live section (region, accounts, allowlist):
                          read the deployed accounts with read-only calls
                          (ListEventBuses, DescribeEventBus, ListRules,
                          DescribeRule, ListTargetsByRule, GetQueueUrl,
                          GetQueueAttributes), listed first as a plan on
                          standard error; accounts outside allowed_accounts
                          are refused before any call

Flags:
  --region R              the Region of every stack (default us-east-1;
                          --live: the live section's)
  --param NAME=VALUE      a template parameter (for every template that
                          declares it); defaults apply otherwise
  --name ACCOUNT=NAME     name an account (12-digit id) in the topology
  --org ORG_ID            the AWS Organization of every account (for
                          policies with an aws:PrincipalOrgID condition)
  --plan                  --live: print the calls and call nothing
  --endpoint-url URL      --live: an AWS-compatible endpoint (emulators,
                          busdrill serve)
  --topology-only         import: print the topology section alone
  --json                  lint: print the report as JSON
  --sarif                 lint: print the report as SARIF 2.1.0 (code
                          scanning)
  --fail-on SEVERITY      lint: exit 1 when a finding is at least this
                          severe: error (default), warning, note or none
  --slo DURATION          lint: the end-to-end latency objective, e.g. 8s
                          (a scenario's tightest e2e expectation otherwise)

What cannot be resolved (a parameter without default, an export no
template makes, a bus of an account not given) fails the import, naming
the file, line and logical id. What the topology cannot carry (an SNS
target, an input transformer, a Deny statement) is named in comments at
the top of the output and on standard error; nothing is dropped silently.

Exit status: 0 printed (lint: no finding at --fail-on), 1 lint found
something at --fail-on or above, 2 bad input or usage.`

var topologyCmd = &command{
	name: "topology", summary: "import a backbone from CloudFormation or deployed accounts; lint it", usage: topologyUsage,
	subs: []*command{
		{name: "import", summary: "print a complete scenario around a backbone read from templates or accounts", usage: topologyUsage},
		{name: "lint", summary: "find backbone bugs before traffic does", usage: topologyUsage},
	},
}

func init() {
	topologyCmd.subs[0].run = runTopologyImport
	topologyCmd.subs[1].run = runTopologyLint
	register(topologyCmd)
}

// sourceFlags are the flags that say where a topology comes from.
type sourceFlags struct {
	cfn      []string
	live     string
	region   string
	params   []string
	names    []string
	org      string
	plan     bool
	endpoint string
}

func (s *sourceFlags) register(fl *pflag.FlagSet) {
	fl.StringArrayVar(&s.cfn, "cfn", nil, "")
	fl.StringVar(&s.live, "live", "", "")
	fl.StringVar(&s.region, "region", "", "")
	fl.StringArrayVar(&s.params, "param", nil, "")
	fl.StringArrayVar(&s.names, "name", nil, "")
	fl.StringVar(&s.org, "org", "", "")
	fl.BoolVar(&s.plan, "plan", false, "")
	fl.StringVar(&s.endpoint, "endpoint-url", "", "")
}

// describe names the source for a lint report.
func (s *sourceFlags) describe(res *assemble.Result) string {
	if s.live != "" {
		return "the accounts of " + s.live + " (Region " + res.Topology.RegionOrDefault() + ")"
	}
	var files []string
	for _, spec := range s.cfn {
		_, file, _ := strings.Cut(spec, "=")
		files = append(files, file)
	}
	return "templates " + strings.Join(files, ", ") + " (Region " + res.Topology.RegionOrDefault() + ")"
}

func (s *sourceFlags) given() bool { return len(s.cfn) > 0 || s.live != "" }

// importOnly reports whether a flag of an import source is set.
func (s *sourceFlags) importOnly() bool {
	return s.region != "" || len(s.params) > 0 || len(s.names) > 0 || s.org != "" || s.plan || s.endpoint != ""
}

// load imports the topology the flags name. plan reports that --plan
// printed the live plan and nothing was read.
func (s *sourceFlags) load(env *cliEnv) (res *assemble.Result, sources []string, plan bool, err error) {

	if len(s.cfn) > 0 && s.live != "" {
		return nil, nil, false, errors.New("give --cfn or --live, not both")
	}
	names, err := keyValues("--name", s.names)
	if err != nil {
		return nil, nil, false, err
	}
	if s.org != "" && !strings.HasPrefix(s.org, "o-") {
		return nil, nil, false, fmt.Errorf("--org %q: an organization id starts with o-", s.org)
	}
	if s.live != "" {
		return s.loadLive(env)
	}
	if s.plan || s.endpoint != "" {
		return nil, nil, false, errors.New("--plan and --endpoint-url go with --live")
	}
	params, err := keyValues("--param", s.params)
	if err != nil {
		return nil, nil, false, err
	}
	var inputs []cfn.Input
	for _, spec := range s.cfn {
		acct, file, ok := strings.Cut(spec, "=")
		if !ok || acct == "" || file == "" {
			return nil, nil, false, fmt.Errorf("--cfn %q: write ACCOUNT=TEMPLATE (a 12-digit account id and a template file)", spec)
		}
		data, err := cfn.ReadFile(file)
		if err != nil {
			return nil, nil, false, err
		}
		inputs = append(inputs, cfn.Input{Account: acct, File: file, Data: data})
		sources = append(sources, fmt.Sprintf("%s (account %s)", file, acct))
	}
	res, err = cfn.Import(inputs, cfn.Options{Region: s.region, Params: params, Names: names, OrgID: s.org})
	return res, sources, false, err
}

// loadLive reads the deployed accounts of the live section: the plan of
// its calls first (on standard error, or alone with --plan), then the
// read-only calls, under the live section's guards.
func (s *sourceFlags) loadLive(env *cliEnv) (*assemble.Result, []string, bool, error) {
	if s.region != "" || len(s.params) > 0 || len(s.names) > 0 {
		return nil, nil, false, errors.New("--region, --param and --name go with --cfn (the live section names the Region and the accounts)")
	}
	cfg, err := livespec.Load(s.live)
	if err != nil {
		return nil, nil, false, err
	}
	o := awsread.Options{EndpointURL: s.endpoint, OrgID: s.org}
	plan := awsread.Plan(cfg, o)
	if s.plan {
		return nil, nil, true, plan.WriteText(env.stdout)
	}
	if err := plan.WriteText(env.stderr); err != nil {
		return nil, nil, false, err
	}
	ctx, stop := runner.UntilSignal()
	defer stop()
	res, err := awsread.Import(ctx, cfg, o)
	if err != nil {
		return nil, nil, false, err
	}
	return res, []string{"the accounts of " + s.live + " (read-only calls)"}, false, nil
}

// keyValues parses repeated KEY=VALUE flags.
func keyValues(flag string, specs []string) (map[string]string, error) {
	out := map[string]string{}
	for _, spec := range specs {
		k, v, ok := strings.Cut(spec, "=")
		if !ok || k == "" {
			return nil, fmt.Errorf("%s %q: write KEY=VALUE", flag, spec)
		}
		if _, dup := out[k]; dup {
			return nil, fmt.Errorf("%s %s is given twice", flag, k)
		}
		out[k] = v
	}
	return out, nil
}

func runTopologyImport(env *cliEnv, args []string) int {
	c := topologyCmd.sub("import")
	fl := newFlags(c)
	var src sourceFlags
	src.register(fl)
	topoOnly := fl.Bool("topology-only", false, "")
	fail := func(format string, a ...any) int {
		fmt.Fprintf(env.stderr, "busdrill topology import: %s\n", fmt.Sprintf(format, a...))
		return exitUsage
	}
	if code, done := parseFlags(env, c, fl, args); done {
		return code
	}
	if fl.NArg() > 0 {
		return fail("unexpected argument %q", fl.Arg(0))
	}
	if !src.given() {
		return fail("give the templates (--cfn ACCOUNT=TEMPLATE ...) or the live section (--live FILE)")
	}
	res, sources, planned, err := src.load(env)
	if err != nil {
		return fail("%v", err)
	}
	if planned {
		return exitOK
	}
	if err := res.ProblemsError(); err != nil {
		return fail("%v", err)
	}
	for _, n := range res.Notes {
		fmt.Fprintf(env.stderr, "busdrill topology import: %s: %s\n", n.Severity, n)
	}
	out, err := scenarios.Scaffold(res.Topology, scenarios.ScaffoldOptions{
		Comments: res.Summary(sources), TopologyOnly: *topoOnly,
	})
	if err != nil {
		return fail("%v", err)
	}
	env.stdout.Write(out)
	return exitOK
}

func runTopologyLint(env *cliEnv, args []string) int {
	c := topologyCmd.sub("lint")
	fl := newFlags(c)
	var src sourceFlags
	src.register(fl)
	jsonOut := fl.Bool("json", false, "")
	sarifOut := fl.Bool("sarif", false, "")
	failOn := fl.String("fail-on", "error", "")
	slo := fl.String("slo", "", "")
	fail := func(format string, a ...any) int {
		fmt.Fprintf(env.stderr, "busdrill topology lint: %s\n", fmt.Sprintf(format, a...))
		return exitUsage
	}
	if code, done := parseFlags(env, c, fl, args); done {
		return code
	}
	threshold, err := lint.ParseSeverity(*failOn)
	if err != nil {
		return fail("--fail-on: %v", err)
	}
	if *jsonOut && *sarifOut {
		return fail("give --json or --sarif, not both")
	}
	var sloD time.Duration
	if *slo != "" {
		d, err := units.ParseDuration(*slo)
		if err != nil || d.D() <= 0 {
			return fail("--slo %q: give a positive duration such as 8s", *slo)
		}
		sloD = d.D()
	}
	in, planned, err := lintInput(env, fl, &src)
	if err != nil {
		return fail("%v", err)
	}
	if planned {
		return exitOK
	}
	if sloD > 0 {
		in.SLO, in.SLOSource = sloD, "--slo "+*slo
	}
	r := lint.Run(in)
	switch {
	case *jsonOut:
		err = r.WriteJSON(env.stdout)
	case *sarifOut:
		err = r.WriteSARIF(env.stdout, version.String())
	default:
		err = r.WriteText(env.stdout)
	}
	if err != nil {
		return fail("%v", err)
	}
	if r.Count(threshold) > 0 {
		return exitFail
	}
	return exitOK
}

// lintInput is what lint checks: a scenario, or a topology imported from
// templates or accounts. planned reports that --plan printed the live
// plan and nothing was read.
func lintInput(env *cliEnv, fl *pflag.FlagSet, src *sourceFlags) (in lint.Input, planned bool, err error) {
	switch {
	case fl.NArg() > 1:
		return in, false, errors.New("give one scenario")
	case fl.NArg() == 1 && src.given():
		return in, false, errors.New("give a scenario, or --cfn / --live, not both")
	case fl.NArg() == 1 && src.importOnly():
		return in, false, errors.New("--region, --param, --name, --org, --plan and --endpoint-url go with --cfn or --live, not a scenario")
	case fl.NArg() == 1:
		sc, err := loadScenario(fl.Arg(0), scenarios.LoadOptions{Force: true})
		if err != nil {
			return in, false, err
		}
		return sc.LintInput(), false, nil
	case src.given():
		res, _, planned, err := src.load(env)
		if err != nil || planned {
			return in, planned, err
		}
		return lint.FromImport(res, src.describe(res)), false, nil
	}
	return in, false, errors.New("give a scenario, the templates (--cfn ACCOUNT=TEMPLATE ...) or the live section (--live FILE)")
}
