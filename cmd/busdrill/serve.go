package main

import (
	"fmt"

	"github.com/busdrill/busdrill/runner"
	"github.com/busdrill/busdrill/scenarios"
	"github.com/busdrill/busdrill/serve"
	"github.com/busdrill/busdrill/units"
	"github.com/spf13/pflag"
)

const serveUsage = `Usage: busdrill serve [SCENARIO] [flags]

Runs a local EventBridge backbone on the AWS wire: an HTTP server that
speaks EventBridge (JSON 1.1), SQS (the JSON protocol) and STS (query) as
the AWS SDKs and the AWS CLI use them, backed by busdrill's EventBridge
model on the wall clock, until SIGINT or SIGTERM. It prints
"listening on http://ADDR" once it accepts connections.

Point any client at it with --endpoint-url (AWS CLI, busdrill run --target
aws) or endpoint_url (boto3, the SDKs). Credentials select the account: a
12-digit access key id is that account; other keys map through --accounts
FILE (YAML, access key id: account id), else to 123456789012;
sts:AssumeRole into arn:aws:iam::ACCOUNT:role/NAME gives credentials that
act as ACCOUNT. Signatures are not checked.

With SCENARIO (a file or a built-in name) its backbone exists from the
start: every bus, policy, rule and target, the queues and DLQs as SQS
queues, the archives; its model section applies (quotas, latencies, retry
schedule). Rehearse a game day in two commands:

  busdrill serve scenarios/disabled-rule.yaml &
  busdrill run scenarios/disabled-rule.yaml --target aws --endpoint-url http://127.0.0.1:4566

Flags:
  --listen ADDR            host:port (default 127.0.0.1:4566; :0 picks a
                           free port). Loopback only, unless
                           --allow-non-loopback
  --allow-non-loopback     listen on another address (serve has no
                           authentication: anyone who reaches it can use it)
  --control-plane-lag D    how long rule, target and policy changes take to
                           reach the data plane (default 0: live runs put
                           fault windows at the times of their calls; 5s is
                           the simulator's default)
  --seed N                 seed of the model's random streams (default: the
                           scenario's, else 0)
  --region R               the Region (default: the scenario's, else
                           us-east-1)
  --accounts FILE          access key id → account id (YAML mapping)
  --faults backbone|all|none
                           which of the scenario's faults serve injects on
                           the wall clock: backbone (default) those a live
                           run cannot inject itself (outage, latency, stall,
                           quotas, redelivery, role revocation, replay,
                           redrive, InternalFailure entries; the run injects
                           the rest); all; none
  --fault-clock traffic|start
                           time 0 of the fault schedule: the start of the
                           busdrill run whose orders arrive (default, read
                           from the first order's metadata) or serve's start
  --access-log             one line per API call on standard error: time,
                           service, operation, account, error code
  --stand-ins              play the scenario's services in their Lambda-like
                           handler targets (for busdrill run --observe-only
                           and other observers; a default busdrill run plays
                           them itself)

Control endpoints (loopback only): GET /_busdrill/resources, GET and POST
/_busdrill/faults (inject a fault now, as a scenario writes it), DELETE
/_busdrill/faults/NAME, GET /_busdrill/metrics (Prometheus text: the
CloudWatch metrics EventBridge publishes, per account, bus and rule),
GET /_busdrill/info, GET /_busdrill/health.

Exit status: 0 stopped by a signal, 2 bad input or usage (or the address
is in use).`

var serveCmd = &command{name: "serve", summary: "a local EventBridge, SQS and STS endpoint backed by the model", usage: serveUsage}

func init() {
	serveCmd.run = runServe
	register(serveCmd)
}

// serveFlags are the flags of busdrill serve.
type serveFlags struct {
	listen, lag, region, accounts, faults, clock string
	seed                                         uint64
	allow, standIns, accessLog                   bool
}

func (f *serveFlags) register(fl *pflag.FlagSet) {
	fl.StringVar(&f.listen, "listen", serve.DefaultListen, "")
	fl.BoolVar(&f.allow, "allow-non-loopback", false, "")
	fl.StringVar(&f.lag, "control-plane-lag", "0s", "")
	fl.Uint64Var(&f.seed, "seed", 0, "")
	fl.StringVar(&f.region, "region", "", "")
	fl.StringVar(&f.accounts, "accounts", "", "")
	fl.StringVar(&f.faults, "faults", serve.FaultsBackbone, "")
	fl.StringVar(&f.clock, "fault-clock", serve.FaultClockTraffic, "")
	fl.BoolVar(&f.standIns, "stand-ins", false, "")
	fl.BoolVar(&f.accessLog, "access-log", false, "")
}

// options are serve's options from the flags (the scenario apart).
func (f *serveFlags) options(env *cliEnv, fl *pflag.FlagSet) (serve.Options, error) {
	d, err := units.ParseDuration(f.lag)
	if err != nil || d.D() < 0 {
		return serve.Options{}, fmt.Errorf("--control-plane-lag %q: want a duration such as 0s or 5s", f.lag)
	}
	opts := serve.Options{
		Listen: f.listen, AllowNonLoopback: f.allow, ControlPlaneLag: d.D(), Seed: f.seed, SeedSet: fl.Changed("seed"),
		Region: f.region, Faults: f.faults, FaultClock: f.clock, StandIns: f.standIns, Log: env.stderr,
	}
	if f.accessLog {
		opts.AccessLog = env.stderr
	}
	if f.accounts != "" {
		if opts.Accounts, err = serve.LoadAccounts(f.accounts); err != nil {
			return opts, fmt.Errorf("--accounts: %w", err)
		}
	}
	return opts, nil
}

func runServe(env *cliEnv, args []string) int {
	fl := newFlags(serveCmd)
	var f serveFlags
	f.register(fl)
	if code, done := parseFlags(env, serveCmd, fl, args); done {
		return code
	}
	fail := func(format string, a ...any) int {
		fmt.Fprintf(env.stderr, "busdrill serve: "+format+"\n", a...)
		return exitUsage
	}
	if fl.NArg() > 1 {
		return fail("one scenario at most (got %d)", fl.NArg())
	}
	opts, err := f.options(env, fl)
	if err != nil {
		return fail("%v", err)
	}
	if fl.NArg() == 1 {
		if opts.Scenario, err = loadScenario(fl.Arg(0), scenarios.LoadOptions{Force: true}); err != nil {
			fmt.Fprintln(env.stderr, err)
			return exitUsage
		}
	} else if f.standIns || fl.Changed("faults") || fl.Changed("fault-clock") {
		return fail("--stand-ins, --faults and --fault-clock apply to a scenario")
	}
	srv, err := serve.New(opts)
	if err != nil {
		return fail("%v", err)
	}
	ctx, stop := runner.UntilSignal()
	defer stop()
	if err := srv.Start(ctx); err != nil {
		return fail("%v", err)
	}
	what := "an empty backbone"
	if opts.Scenario != nil {
		what = opts.Scenario.Name + "'s backbone"
	}
	fmt.Fprintf(env.stdout, "listening on %s\n", srv.URL())
	fmt.Fprintf(env.stderr, "busdrill serve: %s in %s; Ctrl-C to stop\n", what, srv.Region())
	<-ctx.Done()
	stop()
	if err := srv.Close(); err != nil {
		fmt.Fprintf(env.stderr, "busdrill serve: %v\n", err)
	}
	return exitOK
}
