package world

import (
	"bytes"
	"testing"

	"github.com/busdrill/busdrill/scenarios"
)

// TestRetirementChangesNothing: the scenarios where journeys live longest
// and come back — duplicates, retries, dead-letter queues and their
// redrive, archives and replays, stalled backlogs, relays — give the same
// results.json with journeys retired as they go as with every journey
// kept to the end; and a run that keeps nothing of its finished journeys
// did retire them: at the end only the journeys something still holds
// are left.
func TestRetirementChangesNothing(t *testing.T) {
	for _, name := range []string{
		"duplicates-business-key", "duplicates-event-id", "dlq-redrive",
		"disabled-rule-replay", "stalled-consumer", "poison-orders",
		"partial-failures", "event-age-exhausted-with-dlq", "autonomous-subsystems",
		"throttle-storm",
	} {
		t.Run(name, func(t *testing.T) {
			run := func(keep bool) ([]byte, *world) {
				sc, err := scenarios.Builtin(name)
				if err != nil {
					t.Fatal(err)
				}
				w, err := build(Options{Scenario: sc, Version: "test", keepJourneys: keep})
				if err != nil {
					t.Fatal(err)
				}
				w.run()
				if w.faults.err != nil {
					t.Fatal(w.faults.err)
				}
				var buf bytes.Buffer
				if err := w.finish().WriteJSON(&buf); err != nil {
					t.Fatal(err)
				}
				return buf.Bytes(), w
			}
			retired, w := run(false)
			kept, wk := run(true)
			if !bytes.Equal(retired, kept) {
				t.Fatal("results differ with journeys retired")
			}
			held := 0
			for j := uint64(0); j < uint64(w.producer.reached); j++ {
				if !w.journeys.idle(j) {
					if _, ok := w.journeys.known(j); ok {
						held++
					}
				}
			}
			if left := w.journeys.len(); left != held || wk.journeys.len() != int(w.producer.reached) {
				t.Errorf("%d journeys left, %d of them held; %d kept of %d", left, held, wk.journeys.len(), w.producer.reached)
			}
		})
	}
}
