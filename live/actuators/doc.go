// Package actuators are the live chaos actuators: the AWS side of the
// scenario's faults, for the chaos engine's fault schedule to call.
//
// Control-plane faults are journaled (live/journal) before they are made,
// with the exact inverse of the state observed just before:
//
//		ch, err := actuators.DisableRule(ctx, j, target, "global", "to-delivery")
//		...                                    // the fault window
//		err = actuators.Revert(ctx, j, target, ch)   // idempotent, marks it restored
//
//	  - [DisableRule] / [EnableRule]: DescribeRule, then (only if the state
//	    differs) journal the opposite call, then act. A rule already in the
//	    wanted state is a no-op (no journal line: its inverse would be
//	    wrong).
//	  - [RemovePolicyStatement]: DescribeEventBus, journal the exact prior
//	    policy document (restored with PutPermission Policy=..., which the
//	    journal executor verifies and, on services that merge statements like
//	    moto, clears and re-puts), then RemovePermission StatementId.
//	  - [Revert] undoes one change through journal.AWSExecutor and appends
//	    the Restored marker, so 'busdrill aws restore' skips it;
//	    [RevertAll] undoes a filtered set (the chaos changes of a run that
//	    keeps its probes).
//
// Client-side faults ([ClientFaults]) change nothing in AWS and are not
// journaled: smithy middleware on the PutEvents clients throttles whole
// calls (inside the SDK retry loop, so the retryer backs off as for real
// throttling), throttles single entries (partial failures the publisher
// resends), or duplicates successful calls (every entry published twice,
// under two event ids). [WithFaults] installs them on a client; the
// probabilities can change at any time.
//
// moto stores but never enforces DisableRule and bus policies, and never
// throttles or duplicates: tests check the actuators on moto's control
// plane (DescribeRule, DescribeEventBus), in the journal and restore, and
// the client-side faults in the results.
package actuators
