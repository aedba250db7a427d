// Package scenarios is busdrill's scenario format: the YAML files that say
// what to drill, the strict loader that turns one into a [Scenario], and
// the built-in library (the *.yaml files of this folder, compiled into the
// binary). A scenario is pure data: it imports neither the simulator nor
// live/, and both worlds run the same Scenario.
//
// # A scenario file
//
//	name: reference                      # names the results folder
//	description: |                       # the experiment and its hypothesis
//	  Every journey completes at 20 orders per second.
//	seed: 1                              # every random stream derives from it
//	topology:
//	  reference:                         # the reference backbone, in short
//	    services: [{name: orders, id: "222222222222"}, {name: delivery, id: "333333333333"}]
//	services:                            # the stand-ins playing the journey
//	  - {name: delivery, account: delivery, on: Order.Created, emit: Delivery.Updated,
//	     processing: "lognormal(median=5s, p99=6s)", idempotency: {strategy: business-key}}
//	  - {name: orders, account: orders, on: Delivery.Updated, emit: Order.Updated}
//	traffic: {rate: 20/s, duration: 10m, payload: 2KB}
//	drain: 2m
//	model: {control_plane_lag: 5s}       # overrides of the model's defaults
//	faults:
//	  - {name: rule-off, kind: disable-rule, bus: bus/global, rule: to-delivery, at: 2m, for: 1m}
//	expect:
//	  - e2e.p99 < 8s
//	  - {that: loss == 0, window: steady}
//	live: {...}                          # where the accounts really are (optional)
//
// `busdrill scenarios schema` prints the JSON Schema of the format (and
// docs/scenario.schema.json is it, checked by a test); every key carries
// its description there. `busdrill scenarios show NAME` prints a file with
// its topology written out in full ([Scenario.Expanded]).
//
// # Loading
//
// [Load] (and [LoadFile], [Builtin]) decodes strictly with
// internal/yamlstrict: an unknown key (with a did-you-mean), a wrong type,
// a missing required key or a value out of range is an error at its file,
// line and column with its field path. Then come the checks of meaning —
// references to accounts, buses, rules, services and faults, patterns
// (compiled with EventBridge's own rules and messages), the topology's
// own validation, traffic shapes, expectations and their windows — each
// positioned in the file too, even for elements the shorthand or a
// service generated ([Scenario.Locate]). Every problem is reported, not
// only the first, one message per mistake; the CLI prints them and exits
// 2.
//
// Every size a user can write is bounded: a file is at most MaxFileBytes
// (4 MiB), a run plans at most MaxPlannedOrders (10^10; LoadOptions.Force
// lifts it) and covers at most MaxRunLength (a year) of virtual time.
//
// # topology
//
// Either the reference shorthand or the full form, never both; region
// (default us-east-1) applies to both.
//
// reference: a bus account (bus_account, default name bus) owning the
// global bus, and the service accounts (services, in order), each with a
// local bus. The global bus fans every event out to every local bus but
// its sender's (rule to-SERVICE, {"account": [{"anything-but": ID}]}, a
// cross-account bus target with a role); every bus has a catch-all rule to
// a log group. Ids default to ones derived from the position. queues
// declares extra queues (dead-letter queues), archive an archive of the
// global bus, fanout the retry policy and DLQ of the fan-out targets.
// topology.Reference documents every element.
//
// The full form lists accounts (name, 12-digit id, org_id), buses (their
// policy statements allowing other accounts to PutEvents, and their rules:
// name, pattern, state, targets), queues, handlers (Lambda-like targets)
// and archives. A target names exactly one destination — bus (with role
// for another account's bus), queue, log or handler — and may have a
// retry policy (AWS's key names and limits) and a dlq. A pattern is a YAML
// mapping or the JSON string PutRule would take ([PatternText]).
// References are ACCOUNT/NAME everywhere (orders/local, bus/dlq).
//
// # services
//
// The stand-ins of the order journey (Order.Created → Delivery.Updated →
// Order.Updated). A service runs in its account as the handler
// ACCOUNT/NAME, fed by a rule NAME on its bus (default local) whose
// pattern is on (one detail-type) or pattern (anything else); the loader
// adds the handler and the rule to the topology. A service with neither,
// whose handler topology.handlers declares, plays that handler instead:
// the topology's own rules invoke it. After processing (processing, a
// duration distribution; concurrency; failure, the chance a run fails and
// is retried) it publishes emit, the next detail-type, to emit_to (default
// the global bus) — or, with relay, republishes what it consumed with that
// source, as a gateway does. idempotency says how it recognises an event
// it has seen (none, event-id or business-key, within window); a second
// side effect for one business key is an idempotency violation. retry and
// dlq configure the rule target that invokes it.
//
// # traffic and drain
//
// One shape: rate and duration (constant), ramp (from, to, duration),
// stages (start, then steps each ramping to a target) or spike (base,
// peak, at, ramp, hold, duration). arrivals is poisson (default) or
// uniform; the model is open: orders leave at their scheduled times
// whatever happens to earlier ones. payload is the detail size (a size
// distribution, default 1KB); origins weights the accounts that publish
// orders (default: the account of the service consuming Delivery.Updated);
// bus is where orders go (default the global bus). drain (default 2m) is
// how long the run continues after the traffic, before what is still
// travelling is counted in flight.
//
// # model
//
// Overrides of the in-memory EventBridge model's parameters: quotas,
// request size limit, control-plane lag, per-hop latencies, duplicate
// deliveries, EventBridge's retry backoff, the ERROR_CODE of a refused
// cross-account forward, archive lag, replayed ids ([Model]; defaults and
// sources in package sim/backbone, applied by sim/world.ParamsFor). A live
// run reads only the quotas, to size its quota headroom.
//
// # faults
//
// Faults injected during the run, each with a unique name: throttle,
// disable-rule, revoke-permission, duplicate, outage, latency, stall,
// poison, oversize, replay and redrive. Package chaos documents the kinds
// and their keys, and compiles them against the topology into the
// timeline the worlds play ([Scenario.Faults]).
//
// # expect
//
// Conditions, METRIC OP VALUE or a boolean metric alone (e2e.p99 < 8s,
// loss.rule-disabled == orders.sent, ledger.balanced), in the short form
// or with a name, a window (all, steady, during:FAULT, after:FAULT) and
// what no data means (no_data: fail, the default, or pass) ([ExpectSpec]).
// Package report evaluates them; `busdrill run --help` lists the metrics.
//
// # live
//
// Where the scenario's accounts really are and how to act in them, for
// `busdrill run --target aws`: the data type is scenarios/livespec, which
// documents the keys. It may also come from a file of its own (--live);
// a rehearsal against busdrill serve needs none.
//
// # What else the package does
//
// [Scenario.LintInput] is what busdrill topology lint checks; [Scaffold]
// writes a complete scenario around an imported topology (busdrill
// topology import); [Schema] generates the JSON Schema from the same Go
// types the loader decodes into, so the two cannot drift.
package scenarios
