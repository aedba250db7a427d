// Package clock is the wall clock of the runtimes that run in real time —
// busdrill serve and the live drill — and the seam that lets their tests
// run in virtual time instead: a runtime reads and sleeps only on a
// [Clock]; production passes [Wall], a test a [Manual] clock it moves with
// [Manual.Advance].
//
// The simulator has no need of it: its clock is the event queue (package
// sim).
package clock

import "time"

// Clock is what a runtime reads the time from and sleeps on.
type Clock interface {
	Now() time.Time
	// NewTimer returns a timer that fires once after d.
	NewTimer(d time.Duration) Timer
}

// Timer is a resettable timer with the semantics of Go 1.23+ time.Timer:
// Reset and Stop never leave a stale tick in C.
type Timer interface {
	C() <-chan time.Time
	Reset(d time.Duration)
	Stop()
}

// Wall is the real clock.
var Wall Clock = wall{}

type wall struct{}

func (wall) Now() time.Time                 { return time.Now() }
func (wall) NewTimer(d time.Duration) Timer { return wallTimer{time.NewTimer(d)} }

type wallTimer struct{ t *time.Timer }

func (w wallTimer) C() <-chan time.Time   { return w.t.C }
func (w wallTimer) Reset(d time.Duration) { w.t.Reset(d) }
func (w wallTimer) Stop()                 { w.t.Stop() }
