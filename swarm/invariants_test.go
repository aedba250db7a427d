package swarm

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/busdrill/busdrill/chaos"
	"github.com/busdrill/busdrill/report"
	"github.com/busdrill/busdrill/scenarios"
)

// goodRun is a real run with a fault and windows: disabled-rule.
func goodRun(t *testing.T) (*scenarios.Scenario, []byte) {
	t.Helper()
	sc, err := scenarios.Builtin("disabled-rule")
	if err != nil {
		t.Fatal(err)
	}
	res, js, err := runInstance(context.Background(), &instance{sc: sc, source: sc.Source})
	if err != nil {
		t.Fatal(err)
	}
	if v := checkInvariants(sc, res); len(v) > 0 {
		t.Fatalf("a healthy run breaks invariants: %q", v)
	}
	return sc, js
}

// TestInvariants: each broken invariant is found and named, with the
// numbers that disagree; a healthy run (above) breaks none.
func TestInvariants(t *testing.T) {
	sc, js := goodRun(t)
	route := func(r *report.Results) *report.Route {
		for i := range r.Ledger.Routes {
			if r.Ledger.Routes[i].Expected > 0 {
				return &r.Ledger.Routes[i]
			}
		}
		t.Fatal("no route")
		return nil
	}
	window := func(r *report.Results, name string) *report.WindowResult {
		for i := range r.Windows {
			if r.Windows[i].Name == name {
				return &r.Windows[i]
			}
		}
		t.Fatalf("no window %s", name)
		return nil
	}
	cases := []struct {
		name   string
		break_ func(r *report.Results, sc *scenarios.Scenario)
		want   string
	}{
		{"a delivery too many", func(r *report.Results, _ *scenarios.Scenario) { route(r).Delivered++ },
			"≠ delivered"},
		{"a route flagged balanced that is not", func(r *report.Results, _ *scenarios.Scenario) { route(r).InFlight += 2 },
			"≠ delivered"},
		{"a negative in flight", func(r *report.Results, _ *scenarios.Scenario) {
			rt := route(r)
			rt.InFlight, rt.Delivered = -1, rt.Delivered+1
		},
			"in_flight: -1, a negative count"},
		{"the ledger's flag", func(r *report.Results, _ *scenarios.Scenario) { r.Ledger.Balanced = false },
			"ledger.balanced is false, its routes say true"},
		{"dlq causes", func(r *report.Results, _ *scenarios.Scenario) { route(r).DLQCauses = map[string]int64{"X": 1} },
			"dlq 0 ≠ Σ dlq_causes 1"},
		{"completed and incomplete", func(r *report.Results, _ *scenarios.Scenario) { r.Orders.Completed++ },
			"orders: completed"},
		{"planned", func(r *report.Results, _ *scenarios.Scenario) { r.Orders.Planned += 5 },
			"orders: planned"},
		{"not sent causes", func(r *report.Results, _ *scenarios.Scenario) { r.Orders.NotSentCauses = map[string]int64{"x": 2} },
			"not_sent 0 ≠ Σ not_sent_causes 2"},
		{"latency out of order", func(r *report.Results, _ *scenarios.Scenario) {
			s := r.Latency["e2e"]
			s.P50 = s.P99 + 1
			r.Latency["e2e"] = s
		}, "latency.e2e: min"},
		{"e2e count", func(r *report.Results, _ *scenarios.Scenario) {
			s := r.Latency["e2e"]
			s.Count--
			r.Latency["e2e"] = s
		}, "latency.e2e.count"},
		{"duplicates over deliveries", func(r *report.Results, _ *scenarios.Scenario) { r.Duplicates[0].ByKey = r.Duplicates[0].Deliveries + 1 },
			".by_key"},
		{"idempotency by consumer", func(r *report.Results, _ *scenarios.Scenario) { r.Idempotency.Violations = 3 },
			"idempotency: violations 3 ≠ Σ by_consumer 0"},
		{"series", func(r *report.Results, _ *scenarios.Scenario) { r.Series[3].Completed++ },
			"series: Σ completed"},
		{"window orders", func(r *report.Results, _ *scenarios.Scenario) { window(r, "steady").Orders.Incomplete++ },
			"windows[steady].orders"},
		{"window loss", func(r *report.Results, _ *scenarios.Scenario) { window(r, "during:rule-off").Loss.Total++ },
			"windows[during:rule-off].loss"},
		{"a during window beyond its fault", func(r *report.Results, _ *scenarios.Scenario) {
			window(r, "during:rule-off").Spans[0].EndMs += 1000
		}, "outside the fault's window"},
		{"a fault moved", func(r *report.Results, _ *scenarios.Scenario) { r.Faults[0].StartMs += 1 },
			"faults[0]: rule-off disable-rule"},
		{"a fault missing", func(r *report.Results, _ *scenarios.Scenario) { r.Faults = nil },
			"faults: 0 in the results, the scenario has 1"},
		{"a fault's window missing", func(r *report.Results, _ *scenarios.Scenario) {
			r.Windows = r.Windows[:1]
		}, "windows: no after:rule-off"},
		{"a recovery of no fault", func(r *report.Results, _ *scenarios.Scenario) { r.Recovery[0].Fault = "ghost" },
			"recovery[ghost]"},
		{"a cause without its fault", func(r *report.Results, sc *scenarios.Scenario) {
			sc.Faults = &chaos.Timeline{}
			r.Faults = nil
			r.Windows = nil
			r.Recovery = nil
		},
			"ledger: dropped rule-disabled, but no fault of the scenario causes it (faults: none)"},
		{"anomalies", func(r *report.Results, _ *scenarios.Scenario) { r.Anomalies = map[string]int64{"completed_unsent": 2} },
			"anomalies.completed_unsent: 2"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var r report.Results
			if err := json.NewDecoder(bytes.NewReader(js)).Decode(&r); err != nil {
				t.Fatal(err)
			}
			sc2 := *sc
			c.break_(&r, &sc2)
			got := checkInvariants(&sc2, &r)
			if !strings.Contains(strings.Join(got, "\n"), c.want) {
				t.Errorf("violations %q, want one saying %q", got, c.want)
			}
		})
	}
}

// TestCauseSources: the causes only a fault produces need it.
func TestCauseSources(t *testing.T) {
	plain, _ := scenarios.Builtin("reference")
	poison, _ := scenarios.Builtin("poison-orders")
	outage, _ := scenarios.Builtin("event-age-exhausted-with-dlq")
	ruleOff, _ := scenarios.Builtin("disabled-rule")
	for _, c := range []struct {
		sc    *scenarios.Scenario
		cause string
		want  bool
	}{
		{plain, "rule-disabled", false},
		{plain, "handler-failed", false},
		{plain, "throttled", true},      // a quota reached: no fault needed
		{plain, "unknown-bus", true},    // a configuration can
		{plain, "some-new-cause", true}, // unlisted: not judged
		{plain, "oversized", true},      // a lognormal payload can draw one
		{ruleOff, "oversized", false},   // a constant 1 KB payload
		{ruleOff, "rule-disabled", true},
		{poison, "handler-failed", true}, // the poison fault
		{outage, "ERROR_FROM_TARGET", true},
		{outage, "NO_RESOURCE", false}, // another code than the outage's
	} {
		if got := causeExplained(c.sc, c.cause); got != c.want {
			t.Errorf("%s, cause %s: explained %v, want %v", c.sc.Name, c.cause, got, c.want)
		}
	}
}
