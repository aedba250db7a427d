// Package lint analyses an EventBridge backbone (a topology.Topology and
// what its source says beyond it) and finds the bugs that lose or
// misroute events before any traffic does. It is pure: no clock, no I/O,
// no AWS SDK; the same topology always gives the same report.
//
//	r := lint.Run(lint.FromImport(res, "cfn: cdk.out"))  // or an Input by hand
//	r.WriteText(os.Stdout)                                 // or WriteJSON, WriteSARIF
//	if r.Count(lint.Error) > 0 { ... }
//
// # What it computes
//
// The fan-out matrix: for every account, every bus it may publish to (its
// own, and those whose policy allows it), and a probe event for every
// source and detail-type that some pattern of the topology names (plus
// one standing for any other), the event is routed as EventBridge would:
// every ENABLED rule whose pattern matches (the pattern engine of package
// pattern), forwards only where the destination's policy allows the
// forwarding account, and no second bus-to-bus hop. A [Flow] says what
// of one account's events reaches another account's buses through rules
// ("every event", "Order.Created, Order.Updated (source external)").
// Probe events have an empty detail, so a rule that filters on detail
// fields does not forward them: the matrix shows what the envelope
// fields (account, source, detail-type) route.
//
// The quota picture: each bus's rules against the Region's rules-per-bus
// quota, and its fullest rule's targets against the fixed 5.
//
// # The checks
//
// Each [Finding] has a check id, a severity (error, warning, note), the
// resource (a topology reference), its place in the source, a message and
// a one-line fix. The checks ([Checks]):
//
//	invalid-topology    the topology does not validate (AWS would refuse it)
//	self-delivery       a fan-out rule forwards an account's events back to
//	                    that account: its pattern does not exclude the target
//	                    account, or excludes another one
//	missing-fanout      an account publishes to a hub and owns a bus, but
//	                    the hub forwards to none of its buses
//	forward-denied      a cross-account bus target whose destination policy
//	                    does not allow the sender: AccessDenied, all lost
//	hop-refused         a rule forwards events that arrived by a forward:
//	                    EventBridge refuses the second hop
//	                    (THIRD_ACCOUNT_HOP_DETECTED)
//	forward-loop        buses forward to each other in a cycle
//	queue-unusable      a queue target or DLQ that does not exist, or a FIFO
//	                    DLQ (facts of a live import only)
//	missing-policy      the hub fans out to an account its policy does not
//	                    let publish (warning: an account may only consume)
//	no-dlq              a bus, queue or Lambda target without a DLQ (log
//	                    targets, the observability sink, are exempt)
//	default-retry       a target keeps the default 185 attempts / 24 h
//	                    although the end-to-end objective is shorter (needs
//	                    an SLO: --slo, or a scenario's e2e expectation)
//	dlq-no-redrive      a DLQ that nothing reads or alarms on (needs a
//	                    source that can show it: templates, scenarios)
//	rule-disabled       a DISABLED rule: its events are dropped, never
//	                    delivered later
//	rule-never-matches  a rule that no event of this topology can match: its
//	                    account filter names no account whose events reach
//	                    the bus (directly or forwarded, each forward filtered
//	                    by its own rule's account filter), its region filter
//	                    excludes the topology's Region, or it matches only
//	                    AWS sources (aws.*) on a custom bus
//	no-catch-all        a bus without an enabled rule sending every event
//	                    (every probe, foreign accounts included) to a log
//	quota-rules         rules per bus at 80% of the quota (warning) or over
//	                    it (error)
//	quota-targets       a rule at 5 targets (note) or over (error)
//	not-imported        a note of the import: part of the source the
//	                    topology does not carry, which the lint cannot check
//
// A hub is a bus that forwards to other accounts and accepts events from
// accounts other than its owner that do not merely forward into it (the
// policy statement that lets an upstream hub deliver is not a publisher).
// The checks are conservative where the topology cannot tell: a pattern
// with $or at its top level is not judged by rule-never-matches, and a
// bus whose policy allows "*" may receive from any account.
//
// Checks that need what a source cannot give are listed in Report.NotRun
// with the reason, never silently passed.
//
// # Output
//
// [Report.WriteText] is for people; [Report.WriteJSON] for tools;
// [Report.WriteSARIF] writes SARIF 2.1.0 for code-scanning UIs (every
// check a rule of the tool driver; each finding a result with its level,
// the template or scenario line as physical location and the topology
// reference, or the ARN, as logical location).
package lint
