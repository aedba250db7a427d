package cfn

import (
	"fmt"
	"strings"
	"testing"
)

// evalTemplate is the template the expressions of TestEval are evaluated
// in: every section an expression may reach.
const evalTemplate = `
Parameters:
  Env: {Type: String, Default: staging, AllowedValues: [staging, prod]}
  NoDefault: {Type: String}
  Ids: {Type: CommaDelimitedList, Default: "111111111111, 222222222222"}
  Version: {Type: "AWS::SSM::Parameter::Value<String>", Default: /cdk-bootstrap/version}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsStaging: !Not [!Condition IsProd]
  Both: !And [!Condition IsStaging, !Equals [!Ref AWS::Region, eu-west-1]]
  Loop: !Not [!Condition Loop]
Mappings:
  Regions:
    eu-west-1: {Suffix: euw1}
Resources:
  Bus:
    Type: AWS::Events::EventBus
    Properties: {Name: !Sub "${AWS::StackName}-${Env}"}
  Rule:
    Type: AWS::Events::Rule
    Properties: {EventBusName: !Ref Bus, EventPattern: {source: [x]}}
  DefaultRule:
    Type: AWS::Events::Rule
    Properties: {Name: on-default, EventPattern: {source: [x]}}
  Queue:
    Type: AWS::SQS::Queue
  Fifo:
    Type: AWS::SQS::Queue
    Properties: {FifoQueue: true}
  Fn:
    Type: AWS::Lambda::Function
    Properties: {FunctionName: handler}
  Logs:
    Type: AWS::Logs::LogGroup
    Properties: {LogGroupName: /aws/events/bus}
  Role:
    Type: AWS::IAM::Role
    Properties: {Path: /service/}
  Topic:
    Type: AWS::SNS::Topic
  Dest:
    Type: AWS::Events::ApiDestination
  ProdOnly:
    Type: AWS::SQS::Queue
    Condition: IsProd
  SelfNamed:
    Type: AWS::SQS::Queue
    Properties: {QueueName: !GetAtt SelfNamed.QueueName}
`

func evalStack(t *testing.T, params map[string]string) *Stack {
	t.Helper()
	tpl, err := Parse("eval.yaml", []byte(evalTemplate))
	if err != nil {
		t.Fatal(err)
	}
	return &Stack{T: tpl, Name: "OrderStack", Account: "222222222222", Region: "eu-west-1", Params: params,
		Exports: func(name string) (*Value, error) {
			if name == "shared-bus-arn" {
				return str("arn:aws:events:eu-west-1:111111111111:event-bus/global"), nil
			}
			return nil, fmt.Errorf("no template of this import exports it")
		}}
}

// TestEval: each intrinsic function, on values and on errors. want is the
// compact JSON of the result, or "error: ..." for a part of the message.
func TestEval(t *testing.T) {
	for _, c := range []struct{ expr, want string }{
		// Ref: pseudo parameters, parameters, resources of each type.
		{"!Ref AWS::AccountId", `"222222222222"`},
		{"!Ref AWS::Partition", `"aws"`},
		{"!Ref AWS::URLSuffix", `"amazonaws.com"`},
		{"!Ref AWS::StackName", `"OrderStack"`},
		{"!Ref AWS::NotificationARNs", `[]`},
		{"!Ref Env", `"staging"`},
		{"!Ref Ids", `["111111111111","222222222222"]`},
		{"!Ref Bus", `"OrderStack-staging"`},
		{"!Ref Rule", `"OrderStack-staging|Rule"`},
		{"!Ref DefaultRule", `"on-default"`},
		{"!Ref Queue", `"https://sqs.eu-west-1.amazonaws.com/222222222222/Queue"`},
		{"!Ref Fifo", `"https://sqs.eu-west-1.amazonaws.com/222222222222/Fifo.fifo"`},
		{"!Ref Fn", `"handler"`},
		{"!Ref Topic", `"arn:aws:sns:eu-west-1:222222222222:Topic"`},
		{"!Ref Nope", "error: Ref \"Nope\": the template has no parameter or resource of that name"},
		{"!Ref NoDefault", "error: parameter NoDefault has no default: give --param NoDefault=VALUE"},
		{"!Ref Version", "error: parameter Version is read from SSM parameter \"/cdk-bootstrap/version\" at deployment"},
		{"!Ref ProdOnly", "error: ProdOnly is left out of the stack by its condition IsProd"},
		{"!Ref SelfNamed", "error: the name of SelfNamed depends on itself"},
		// GetAtt.
		{"!GetAtt Bus.Arn", `"arn:aws:events:eu-west-1:222222222222:event-bus/OrderStack-staging"`},
		{"!GetAtt Rule.Arn", `"arn:aws:events:eu-west-1:222222222222:rule/OrderStack-staging/Rule"`},
		{"!GetAtt DefaultRule.Arn", `"arn:aws:events:eu-west-1:222222222222:rule/on-default"`},
		{"!GetAtt Queue.Arn", `"arn:aws:sqs:eu-west-1:222222222222:Queue"`},
		{"!GetAtt Fn.Arn", `"arn:aws:lambda:eu-west-1:222222222222:function:handler"`},
		{"!GetAtt Logs.Arn", `"arn:aws:logs:eu-west-1:222222222222:log-group:/aws/events/bus:*"`},
		{"!GetAtt Role.Arn", `"arn:aws:iam::222222222222:role/service/Role"`},
		{"{Fn::GetAtt: [Fn, !Sub Arn]}", `"arn:aws:lambda:eu-west-1:222222222222:function:handler"`},
		{"{Fn::GetAtt: Fn.Arn}", `"arn:aws:lambda:eu-west-1:222222222222:function:handler"`},
		{"!GetAtt Missing.Arn", "error: Fn::GetAtt: the template has no resource \"Missing\""},
		{"!Join ['', [!GetAtt Dest.Arn]]", "error: AWS::Events::ApiDestination Dest.Arn is known only when CloudFormation deploys the stack"},
		// Sub, Join, Select, Split, FindInMap, Base64, ToJsonString, Length.
		{"!Sub 'arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:event-bus/${Bus}'", `"arn:aws:events:eu-west-1:222222222222:event-bus/OrderStack-staging"`},
		{"!Sub ['${Name}-dlq', {Name: !Ref Env}]", `"staging-dlq"`},
		{"!Sub '${Fn.Arn}'", `"arn:aws:lambda:eu-west-1:222222222222:function:handler"`},
		{"!Sub '${!Literal} ${ Env }'", `"${Literal} staging"`},
		{"!Sub '${Env'", "error: has an unclosed ${"},
		{"!Sub '${Ids}'", "error: must be text, not a list"},
		{"!Join [':', [a, 1, true]]", `"a:1:true"`},
		{"!Join [':', a]", "error: the second value must be a list"},
		{"!Select [1, !Ref Ids]", `"222222222222"`},
		{"!Select [2, !Ref Ids]", "error: index 2 is past the list's 2 items"},
		{"!Select ['-1', !Ref Ids]", "error: is not a non-negative integer"},
		{"!Select [0, !GetAZs '']", "error: Fn::GetAZs (its value depends on the account at deployment)"},
		{"!Split ['|', 'a|b|c']", `["a","b","c"]`},
		{"!Split ['', 'abc']", "error: the delimiter is empty"},
		{"!FindInMap [Regions, !Ref AWS::Region, Suffix]", `"euw1"`},
		{"!FindInMap [Regions, us-east-1, Suffix]", "error: Mappings has no Regions.us-east-1.Suffix"},
		{"!Base64 abc", `"YWJj"`},
		{"!ToJsonString {account: [!Ref AWS::AccountId]}", `"{\"account\":[\"222222222222\"]}"`},
		{"!Length [a, b, !Ref AWS::NoValue]", `2`},
		{"!ImportValue shared-bus-arn", `"arn:aws:events:eu-west-1:111111111111:event-bus/global"`},
		{"!ImportValue nobody", "error: Fn::ImportValue \"nobody\": no template of this import exports it"},
		{"!Transform {Name: M}", "error: Fn::Transform runs a macro"},
		{"{Fn::Nope: 1}", "error: unknown intrinsic function Fn::Nope"},
		// Conditions and AWS::NoValue.
		{"!If [IsProd, a, b]", `"b"`},
		{"!If [IsStaging, a, b]", `"a"`},
		{"!If [Both, a, b]", `"a"`},
		{"!If [Loop, a, b]", "error: condition Loop depends on itself"},
		{"!If [Nope, a, b]", "error: no condition named \"Nope\""},
		{"{a: !If [IsProd, 1, !Ref AWS::NoValue], b: [1, !Ref AWS::NoValue, 2]}", `{"b":[1,2]}`},
		{"!Equals [a, a]", `true`},
		{"!Or [!Equals [a, b], !Equals [c, c]]", `true`},
		{"!And [!Equals [a, a]]", "error: Fn::And takes 2 to 10 conditions"},
		// Patterns keep their order and types.
		{"{detail-type: [Order.Created], account: [{anything-but: !Ref AWS::AccountId}], detail: {total: [{numeric: ['>', 0]}]}}",
			`{"detail-type":["Order.Created"],"account":[{"anything-but":"222222222222"}],"detail":{"total":[{"numeric":[">",0]}]}}`},
	} {
		v, err := ParseValue("expr.yaml", []byte(c.expr))
		if err != nil {
			t.Errorf("%s: %v", c.expr, err)
			continue
		}
		got, err := evalStack(t, nil).Eval(v, "Expr")
		if err == nil && got.Kind == Opaque {
			// A deploy-time value is an error where it is used.
			err = fmt.Errorf("%s", opaqueReason(got))
		}
		if want, isErr := strings.CutPrefix(c.want, "error: "); isErr {
			if err == nil {
				t.Errorf("%s = %s; want an error with %q", c.expr, got.JSON(), want)
			} else if !strings.Contains(err.Error(), want) {
				t.Errorf("%s: error %q; want %q in it", c.expr, err, want)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", c.expr, err)
			continue
		}
		if got.JSON() != c.want {
			t.Errorf("%s\n got %s\nwant %s", c.expr, got.JSON(), c.want)
		}
	}
}

// TestEvalParams: --param values win over defaults and are checked
// against AllowedValues; SSM-typed parameters need one.
func TestEvalParams(t *testing.T) {
	s := evalStack(t, map[string]string{"Env": "prod", "NoDefault": "x", "Version": "21"})
	for _, c := range []struct{ expr, want string }{
		{"!Ref Env", `"prod"`},
		{"!Ref NoDefault", `"x"`},
		{"!Ref Version", `"21"`},
		{"!If [IsProd, a, b]", `"a"`},
		{"!Ref ProdOnly", `"https://sqs.eu-west-1.amazonaws.com/222222222222/ProdOnly"`},
	} {
		v, _ := ParseValue("expr.yaml", []byte(c.expr))
		got, err := s.Eval(v, "Expr")
		if err != nil || got.JSON() != c.want {
			t.Errorf("%s = %v, %v; want %s", c.expr, got, err, c.want)
		}
	}
	bad := evalStack(t, map[string]string{"Env": "dev"})
	v, _ := ParseValue("expr.yaml", []byte("!Ref Env"))
	if _, err := bad.Eval(v, "Expr"); err == nil || !strings.Contains(err.Error(), `parameter Env is "dev", which is not one of its AllowedValues`) {
		t.Errorf("Env=dev: %v", err)
	}
}

// TestEvalBounds: evaluation stops at its bounds instead of running away.
func TestEvalBounds(t *testing.T) {
	nested := strings.Repeat(`{"Fn::Base64": `, maxEvalDepth+5) + `"x"` + strings.Repeat("}", maxEvalDepth+5)
	for _, c := range []struct{ expr, want string }{
		{nested, "nested more than"},
		{"!Split [',', '" + strings.Repeat(",", maxItems+1) + "']", "makes more than"},
	} {
		v, err := ParseValue("expr.yaml", []byte(c.expr))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := evalStack(t, nil).Eval(v, "Expr"); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%.40s...: %v, want %q", c.expr, err, c.want)
		}
	}
}
