package swarm

import (
	"slices"
	"strings"
	"testing"

	"github.com/busdrill/busdrill/scenarios"
)

// TestShrinkSteps: the candidate steps, in the order they are tried; the
// faults the expectation names are never removed.
func TestShrinkSteps(t *testing.T) {
	sc := rarePoison(t)
	nameFaults(sc.Spec)
	sc.Spec.Drain = 180e9
	var got []string
	for _, st := range steps(sc.Spec, []string{"billing-stall"}) {
		got = append(got, st.what)
	}
	want := []string{
		"removed fault slow-deliveries (latency)",
		"removed fault resends (duplicate)",
		"removed fault rare-poison (poison)",
		"fault slow-deliveries: its first 15s only (was 30s from 1m0s)",
		"fault slow-deliveries: its first 22s only (was 30s from 1m0s)",
		"fault slow-deliveries: its last 15s only (was 30s from 1m0s)",
		"fault billing-stall: its first 10s only (was 20s from 2m0s)",
		"fault billing-stall: its first 15s only (was 20s from 2m0s)",
		"fault billing-stall: its last 10s only (was 20s from 2m0s)",
		"fault slow-deliveries: starts at 30s (was 1m0s)",
		"fault billing-stall: starts at 1m0s (was 2m0s)",
		"removed service delivery",
		"removed service orders",
		"removed service billing",
		"removed account orders",
		"removed account delivery",
		"removed account billing",
		"halved the rate (peak 10/s)",
		"traffic ×0.5",
		"traffic ×0.75",
		"drain 1m30s (was 3m0s)",
		"drain 2m15s (was 3m0s)",
	}
	if !slices.Equal(got, want) {
		t.Errorf("steps:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestRemoveAccount: in the full form, an account goes with its buses,
// the statements naming it and the targets into it; what is left loads.
func TestRemoveAccount(t *testing.T) {
	sc, err := scenarios.Builtin("autonomous-subsystems")
	if err != nil {
		t.Fatal(err)
	}
	f := sc.Spec
	f.Services = slices.DeleteFunc(f.Services, func(s scenarios.ServiceSpec) bool { return s.Account == "fulfilment" })
	if !removeAccount(f, "fulfilment") {
		t.Fatal("not removed")
	}
	src, err := scenarios.Marshal(f, "")
	if err != nil {
		t.Fatal(err)
	}
	back, err := scenarios.Load("x.yaml", src, scenarios.LoadOptions{})
	if err != nil {
		t.Fatalf("without fulfilment, it does not load: %v\n%s", err, src)
	}
	if strings.Contains(string(src), "fulfilment/") || strings.Contains(string(src), "principal: fulfilment") || len(back.Topology.Accounts) != 2 {
		t.Errorf("fulfilment is still referred to:\n%s", src)
	}
	// A reference shorthand keeps at least one service account; an
	// unknown account is not a step.
	ref, _ := scenarios.Builtin("reference")
	if removeAccount(ref.Spec, "nobody") {
		t.Error("removed an account that does not exist")
	}
}
