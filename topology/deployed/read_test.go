package deployed

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/busdrill/busdrill/topology"
	"github.com/busdrill/busdrill/topology/assemble"
)

// deployedReference is the reference backbone as a team would deploy it:
// DLQs on the fan-out, a queue consumer with its own DLQ, a handler.
func deployedReference() *topology.Topology {
	t := topology.Reference(2, topology.Service{Name: "orders"}, topology.Service{
		Name: "delivery", Queues: []string{"inbox", "dlq"}, Handlers: []string{"worker"},
		Rules: []topology.Rule{{Name: "created", Pattern: `{"detail-type":["Order.Created"]}`, State: topology.Disabled, Targets: []topology.Target{
			{ID: "fn", Kind: topology.KindHandler, Handler: "delivery/worker", DLQ: "delivery/dlq", Retry: topology.RetryPolicy{MaximumRetryAttempts: topology.Int(3)}},
			{ID: "q", Kind: topology.KindQueue, Queue: "delivery/inbox", DLQ: "delivery/dlq", Retry: topology.RetryPolicy{MaximumEventAgeInSeconds: topology.Int(600)}},
		}}},
	})
	t.Queues = append([]topology.Queue{{Account: "bus", Name: "fanout-dlq"}}, t.Queues...)
	for j := range t.Buses[0].Rules {
		for k := range t.Buses[0].Rules[j].Targets {
			if tg := &t.Buses[0].Rules[j].Targets[k]; tg.Kind == topology.KindBus {
				tg.DLQ = "bus/fanout-dlq"
			}
		}
	}
	return t
}

func optionsOf(t *topology.Topology) Options { return OptionsFor(t) }

func TestOptionsFor(t *testing.T) {
	topo := deployedReference()
	o := OptionsFor(topo)
	if o.OrgID != topology.RefOrgID || len(o.Accounts) != 3 || o.Accounts[2] != (Account{"delivery", topology.ReferenceAccountID(2)}) {
		t.Errorf("%+v", o)
	}
	topo.Accounts[1].OrgID = "o-other"
	if o := OptionsFor(topo); o.OrgID != "" {
		t.Errorf("accounts of two organizations: org %q", o.OrgID)
	}
}

// TestReadRoundTrip: a topology described the way AWS describes it reads
// back to the same topology (the round trip the serve test makes over the
// wire), through the calls of Plan and no others.
func TestReadRoundTrip(t *testing.T) {
	want := deployedReference()
	f := fakeFrom(want)
	res, err := Read(context.Background(), f, optionsOf(want))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Problems) > 0 || len(res.Notes) > 0 {
		t.Fatalf("problems %v, notes %v", res.Problems, res.Notes)
	}
	// Queues are declared as targets name them: the same set, in the
	// order first named.
	got := res.Topology
	if !sameQueues(got.Queues, want.Queues) {
		t.Errorf("queues %v, want %v", got.Queues, want.Queues)
	}
	got.Queues = want.Queues
	if !reflect.DeepEqual(got, want) {
		g, _ := json.MarshalIndent(got, "", " ")
		w, _ := json.MarshalIndent(want, "", " ")
		t.Errorf("the topology read back differs:\n--- got\n%s\n--- want\n%s", g, w)
	}
	planned := map[string]bool{}
	for _, c := range Plan(optionsOf(want)) {
		planned[c.Op] = true
	}
	for op := range f.ops() {
		if !planned[op] {
			t.Errorf("Read called %s, which Plan does not list", op)
		}
	}
	if w := res.Locate("buses[0].rules[0].targets[0]"); w.ARN != "arn:aws:events:us-east-1:100000000000:rule/global/to-orders" || w.Path != "Targets[local]" {
		t.Errorf("target located at %+v", w)
	}
	if q := res.Facts.Queues["delivery/inbox"]; !q.Exists {
		t.Errorf("queue facts %v", res.Facts.Queues)
	}
	if res.Facts.RedriveKnown {
		t.Error("a live import cannot know redrive plans")
	}
}

func sameQueues(a, b []topology.Queue) bool {
	if len(a) != len(b) {
		return false
	}
	seen := map[topology.Queue]bool{}
	for _, q := range a {
		seen[q] = true
	}
	for _, q := range b {
		if !seen[q] {
			return false
		}
	}
	return true
}

// TestReadDeployedTruth: what is wrong in the accounts is imported as it
// is, with a note where the topology cannot hold it.
func TestReadDeployedTruth(t *testing.T) {
	topo := deployedReference()
	for _, c := range []struct {
		name   string
		change func(f *fakeAWS)
		check  func(t *testing.T, r *readResult)
	}{
		{"a target bus that does not exist", func(f *fakeAWS) {
			f.buses["delivery"] = f.buses["delivery"][:1] // only the default bus is left
			delete(f.rules, "delivery/local")
		}, func(t *testing.T, r *readResult) {
			r.wantNote(t, "target local: bus arn:aws:events:us-east-1:100000000002:event-bus/local does not exist in account delivery")
			if n := len(r.topo.Buses[0].Rules[1].Targets); n != 0 {
				t.Errorf("to-delivery keeps %d targets", n)
			}
		}},
		{"a DLQ that does not exist", func(f *fakeAWS) { delete(f.queues, "delivery/dlq") }, func(t *testing.T, r *readResult) {
			if q, ok := r.facts["delivery/dlq"]; !ok || q.Exists {
				t.Errorf("facts %v", r.facts)
			}
		}},
		{"a target in an account the import does not read", func(f *fakeAWS) {
			f.targets["bus/global/catch-all"] = append(f.targets["bus/global/catch-all"], Target{ID: "far", ARN: "arn:aws:sqs:us-east-1:999999999999:audit"})
		}, func(t *testing.T, r *readResult) {
			r.wantNote(t, "target far: arn:aws:sqs:us-east-1:999999999999:audit is in account 999999999999, which the import does not cover")
		}},
		{"an SNS target, an input transformer, a scheduled rule", func(f *fakeAWS) {
			f.targets["bus/global/catch-all"] = append(f.targets["bus/global/catch-all"],
				Target{ID: "sns", ARN: "arn:aws:sns:us-east-1:100000000000:alerts"},
				Target{ID: "shaped", ARN: "arn:aws:lambda:us-east-1:100000000000:function:f", InputKind: "InputTransformer", Parameters: []string{"SqsParameters"}})
			f.rules["bus/global"] = append(f.rules["bus/global"], Rule{Name: "nightly", ScheduleExpression: "rate(1 day)", ARN: "arn:aws:events:us-east-1:100000000000:rule/global/nightly"})
		}, func(t *testing.T, r *readResult) {
			r.wantNote(t, "target sns (arn:aws:sns:us-east-1:100000000000:alerts) is not imported")
			r.wantNote(t, "target shaped: its InputTransformer is not modelled")
			r.wantNote(t, "target shaped: SqsParameters is not modelled")
			r.wantNote(t, "rule nightly has no event pattern (a scheduled rule)")
		}},
		{"a default bus with rules is imported; an idle one is not", func(f *fakeAWS) {
			f.rules["orders/default"] = []Rule{{Name: "audit", EventPattern: `{"source":["x"]}`, State: "ENABLED", ARN: "arn:aws:events:us-east-1:100000000001:rule/audit"}}
		}, func(t *testing.T, r *readResult) {
			var defaults []string
			for _, b := range r.topo.Buses {
				if b.Name == "default" {
					defaults = append(defaults, b.Ref())
				}
			}
			if strings.Join(defaults, ",") != "orders/default" {
				t.Errorf("default buses %v", defaults)
			}
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := fakeFrom(topo)
			c.change(f)
			res, err := Read(context.Background(), f, optionsOf(topo))
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Problems) > 0 {
				t.Fatalf("problems: %v", res.Problems)
			}
			c.check(t, &readResult{topo: res.Topology, notes: res.Notes, facts: res.Facts.Queues})
		})
	}
}

// TestReadFailsOnAFailingCall: a call that fails stops the import, naming
// the account and the call.
func TestReadFailsOnAFailingCall(t *testing.T) {
	topo := deployedReference()
	for _, call := range []string{"orders events:ListEventBuses", "bus events:DescribeEventBus", "delivery events:ListRules",
		"delivery events:DescribeRule", "bus events:ListTargetsByRule", "delivery sqs:GetQueueAttributes"} {
		f := fakeFrom(topo)
		f.fail = call
		_, err := Read(context.Background(), f, optionsOf(topo))
		acct, op, _ := strings.Cut(call, " ")
		if err == nil || !strings.Contains(err.Error(), "account "+acct) || !strings.Contains(err.Error(), "not authorized to perform "+op) {
			t.Errorf("%s: %v", call, err)
		}
	}
}

func TestPlanIsReadOnly(t *testing.T) {
	calls := Plan(optionsOf(deployedReference()))
	if len(calls) != 3*7 {
		t.Fatalf("%d calls", len(calls))
	}
	for _, c := range calls {
		op := c.Op[strings.IndexByte(c.Op, ':')+1:]
		if !strings.HasPrefix(op, "List") && !strings.HasPrefix(op, "Describe") && !strings.HasPrefix(op, "Get") {
			t.Errorf("%s is not a read", c.Op)
		}
	}
}

type readResult struct {
	topo  *topology.Topology
	notes []assemble.Note
	facts map[string]assemble.QueueFact
}

func (r *readResult) wantNote(t *testing.T, msg string) {
	t.Helper()
	for _, n := range r.notes {
		if strings.Contains(n.Msg, msg) {
			if n.Where.ARN == "" {
				t.Errorf("note %q has no ARN", n.Msg)
			}
			return
		}
	}
	t.Errorf("no note %q in %v", msg, r.notes)
}
