package drill

import "time"

// Clock is the wall clock the runtime reads and sleeps on. Tests inject
// a fast one; production uses [Wall].
type Clock interface {
	Now() time.Time
	NewTimer(d time.Duration) Timer
}

// Timer is a resettable timer (time.Timer semantics of Go 1.23+: Reset and
// Stop never leave a stale tick in C).
type Timer interface {
	C() <-chan time.Time
	Reset(d time.Duration)
	Stop()
}

// Wall is the real clock.
var Wall Clock = wall{}

type wall struct{}

func (wall) Now() time.Time { return time.Now() }
func (wall) NewTimer(d time.Duration) Timer {
	return wallTimer{time.NewTimer(d)}
}

type wallTimer struct{ t *time.Timer }

func (w wallTimer) C() <-chan time.Time   { return w.t.C }
func (w wallTimer) Reset(d time.Duration) { w.t.Reset(d) }
func (w wallTimer) Stop()                 { w.t.Stop() }
