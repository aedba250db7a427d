// Package assemble builds a topology.Topology from the descriptions AWS
// itself gives of an EventBridge backbone — accounts, buses, bus policy
// documents, rules, and targets named by ARN — so that a CloudFormation
// template (topology/cfn) and a deployed account (topology/deployed)
// become the same topology the same way.
//
// A [Builder] collects accounts (name and 12-digit id), buses, policy
// statements, rules, queues and archives, each with its [Where]: a place
// in a template (file, line, column, path, logical id) or an ARN. Targets
// are given as AWS describes them ([TargetSpec]: Id, Arn, RoleArn,
// DeadLetterConfig.Arn, RetryPolicy) and resolved in [Builder.Build],
// once every bus is known:
//
//	arn:…:events:…:ACCOUNT:event-bus/NAME   bus target ACCOUNT/NAME (with its role's name)
//	arn:…:sqs:…:ACCOUNT:NAME               queue target; the queue is declared
//	arn:…:logs:…:ACCOUNT:log-group:NAME    log target (in the rule's account)
//	arn:…:lambda:…:ACCOUNT:function:NAME   handler target; the handler is declared
//
// A default bus that a target names is declared: it always exists.
// A bus policy document ([Builder.AddPolicy]) keeps the Allow statements
// that grant events:PutEvents (or events:*) to "*", an account id or an
// account's root, with an aws:PrincipalOrgID condition.
//
// Nothing is dropped or changed silently. What the topology cannot carry
// is a [Note] with its Where and a severity: "warning" when deliveries or
// permissions are lost from view (a target type busdrill does not model,
// a Deny statement, a policy condition other than the organization, a
// role principal kept as its whole account), "note" when only form
// changes (an input transformer, a function alias, a statement with
// several principals split into one per principal). A reference the
// builder cannot resolve is an error: in strict mode (templates, which
// define the whole backbone) a target bus or account no template defines
// fails the build with a hint, and a queue no template defines is
// declared with a note; otherwise (deployed accounts) such a target is
// skipped with a warning, since the bus really is not there.
//
// The [Result] holds the topology, a map from topology paths ("buses[1]
// .rules[0].targets[2]", as topology.Problem spells them) to their
// sources, the notes, the topology's validation problems (an importer
// refuses to print an invalid topology; the lint reports them) and the
// [Facts] a lint needs beyond the topology: the evidence of redrive plans
// for dead-letter queues, what a live import read of its queues, and the
// resources named by their logical id.
package assemble
