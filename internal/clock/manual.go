package clock

import (
	"sync"
	"time"
)

// Manual is a Clock that moves only when told to: tests drive the
// server in virtual time with it (Advance fires the timers that fall due).
type Manual struct {
	mu     sync.Mutex
	now    time.Time
	timers []*manualTimer
}

// NewManual returns a clock standing at now.
func NewManual(now time.Time) *Manual { return &Manual{now: now} }

// Now returns the clock's time.
func (c *Manual) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock by d and fires the timers due by then.
func (c *Manual) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	now := c.now
	var due []*manualTimer
	for _, t := range c.timers {
		if t.armed && !t.at.After(now) {
			t.armed = false
			due = append(due, t)
		}
	}
	c.mu.Unlock()
	for _, t := range due {
		select {
		case t.c <- now:
		default:
		}
	}
}

// NewTimer returns a timer of the manual clock.
func (c *Manual) NewTimer(d time.Duration) Timer {
	t := &manualTimer{clock: c, c: make(chan time.Time, 1)}
	c.mu.Lock()
	c.timers = append(c.timers, t)
	c.mu.Unlock()
	t.Reset(d)
	return t
}

type manualTimer struct {
	clock *Manual
	c     chan time.Time
	at    time.Time
	armed bool
}

func (t *manualTimer) C() <-chan time.Time { return t.c }

func (t *manualTimer) Reset(d time.Duration) {
	c := t.clock
	c.mu.Lock()
	t.at, t.armed = c.now.Add(d), true
	fire := d <= 0
	if fire {
		t.armed = false
	}
	now := c.now
	c.mu.Unlock()
	select { // drop a stale tick
	case <-t.c:
	default:
	}
	if fire {
		t.c <- now
	}
}

func (t *manualTimer) Stop() {
	t.clock.mu.Lock()
	t.armed = false
	t.clock.mu.Unlock()
	select {
	case <-t.c:
	default:
	}
}
