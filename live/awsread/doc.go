// Package awsread reads a deployed EventBridge backbone with aws-sdk-go-v2,
// for busdrill topology import --live and topology lint --live: [Reader]
// implements topology/deployed's Reader (ListEventBuses,
// DescribeEventBus, ListRules, DescribeRule, ListTargetsByRule, and
// GetQueueUrl/GetQueueAttributes) over the clients of each account, and
// [Import] runs a whole import under the live section's guards.
//
// The guards are those of every live command (scenarios/livespec,
// live/awsclients): an account outside allowed_accounts is refused before
// any call; the credentials of each account (the standard chain, a
// profile, or an assumed role, with sessions named busdrill-import) are
// checked with STS GetCallerIdentity first; credentials never reach
// output or errors (every error passes through live/redact). [Plan] lists
// the calls beforehand, in the form of busdrill aws plan, and every call
// is a read: nothing in the accounts changes.
//
// List calls page until the service stops (at most 100 pages each, far
// beyond the quotas). A queue that does not exist (QueueDoesNotExist, or
// AWS.SimpleQueueService.NonExistentQueue in the query protocol) is a
// fact for the lint, not an error.
//
// The accounts are read, and listed in the topology, in the order of
// their ids ([Accounts]). busdrill serve, the local EventBridge endpoint,
// is read like any account through --endpoint-url: a round trip
// scenario → serve → import compares deployed.Read(ctx, New(set), ...)
// with the scenario's topology. The tests check the request shapes
// against moto.
package awsread
