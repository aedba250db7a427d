package actors

import (
	"fmt"
	"hash/fnv"
	"time"

	"github.com/busdrill/busdrill/internal/journeytable"
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
	// keys holds, by journey (journey/stride), 1 + the time of the last
	// side effect of each step's business key, 0 when there was none.
	keys journeytable.Table[[Steps]int64]
	// ids maps an event id's hash to when it was processed and its
	// journey; journeys is the set of journeys with ids in it that were
	// not retired.
	ids       map[uint64]idSeen
	journeys  journeytable.Table[struct{}]
	nextSweep time.Duration
	// purgeAt is the size of ids at which the ids of retired journeys
	// are purged; retiring says whether any journey was retired.
	purgeAt  int
	retiring bool
}

type idSeen struct {
	at      time.Duration
	journey uint64
}

// minPurge is the smallest id map worth purging of retired journeys.
const minPurge = 1024

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
	return &Dedupe{strategy: strategy, window: window, stride: stride, ids: map[uint64]idSeen{}, purgeAt: minPurge}, nil
}

// index is the table index of a journey.
func (d *Dedupe) index(journey uint64) uint64 {
	if d.stride == 1 {
		return journey
	}
	return journey / d.stride
}

// Admit reports whether the consumer should perform its side effect for a
// delivery of event eventID, step step (0..Steps-1) of journey, at now. It
// records the side effect when it admits one.
func (d *Dedupe) Admit(now time.Duration, eventID string, journey uint64, step int) bool {
	switch d.strategy {
	case StrategyEventID:
		h := hash64(eventID)
		if seen, ok := d.ids[h]; ok && now-seen.at < d.window {
			return false
		}
		d.ids[h] = idSeen{at: now, journey: journey}
		d.journeys.Put(d.index(journey))
		d.sweep(now)
		return true
	case StrategyBusinessKey:
		if step < 0 || step >= Steps {
			return true // not a journey event: nothing to deduplicate on
		}
		keys, _ := d.keys.Put(d.index(journey))
		if last := keys[step]; last != 0 && now-time.Duration(last-1) < d.window {
			return false
		}
		keys[step] = int64(now) + 1
		return true
	}
	return true
}

// Retire forgets what the consumer remembers of a journey: the runtime
// retires it when no delivery of its events can come any more (see
// Journeys), so its keys and ids can never be asked about again.
func (d *Dedupe) Retire(journey uint64) {
	i := d.index(journey)
	d.keys.Delete(i)
	if d.journeys.Get(i) != nil {
		d.journeys.Delete(i)
		d.retiring = true
	}
}

// sweep forgets event ids older than the window, once per window, so the
// map holds at most about two windows of ids; and the ids of retired
// journeys whenever the map has doubled since it last did, so that it
// holds about twice the ids of the journeys not retired at most.
// Forgetting either changes no answer: an id older than the window is
// admitted again anyway, and no delivery of a retired journey comes.
func (d *Dedupe) sweep(now time.Duration) {
	old := now >= d.nextSweep
	purge := d.retiring && len(d.ids) >= d.purgeAt
	if !old && !purge {
		return
	}
	for h, seen := range d.ids {
		if now-seen.at >= d.window || (purge && d.journeys.Get(d.index(seen.journey)) == nil) {
			delete(d.ids, h)
		}
	}
	if old {
		d.nextSweep = now + d.window
	}
	d.purgeAt = max(2*len(d.ids), minPurge)
}

func hash64(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}
