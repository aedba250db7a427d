package sim

import "sort"

// Queue is a priority queue of items of type T ordered by (time, insertion
// sequence). The zero value is an empty queue ready to use.
//
// It is a 4-ary min-heap of small keys — (time, sequence and slot), no
// pointers — over a separate slice of values that never moves: shallower
// than a binary heap (fewer cache misses per pop), free of the interface
// conversions of container/heap, and free of write barriers when items
// move in the heap, so Push and Pop do not allocate once the slices have
// reached the largest number of items in flight. Since (time, sequence)
// is unique per item, the pop order does not depend on the heap's layout.
type Queue[T any] struct {
	keys []key
	vals []T      // by slot
	free []uint32 // free slots of vals, LIFO
	seq  uint64
}

// key is an item's place in the heap: its time, then its insertion
// sequence (high seqBits bits of ord; see renumber) and its slot in vals
// (low slotBits bits). Sequences are unique, so comparing ord compares sequences; at 16
// bytes, the four children of a node share one cache line.
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
func (q *Queue[T]) Len() int { return len(q.keys) }

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
	q.keys = append(q.keys, key{at: at, ord: q.seq<<slotBits | uint64(slot)})
	q.seq++
	q.up(len(q.keys) - 1)
}

// Peek returns the time of the earliest item, or (Never, false) when the
// queue is empty.
func (q *Queue[T]) Peek() (Time, bool) {
	if len(q.keys) == 0 {
		return Never, false
	}
	return q.keys[0].at, true
}

// Pop removes and returns the earliest item.
func (q *Queue[T]) Pop() (at Time, v T, ok bool) {
	n := len(q.keys)
	if n == 0 {
		return Never, v, false
	}
	top := q.keys[0]
	last := n - 1
	x := q.keys[last]
	q.keys = q.keys[:last]
	if last > 0 {
		q.fill(x)
	}
	slot := top.slot()
	v = q.vals[slot]
	var zero T
	q.vals[slot] = zero // release references held by T
	q.free = append(q.free, slot)
	return top.at, v, true
}

// renumber gives the items in flight the sequences 0, 1, … in their
// sequence order, so that sequences never run out: comparisons between
// them, hence the heap and the pop order, are unchanged.
func (q *Queue[T]) renumber() {
	order := make([]int, len(q.keys))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(a, b int) bool { return q.keys[order[a]].ord < q.keys[order[b]].ord })
	for r, i := range order {
		k := &q.keys[i]
		k.ord = uint64(r)<<slotBits | uint64(k.slot())
	}
	q.seq = uint64(len(q.keys))
}

// Reset empties the queue, keeping its storage.
func (q *Queue[T]) Reset() {
	clear(q.vals)
	q.keys = q.keys[:0]
	q.vals = q.vals[:0]
	q.free = q.free[:0]
}

func (q *Queue[T]) up(i int) {
	keys := q.keys
	x := keys[i]
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

// fill places x, the former last key, in the hole left at the root by a
// pop: bottom-up, it moves the hole down along the smallest children to a
// leaf, then sifts x up from there (x, the last leaf, usually belongs near
// the bottom, which saves comparing it at every level on the way down).
func (q *Queue[T]) fill(x key) {
	keys := q.keys
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
