package world

import (
	"bytes"
	"maps"
	"slices"
	"sort"
	"testing"

	"github.com/busdrill/busdrill/chaos"
	"github.com/busdrill/busdrill/report"
	"github.com/busdrill/busdrill/scenarios"
)

// lossCauses returns the causes with a non-zero count in the ledger:
// "dropped:CAUSE" for drops and "dlq:CODE" for dead-lettered deliveries.
func lossCauses(r *report.Results) []string {
	set := map[string]bool{}
	for _, rt := range r.Ledger.Routes {
		for c, n := range rt.Dropped {
			if n > 0 {
				set["dropped:"+c] = true
			}
		}
		for c, n := range rt.DLQCauses {
			if n > 0 {
				set["dlq:"+c] = true
			}
		}
	}
	out := slices.Collect(maps.Keys(set))
	sort.Strings(out)
	return out
}

// TestLibrary runs every built-in scenario once and checks, for each: the
// ledger balances and nothing contradicted the recorder (no anomalies);
// and for the scenarios that exercise a fault kind, that the losses are
// attributed to exactly the causes that kind produces — nothing missing,
// nothing else.
func TestLibrary(t *testing.T) {
	causes := map[string][]string{
		// throttle: a lowered PutEvents quota; what the SDK gives up.
		"throttle-storm": {"dropped:throttled"},
		// throttle: partial failures the producer's resend loop recovers.
		"partial-failures": nil,
		// throttle: invocations delayed, never dropped.
		"invocations-throttled": nil,
		"launch-day-ramp":       {"dropped:throttled"},
		// disable-rule: dropped at the rule, nothing queued.
		"disabled-rule": {"dropped:rule-disabled"},
		// replay: the same drops, then the replay delivers them.
		"disabled-rule-replay": {"dropped:rule-disabled"},
		// revoke-permission of a local bus's statement: DLQ, no retries.
		"local-permission-revoked": {"dlq:NO_PERMISSIONS"},
		// redrive: the same DLQ, then delivered.
		"dlq-redrive": {"dlq:NO_PERMISSIONS"},
		// revoke-permission of a sender: PutEvents entries refused.
		"sender-permission-lost": {"dropped:AccessDeniedException"},
		// revoke-permission of a target's role.
		"role-revoked": {"dlq:FAILED_TO_ASSUME_ROLE"},
		// duplicate: no loss at all.
		"duplicates-none":         nil,
		"duplicates-event-id":     nil,
		"duplicates-business-key": nil,
		// outage with a maximum event age: the last error, to the DLQ or
		// dropped.
		"event-age-exhausted-with-dlq":    {"dlq:ERROR_FROM_TARGET"},
		"event-age-exhausted-without-dlq": {"dropped:ERROR_FROM_TARGET"},
		// outage the retry policy rides out: no loss.
		"consumer-outage": nil,
		// latency and stall: slower, nothing lost.
		"latency-spike":    nil,
		"stalled-consumer": nil,
		// poison: the handler's retries, then dropped.
		"poison-orders": {"dropped:handler-failed"},
		// oversize: refused whole by PutEvents, never resent.
		"oversized-orders": {"dropped:oversized"},
		// the hop limit of a misconfigured chain.
		"hop-limit-chain": {"dropped:THIRD_ACCOUNT_HOP_DETECTED"},
		// no fault.
		"reference":             nil,
		"autonomous-subsystems": nil,
	}
	for _, name := range scenarios.Names() {
		want, known := causes[name]
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if !known {
				t.Fatalf("scenario %s has no entry in this test's table of loss causes", name)
			}
			sc, err := scenarios.Builtin(name)
			if err != nil {
				t.Fatal(err)
			}
			res, _, err := Run(Options{Scenario: sc, Version: "test"})
			if err != nil {
				t.Fatal(err)
			}
			if !res.Ledger.Balanced {
				t.Errorf("the ledger does not balance")
			}
			if len(res.Anomalies) > 0 {
				t.Errorf("anomalies: %v", res.Anomalies)
			}
			if got := lossCauses(res); !slices.Equal(got, want) {
				t.Errorf("loss causes %q, want %q", got, want)
			}
		})
	}
}

// TestFaultLeavesArrivalsUnchanged: the disabled-rule scenario with its
// faults and the same scenario without them publish every order at the
// same instant, and the fault did change the outcome.
func TestFaultLeavesArrivalsUnchanged(t *testing.T) {
	with, err := scenarios.Builtin("disabled-rule")
	if err != nil {
		t.Fatal(err)
	}
	without, _ := scenarios.Builtin("disabled-rule")
	without.Faults = &chaos.Timeline{}
	without.Expect = nil
	with.Expect = nil
	if bytes.Equal(resultsJSON(t, with, nil), resultsJSON(t, without, nil)) {
		t.Fatal("the fault changed nothing: the test would prove nothing")
	}
	a, b := orderArrivals(t, with), orderArrivals(t, without)
	if len(a) == 0 || len(a) != len(b) {
		t.Fatalf("%d arrivals with the fault, %d without", len(a), len(b))
	}
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("order %d: %+v with the fault, %+v without", i, a[i], b[i])
		}
	}
}
