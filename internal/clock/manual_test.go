package clock

import (
	"testing"
	"time"
)

var t0 = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)

func fired(t Timer) bool {
	select {
	case <-t.C():
		return true
	default:
		return false
	}
}

func TestManualFiresWhenDue(t *testing.T) {
	c := NewManual(t0)
	tm := c.NewTimer(10 * time.Second)
	c.Advance(9 * time.Second)
	if fired(tm) {
		t.Fatal("fired a second early")
	}
	c.Advance(time.Second)
	if !fired(tm) {
		t.Fatal("did not fire when due")
	}
	c.Advance(time.Hour)
	if fired(tm) {
		t.Fatal("fired twice")
	}
	if got := c.Now(); !got.Equal(t0.Add(time.Hour + 10*time.Second)) {
		t.Fatalf("Now = %v", got)
	}
}

func TestManualResetAndStopLeaveNoStaleTick(t *testing.T) {
	c := NewManual(t0)
	tm := c.NewTimer(time.Second)
	c.Advance(time.Second) // fired, tick unread
	tm.Reset(5 * time.Second)
	if fired(tm) {
		t.Fatal("Reset left the stale tick")
	}
	c.Advance(5 * time.Second)
	if !fired(tm) {
		t.Fatal("did not fire after Reset")
	}
	tm.Reset(time.Second)
	tm.Stop()
	c.Advance(time.Minute)
	if fired(tm) {
		t.Fatal("fired after Stop")
	}
	tm.Reset(0)
	if !fired(tm) {
		t.Fatal("Reset(0) did not fire at once")
	}
}
