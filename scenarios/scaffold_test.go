package scenarios

import (
	"reflect"
	"strings"
	"testing"

	"github.com/busdrill/busdrill/topology"
)

// scaffoldTopology is a reference backbone whose delivery account has a
// handler two rules invoke, and an orders handler of the same name as a
// delivery one.
func scaffoldTopology() *topology.Topology {
	t := topology.Reference(2, topology.Service{Name: "orders", Handlers: []string{"worker"}, Rules: []topology.Rule{
		{Name: "updates", Pattern: `{"detail-type":["Delivery.Updated"]}`, Targets: []topology.Target{{ID: "fn", Kind: topology.KindHandler, Handler: "orders/worker"}}},
	}}, topology.Service{Name: "delivery", Handlers: []string{"worker", "audit"}, Rules: []topology.Rule{
		{Name: "created", Pattern: `{"detail-type":["Order.Created"]}`, Targets: []topology.Target{
			{ID: "fn", Kind: topology.KindHandler, Handler: "delivery/worker"},
			{ID: "audit", Kind: topology.KindHandler, Handler: "delivery/audit"},
		}},
	}})
	return t
}

// TestScaffold: the scaffolded scenario loads to the same topology (its
// services play the declared handlers and add nothing), names a service
// per handler name, runs traffic from a publisher of the hub, and its
// expansion round trips.
func TestScaffold(t *testing.T) {
	want := scaffoldTopology()
	out, err := Scaffold(want, ScaffoldOptions{Comments: []string{"from a test", "", "second paragraph"}})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(out), "# from a test\n#\n# second paragraph\n#\n# These handlers share a name") {
		t.Errorf("header:\n%s", out)
	}
	s, err := Load("imported.yaml", out, LoadOptions{})
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if !reflect.DeepEqual(s.Topology, want) {
		t.Errorf("the scaffold loads to another topology:\n%s", out)
	}
	var names []string
	for _, svc := range s.Services {
		names = append(names, svc.Handler)
	}
	if strings.Join(names, " ") != "orders/worker delivery/audit" {
		t.Errorf("services play %v", names)
	}
	if !strings.Contains(string(out), "run with the model's default handler: delivery/worker") {
		t.Errorf("the handler without a stand-in is not named:\n%s", out)
	}
	if s.Traffic.Bus != "bus/global" || s.Traffic.Origins[0].Account != "orders" {
		t.Errorf("traffic %s from %v", s.Traffic.Bus, s.Traffic.Origins)
	}
	exp, err := s.Expanded()
	if err != nil {
		t.Fatal(err)
	}
	back, err := Load("expanded.yaml", exp, LoadOptions{})
	if err != nil || !reflect.DeepEqual(back.Topology, want) {
		t.Errorf("the expansion does not round trip: %v", err)
	}
	top, err := Scaffold(want, ScaffoldOptions{TopologyOnly: true})
	if err != nil || !strings.Contains(string(top), "\ntopology:\n") || strings.Contains(string(top), "services:") || strings.Contains(string(top), "traffic:") {
		t.Errorf("topology only: %v\n%s", err, top)
	}
	if _, err := Scaffold(&topology.Topology{Accounts: want.Accounts}, ScaffoldOptions{}); err == nil || !strings.Contains(err.Error(), "no event bus") {
		t.Errorf("no bus: %v", err)
	}
}
