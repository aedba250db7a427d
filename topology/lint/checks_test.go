package lint

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/busdrill/busdrill/topology"
	"github.com/busdrill/busdrill/topology/assemble"
)

// sound is the reference backbone made sound for the lint: DLQs on every
// delivering target, with redrive evidence, and an SLO-friendly retry.
func sound() (*topology.Topology, Input) {
	t := topology.Reference(2, topology.Service{Name: "orders"}, topology.Service{Name: "delivery"})
	t.Queues = append(t.Queues, topology.Queue{Account: "bus", Name: "dlq"})
	for b := range t.Buses {
		for j := range t.Buses[b].Rules {
			for k := range t.Buses[b].Rules[j].Targets {
				tg := &t.Buses[b].Rules[j].Targets[k]
				if tg.Kind == topology.KindBus {
					tg.DLQ = "bus/dlq"
					tg.Retry = topology.RetryPolicy{MaximumEventAgeInSeconds: topology.Int(60)}
				}
			}
		}
	}
	return t, Input{Topology: t, Source: "test", RedriveKnown: true, Redrive: map[string]string{"bus/dlq": "alarm"}, SLO: 8 * time.Second, SLOSource: "e2e.p99 < 8s"}
}

func checksOf(r *Report) []string {
	var out []string
	for _, f := range r.Findings {
		out = append(out, f.Check+" "+f.Resource)
	}
	return out
}

// TestChecks: each check on a small change of the sound reference
// backbone, and not on the backbone itself. want lists "check resource"
// of every finding, in report order.
func TestChecks(t *testing.T) {
	for _, c := range []struct {
		name   string
		change func(t *topology.Topology, in *Input)
		want   []string
	}{
		{"the sound backbone", func(*topology.Topology, *Input) {}, nil},
		{"an org-wide policy makes every account a sender", func(t *topology.Topology, _ *Input) {
			t.Buses[0].Policy = []topology.Statement{{Sid: "org", Principal: "*", OrgID: topology.RefOrgID, Action: topology.ActionPutEvents}}
		}, nil},
		{"a fan-out rule without an account filter", func(t *topology.Topology, _ *Input) {
			t.Buses[0].Rules[0].Pattern = `{"source":[{"prefix":""}]}`
		}, []string{"self-delivery bus/global/to-orders/local"}},
		{"a rule whose region never matches", func(t *topology.Topology, _ *Input) {
			t.Buses[1].Rules[0].Pattern = `{"region":["eu-west-1"],"source":[{"prefix":""}]}`
		}, []string{"rule-never-matches orders/local/catch-all", "no-catch-all orders/local"}},
		{"a rule for AWS events on a custom bus", func(t *topology.Topology, _ *Input) {
			t.Buses[1].Rules = append(t.Buses[1].Rules, topology.Rule{Name: "s3", Pattern: `{"source":["aws.s3",{"prefix":"aws.ec2"}]}`,
				Targets: []topology.Target{{ID: "log", Kind: topology.KindLog, Log: "s3"}}})
		}, []string{"rule-never-matches orders/local/s3"}},
		{"an account filter any publisher may meet is fine", func(t *topology.Topology, _ *Input) {
			t.Buses[1].Rules = append(t.Buses[1].Rules, topology.Rule{Name: "from-delivery", Pattern: `{"account":["` + topology.ReferenceAccountID(2) + `"]}`,
				Targets: []topology.Target{{ID: "log", Kind: topology.KindLog, Log: "d"}}})
		}, nil},
		{"an account filter only the orders account meets, on the delivery bus where no rule forwards its events", func(t *topology.Topology, _ *Input) {
			t.Buses[0].Rules[1].Pattern = `{"account":["` + topology.ReferenceAccountID(2) + `"]}`
			t.Buses[2].Rules = append(t.Buses[2].Rules, topology.Rule{Name: "from-orders", Pattern: `{"account":["` + topology.ReferenceAccountID(1) + `"]}`,
				Targets: []topology.Target{{ID: "log", Kind: topology.KindLog, Log: "o"}}})
		}, []string{"self-delivery bus/global/to-delivery/local", "rule-never-matches delivery/local/from-orders"}},
		{"a log target needs no DLQ, a queue target does", func(t *topology.Topology, _ *Input) {
			t.Queues = append(t.Queues, topology.Queue{Account: "orders", Name: "inbox"})
			t.Buses[1].Rules = append(t.Buses[1].Rules, topology.Rule{Name: "inbox", Pattern: `{"source":["x"]}`,
				Targets: []topology.Target{{ID: "q", Kind: topology.KindQueue, Queue: "orders/inbox", DLQ: "bus/dlq", Retry: topology.RetryPolicy{MaximumRetryAttempts: topology.Int(3)}}}})
		}, nil},
		{"the default retry only matters with an SLO", func(t *topology.Topology, in *Input) {
			t.Buses[0].Rules[0].Targets[0].Retry = topology.RetryPolicy{}
			in.SLO = 0
		}, nil},
		{"five targets are a note, six an error", func(t *topology.Topology, _ *Input) {
			r := &t.Buses[1].Rules[0]
			for i := 1; len(r.Targets) < 5; i++ {
				r.Targets = append(r.Targets, topology.Target{ID: "log" + string(rune('0'+i)), Kind: topology.KindLog, Log: "x"})
			}
		}, []string{"quota-targets orders/local/catch-all"}},
		{"over the rules quota", func(t *topology.Topology, _ *Input) {
			t.Limits.RulesPerBus = 2
		}, []string{"quota-rules bus/global"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			topo, in := sound()
			c.change(topo, &in)
			got := checksOf(Run(in))
			if !slices.Equal(got, c.want) {
				t.Errorf("findings\n %q\nwant\n %q", got, c.want)
			}
		})
	}
}

// TestForwardLoop: a cycle through three buses is one finding naming
// them all; its consequences (refused second hops) are findings too.
func TestForwardLoop(t *testing.T) {
	topo, in := sound()
	topo.Buses[1].Policy = append(topo.Buses[1].Policy, topology.Statement{Sid: "d", Principal: "delivery", Action: topology.ActionPutEvents})
	topo.Buses[1].Rules = append(topo.Buses[1].Rules, topology.Rule{Name: "to-delivery", Pattern: `{"source":["relay"]}`,
		Targets: []topology.Target{{ID: "b", Kind: topology.KindBus, Bus: "delivery/local", Role: "r", DLQ: "bus/dlq", Retry: topology.RetryPolicy{MaximumRetryAttempts: topology.Int(1)}}}})
	topo.Buses[2].Rules = append(topo.Buses[2].Rules, topology.Rule{Name: "to-global", Pattern: `{"source":["relay"]}`,
		Targets: []topology.Target{{ID: "b", Kind: topology.KindBus, Bus: "bus/global", Role: "r", DLQ: "bus/dlq", Retry: topology.RetryPolicy{MaximumRetryAttempts: topology.Int(1)}}}})
	r := Run(in)
	var loops []Finding
	for _, f := range r.Findings {
		if f.Check == "forward-loop" {
			loops = append(loops, f)
		}
	}
	if len(loops) != 1 || !strings.Contains(loops[0].Message, "bus/global → orders/local → delivery/local → bus/global") {
		t.Fatalf("loops: %+v\nall: %q", loops, checksOf(r))
	}
	if !slices.Contains(checksOf(r), "hop-refused orders/local/to-delivery/b") {
		t.Errorf("the refused hop is not reported: %q", checksOf(r))
	}
}

// TestQueueFacts: what a live import read of queues makes queue-unusable
// findings; without facts the check stays quiet.
func TestQueueFacts(t *testing.T) {
	topo, in := sound()
	topo.Queues = append(topo.Queues, topology.Queue{Account: "orders", Name: "inbox"})
	topo.Buses[1].Rules = append(topo.Buses[1].Rules, topology.Rule{Name: "inbox", Pattern: `{"source":["x"]}`,
		Targets: []topology.Target{{ID: "q", Kind: topology.KindQueue, Queue: "orders/inbox", DLQ: "bus/dlq", Retry: topology.RetryPolicy{MaximumRetryAttempts: topology.Int(3)}}}})
	if got := checksOf(Run(in)); len(got) != 0 {
		t.Fatalf("without facts: %v", got)
	}
	for _, c := range []struct {
		facts map[string]assemble.QueueFact
		want  string
	}{
		{map[string]assemble.QueueFact{"orders/inbox": {Exists: true}, "bus/dlq": {Exists: true}}, ""},
		{map[string]assemble.QueueFact{"orders/inbox": {Exists: false}, "bus/dlq": {Exists: true}}, "the target's queue orders/inbox does not exist"},
		{map[string]assemble.QueueFact{"orders/inbox": {Exists: true}, "bus/dlq": {Exists: false}}, "the dead-letter queue bus/dlq does not exist"},
		{map[string]assemble.QueueFact{"orders/inbox": {Exists: true}, "bus/dlq": {Exists: true, FIFO: true}}, "is a FIFO queue"},
	} {
		in.Queues = c.facts
		r := Run(in)
		var msgs []string
		for _, f := range r.Findings {
			if f.Check != "queue-unusable" {
				t.Errorf("unexpected %s: %s", f.Check, f.Message)
			}
			msgs = append(msgs, f.Message)
		}
		if c.want == "" && len(msgs) > 0 || c.want != "" && !strings.Contains(strings.Join(msgs, "\n"), c.want) {
			t.Errorf("%v: findings %q, want %q", c.facts, msgs, c.want)
		}
	}
}

// TestMatrixSummaries: the fan-out matrix says which detail-types and
// sources reach each account, as the patterns decide.
func TestMatrixSummaries(t *testing.T) {
	topo, in := sound()
	topo.Buses[0].Rules[0].Pattern = `{"account":[{"anything-but":"` + topology.ReferenceAccountID(1) + `"}],"detail-type":["Delivery.Updated"]}`
	topo.Buses[0].Rules[1].Pattern = `{"account":[{"anything-but":"` + topology.ReferenceAccountID(2) + `"}],"source":[{"anything-but":"internal"}]}`
	r := Run(in)
	got := map[string]string{}
	for _, f := range r.Matrix {
		got[f.Sender+" → "+f.Receiver] = f.Summary
	}
	want := map[string]string{
		"bus → orders":      "Delivery.Updated",
		"delivery → orders": "Delivery.Updated",
		"bus → delivery":    "every detail-type (any source but internal)",
		"orders → delivery": "every detail-type (any source but internal)",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %q, want %q", k, got[k], v)
		}
	}
	if len(got) != len(want) {
		t.Errorf("matrix %v", got)
	}
}

func TestSeverityAndTally(t *testing.T) {
	for _, s := range []string{"error", "warning", "note", "none"} {
		if _, err := ParseSeverity(s); err != nil {
			t.Error(err)
		}
	}
	if _, err := ParseSeverity("fatal"); err == nil {
		t.Error("fatal parsed")
	}
	none, _ := ParseSeverity("none")
	r := &Report{Findings: []Finding{{Severity: Error}, {Severity: Warning}, {Severity: Warning}}}
	if r.Count(Warning) != 3 || r.Count(Error) != 1 || r.Count(none) != 0 {
		t.Errorf("counts %d %d %d", r.Count(Warning), r.Count(Error), r.Count(none))
	}
	if got := r.Tally(); got != "3 findings: 1 error, 2 warnings" {
		t.Errorf("tally %q", got)
	}
	if ruleName("self-delivery") != "SelfDelivery" {
		t.Error(ruleName("self-delivery"))
	}
	if !pathLess("buses[2].rules[1]", "buses[10]") || pathLess("buses[10]", "buses[2]") {
		t.Error("pathLess orders numbers as text")
	}
}
