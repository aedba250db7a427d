// Package runner orchestrates busdrill's commands, between the CLI
// (cmd/busdrill, which parses flags, calls this package, prints and
// returns an exit code) and the worlds (sim/world, live/session): where a
// run's outputs go, what they are, what a signal does, and the guards a
// command passes before it makes any call.
//
// # A run on either target
//
// [RunSim] runs a scenario in the simulator, [RunLive] against a deployed
// backbone (or busdrill serve) through live/session, which owns the probes,
// the fault schedule and the rollback. Both write the same outputs into
// the run's folder ([SimDir]: OUT/<scenario>/<seed>[/shard-i-of-n];
// [LiveDir]: OUT/<scenario>/aws/<run id>[/shard-i-of-n]):
//
//   - results.json, the contract ([EncodeResults]; the same scenario, seed
//     and version give the same bytes);
//   - meta.json ([Meta]): the wall-clock facts kept out of it — when, how
//     long, where, the command that reproduces the run, a live run's id,
//     journal and statistics;
//   - report.html, junit.xml and summary.md, rendered from the two.
//
// The folder is proved writable before the run starts ([Prepare]): a run
// whose results could not be kept is refused, not run. Each file is
// written whole (a temporary file, then a rename), results first; a
// failure after the run is a [*WriteError], which the CLI turns into exit
// 4 while it prints the results it could not write.
//
// [LiveSection] picks a live run's live section: --live FILE, else the
// scenario's own, else — against a loopback endpoint only — a rehearsal
// with the scenario's accounts and fixed credentials that are never the
// user's.
//
// # Signals
//
// [Watch] turns SIGINT and SIGTERM into a cancelled context: the first
// stops the running phase within a second and the command writes what it
// has, marked interrupted (exit 3); a second quits at once after one line
// naming what was not written ([Interrupts.Pending]). A live run's
// rollback still runs after the first. Commands with nothing to write
// (busdrill serve, a read-only import) stop at the first signal
// ([UntilSignal]). cmd/busdrill handles no signal itself.
//
// # Other commands
//
// busdrill check: [CheckFiles] expands the arguments, [LoadCheck] loads
// every scenario before any runs, [PrepareCheck] proves every output
// writable, [RunCheck] runs them in parallel and reports each in the order
// given as soon as it and those before it are done; [TallyCheck],
// [WriteCheckJUnit] and [WriteCheckJSON] summarise.
//
// busdrill aws: [AWSPlan] (no call), [AWSProvision], [AWSTeardown],
// [AWSDeployFixture] and [AWSRestore]. Bad input found before any call —
// an account outside the allowlist, credentials of another account, a
// journal record in an account not allowed — is an [*InputError] (exit
// 2); anything else failed on the way (exit 3).
//
// busdrill run --dry-run: [Estimate] works out what a run will cost from
// two small pilot runs ([Plan]).
package runner
