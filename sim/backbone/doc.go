// Package backbone is the in-memory model of an Amazon EventBridge
// backbone ("Custom Event Bus - Classic"): buses, rules, targets, resource
// policies, quotas, retries, dead-letter queues, archives and replays,
// running on a sim.Engine in virtual time. It follows
// /work/shared/docs/eventbridge-model.md; where that document says
// UNCONFIRMED, the behaviour is a parameter and the default is documented
// below.
//
// # Use
//
//	m, err := backbone.New(topo, backbone.DefaultParams(), observer)
//	resp := m.PutEvents("orders", entries) // at m.Now()
//	m.RunUntil(sim.At(time.Minute))       // or Step, RunUntilIdle
//
// The model is single-threaded and deterministic: no clock, no global
// randomness, no map order in behaviour or output. The same topology,
// Params (seed included) and sequence of calls give a byte-identical
// observation trace, whatever GOMAXPROCS. Actors that share the clock
// (load generators, fault schedules) register as a [Waker] and ask for
// wake-ups with [Model.WakeAt].
//
// The one concurrency is optional and changes no value: with
// Params.DrawAhead, the hop latencies (whose streams feed nothing else)
// are drawn in batches ahead of their use on goroutines that
// internal/pipeline starts, and [Model.Close] ends them; the model itself
// is still stepped from one goroutine, and takes the same values in the
// same order.
//
// # What is modelled
//
// PutEvents ([Model.PutEvents]; §1.2): the request is refused as a whole
// with ThrottlingException "Rate exceeded" when the sender's PutEvents
// token bucket (per account per Region, shared by its buses) is empty,
// then with ValidationException for 0 or more than 10 entries or a total
// size (the documented formula, summed over the entries) over
// MaxRequestBytes. Otherwise the response is HTTP 200 with one result per
// entry in order: InvalidArgument (missing Source, DetailType, Detail),
// MalformedDetail (Detail not a JSON object), NotAuthorizedForSource-
// Exception (source "aws.*"; UNCONFIRMED), AccessDeniedException (another
// account's bus whose policy does not allow the sender; UNCONFIRMED code),
// or an EventId: a deterministic version-4 UUID from the "ids" stream. An
// unknown bus of the sender's own account is accepted and the event
// dropped (cause "unknown-bus"). The response carries AckAt, when the
// caller sees it (Ack latency). Accepted events reach their bus after the
// Ingest latency. The throttle is checked before validation
// (UNCONFIRMED), so refused requests also use a token.
//
// Routing (§4, §6): on arrival at a bus the event is matched against every
// rule of the bus with the rules' state at that instant; each enabled
// matching rule invokes each of its targets, in parallel. A matching
// DISABLED rule drops the event for its targets: nothing is kept for
// later. Bus targets forward: the role must be assumable
// (FAILED_TO_ASSUME_ROLE), the one-hop rule must allow it (an event that
// arrived through a bus-to-bus forward is never forwarded again:
// THIRD_ACCOUNT_HOP_DETECTED; see topology.ForwardRefusal), and the
// destination's policy must allow the forwarding bus's account at that
// instant (else CrossAccountDeniedCode, default NO_PERMISSIONS;
// UNCONFIRMED). The forwarded event is the same envelope: same id
// (UNCONFIRMED), same account. Queue and log targets deliver: that is the
// observation point. Handler targets are Lambda-like (see [HandlerSpec]):
// the invocation succeeds when the handler accepts it; runs wait for one
// of Concurrency slots, last Process, fail with FailureProbability and are
// then retried by the handler itself (Lambda's async retries, default
// after 1 and 2 minutes), else dropped with cause "handler-failed"; a
// successful run is the consumer's delivery and calls OnSuccess, which may
// publish as the handler's account (how service stand-ins chain
// Order.Created → Delivery.Updated → Order.Updated).
//
// Quotas (§2): the invocations quota (per account of the rule, per
// Region) delays invocations, never drops them (ThrottledRules). Default
// quotas come from the Region tables [topology.PutEventsTPSByRegion] and
// [topology.InvocationsTPSByRegion]; burst defaults to one second's worth
// (UNCONFIRMED). Params.AccountQuotas raise or lower them for single
// accounts, as AWS does per account and Region.
//
// Target throughput (§2.2): a handler with HandlerSpec.MaxRate accepts
// at most that many invocations per second (a token bucket one second
// deep: an API destination's invocation rate, a downstream API's limit);
// an invocation over it fails with THROTTLING and is retried under the
// target's retry policy, so a target pushed past its throughput ends in
// retry exhaustion or event age.
//
// Delivery (§5): at least once, no ordering guarantee (latencies are
// independent draws). With DuplicateProbability a successful invocation
// is followed by an extra one of the same envelope (marked Duplicate; a
// failed extra one is silently not delivered). A failed attempt with a
// retryable ERROR_CODE ([Retryable]: THROTTLING, CONNECTION_FAILURE,
// TIMEOUT, INTERNAL_ERROR, ERROR_FROM_TARGET, ...) is retried after the
// [Backoff] delay, and each retry takes an invocations token again.
// Retrying stops when MaximumRetryAttempts retries have failed
// (EXHAUSTED_RETRY_CONDITION MaximumRetryAttempts) or when the next retry
// would start more than MaximumEventAgeInSeconds after the rule matched
// (MaximumEventAgeInSeconds). Non-retryable codes (NO_PERMISSIONS,
// NO_RESOURCE, FAILED_TO_ASSUME_ROLE, THIRD_ACCOUNT_HOP_DETECTED, ...) end
// at once, with no EXHAUSTED_RETRY_CONDITION (UNCONFIRMED) and
// RETRY_ATTEMPTS 0. The event then goes to the target's DLQ (a
// KindDeadLettered observation carrying RULE_ARN, TARGET_ARN, ERROR_CODE,
// ERROR_MESSAGE, EXHAUSTED_RETRY_CONDITION, RETRY_ATTEMPTS; the body is
// the original event, UNCONFIRMED) or, without one, is dropped and counted
// in FailedInvocations. ERROR_MESSAGE texts are the model's own.
//
// Control plane: [Model.DisableRule], [Model.EnableRule],
// [Model.PutPermission], [Model.RemovePermission] and
// [Model.SetRoleAllowed] take effect ControlPlaneLag after the call
// (AWS: eventually consistent, no figure); [Model.SetAvailability] (a
// target or resource failing with a chosen ERROR_CODE, or available
// again) and [Model.SetHandlerFailureProbability] are data-plane faults
// and apply at once. These are the actuators of the fault schedule, with
// the fault hooks below.
//
// Archives and replay (§7): an archive receives the events of its bus that
// match its optional pattern, after ArchiveLag; replayed events are never
// archived. [Model.StartReplay] refuses another bus ("Cross event bus
// replay is not permitted."), start ≥ end, a duplicate name and more than
// MaxActiveReplays active; it goes STARTING → RUNNING → COMPLETED and
// re-sends the archived events of [start, end) in one-minute buckets of
// event time, oldest first, each with replay-name, optionally only to some
// rules. Replayed events keep their id unless ReplayNewIDs (UNCONFIRMED).
// Archives hold their events (that is what they are for): memory grows
// with archived events, bounded by RetentionDays.
//
// Not modelled: cross-Region routing, input transformers, the default
// bus's AWS events, schedules, per-entry ThrottlingException/
// InternalFailure of its own ([Model.SetEntryFailure] injects them),
// CancelReplay, SQS consumers (visibility timeout, polling: the
// consumer's business; busdrill serve has them), queue policies.
//
// Runtime control plane (runtime.go; busdrill serve's, never the
// simulator's): [Model.AddAccount], [Model.CreateBus],
// [Model.DeleteBus], [Model.CreateQueue], [Model.DeleteQueue],
// [Model.CreateArchive] and [Model.DeleteArchive] apply at once;
// [Model.PutRule] (create, or replace pattern and state),
// [Model.DeleteRule], [Model.PutTarget], [Model.RemoveTarget] and
// [Model.SetPolicy] apply ControlPlaneLag after the call, in call order,
// resolving names when they apply. A queue or DLQ that does not exist
// fails deliveries with NO_RESOURCE (InvocationsFailedToBeSentToDlq for
// a DLQ), a forward to a bus that does not exist likewise, a handler the
// model does not know likewise. Slots stay stable for the events in
// flight: an invocation of a target removed since (a retry, a duplicate)
// is dropped with cause "target-removed". [Params.Epoch] maps virtual
// time 0 onto the calendar (default sim.Epoch); a wall-clock driver sets
// it to its start and steps the model with [Model.NextEventTime] and
// RunUntil. Rules, targets and buses added at run time have no nominal
// routes (the router's are the topology's at New).
//
// # Parameters and defaults
//
//	Seed                    0           derives every random stream
//	PutEventsTPS/Burst      Region table / 1 s worth   [QUOTA]; burst UNCONFIRMED
//	InvocationsTPS/Burst    Region table / 1 s worth   [QUOTA]; burst UNCONFIRMED
//	MaxRequestBytes         1,048,576   2026 limit, exact bytes UNCONFIRMED; 262,144 legacy
//	ControlPlaneLag         5 s         UNCONFIRMED ("a short period of time")
//	Latency.Ack             lognormal median 20 ms, p99 80 ms
//	Latency.Ingest          lognormal 10 ms / 40 ms   (call → rules evaluated)
//	Latency.Forward         lognormal 20 ms / 100 ms  (match → next bus)
//	Latency.Deliver         lognormal 15 ms / 60 ms   (match → queue or log)
//	Latency.Invoke          lognormal 15 ms / 60 ms   (match → handler accepts)
//	DuplicateProbability    0           rare in AWS, no rate published; 1e-4 to drill
//	Backoff                 1 s ×2 up to 9 min, −20 % jitter: 185 retries ≈ 23.9 h
//	CrossAccountDeniedCode  NO_PERMISSIONS   UNCONFIRMED
//	ArchiveLag              uniform 30 s–10 min   AWS: wait 10 min before replaying
//	ReplayStartDelay        30 s        UNCONFIRMED
//	ReplayBucketInterval    1 s         UNCONFIRMED
//	ReplayNewIDs            false       UNCONFIRMED
//	MaxActiveReplays        10          [UG23]
//	HandlerSpec             concurrency 1,000; process lognormal 20 ms / 200 ms;
//	                        failure 0; retries after 1 min and 2 min (Lambda async);
//	                        MaxRate 0 (no throughput limit)
//	AccountQuotas           none (every account has the quotas above)
//
// No latency figure is published (§8): the defaults put a global-bus event
// into a local-bus handler in about 45 ms median and 80 ms p90, the figure
// the Amazon Key team reports at about 2,000 events/s.
//
// Random streams (rng.Streams from Seed), one per purpose so that adding
// a fault shifts nothing else: "ids", "latency/ack", "latency/ingest",
// "latency/forward", "latency/delivery", "latency/invoke", "duplicates",
// "retry-jitter", "archive-lag", "handler/<account>/<name>"; and, created
// when a fault hook first needs them, "faults/entries/<account>",
// "faults/latency/<hop>", "faults/latency/<hop>/<ref>", "faults/redrive".
//
// # Load
//
// [Model.HandlerLoads], [Model.AccountLoads] and [Model.TargetLoads]
// (load.go) report the model's load at an instant, for a capacity search
// (busdrill capacity): each handler's busy slots, backlog (and the age of
// its oldest waiting invocation), processing time started and demand;
// each account's quotas, PutEvents requests and invocations so far and
// how far ahead its invocations quota is booked (the delayed
// invocations, in time); each target's retries waiting and the most
// retries and greatest age reached under its retry policy. They read
// state and a few counters kept where a run starts or a retry is
// scheduled; they change nothing. Script: testdata/loads.txt.
//
// # Fault hooks
//
// Data-plane conditions for the chaos engine, in faults.go. Each applies
// at once (no control-plane lag), emits a KindControlApplied whose Message
// names the change (e.g. "SetPutEventsQuota a 2/s burst 2"), and has a
// restore form; an unknown reference or a bad value is an *APIError and
// changes nothing. Scripts: testdata/fault_*.txt.
//
//	SetPutEventsQuota(account, tps, burst)
//	    the account's PutEvents token bucket (burst 0: one second's worth);
//	    requests beyond it: whole-request ThrottlingException "Rate
//	    exceeded". The bucket keeps its tokens in use across the change.
//	    Restore: tps ≤ 0 (the configured quota). Quotas() still returns the
//	    configured values.
//	SetInvocationsQuota(account, tps, burst)
//	    likewise for invocations: delayed, never dropped (ThrottledRules);
//	    invocations already delayed keep their grant time. Restore: tps ≤ 0.
//	SetEntryFailure(account, code, p)
//	    each entry that passes validation and authorization fails with
//	    probability p with ErrorCode ThrottlingException ("Rate exceeded")
//	    or InternalFailure ("Internal service error. Please retry the
//	    request."; both messages the model's own); other codes are
//	    refused. HTTP 200, FailedEntryCount, KindPublishRejected,
//	    PutEventsFailedEntriesCount. Also the account's handlers'
//	    publishes. Restore: p 0.
//	SetDuplicateProbability(p), DuplicateProbability()
//	    overrides Params.DuplicateProbability (EventBridge redelivery: same
//	    envelope, same id, Duplicate). Restore: p < 0 (the configured value).
//	SetExtraLatency(hop, d), SetExtraLatencyAt(hop, ref, d)
//	    adds a sample of d to a hop, "ack", "ingest", "forward", "deliver"
//	    or "invoke", for what is scheduled from then on (retries and
//	    duplicates too). ref scopes it: an account (ack, ingest), a bus
//	    (ingest: events arriving from PutEvents), a target reference, or
//	    the bus, queue or handler targets deliver to (forward, deliver,
//	    invoke); a scoped extra adds to the hop-wide one. Restore: d nil
//	    (with the same hop and ref).
//	StallHandler(handler, stalled)
//	    a stalled consumer: it accepts invocations (EventBridge's
//	    asynchronous invocation succeeds) and ends the runs under way, but
//	    starts none; accepted invocations and its own retries wait in its
//	    backlog (in memory). Restore: stalled false, which starts the
//	    backlog in order, Concurrency at once.
//	HandlerSpec.FailsOn, SetPoison(handler, f)
//	    poison events: every run on an event f reports fails, with Cause
//	    "poison", whatever FailureProbability; the handler's own retries
//	    apply, then the event is dropped with cause "handler-failed" like
//	    every failed run (EventBridge's invocation had succeeded, so the
//	    target's retry policy and DLQ do not apply). f must be a pure
//	    function of the envelope. Restore: SetPoison(handler, nil).
//	DLQMessages(queue), Redrive(queue, max)
//	    the model keeps every message it dead-letters (the original event
//	    and the DLQ attributes) until redriven. Redrive takes the oldest
//	    max (≤ 0: all) out of the queue and invokes each failed target
//	    again with the same envelope (same id), as a redrive function
//	    calling the target would: after the hop's latency, outside the
//	    invocations quota, whatever the rule's state, with the target's
//	    retry policy and DLQ (a target still failing dead-letters it
//	    again) and counted in the rule's invocation metrics. Each message
//	    emits one KindRedriven per route its dead-lettering had cut (the
//	    same Sender, Consumer, EventID as those RouteLost with DLQ true):
//	    the route is in flight again and ends as any route does.
//	Statement(bus, sid)
//	    the statement in force, to remove it (RemovePermission) and later
//	    put back the exact one (PutPermission); both take the lag.
//
// The older data-plane faults: SetAvailability(ref, code) makes a target,
// queue, handler or destination bus fail its invocations with an
// ERROR_CODE: retryable codes (THROTTLING, CONNECTION_FAILURE, TIMEOUT,
// INTERNAL_ERROR, ERROR_FROM_TARGET, TRANSIENT_ASSUME_ROLE,
// SDK_CLIENT_ERROR, UNKNOWN) are retried with backoff under the target's
// retry policy, so a handler that comes back in time gets the event; any
// other (NO_PERMISSIONS, NO_RESOURCE, ...) goes to the DLQ or is dropped
// at once, RETRY_ATTEMPTS 0; code "" restores.
// SetHandlerFailureProbability(handler, p) fails handler runs (the
// handler's own retries, then "handler-failed"); restore with the spec's
// value. Disabling a rule, revoking a policy statement or a role stay
// control-plane calls with the lag (DisableRule/EnableRule,
// RemovePermission/PutPermission, SetRoleAllowed).
//
// # Observations
//
// Every state change is reported to the [Observer] as an [Observation]
// (one reused value: copy what you keep) with Kind, virtual Time, Sender
// (the publishing account: with Consumer, the ledger's route), Account,
// Bus, Rule, Target, Consumer, Queue, EventID, Env, Cause, Message,
// Attempt, Exhausted, RuleARN, TargetARN, Delay, Duplicate, Hopped, DLQ,
// Replay. Kinds: publish-accepted, publish-rejected (per entry, with the
// cause; request-level refusals give one per entry), ingested, archived,
// rule-matched, rule-disabled, throttled, forwarded, delivered,
// handler-accepted, handler-started, handler-failed, retry-scheduled,
// dead-lettered, dropped, route-lost, control-applied, replay-state,
// replayed, redriven. An observer that needs only some kinds says so
// ([Selective], [Filter]): the model then does not build the others; one
// that needs only events' first arrival at a bus adds [OmitsHops], and
// the model does not build the ingestions of forwarded events for it.
//
// For the loss ledger: each (event, consumer) route of the nominal
// topology (topology.Router.ExpectedRoutes) ends in exactly one of
// delivered (Duplicate false), route-lost with DLQ true (in a DLQ), or
// route-lost with DLQ false (dropped, Cause = "rule-disabled",
// "handler-failed" or the ERROR_CODE); anything else is in flight. A
// redriven observation puts a route that was in a DLQ back in flight (so
// a route's last terminal observation is its fate). A loss
// at a rule or a bus forward emits one route-lost per nominal downstream
// consumer, computed with the Router from that point; a loss on a path
// that is not nominal (e.g. the hop limit, a policy that never allowed)
// emits none, as such routes are not expected. [Observation.AppendJSON]
// and [TraceWriter] write the JSON-lines trace of --trace.
//
// [Model.Metrics] returns the CloudWatch counters of §9 with AWS's
// dimensions (account-wide, per bus, per rule), non-zero only, in a
// deterministic order: Invocations, FailedInvocations, MatchedEvents,
// TriggeredRules, ThrottledRules, DeadLetterInvocations,
// InvocationsSentToDlq, InvocationAttempts, SuccessfulInvocationAttempts,
// RetryInvocationAttempts, InvocationsCreated, PutEventsApproximateCall-
// Count/SuccessCount/FailedCount/ThrottledCount, PutEventsEntriesCount,
// PutEventsFailedEntriesCount.
//
// # Cost
//
// Memory is proportional to the events in flight: the model keeps no
// per-event history (dedupe belongs to consumers), but for archives and
// dead-letter queues, which keep their events (DLQ messages until
// redriven: memory grows with the failures). A [Holder] (Params.Holds)
// learns which events the model still holds, counted by reference on
// each event's record: a harness then knows when nothing of a journey is
// left, and forgets it. A harness that can rebuild details (Params.Details)
// may publish entries without them (event.Entry.DetailLazy): the model
// builds a detail only when something reads it (lazy.go). Scheduling
// never allocates; the one allocation per published event is its record (the
// envelope with its id inline), shared by every bus, rule and target it
// reaches. PutEvents keeps the entries' Detail and Resources slices:
// callers must not modify them afterwards. PutEvents allocates the results
// slice; PutEventsTo reuses the caller's. On one core the order-flow
// benchmark runs about 1.6 million engine events per second
// (BenchmarkOrderFlow).
//
// # Script tests
//
// testdata/*.txt are datadriven scripts (github.com/cockroachdb/datadriven),
// one per behaviour; `go test ./sim/backbone -run TestScripts -rewrite`
// regenerates the expected output. Scripts use constant latencies (ack
// and ingest 10 ms, forward 20 ms, deliver and invoke 10 ms; handler runs
// 100 ms) and seed 1 unless told otherwise. Event ids print as e1, e2, ...
// in order of first appearance. Commands (one handler each in
// script_*_test.go):
//
//	params k=v...        before topology: seed, lag, dup, put-tps, put-burst,
//	                     inv-tps, inv-burst, max-bytes, latency=default,
//	                     archive-lag, replay-start, replay-interval,
//	                     denied-code, backoff=BASE,CAP,JITTER; one account's
//	                     quotas: account=A account-put-tps=T account-inv-tps=T
//	topology [reference=N services=a,b]
//	                     builds the model; input lines add to the topology:
//	                       account NAME ID [org=O]
//	                       bus ACCT/BUS [allow=NAME,...] [org=O]
//	                       rule ACCT/BUS/RULE [state=DISABLED] pattern=JSON
//	                       target ACCT/BUS/RULE/ID KIND=REF [role=R] [dlq=Q]
//	                              [retries=N] [max-age=S]
//	                       queue ACCT/NAME
//	                       handler ACCT/NAME [concurrency=N] [process=D]
//	                              [fail=P] [retries=N] [max-rate=R]
//	                              [publish=TYPE@BUS]
//	                       archive NAME bus=REF [retention=DAYS] [pattern=JSON]
//	                     prints validation problems or a summary
//	routes sender=A bus=B   + entry lines: topology expected routes
//	put account=A [bus=B]   + entry lines [source= detail-type= detail=
//	                     bus= time= resources= detail-bytes= repeat=]:
//	                     prints the response
//	advance DUR [kinds=..|all]   run for DUR, print what happened
//	run [kinds=..|all]           run until idle, print what happened
//	deliveries [consumer=C] [sender=A]   every delivery so far
//	dlq queue=Q          DLQ messages with their attributes
//	lost                 route-lost attributions so far
//	metrics [scope=PREFIX]
//	trace                JSON lines since the last trace
//	disable-rule|enable-rule bus=B rule=R
//	remove-permission bus=B sid=S;  put-permission bus=B sid=S principal=P
//	set-role account=A role=R allowed=BOOL
//	target-outage ref=REF [code=CODE]   (no code: available again)
//	handler-failure handler=H p=P
//	start-replay name=N archive=A bus=B start=DUR end=DUR [rules=a,b]
//	describe-replay name=N
//	loads                the model's load now (load.go)
//
// and the fault hooks' (script_faults_test.go):
//
//	putevents-quota|invocations-quota account=A tps=T [burst=B]  (tps=0: restore)
//	entry-failure account=A code=C p=P
//	duplicate-probability p=P      (negative: restore)
//	extra-latency hop=H [ref=R] [const=DUR | uniform=MIN,MAX]  (neither: restore)
//	stall handler=H [stalled=BOOL]
//	poison handler=H [match=S]     (detail contains S; no match: restore)
//	dlq-messages queue=Q           Model.DLQMessages
//	redrive queue=Q [max=N]
//	statement bus=B sid=S
//
// To add a script: write testdata/<behaviour>.txt with a comment saying
// what it shows, the commands and empty "----" blocks, run with -rewrite,
// and read the output as a reviewer would before committing it. A new
// command is a new cmdX function registered in scriptCommands.
package backbone
