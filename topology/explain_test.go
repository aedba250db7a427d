package topology

import (
	"testing"

	"github.com/busdrill/busdrill/event"
)

// TestLossCause: what cuts a delivery, when a run's faults changed rules
// and policies, and when the one-hop rule refuses a second forward.
func TestLossCause(t *testing.T) {
	topo := Reference(2, Service{Name: "orders"}, Service{Name: "delivery"})
	// A misconfigured chain: orders/local forwards its own events to the
	// global bus, which would forward them again (a second hop).
	topo.Buses[0].Policy = append(topo.Buses[0].Policy, Statement{Sid: "from-orders-local", Principal: "orders", Action: ActionPutEvents})
	topo.Buses[1].Rules = append(topo.Buses[1].Rules, Rule{Name: "up", Pattern: `{"source":["chained"]}`,
		Targets: []Target{{ID: "global", Kind: KindBus, Bus: "bus/global", Role: "up"}}})
	r, err := NewRouter(topo)
	if err != nil {
		t.Fatal(err)
	}
	g, _ := r.X.Bus("bus/global")
	toDelivery := 1 // rules of bus/global: to-orders, to-delivery, catch-all
	env := func(source string) *event.Envelope {
		return &event.Envelope{Source: source, DetailType: "Order.Created", Account: ReferenceAccountID(1), Region: DefaultRegion, Detail: []byte("{}")}
	}
	deliveryLog := "delivery/local/catch-all/log"
	for _, tt := range []struct {
		comment  string
		bus      string
		source   string
		consumer string
		blocked  Blocked
		want     string
	}{
		{"nothing in the way: in flight", "bus/global", "o", deliveryLog, Blocked{}, ""},
		{"the fan-out rule to delivery is disabled", "bus/global", "o", deliveryLog,
			Blocked{RuleDisabled: func(b, i int) bool { return b == g && i == toDelivery }}, CauseRuleDisabled},
		{"another rule is disabled: in flight", "bus/global", "o", deliveryLog,
			Blocked{RuleDisabled: func(b, i int) bool { return b == g && i == 0 }}, ""},
		{"delivery's local bus no longer allows the bus account", "bus/global", "o", deliveryLog,
			Blocked{DeniedCode: "NO_PERMISSIONS", Policy: func(b int) []Statement {
				if topo.Buses[b].Ref() == "delivery/local" {
					return []Statement{}
				}
				return nil
			}}, "NO_PERMISSIONS"},
		{"global's own log is not behind the fan-out", "bus/global", "o", "bus/global/catch-all/log",
			Blocked{RuleDisabled: func(b, i int) bool { return b == g && i == toDelivery }}, ""},
		{"orders/local → global → delivery/local is a second hop", "orders/local", "chained", deliveryLog, Blocked{}, CodeThirdAccountHop},
		{"a consumer not on any route has no cause", "bus/global", "o", "nobody/x/y/z", Blocked{}, ""},
	} {
		if got := r.LossCause("orders", tt.bus, env(tt.source), tt.consumer, tt.blocked); got != tt.want {
			t.Errorf("%s: LossCause = %q, want %q", tt.comment, got, tt.want)
		}
	}
}
