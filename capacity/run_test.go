package capacity

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"

	"github.com/busdrill/busdrill/scenarios"
)

func testdataScenario(t *testing.T, name string) *scenarios.Scenario {
	t.Helper()
	sc, err := testdataScenarioErr(name)
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

func testdataScenarioErr(name string) (*scenarios.Scenario, error) {
	return scenarios.LoadFile(filepath.Join("testdata", name+".yaml"), scenarios.LoadOptions{})
}

// TestRunIsDeterministic: the same scenario and seed give a
// byte-identical answer, next steps (and their speculative probes)
// included; another seed gives other probes.
func TestRunIsDeterministic(t *testing.T) {
	answer := func(seed uint64) []byte {
		sc := testdataScenario(t, "low-quotas")
		sc.Seed = seed
		a, err := Run(context.Background(), sc, Options{Next: 1, Version: "test"})
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := a.WriteJSON(&buf); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	first := answer(3)
	if !bytes.Equal(first, answer(3)) {
		t.Fatal("two searches of the same scenario and seed differ")
	}
	if bytes.Equal(first, answer(4)) {
		t.Fatal("another seed gave the same answer, probes and all: the seed is not used")
	}
}

// TestRunInterrupted: a search stopped after its second probe keeps the
// bracket found so far, is marked interrupted and takes no next step.
func TestRunInterrupted(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sc := testdataScenario(t, "low-quotas")
	a, err := Run(ctx, sc, Options{Version: "test", Progress: func(p Progress) {
		if p.Done && p.Probe == 2 {
			cancel()
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	if !a.Interrupted || a.End != EndInterrupted || len(a.Next) != 0 || len(a.Probes) != 2 {
		t.Fatalf("interrupted %v, end %q, %d next steps, %d probes", a.Interrupted, a.End, len(a.Next), len(a.Probes))
	}
	// 20/s passed, then 126/s (just above the predicted 125) failed.
	if a.SustainableRate != 20 || a.LowestFailingRate != 126 || a.Binding == nil {
		t.Errorf("bracket [%g, %g], binding %v", a.SustainableRate, a.LowestFailingRate, a.Binding)
	}
}

// TestRunRefuses: bad overrides and ranges are errors before any probe.
func TestRunRefuses(t *testing.T) {
	sc := testdataScenario(t, "low-quotas")
	for _, opts := range []Options{
		{Set: []Override{{"services.nobody.concurrency", "5"}}},
		{Min: 50, Max: 10},
	} {
		probes := 0
		opts.Progress = func(Progress) { probes++ }
		if _, err := Run(context.Background(), sc, opts); err == nil || probes > 0 {
			t.Errorf("%+v: err %v after %d probes", opts, err, probes)
		}
	}
}
