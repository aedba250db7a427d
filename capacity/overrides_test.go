package capacity

import (
	"strings"
	"testing"
	"time"

	"github.com/busdrill/busdrill/scenarios"
	"github.com/busdrill/busdrill/sim/backbone"
	"github.com/busdrill/busdrill/sim/world"
	"github.com/busdrill/busdrill/topology"
)

func TestOverrides(t *testing.T) {
	handler := func(sc *scenarios.Scenario, ref string) backbone.HandlerSpec {
		for _, h := range world.ParamsFor(sc).Handlers {
			if h.Handler == ref {
				return h
			}
		}
		t.Fatalf("no handler %s", ref)
		return backbone.HandlerSpec{}
	}
	target := func(sc *scenarios.Scenario, ref string) topology.Target {
		var out topology.Target
		forTargets(sc.Topology, func(r string, tg *topology.Target) {
			if r == ref {
				out = *tg
			}
		})
		return out
	}
	cases := []struct {
		set   string
		check func(t *testing.T, sc *scenarios.Scenario)
		err   string // the error, when the override is refused
	}{
		{set: "model.putevents_tps=2000", check: func(t *testing.T, sc *scenarios.Scenario) {
			if sc.Model.PutEventsTPS != 2000 {
				t.Errorf("PutEventsTPS %g", sc.Model.PutEventsTPS)
			}
		}},
		{set: "model.putevents_tps.orders=120000/m", check: func(t *testing.T, sc *scenarios.Scenario) {
			if q := sc.Model.AccountQuotas; len(q) != 1 || q[0] != (scenarios.AccountQuota{Account: "orders", PutEventsTPS: 2000}) {
				t.Errorf("AccountQuotas %+v", q)
			}
		}},
		{set: "model.invocations_tps.bus=5000", check: func(t *testing.T, sc *scenarios.Scenario) {
			if q := sc.Model.AccountQuotas; len(q) != 1 || q[0] != (scenarios.AccountQuota{Account: "bus", InvocationsTPS: 5000}) {
				t.Errorf("AccountQuotas %+v", q)
			}
		}},
		{set: "model.invocations_burst=7", check: func(t *testing.T, sc *scenarios.Scenario) {
			if sc.Model.InvocationsBurst != 7 {
				t.Errorf("InvocationsBurst %d", sc.Model.InvocationsBurst)
			}
		}},
		{set: "services.delivery.concurrency=5000", check: func(t *testing.T, sc *scenarios.Scenario) {
			if h := handler(sc, "delivery/delivery"); h.Concurrency != 5000 {
				t.Errorf("concurrency %d", h.Concurrency)
			}
		}},
		{set: "services.delivery.processing=2s", check: func(t *testing.T, sc *scenarios.Scenario) {
			if h := handler(sc, "delivery/delivery"); time.Duration(h.Process.Mean()) != 2*time.Second {
				t.Errorf("processing mean %v", time.Duration(h.Process.Mean()))
			}
		}},
		{set: "services.orders.max_rate=300/s", check: func(t *testing.T, sc *scenarios.Scenario) {
			if h := handler(sc, "orders/orders"); h.MaxRate != 300 {
				t.Errorf("max rate %g", h.MaxRate)
			}
		}},
		{set: "services.delivery.retry.maximum_retry_attempts=3", check: func(t *testing.T, sc *scenarios.Scenario) {
			if tg := target(sc, "delivery/local/delivery/handler"); tg.Retry.Attempts() != 3 {
				t.Errorf("retries %d", tg.Retry.Attempts())
			}
		}},
		{set: "targets.bus/global/to-delivery/local.retry.maximum_event_age_in_seconds=120", check: func(t *testing.T, sc *scenarios.Scenario) {
			if tg := target(sc, "bus/global/to-delivery/local"); tg.Retry.MaxAge() != 2*time.Minute {
				t.Errorf("max age %v", tg.Retry.MaxAge())
			}
		}},
		{set: "services.delivry.concurrency=5", err: `no service "delivry" (did you mean "delivery"?)`},
		{set: "services.delivery.concurency=5", err: `unknown service field "concurency" (did you mean "concurrency"?)`},
		{set: "services.delivery.concurrency=0", err: `"0": want a whole number from 1 to 10000000`},
		{set: "services.delivery.concurrency=lots", err: `"lots": want a whole number`},
		{set: "services.delivery.processing=fast", err: `processing`},
		{set: "services.delivery.retry.maximum_retry_attempts=186", err: `want a whole number from 0 to 185`},
		{set: "services.delivery.retry.maximum_event_age_in_seconds=59", err: `want a whole number from 60 to 86400`},
		{set: "model.putevents_tps.ordres=5", err: `no account "ordres" (did you mean "orders"?)`},
		{set: "model.putevents_tps=-1", err: `want a rate above 0`},
		{set: "model.putevents_tps=1e12", err: `at most 1e+07 per second`},
		{set: "model.puttevents_tps=5", err: `unknown model key`},
		{set: "targets.bus/global/nope/x.retry.maximum_retry_attempts=1", err: `no target "bus/global/nope/x"`},
		{set: "quotas.orders=5", err: `unknown key`},
	}
	for _, c := range cases {
		t.Run(c.set, func(t *testing.T) {
			sc, err := scenarios.Builtin("reference")
			if err != nil {
				t.Fatal(err)
			}
			o, err := ParseOverride(c.set)
			if err != nil {
				t.Fatal(err)
			}
			err = apply(sc, []Override{o})
			switch {
			case c.err == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
				t.Fatalf("error %v, want one saying %q", err, c.err)
			case c.err != "" && !strings.HasPrefix(err.Error(), "--set "):
				t.Errorf("error %q does not name the --set", err)
			case c.check != nil:
				c.check(t, sc)
			}
		})
	}
	for _, bad := range []string{"", "novalue", "=5", "key="} {
		if _, err := ParseOverride(bad); err == nil {
			t.Errorf("ParseOverride(%q) accepted", bad)
		}
	}
}

// TestSubjectsDoNotShare: a subject's overrides never reach the scenario
// it was made from, nor another subject.
func TestSubjectsDoNotShare(t *testing.T) {
	sc, err := scenarios.Builtin("reference")
	if err != nil {
		t.Fatal(err)
	}
	a, err := NewSubject(sc, []Override{{"services.delivery.concurrency", "7"}}, DefaultBudget, "test")
	if err != nil {
		t.Fatal(err)
	}
	b, err := a.With(Override{"services.delivery.concurrency", "9"})
	if err != nil {
		t.Fatal(err)
	}
	conc := func(sc *scenarios.Scenario) int {
		for _, h := range world.ParamsFor(sc).Handlers {
			if h.Handler == "delivery/delivery" {
				return h.Concurrency
			}
		}
		return -1
	}
	if conc(sc) != 1000 || conc(a.Scenario()) != 7 || conc(b.Scenario()) != 9 {
		t.Fatalf("concurrency: scenario %d, a %d, b %d", conc(sc), conc(a.Scenario()), conc(b.Scenario()))
	}
}
