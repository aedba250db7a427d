package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/pflag"

	"github.com/busdrill/busdrill/capacity"
	"github.com/busdrill/busdrill/internal/version"
	"github.com/busdrill/busdrill/report"
	"github.com/busdrill/busdrill/report/render"
	"github.com/busdrill/busdrill/runner"
	"github.com/busdrill/busdrill/scenarios"
	"github.com/busdrill/busdrill/units"
)

const capacityUsage = `Usage: busdrill capacity [SCENARIO] [flags]

Finds the highest rate the scenario's backbone sustains in the simulator,
and which limit binds first. The scenario's traffic, whatever its shape,
is scaled (rates are its peak) and searched: bracketing from its own rate,
then bisection to the precision, each probe a full simulation from the
scenario's seed, so the same scenario and seed always give the same
answer. SCENARIO is a file or a built-in name (default: reference).

A rate is sustainable when every expectation of the scenario that bounds
harm holds (one that asserts harm, like loss.throttled > 0, is skipped and
listed), the ledger balances with nothing lost (outside the fault windows
of a scenario with faults) and nothing in flight at the cut-off, no
backlog grows without bound (handler backlogs, quotas' token buckets,
retries waiting, deliveries in flight: judged by their trend over the end
of the traffic, so that a run that ends in time cannot hide one), and no
limit is asked for more than it serves at the rate the traffic ends at.

The answer names the binding constraint (kind, account id and name,
limit, unit, utilisation), with every other one's headroom. Kinds:
putevents-quota (an account's PutEvents requests/s, counting every
request it makes per order), invocations-quota (an account's rules'
invocations/s), handler-concurrency (a service's concurrent executions
over its processing time), target-throughput (a service's max_rate),
retry-exhaustion and event-age (a target's retry policy), expectation (an
expectation that fails before any limit saturates). Then, unasked, the
next steps: raise the binding limit (×10) and search again, so that you
see "raise A and you reach X, where B binds; raise B and ...". And the
cost of EventBridge per million orders at the answer.

Flags:
  --min R            lowest rate searched, e.g. 5/s (default: the
                     scenario's peak ÷ 1000)
  --max R            highest rate searched (default: the most the probe
                     budget allows)
  --precision P      width of the final bracket, e.g. 2% or 0.02
                     (default 2%; the next steps' is at least 5%)
  --set KEY=VALUE    change a limit for the search (repeatable):
                       model.putevents_tps[.ACCOUNT]=N    PutEvents quota, requests/s
                       model.invocations_tps[.ACCOUNT]=N  invocations quota
                       model.putevents_burst=N, model.invocations_burst=N
                       services.NAME.concurrency=N
                       services.NAME.processing=DIST     e.g. lognormal(median=2s, p99=3s)
                       services.NAME.max_rate=R          e.g. 300/s
                       services.NAME.retry.maximum_retry_attempts=N
                       services.NAME.retry.maximum_event_age_in_seconds=N
                       targets.ACCOUNT/BUS/RULE/ID.retry.maximum_retry_attempts=N
                       targets.ACCOUNT/BUS/RULE/ID.retry.maximum_event_age_in_seconds=N
                     ACCOUNT and NAME as in the scenario; rates as 2000 or 2000/s
  --next N           next steps to take (default 3; 0: none)
  --raise F          factor a binding limit is raised by (default 10)
  --price ITEM=USD   price per million billed events of published,
                     cross-account or replayed (repeatable; the table,
                     its sources and date are in capacity.json)
  --budget N         most orders one probe plans (default 150000); above
                     it a probe's traffic window is shortened (rates kept;
                     never below a minute, nor twelve times the slowest
                     service's processing time; never with faults)
  --seed N           seed (default: the scenario's)
  --json             print capacity.json on standard output instead of
                     the summary
  --out DIR          write DIR/capacity.json and DIR/capacity.html (the
                     answer, latency, loss and backlog against rate, the
                     answer and next steps marked)
  --quiet            print nothing but errors (the progress line shows
                     only on a terminal)

SIGINT or SIGTERM stops the search within a second and prints (and with
--out writes) the best bracket found so far, marked interrupted (exit 3).

Exit status: 0 a sustainable rate was found, 1 no rate in [--min, --max]
is sustainable, 2 bad input or usage, 3 interrupted, 4 the search ended
but its outputs could not be written.`

var capacityCmd = &command{name: "capacity", summary: "find the highest sustainable rate and the limit that binds first", usage: capacityUsage}

func init() {
	capacityCmd.run = runCapacity
	register(capacityCmd)
}

func runCapacity(env *cliEnv, args []string) int {
	c := capacityCmd
	fl := newFlags(c)
	minRate := fl.String("min", "", "")
	maxRate := fl.String("max", "", "")
	precision := fl.String("precision", "2%", "")
	sets := fl.StringArray("set", nil, "")
	next := fl.Int("next", capacity.DefaultNext, "")
	raise := fl.Float64("raise", capacity.DefaultRaise, "")
	prices := fl.StringArray("price", nil, "")
	budget := fl.Float64("budget", capacity.DefaultBudget.Orders, "")
	seed := fl.Uint64("seed", 0, "")
	jsonOut := fl.Bool("json", false, "")
	out := fl.String("out", "", "")
	quiet := fl.Bool("quiet", false, "")
	if code, done := parseFlags(env, c, fl, args); done {
		return code
	}
	if fl.NArg() > 1 {
		return usageError(env, c, "one scenario at a time (got %d)", fl.NArg())
	}
	opts := capacity.Options{Version: version.String(), Raise: *raise, Next: *next, Budget: capacity.DefaultBudget}
	var err error
	if opts.Min, err = rateFlag("min", *minRate); err != nil {
		return usageError(env, c, "%v", err)
	}
	if opts.Max, err = rateFlag("max", *maxRate); err != nil {
		return usageError(env, c, "%v", err)
	}
	p, err := units.ParseProbability(*precision)
	if err != nil || !(p.Float() > 0 && p.Float() < 1) {
		return usageError(env, c, "--precision: %q is not a fraction between 0 and 1 (2%% or 0.02)", clip(*precision, 40))
	}
	opts.Precision = p.Float()
	switch {
	case *next < 0 || *next > 10:
		return usageError(env, c, "--next: want 0 to 10 steps, got %d", *next)
	case *next == 0:
		opts.Next = -1
	}
	if !(*raise > 1 && *raise <= 1000) {
		return usageError(env, c, "--raise: want a factor above 1 and at most 1000, got %g", *raise)
	}
	if !(*budget >= 1000 && *budget <= 1e8) {
		return usageError(env, c, "--budget: want 1000 to 100000000 orders per probe, got %g", *budget)
	}
	opts.Budget.Orders = *budget
	opts.Budget.Ceiling = max(opts.Budget.Ceiling, 8**budget)
	for _, s := range *sets {
		o, err := capacity.ParseOverride(s)
		if err != nil {
			return usageError(env, c, "%v", err)
		}
		opts.Set = append(opts.Set, o)
	}
	for _, s := range *prices {
		item, usd, err := capacity.ParsePrice(s)
		if err != nil {
			return usageError(env, c, "%v", err)
		}
		if opts.Prices == nil {
			opts.Prices = map[string]float64{}
		}
		opts.Prices[item] = usd
	}

	intr := runner.Watch(env.stderr, os.Exit)
	defer intr.Stop()
	ctx := intr.Context()

	sc, err := loadScenario(fl.Arg(0), scenarios.LoadOptions{})
	if err != nil {
		fmt.Fprintln(env.stderr, err)
		return exitUsage
	}
	if fl.Changed("seed") {
		sc.Seed = *seed
	}
	if *out != "" {
		if err := runner.Prepare(*out); err != nil {
			return usageError(env, c, "--out: %v", err)
		}
		intr.Pending(*out + " (capacity.json, capacity.html)")
	}
	prog := render.NewCapacityProgress(env.stderr, !*quiet && !*jsonOut && render.IsTerminal(env.stderr))
	opts.Progress = func(p capacity.Progress) { prog.Update(p.Step, p.Probe, p.Rate, p.Done, p.Pass, p.Lo, p.Hi) }
	answer, err := capacity.Run(ctx, sc, opts)
	prog.Done()
	if err != nil {
		fmt.Fprintf(env.stderr, "busdrill capacity: %v\n", err)
		return exitUsage
	}
	var js bytes.Buffer
	if err := answer.WriteJSON(&js); err != nil {
		fmt.Fprintf(env.stderr, "busdrill capacity: %v\n", err)
		return exitWriteFailed
	}
	code := capacityExit(answer)
	if *out != "" {
		if err := writeCapacity(*out, answer, js.Bytes(), reproduceCapacity(sc, fl)); err != nil {
			fmt.Fprintf(env.stderr, "busdrill capacity: the search ended, but its outputs could not be written to %s: %v\n", *out, err)
			code = exitWriteFailed
		} else {
			intr.Pending("")
		}
	}
	switch {
	case *jsonOut:
		env.stdout.Write(js.Bytes())
	case !*quiet:
		capacity.WriteText(env.stdout, answer)
		if *out != "" && code != exitWriteFailed {
			fmt.Fprintf(env.stdout, "\nwritten: %s (capacity.html beside it)\n", filepath.Join(*out, "capacity.json"))
		}
	}
	return code
}

// capacityExit is the exit code of an answer.
func capacityExit(a *report.Capacity) int {
	switch {
	case a.Interrupted:
		return exitAborted
	case a.End == capacity.EndBelowMin:
		return exitFail
	}
	return exitOK
}

// writeCapacity writes capacity.json and capacity.html into dir.
func writeCapacity(dir string, a *report.Capacity, js []byte, command string) error {
	if err := render.WriteFile(filepath.Join(dir, "capacity.json"), js); err != nil {
		return err
	}
	var page bytes.Buffer
	if err := render.CapacityHTML(&page, a, render.Meta{Command: command, Version: version.String()}); err != nil {
		return err
	}
	return render.WriteFile(filepath.Join(dir, "capacity.html"), page.Bytes())
}

// rateFlag parses --min or --max: a rate (5/s, 300/m) or a number of
// orders per second; "" is 0 (the default).
func rateFlag(name, s string) (float64, error) {
	if s == "" {
		return 0, nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		r, rerr := units.ParseRate(s)
		if rerr != nil {
			return 0, fmt.Errorf("--%s: %q is not a rate (write 5/s, or 5 for orders per second)", name, clip(s, 40))
		}
		v = r.PerSecond()
	}
	if !(v > 0) || v > 1e7 {
		return 0, fmt.Errorf("--%s: want a rate above 0 and at most 10000000/s, got %s", name, clip(s, 40))
	}
	return v, nil
}

// reproduceCapacity is the command that reruns this search: the
// scenario, seed and every flag that changes the answer.
func reproduceCapacity(sc *scenarios.Scenario, fl *pflag.FlagSet) string {
	parts := []string{"busdrill", "capacity"}
	if fl.NArg() > 0 {
		parts = append(parts, shellQuote(fl.Arg(0)))
	}
	parts = append(parts, "--seed", strconv.FormatUint(sc.Seed, 10))
	for _, name := range []string{"min", "max", "precision", "next", "raise", "budget"} {
		if fl.Changed(name) {
			parts = append(parts, "--"+name, shellQuote(fl.Lookup(name).Value.String()))
		}
	}
	for _, name := range []string{"set", "price"} {
		vals, _ := fl.GetStringArray(name)
		for _, v := range vals {
			parts = append(parts, "--"+name, shellQuote(v))
		}
	}
	return strings.Join(parts, " ")
}

// shellQuote quotes s for a POSIX shell when it needs it.
func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./=%:+,", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
