// Package schedule runs a scenario's fault timeline against a real,
// deployed backbone during a live run: each fault is applied at its start
// and reverted at its end, on the wall clock since the run began, through
// the live actuators (journaled before every change, so a crash can always
// be rolled back with 'busdrill aws restore').
//
// What can be injected live, safely:
//
//	disable-rule         DisableRule, then EnableRule (journaled)
//	revoke-permission    a bus policy statement removed, then the exact
//	                     prior policy restored (journaled); by sid or by the
//	                     sender it allows. A target role's permission is
//	                     not changed live: IAM is out of busdrill's reach.
//	throttle             entry_error: ThrottlingException only, injected on
//	                     the client side (smithy middleware on the SDK's
//	                     PutEvents clients of every producer); an account's
//	                     real quota cannot be lowered
//	duplicate            producer-timeout only (the client publishes a
//	                     successful call twice); EventBridge's own
//	                     redelivery cannot be caused
//
// Every other kind (outage, latency, stall, poison, oversize, replay,
// redrive, quota changes) is refused by [Supported] before the run makes
// any call. A real account's propagation lag is unknown, so fault windows
// are the times the changes were made.
//
// The live session runs the schedule ([Run]) with an [Env] it builds once
// the probes are in place and the drill starts: the run's start, the
// deployed layout, the actuator targets, the journal, the client-side
// faults and the drill as the recorder of the faults' timeline. This
// package does not know the session.
package schedule
