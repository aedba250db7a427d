// Package topology is the declarative description of an EventBridge
// backbone: accounts, buses with their resource policies and rules, rule
// targets, queues, handlers and archives. It is plain data with no
// dependency on the simulator, so that the scenario loader, the model
// (sim/backbone) and the live AWS adapter share one description.
//
// # Shape
//
// A [Topology] lists [Account]s (readable Name, 12-digit ID, optional
// organization), [Bus]es (owned by an account, with a [Statement] list as
// resource policy and [Rule]s), [Queue]s, [Handler]s and [Archive]s, in one
// Region (cross-Region routing is not modelled). A rule has a pattern
// (JSON, compiled by package pattern), a state (ENABLED or DISABLED) and at
// most five [Target]s. A target has a kind:
//
//	bus      forward to another bus ("account/bus"); a Role is required
//	         when the destination is in another account
//	queue    an SQS-like queue ("account/queue"): the observation point
//	log      a log group (a name in the rule's account): the catch-all sink
//	handler  a Lambda-like handler ("account/handler"), invoked
//	         asynchronously; its behaviour is given to the runtime
//
// plus a [RetryPolicy] (MaximumRetryAttempts 0–185, default 185;
// MaximumEventAgeInSeconds 60–86,400, default 86,400) and an optional DLQ
// (a queue reference).
//
// # Names and references
//
// Everything is referenced by readable names, never ARNs:
//
//	account           orders
//	bus               orders/local                 account/bus
//	queue, handler    delivery/worker              account/name
//	rule              orders/local/catch-all       bus ref/rule
//	target, consumer  orders/local/catch-all/log   rule ref/target id
//
// A consumer (what the loss ledger counts) is a queue, log or handler
// target, named by its target reference. The same queue fed by two rules
// is two consumers, because EventBridge delivers to it twice. ARNs are
// derived where AWS shows them (DLQ attributes): [BusARN], [RuleARN],
// [QueueARN], [LogARN], [FunctionARN], [RoleARN].
//
// A PutEvents EventBusName is resolved by [Index.ResolveBus]: "" is the
// sender's "default" bus, a plain name a bus of the sender, "account/bus"
// a reference, and an event-bus ARN the bus of that account id.
//
// # Validation
//
// [Topology.Validate] returns every problem, not the first, each a
// [Problem] with the Path of the offending field as the YAML spells it and
// a message, e.g.
//
//	buses[1].rules[0].targets[2].bus: unknown bus "orders/locl" (want "account/bus")
//	buses[0].rules[3].pattern: Event pattern is not valid. Reason: Empty arrays are not allowed
//
// Field names in paths: accounts[i].{name,id,org_id};
// buses[i].{account,name,policy[j].{sid,principal,action,org_id},rules};
// rules[j].{name,pattern,state,description,targets};
// targets[k].{id,kind,bus,role,queue,log,handler,dlq,
// retry.maximum_retry_attempts,retry.maximum_event_age_in_seconds};
// queues[i] and handlers[i].{account,name};
// archives[i].{name,bus,pattern,retention_days}. It checks names (AWS's
// character sets and lengths), 12-digit ids, duplicates, unknown
// references, kind-specific fields, the role of cross-account bus targets
// (required for new ones since 2023-02-16), retry-policy ranges, pattern
// compile errors (AWS's messages, from package pattern) and the quotas of
// [Limits]: rules per bus (300; 100 in af-south-1 and eu-south-1),
// pattern characters (2,048), buses per account (100), targets per rule
// (5, fixed).
//
// # The reference backbone
//
// [Reference] builds the single-bus, multi-account backbone of DESIGN.md:
// a "bus" account owning "bus/global", whose policy lets every service
// account put events; per service account a rule on global
// {"account":[{"anything-but":"<id>"}]} forwarding to "<service>/local"
// (with a role), so that an event fans out to every local bus but its
// sender's; a catch-all rule {"source":[{"prefix":""}]} to a log on every
// bus; and the services' own consumer rules, queues and handlers
// ([Service]).
//
// # Expected routes
//
// A [Router] compiles a topology (one pattern.Matcher per bus, shared with
// the model) and answers [Router.ExpectedRoutes]: the consumers an event
// published by an account to a bus reaches in the nominal topology (rules
// in their configured state, policies as configured, no faults). The walk
// is the model's routing, except for the one-hop rule:
//
//   - a sender needs the bus policy's permission for another account's bus
//     (else PutEvents answers AccessDenied: no routes); an unknown bus has
//     no routes;
//   - at each bus every ENABLED rule whose pattern matches invokes each of
//     its targets; queue, log and handler targets are consumers;
//   - a bus target forwards when the destination's policy allows the
//     forwarding bus's account. The event keeps its account. The one-hop
//     rule ([ForwardRefusal]: an event that arrived through a bus-to-bus
//     forward is never forwarded again) is deliberately NOT applied:
//     expected routes are what the topology's author configured, so a
//     second hop that EventBridge refuses shows in the loss ledger as
//     deliveries lost with THIRD_ACCOUNT_HOP_DETECTED rather than as
//     deliveries nobody expected. The walk stops after a bounded number of
//     forwards, so a misconfigured cycle of rules ends.
//
// The result is sorted and is a multiset: a consumer reached along two
// paths appears twice. [Router.AppendFromBus], [Router.AppendFromRule] and
// [Router.AppendFromTarget] give the consumers downstream of one point;
// the model uses them to attribute a drop to the routes it cuts.
//
// # Region quotas
//
// [PutEventsTPSByRegion] and [InvocationsTPSByRegion] are EventBridge's
// default account quotas of a Region (Service Quotas, tiers of Regions;
// eventbridge-model.md §2.1): the simulator's defaults, and what a live
// run sizes its quota headroom against when the scenario sets none.
package topology
