// Package provision computes what a live run touches ([Layout]), lists
// every call it makes without making any ([Plan]: busdrill aws plan), and
// creates and removes the run's observers ([Provision], [Teardown]).
//
// # Probes
//
// For each observed bus (live probes.buses, default: every bus a scenario
// service consumes from) busdrill creates, in the bus's account:
//
//   - an SQS queue busdrill-<id>-<account>-<bus>, tagged, whose policy
//     lets events.amazonaws.com SendMessage when aws:SourceArn is the probe
//     rule (eventbridge-model.md §10);
//   - a rule busdrill-probe-<id> on the bus, tagged, with the pattern
//     {"detail":{"metadata":{"run_id":["<run id>"]}}} (every event of this
//     run and nothing else: concurrent runs do not see each other) and the
//     queue as its only target (id "probe").
//
// <id> is a short hash of the run id and shard, so every shard has its own
// probes. In the ledger a probe is the consumer
// "<account>/<bus>/busdrill-probe/probe", whatever the deployed names, so
// runs compare.
//
// # Tags, journal, teardown
//
// Everything busdrill creates carries busdrill:managed=true,
// busdrill:run-id and busdrill:shard (plus live tags). Every creation is
// journaled (live/journal) before it is made, with its inverse
// (DeleteQueue by name, DeleteRule with its targets). A run restores its
// journal at the end unless told to keep; [Teardown] instead finds
// busdrill's resources by tag, on the layout's buses and accounts (only
// one run's with RunID), removes them and nothing else, and is
// idempotent.
package provision
