package world

import (
	"github.com/busdrill/busdrill/internal/pipeline"
	"github.com/busdrill/busdrill/loadgen"
)

// arrivals serves the producer the schedule's arrivals in order. The
// schedule is a sequence of its own (its stream feeds nothing else), and
// an order's payload size depends on its index alone (loadgen.Sizer): so
// when the run is concurrent (Options.Concurrent) a goroutine takes the
// arrivals ahead of their use, in batches, and draws each one's size, and
// the producer hands the size to the factory with the arrival. The
// exponential draw of a Poisson arrival and the log-normal draw of a size
// leave the model's goroutine; the arrivals and the orders are the ones
// the producer would have made itself (TestArrivalsAheadAreTheSchedule,
// TestConcurrentMeasureIsByteIdentical).
// Arrivals taken ahead and never served (at most the batches in
// circulation) change nothing.
type arrivals struct {
	sched *loadgen.Schedule // when not ahead
	ahead *pipeline.Ahead[plannedArrival]
}

// plannedArrival is an arrival taken ahead: ok is the schedule's, and
// size the order's payload size (-1: the orders have none).
type plannedArrival struct {
	a    loadgen.Arrival
	ok   bool
	size int
}

// arrivalBatch is how many arrivals a batch holds: 32 KiB, 0.6 s of
// traffic at the million benchmark's rate (a hand-over per batch).
const arrivalBatch = 1024

// newArrivals returns the arrivals of sched, taken ahead with their sizes
// from sizer (nil: the orders have no size) when ahead; close must be
// called then.
func newArrivals(sched *loadgen.Schedule, sizer *loadgen.Sizer, ahead bool) *arrivals {
	if !ahead {
		return &arrivals{sched: sched}
	}
	return &arrivals{ahead: pipeline.NewAhead(arrivalBatch, func(b []plannedArrival) {
		for i := range b {
			a, ok := sched.Next()
			size := -1
			if ok && sizer != nil {
				size = sizer.Size(a.Index)
			}
			b[i] = plannedArrival{a, ok, size}
		}
	})}
}

// next returns the next arrival, and false when the schedule has none
// left; when its order's size was drawn ahead, the factory is told it.
func (s *arrivals) next(f *loadgen.Factory) (loadgen.Arrival, bool) {
	if s.ahead == nil {
		return s.sched.Next()
	}
	p := s.ahead.Next()
	if p.ok && p.size >= 0 {
		f.RememberSize(p.a.Index, p.size)
	}
	return p.a, p.ok
}

// close ends the goroutine taking arrivals ahead, if any.
func (s *arrivals) close() {
	if s.ahead != nil {
		s.ahead.Close()
	}
}
