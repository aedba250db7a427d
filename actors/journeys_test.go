package actors

import (
	"testing"
	"time"

	"github.com/busdrill/busdrill/report"
)

// TestJourneyHolds: a journey is idle when nothing holds it, Release
// reports the last hold, and a retired journey is unknown.
func TestJourneyHolds(t *testing.T) {
	js := NewJourneys(report.NewRecorder(report.Config{}), 1)
	js.Start(7, time.Second)
	if !js.Idle(7) || js.Idle(8) {
		t.Fatal("a started journey with no hold is idle; an unknown one is not")
	}
	js.Hold(7)
	js.Hold(7)
	js.Hold(8) // unknown: ignored
	steps := []struct {
		last, idle bool
	}{{false, false}, {true, true}, {false, true}}
	for i, want := range steps {
		if got := js.Release(7); got != want.last || js.Idle(7) != want.idle {
			t.Errorf("release %d: last %v idle %v, want %v %v", i, got, js.Idle(7), want.last, want.idle)
		}
	}
	js.Retire(7)
	if _, ok := js.Known(7); ok || js.Len() != 0 {
		t.Errorf("retired journey still known (%d left)", js.Len())
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
