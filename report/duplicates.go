package report

import (
	"cmp"
	"slices"
	"time"

	"github.com/busdrill/busdrill/internal/journeytable"
)

// consumerState is what the recorder keeps per consumer for duplicates
// and idempotency. Every table is indexed by detail-type index, then by
// local journey index, and forgets a journey when it is retired.
type consumerState struct {
	name                                 string
	deliveries, byID, byKey, sideEffects int64
	violations                           int64
	keys                                 []journeytable.Table[firstID]  // business keys seen
	effects                              []journeytable.Table[struct{}] // side effects performed
	ids                                  idSet                          // ids of later deliveries with a new id
}

// firstID is what a consumer remembers of a business key's first
// delivery: a 32-bit fingerprint of its envelope id, and when it came
// (seconds of run time, rounded up), to forget the id after the
// duplicate window.
type firstID struct {
	fp uint32
	at uint32
}

// secondsUp is at in whole seconds, rounded up (so that an id is
// forgotten no sooner than the window after it was seen).
func secondsUp(at time.Duration) uint32 {
	if at <= 0 {
		return 0
	}
	return uint32(min((at+time.Second-1)/time.Second, 1<<32-1))
}

// typeIndex maps a detail-type to a small dense index: the three journey
// types are 0, 1, 2; others are numbered in order of first sight.
func (r *Recorder) typeIndex(detailType string) int {
	switch detailType {
	case "Order.Created":
		return 0
	case "Delivery.Updated":
		return 1
	case "Order.Updated":
		return 2
	}
	i, ok := r.typeIdx[detailType]
	if !ok {
		i = 3 + len(r.typeIdx)
		r.typeIdx[detailType] = i
	}
	return i
}

// consumer returns the consumer's state, creating it on first use. A
// lookaside cache indexed by where the name's bytes are (see route)
// answers a caller that passes the same strings again without hashing
// them.
func (r *Recorder) consumer(name string) *consumerState {
	slot := &r.consumerCache[stringSlot(name)%uint(len(r.consumerCache))]
	if c := *slot; c != nil && c.name == name {
		return c
	}
	c := r.lookupConsumer(name)
	*slot = c
	return c
}

func (r *Recorder) lookupConsumer(name string) *consumerState {
	if i, ok := r.consumerIdx[name]; ok {
		return r.consumers[i]
	}
	c := &consumerState{name: name}
	r.consumerIdx[name] = int32(len(r.consumers))
	r.consumers = append(r.consumers, c)
	return c
}

// grow extends a per-type table to hold index i.
func grow[T any](s []T, i int) []T {
	if i < len(s) {
		return s
	}
	return append(s, make([]T, i+1-len(s))...)
}

// Consumed records one delivery seen by a consumer, duplicates included.
// The business key is (journey, detailType). A delivery whose key was
// seen before at that consumer is a duplicate by key; if its envelope id
// was also seen before, it is a duplicate by id as well. A duplicate by
// id is always one by key (an envelope id belongs to one event); a
// replayed or re-published event is a duplicate by key only.
//
// Ids are compared by hash (64-bit FNV-1a; the first id of each key is
// kept as a 32-bit fingerprint), within the duplicate window: see the
// package documentation for the bound.
func (r *Recorder) Consumed(consumer, eventID string, journey uint64, detailType string, at time.Duration) {
	c := r.consumer(consumer)
	c.deliveries++
	lj, ok := r.local(journey)
	if !ok {
		return
	}
	ti := r.typeIndex(detailType)
	if ti >= len(c.keys) {
		c.keys = grow(c.keys, ti)
	}
	h := fnv1a(eventID)
	fp := uint32(h>>32) ^ uint32(h)
	if fp == 0 {
		fp = 1
	}
	first, created := c.keys[ti].Put(lj)
	if created {
		*first = firstID{fp: fp, at: secondsUp(at)}
		return
	}
	c.byKey++
	class := r.classOfJourney(lj)
	r.win.dupKey(class)
	known := first.fp == fp && at-time.Duration(first.at)*time.Second < r.cfg.DuplicateWindow
	if known || c.ids.seenOrAdd(h, lj, at, r.cfg.DuplicateWindow) {
		c.byID++
		r.win.dupID(class)
	}
	if r.retiring {
		c.ids.purge(r)
	}
}

// SideEffect records that the consumer performed its side effect for the
// event (journey, detailType). A second side effect for the same
// (consumer, journey, detailType) is an idempotency violation: the
// consumer failed to deduplicate a redelivery.
func (r *Recorder) SideEffect(consumer string, journey uint64, detailType string) {
	c := r.consumer(consumer)
	c.sideEffects++
	lj, ok := r.local(journey)
	if !ok {
		return
	}
	ti := r.typeIndex(detailType)
	if ti >= len(c.effects) {
		c.effects = grow(c.effects, ti)
	}
	if _, first := c.effects[ti].Put(lj); !first {
		c.violations++
		r.win.violation(r.classOfJourney(lj))
	}
}

// duplicates assembles the duplicates table (sorted by consumer) and the
// idempotency counts.
func (r *Recorder) duplicates() ([]Duplicates, Idempotency) {
	ds := make([]Duplicates, 0, len(r.consumers))
	var idem Idempotency
	for _, c := range r.consumers {
		ds = append(ds, Duplicates{
			Consumer:    c.name,
			Deliveries:  c.deliveries,
			ByID:        c.byID,
			ByKey:       c.byKey,
			SideEffects: c.sideEffects,
		})
		if c.violations > 0 {
			if idem.ByConsumer == nil {
				idem.ByConsumer = map[string]int64{}
			}
			idem.ByConsumer[c.name] = c.violations
			idem.Violations += c.violations
		}
	}
	slices.SortFunc(ds, func(a, b Duplicates) int { return cmp.Compare(a.Consumer, b.Consumer) })
	return ds, idem
}
