// Package journal is live mode's rollback journal: a write-ahead record of
// every mutation busdrill makes to a real account (disabling a rule,
// replacing a bus policy, creating rules, targets, queues), each with the
// exact call that undoes it, and [Restore], which undoes them.
//
// # Guarantee
//
// Write-ahead: a chaos actuator or provisioner first observes the current
// state, then calls [Journal.Append] with an [Intent] record whose Inverse
// puts that state back, and performs the mutation only after Append
// returned nil. Append writes one line and fsyncs the file before it
// returns (and a newly created journal's directory is fsynced by [Open]).
// So whatever happens afterwards (crash, kill -9, lost network), every
// mutation that may have reached AWS has its inverse on disk. An intent
// whose mutation never happened is harmless to restore: its inverse leaves
// the resource in the state it already has.
//
// # Format
//
// JSON lines, one record per line, append-only, UTF-8, mode 0600:
//
//	{"v":1,"seq":1,"time":"2026-11-22T11:40:00.123Z","run_id":"r42","kind":"intent",
//	 "account":"orders","account_id":"222222222222","region":"eu-west-1",
//	 "action":"events:DisableRule","resource":"arn:aws:events:eu-west-1:222222222222:rule/local/consume",
//	 "inverse":{"action":"events:EnableRule","params":{"Name":"consume","EventBusName":"local"}}}
//	{"v":1,"seq":2,"time":"...","run_id":"r42","kind":"intent",...,
//	 "action":"events:PutPermission","resource":"arn:aws:events:eu-west-1:111111111111:event-bus/global",
//	 "inverse":{"action":"events:PutPermission","params":{"EventBusName":"global","Policy":"{\"Version\":..."}}}
//	{"v":1,"seq":3,"time":"...","run_id":"r42","kind":"restored","ref":2,"outcome":"changed"}
//
// Fields: v (format version, [FormatVersion]), seq (1, 2, ... across the
// file, also for markers), time (wall clock, UTC), run_id, kind
// ([Intent], [Applied], [Restored]), account (scenario account name) and
// account_id, region, action (the mutation, service:Operation), resource
// (its ARN), inverse (a [Call]: action and params named exactly as in the
// AWS API), ref (the intent a marker is about), outcome, note.
//
// Inverse actions: events:EnableRule, events:DisableRule,
// events:PutPermission with Policy (the exact prior policy document from
// DescribeEventBus), events:RemovePermission with RemoveAllPermissions
// (there was no policy), events:RemoveTargets, events:DeleteRule,
// events:DeleteEventBus, sqs:DeleteQueue (by QueueUrl or QueueName).
// Constructors: [EnableRuleCall], [RestorePolicyCall], [DeleteRuleCall],
// [RemoveTargetsCall], [DeleteEventBusCall], [DeleteQueueCall],
// [DeleteQueueByNameCall], [DisableRuleCall]. Journal creations by name
// before the create call (the ARN and name are known up front; a queue URL
// is not). Records hold
// names, ARNs and policies, never credentials.
//
// An incomplete last line (a crash inside Append, before fsync returned)
// is ignored by [Read] and cut off by [Open]; its mutation never ran. A
// malformed line anywhere else, an unknown field or a newer format version
// is an error: a damaged journal is for people to look at, not for restore
// to guess about. One process at a time holds a journal open ([Open] takes
// an exclusive flock on Unix): a restore cannot run while a drill is still
// appending.
//
// # Restore
//
// [Restore] (or [Journal.Restore]) undoes the intents newest first through
// an [Executor], appending a [Restored] marker after each; re-running it
// skips what is marked, so an interrupted restore resumes, and a finished
// one run again does nothing. Inverses are idempotent ([AWSExecutor] reads
// the state before acting: enabling an enabled rule, restoring an equal
// policy, deleting what is gone all succeed as "unchanged"). When one
// inverse fails, older intents on the same resource are blocked (undoing
// them first would leave the wrong final state); other resources continue.
// The [Report] has one [Result] per intent; RestoreOptions.DryRun lists the
// plan without calling anything.
package journal
