// Package deployed reads a backbone back from the accounts it is deployed
// in, through a [Reader] of read-only calls (ListEventBuses,
// DescribeEventBus, ListRules, DescribeRule, ListTargetsByRule, and
// GetQueueUrl/GetQueueAttributes), into a topology.Topology. It imports no
// AWS SDK: live/awsread implements the Reader with aws-sdk-go-v2, tests
// use a fake, and busdrill serve (a local EventBridge endpoint) is read
// through the SDK implementation like any account.
//
//	res, err := deployed.Read(ctx, reader, deployed.Options{
//		Region:   "eu-west-1",
//		Accounts: []deployed.Account{{Name: "bus", ID: "111111111111"}, ...},
//	})
//	// res.Topology, res.Notes, res.Facts.Queues; res.Problems
//
// A round trip (deploy a scenario's topology t, read it back) reads with
// OptionsFor(t) and compares res.Topology with t: the queues come back in
// the order targets name them, archives not at all (see below).
//
// [Plan] lists, before anything is called, the calls [Read] makes in each
// account: all read-only. Read walks each account in order: every bus
// (the default bus only when it has rules or a policy) with its policy
// document, every rule of the bus as DescribeRule gives it, every target
// of the rule, then the attributes of every queue a target or a
// dead-letter configuration names (once each, in the account that owns
// it). The descriptions are assembled as package topology/assemble does
// for templates, leniently: a target whose bus does not exist, or that
// lies in an account the import does not read, is left out with a
// warning note, because that is the deployed truth; what GetQueueAttributes
// says (missing queue, FIFO, messages waiting) becomes Facts.Queues for
// the lint. Archives are not read (ListArchives is not among the calls),
// and redrive plans cannot be seen with these calls
// (Facts.RedriveKnown is false). Each element is located by its ARN (a
// target by its rule's ARN and "Targets[ID]").
//
// A call that fails stops the read with the account and the call named:
// a partial topology would be linted as if it were the whole.
package deployed
