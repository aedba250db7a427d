package backbone

import (
	"math"
	"time"

	"github.com/busdrill/busdrill/sim"
)

// bucket is a token bucket in its GCRA form (generic cell rate
// algorithm): tat is the theoretical arrival time of the next token, one
// token every interval, with burst tokens of tolerance. It holds two
// integers whatever the load, and never reads a clock.
type bucket struct {
	interval time.Duration
	tau      time.Duration // (burst-1) × interval
	tat      sim.Time
}

func newBucket(perSecond float64, burst int) bucket {
	if !(perSecond > 0) {
		return bucket{} // unlimited
	}
	iv := time.Duration(math.Round(float64(time.Second) / perSecond))
	if iv < 1 {
		iv = 1
	}
	if burst <= 0 {
		burst = int(math.Ceil(perSecond))
	}
	return bucket{interval: iv, tau: time.Duration(burst-1) * iv}
}

// allow takes a token at now if one is available.
func (b *bucket) allow(now sim.Time) bool {
	if b.interval == 0 {
		return true
	}
	tat := max(b.tat, now)
	if tat.Sub(now) > b.tau {
		return false
	}
	b.tat = tat.Add(b.interval)
	return true
}

// reserve takes the next token and returns when it is available (now or
// later): the delaying form used for invocations, which are never dropped.
func (b *bucket) reserve(now sim.Time) sim.Time {
	if b.interval == 0 {
		return now
	}
	tat := max(b.tat, now)
	grant := max(now, tat.Add(-b.tau))
	b.tat = tat.Add(b.interval)
	return grant
}
