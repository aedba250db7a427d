package cfn

import (
	"errors"
	"strings"
	"testing"
)

// TestParseYAMLShortTagsAsLongForms: every short tag reads as the long
// form CloudFormation's JSON spells, so a YAML template and its JSON
// twin give the same values.
func TestParseYAMLShortTagsAsLongForms(t *testing.T) {
	for _, c := range []struct {
		yaml, json string
	}{
		{"!Ref Bus", `{"Ref":"Bus"}`},
		{"!GetAtt Bus.Arn", `{"Fn::GetAtt":["Bus","Arn"]}`},
		{"!GetAtt [Bus, Arn]", `{"Fn::GetAtt":["Bus","Arn"]}`},
		{"!GetAtt Queue.Attr.With.Dots", `{"Fn::GetAtt":["Queue","Attr.With.Dots"]}`},
		{"!Sub 'arn:${AWS::Partition}:events'", `{"Fn::Sub":"arn:${AWS::Partition}:events"}`},
		{"!Join ['', [a, !Ref B]]", `{"Fn::Join":["",["a",{"Ref":"B"}]]}`},
		{"!If [IsProd, 1, !Ref AWS::NoValue]", `{"Fn::If":["IsProd",1,{"Ref":"AWS::NoValue"}]}`},
		{"!Equals [!Ref Env, prod]", `{"Fn::Equals":[{"Ref":"Env"},"prod"]}`},
		{"!Not [!Condition IsProd]", `{"Fn::Not":[{"Condition":"IsProd"}]}`},
		{"!Select [0, !Split [',', 'a,b']]", `{"Fn::Select":[0,{"Fn::Split":[",","a,b"]}]}`},
		{"!FindInMap [M, a, b]", `{"Fn::FindInMap":["M","a","b"]}`},
		{"!ImportValue shared-bus-arn", `{"Fn::ImportValue":"shared-bus-arn"}`},
		{"!Ref 123", `{"Ref":"123"}`}, // a tagged scalar is text, whatever it looks like
		{"{a: 1, b: 1.5, c: true, d: null, e: '1', f: 0x10, g: 2010-09-09}", `{"a":1,"b":1.5,"c":true,"d":null,"e":"1","f":16,"g":"2010-09-09"}`},
		{"[*a, &a x]", ``}, // an alias before its anchor is an error below
	} {
		v, err := ParseValue("t.yaml", []byte(c.yaml))
		if c.json == "" {
			if err == nil {
				t.Errorf("%s: parsed; want an error", c.yaml)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", c.yaml, err)
			continue
		}
		if got := v.JSON(); got != c.json {
			t.Errorf("%s\n got %s\nwant %s", c.yaml, got, c.json)
		}
		j, err := ParseValue("t.json", []byte(c.json))
		if err == nil && j.JSON() != c.json && strings.HasPrefix(c.json, "{") {
			t.Errorf("JSON round trip of %s gives %s", c.json, j.JSON())
		}
	}
}

// TestParsePositions: values keep their line and column in both formats.
func TestParsePositions(t *testing.T) {
	y := "Resources:\n  Bus:\n    Type: AWS::Events::EventBus\n    Properties:\n      Name: !Sub '${AWS::StackName}-bus'\n"
	j := "{\n  \"Resources\": {\n    \"Bus\": {\n      \"Type\": \"AWS::Events::EventBus\",\n      \"Properties\": {\"Name\": \"b\"}\n    }\n  }\n}\n"
	for _, c := range []struct {
		file, src string
		line, col int
	}{
		{"t.yaml", y, 5, 13},
		{"t.json", j, 5, 30},
	} {
		tpl, err := Parse(c.file, []byte(c.src))
		if err != nil {
			t.Fatal(err)
		}
		name := tpl.Resource("Bus").Properties.Get("Name")
		if name.Line != c.line || name.Col != c.col {
			t.Errorf("%s: Name at %d:%d, want %d:%d", c.file, name.Line, name.Col, c.line, c.col)
		}
	}
}

// TestParseRefusals: what is not a template is refused with its place,
// never a panic, and each error matches ErrInvalid.
func TestParseRefusals(t *testing.T) {
	deep := strings.Repeat("[", maxDepth+5) + strings.Repeat("]", maxDepth+5)
	bomb := "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
	for i := 'b'; i <= 'k'; i++ {
		prev := string(i - 1)
		bomb += string(i) + ": &" + string(i) + " [*" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + "]\n"
	}
	for _, c := range []struct {
		name, file, src, want string
	}{
		{"empty", "t.yaml", "", "the template is empty"},
		{"not a mapping", "t.yaml", "- a\n", "a template is a mapping with a Resources section, not a list"},
		{"no resources", "t.yaml", "Outputs: {}\n", "the template has no Resources section"},
		{"resource without type", "t.yaml", "Resources:\n  A: {Properties: {}}\n", "t.yaml:2:6: Resources.A.Type: every resource needs a Type"},
		{"bad logical id", "t.yaml", "Resources:\n  my-bus: {Type: X}\n", "logical id \"my-bus\" must be 1-255 letters and digits"},
		{"duplicate YAML key", "t.yaml", "Resources:\n  A: {Type: X}\n  A: {Type: Y}\n", "t.yaml:3:3: duplicate key \"A\""},
		{"duplicate JSON key", "t.json", `{"Resources": {"A": {"Type": "X"}, "A": {"Type": "Y"}}}`, `t.json:1:36: duplicate key "A"`},
		{"unknown tag", "t.yaml", "Resources: !Foo x\n", "unknown tag !Foo"},
		{"merge key", "t.yaml", "x: &x {a: 1}\nResources:\n  <<: *x\n", "merge keys"},
		{"two documents", "t.yaml", "Resources: {}\n---\nResources: {}\n", "a template is one YAML document"},
		{"broken JSON", "t.json", `{"Resources": {`, "invalid JSON"},
		{"trailing JSON", "t.json", `{"Resources": {}} x`, "unexpected text after"},
		{"too deep", "t.yaml", "Resources: " + deep, "nested more than"},
		{"too deep JSON", "t.json", `{"Resources": ` + deep + `}`, "nested more than"},
		{"alias bomb", "t.yaml", bomb + "Resources: *k\n", "more than 524288 values"},
		{"not UTF-8", "t.yaml", "Resources: \xff\n", "not UTF-8"},
		{"GetAtt without a dot", "t.yaml", "Resources: !GetAtt Bus\n", "write Resource.Attribute"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse(c.file, []byte(c.src))
			if err == nil {
				t.Fatal("parsed")
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q, want %q in it", err, c.want)
			}
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("%v does not match ErrInvalid", err)
			}
		})
	}
}

func TestStackAndAccountNames(t *testing.T) {
	for _, c := range []struct{ file, stack, account string }{
		{"cdk.out/OrderStack.template.json", "OrderStack", "order"},
		{"BusStack.template.yaml", "BusStack", "bus"},
		{"delivery-service-stack.yml", "delivery-service-stack", "delivery-service"},
		{"APIGatewayStack.json", "APIGatewayStack", "api-gateway"},
		{"Stack.json", "Stack", "stack"},
		{"Orders2Stack.template.json", "Orders2Stack", "orders2"},
		{"___.json", "___", ""},
	} {
		if got := StackName(c.file); got != c.stack {
			t.Errorf("StackName(%s) = %q, want %q", c.file, got, c.stack)
		}
		if got := AccountName(c.stack); got != c.account {
			t.Errorf("AccountName(%s) = %q, want %q", c.stack, got, c.account)
		}
	}
}
