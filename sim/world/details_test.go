package world

import (
	"bytes"
	"testing"

	"github.com/busdrill/busdrill/scenarios"
)

// TestLazyDetailsChangeNothing: publishing journey events without their
// details (built only when something reads them) gives the same
// results.json and the same trace as building every detail, in the
// scenarios where details are read or kept: poison predicates, relays,
// archives and replays, dead-letter queues, backlogs, oversized orders.
func TestLazyDetailsChangeNothing(t *testing.T) {
	for _, name := range []string{
		"reference", "poison-orders", "autonomous-subsystems", "disabled-rule-replay",
		"dlq-redrive", "stalled-consumer", "oversized-orders", "duplicates-business-key",
	} {
		t.Run(name, func(t *testing.T) {
			run := func(eager bool) ([]byte, []byte, bool) {
				sc, err := scenarios.Builtin(name)
				if err != nil {
					t.Fatal(err)
				}
				var trace bytes.Buffer
				w, err := build(Options{Scenario: sc, Version: "test", Trace: &trace, eagerDetails: eager})
				if err != nil {
					t.Fatal(err)
				}
				w.run()
				if w.faults.err != nil {
					t.Fatal(w.faults.err)
				}
				var res bytes.Buffer
				if err := w.finish().WriteJSON(&res); err != nil {
					t.Fatal(err)
				}
				if err := w.trace.Flush(); err != nil {
					t.Fatal(err)
				}
				return res.Bytes(), trace.Bytes(), w.lazyDetails
			}
			lazyRes, lazyTrace, lazy := run(false)
			eagerRes, eagerTrace, _ := run(true)
			if !lazy && name == "reference" {
				t.Fatal("the reference scenario's patterns read no detail: its details should be lazy")
			}
			if !bytes.Equal(lazyRes, eagerRes) {
				t.Fatal("results differ with lazy details")
			}
			if !bytes.Equal(lazyTrace, eagerTrace) {
				t.Fatal("traces differ with lazy details")
			}
		})
	}
}
