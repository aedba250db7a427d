package loadgen

import (
	"testing"
	"time"
)

func TestLateness(t *testing.T) {
	tests := []struct {
		intended, actual time.Duration
		late             bool
	}{
		// Sent exactly on time => on time.
		{100 * ms, 100 * ms, false},
		// Sent 2ms early (the clock woke early) => on time, no lag.
		{100 * ms, 98 * ms, false},
		// Sent 10ms after intended, tolerance 10ms => still on time.
		{100 * ms, 110 * ms, false},
		// Sent 10ms + 1ns after intended => late.
		{100 * ms, 110*ms + 1, true},
		// Sent a second behind => late, and the max lag.
		{200 * ms, 1200 * ms, true},
	}
	l := Lateness{Tolerance: 10 * ms}
	for _, tt := range tests {
		if got := l.IsLate(tt.intended, tt.actual); got != tt.late {
			t.Errorf("IsLate(%v, %v) = %v", tt.intended, tt.actual, got)
		}
		if got := l.Record(tt.intended, tt.actual); got != tt.late {
			t.Errorf("Record(%v, %v) = %v", tt.intended, tt.actual, got)
		}
	}
	if l.OnTime != 3 || l.Late != 2 || l.Sent() != 5 || l.MaxLag != s || l.TotalLag != 10*ms+10*ms+1+s {
		t.Errorf("counter = %+v", l)
	}
	if got, want := l.String(), "5 sent, 2 late (>10ms), max lag 1s"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	m := Lateness{Tolerance: ms}
	m.Record(0, 2*s)
	l.Merge(m)
	if l.Late != 3 || l.MaxLag != 2*s || l.Tolerance != 10*ms {
		t.Errorf("after Merge: %+v", l)
	}
	if Lag(s, 3*s) != 2*s {
		t.Error("Lag(1s, 3s) != 2s")
	}
}
