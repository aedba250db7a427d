package sim

import (
	"fmt"
	"time"
)

// Time is a virtual instant: nanoseconds since the start of a run.
type Time int64

// Never is later than any instant a run reaches.
const Never Time = 1<<63 - 1

// Epoch is the calendar instant that virtual time 0 maps to in event
// envelopes. It is fixed, not the wall clock, so envelopes (and every output
// derived from them) are reproducible.
var Epoch = time.Date(2026, time.January, 1, 0, 0, 0, 0, time.UTC)

// Add returns t+d, saturating at Never instead of overflowing.
func (t Time) Add(d time.Duration) Time {
	if d > 0 && t > Never-Time(d) {
		return Never
	}
	return t + Time(d)
}

// Sub returns the duration t-u.
func (t Time) Sub(u Time) time.Duration { return time.Duration(t - u) }

// Duration returns t as the time elapsed since the start of the run.
func (t Time) Duration() time.Duration { return time.Duration(t) }

// Wall maps t onto the calendar, starting at Epoch.
func (t Time) Wall() time.Time { return Epoch.Add(time.Duration(t)) }

// Seconds returns t in seconds, for reports.
func (t Time) Seconds() float64 { return time.Duration(t).Seconds() }

// String formats t as the elapsed time since the start, e.g. "+1m30.5s".
func (t Time) String() string {
	if t == Never {
		return "never"
	}
	return fmt.Sprintf("+%v", time.Duration(t))
}

// At converts an elapsed duration into an instant.
func At(d time.Duration) Time { return Time(d) }
