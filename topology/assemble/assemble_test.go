package assemble

import (
	"strings"
	"testing"

	"github.com/busdrill/busdrill/topology"
)

func TestParseARNAndClassify(t *testing.T) {
	for _, c := range []struct{ arn, kind, name, qual string }{
		{"arn:aws:events:us-east-1:111111111111:event-bus/global", arnBus, "global", ""},
		{"arn:aws-cn:events:cn-north-1:111111111111:event-bus/default", arnBus, "default", ""},
		{"arn:aws:sqs:eu-west-1:111111111111:orders-dlq.fifo", arnQueue, "orders-dlq.fifo", ""},
		{"arn:aws:logs:us-east-1:111111111111:log-group:/aws/events/x:*", arnLog, "/aws/events/x", ""},
		{"arn:aws:lambda:us-east-1:111111111111:function:handler", arnHandler, "handler", ""},
		{"arn:aws:lambda:us-east-1:111111111111:function:handler:live", arnHandler, "handler", "live"},
		{"arn:aws:sns:us-east-1:111111111111:topic", "", "sns", ""},
		{"arn:aws:events:us-east-1:111111111111:api-destination/x/1", "", "events", ""},
	} {
		a, ok := ParseARN(c.arn)
		if !ok {
			t.Errorf("%s: not an ARN", c.arn)
			continue
		}
		if a.String() != c.arn {
			t.Errorf("%s: round trip %s", c.arn, a)
		}
		kind, name, q := classify(a)
		if kind != c.kind || name != c.name || q != c.qual {
			t.Errorf("%s: %q %q %q, want %q %q %q", c.arn, kind, name, q, c.kind, c.name, c.qual)
		}
	}
	for _, bad := range []string{"", "arn:aws", "orders-local", "arn::events:r:a:x"} {
		if _, ok := ParseARN(bad); ok {
			t.Errorf("%q parsed as an ARN", bad)
		}
	}
	if n, a, ok := RoleName("arn:aws:iam::111111111111:role/service/fan-out"); !ok || n != "fan-out" || a != "111111111111" {
		t.Errorf("RoleName: %q %q %v", n, a, ok)
	}
}

func TestParsePolicy(t *testing.T) {
	doc := `{"Version":"2012-10-17","Statement":[
	 {"Sid":"a","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222222222222:root"},"Action":"events:PutEvents"},
	 {"Effect":"Allow","Principal":"*","Action":["events:PutEvents"],"Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-x"}}},
	 {"Sid":"c","Effect":"Allow","Principal":{"AWS":"333333333333"},"Action":"events:*"}]}`
	sts, notes, err := parsePolicy([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	want := []statement{{"a", "222222222222", ""}, {"statement-2", "*", "o-x"}, {"c", "333333333333", ""}}
	if len(sts) != len(want) {
		t.Fatalf("%v", sts)
	}
	for i := range want {
		if sts[i] != want[i] {
			t.Errorf("statement %d: %+v, want %+v", i, sts[i], want[i])
		}
	}
	if len(notes) != 0 {
		t.Errorf("notes: %v", notes)
	}
	for _, bad := range []string{`{`, `{"Statement":{"Effect":"Allow","Principal":{"AWS":"1"},"Action":5}}`, strings.Repeat(" ", maxPolicyBytes+1)} {
		if _, _, err := parsePolicy([]byte(bad)); err == nil {
			t.Errorf("%.30q: parsed", bad)
		}
	}
}

// TestBuilderLenient: for a deployed account, a target to a bus that does
// not exist, or to an account outside the import, is skipped with a
// warning; a strict build fails instead.
func TestBuilderLenient(t *testing.T) {
	build := func(strict bool) (*Result, error) {
		b := New("us-east-1", strict, " (hint)")
		b.AddAccount("bus", "111111111111", "")
		b.AddAccount("orders", "222222222222", "")
		g := b.AddBus("bus", "global", Where{ARN: "arn:aws:events:us-east-1:111111111111:event-bus/global"})
		b.AddPolicy(g, []byte(`{"Statement":[{"Sid":"o","Effect":"Allow","Principal":{"AWS":"222222222222"},"Action":"events:PutEvents"}]}`), Where{})
		r := b.AddRule(g, topology.Rule{Name: "fan-out", Pattern: `{"source":["x"]}`}, Where{})
		r.AddTarget(TargetSpec{ID: "gone", ARN: "arn:aws:events:us-east-1:222222222222:event-bus/orders-local", RoleARN: "arn:aws:iam::111111111111:role/r"})
		r.AddTarget(TargetSpec{ID: "far", ARN: "arn:aws:events:us-east-1:999999999999:event-bus/x", RoleARN: "arn:aws:iam::111111111111:role/r"})
		r.AddTarget(TargetSpec{ID: "dflt", ARN: "arn:aws:events:us-east-1:222222222222:event-bus/default", RoleARN: "arn:aws:iam::111111111111:role/r",
			DLQARN: "arn:aws:sqs:us-east-1:111111111111:dlq"})
		return b.Build()
	}
	res, err := build(false)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Problems) > 0 {
		t.Fatal(res.Problems)
	}
	tg := res.Topology.Buses[0].Rules[0].Targets
	if len(tg) != 1 || tg[0].Bus != "orders/default" || tg[0].DLQ != "bus/dlq" || tg[0].Role != "r" {
		t.Errorf("targets: %+v", tg)
	}
	if p := res.Topology.Buses[0].Policy; len(p) != 1 || p[0].Principal != "orders" {
		t.Errorf("policy: %+v", p)
	}
	if len(res.Notes) != 2 || !strings.Contains(res.Notes[0].Msg, "does not exist") || !strings.Contains(res.Notes[1].Msg, "which the import does not cover") {
		t.Errorf("notes: %v", res.Notes)
	}
	if _, err := build(true); err == nil || !strings.Contains(err.Error(), "(hint)") {
		t.Errorf("strict build: %v", err)
	}
}
