package loadgen

import (
	"fmt"
	"time"
)

// Pacer is vegeta's pacer, the wall-clock driver's view of a plan: given
// the time elapsed since the run started and the number of orders this
// shard has sent, how long to wait before sending the next, and whether
// the run is over. The driver owns the clock; a Pacer never reads one.
type Pacer interface {
	// Pace returns the wait until the next order is due, 0 when it is
	// due now or overdue (send it at once: it is late, never skipped),
	// and stop = true when the shard has no more orders.
	Pace(elapsed time.Duration, sent uint64) (wait time.Duration, stop bool)
	// Rate returns the intended rate at elapsed, in orders per second
	// (this shard's share).
	Rate(elapsed time.Duration) float64
}

// Compile-time check.
var _ Pacer = (*SchedulePacer)(nil)

// SchedulePacer paces a [Schedule]. Under a Uniform plan it is a pure
// function of (elapsed, sent): any sent, in any order. Under a Poisson
// plan the arrivals come from a random stream, so it walks the schedule
// forward and remembers the latest arrival: sent may repeat and grow but
// must never go back further than one order.
type SchedulePacer struct {
	s       *Schedule
	uniform bool
	local   uint64 // Uniform: number of orders this shard owns
	have    uint64 // Poisson: arrivals taken from s so far
	last    Arrival
}

func newSchedulePacer(s *Schedule) *SchedulePacer {
	p := &SchedulePacer{s: s, uniform: !s.poisson}
	if sh := s.shard; p.uniform && s.n > sh.Index {
		p.local = (s.n-sh.Index-1)/sh.Count + 1
	}
	return p
}

// NewPacer wraps a fresh schedule (one not yet iterated) as a Pacer.
func NewPacer(s *Schedule) *SchedulePacer { return newSchedulePacer(s) }

// Arrival returns the shard's order number sent (0-based, counted within
// the shard): its global index and intended time.
func (p *SchedulePacer) Arrival(sent uint64) (Arrival, bool) {
	if p.uniform {
		if sent >= p.local {
			return Arrival{}, false
		}
		k := p.s.shard.Index + sent*p.s.shard.Count
		at, _ := p.s.prof.Inverse(float64(k))
		return Arrival{Index: k, At: at}, true
	}
	if sent+1 < p.have {
		panic(fmt.Sprintf("loadgen: poisson pacer asked for order %d after order %d; sent must not go back", sent, p.have-1))
	}
	for p.have <= sent {
		a, ok := p.s.Next()
		if !ok {
			return Arrival{}, false
		}
		p.last, p.have = a, p.have+1
	}
	return p.last, true
}

// Pace implements [Pacer].
func (p *SchedulePacer) Pace(elapsed time.Duration, sent uint64) (time.Duration, bool) {
	a, ok := p.Arrival(sent)
	if !ok {
		return 0, true
	}
	if a.At <= elapsed {
		return 0, false
	}
	return a.At - elapsed, false
}

// Rate implements [Pacer]: the profile's rate divided among the shards.
func (p *SchedulePacer) Rate(elapsed time.Duration) float64 {
	return p.s.prof.Rate(elapsed) / float64(p.s.shard.Count)
}

// String describes the pacer: "pacer(shard 0/1, profile(...))".
func (p *SchedulePacer) String() string {
	proc := Poisson
	if p.uniform {
		proc = Uniform
	}
	return fmt.Sprintf("pacer(%v, shard %v, %v)", proc, p.s.shard, p.s.prof)
}
