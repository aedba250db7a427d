package actors

import (
	"testing"
	"time"

	"github.com/busdrill/busdrill/report"
)

// TestJourneysRetire: a retired journey is unknown, and its hops are no
// longer recorded.
func TestJourneysRetire(t *testing.T) {
	rec := report.NewRecorder(report.Config{})
	js := NewJourneys(rec, 1)
	js.Start(7, time.Second)
	js.Start(8, time.Second)
	js.Retire(7)
	if _, ok := js.Known(7); ok || js.Len() != 1 {
		t.Fatalf("retired journey still known (%d left)", js.Len())
	}
	js.Complete(7, 2*time.Second) // nothing: it is gone
	js.Complete(8, 3*time.Second)
	if js.Completed() != 1 {
		t.Errorf("%d completed, want 1", js.Completed())
	}
}

// TestJourneysSharded: a shard's journeys are indexed densely by
// j/stride, and each is its own.
func TestJourneysSharded(t *testing.T) {
	js := NewJourneys(report.NewRecorder(report.Config{}), 3)
	for j := uint64(2); j < 3000; j += 3 {
		js.Start(j, time.Duration(j))
	}
	for j := uint64(2); j < 3000; j += 3 {
		if jr, ok := js.Known(j); !ok || jr.Intended != time.Duration(j) {
			t.Fatalf("journey %d: %v %v", j, jr, ok)
		}
	}
	if js.Len() != 1000 {
		t.Errorf("%d journeys", js.Len())
	}
}
