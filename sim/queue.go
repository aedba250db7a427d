package sim

import (
	"math/bits"
	"sort"
)

// Queue is a priority queue of items of type T ordered by (time, insertion
// sequence). The zero value is an empty queue ready to use.
//
// Items due soon are in a 4-ary min-heap of small keys — (time, sequence
// and slot), no pointers — over a separate slice of values that never
// moves: shallower than a binary heap (fewer cache misses per pop), free
// of the interface conversions of container/heap, and free of write
// barriers when items move in the heap. Items due later wait in a wheel
// of time buckets (see wheel) and join the heap when their bucket comes
// up: a busy model has thousands of events far ahead (handler runs of
// seconds, retries of minutes) and a few hundred due within the next few
// milliseconds, and only those pay for a heap. Push and Pop do not
// allocate once the slices have reached the largest number of items in
// flight. Since (time, sequence) is unique per item, the pop order does
// not depend on where an item waited.
type Queue[T any] struct {
	// near is the heap of the items due before horizon; every other item
	// is in far, at or after it. near is empty only when far is too.
	near    []key
	horizon Time
	far     wheel
	vals    []T      // by slot
	free    []uint32 // free slots of vals, LIFO
	seq     uint64
}

// key is an item's place in the queue: its time, then its insertion
// sequence (high seqBits bits of ord; see renumber) and its slot in vals
// (low slotBits bits). Sequences are unique, so comparing ord compares
// sequences; at 16 bytes, the four children of a heap node share one
// cache line.
type key struct {
	at  Time
	ord uint64
}

const (
	slotBits = 32
	seqBits  = 64 - slotBits
	maxSlots = 1 << slotBits
)

// seqLimit is the number of sequences available before Push renumbers the
// items in flight (a variable so that tests can lower it).
var seqLimit uint64 = 1 << seqBits

func (k *key) slot() uint32 { return uint32(k.ord) }

func (a *key) before(b *key) bool {
	return a.at < b.at || (a.at == b.at && a.ord < b.ord)
}

// Len returns the number of items in the queue.
func (q *Queue[T]) Len() int { return len(q.near) + q.far.n }

// Push adds v to be popped at time at. Items pushed for the same time pop
// in push order.
func (q *Queue[T]) Push(at Time, v T) {
	var slot uint32
	if n := len(q.free); n > 0 {
		slot = q.free[n-1]
		q.free = q.free[:n-1]
		q.vals[slot] = v
	} else {
		if len(q.vals) >= maxSlots {
			panic("sim: more than 2^32 items in a queue")
		}
		slot = uint32(len(q.vals))
		q.vals = append(q.vals, v)
	}
	if q.seq >= seqLimit {
		q.renumber()
	}
	k := key{at: at, ord: q.seq<<slotBits | uint64(slot)}
	q.seq++
	if at < q.horizon {
		q.near = heapPush(q.near, k)
		return
	}
	q.far.add(k)
	if len(q.near) == 0 {
		q.refill()
	}
}

// Peek returns the time of the earliest item, or (Never, false) when the
// queue is empty.
func (q *Queue[T]) Peek() (Time, bool) {
	if len(q.near) == 0 {
		return Never, false
	}
	return q.near[0].at, true
}

// Pop removes and returns the earliest item.
func (q *Queue[T]) Pop() (at Time, v T, ok bool) {
	if len(q.near) == 0 {
		return Never, v, false
	}
	var top key
	top, q.near = heapPop(q.near)
	if len(q.near) == 0 && q.far.n > 0 {
		q.refill()
	}
	slot := top.slot()
	v = q.vals[slot]
	var zero T
	q.vals[slot] = zero // release references held by T
	q.free = append(q.free, slot)
	return top.at, v, true
}

// refill moves the far items of the earliest non-empty bucket into the
// heap (near is empty): the horizon moves to that bucket's end.
func (q *Queue[T]) refill() {
	var end Time
	q.near, end = q.far.takeNext(q.near)
	q.horizon = end
}

// renumber gives the items in flight the sequences 0, 1, … in their
// sequence order, so that sequences never run out: comparisons between
// them, hence the heaps' order and the pop order, are unchanged.
func (q *Queue[T]) renumber() {
	var all []*key
	for i := range q.near {
		all = append(all, &q.near[i])
	}
	all = q.far.appendKeys(all)
	sort.Slice(all, func(a, b int) bool { return all[a].ord < all[b].ord })
	for r, k := range all {
		k.ord = uint64(r)<<slotBits | uint64(k.slot())
	}
	q.seq = uint64(len(all))
}

// Reset empties the queue, keeping its storage.
func (q *Queue[T]) Reset() {
	clear(q.vals)
	q.near = q.near[:0]
	q.horizon = 0
	q.far.reset()
	q.vals = q.vals[:0]
	q.free = q.free[:0]
}

// The wheel holds the items at or after the heap's horizon: a ring of
// ringBuckets buckets of 2^bucketShift ns (about 8.4 ms, so the ring
// spans about 8.6 s) in which an item is appended to its bucket, in no
// order, and a heap of the items beyond the ring. When the heap runs
// dry, the earliest non-empty bucket (found with an occupancy bitmap)
// moves into it; as the ring moves on, the items beyond it that it now
// spans move into their buckets.
const (
	bucketShift = 23
	ringBuckets = 1024
	ringMask    = ringBuckets - 1
)

// maxKeptBucket is the most keys an emptied bucket keeps room for.
const maxKeptBucket = 4096

type wheel struct {
	// base is the number of the first bucket the ring spans: bucket b
	// (time >> bucketShift) is at ring[b&ringMask] for b in
	// [base, base+ringBuckets).
	base   int64
	ring   [ringBuckets][]key
	occ    [ringBuckets / 64]uint64
	inRing int
	// beyond is a heap of the items of buckets past the ring.
	beyond []key
	// spare holds the storage of emptied buckets, for reuse.
	spare [][]key
	// n counts every item of the wheel.
	n int
}

func bucketOf(at Time) int64 { return int64(at) >> bucketShift }

// add puts k (at or after the horizon) in its bucket, or beyond.
func (w *wheel) add(k key) {
	w.n++
	b := bucketOf(k.at)
	if b-w.base >= ringBuckets {
		w.beyond = heapPush(w.beyond, k)
		return
	}
	i := b & ringMask
	if w.ring[i] == nil {
		if n := len(w.spare); n > 0 {
			w.ring[i], w.spare = w.spare[n-1], w.spare[:n-1]
		}
	}
	w.ring[i] = append(w.ring[i], k)
	w.occ[i>>6] |= 1 << (i & 63)
	w.inRing++
}

// takeNext moves the items of the earliest non-empty bucket into the heap
// near and returns it with the time the bucket ends: every item left in
// the wheel is at or after that time. The wheel must not be empty.
func (w *wheel) takeNext(near []key) ([]key, Time) {
	if w.inRing == 0 {
		// Jump the ring to the earliest item beyond it.
		w.base = bucketOf(w.beyond[0].at)
		w.pullBeyond()
	}
	b := w.base + w.firstOccupied()
	i := b & ringMask
	for _, k := range w.ring[i] {
		near = heapPush(near, k)
	}
	moved := len(w.ring[i])
	// The bucket's storage goes to the next bucket that needs one (few
	// buckets hold items at once), unless it is a burst's.
	if c := w.ring[i]; cap(c) <= maxKeptBucket {
		w.spare = append(w.spare, c[:0])
	}
	w.ring[i] = nil
	w.occ[i>>6] &^= 1 << (i & 63)
	w.inRing -= moved
	w.n -= moved
	w.base = b + 1
	w.pullBeyond()
	return near, Time((b + 1) << bucketShift)
}

// firstOccupied returns the offset from base of the first non-empty bucket
// (the ring holds at least one item).
func (w *wheel) firstOccupied() int64 {
	start := w.base & ringMask
	for off := int64(0); off < ringBuckets; {
		i := (start + off) & ringMask
		word := w.occ[i>>6] >> (i & 63)
		if word != 0 {
			return off + int64(bits.TrailingZeros64(word))
		}
		off += 64 - i&63
	}
	panic("sim: wheel ring empty")
}

// pullBeyond moves the items beyond the ring that its span now covers
// into their buckets.
func (w *wheel) pullBeyond() {
	for len(w.beyond) > 0 && bucketOf(w.beyond[0].at)-w.base < ringBuckets {
		var k key
		k, w.beyond = heapPop(w.beyond)
		w.n--
		w.add(k)
	}
}

func (w *wheel) appendKeys(all []*key) []*key {
	for b := range w.ring {
		for i := range w.ring[b] {
			all = append(all, &w.ring[b][i])
		}
	}
	for i := range w.beyond {
		all = append(all, &w.beyond[i])
	}
	return all
}

func (w *wheel) reset() {
	for i := range w.ring {
		if c := w.ring[i]; c != nil && cap(c) <= maxKeptBucket {
			w.spare = append(w.spare, c[:0])
		}
		w.ring[i] = nil
	}
	w.occ = [ringBuckets / 64]uint64{}
	w.base, w.inRing, w.n = 0, 0, 0
	w.beyond = w.beyond[:0]
}

// heapPush adds k to the 4-ary heap h.
func heapPush(h []key, k key) []key {
	h = append(h, k)
	i := len(h) - 1
	for i > 0 {
		p := (i - 1) / 4
		if !k.before(&h[p]) {
			break
		}
		h[i] = h[p]
		i = p
	}
	h[i] = k
	return h
}

// heapPop removes and returns the least key of the non-empty heap h.
func heapPop(h []key) (key, []key) {
	top := h[0]
	last := len(h) - 1
	x := h[last]
	h = h[:last]
	if last > 0 {
		fill(h, x)
	}
	return top, h
}

// fill places x, the former last key, in the hole left at the root by a
// pop: bottom-up, it moves the hole down along the smallest children to a
// leaf, then sifts x up from there (x, the last leaf, usually belongs near
// the bottom, which saves comparing it at every level on the way down).
func fill(keys []key, x key) {
	n := len(keys)
	i := 0
	for {
		first := 4*i + 1
		if first >= n {
			break
		}
		best := first
		end := min(first+4, n)
		for c := first + 1; c < end; c++ {
			if keys[c].before(&keys[best]) {
				best = c
			}
		}
		keys[i] = keys[best]
		i = best
	}
	for i > 0 {
		p := (i - 1) / 4
		if !x.before(&keys[p]) {
			break
		}
		keys[i] = keys[p]
		i = p
	}
	keys[i] = x
}
