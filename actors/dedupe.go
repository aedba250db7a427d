package actors

import (
	"fmt"
	"hash/fnv"
	"time"
)

// Idempotency strategies.
const (
	StrategyNone        = "none"
	StrategyEventID     = "event-id"
	StrategyBusinessKey = "business-key"
)

// Steps is the number of journey steps a business key distinguishes
// (Order.Created, Delivery.Updated, Order.Updated).
const Steps = 3

// Dedupe decides whether a consumer performs its side effect for a
// delivery. The zero value is not usable; see NewDedupe.
type Dedupe struct {
	strategy string
	window   time.Duration
	stride   uint64
	// keys[(journey/stride)*Steps+step] is 1 + the time of the last side
	// effect for that business key, 0 when there was none.
	keys []int64
	// ids maps an event id's hash to the time it was processed.
	ids       map[uint64]time.Duration
	nextSweep time.Duration
}

// NewDedupe returns the deduplication of a strategy with a memory window.
// stride is the number of shards the journeys are split into (1 when the
// run is not sharded): a shard sees every stride-th journey, and the
// business-key index is journey/stride so that it stays dense.
func NewDedupe(strategy string, window time.Duration, stride uint64) (*Dedupe, error) {
	switch strategy {
	case StrategyNone, StrategyEventID, StrategyBusinessKey:
	default:
		return nil, fmt.Errorf("unknown idempotency strategy %q", strategy)
	}
	if window <= 0 {
		return nil, fmt.Errorf("idempotency window must be positive, got %v", window)
	}
	if stride == 0 {
		stride = 1
	}
	return &Dedupe{strategy: strategy, window: window, stride: stride, ids: map[uint64]time.Duration{}}, nil
}

// Admit reports whether the consumer should perform its side effect for a
// delivery of event eventID, step step (0..Steps-1) of journey, at now. It
// records the side effect when it admits one.
func (d *Dedupe) Admit(now time.Duration, eventID string, journey uint64, step int) bool {
	switch d.strategy {
	case StrategyEventID:
		h := hash64(eventID)
		if at, seen := d.ids[h]; seen && now-at < d.window {
			return false
		}
		d.ids[h] = now
		d.sweep(now)
		return true
	case StrategyBusinessKey:
		if step < 0 || step >= Steps {
			return true // not a journey event: nothing to deduplicate on
		}
		i := (journey/d.stride)*Steps + uint64(step)
		if i >= uint64(len(d.keys)) {
			d.keys = append(d.keys, make([]int64, int(i)+1-len(d.keys)+len(d.keys)/2)...)
		}
		if last := d.keys[i]; last != 0 && now-time.Duration(last-1) < d.window {
			return false
		}
		d.keys[i] = int64(now) + 1
		return true
	}
	return true
}

// sweep forgets event ids older than the window, once per window, so the
// map holds at most about two windows of ids.
func (d *Dedupe) sweep(now time.Duration) {
	if now < d.nextSweep {
		return
	}
	for h, at := range d.ids {
		if now-at >= d.window {
			delete(d.ids, h)
		}
	}
	d.nextSweep = now + d.window
}

func hash64(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}
