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
// path and logical id. Bounds: 8 MiB of text, 200 levels of nesting,
// 524,288 values with YAML aliases expanded; merge keys (<<) and unknown
// tags are refused.
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
package cfn
