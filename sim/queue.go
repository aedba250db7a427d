package sim

// Queue is a priority queue of items of type T ordered by (time, insertion
// sequence). The zero value is an empty queue ready to use.
//
// It is a 4-ary min-heap over a slice of values: shallower than a binary
// heap (fewer cache misses per pop) and free of the interface conversions
// of container/heap, so Push and Pop do not allocate once the slice has
// reached the largest number of items in flight.
type Queue[T any] struct {
	items []entry[T]
	seq   uint64
}

type entry[T any] struct {
	at  Time
	seq uint64
	val T
}

func (a *entry[T]) before(b *entry[T]) bool {
	return a.at < b.at || (a.at == b.at && a.seq < b.seq)
}

// Len returns the number of items in the queue.
func (q *Queue[T]) Len() int { return len(q.items) }

// Push adds v to be popped at time at. Items pushed for the same time pop
// in push order.
func (q *Queue[T]) Push(at Time, v T) {
	q.items = append(q.items, entry[T]{at: at, seq: q.seq, val: v})
	q.seq++
	q.up(len(q.items) - 1)
}

// Peek returns the time of the earliest item, or (Never, false) when the
// queue is empty.
func (q *Queue[T]) Peek() (Time, bool) {
	if len(q.items) == 0 {
		return Never, false
	}
	return q.items[0].at, true
}

// Pop removes and returns the earliest item.
func (q *Queue[T]) Pop() (at Time, v T, ok bool) {
	n := len(q.items)
	if n == 0 {
		return Never, v, false
	}
	top := q.items[0]
	last := n - 1
	q.items[0] = q.items[last]
	var zero entry[T]
	q.items[last] = zero // release references held by T
	q.items = q.items[:last]
	if last > 0 {
		q.down(0)
	}
	return top.at, top.val, true
}

// Reset empties the queue, keeping its storage.
func (q *Queue[T]) Reset() {
	clear(q.items)
	q.items = q.items[:0]
}

func (q *Queue[T]) up(i int) {
	items := q.items
	x := items[i]
	for i > 0 {
		p := (i - 1) / 4
		if !x.before(&items[p]) {
			break
		}
		items[i] = items[p]
		i = p
	}
	items[i] = x
}

func (q *Queue[T]) down(i int) {
	items := q.items
	n := len(items)
	x := items[i]
	for {
		first := 4*i + 1
		if first >= n {
			break
		}
		best := first
		end := min(first+4, n)
		for c := first + 1; c < end; c++ {
			if items[c].before(&items[best]) {
				best = c
			}
		}
		if !items[best].before(&x) {
			break
		}
		items[i] = items[best]
		i = best
	}
	items[i] = x
}
