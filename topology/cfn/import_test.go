package cfn

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/busdrill/busdrill/topology/assemble"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata/golden")

// Sets are the template sets of testdata/cfn: each the stacks of one
// backbone, with the account each deploys to.
var Sets = map[string][][2]string{
	"backbone": {
		{"111111111111", "BusStack.template.json"},
		{"222222222222", "OrdersStack.template.yaml"},
		{"333333333333", "DeliveryStack.template.json"},
	},
	"autonomous": {
		{"444444444444", "SalesStack.template.json"},
		{"555555555555", "FulfilmentStack.template.yaml"},
	},
}

func loadSet(t *testing.T, set string, replace map[string]string) []Input {
	t.Helper()
	var in []Input
	for _, f := range Sets[set] {
		path := filepath.Join("testdata/cfn", set, f[1])
		if r, ok := replace[f[1]]; ok {
			path = r
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		in = append(in, Input{Account: f[0], File: f[1], Data: b})
	}
	return in
}

// TestImportGolden imports each template set and compares the topology,
// where each element came from, the notes and the facts with
// testdata/golden/SET.import.json (-update rewrites it).
func TestImportGolden(t *testing.T) {
	for set := range Sets {
		t.Run(set, func(t *testing.T) {
			res, err := Import(loadSet(t, set, nil), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Problems) > 0 {
				t.Fatalf("the import does not validate: %v", res.Problems)
			}
			if len(res.Notes) > 0 {
				t.Errorf("notes on a clean set: %v", res.Notes)
			}
			got, err := json.MarshalIndent(struct {
				Topology any             `json:"topology"`
				Where    map[string]any  `json:"where"`
				Notes    []assemble.Note `json:"notes"`
				Facts    assemble.Facts  `json:"facts"`
			}{res.Topology, toAny(res.Where), res.Notes, res.Facts}, "", " ")
			if err != nil {
				t.Fatal(err)
			}
			golden(t, filepath.Join("testdata/golden", set+".import.json"), append(got, '\n'))
		})
	}
}

func toAny(m map[string]assemble.Where) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		if !v.IsZero() {
			out[k] = v.String()
		}
	}
	return out
}

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to write it)", err)
	}
	if string(got) != string(want) {
		t.Errorf("%s differs (run go test -update after a deliberate change):\n--- got\n%s", path, got)
	}
}

// importOne imports the backbone set with OrdersStack replaced by src.
func importOne(t *testing.T, src string, o Options) (*assemble.Result, error) {
	t.Helper()
	in := loadSet(t, "backbone", nil)
	in[1].Data = []byte(src)
	return Import(in, o)
}

// ordersBase is a minimal orders stack; cases append resources to it.
const ordersBase = `Parameters:
  Stage: {Type: String, Default: prod}
  Secret: {Type: String}
Resources:
  LocalBus:
    Type: AWS::Events::EventBus
    Properties: {Name: orders-local}
  FromGlobal:
    Type: AWS::Events::EventBusPolicy
    Properties: {EventBusName: !Ref LocalBus, StatementId: from-global, Action: events:PutEvents, Principal: "111111111111"}
  Fn:
    Type: AWS::Lambda::Function
`

// TestImportRefusesWhatItCannotResolve: each unresolvable value fails the
// import, naming file, line, path and logical id.
func TestImportRefusesWhatItCannotResolve(t *testing.T) {
	rule := func(target string) string {
		return "  R:\n    Type: AWS::Events::Rule\n    Properties:\n      EventBusName: !Ref LocalBus\n      EventPattern: {source: [x]}\n      Targets:\n        - " + target + "\n"
	}
	for _, c := range []struct {
		name, src string
		o         Options
		want      string
	}{
		{"a parameter without default", rule("{Id: T, Arn: !Sub 'arn:aws:sqs:us-east-1:222222222222:${Secret}'}"), Options{},
			"OrdersStack.template.yaml:19:24: Resources.R.Properties.Targets[0].Arn.Fn::Sub: parameter Secret has no default: give --param Secret=VALUE"},
		{"an export nobody makes", rule("{Id: T, Arn: !ImportValue SharedQueueArn}"), Options{},
			`Fn::ImportValue "SharedQueueArn": no template of this import exports it`},
		{"a bus of an account not imported", rule("{Id: T, Arn: 'arn:aws:events:us-east-1:999999999999:event-bus/x', RoleArn: 'arn:aws:iam::222222222222:role/r'}"), Options{},
			"target T: arn:aws:events:us-east-1:999999999999:event-bus/x is in account 999999999999, which the import does not cover (add that account's template with --cfn ACCOUNT=TEMPLATE)"},
		{"a bus no template defines", rule("{Id: T, Arn: 'arn:aws:events:us-east-1:333333333333:event-bus/gone', RoleArn: 'arn:aws:iam::222222222222:role/r'}"), Options{},
			"target T: bus gone (arn:aws:events:us-east-1:333333333333:event-bus/gone) is not defined by any template of account delivery"},
		{"a rule on a bus no template defines", "  R:\n    Type: AWS::Events::Rule\n    Properties: {EventBusName: nowhere, EventPattern: {source: [x]}}\n", Options{},
			"Resources.R.Properties.EventBusName: bus nowhere is not defined by any template of account orders"},
		{"a value only known at deployment", rule("{Id: T, Arn: !Join ['', [!GetAtt Fn.SnapStartResponse]]}"), Options{},
			"AWS::Lambda::Function Fn.SnapStartResponse is known only when CloudFormation deploys the stack"},
		{"a parameter no template declares", "", Options{Params: map[string]string{"Stagee": "prod"}},
			"--param Stagee: no template declares a parameter Stagee"},
		{"a parameter nothing reads is never checked", "", Options{Params: map[string]string{"Stage": "x"}}, ""},
		{"a macro", rule("{Id: T, Arn: !Transform {Name: M}}"), Options{}, "Fn::Transform runs a macro"},
		{"an account named twice", "", Options{Names: map[string]string{"222222222222": "bus"}},
			`accounts 111111111111 and 222222222222 would both be named "bus"`},
		{"a --name for an account without template", "", Options{Names: map[string]string{"999999999999": "x"}},
			"--name 999999999999=x: no template is given for account 999999999999"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := importOne(t, ordersBase+c.src, c.o)
			if c.want == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error:\n%v\nwant %q in it", err, c.want)
			}
		})
	}
}

// TestImportNotes: what the topology cannot carry is imported as far as
// it can be and named in a note, never silently dropped or changed.
func TestImportNotes(t *testing.T) {
	for _, c := range []struct {
		name, src, want string
		// severity of the note; targets is the number of targets the
		// rule R keeps.
		severity string
		targets  int
	}{
		{"an SNS target", "      Targets: [{Id: T, Arn: !Ref Topic}]\n  Topic: {Type: AWS::SNS::Topic}\n",
			"target T (arn:aws:sns:us-east-1:222222222222:Topic) is not imported: busdrill models bus, SQS, CloudWatch Logs and Lambda targets, not sns", assemble.Warning, 0},
		{"an API destination", "      Targets: [{Id: T, Arn: !GetAtt Dest.Arn, RoleArn: 'arn:aws:iam::222222222222:role/r'}]\n  Dest: {Type: AWS::Events::ApiDestination}\n",
			"target T (AWS::Events::ApiDestination Dest.Arn) is not imported", assemble.Warning, 0},
		{"an input transformer", "      Targets: [{Id: T, Arn: !GetAtt Fn.Arn, InputTransformer: {InputTemplate: '\"x\"'}}]\n",
			"target T: its InputTransformer is not modelled: the model delivers the whole event", assemble.Info, 1},
		{"a Lambda alias", "      Targets: [{Id: T, Arn: !Join [':', [!GetAtt Fn.Arn, live]]}]\n",
			"target T invokes live of function Fn; the model invokes the function", assemble.Info, 1},
		{"a role on a Lambda target", "      Targets: [{Id: T, Arn: !GetAtt Fn.Arn, RoleArn: 'arn:aws:iam::222222222222:role/r'}]\n",
			"target T: its role r is not modelled on a handler target", assemble.Info, 1},
		{"a queue no template defines", "      Targets: [{Id: T, Arn: 'arn:aws:sqs:us-east-1:222222222222:elsewhere'}]\n",
			"queue elsewhere is not defined by the templates of account orders; it is declared as it is named", assemble.Info, 1},
		{"a log group in another account", "      Targets: [{Id: T, Arn: 'arn:aws:logs:us-east-1:111111111111:log-group:central'}]\n",
			"target T: log group arn:aws:logs:us-east-1:111111111111:log-group:central is in another account (bus)", assemble.Warning, 0},
		{"a schedule", "      ScheduleExpression: rate(1 hour)\n",
			"rule R also has a schedule, which the model does not run", assemble.Info, 0},
		{"CloudTrail management events", "      State: ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS\n",
			"the model has no CloudTrail events and runs it ENABLED", assemble.Info, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			src := ordersBase + "  R:\n    Type: AWS::Events::Rule\n    Properties:\n      EventBusName: !Ref LocalBus\n      EventPattern: {source: [x]}\n" + c.src
			res, err := importOne(t, src, Options{})
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, n := range res.Notes {
				if strings.Contains(n.Msg, c.want) {
					found = true
					if n.Severity != c.severity {
						t.Errorf("severity %s, want %s", n.Severity, c.severity)
					}
					if n.Where.File != "OrdersStack.template.yaml" || n.Where.LogicalID != "R" || n.Where.Line == 0 {
						t.Errorf("note at %v, want the rule R of OrdersStack.template.yaml", n.Where)
					}
				}
			}
			if !found {
				t.Fatalf("no note %q in %v", c.want, res.Notes)
			}
			for _, b := range res.Topology.Buses {
				for _, r := range b.Rules {
					if r.Name == "R" && len(r.Targets) != c.targets {
						t.Errorf("R has %d targets, want %d", len(r.Targets), c.targets)
					}
				}
			}
		})
	}
}

// TestImportPolicyNotes: statements the model cannot keep are named.
func TestImportPolicyNotes(t *testing.T) {
	for _, c := range []struct{ stmt, want string }{
		{"{Effect: Deny, Principal: '*', Action: events:PutEvents}", `statement "s" is not imported: only Allow statements are modelled`},
		{"{Effect: Allow, Principal: {Service: sqs.amazonaws.com}, Action: events:PutEvents}", "service principal sqs.amazonaws.com is not modelled"},
		{"{Effect: Allow, Principal: '*', Action: events:PutRule}", "does not allow events:PutEvents (events:PutRule)"},
		{"{Effect: Allow, Principal: '*', Action: events:PutEvents, Condition: {StringEquals: {'events:source': x}}}", "condition StringEquals events:source is not modelled"},
		{"{Effect: Allow, Principal: {AWS: 'arn:aws:iam::333333333333:role/publisher'}, Action: events:PutEvents}", "is kept as its whole account 333333333333"},
		{"{Effect: Allow, Principal: {AWS: ['333333333333', '111111111111']}, Action: events:PutEvents}", `statement "s" has 2 principals: one statement each (s, s-2, ...)`},
	} {
		src := ordersBase + "  P:\n    Type: AWS::Events::EventBusPolicy\n    Properties: {EventBusName: !Ref LocalBus, StatementId: s, Statement: " + c.stmt + "}\n"
		res, err := importOne(t, src, Options{})
		if err != nil {
			t.Errorf("%s: %v", c.stmt, err)
			continue
		}
		var msgs []string
		for _, n := range res.Notes {
			msgs = append(msgs, n.Msg)
		}
		if !strings.Contains(strings.Join(msgs, "\n"), c.want) {
			t.Errorf("%s: notes %q, want %q", c.stmt, msgs, c.want)
		}
	}
}

// TestImportOrganization: --org makes org-conditioned statements
// meaningful; the condition itself is kept.
func TestImportOrganization(t *testing.T) {
	src := ordersBase + "  P:\n    Type: AWS::Events::EventBusPolicy\n    Properties: {EventBusName: !Ref LocalBus, StatementId: org, Action: events:PutEvents, Principal: '*', Condition: {Type: StringEquals, Key: 'aws:PrincipalOrgID', Value: o-abc}}\n"
	res, err := importOne(t, src, Options{OrgID: "o-abc"})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range res.Topology.Accounts {
		if a.OrgID != "o-abc" {
			t.Errorf("account %s org %q", a.Name, a.OrgID)
		}
	}
	var got string
	for _, b := range res.Topology.Buses {
		for _, s := range b.Policy {
			if s.Sid == "org" {
				got = s.Principal + " " + s.OrgID
			}
		}
	}
	if got != "* o-abc" {
		t.Errorf("statement org: %q", got)
	}
}
