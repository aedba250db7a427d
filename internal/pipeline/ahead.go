package pipeline

// Ahead serves the values of a sequence one at a time, in order, made in
// batches by a fill function on a goroutine of its own: the other
// direction of a Pipe. The goroutine fills the next batches while the
// consumer uses the current one, so the cost of making a value leaves the
// consumer's goroutine.
//
// fill must be a pure continuation of the sequence: it is called with
// batches in order and must write the next len(batch) values, whatever
// the batch size and whenever it is called. Then the consumer sees the
// values it would have made itself, one at a time, in the same order;
// the values made and never served (at most AheadDepth batches) change
// none of them. fill is called on batch n+AheadDepth-1 at the latest
// while the consumer serves its n-th (all AheadDepth batches are in
// circulation), so a ring of AheadDepth slots can remember something of
// each batch filled ahead (see Position).
// busdrill's simulator draws latencies and run times this way (a stream
// that nothing else draws from meanwhile gives the same values whenever
// they are drawn), and allocates the records of new events.
type Ahead[T any] struct {
	fill func([]T)
	cur  []T
	i    int
	// taken counts the batches the consumer has taken, cur included.
	taken int
	// Batches circulate from spent to the filler and back on ready; quit
	// ends the filler, which closes done.
	ready, spent chan []T
	quit, done   chan struct{}
}

// AheadDepth is how many batches an Ahead keeps in circulation: the one
// being served and those filled or being filled ahead of it.
const AheadDepth = 3

// NewAhead returns an Ahead of the values fill makes, in batches of size,
// on a goroutine it starts (and Close ends).
func NewAhead[T any](size int, fill func([]T)) *Ahead[T] {
	a := new(Ahead[T])
	a.Start(size, fill)
	return a
}

// Start makes a, a zero Ahead, serve the values fill makes, in batches of
// size, on a goroutine it starts (and Close ends). An Ahead kept by value
// in its consumer's struct and started there serves a value from the
// consumer's own memory, one pointer nearer than through NewAhead's: what
// a consumer on a hot path wants. It must not be copied once started.
func (a *Ahead[T]) Start(size int, fill func([]T)) {
	a.fill = fill
	a.ready = make(chan []T, AheadDepth)
	a.spent = make(chan []T, AheadDepth)
	a.quit, a.done = make(chan struct{}), make(chan struct{})
	for range AheadDepth {
		a.spent <- make([]T, max(size, 1))
	}
	go a.produce()
}

// Started reports whether a serves values: started, and not closed since
// and reset to its zero value.
func (a *Ahead[T]) Started() bool { return a.fill != nil }

// Next returns the next value of the sequence.
func (a *Ahead[T]) Next() T {
	if a.i == len(a.cur) {
		a.advance()
	}
	v := a.cur[a.i]
	a.i++
	return v
}

func (a *Ahead[T]) advance() {
	if a.cur != nil {
		a.spent <- a.cur // never blocks: AheadDepth batches in all
	}
	a.cur = <-a.ready
	a.i = 0
	a.taken++
}

// Position returns how far the consumer is: the number of batches it has
// taken, the one it is serving included, and how many values of that one
// Next has returned. The values served in all are those of batches-1 full
// batches and taken more; a consumer that stops drawing ahead (Close) can
// then put its own generator where serving them left the sequence.
func (a *Ahead[T]) Position() (batches, taken int) { return a.taken, a.i }

func (a *Ahead[T]) produce() {
	defer close(a.done)
	for {
		select {
		case b := <-a.spent:
			a.fill(b)
			select {
			case a.ready <- b:
			case <-a.quit:
				return
			}
		case <-a.quit:
			return
		}
	}
}

// Close ends the Ahead's goroutine and waits for it; Next must not be
// called after. Closing twice, or closing an Ahead never started, does
// nothing.
func (a *Ahead[T]) Close() {
	if a.quit == nil {
		return
	}
	select {
	case <-a.quit:
	default:
		close(a.quit)
	}
	<-a.done
}
