package loadgen

import (
	"fmt"
	"time"
)

// Lateness counts orders against their intended send times. A driver
// calls [Lateness.Record] once per order it sends, with the arrival's At
// and the elapsed time at which the order actually left. An order that
// left more than Tolerance after its intended time is late: it is still
// sent and still measured (from At), and it is counted here, so that a
// generator that falls behind shows it instead of quietly sending less.
//
// In virtual time the simulator sends every order exactly at At, so
// nothing is late unless a producer models saturation. On the wall clock
// the scheduler's wake-up jitter is why Tolerance exists.
//
// The zero value is ready to use with a zero tolerance. Lateness is a
// plain counter, not safe for concurrent use; counters from shards or
// workers combine with [Lateness.Merge].
type Lateness struct {
	// Tolerance is how far behind its intended time an order may leave
	// and still be on time.
	Tolerance time.Duration

	OnTime, Late uint64
	// MaxLag is the largest lag seen; TotalLag is the sum of positive
	// lags (early sends count as zero lag).
	MaxLag, TotalLag time.Duration
}

// Lag is how far behind its intended time an order left; negative when it
// left early.
func Lag(intended, actual time.Duration) time.Duration { return actual - intended }

// IsLate classifies one send without recording it.
func (l *Lateness) IsLate(intended, actual time.Duration) bool {
	return actual-intended > l.Tolerance
}

// Record counts one sent order and reports whether it was late.
func (l *Lateness) Record(intended, actual time.Duration) (late bool) {
	lag := actual - intended
	if lag > 0 {
		l.TotalLag += lag
		if lag > l.MaxLag {
			l.MaxLag = lag
		}
	}
	if lag > l.Tolerance {
		l.Late++
		return true
	}
	l.OnTime++
	return false
}

// Sent is the number of orders recorded.
func (l *Lateness) Sent() uint64 { return l.OnTime + l.Late }

// Merge adds another counter's counts into l (keeping l's Tolerance).
func (l *Lateness) Merge(o Lateness) {
	l.OnTime += o.OnTime
	l.Late += o.Late
	l.TotalLag += o.TotalLag
	l.MaxLag = max(l.MaxLag, o.MaxLag)
}

// String summarises the counter: "1000 sent, 3 late (>10ms), max lag 25ms".
func (l Lateness) String() string {
	return fmt.Sprintf("%d sent, %d late (>%v), max lag %v", l.Sent(), l.Late, l.Tolerance, l.MaxLag)
}
