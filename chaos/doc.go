// Package chaos is busdrill's fault schedule: the faults a scenario
// injects, checked against its topology and compiled into a timeline, and
// the interface through which a world (the in-memory model, or a live
// backbone) injects them.
//
// # Faults
//
// A fault names its kind, what it hits, and either a window (at + for) or,
// for probabilistic faults, a probability for the whole run. Several may
// overlap. The kinds:
//
//	throttle           a sender's PutEvents quota lowered (whole-request
//	                   ThrottlingException), its entries failed with
//	                   ThrottlingException or InternalFailure with a
//	                   probability, or an account's invocations quota
//	                   lowered (invocations delayed)
//	disable-rule       a rule disabled for the window; events are dropped,
//	                   nothing is queued; both changes take the control
//	                   plane's propagation lag
//	revoke-permission  a bus policy statement removed (by sid, or the one
//	                   allowing a sender), or a target role's permission
//	duplicate          producer-timeout: the producer's client resends a
//	                   request that had succeeded (same business key, new
//	                   id); redelivery: EventBridge delivers twice (same id)
//	outage             a service or rule target fails its invocations
//	                   with an ERROR_CODE (retried with backoff unless not
//	                   retryable)
//	latency            extra delay on a hop (ack, ingest, forward, deliver,
//	                   invoke)
//	stall              a service accepts events but processes none
//	poison             orders whose events a service cannot process
//	oversize           orders too large for PutEvents
//	replay             remediation: replay an archive's window of events
//	redrive            remediation: send a DLQ's messages again
//
// A key that does not apply to a kind is an error at its line. Compile
// resolves every reference (buses, rules, statements, roles, services,
// targets, archives, queues) and reports every problem at once.
//
// # Determinism
//
// Every fault draws its random decisions from its own stream,
// "faults/NAME", so adding a fault never changes the arrivals, the
// payloads or another fault's decisions: a run with a fault and the same
// run without it are comparable order for order.
//
// # Worlds
//
// A world implements [Actuator]. Fault.Apply at the start of the window
// and Fault.Revert at its end call it; instant faults (remediations) are
// applied once. Producer-side faults (producer-timeout duplicates, poison,
// oversize) are not actuated: the world's producer asks the timeline
// whether they are active ([Timeline.Active]) as it sends each order.
//
// # What the report sees
//
// [Timeline.Windows] are the fault windows the report's recorder splits
// the run by (report.Config.Windows takes them as they are), and
// report.FaultOf turns a fault into its timeline entry in the results.
// The arrow points from report to chaos: this package knows nothing of
// the report.
package chaos
