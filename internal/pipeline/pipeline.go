// Package pipeline hands items from one goroutine to another, in order and
// in batches: the producer fills items in place, and a consumer applies
// each full batch, either at once on the producer's goroutine or, when
// the pipeline is concurrent, on a goroutine of its own, in the same order.
// Either way the consumer sees the same items in the same batches, so a
// consumer that is a pure function of what it is fed gives the same
// result both ways; only the time it is done at differs.
//
// busdrill's simulator feeds its measurement (the recorder and what
// computes its calls) through a pipeline, so that on two cores the
// measuring overlaps the model's next events (package sim/world).
//
// Memory is bounded and fixed: a concurrent pipe allocates its Depth+2
// batches when it is made, and the producer blocks when the consumer is
// Depth batches behind. A Pipe is used by one producer goroutine; Close (or
// Sync) is the point after which the consumer's state may be read by the
// producer.
package pipeline

import "sync/atomic"

// Depth is how many full batches may wait for a concurrent consumer.
const Depth = 4

// Pipe carries items of type T from a producer to a consumer.
type Pipe[T any] struct {
	apply func([]T)
	// cur is the batch being filled: cur[:n] are filled, the rest are
	// zero (batches are cleared once applied, so Next need not).
	cur  []T
	n    int
	size int
	// Concurrent only: full batches go to the consumer on full and come
	// back emptied on free; done is closed when the consumer has applied
	// everything and returned.
	concurrent bool
	full, free chan []T
	synced     chan struct{}
	done       chan struct{}
	closed     bool
	// applied counts the batches the consumer finished (for tests).
	applied atomic.Int64
}

// New returns a pipe applying batches of size items with apply; when
// concurrent, apply runs on a goroutine the pipe starts (and Close
// ends).
func New[T any](size int, concurrent bool, apply func([]T)) *Pipe[T] {
	p := &Pipe[T]{apply: apply, size: max(size, 1), concurrent: concurrent}
	p.cur = make([]T, p.size)
	if concurrent {
		p.full = make(chan []T, Depth)
		p.free = make(chan []T, Depth+1)
		p.synced = make(chan struct{})
		p.done = make(chan struct{})
		// Every batch the pipe will ever use, allocated now: one being
		// filled, Depth waiting, one being applied. A pipe's memory is
		// then the same from its start, however far behind the consumer
		// ever falls, and its batches are never garbage.
		for range Depth + 1 {
			p.free <- make([]T, p.size)
		}
		go p.consume()
	}
	return p
}

// Next returns the next item to fill, zeroed. It is valid until the next
// call to Next, Flush, Sync or Close.
func (p *Pipe[T]) Next() *T {
	if p.n == p.size {
		p.Flush()
	}
	p.n++
	return &p.cur[p.n-1]
}

// Flush hands the items filled so far to the consumer.
func (p *Pipe[T]) Flush() {
	if p.n == 0 {
		return
	}
	b := p.cur[:p.n]
	p.n = 0
	if !p.concurrent {
		p.apply(b)
		p.applied.Add(1)
		clear(b)
		return
	}
	p.full <- b
	// Never waits: with b sent, at most Depth batches wait and one is
	// being applied, so one of the Depth+2 is free.
	p.cur = (<-p.free)[:p.size]
}

// Sync flushes and waits until the consumer has applied every item: its
// state may then be read, until the next item is filled.
func (p *Pipe[T]) Sync() {
	p.Flush()
	if p.concurrent && !p.closed {
		p.full <- nil // a marker: the consumer answers on synced
		<-p.synced
	}
}

// Close flushes, waits until the consumer has applied every item, and
// ends a concurrent consumer's goroutine. The pipe takes no more items.
func (p *Pipe[T]) Close() {
	if p.closed {
		return
	}
	p.Flush()
	p.closed = true
	if p.concurrent {
		close(p.full)
		<-p.done
	}
}

// Applied returns the number of batches the consumer has applied.
func (p *Pipe[T]) Applied() int64 { return p.applied.Load() }

func (p *Pipe[T]) consume() {
	defer close(p.done)
	for b := range p.full {
		if b == nil {
			p.synced <- struct{}{}
			continue
		}
		p.apply(b)
		p.applied.Add(1)
		clear(b)
		p.free <- b // room for every batch but the one being filled
	}
}
