package actors

import (
	"strconv"
	"testing"
	"time"
)

func TestDedupeStrategies(t *testing.T) {
	type delivery struct {
		at      time.Duration
		id      string
		journey uint64
		step    int
	}
	// The same order step delivered three ways: a redelivery (same id),
	// a producer resend (new id, same key), and much later (outside the
	// window).
	deliveries := []delivery{
		{0, "e1", 7, 0},
		{time.Second, "e1", 7, 0},     // redelivery: same id
		{2 * time.Second, "e2", 7, 0}, // resend: new id, same business key
		{3 * time.Second, "e3", 7, 1}, // the next step: a different key
		{2 * time.Hour, "e1", 7, 0},   // after the window
	}
	tests := []struct {
		strategy string
		want     []bool
	}{
		// none processes everything: duplicates become second side effects.
		{StrategyNone, []bool{true, true, true, true, true}},
		// event-id catches the redelivery but not the resend.
		{StrategyEventID, []bool{true, false, true, true, true}},
		// business-key catches both.
		{StrategyBusinessKey, []bool{true, false, false, true, true}},
	}
	for _, tt := range tests {
		d, err := NewDedupe(tt.strategy, time.Hour, 1)
		if err != nil {
			t.Fatal(err)
		}
		for i, dl := range deliveries {
			if got := d.Admit(dl.at, dl.id, dl.journey, dl.step); got != tt.want[i] {
				t.Errorf("%s: delivery %d: admitted %v, want %v", tt.strategy, i, got, tt.want[i])
			}
		}
	}
}

func TestDedupeRejectsBadConfig(t *testing.T) {
	if _, err := NewDedupe("sometimes", time.Hour, 1); err == nil {
		t.Error("unknown strategy accepted")
	}
	if _, err := NewDedupe(StrategyEventID, 0, 1); err == nil {
		t.Error("zero window accepted")
	}
}

func TestDedupeSweepBoundsIDs(t *testing.T) {
	d, _ := NewDedupe(StrategyEventID, time.Minute, 1)
	for i := 0; i < 10000; i++ {
		d.Admit(time.Duration(i)*time.Second, string(rune('a'+i%26))+time.Duration(i).String(), uint64(i), 0)
	}
	if n := len(d.ids); n > 130 {
		t.Errorf("%d ids retained with a one-minute window at one id per second", n)
	}
}

// TestDedupeRetireBoundsMemory: with a window far longer than the run,
// what a consumer remembers still follows the journeys not retired: the
// keys of a retired journey are gone, and its ids are purged as the map
// grows.
func TestDedupeRetireBoundsMemory(t *testing.T) {
	const n, inFlight = 200_000, 1000
	for _, strategy := range []string{StrategyEventID, StrategyBusinessKey} {
		d, _ := NewDedupe(strategy, 24*time.Hour, 1)
		for j := uint64(0); j < n; j++ {
			now := time.Duration(j) * time.Millisecond
			if !d.Admit(now, "id-"+strconv.FormatUint(j, 10), j, 0) {
				t.Fatalf("%s: journey %d not admitted", strategy, j)
			}
			if j >= inFlight {
				d.Retire(j - inFlight)
			}
		}
		if k, ids := d.keys.Len(), len(d.ids); k > inFlight || ids > 4*inFlight+2*minPurge {
			t.Errorf("%s: %d keys, %d ids kept for %d journeys in flight", strategy, k, ids, inFlight)
		}
		// A journey still followed is remembered.
		if d.Admit(time.Hour, "id-"+strconv.FormatUint(n-1, 10), n-1, 0) {
			t.Errorf("%s: the last journey's duplicate admitted", strategy)
		}
	}
}
