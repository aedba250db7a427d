// Package cfn reads CloudFormation templates, as cdk synth writes them
// (JSON in cdk.out/, YAML on standard output) or as people write them by
// hand, and imports the EventBridge backbone they describe into a
// topology.Topology.
//
// # Reading
//
// [Parse] reads one template, JSON or YAML, into [Value]s that keep the
// order of mapping keys (an event pattern is written back the way the
// template wrote it) and every value's line and column. YAML's short
// intrinsic tags (!Ref, !GetAtt, !Sub, !Join, !Select, !Split, !If,
// !Equals, !Not, !And, !Or, !Condition, !FindInMap, !ImportValue, !GetAZs,
// !Base64, !Cidr, !Transform, !Length, !ToJsonString) read as their long
// forms, so a YAML template and its JSON twin are the same values. It
// checks the shape (a mapping with a Resources mapping whose entries have
// a Type) and reports every problem as an [Error] with file, line, column,
// path and logical id. Bounds: 8 MiB of text (which [ReadFile] checks
// before reading), 200 levels of nesting, 524,288 values with YAML
// aliases expanded; merge keys (<<) and unknown tags are refused.
//
// # Evaluating
//
// A [Stack] is a template as deployed in one account and Region. Its
// Eval resolves Ref (pseudo parameters, parameters from --param or their
// Default, resources), Fn::GetAtt, Fn::Sub (with variables and ${!Literal}),
// Fn::Join, Fn::Select, Fn::Split, Fn::If with the Conditions section
// (Fn::Equals, Fn::And, Fn::Or, Fn::Not, Condition), Fn::FindInMap,
// Fn::ImportValue (the exports of the other templates of the import),
// Fn::Base64, Fn::ToJsonString and Fn::Length; AWS::NoValue removes what
// it stands for. Evaluation is lazy: only the values an import reads are
// evaluated, so what cannot be resolved elsewhere in a template (a
// Lambda's environment, an IAM policy) never stops an import.
//
// What Ref and Fn::GetAtt return follows CloudFormation for the resource
// types an EventBridge backbone uses: the names of buses, functions, log
// groups and roles; queue URLs; the ARNs of buses, rules (rule/BUS/NAME on
// a custom bus), queues, functions, log groups (with ":*"), roles (with
// their Path), archives, SNS topics, state machines and Kinesis streams.
// Resources without a name property get their logical id as name
// (CloudFormation would generate "stack-LogicalId-RANDOM", known only
// after deployment); [Stack.PhysicalName] records them in
// Stack.Generated. Everything else CloudFormation knows only at
// deployment (the attributes of other resource types, Fn::GetAZs,
// Fn::Cidr, AWS::StackId, an SSM-typed parameter without --param) is an
// Opaque value: harmless where nothing reads it, an error naming it where
// text is needed, and an unmodelled target where a rule targets it.
// Fn::Transform and macros are refused: import the processed template.
//
// Evaluation is bounded too: 100 nested functions, 1 MiB of text from a
// Join or Sub, 10,000 items from a Split, and 2 M steps per stack; cycles
// (a condition or a name that depends on itself) are errors.
//
// # Importing
//
// [Import] takes the templates of a backbone, each with the account it is
// deployed in (cdk.out holds one per stack; an account may have several),
// and assembles (package topology/assemble) the topology they deploy:
//
//   - accounts in the order first given, named after their first stack
//     ("OrdersStack" is orders; [AccountName]) or by Options.Names;
//   - buses (AWS::Events::EventBus; the default bus where a rule or policy
//     uses it) with their policies: the bus's Policy property and every
//     AWS::Events::EventBusPolicy, in its Statement form or its older
//     StatementId/Action/Principal/Condition form;
//   - rules (AWS::Events::Rule) with an event pattern, on any bus of the
//     import (EventBusName a name, a Ref or an ARN), with their state,
//     description and targets (Arn, RoleArn, DeadLetterConfig, RetryPolicy);
//   - queues (AWS::SQS::Queue), the Lambda functions rules invoke (as
//     handlers), and archives (AWS::Events::Archive).
//
// Every template is read before any rule, so a rule may target the bus
// of any account of the import, by a literal ARN, a Join or Sub of one,
// or an Fn::ImportValue of another template's export. A value that cannot
// be resolved fails the import with every such problem, each naming file,
// line, column, template path and logical id; a reference to a bus or an
// account no template defines says to add that template. What the
// topology cannot carry is imported as far as it can be and named in a
// note: targets of other types (SNS, Step Functions, API destinations,
// ...), input transformers, schedules, policy statements or conditions
// the model does not check (see package topology/assemble).
//
// The result also carries what a lint needs beyond the topology: every
// Lambda event source mapping or pipe reading a queue, and every
// CloudWatch alarm on a queue's metrics (AWS/SQS, dimension QueueName),
// as the evidence of a redrive plan for a dead-letter queue; and the
// resources named by their logical id. A template that declares a
// transform (SAM's AWS::Serverless-2016-10-31) gets a warning: what the
// transform would create is not in the template as written.
package cfn
