package loadgen

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"time"
)

// Arrival is one order's place in a run.
type Arrival struct {
	// Index is the order's global index in the unsharded schedule,
	// 0-based. Everything about the order (ids, origin, payload) derives
	// from it, so a shard builds the same order the whole run would.
	Index uint64
	// At is the intended send time, from the start of the run. Latency
	// is measured from At, never from the time the order actually left.
	At time.Duration
}

// String renders the arrival as "#42@4.2s".
func (a Arrival) String() string { return fmt.Sprintf("#%d@%v", a.Index, a.At) }

// Schedule iterates over the arrivals of one shard, in order of Index and
// (so) of At. It is the simulator's view of a plan: the virtual-time
// driver asks for the next arrival and schedules it; nothing here reads a
// clock.
//
// Next costs tens of nanoseconds and allocates nothing. A Schedule is a
// cursor, not safe for concurrent use; build one per consumer.
type Schedule struct {
	prof    Profile
	poisson bool
	r       *rand.Rand

	shard Shard  // normalised: Count ≥ 1
	k     uint64 // global index of the next candidate
	phase uint64 // k mod shard.Count (Poisson)
	n     uint64 // Uniform: number of orders in the unsharded run
	seg   int    // cursor into prof.segs

	gamma float64       // Poisson: Γ of the last draw
	last  time.Duration // Poisson: At of the last arrival, owned or not
	done  bool
}

// NewSchedule returns the iterator over shard's arrivals of a compiled
// profile. See [Arrivals.Schedule] for r.
func NewSchedule(p Profile, proc Process, r *rand.Rand, shard Shard) (*Schedule, error) {
	if err := shard.Validate(); err != nil {
		return nil, fmt.Errorf("shard %v: %w", shard, err)
	}
	s := &Schedule{prof: p, shard: shard.norm()}
	switch proc {
	case Uniform:
		s.n = p.Count()
		s.k = s.shard.Index
	case Poisson:
		if r == nil {
			return nil, errors.New("poisson arrivals need a random stream (the \"arrivals\" stream)")
		}
		s.poisson, s.r = true, r
	default:
		return nil, fmt.Errorf("arrivals: unknown %v", proc)
	}
	s.done = p.total <= 0
	return s, nil
}

// Profile returns the rate profile the schedule follows.
func (s *Schedule) Profile() Profile { return s.prof }

// Shard returns the shard the schedule yields.
func (s *Schedule) Shard() Shard { return s.shard }

// Next returns the shard's next arrival, or ok = false when the run has
// no more.
func (s *Schedule) Next() (a Arrival, ok bool) {
	if s.poisson {
		return s.nextPoisson()
	}
	if s.k >= s.n {
		return Arrival{}, false
	}
	k := s.k
	if s.n-k > s.shard.Count {
		s.k += s.shard.Count
	} else {
		s.k = s.n
	}
	x := float64(k)
	s.seg = s.prof.seek(s.seg, x)
	return Arrival{Index: k, At: s.prof.segs[s.seg].inverse(x)}, true
}

// nextPoisson draws the whole run's arrivals and keeps the shard's own.
// Every shard draws the same sequence, so each arrival has the same At in
// every shard; At is clamped to be non-decreasing over the whole sequence
// (a guard against float rounding between nearly equal Γ), which every
// shard also applies identically.
func (s *Schedule) nextPoisson() (Arrival, bool) {
	for !s.done {
		s.gamma += s.r.ExpFloat64()
		if !(s.gamma < s.prof.total) {
			s.done = true
			break
		}
		s.seg = s.prof.seek(s.seg, s.gamma)
		at := s.prof.segs[s.seg].inverse(s.gamma)
		if at < s.last {
			at = s.last
		}
		s.last = at
		k, mine := s.k, s.phase == s.shard.Index
		s.k++
		if s.phase++; s.phase == s.shard.Count {
			s.phase = 0
		}
		if mine {
			return Arrival{Index: k, At: at}, true
		}
	}
	return Arrival{}, false
}
