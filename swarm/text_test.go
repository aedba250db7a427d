package swarm

import (
	"strings"
	"testing"
)

// TestTextSaysWhatBroke: a broken invariant, a seed that did not replay
// and a seed that could not run are each printed loudly, and fail the
// swarm even when only the model is judged.
func TestTextSaysWhatBroke(t *testing.T) {
	sum := &Summary{
		Scenario: "x", First: 1, Last: 3, InvariantsOnly: true,
		Runs: []SeedRun{
			{Seed: 1, Status: StatusPass, Replay: "differs at ledger.routes[2].delivered: 4711 vs 4712 (first run vs second)"},
			{Seed: 2, Status: StatusFail, Invariants: []string{"orders: completed 5 + incomplete 0 ≠ sent 4"}},
			{Seed: 3, Status: StatusError, Error: "the varied scenario does not load"},
		},
	}
	tally(sum, nil)
	if !sum.failed() {
		t.Fatal("a swarm with a broken invariant passes")
	}
	sum.Verdict = VerdictFail
	var b strings.Builder
	WriteText(&b, sum, "")
	for _, want := range []string{
		"FAIL  x · seeds 1–3: 3 run, expectations held in 1, not judged (--invariants-only), 1 could not run · 1 seed broke an invariant · 1 of 1 replays differ",
		"NOT DETERMINISTIC seed 1: results.json differs at ledger.routes[2].delivered: 4711 vs 4712 (first run vs second)",
		"BROKEN seed 2: orders: completed 5 + incomplete 0 ≠ sent 4",
		"ERROR seed 3: the varied scenario does not load",
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("the text lacks %q:\n%s", want, b.String())
		}
	}
	// Expectations failing alone fail only a swarm that judges them.
	ok := &Summary{Runs: []SeedRun{{Seed: 1, Status: StatusFail}}, InvariantsOnly: true}
	tally(ok, nil)
	if ok.failed() {
		t.Error("--invariants-only fails on an expectation")
	}
	ok.InvariantsOnly = false
	if !ok.failed() {
		t.Error("a failing seed passes")
	}
}
