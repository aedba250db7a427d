// Package serve is `busdrill serve`: busdrill's EventBridge model
// (sim/backbone) on the AWS wire, on the wall clock. It speaks
// EventBridge (JSON 1.1), SQS (the JSON protocol current SDKs use) and
// STS (query/XML) as the SDKs and the AWS CLI expect them (package wire),
// so that live mode, boto3, the AWS CLI or any SDK can rehearse against a
// backbone that behaves like EventBridge: patterns, bus policies,
// cross-account permission, the one-hop rule, quotas and throttling,
// at-least-once delivery, retries with backoff, DLQs with their
// attributes, max event age, archives and replay, control-plane lag.
//
//	s, err := serve.New(serve.Options{Listen: "127.0.0.1:0", Scenario: sc})
//	err = s.Start(ctx)
//	// point clients at s.URL(); s.Close() when done
//
// # One loop, the wall clock
//
// One goroutine owns everything stateful (the backend: the model, the
// control-plane state, the SQS queues, the temporary credentials, the
// fault schedule). HTTP handlers decode their request on their own
// goroutine, post a job to the loop and wait for its answer. The loop
// sleeps until the model's next event or the next job; before it handles
// a job it runs the model up to the wall clock's now (virtual time 0 is
// the server's start; Params.Epoch maps it to the calendar), so each
// request happens at its own instant of the model's clock. Given the same
// requests at the same instants and the same seed, serve makes the same
// choices. The clock is a seam ([clock.Clock]; a clock.Manual for tests), and the
// backend's logic is plain methods at the model's instant: the tests drive
// it in virtual time without sleeping. PutEvents answers at once (the
// model's acknowledgement latency is not waited for, except while an "ack"
// latency fault is in force); deliveries happen at the model's latencies.
//
// # Accounts and credentials
//
// Requests are SigV4-signed by the clients; serve reads the access key id
// from the signature (and checks nothing else: it is a loopback emulator).
// A 12-digit key is that account (moto's convention); a key AssumeRole
// issued acts as the role's account (AssumeRole into any
// arn:aws:iam::ACCOUNT:role/NAME succeeds); other keys map through
// Options.Accounts (--accounts FILE), else to [DefaultAccount]. An account
// seen for the first time gets its default bus; the model names it
// "acct-<id>" unless a preloaded scenario names it.
//
// # The APIs
//
// EventBridge: CreateEventBus, DeleteEventBus, DescribeEventBus,
// ListEventBuses, PutPermission (Action or Policy form), RemovePermission
// (one statement, or all), PutRule, DescribeRule, ListRules, DeleteRule,
// EnableRule, DisableRule, PutTargets, RemoveTargets, ListTargetsByRule,
// ListRuleNamesByTarget, PutEvents, TestEventPattern, CreateArchive,
// DescribeArchive, ListArchives, DeleteArchive, StartReplay,
// DescribeReplay, TagResource, UntagResource, ListTagsForResource. SQS:
// CreateQueue, GetQueueUrl, GetQueueAttributes, SetQueueAttributes,
// SendMessage(Batch), ReceiveMessage, ChangeMessageVisibility(Batch),
// DeleteMessage(Batch), PurgeQueue, DeleteQueue, ListQueues, TagQueue,
// UntagQueue, ListQueueTags. STS: GetCallerIdentity, AssumeRole. Anything
// else answers UnknownOperationException (InvalidAction for STS).
//
// What Describe and List answer is the control plane's state at once;
// the data plane (the model) applies rule, target and policy changes
// Options.ControlPlaneLag later (0 by default: live runs place fault
// windows at the times of their calls). Resource policies are stored as
// given and enforced as far as the model goes: Allow statements for
// events:PutEvents to accounts or "*", optionally conditioned on
// aws:PrincipalOrgID; Deny and other conditions are shown, not enforced.
// Target kinds by ARN: event buses forward (with their role), SQS queues
// deliver into serve's queues (a queue that does not exist fails with
// NO_RESOURCE), CloudWatch Logs log groups and anything else serve does
// not model are counted sinks, Lambda functions are the Lambda-like
// handlers of a preloaded scenario (NO_RESOURCE otherwise). Input,
// InputPath and InputTransformer are stored and listed, not applied.
// Queue policies are stored, not enforced. FIFO queues behave as standard
// queues. Schedules never fire.
//
// SQS queues are serve's own, on the model's clock: delays, visibility
// timeouts, receive counts, long polls answered as soon as a message is
// visible, receipt handles, purge, retention, redrive to a dead-letter
// queue after maxReceiveCount receives, message attributes with their
// MD5 digests.
//
// # A preloaded scenario
//
// With Options.Scenario, its backbone exists from the start (every bus,
// the default buses, policies, rules with all their targets, the queues
// and DLQs as SQS queues, the archives) and its model section applies.
// With Options.StandIns its services run in their handler targets
// (standins.go, serve's whole adapter to the stand-ins' logic); by
// default they do not, because `busdrill run --target aws` plays them
// from its probes. Its fault schedule runs on the wall clock (faults.go):
// by default the faults a live run cannot inject itself, from the start
// of the busdrill run whose orders arrive (read from the first order's
// metadata), so that a live run and serve together inject each fault once,
// where the simulator puts it.
//
// # Control endpoints
//
// /_busdrill/... (loopback clients only; control.go): resources, the fault
// schedule, inject and clear a fault now, the metrics in Prometheus text
// (metrics.go: the CloudWatch metrics EventBridge publishes, per account,
// bus and rule, and serve's own), info, health.
//
// # Bounds
//
// Request bodies ([MaxRequestBytes]), accounts ([MaxAccounts]), queues
// ([MaxQueues]) and their messages ([MaxQueueMessages]), archives and
// replays per account ([MaxArchivesPerAccount], [MaxReplaysPerAccount]),
// counted log targets ([MaxLogTargets]), assumed-role sessions remembered
// ([MaxSessions]), busdrill runs followed by the stand-ins ([MaxRuns]),
// the model's bus and queue references (backbone.MaxSlots), rules per bus,
// targets per rule, buses per account, tags and policy sizes (AWS's
// quotas) are bounded. Memory otherwise grows with what is kept: messages
// in queues (retention), archived events, the model's DLQ copies.
//
// # Tests
//
// The package's tests drive serve through aws-sdk-go-v2 over loopback
// (every operation, the errors, the cross-account cases), through boto3
// (testdata/boto3_backbone.py), and in virtual time (virtual_test.go);
// serve/compare runs live mode against serve and compares it with the
// simulator. Benchmarks: bench_test.go (make bench).
package serve
