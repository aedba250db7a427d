package sim

import (
	"math/bits"
	"slices"
	"sort"
)

// Queue is a priority queue of items of type T ordered by (time, insertion
// sequence). The zero value is an empty queue ready to use.
//
// Items wait in a wheel of time buckets (see wheel): a push appends to its
// bucket, in no order. When the items due next run out, the earliest
// bucket is sorted at once (a radix sort on its keys: (time, sequence and
// slot), 16 bytes, no pointers) into a run that pops from the front, its
// values copied next to it in pop order: a busy model has thousands of
// events far ahead (handler runs of seconds, retries of minutes), and
// sorting a bucket of a few hundred in a few linear passes costs less than
// sifting each through a heap, while popping a sorted run reads memory in
// order. The rare push due before the end of the bucket being popped goes
// to a small 4-ary heap, soon, and Pop takes the lesser of the two heads.
// Push and Pop do not allocate once the slices have reached the largest
// number of items in flight. Since (time, sequence) is unique per item,
// the pop order does not depend on where an item waited.
type Queue[T any] struct {
	// The items due before horizon are in run[head:], sorted, and in the
	// heap soon; every other item is in far, at or after horizon. Both
	// are empty only when far is too.
	run     []key
	runVals []T // the values of run, by index: their slots are free
	head    int
	soon    []key
	horizon Time
	far     wheel
	vals    []T      // by slot
	free    []uint32 // free slots of vals, LIFO
	seq     uint64
	// scratch is the radix sort's second buffer.
	scratch []key
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
func (q *Queue[T]) Len() int { return len(q.run) - q.head + len(q.soon) + q.far.n }

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
		q.soon = heapPush(q.soon, k)
		return
	}
	q.far.add(k)
	if q.head == len(q.run) && len(q.soon) == 0 {
		q.refill()
	}
}

// Peek returns the time of the earliest item, or (Never, false) when the
// queue is empty.
func (q *Queue[T]) Peek() (Time, bool) {
	switch {
	case q.runFirst():
		return q.run[q.head].at, true
	case len(q.soon) > 0:
		return q.soon[0].at, true
	}
	return Never, false
}

// runFirst reports whether the earliest item is the run's head (rather
// than soon's, or none).
func (q *Queue[T]) runFirst() bool {
	return q.head < len(q.run) && (len(q.soon) == 0 || q.run[q.head].before(&q.soon[0]))
}

// Pop removes and returns the earliest item.
func (q *Queue[T]) Pop() (at Time, v T, ok bool) { return q.PopUntil(Never) }

// PopUntil removes and returns the earliest item if it is due at or
// before limit; otherwise (or when the queue is empty) it returns
// (Never, zero, false) and leaves the queue as it was. It is Peek and
// Pop in one: a loop that runs until a time looks at its next item once.
func (q *Queue[T]) PopUntil(limit Time) (at Time, v T, ok bool) {
	var zero T
	switch {
	case q.runFirst():
		if q.run[q.head].at > limit {
			return Never, v, false
		}
		at, v = q.run[q.head].at, q.runVals[q.head]
		q.runVals[q.head] = zero // release references held by T
		q.head++
	case len(q.soon) > 0:
		if q.soon[0].at > limit {
			return Never, v, false
		}
		var top key
		top, q.soon = heapPop(q.soon)
		slot := top.slot()
		at, v = top.at, q.vals[slot]
		q.vals[slot] = zero
		q.free = append(q.free, slot)
	default:
		return Never, v, false
	}
	if q.head == len(q.run) && len(q.soon) == 0 && q.far.n > 0 {
		q.refill()
	}
	return at, v, true
}

// refill moves the far items of the earliest non-empty bucket into run,
// sorted (run and soon are empty): the horizon moves to that bucket's
// end.
func (q *Queue[T]) refill() {
	var end Time
	q.run, end = q.far.takeNext(q.run[:0])
	q.head = 0
	q.run, q.scratch = sortBucket(q.run, q.scratch)
	q.horizon = end
	// The values move next to their keys, in pop order: the loads are
	// independent of one another, so their cache misses overlap here
	// instead of stalling one pop each.
	q.runVals = slices.Grow(q.runVals[:0], len(q.run))[:len(q.run)]
	var zero T
	for i := range q.run {
		slot := q.run[i].slot()
		q.runVals[i] = q.vals[slot]
		q.vals[slot] = zero
		q.free = append(q.free, slot)
	}
}

// renumber gives the items in flight the sequences 0, 1, … in their
// sequence order, so that sequences never run out: comparisons between
// them, hence the heaps' order and the pop order, are unchanged.
func (q *Queue[T]) renumber() {
	var all []*key
	for i := q.head; i < len(q.run); i++ {
		all = append(all, &q.run[i])
	}
	for i := range q.soon {
		all = append(all, &q.soon[i])
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
	clear(q.runVals)
	q.runVals = q.runVals[:0]
	q.run, q.head, q.soon = q.run[:0], 0, q.soon[:0]
	q.horizon = 0
	q.far.reset()
	q.vals = q.vals[:0]
	q.free = q.free[:0]
}

// The wheel holds the items at or after the queue's horizon: a ring of
// ringBuckets buckets of 2^bucketShift ns (about 8.4 ms, so the ring
// spans about 8.6 s) in which an item is appended to its bucket, in no
// order, and a heap of the items beyond the ring. When the queue's run
// and soon heap are empty, the earliest non-empty bucket (found with an
// occupancy bitmap) becomes the next run; as the ring moves on, the
// items beyond it that it now spans move into their buckets. Among equal
// times, a bucket's items are in sequence order: those pulled from beyond
// come in (time, sequence) order and were all pushed before the bucket
// came into the ring's span, and every later push appends.
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

// takeNext appends the items of the earliest non-empty bucket to dst, in
// sequence order, and returns it with the time the bucket ends: every
// item left in the wheel is at or after that time. The wheel must not be
// empty.
func (w *wheel) takeNext(dst []key) ([]key, Time) {
	if w.inRing == 0 {
		// Jump the ring to the earliest item beyond it.
		w.base = bucketOf(w.beyond[0].at)
		w.pullBeyond()
	}
	b := w.base + w.firstOccupied()
	i := b & ringMask
	dst = append(dst, w.ring[i]...)
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
	return dst, Time((b + 1) << bucketShift)
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

// sortBucket sorts the keys of one wheel bucket by (time, sequence) and
// returns them with the spare buffer (either of a and spare may come
// back as either). The keys of a bucket share their time's high bits and
// come out of the wheel in sequence order among equal times, so a stable
// distribution on the time's low bucketShift bits orders them: a bucket of
// the usual size (a few hundred keys) needs one counting pass on the top
// digit (256 slices of the bucket's span, about one key each) and an
// insertion pass that orders the few keys sharing a slice; a bucket
// whose slices hold more (a burst) is radix-sorted a digit a pass
// (radixSort). The final insertion pass keeps the order right even if
// the keys were not in sequence order. Small buckets are
// insertion-sorted.
func sortBucket(a, spare []key) ([]key, []key) {
	n := len(a)
	if n < 32 {
		insertionSort(a)
		return a, spare
	}
	if cap(spare) < n {
		spare = make([]key, n, cap(a))
	}
	spare = spare[:n]
	base := a[0].at >> bucketShift << bucketShift
	if n > maxSliceKeys*256/2 {
		return radixSort(a, spare, base) // a slice would likely overflow
	}
	var count [256]int32
	for i := range a {
		count[uint64(a[i].at-base)>>topShift&0xff]++
	}
	var sum, most int32
	for d, c := range count {
		count[d] = sum
		sum += c
		most = max(most, c)
	}
	if most > maxSliceKeys {
		return radixSort(a, spare, base)
	}
	for i := range a {
		d := uint64(a[i].at-base) >> topShift & 0xff
		spare[count[d]] = a[i]
		count[d]++
	}
	insertionSort(spare)
	return spare, a
}

// topShift is the shift of the top digit of a time's offset in its
// bucket.
const topShift = bucketShift - 8

// maxSliceKeys is the most keys one slice of a bucket may hold for the
// insertion pass to order them (about maxSliceKeys²/4 moves each, at
// worst); a bucket with a fuller slice is radix-sorted.
const maxSliceKeys = 32

// radixSort sorts a (base: the start of its bucket) by a stable radix sort
// on the time's low bucketShift bits, a byte a pass, skipping the passes
// whose digit every key shares, then an insertion pass; it returns the
// sorted keys and the other buffer.
func radixSort(a, spare []key, base Time) ([]key, []key) {
	n := len(a)
	for shift := 0; shift < bucketShift; shift += 8 {
		var count [256]int
		for i := range a {
			count[uint64(a[i].at-base)>>shift&0xff]++
		}
		if count[uint64(a[0].at-base)>>shift&0xff] == n {
			continue // one digit for all: this pass would not move anything
		}
		sum := 0
		for d, c := range count {
			count[d] = sum
			sum += c
		}
		for i := range a {
			d := uint64(a[i].at-base) >> shift & 0xff
			spare[count[d]] = a[i]
			count[d]++
		}
		a, spare = spare, a
	}
	insertionSort(a)
	return a, spare
}

// insertionSort sorts keys by (time, sequence): fast on a few keys, and
// on keys already nearly in order.
func insertionSort(keys []key) {
	for i := 1; i < len(keys); i++ {
		x := keys[i]
		j := i
		for j > 0 && x.before(&keys[j-1]) {
			keys[j] = keys[j-1]
			j--
		}
		keys[j] = x
	}
}
