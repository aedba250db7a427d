package scenarios

import (
	"strings"
	"testing"
)

// handlersBase is a full-form topology whose rule invokes a declared
// handler; each case appends its services.
const handlersBase = `name: handlers
topology:
  accounts:
    - {name: orders, id: "222222222222"}
  buses:
    - account: orders
      name: local
      rules:
        - name: created
          pattern: {detail-type: [Order.Created]}
          targets: [{id: fn, handler: orders/worker}]
  handlers:
    - {account: orders, name: worker}
traffic: {rate: 1/s, duration: 10s, bus: orders/local, origins: [{account: orders}]}
`

// TestDeclaredHandlers: topology.handlers declares handlers that rules
// invoke; a service with neither on nor pattern plays one without adding a
// rule, and the wrong combinations are refused at their line.
func TestDeclaredHandlers(t *testing.T) {
	for _, c := range []struct {
		name     string
		services string
		// rules is the number of rules the bus ends with; handlers the
		// number of handlers (when the scenario loads).
		rules, handlers int
		// bus is the first service's Bus.
		bus     string
		wantErr string
	}{
		{name: "declared handler, no service: the model's default handler", rules: 1, handlers: 1},
		{
			name:     "a service plays the declared handler: no rule is added",
			services: "services:\n  - {name: worker, account: orders}\n",
			rules:    1, handlers: 1, bus: "orders/local",
		},
		{
			name:     "a service with on feeds a declared handler through its own rule",
			services: "services:\n  - {name: worker, account: orders, on: Order.Updated}\n",
			rules:    2, handlers: 1, bus: "orders/local",
		},
		{
			name:     "neither on nor pattern, and no such handler declared",
			services: "services:\n  - {name: other, account: orders}\n",
			wantErr:  `services[0]: give on (a detail-type) or pattern, one of them (or declare orders/other in topology.handlers`,
		},
		{
			name:     "a playing service names a bus",
			services: "services:\n  - {name: worker, account: orders, bus: local}\n",
			wantErr:  `services[0].bus: bus is the bus of the rule feeding a service; worker plays the declared handler orders/worker`,
		},
		{
			name:     "a playing service sets a dlq",
			services: "services:\n  - {name: worker, account: orders, dlq: orders/dlq}\n",
			wantErr:  `retry and dlq belong to the rule target that invokes a service`,
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, err := Load("handlers.yaml", []byte(handlersBase+c.services), LoadOptions{})
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if n := len(s.Topology.Buses[0].Rules); n != c.rules {
				t.Errorf("%d rules, want %d", n, c.rules)
			}
			if n := len(s.Topology.Handlers); n != c.handlers {
				t.Errorf("%d handlers, want %d", n, c.handlers)
			}
			if c.bus != "" && s.Services[0].Bus != c.bus {
				t.Errorf("service bus %q, want %q", s.Services[0].Bus, c.bus)
			}
		})
	}
}

// TestLocate maps topology paths back to the lines that wrote them.
func TestLocate(t *testing.T) {
	s, err := Load("handlers.yaml", []byte(handlersBase+"services:\n  - {name: feeder, account: orders, on: Order.Updated}\n"), LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		path     string
		line     int
		filePath string
	}{
		{"buses[0].rules[0]", 9, "topology.buses[0].rules[0]"},
		{"buses[0].rules[0].targets[0]", 11, "topology.buses[0].rules[0].targets[0]"},
		{"handlers[0]", 13, "topology.handlers[0]"},
		{"buses[0].rules[1]", 16, "services[0]"}, // the service's feeding rule
	} {
		pos, fp := s.Locate(c.path)
		if pos.Line != c.line || fp != c.filePath {
			t.Errorf("Locate(%s) = line %d, %s; want line %d, %s", c.path, pos.Line, fp, c.line, c.filePath)
		}
	}
	var none Scenario
	if pos, fp := none.Locate("buses[0]"); !pos.IsZero() || fp != "buses[0]" {
		t.Errorf("a scenario without a locator: %v %s", pos, fp)
	}
}
